/**
 * What each account stack deploys, counted on its Terraform JSON: resources by type, regions,
 * metric filters, alarms, rules, KMS keys, subscriptions, cross-account forwarding, the responder.
 * Counting the synthesized JSON (not re-deriving it from the config) keeps the estimate and
 * `synth --summary` true to whatever the features build, whichever detections are added.
 */
import type { AccountRole } from '../core/organization';

export type TfJson = { resource?: Record<string, Record<string, Record<string, unknown>>>; provider?: { aws?: { region?: string }[] } };

export interface StackInventory {
  readonly stack: string;
  readonly accountId: string;
  readonly role: AccountRole;
  readonly resources: number;
  readonly byType: Readonly<Record<string, number>>;
  /** Regions of the stack's AWS providers. */
  readonly regions: readonly string[];
  readonly metricFilters: number;
  /** Contributor Insights rules (per-key detections). */
  readonly contributorRules: number;
  readonly alarms: number;
  readonly rules: number;
  /** Rules whose target is an event bus in another account (billed per event delivered). */
  readonly crossAccountRules: number;
  readonly kmsKeys: number;
  /** Keys with automatic rotation on (each keeps its rotated key material versions). */
  readonly kmsKeysRotating: number;
  readonly subscriptions: { readonly email: number; readonly https: number; readonly other: number };
  /** Memory (MB) of each Lambda function. */
  readonly functionsMemoryMb: readonly number[];
  readonly trails: number;
}

export function inventoryOf(stack: { name: string; accountId: string; role: AccountRole }, json: TfJson): StackInventory {
  const resources = json.resource ?? {};
  const byType = Object.fromEntries(Object.entries(resources).map(([type, rs]) => [type, Object.keys(rs).length]));
  const all = (type: string) => Object.values(resources[type] ?? {});
  const subs = all('aws_sns_topic_subscription').map((s) => String(s.protocol));
  const crossAccount = all('aws_cloudwatch_event_target').filter((t) => {
    const m = /^arn:aws:events:[^:]+:(\d{12}):event-bus\//.exec(String(t.arn));
    return m !== null && m[1] !== stack.accountId;
  }).length;
  return {
    stack: stack.name,
    accountId: stack.accountId,
    role: stack.role,
    resources: Object.values(byType).reduce((a, b) => a + b, 0),
    byType,
    regions: [...new Set((json.provider?.aws ?? []).map((p) => p.region).filter((r): r is string => typeof r === 'string'))],
    metricFilters: byType.aws_cloudwatch_log_metric_filter ?? 0,
    contributorRules: byType.aws_cloudwatch_contributor_insight_rule ?? 0,
    alarms: byType.aws_cloudwatch_metric_alarm ?? 0,
    rules: byType.aws_cloudwatch_event_rule ?? 0,
    crossAccountRules: crossAccount,
    kmsKeys: byType.aws_kms_key ?? 0,
    kmsKeysRotating: all('aws_kms_key').filter((k) => k.enable_key_rotation === true).length,
    subscriptions: { email: subs.filter((p) => p === 'email' || p === 'email-json').length, https: subs.filter((p) => p === 'https' || p === 'http').length, other: subs.filter((p) => !/^(email|email-json|https?)$/.test(p)).length },
    functionsMemoryMb: all('aws_lambda_function').map((f) => Number(f.memory_size ?? 128)),
    trails: byType.aws_cloudtrail ?? 0,
  };
}
