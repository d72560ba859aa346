/**
 * The Plan's enabled detections as backtest filters (pattern + alarm settings) and as SQL (the
 * conditions are lib/monitoring/sql.ts's). Both come from the same detections plan the stacks are
 * built from, so a backtest replays exactly what would be deployed.
 */
import { renderSqlQuery, type SqlDialect } from '../catalog/render/sql';
import type { MonitoringPlan } from '../monitoring/plan';
import { alarmSettingsOf, sqlDetections } from '../monitoring/sql';
import type { BacktestFilter } from './run-backtest';

export { sqlDetections, type SqlDetection } from '../monitoring/sql';

export function backtestFilters(plan: MonitoringPlan): BacktestFilter[] {
  return plan.detections.map((d) => ({
    name: d.id,
    kind: d.kind,
    tactics: d.control?.attack?.tactics ?? [],
    techniques: d.control?.attack?.techniques ?? [],
    pattern: d.pattern,
    period: d.alarm.period,
    ...(d.contributorRule ? { per: d.contributorRule.fields } : {}),
    alarm: alarmSettingsOf(d.alarm),
  }));
}

/** One query per enabled catalog control, exclusions included; the others are listed as skipped. */
export function backtestSql(plan: MonitoringPlan, dialect: SqlDialect, options: { table?: string; since?: string } = {}): string {
  const parts = sqlDetections(plan).map((d) =>
    'skipped' in d
      ? `-- ${d.id}: skipped (${d.skipped})`
      : renderSqlQuery(d.condition, dialect, { ...options, title: `${d.id}: ${d.title}`, ...(d.perKey ? { perKey: d.perKey } : {}) }),
  );
  return parts.join('\n\n') + '\n';
}
