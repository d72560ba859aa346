/**
 * The config's enabled detections as backtest filters (pattern + alarm settings) and as SQL for
 * engines built for terabytes (Athena, CloudTrail Lake). Both come from the same monitoring plan the
 * stacks are built from, so a backtest replays exactly what would be deployed.
 */
import { all, detectionCondition, type FieldPath } from '../catalog';
import { renderSqlQuery, type SqlDialect } from '../catalog/render/sql';
import type { ParsedConfig } from '../config/schema';
import { planDetections } from '../monitoring/plan';
import type { BacktestFilter } from './run-backtest';

export function backtestFilters(config: ParsedConfig): BacktestFilter[] {
  return planDetections(config.monitoring).detections.map((d) => ({
    name: d.id,
    kind: d.kind,
    tactics: d.control?.attack?.tactics ?? [],
    techniques: d.control?.attack?.techniques ?? [],
    pattern: d.pattern,
    period: d.alarm.period,
    ...(d.contributorRule ? { per: d.contributorRule.fields } : {}),
    alarm: {
      period: d.alarm.period,
      threshold: d.alarm.threshold,
      evaluationPeriods: d.alarm.evaluationPeriods,
      datapointsToAlarm: d.alarm.datapointsToAlarm,
      comparisonOperator: d.alarm.comparisonOperator,
    },
  }));
}

/**
 * One query per enabled catalog control, exclusions included. Custom detections and pattern
 * overrides exist only as filter-pattern text, so they are listed as skipped.
 */
export function backtestSql(config: ParsedConfig, dialect: SqlDialect, options: { table?: string; since?: string } = {}): string {
  const parts: string[] = [];
  for (const d of planDetections(config.monitoring).detections) {
    if (d.securityHubCopy) continue; // patternSet both: one query per control, from the intent detection
    if (!d.control || d.patternSource === 'override' || d.patternSource === 'custom') {
      parts.push(`-- ${d.id}: skipped (a ${d.patternSource === 'custom' ? 'custom' : 'pattern-override'} detection has no structured form to render as SQL)`);
      continue;
    }
    const ex = d.exclusions;
    const condition = detectionCondition(d.control.detection);
    const attack = d.control.attack ? ` [ATT&CK ${d.control.attack.techniques.join(', ')}]` : '';
    // A per-key detection: matches per period and key value, the counts its rule and alarm see.
    const perKey = d.contributorRule ? { fields: d.contributorRule.fields.map((f) => f.split('.') as unknown as FieldPath), period: d.alarm.period } : undefined;
    parts.push(renderSqlQuery(ex ? all(condition, ex) : condition, dialect, { ...options, title: `${d.id}: ${d.title}${attack}`, ...(perKey ? { perKey } : {}) }));
  }
  return parts.join('\n\n') + '\n';
}
