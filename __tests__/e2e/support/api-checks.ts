/**
 * What the deployed stacks declare, checked through the AWS API (boto3, aws_api.py) rather than
 * through Terraform: the trail logs and has its Insights and event selectors, metric filters and
 * alarms (with their actions on existing topics), topics and subscriptions, EventBridge rules and
 * targets with their input transformers, buckets, keys, log groups...
 *
 * The checks are derived from the stacks, not written per resource: for every resource of a checked
 * type in a stack's cdk.tf.json, the applied Terraform state gives its real names and ARNs (the JSON
 * holds unresolved references) and the stack's providers give its account and region. So they grow
 * with the stacks without edits; a new resource type gets a builder in CHECKS.
 */
import * as path from 'path';
import { runCommand } from '../../support/terraform';
import { findPython } from './emulator';

type Json = Record<string, any>;

/** moto's account for credentials that assumed no role (a provider with `access.assumeRole: false`). */
export const MOTO_DEFAULT_ACCOUNT = '123456789012';

export interface ApiCall {
  readonly account: string;
  readonly region: string;
  /** boto3 service name. */
  readonly service: string;
  /** boto3 method name, e.g. `get_trail_status`. */
  readonly operation: string;
  readonly params: Json;
}

export type ApiResult = { readonly result: Json; readonly error?: undefined } | { readonly result?: undefined; readonly error: { readonly code: string; readonly message: string } };

/** Where a resource lives. */
export interface Location {
  readonly account: string;
  readonly region: string;
}

/** The API calls that show one resource, and how to read their results. */
export interface ResourceProbe {
  readonly calls: Readonly<Record<string, ApiCall>>;
  /** Whether the resource exists at all. */
  exists(r: Readonly<Record<string, ApiResult>>): boolean;
  /** How what exists differs from the state (empty: as declared). Only called when it exists. */
  differences(r: Readonly<Record<string, ApiResult>>): string[];
}

type ProbeBuilder = (attrs: Json, at: Location) => ResourceProbe;

const call = (at: Location, service: string, operation: string, params: Json): ApiCall => ({ ...at, service, operation, params });

/** Account and region of an ARN (`arn:aws:sns:us-east-1:111111111111:topic`). */
export function arnLocation(arn: string, fallback: Location): Location {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? { region: parts[3] || fallback.region, account: parts[4] || fallback.account } : fallback;
}

const sorted = (xs: readonly unknown[] | undefined | null): unknown[] => [...(xs ?? [])].map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).sort();
/** Objects with their keys sorted, recursively: key order means nothing in the API's answers. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, canonical(x)])) : v;
const differ = (what: string, actual: unknown, expected: unknown): string[] => {
  const [a, e] = [JSON.stringify(canonical(actual)), JSON.stringify(canonical(expected))];
  return a === e ? [] : [`${what} is ${a}, expected ${e}`];
};
const found = (r: ApiResult | undefined): r is { result: Json } => r !== undefined && r.error === undefined;
const errorText = (r: ApiResult | undefined) => (r?.error ? `${r.error.code}: ${r.error.message}` : 'no result');
/** Drops keys whose value is empty, so an omitted list and an empty one compare equal. */
const compact = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)));

function eventSelectorsFromState(selectors: Json[] | undefined) {
  return (selectors ?? []).map((s) =>
    compact({
      ReadWriteType: s.read_write_type ?? 'All',
      IncludeManagementEvents: s.include_management_events ?? true,
      DataResources: (s.data_resource ?? []).map((d: Json) => ({ Type: d.type, Values: sorted(d.values) })),
      ExcludeManagementEventSources: sorted(s.exclude_management_event_sources),
    }),
  );
}

function eventSelectorsFromApi(selectors: Json[] | undefined) {
  return (selectors ?? []).map((s) =>
    compact({
      ReadWriteType: s.ReadWriteType,
      IncludeManagementEvents: s.IncludeManagementEvents,
      DataResources: (s.DataResources ?? []).map((d: Json) => ({ Type: d.Type, Values: sorted(d.Values) })),
      ExcludeManagementEventSources: sorted(s.ExcludeManagementEventSources),
    }),
  );
}

