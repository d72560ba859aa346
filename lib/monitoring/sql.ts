/**
 * The enabled detections as SQL conditions, for engines built for terabytes (Athena's saved queries,
 * `backtest --engine athena`, DuckDB in tests): from the same detections plan the metric filters are
 * built from, so a query counts what the alarm would.
 */
import { all, detectionCondition, type Condition, type FieldPath } from '../catalog';
import type { AlarmComparison, AlarmPlan, MonitoringPlan } from './plan';

/** What an alarm needs to decide, per period: the backtest replays it and the SQL counts feed it. */
export interface AlarmSettings {
  /** Seconds per period. */
  readonly period: number;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly comparisonOperator: AlarmComparison | string;
}

export function alarmSettingsOf(a: AlarmPlan): AlarmSettings {
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
export function sqlDetections(plan: MonitoringPlan): SqlDetection[] {
  // patternSet both: one query per control, from the intent detection (not its Security Hub copy)
  return plan.detections.filter((d) => !d.securityHubCopy).map((d): SqlDetection => {
    if (!d.control || d.patternSource === 'override' || d.patternSource === 'custom') {
      return { id: d.id, skipped: `a ${d.patternSource === 'custom' ? 'custom' : 'pattern-override'} detection has no structured form to render as SQL` };
    }
    const ex = d.exclusions;
    const condition = detectionCondition(d.control.detection);
    const attack = d.control.attack ? ` [ATT&CK ${d.control.attack.techniques.join(', ')}]` : '';
    // A per-key detection: matches per period and key value, the counts its rule and alarm see.
    const perKey = d.contributorRule ? { fields: d.contributorRule.fields.map((f) => f.split('.') as unknown as FieldPath), period: d.alarm.period } : undefined;
    return { id: d.id, title: `${d.title}${attack}`, condition: ex ? all(condition, ex) : condition, alarm: alarmSettingsOf(d.alarm), ...(perKey ? { perKey } : {}) };
  });
}
