/**
 * A converted rule in each target's language, through the catalog's renderers (so a Sigma
 * detection means exactly what a catalog control with the same condition means).
 */
import { detectionCondition, renderCloudWatchPattern, ruleStateFor } from '../catalog';
import { alarmCountsEvents, eventBridgePatternFor, type EventBridgePattern } from '../catalog/render/eventbridge';
import { renderSqlQuery, sqlQueryFor } from '../catalog/render/sql';
import type { FieldPath } from '../catalog';
import { lintFilterPattern } from '../filter-pattern';
import { contributorFilters, contributorSelector, type ContributorFilter } from '../filter-pattern/contributor-insights';
import { isAlwaysPresent } from './fields';
import type { SigmaConversion } from './convert';
import { SigmaError } from './yaml';

export const SIGMA_TARGETS = ['cloudwatch', 'eventbridge', 'sql'] as const;
export type SigmaTarget = (typeof SIGMA_TARGETS)[number];

export type Rendered =
  /** `contributorInsights`: a count per value (`| count() by`, group-by): the rule's keys and filters, counting what the pattern matches. */
  | { target: 'cloudwatch'; pattern: string; contributorInsights?: { keys: string[]; filters: readonly ContributorFilter[] } }
  /** `state`: the rule state that lets the rule see the events it needs (read-only Describe/Get/List calls need the second). */
  | { target: 'eventbridge'; pattern: EventBridgePattern; state: 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }
  | { target: 'sql'; query: string };

/** Renders one target; a target that cannot express the detection is a SigmaError at the rule. */
export function renderSigma(c: SigmaConversion, target: SigmaTarget): Rendered {
  try {
    switch (target) {
      case 'cloudwatch': {
        const pattern = renderCloudWatchPattern(detectionCondition(c.control.detection));
        // What PutMetricFilter would refuse (over 1,024 characters, more than 2 regexes) is refused here.
        const error = lintFilterPattern(pattern).find((f) => f.severity === 'error' && !f.acknowledgeable);
        if (error) throw new Error(`the CloudWatch filter pattern is refused (${error.rule}): ${error.message}`);
        const per = c.control.alarm?.per;
        if (per === undefined) return { target, pattern };
        const converted = contributorFilters(pattern, per, (x) => isAlwaysPresent(x.split('.') as unknown as FieldPath));
        if (!converted.ok) throw new Error(`a count per ${per.join(' + ')}: ${converted.reason}`);
        return { target, pattern, contributorInsights: { keys: per.map(contributorSelector), filters: converted.filters } };
      }
      case 'eventbridge': {
        // A count rule (`| count() > N`, event_count) would page on every single event as a rule.
        const counts = alarmCountsEvents(c.control.alarm);
        if (counts) throw new Error(`a count rule: ${counts}; deploy it as a metric filter (CloudWatch target, monitoring.sigma)`);
        return {
          target,
          pattern: eventBridgePatternFor(c.control),
          state: ruleStateFor(detectionCondition(c.control.detection)),
        };
      }
      case 'sql': {
        // A count per value: matches per period and key value, what its Contributor Insights rule counts.
        const a = c.control.alarm;
        if (a?.per === undefined) return { target, query: sqlQueryFor(c.control, 'athena') };
        const perKey = { fields: a.per.map((x) => x.split('.') as unknown as FieldPath), period: a.period ?? 300 };
        return { target, query: renderSqlQuery(detectionCondition(c.control.detection), 'athena', { title: `${c.control.id}: ${c.control.title}`, perKey }) };
      }
    }
  } catch (e) {
    if (e instanceof SigmaError) throw e;
    throw new SigmaError(c.sigma.file, c.sigma.line, 1, `detection (as ${target})`, (e as Error).message);
  }
}