const FIELD_OPERATORS: readonly [state: string, api: string][] = [
  ['equals', 'Equals'],
  ['not_equals', 'NotEquals'],
  ['starts_with', 'StartsWith'],
  ['not_starts_with', 'NotStartsWith'],
  ['ends_with', 'EndsWith'],
  ['not_ends_with', 'NotEndsWith'],
];

function advancedSelectorsFromState(selectors: Json[] | undefined) {
  return (selectors ?? []).map((s) => ({
    Name: s.name ?? '',
    FieldSelectors: (s.field_selector ?? [])
      .map((f: Json) => compact({ Field: f.field, ...Object.fromEntries(FIELD_OPERATORS.map(([k, api]) => [api, sorted(f[k])])) }))
      .sort((a: Json, b: Json) => String(a.Field).localeCompare(String(b.Field))),
  }));
}

function advancedSelectorsFromApi(selectors: Json[] | undefined) {
  return (selectors ?? []).map((s) => ({
    Name: s.Name ?? '',
    FieldSelectors: (s.FieldSelectors ?? [])
      .map((f: Json) => compact({ Field: f.Field, ...Object.fromEntries(FIELD_OPERATORS.map(([, api]) => [api, sorted(f[api])])) }))
      .sort((a: Json, b: Json) => String(a.Field).localeCompare(String(b.Field))),
  }));
}

