/**
 * What should be deployed, read from the Terraform JSON that synth writes for each account stack
 * (synth itself runs, into a temporary folder). verify never re-derives a name, pattern, selector
 * or target: it reads the very values `cdktf deploy` applies, so it cannot disagree with synth
 * (README "Verify").
 *
 * References between resources (`${aws_sns_topic.x.arn}`) are resolved where the value is known
 * before apply (names, and the ARNs AWS builds from account, region and name); a value only known
 * after apply (a KMS key id) resolves to undefined and the check compares what it can.
 */
import type { ParsedConfig } from '../config/schema';
import type { AccountPlan } from '../core/organization';
import type { Plan } from '../plan/plan';

/** One planned Terraform resource of an account stack. */
export interface PlannedResource {
  /** Terraform address, e.g. `aws_cloudtrail.trail_3987B402`. */
  readonly address: string;
  /** Construct path, e.g. `management/monitoring/root-account-usage/alarm`. */
  readonly path: string;
  readonly region: string;
  /** The resource's arguments, references resolved (undefined where only apply knows them). */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface PlannedAccount {
  readonly plan: AccountPlan;
  /** Every region the stack has a provider for. */
  readonly regions: readonly string[];
  /** Resources by Terraform type. */
  readonly resources: ReadonlyMap<string, readonly PlannedResource[]>;
}

export interface TerraformJson {
  readonly provider?: { readonly aws?: readonly { readonly region: string; readonly alias?: string }[] };
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** The planned resources of type `type` (none: empty). */
export function resourcesOf(account: PlannedAccount, type: string, region?: string): readonly PlannedResource[] {
  const all = account.resources.get(type) ?? [];
  return region === undefined ? all : all.filter((r) => r.region === region);
}

/** The detection id a construct path names (`<stack>/monitoring/<id>/filter`, `<stack>/detections/<region>/<id>/rule`, `<stack>/central-bus/<id>/rule`). */
export function detectionOf(resource: PlannedResource): string | undefined {
  const parts = resource.path.split('/');
  if (parts[1] === 'monitoring' && parts.length === 4) return parts[2];
  if (parts[1] === 'detections' && parts.length === 5) return parts[3];
  if (parts[1] === 'central-bus' && parts.length === 4) return parts[2];
  return undefined;
}

/** ARN AWS gives a resource of `type` named `name` (the ones verify compares against). */
function arnOf(type: string, name: string, accountId: string, region: string): string | undefined {
  switch (type) {
    case 'aws_sns_topic':
      return `arn:aws:sns:${region}:${accountId}:${name}`;
    case 'aws_cloudwatch_log_group':
      return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
    case 'aws_cloudwatch_event_bus':
      return `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
    case 'aws_iam_role':
      return `arn:aws:iam::${accountId}:role/${name}`;
    case 'aws_lambda_function':
      return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
    case 'aws_sqs_queue':
      return `arn:aws:sqs:${region}:${accountId}:${name}`;
    default:
      return undefined;
  }
}

const NAME_ARGUMENT: Record<string, string> = {
  aws_s3_bucket: 'bucket',
  aws_lambda_function: 'function_name',
  aws_cloudwatch_metric_alarm: 'alarm_name',
};

const REFERENCE = /\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;

/** Reads one account stack's Terraform JSON into planned resources. */
export function readPlannedAccount(plan: AccountPlan, json: TerraformJson): PlannedAccount {
  const providers = json.provider?.aws ?? [];
  const regionOf = (provider: unknown): string => {
    const alias = typeof provider === 'string' && provider.startsWith('aws.') ? provider.slice(4) : undefined;
    const p = providers.find((x) => x.alias === alias);
    return p?.region ?? plan.primaryRegion;
  };
  const raw = json.resource ?? {};
  const attributeOf = (type: string, id: string, attribute: string): string | undefined => {
    const target = raw[type]?.[id];
    const name = target?.[NAME_ARGUMENT[type] ?? 'name'];
    if (typeof name !== 'string' || name.includes('${')) return undefined;
    return attribute === 'name' || attribute === 'id' ? name : attribute === 'arn' ? arnOf(type, name, plan.accountId, regionOf(target!.provider)) : undefined;
  };
  // Every `${type.id.attribute}` in the text, also inside a JSON policy; undefined when one is known only at apply.
  const resolveReference = (text: string): string | undefined => {
    let unknown = false;
    const out = text.replace(REFERENCE, (_, type: string, id: string, attribute: string) => attributeOf(type, id, attribute) ?? ((unknown = true), ''));
    return unknown || out.includes('${') ? undefined : out;
  };
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') return resolveReference(value);
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  const resources = new Map<string, PlannedResource[]>();
  for (const [type, byId] of Object.entries(raw)) {
    const list: PlannedResource[] = [];
    for (const [id, body] of Object.entries(byId)) {
      const { provider, ['//']: meta, depends_on: _d, lifecycle: _l, ...args } = body as Record<string, unknown> & { ['//']?: { metadata?: { path?: string } } };
      list.push({ address: `${type}.${id}`, path: meta?.metadata?.path ?? id, region: regionOf(provider), values: resolve(args) as Record<string, unknown> });
    }
    resources.set(type, list);
  }
  return { plan, regions: providers.map((p) => p.region), resources };
}

/**
 * Synthesizes the selected account stacks exactly as `trailwatch synth` does (synthParallel: worker
 * threads and checked templates, so 200 accounts take seconds) into a temporary folder, reads each
 * stack's cdk.tf.json, and removes the folder: what is expected is what synth writes from the command's Plan.
 */
export async function planAccounts(plan: Plan<ParsedConfig>, select?: (account: AccountPlan) => boolean): Promise<PlannedAccount[]> {
  const { synthParallel } = require('../app/parallel-synth') as typeof import('../app/parallel-synth');
  const fs = require('fs') as typeof import('fs');
  const os = require('os') as typeof import('os');
  const path = require('path') as typeof import('path');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trailwatch-verify-'));
  try {
    const out = path.join(work, 'cdktf.out');
    const { stacks } = await synthParallel(plan, out, select ? { selectStack: select } : {});
    const byName = new Map(plan.organization.accounts.map((a) => [a.stackName, a]));
    return stacks.map((name) => readPlannedAccount(byName.get(name)!, JSON.parse(fs.readFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TerraformJson));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
