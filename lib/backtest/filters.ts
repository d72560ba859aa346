/**
 * The config's enabled detections as backtest filters (pattern + alarm settings) and as SQL for
 * engines built for terabytes (Athena, CloudTrail Lake). Both come from the same monitoring plan the
 * stacks are built from, so a backtest replays exactly what would be deployed.
 */
import { all, detectionCondition, type Condition, type FieldPath } from '../catalog';
import { renderSqlQuery, type SqlDialect } from '../catalog/render/sql';
import type { ParsedConfig } from '../config/schema';
import { planDetections, type AlarmPlan } from '../monitoring/plan';
import type { BacktestFilter } from './run-backtest';
import type { AlarmSettings } from './stats';

export function backtestFilters(config: ParsedConfig): BacktestFilter[] {
  return planDetections(config.monitoring).detections.map((d) => ({
    name: d.id,
    kind: d.kind,
    tactics: d.control?.attack?.tactics ?? [],
    techniques: d.control?.attack?.techniques ?? [],
    pattern: d.pattern,
    period: d.alarm.period,
    ...(d.contributorRule ? { per: d.contributorRule.fields } : {}),
    alarm: alarmOf(d.alarm),
  }));
}

function alarmOf(a: AlarmPlan): AlarmSettings {
  return { period: a.period, threshold: a.threshold, evaluationPeriods: a.evaluationPeriods, datapointsToAlarm: a.datapointsToAlarm, comparisonOperator: a.comparisonOperator };
}

/** An enabled detection as a SQL condition (exclusions included), or why it has none. */
export type SqlDetection =
  | { readonly id: string; readonly title: string; readonly condition: Condition; readonly alarm: AlarmSettings; readonly perKey?: { readonly fields: FieldPath[]; readonly period: number } }
  | { readonly id: string; readonly skipped: string };

/**
 * The enabled detections as conditions for SQL. Custom detections and pattern overrides exist only
 * as filter-pattern text, so they are listed as skipped.
 */
export function sqlDetections(config: ParsedConfig): SqlDetection[] {
  // patternSet both: one query per control, from the intent detection (not its Security Hub copy)
  return planDetections(config.monitoring).detections.filter((d) => !d.securityHubCopy).map((d): SqlDetection => {
    if (!d.control || d.patternSource === 'override' || d.patternSource === 'custom') {
      return { id: d.id, skipped: `a ${d.patternSource === 'custom' ? 'custom' : 'pattern-override'} detection has no structured form to render as SQL` };
    }
    const ex = d.exclusions;
    const condition = detectionCondition(d.control.detection);
    const attack = d.control.attack ? ` [ATT&CK ${d.control.attack.techniques.join(', ')}]` : '';
    // A per-key detection: matches per period and key value, the counts its rule and alarm see.
    const perKey = d.contributorRule ? { fields: d.contributorRule.fields.map((f) => f.split('.') as unknown as FieldPath), period: d.alarm.period } : undefined;
    return { id: d.id, title: `${d.title}${attack}`, condition: ex ? all(condition, ex) : condition, alarm: alarmOf(d.alarm), ...(perKey ? { perKey } : {}) };
  });
}

/** One query per enabled catalog control, exclusions included; the others are listed as skipped. */
export function backtestSql(config: ParsedConfig, dialect: SqlDialect, options: { table?: string; since?: string } = {}): string {
  const parts = sqlDetections(config).map((d) =>
    'skipped' in d
      ? `-- ${d.id}: skipped (${d.skipped})`
      : renderSqlQuery(d.condition, dialect, { ...options, title: `${d.id}: ${d.title}`, ...(d.perKey ? { perKey: d.perKey } : {}) }),
  );
  return parts.join('\n\n') + '\n';
}