/** Probes by Terraform resource type. A type not listed here is not checked through the API. */
export const PROBES: Readonly<Record<string, ProbeBuilder>> = {
  aws_cloudtrail: (a, at) => ({
    calls: {
      trail: call(at, 'cloudtrail', 'get_trail', { Name: a.arn }),
      status: call(at, 'cloudtrail', 'get_trail_status', { Name: a.arn }),
      insights: call(at, 'cloudtrail', 'get_insight_selectors', { TrailName: a.arn }),
      selectors: call(at, 'cloudtrail', 'get_event_selectors', { TrailName: a.arn }),
    },
    exists: (r) => found(r.trail),
    differences: (r) => {
      const out: string[] = [];
      if (!found(r.status)) out.push(`GetTrailStatus failed: ${errorText(r.status)}`);
      else out.push(...differ('IsLogging', r.status.result.IsLogging, a.enable_logging ?? true));
      // Real CloudTrail answers InsightNotEnabledException for a trail without Insights.
      const insights = found(r.insights) ? (r.insights.result.InsightSelectors ?? []) : r.insights?.error?.code === 'InsightNotEnabledException' ? [] : undefined;
      if (insights === undefined) out.push(`GetInsightSelectors failed: ${errorText(r.insights)}`);
      else out.push(...differ('Insights selectors', sorted(insights.map((s: Json) => s.InsightType)), sorted((a.insight_selector ?? []).map((s: Json) => s.insight_type))));
      if (!found(r.selectors)) out.push(`GetEventSelectors failed: ${errorText(r.selectors)}`);
      else {
        if ((a.event_selector ?? []).length > 0) out.push(...differ('event selectors', eventSelectorsFromApi(r.selectors.result.EventSelectors), eventSelectorsFromState(a.event_selector)));
        if ((a.advanced_event_selector ?? []).length > 0) {
          out.push(...differ('advanced event selectors', advancedSelectorsFromApi(r.selectors.result.AdvancedEventSelectors), advancedSelectorsFromState(a.advanced_event_selector)));
        }
      }
      const trail = r.trail.result!.Trail ?? {};
      out.push(...differ('IsMultiRegionTrail', trail.IsMultiRegionTrail ?? false, a.is_multi_region_trail ?? false));
      out.push(...differ('S3BucketName', trail.S3BucketName, a.s3_bucket_name));
      return out;
    },
  }),

  aws_cloudwatch_log_group: (a, at) => ({
    calls: { groups: call(at, 'logs', 'describe_log_groups', { logGroupNamePrefix: a.name }) },
    exists: (r) => found(r.groups) && (r.groups.result.logGroups ?? []).some((g: Json) => g.logGroupName === a.name),
    differences: (r) => {
      const g = r.groups.result!.logGroups.find((x: Json) => x.logGroupName === a.name);
      return a.retention_in_days ? differ('retentionInDays', g.retentionInDays, a.retention_in_days) : [];
    },
  }),

  aws_cloudwatch_log_metric_filter: (a, at) => ({
    calls: { filters: call(at, 'logs', 'describe_metric_filters', { logGroupName: a.log_group_name, filterNamePrefix: a.name }) },
    exists: (r) => found(r.filters) && (r.filters.result.metricFilters ?? []).some((f: Json) => f.filterName === a.name),
    differences: (r) => {
      const f = r.filters.result!.metricFilters.find((x: Json) => x.filterName === a.name);
      const mt = (a.metric_transformation ?? [])[0] ?? {};
      const actual = (f.metricTransformations ?? [])[0] ?? {};
      return [
        ...differ('filterPattern', f.filterPattern, a.pattern),
        ...differ('metric', [actual.metricNamespace, actual.metricName, actual.metricValue], [mt.namespace, mt.name, mt.value]),
      ];
    },
  }),

  aws_cloudwatch_metric_alarm: (a, at) => {
    const topics: string[] = [...(a.alarm_actions ?? []), ...(a.ok_actions ?? []), ...(a.insufficient_data_actions ?? [])].filter((arn: string) => arn.startsWith('arn:aws:sns:'));
    return {
      calls: {
        alarms: call(at, 'cloudwatch', 'describe_alarms', { AlarmNames: [a.alarm_name] }),
        ...Object.fromEntries([...new Set(topics)].map((arn) => [`topic ${arn}`, call(arnLocation(arn, at), 'sns', 'get_topic_attributes', { TopicArn: arn })])),
      },
      exists: (r) => found(r.alarms) && (r.alarms.result.MetricAlarms ?? []).some((x: Json) => x.AlarmName === a.alarm_name),
      differences: (r) => {
        const alarm = r.alarms.result!.MetricAlarms.find((x: Json) => x.AlarmName === a.alarm_name);
        const out = [
          ...differ('AlarmActions', sorted(alarm.AlarmActions), sorted(a.alarm_actions)),
          ...differ('OKActions', sorted(alarm.OKActions), sorted(a.ok_actions)),
          ...differ('ActionsEnabled', alarm.ActionsEnabled, a.actions_enabled ?? true),
          ...differ('ComparisonOperator', alarm.ComparisonOperator, a.comparison_operator),
          ...differ('Threshold', alarm.Threshold, a.threshold),
        ];
        if (a.metric_name) out.push(...differ('metric', [alarm.Namespace, alarm.MetricName], [a.namespace, a.metric_name]));
        for (const [key, res] of Object.entries(r)) if (key.startsWith('topic ') && !found(res)) out.push(`action target ${key.slice(6)} does not exist (${errorText(res)})`);
        return out;
      },
    };
  },

  aws_sns_topic: (a, at) => ({
    calls: { topic: call(arnLocation(a.arn, at), 'sns', 'get_topic_attributes', { TopicArn: a.arn }) },
    exists: (r) => found(r.topic),
    differences: (r) => (a.kms_master_key_id ? differ('KmsMasterKeyId', r.topic.result!.Attributes?.KmsMasterKeyId, a.kms_master_key_id) : []),
  }),

  aws_sns_topic_subscription: (a, at) => ({
    calls: { subscriptions: call(arnLocation(a.topic_arn, at), 'sns', 'list_subscriptions_by_topic', { TopicArn: a.topic_arn }) },
    exists: (r) =>
      found(r.subscriptions) &&
      (r.subscriptions.result.Subscriptions ?? []).some((s: Json) => s.SubscriptionArn === a.arn || (s.Protocol === a.protocol && s.Endpoint === a.endpoint)),
    differences: (r) => {
      const s = r.subscriptions.result!.Subscriptions.find((x: Json) => x.SubscriptionArn === a.arn || (x.Protocol === a.protocol && x.Endpoint === a.endpoint));
      return differ('subscription', [s.Protocol, s.Endpoint], [a.protocol, a.endpoint]);
    },
  }),

  aws_cloudwatch_event_rule: (a, at) => ({
    calls: { rule: call(at, 'events', 'describe_rule', { Name: a.name, EventBusName: a.event_bus_name || 'default' }) },
    exists: (r) => found(r.rule),
    differences: (r) => {
      const rule = r.rule.result!;
      const out: string[] = [];
      if (a.event_pattern) out.push(...differ('EventPattern', canonicalJson(rule.EventPattern), canonicalJson(a.event_pattern)));
      if (a.schedule_expression) out.push(...differ('ScheduleExpression', rule.ScheduleExpression, a.schedule_expression));
      if (a.state) out.push(...differ('State', rule.State, a.state));
      return out;
    },
  }),

  aws_cloudwatch_event_target: (a, at) => ({
    calls: { targets: call(at, 'events', 'list_targets_by_rule', { Rule: a.rule, EventBusName: a.event_bus_name || 'default' }) },
    exists: (r) => found(r.targets) && (r.targets.result.Targets ?? []).some((t: Json) => t.Id === a.target_id),
    differences: (r) => {
      const t = r.targets.result!.Targets.find((x: Json) => x.Id === a.target_id);
      const out = differ('Arn', t.Arn, a.arn);
      const it = (a.input_transformer ?? [])[0];
      if (it) {
        if (!t.InputTransformer) out.push('has no InputTransformer, expected one');
        else {
          out.push(...differ('InputTransformer.InputPathsMap', t.InputTransformer.InputPathsMap ?? {}, it.input_paths ?? {}));
          out.push(...differ('InputTransformer.InputTemplate', t.InputTransformer.InputTemplate, it.input_template));
        }
      } else if (t.InputTransformer) out.push('has an InputTransformer, expected none');
      if (a.input) out.push(...differ('Input', canonicalJson(t.Input), canonicalJson(a.input)));
      return out;
    },
  }),

  aws_s3_bucket: (a, at) => ({
    calls: { bucket: call(at, 's3', 'head_bucket', { Bucket: a.bucket }) },
    exists: (r) => found(r.bucket),
    differences: () => [],
  }),

  aws_kms_key: (a, at) => ({
    calls: { key: call(arnLocation(a.arn, at), 'kms', 'describe_key', { KeyId: a.arn }) },
    // A destroyed key is scheduled for deletion, not gone.
    exists: (r) => found(r.key) && r.key.result.KeyMetadata?.KeyState !== 'PendingDeletion',
    differences: (r) => differ('Enabled', r.key.result!.KeyMetadata.Enabled, a.is_enabled ?? true),
  }),

  aws_sqs_queue: (a, at) => ({
    calls: { queue: call(at, 'sqs', 'get_queue_url', { QueueName: a.name }) },
    exists: (r) => found(r.queue),
    differences: () => [],
  }),

  aws_lambda_function: (a, at) => ({
    calls: { fn: call(at, 'lambda', 'get_function', { FunctionName: a.function_name }) },
    exists: (r) => found(r.fn),
    differences: (r) => differ('Runtime', r.fn.result!.Configuration?.Runtime, a.runtime),
  }),

  aws_glue_catalog_database: (a, at) => ({
    calls: { database: call(at, 'glue', 'get_database', { Name: a.name }) },
    exists: (r) => found(r.database),
    differences: () => [],
  }),

  aws_glue_catalog_table: (a, at) => ({
    calls: { table: call(at, 'glue', 'get_table', { DatabaseName: a.database_name, Name: a.name }) },
    exists: (r) => found(r.table),
    differences: (r) => {
      const t = r.table.result!.Table ?? {};
      return [
        ...differ('TableType', t.TableType, a.table_type),
        // Partition projection and the storage location template live in the parameters.
        ...differ('Parameters', t.Parameters ?? {}, a.parameters ?? {}),
        ...differ('StorageDescriptor.Location', t.StorageDescriptor?.Location, a.storage_descriptor?.[0]?.location),
        ...differ('PartitionKeys', (t.PartitionKeys ?? []).map((k: Json) => k.Name), (a.partition_keys ?? []).map((k: Json) => k.name)),
      ];
    },
  }),

  aws_athena_workgroup: (a, at) => ({
    calls: { workgroup: call(at, 'athena', 'get_work_group', { WorkGroup: a.name }) },
    exists: (r) => found(r.workgroup) && Boolean(r.workgroup.result.WorkGroup),
    differences: (r) => {
      const wg = r.workgroup.result!.WorkGroup;
      const c = wg.Configuration ?? {};
      const planned = a.configuration?.[0] ?? {};
      return [
        ...differ('State', wg.State, a.state ?? 'ENABLED'),
        ...differ('EnforceWorkGroupConfiguration', c.EnforceWorkGroupConfiguration ?? true, planned.enforce_workgroup_configuration ?? true),
        ...differ('BytesScannedCutoffPerQuery', c.BytesScannedCutoffPerQuery, planned.bytes_scanned_cutoff_per_query || undefined),
        ...differ('PublishCloudWatchMetricsEnabled', c.PublishCloudWatchMetricsEnabled ?? true, planned.publish_cloudwatch_metrics_enabled ?? true),
        ...differ('ResultConfiguration.OutputLocation', c.ResultConfiguration?.OutputLocation, planned.result_configuration?.[0]?.output_location),
      ];
    },
  }),

  aws_athena_named_query: (a, at) => ({
    calls: { query: call(at, 'athena', 'get_named_query', { NamedQueryId: a.id }) },
    exists: (r) => found(r.query),
    differences: (r) => {
      const q = r.query.result!.NamedQuery;
      return differ('named query', [q.Name, q.Database, q.WorkGroup, q.QueryString], [a.name, a.database, a.workgroup, a.query]);
    },
  }),

  aws_iam_role: (a, at) => ({
    calls: { role: call(at, 'iam', 'get_role', { RoleName: a.name }) },
    exists: (r) => found(r.role),
    differences: () => [],
  }),
};

