/**
 * Safety invariants over synthesized stacks, shared by the fuzz test: what no config may turn off
 * silently. Grows with each feature (trail posture, alarm wiring, ...).
 */
import type { ParsedConfig } from '../../lib/config/schema';

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
  for (const [alarmName, alarm] of Object.entries((json.resource?.aws_cloudwatch_metric_alarm ?? {}) as Record<string, TfJson>)) {
    const ref = (attr: string) => new RegExp(`^\\$\\{aws_cloudwatch_log_metric_filter\\.([^.]+)\\.metric_transformation\\[0\\]\\.${attr}\\}$`).exec(String(alarm[attr === 'name' ? 'metric_name' : 'namespace']))?.[1];
    const byName = ref('name');
    const byNamespace = ref('namespace');
    if (!byName || !filters.includes(byName)) out.push(`alarm ${alarmName}: metric_name ${JSON.stringify(alarm.metric_name)} is not a reference to a metric filter of this stack`);
    else if (byNamespace !== byName) out.push(`alarm ${alarmName}: namespace ${JSON.stringify(alarm.namespace)} does not come from the filter its metric_name comes from`);
    else watched.set(byName, (watched.get(byName) ?? 0) + 1);
  }
  for (const f of filters) if (watched.get(f) !== 1) out.push(`metric filter ${f} is watched by ${watched.get(f) ?? 0} alarms (expected 1)`);
  return out;
}
