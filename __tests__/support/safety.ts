/**
 * Safety invariants over synthesized stacks, shared by the fuzz test: what no config may turn off
 * silently. Grows with each feature (trail posture, alarm wiring, ...).
 */
import type { ParsedConfig } from '../../lib/config/schema';
import { checkTrailPosture, type PostureItem } from './posture';

type TfJson = Record<string, any>;

export function safetyViolations(config: ParsedConfig, stacks: Record<string, TfJson>): string[] {
  const out: string[] = [];
  const org = config.organization;
  const ids = new Set([org.managementAccount.id, org.logArchiveAccount.id, ...(org.securityAccount ? [org.securityAccount.id] : []), ...config.accounts.map((a) => a.id)]);
  for (const [name, json] of Object.entries(stacks)) {
    // Every provider is pinned to one of the organization's accounts.
    for (const p of (json.provider?.aws ?? []) as TfJson[]) {
      if (!Array.isArray(p.allowed_account_ids) || p.allowed_account_ids.length !== 1 || !ids.has(p.allowed_account_ids[0])) {
        out.push(`${name}: provider ${p.alias ?? '(default)'} is not pinned to one organization account`);
      }
    }
    out.push(...alarmWiringViolations(json).map((v) => `${name}: ${v}`));
    // A setting turned off must be turned off explicitly in the output too, never left to a provider default.
    for (const [address, trail] of Object.entries((json.resource?.aws_cloudtrail ?? {}) as Record<string, TfJson>)) {
      for (const attr of ['is_multi_region_trail', 'enable_log_file_validation', 'enable_logging', 'include_global_service_events']) {
        if (typeof trail[attr] !== 'boolean') out.push(`${name}: aws_cloudtrail.${address} leaves ${attr} to the provider default`);
      }
      if (!trail.kms_key_id) out.push(`${name}: aws_cloudtrail.${address} is not KMS-encrypted`);
    }
    for (const [address, pab] of Object.entries((json.resource?.aws_s3_bucket_public_access_block ?? {}) as Record<string, TfJson>)) {
      for (const attr of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
        if (pab[attr] !== true) out.push(`${name}: aws_s3_bucket_public_access_block.${address} does not set ${attr}`);
      }
    }
  }
  // The trail baseline, except what the config explicitly turns off (a trail trailwatch does not own has nothing to check).
  const t = config.trail ?? {};
  if (t.mode !== 'existing') {
    const optedOut = new Set<PostureItem>();
    if (t.multiRegion === false || t.includeGlobalServiceEvents === false) optedOut.add('multi-region');
    if (t.logFileValidation === false) optedOut.add('log-file-validation');
    if (t.cloudWatchLogs?.acknowledgeShortRetention === true) optedOut.add('log-group-retention');
    out.push(...checkTrailPosture(stacks).filter((line) => !optedOut.has(line.split(':')[0] as PostureItem)));
  }
  return out;
}

/**
 * Every metric alarm watches exactly what a metric filter of the same stack publishes: its
 * metric_name and namespace are references to that filter's metric_transformation (never literals
 * that could drift), and every filter has an alarm.
 */
export function alarmWiringViolations(json: TfJson): string[] {
  const out: string[] = [];
  const filters = Object.keys(json.resource?.aws_cloudwatch_log_metric_filter ?? {});
  const watched = new Map<string, number>();
  const rules = Object.keys(json.resource?.aws_cloudwatch_contributor_insight_rule ?? {});
  for (const [alarmName, alarm] of Object.entries((json.resource?.aws_cloudwatch_metric_alarm ?? {}) as Record<string, TfJson>)) {
    // A per-key detection: metric math on its Contributor Insights rule, named by reference.
    const queries = (alarm.metric_query ?? []) as TfJson[];
    if (queries.length > 0) {
      const rule = /^INSIGHT_RULE_METRIC\('\$\{aws_cloudwatch_contributor_insight_rule\.([^.]+)\.rule_name\}', 'MaxContributorValue'\)$/.exec(String(queries[0].expression))?.[1];
      if (queries.length !== 1 || !rule || !rules.includes(rule)) out.push(`alarm ${alarmName}: metric_query ${JSON.stringify(alarm.metric_query)} is not INSIGHT_RULE_METRIC of a Contributor Insights rule of this stack by reference`);
      else watched.set(`rule ${rule}`, (watched.get(`rule ${rule}`) ?? 0) + 1);
      continue;
    }
    const ref = (attr: string) => new RegExp(`^\\$\\{aws_cloudwatch_log_metric_filter\\.([^.]+)\\.metric_transformation\\[0\\]\\.${attr}\\}$`).exec(String(alarm[attr === 'name' ? 'metric_name' : 'namespace']))?.[1];
    const byName = ref('name');
    const byNamespace = ref('namespace');
    if (!byName || !filters.includes(byName)) out.push(`alarm ${alarmName}: metric_name ${JSON.stringify(alarm.metric_name)} is not a reference to a metric filter of this stack`);
    else if (byNamespace !== byName) out.push(`alarm ${alarmName}: namespace ${JSON.stringify(alarm.namespace)} does not come from the filter its metric_name comes from`);
    else watched.set(byName, (watched.get(byName) ?? 0) + 1);
  }
  for (const f of filters) if (watched.get(f) !== 1) out.push(`metric filter ${f} is watched by ${watched.get(f) ?? 0} alarms (expected 1)`);
  for (const r of rules) if (watched.get(`rule ${r}`) !== 1) out.push(`Contributor Insights rule ${r} is watched by ${watched.get(`rule ${r}`) ?? 0} alarms (expected 1)`);
  return out;
}