/** A JSON document (event pattern, input) parsed, so formatting and key order do not count. */
function canonicalJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A stack as deployed: its synthesized JSON and its Terraform state (`terraform state pull`). */
export interface DeployedStack {
  readonly name: string;
  readonly tfJson: Json;
  /** null: no state (never applied). */
  readonly state: Json | null;
}

/** One resource instance to check: `<stack> <type>.<name>[<index>]`. */
export interface ProbedResource {
  readonly address: string;
  readonly type: string;
  readonly location: Location;
  readonly probe: ResourceProbe;
}

/** Account and region of each provider of a stack, keyed by alias ('' = default provider). */
function providerLocations(tfJson: Json): Map<string, Location> {
  const out = new Map<string, Location>();
  for (const p of (tfJson.provider?.aws ?? []) as Json[]) {
    const role: string | undefined = p.assume_role?.[0]?.role_arn;
    out.set(p.alias ?? '', { region: p.region, account: role ? role.split(':')[4] : MOTO_DEFAULT_ACCOUNT });
  }
  return out;
}

/** Role ARN per account, from every provider of every stack (to look at cross-account resources). */
export function accountRoles(stacks: readonly DeployedStack[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of stacks) {
    for (const p of (s.tfJson.provider?.aws ?? []) as Json[]) {
      const role: string | undefined = p.assume_role?.[0]?.role_arn;
      if (role) out[role.split(':')[4]] ??= role;
    }
  }
  return out;
}

