/**
 * Sigma field names -> CloudTrail field paths, and the case strategy.
 *
 * Sigma's CloudTrail taxonomy uses the record's own JSON keys joined with dots
 * (`userIdentity.sessionContext.sessionIssuer.type`, `requestParameters.attribute`), so a field name
 * maps to its path one segment per dot. The first segment must be a CloudTrail record field.
 *
 * Case: Sigma compares strings case-insensitively; CloudWatch filter patterns ("Filter patterns are
 * case sensitive", FilterAndPatternSyntax) and EventBridge patterns (except `equals-ignore-case`)
 * compare exactly. trailwatch renders every target with the same exact comparison, so the three
 * agree (the parity tests), and narrows the gap where AWS fixes the spelling:
 * - `eventSource` values are lower-cased: every AWS service endpoint is spelled in lower case.
 * - `eventName` values start upper-case: API action names are PascalCase (`list*` -> `List*`).
 * - Fields whose values AWS spells one way (enumerations such as `userIdentity.type`, `eventType`,
 *   `errorCode`) are taken as written.
 * - `additionalEventData.MFAUsed` is written both `Yes` and `YES` by AWS (its own root sign-in
 *   example): both spellings are matched.
 * - Any other field (user agents, messages, names) is compared as written and the conversion warns:
 *   a record spelled differently is missed. Sigma's `|cased` modifier asks for exactly this and
 *   silences the warning.
 */
import type { FieldPath } from '../catalog';
import { CLOUDTRAIL_TOP_LEVEL_FIELDS } from '../filter-pattern/lint-rules/unknown-cloudtrail-field';

/**
 * Fields that hold objects (or arrays) in CloudTrail records. Sigma backends search such a field's
 * text; a CloudWatch selector on an object never matches and EventBridge compares leaves only, so
 * a value or presence test on the whole object cannot be expressed.
 */
const OBJECT_FIELDS = new Set([
  'userIdentity',
  'userIdentity.sessionContext',
  'userIdentity.sessionContext.sessionIssuer',
  'userIdentity.sessionContext.attributes',
  'userIdentity.sessionContext.webIdFederationData',
  'requestParameters',
  'responseElements',
  'additionalEventData',
  'serviceEventDetails',
  'tlsDetails',
  'insightDetails',
  'edgeDeviceDetails',
]);

/**
 * Fields that hold lists in CloudTrail records. A CloudWatch selector on a list never matches
 * (only `$.f[0]` elements compare, FilterAndPatternSyntax) while EventBridge matches a list when any
 * element does, so a test of one would mean different things in the two targets: refused.
 * - `resources`: "CloudTrail record contents".
 * - `requestParameters.containerDefinitions`: ECS RegisterTaskDefinition, "Type: Array of
 *   ContainerDefinition objects" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
 * - `requestParameters.layers`: Lambda UpdateFunctionConfiguration / CreateFunction `Layers`, "Type:
 *   Array of strings" (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html).
 */
const LIST_FIELDS = new Set(['resources', 'requestParameters.containerDefinitions', 'requestParameters.layers']);

/**
 * Fields present in every CloudTrail record (CloudTrail User Guide, "CloudTrail record contents":
 * not optional). Negating a test of any other field must also accept records without it, since
 * Sigma's `not` holds there (the catalog's negated ops skip absent fields).
 */
export const ALWAYS_PRESENT_FIELDS: ReadonlySet<string> = new Set(['eventVersion', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'eventID', 'sourceIPAddress']);

/** Fields whose values AWS spells exactly one way: compared as written without a warning. */
const ONE_SPELLING = new Set([
  'eventType',
  'eventCategory',
  'errorCode',
  'awsRegion',
  'readOnly',
  'managementEvent',
  'recipientAccountId',
  'sourceIPAddress',
  'userIdentity.type',
  'userIdentity.accountId',
  'userIdentity.arn',
  'userIdentity.invokedBy',
  'userIdentity.sessionContext.sessionIssuer.type',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'responseElements.ConsoleLogin',
]);

export type FieldProblem = string;

/** The CloudTrail path of a Sigma field name, or the reason it has none. */
export function fieldPath(name: string): FieldPath | FieldProblem {
  const parts = name.split('.');
  if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return 'each part of a field name must be letters, digits and _ (a CloudWatch selector cannot name it otherwise)';
  if (!CLOUDTRAIL_TOP_LEVEL_FIELDS.has(parts[0])) return `${parts[0]} is not a field of CloudTrail records (CloudTrail User Guide, "CloudTrail record contents"); the rule would match nothing`;
  const list = parts.map((_, i) => parts.slice(0, i + 1).join('.')).find((p) => LIST_FIELDS.has(p));
  if (list !== undefined) {
    return `${list} is a list in CloudTrail records: a CloudWatch selector never matches a list while EventBridge matches any of its elements, so the targets would disagree`;
  }
  if (OBJECT_FIELDS.has(name)) {
    return `${name} is an object in CloudTrail records; a Sigma backend searches its text, but CloudWatch selectors and EventBridge patterns only compare values: test a field inside it (e.g. ${name}.someKey)`;
  }
  return parts as unknown as FieldPath;
}

/** How a literal value of this field is spelled for exact comparison, and whether to warn. */
export function canonicalValues(field: string, literal: string, atStart: boolean, cased: boolean): { values: string[]; caseWarning: boolean } {
  if (field === 'eventSource') return { values: [literal.toLowerCase()], caseWarning: false };
  if (field === 'eventName') return { values: [atStart ? literal.charAt(0).toUpperCase() + literal.slice(1) : literal], caseWarning: false };
  if (field === 'additionalEventData.MFAUsed' && /^(yes|no)$/i.test(literal)) {
    const v = literal.toLowerCase() === 'yes' ? 'Yes' : 'No';
    return { values: [v, v.toUpperCase()], caseWarning: false };
  }
  return { values: [literal], caseWarning: !cased && !ONE_SPELLING.has(field) && /[A-Za-z]/.test(literal) };
}

export function isAlwaysPresent(field: FieldPath): boolean {
  return ALWAYS_PRESENT_FIELDS.has(field.join('.'));
}
