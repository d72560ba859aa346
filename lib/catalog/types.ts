/**
 * The detection catalog's data model: a control is plain data, and what it detects is a small
 * condition tree over CloudTrail record fields. Renderers (render/cloudwatch.ts today; EventBridge
 * patterns and SQL later) turn the same tree into each target's language, so a control is written
 * once and means the same thing everywhere. See ./README.md for the form and its semantics.
 *
 * This folder knows nothing of cdktf or of trailwatch.yaml.
 */

/**
 * A field of a CloudTrail record, as the path of JSON keys from the record's root:
 * `['userIdentity', 'type']` is `$.userIdentity.type` in a CloudWatch filter pattern,
 * `detail.userIdentity.type` in an EventBridge pattern and `useridentity.type` in Athena.
 */
export type FieldPath = readonly [string, ...string[]];

/**
 * One test of one field. Value lists are alternatives: `equals` with `['A', 'B']` holds when the
 * field is A or B; `notEquals` with `['A', 'B']` holds when it is neither.
 *
 * - `equals` / `notEquals`: exact string comparison (values never contain `*`).
 * - `prefix` / `suffix`: the field starts / ends with one of the values.
 * - `wildcard` / `notWildcard`: `*` in a value stands for any run of characters (an ARN pattern
 *   such as `arn:aws:sts::*:assumed-role/ReadOnly/*`); a value without `*` matches exactly, so one
 *   list can mix both (EventBridge cannot combine `anything-but` lists of the two kinds).
 * - `exists` / `notExists`: the field is present / absent in the record.
 * - `regex` / `notRegex`: the field contains / is present and contains no match of one of the
 *   regular expressions (unanchored search; write `^...$` to anchor). Only the characters CloudWatch
 *   Logs regexes allow (letters, digits, `_ # = @ / ; , : -` and `^ $ ? [ ] { } | \ * + .`).
 *   EventBridge patterns have no regex: its renderer refuses these ops (Sigma `|re` rules).
 *
 * The negated forms (`notEquals`, `notWildcard`, `notRegex`) hold only when the field is present: that is what
 * CloudWatch `!=`, EventBridge `anything-but` and SQL `<>` all do, so every target agrees. Use them
 * on fields every record has (eventName, eventSource, sourceIPAddress, userAgent, eventType) or
 * accept that records without the field are left out.
 */
export type Match = ValueMatch | PresenceMatch | BooleanMatch;

export interface ValueMatch {
  readonly field: FieldPath;
  readonly op: 'equals' | 'notEquals' | 'prefix' | 'suffix' | 'wildcard' | 'notWildcard' | 'regex' | 'notRegex';
  readonly values: readonly string[];
}

/**
 * `hasItems`: the field is an array whose first item is a string or number (a list of ARNs, such
 * as Lambda `requestParameters.layers`). CloudWatch filter patterns never match an array itself
 * ("If a property selector points to an array or object, the metric filter won't match"), so
 * `exists` cannot see one there; this tests its first item (`$.f[0] = "*"`).
 */
export interface PresenceMatch {
  readonly field: FieldPath;
  readonly op: 'exists' | 'notExists' | 'hasItems';
}

/**
 * The field holds the JSON boolean `true` / `false` (CloudTrail writes some request and response
 * values as booleans, e.g. GuardDuty `UpdateDetector` `enable`, RDS `publiclyAccessible`). A string
 * "true" is a different value: CloudWatch answers booleans only to `IS TRUE` / `IS FALSE`,
 * EventBridge only to `true` / `false` in the pattern. Athena's `json_extract_scalar` gives
 * 'true' / 'false' for both kinds, so SQL cannot tell them apart (combine with `equals` to accept both).
 */
export interface BooleanMatch {
  readonly field: FieldPath;
  readonly op: 'isTrue' | 'isFalse';
}

export type MatchOp = Match['op'];

/** A condition tree: a field test, or every (`all`) / at least one (`any`) of its children. */
export type Condition = Match | { readonly all: readonly Condition[] } | { readonly any: readonly Condition[] };

/**
 * What a control detects. `eventSource` and `eventNames` are the common case, kept apart from the
 * rest so renderers can use them directly (an EventBridge rule's `source`, an Athena partition
 * filter); `where` holds every other condition. All three must hold.
 */
export interface Detection {
  /** CloudTrail `eventSource`, e.g. `iam.amazonaws.com`. @default any source */
  readonly eventSource?: string;
  /** CloudTrail `eventName`s, any of which matches. @default any event name */
  readonly eventNames?: readonly string[];
  /** Further conditions on the record. @default none */
  readonly where?: Condition;
}

/** Severity of a control's finding, for routing and alarm descriptions. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** EventBridge `detail-type` of the CloudTrail events a control needs. */
export type EventBridgeDetailType = 'AWS API Call via CloudTrail' | 'AWS Console Sign In via CloudTrail';