/**
 * The resources of checked types a stack declares, as its state has them. Also returns problems:
 * a declared resource (without count/for_each) missing from the state.
 */
export function probedResources(stack: DeployedStack): { resources: ProbedResource[]; problems: string[] } {
  const resources: ProbedResource[] = [];
  const problems: string[] = [];
  const locations = providerLocations(stack.tfJson);
  const stateResources = ((stack.state?.resources ?? []) as Json[]).filter((r) => r.mode === 'managed' && !r.module);
  for (const [type, byName] of Object.entries((stack.tfJson.resource ?? {}) as Record<string, Record<string, Json>>)) {
    const builder = PROBES[type];
    if (!builder) continue;
    for (const [name, declared] of Object.entries(byName)) {
      const inState = stateResources.find((r) => r.type === type && r.name === name);
      const instances: Json[] = inState?.instances ?? [];
      if (declared.count === undefined && declared.for_each === undefined && instances.length !== 1) {
        problems.push(`${stack.name} ${type}.${name}: declared in cdk.tf.json, but the state has ${instances.length} instances`);
      }
      const alias = /^provider\["[^"]+"\](?:\.(.+))?$/.exec(inState?.provider ?? '')?.[1] ?? '';
      const location = locations.get(alias) ?? locations.get('');
      if (!location) {
        problems.push(`${stack.name} ${type}.${name}: no provider "${alias}" in the stack`);
        continue;
      }
      for (const instance of instances) {
        const index = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
        resources.push({ address: `${stack.name} ${type}.${name}${index}`, type, location, probe: builder(instance.attributes ?? {}, location) });
      }
    }
  }
  return { resources, problems };
}

