/**
 * The checks that need the whole config (the schema sees one value at a time), over the Plan the
 * loader made: each concern's own checks (they live with the concern) and the few that cross
 * sections (here). Each returns problems with the path of the offending value; load.ts adds
 * line:column and throws once.
 */
import { alertingProblems } from '../alerting/schema';
import { organizationProblems } from '../core/organization';
import type { ConfigProblem } from '../core/problems';
import { estimateProblems } from '../estimate/schema';
import { planDetections } from '../monitoring/plan';
import type { Plan } from '../plan/plan';
import { checkQuotas, type QuotaReport } from '../quotas/check';
import { rolloutProblems, rolloutWarnings } from '../rollout/check';
import { blindDetections, objectLockDelivery, trailProblems } from '../trail/check';
import type { ParsedConfig, ParsedSections } from './schema';

type Check = (plan: Plan<ParsedConfig>, quotas: QuotaReport) => ConfigProblem[];

const CHECKS: readonly Check[] = [
  ({ config }) => organizationProblems(config),
  ({ config }) => trailProblems(config),
  ({ config, detections }) => [...detections.problems, ...alertingProblems(config.alerting)],
  ({ eventbridge }) => [...eventbridge.problems],
  ({ config }) => rolloutProblems(config),
  ({ config }) => estimateProblems(config),
  // AWS limits the planned deployment would pass (lib/quotas): hard limits are errors, default quotas warnings.
  (_, quotas) => [...quotas.problems],
];

/** Every problem (refused) and warning (printed) of a planned config; the quotas are counted once for both. */
export function semanticChecks(plan: Plan<ParsedConfig>): { problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const quotas = checkQuotas(plan);
  return { problems: CHECKS.flatMap((check) => check(plan, quotas)), warnings: WARNINGS.flatMap((check) => check(plan, quotas)) };
}

/** The checks that need only monitoring and alerting: run when organization or accounts are invalid. */
export function sectionProblems(s: ParsedSections): ConfigProblem[] {
  return [...planDetections(s.monitoring).problems, ...alertingProblems(s.alerting)];
}

/** Settings that a switch elsewhere turns off: accepted, but they do nothing. */
const ignoredSettings: Check = ({ config: c }) => {
  const out: ConfigProblem[] = [];
  if (c.eventbridge?.enabled === false && c.eventbridge.responder?.enabled === true) {
    out.push({
      path: ['eventbridge', 'responder', 'enabled'],
      message: 'the responder is not deployed because eventbridge.enabled is false (it runs on the Insights rules of EventBridge); set eventbridge.enabled: true, or remove the responder',
    });
  }
  if (c.monitoring?.enabled === false) {
    for (const key of ['controls', 'custom', 'alarmDefaults'] as const) {
      if (c.monitoring[key] !== undefined) {
        out.push({ path: ['monitoring', key], message: `has no effect with monitoring.enabled: false (no metric filters or alarms are deployed); set monitoring.enabled: true, or remove monitoring.${key}` });
      }
    }
  }
  return out;
};

/** Settings that are allowed but probably unintended: printed by the CLI, never fatal. */
const WARNINGS: readonly Check[] = [
  ({ detections }) => [...detections.warnings],
  ({ eventbridge }) => [...eventbridge.warnings],
  rolloutWarnings,
  ({ config, detections }) => blindDetections(config, detections),
  ignoredSettings,
  (_, quotas) => [...quotas.warnings],
  ({ config }) => objectLockDelivery(config),
];