/**
 * Named pattern sets: `cis` renders the structured detection (the benchmark's intent, explicit
 * parentheses); `securityhub` emits, for the controls Security Hub grades, the exact string it
 * requires (and renders the others like `cis`).
 */
export const PATTERN_SETS = ['cis', 'securityhub'] as const;
export type PatternSet = (typeof PATTERN_SETS)[number];

/** CIS AWS Foundations Benchmark versions whose numbering the catalog records. */
export type CisVersion = 'v1.2.0' | 'v1.4.0' | 'v3.0.0' | 'v5.0.0';

/**
 * Where a detection comes from: the CIS benchmark's monitoring controls, trailwatch's threat
 * catalog (./threats), a converted Sigma rule, or a user's own detection in trailwatch.yaml.
 */
export const DETECTION_KINDS = ['cis', 'threat', 'sigma', 'custom'] as const;
export type DetectionKind = (typeof DETECTION_KINDS)[number];

/**
 * MITRE ATT&CK (Enterprise, cloud/IaaS matrix) ids: tactics `TA0005`, techniques `T1562` or
 * sub-techniques `T1562.008`. https://attack.mitre.org/matrices/enterprise/cloud/iaas/
 */
export interface AttackMapping {
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
}

/** Alarm arguments a detection ships with (volume detections: a threshold over a period). */
export interface AlarmDefaults {
  /** Matches per period that raise the alarm. @default 1 */
  readonly threshold?: number;
  /** Seconds per period (a multiple of 60). @default 300 */
  readonly period?: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /**
   * Count per value of these fields (dotted paths such as `userIdentity.arn`, up to 4): a
   * Contributor Insights rule, alarmed on its largest contributor, so `threshold` is what one
   * principal does per period. @default none: one count for all matching events
   */
  readonly per?: readonly string[];
}

/** A CloudTrail record as it appears in a log file's `Records` array (and in CloudWatch Logs). */
export type SampleRecord = Readonly<Record<string, unknown>>;

/** One labelled sample: a record, and why it must (or must not) fire. */
export interface Sample {
  readonly name: string;
  readonly record: SampleRecord;
  /** Why the label is what it is (near-misses especially). @default none */
  readonly why?: string;
}

/**
 * Positive and negative records written from AWS's documented event shapes: every renderer
 * (CloudWatch, EventBridge, SQL) must fire on each of `fires` and on none of `quiet`
 * (__tests__/catalog/samples.test.ts).
 */
export interface Samples {
  readonly fires: readonly Sample[];
  readonly quiet: readonly Sample[];
}

export interface Control {
  /** Stable id: config key, construct id and metric filter name derive from it. Never change it. */
  readonly id: string;
  /** One line, in the benchmark's words. */
  readonly title: string;
  /** Where the detection comes from. @default 'cis' */
  readonly kind?: DetectionKind;
  /** MITRE ATT&CK tactics and techniques it detects. @default none (untagged) */
  readonly attack?: AttackMapping;
  /** Legitimate activity that also matches, and how to exclude it. @default none listed */
  readonly falsePositives?: readonly string[];
  /** Alarm arguments the detection needs (config overrides them). @default the CIS alarm: >= 1 in 300 s */
  readonly alarm?: AlarmDefaults;
  /** Labelled records (see Samples). @default none (CIS controls: __tests__/fixtures/cloudtrail-events.ts) */
  readonly samples?: Samples;
  /** Control number per CIS benchmark version (absent where that version has no such control). */
  readonly cis: Readonly<Partial<Record<CisVersion, string>>>;
  /** Security Hub control that grades this detection, e.g. `CloudWatch.1`. @default none */
  readonly securityHubControl?: string;
  /** Why the control matters (CIS rationale, shortened). */
  readonly rationale: string;
  readonly severity: Severity;
  /** What the control detects, as data. */
  readonly detection: Detection;
  /**
   * Exact filter pattern strings, per pattern set, that must be emitted verbatim instead of the
   * rendered detection (Security Hub compares the string). @default none: always rendered
   */
  readonly exactPatterns?: Readonly<Partial<Record<PatternSet, string>>>;
  /**
   * The events come from a global service (IAM, Organizations, console sign-in): CloudTrail records
   * IAM and Organizations calls in us-east-1, so a regional detection (EventBridge) must live there.
   * Console sign-ins (see `detailTypes`) are recorded in more regions (lib/eventbridge/plan.ts).
   */
  readonly globalService: boolean;
  /**
   * EventBridge detail-types the control needs. Rules list the sign-in type in both spellings AWS
   * documents ("Sign In" and "Signin", lib/catalog/render/eventbridge.ts).
   */
  readonly detailTypes: readonly EventBridgeDetailType[];
  /** CloudWatch metric name the control's filter publishes. */
  readonly metricName: string;
}