/** Runs API calls in one boto3 process against the emulator. */
export async function callAws(endpoint: string, roles: Record<string, string>, calls: readonly ApiCall[], timeoutMs = 180_000): Promise<ApiResult[]> {
  if (calls.length === 0) return [];
  const run = await runCommand(findPython(), [path.join(__dirname, '..', 'aws_api.py')], {
    cwd: __dirname,
    env: { ...process.env, PYTHONUNBUFFERED: '1', AWS_EC2_METADATA_DISABLED: 'true' },
    timeoutMs,
    input: JSON.stringify({ endpoint, roles, calls }),
  });
  if (run.status !== 0) throw new Error(`aws_api.py failed (exit ${run.status}${run.timedOut ? ', timed out' : ''}):\n${run.stderr.slice(-4000)}`);
  const results = JSON.parse(run.stdout) as ApiResult[];
  if (results.length !== calls.length) throw new Error(`aws_api.py returned ${results.length} results for ${calls.length} calls`);
  return results;
}

export interface ProbeOutcome {
  readonly address: string;
  readonly exists: boolean;
  /** Differences from the state (empty when it does not exist). */
  readonly differences: readonly string[];
}

/** Probes every checked resource of the stacks through the API. */
export async function probeThroughApi(endpoint: string, stacks: readonly DeployedStack[]): Promise<{ outcomes: ProbeOutcome[]; problems: string[] }> {
  const all = stacks.map(probedResources);
  const resources = all.flatMap((x) => x.resources);
  const problems = all.flatMap((x) => x.problems);
  const flat = resources.flatMap((res) => Object.entries(res.probe.calls).map(([key, c]) => ({ res, key, c })));
  const results = await callAws(
    endpoint,
    accountRoles(stacks),
    flat.map((f) => f.c),
  );
  const byResource = new Map<ProbedResource, Record<string, ApiResult>>();
  flat.forEach((f, i) => {
    const r = byResource.get(f.res) ?? {};
    r[f.key] = results[i];
    byResource.set(f.res, r);
  });
  const outcomes = resources.map((res) => {
    const r = byResource.get(res) ?? {};
    const exists = res.probe.exists(r);
    return { address: res.address, exists, differences: exists ? res.probe.differences(r) : [] };
  });
  return { outcomes, problems };
}
