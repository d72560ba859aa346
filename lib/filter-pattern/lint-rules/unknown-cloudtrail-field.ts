import { columnOf } from '../ast';
import type { LintFinding, LintRule } from './types';
import { jsonNodes } from './walk';

/**
 * Top-level fields of a CloudTrail record ("CloudTrail record contents for management, data, and
 * network activity events", plus `insightDetails` of Insights events). `eventContext` is listed for
 * enriched events. Note the records spell `recipientAccountId` although an old doc heading says `ID`.
 */
export const CLOUDTRAIL_TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set([
  'eventVersion',
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestParameters',
  'responseElements',
  'additionalEventData',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'eventType',
  'apiVersion',
  'managementEvent',
  'recipientAccountId',
  'serviceEventDetails',
  'sharedEventID',
  'vpcEndpointId',
  'vpcEndpointAccountId',
  'eventCategory',
  'tlsDetails',
  'sessionCredentialFromConsole',
  'edgeDeviceDetails',
  'insightDetails',
  'addendum',
  'eventContext',
]);

/**
 * A selector whose first key CloudTrail never emits: the comparison can never be true (and `!=`
 * never either), so the alarm can never fire. An error, acknowledgeable per detection: a config can
 * accept it under `acknowledge:` when CloudTrail does write a field this list lacks.
 */
export const unknownCloudTrailField: LintRule = {
  id: 'unknown-cloudtrail-field',
  description: 'A field CloudTrail never writes: the comparison can never be true, so the alarm never fires.',
  check: ({ parsed }) => {
    if (!parsed.ok || parsed.ast.kind !== 'json') return [];
    const findings: LintFinding[] = [];
    for (const node of jsonNodes(parsed.ast.expr)) {
      if (node.type !== 'comparison' && node.type !== 'check') continue;
      const top = node.selector.path[0] as string;
      if (CLOUDTRAIL_TOP_LEVEL_FIELDS.has(top)) continue;
      const column = columnOf(node);
      const guess = closest(top);
      findings.push({
        severity: 'error',
        rule: 'unknown-cloudtrail-field',
        message: `${node.selector.text}${column ? ` at column ${column}` : ''}: ${unknownFieldMessage(top, guess)}`,
        column,
        acknowledgeable: true,
      });
    }
    return findings;
  },
};

function unknownFieldMessage(name: string, guess = closest(name)): string {
  return `"${name}" is not a top-level field of CloudTrail records${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

/** The top-level keys of a record that CloudTrail never writes, each with the message lint gives for it. */
export function unknownRecordFields(record: Readonly<Record<string, unknown>>): { field: string; message: string }[] {
  return Object.keys(record)
    .filter((k) => !CLOUDTRAIL_TOP_LEVEL_FIELDS.has(k))
    .map((field) => ({ field, message: unknownFieldMessage(field) }));
}

/** The known field within edit distance 2 (case-insensitive), if any. */
function closest(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const f of CLOUDTRAIL_TOP_LEVEL_FIELDS) {
    const d = distance(name.toLowerCase(), f.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [f, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
