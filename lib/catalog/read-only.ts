/**
 * Whether a detection can match a read-only management call that EventBridge withholds from
 * rules in the plain `ENABLED` state.
 *
 * Sources:
 * - EventBridge User Guide, "Receiving read-only management events from AWS services"
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html):
 *   `ENABLED` matches every event "except for read-only AWS management events delivered through
 *   CloudTrail"; `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` matches those too; read-only events
 *   whose names do not start with Describe, Get or List already reach `ENABLED` rules.
 * - CloudTrail User Guide, "CloudTrail integration with Amazon EventBridge": events of API actions
 *   that start with List, Get or Describe are not processed by EventBridge (for `ENABLED` rules),
 *   except STS GetFederationToken and GetSessionToken.
 *
 * The answer over-approximates: a condition this cannot rule out counts as able to match (the cost
 * of a wider state is evaluating more events; the cost of a narrower one is a silent miss).
 */
import { isAll, isMatch, normalize } from './condition';
import type { Condition, Match } from './types';

/** Name prefixes of the read-only calls an `ENABLED` rule never sees. */
export const WITHHELD_READ_ONLY_PREFIXES: readonly string[] = ['Describe', 'Get', 'List'];

/** Change events despite their names (CloudTrail User Guide): `ENABLED` rules receive them. */
export const DELIVERED_DESPITE_NAME: readonly string[] = ['GetFederationToken', 'GetSessionToken'];

/** True when `eventName` is a call EventBridge withholds from `ENABLED` rules (by its name). */
export function isWithheldReadOnlyName(eventName: string): boolean {
  return WITHHELD_READ_ONLY_PREFIXES.some((p) => eventName.startsWith(p)) && !DELIVERED_DESPITE_NAME.includes(eventName);
}

/** True unless the condition provably restricts eventName to calls an `ENABLED` rule receives. */
export function canMatchWithheldReadOnlyCall(condition: Condition): boolean {
  return walk(normalize(condition));
}

function walk(c: Condition): boolean {
  if (isMatch(c)) return c.field.length === 1 && c.field[0] === 'eventName' ? eventNameAllows(c) : true;
  if (isAll(c)) return c.all.every(walk);
  return (c as { any: readonly Condition[] }).any.some(walk);
}

/** Could a test of eventName hold for some Describe*, Get* or List* name? */
function eventNameAllows(m: Match): boolean {
  switch (m.op) {
    case 'equals':
      return m.values.some(isWithheldReadOnlyName);
    case 'prefix':
      // "De" can begin "Describe..."; "GetObject" begins with "Get".
      return m.values.some((v) => WITHHELD_READ_ONLY_PREFIXES.some((p) => v.startsWith(p) || p.startsWith(v)));
    case 'wildcard':
      return m.values.some((v) => {
        const head = v.split('*')[0];
        if (!v.includes('*')) return isWithheldReadOnlyName(v);
        return WITHHELD_READ_ONLY_PREFIXES.some((p) => head.startsWith(p) || p.startsWith(head));
      });
    case 'notExists':
      return false;
    default:
      // suffix, exclusions and exists leave Describe*/Get*/List* names possible.
      return true;
  }
}

/** The EventBridge rule state a detection needs: the wider one only where it can match a withheld read-only call. */
export function ruleStateFor(condition: Condition): 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' {
  return canMatchWithheldReadOnlyCall(condition) ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED';
}
