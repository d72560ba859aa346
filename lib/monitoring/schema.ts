/**
 * `monitoring:` section of trailwatch.yaml: which detections of the catalog (lib/catalog) become
 * CloudWatch Logs metric filters and alarms. The schema checks each value; the detections plan
 * (./plan.ts) checks what needs the whole section (control ids, patterns, names) by planning the
 * detections exactly as synth will, so a config that passes synthesizes.
 */
import { z } from 'zod';
import { CONTROL_IDS, THREAT_IDS } from '../catalog';
import { CONTRIBUTOR_FILTERS_MAX, CONTRIBUTOR_KEYS_MAX } from '../filter-pattern/contributor-insights';

const describeValue = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : String(v));

/** Characters a value may not hold: it is quoted inside a filter pattern, which has no escapes. */
const UNQUOTABLE = /["\\\u0000-\u001f]/;

const patternString = (what: string) =>
  z
    .string({ error: (iss) => `expected ${what} as a string, got ${describeValue(iss.input)}` })
    .min(1, { error: `expected ${what}, got an empty string` });

const ExclusionValues = (what: string, re: RegExp, hint: string) =>
  z
    .array(
      patternString(what)
        .max(1024)
        .refine((v) => !UNQUOTABLE.test(v), { error: `must not contain a double quote, backslash or control character (filter patterns cannot escape them)` })
        .refine((v) => re.test(v), { error: (iss) => `expected ${hint}, got ${describeValue(iss.input)}` }),
    )
    .min(1, { error: 'expected at least one value (or remove the key)' });

export const ExcludeSchema = z
  .strictObject({
    identities: ExclusionValues('an identity ARN', /^arn:aws:(iam|sts)::(\d{12}|\*):\S+$/, 'an IAM or STS ARN such as arn:aws:sts::123456789012:assumed-role/ReadOnly/* (* is a wildcard)')
      .optional()
      .meta({
        description:
          'Principals (userIdentity.arn) whose events never fire this detection; `*` is a wildcard, e.g. `arn:aws:sts::*:assumed-role/AWSReservedSSO_ReadOnly_*/*`. Like CloudWatch `!=`, it also leaves out records without a userIdentity.arn (AWS services, some cross-account callers).',
      }),
    eventNames: ExclusionValues('an event name', /^[A-Za-z0-9*]{1,128}$/, 'an API name such as DescribeInstances (* is a wildcard)')
      .optional()
      .meta({ description: 'eventName values that never fire this detection.' }),
    sourceIps: ExclusionValues('a source IP', /^[A-Za-z0-9.:*_-]{1,253}$/, 'an IP address, an IP with * wildcards (10.0.*) or a service name (config.amazonaws.com)')
      .optional()
      .meta({ description: 'sourceIPAddress values (IPs, `*` wildcards, or AWS service names) that never fire this detection.' }),
    userAgents: ExclusionValues('a user agent', /\S/, 'a user agent string')
      .optional()
      .meta({ description: 'userAgent values that never fire this detection; `*` is a wildcard.' }),
  })
  .meta({
    description:
      'Known-noisy sources to exclude, each rendered as an extra `&& ((field NOT EXISTS) || (field != "value"))` clause (a record without the field is not excluded; fields every record has, eventName and sourceIPAddress, need no guard). With `patternSet: securityhub` an exclusion changes the exact string Security Hub checks (trailwatch warns).',
  });

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export const COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
export const MISSING_DATA = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: (iss) => `unknown ${what} ${describeValue(iss.input)}; expected one of ${values.join(', ')}` });

const positiveInt = (what: string) =>
  z
    .number({ error: (iss) => `expected ${what} as a number, got ${describeValue(iss.input)}` })
    .int({ error: `expected a whole number of ${what}` })
    .min(1, { error: `expected at least 1 ${what}` });

/** Alarm arguments shared by the defaults and every per-control override. */
const alarmShape = {
  statistic: enumOf(STATISTICS, 'statistic').optional().meta({ description: 'Statistic over each period (metric-filter alarms; refused on a detection with per, whose alarm watches its top contributor). @default Sum' }),
  period: z
    .number({ error: (iss) => `expected a period in seconds, got ${describeValue(iss.input)}` })
    .int({ error: (iss) => `expected a whole number of seconds, got ${describeValue(iss.input)}`, abort: true })
    // abort: a period under 60 gets this one message, not also "a multiple of 60".
    .min(60, { error: 'expected at least 60 seconds: metric filter metrics have 1-minute resolution', abort: true })
    .max(86400, { error: 'expected at most 86400 seconds (one day)' })
    .refine((p) => p % 60 === 0, { error: (iss) => `expected a multiple of 60 seconds, got ${describeValue(iss.input)}` })
    .optional()
    .meta({ description: 'Length of one evaluation period in seconds (a multiple of 60). @default 300' }),
  threshold: z
    .number({ error: (iss) => `expected a number, got ${describeValue(iss.input)}` })
    .refine(Number.isFinite, { error: 'expected a finite number' })
    .optional()
    .meta({ description: 'Value compared with the statistic. Above 1 the alarm counts events, so the detection gets no EventBridge rule (a rule acts on every single event; trailwatch warns). @default 1' }),
  comparisonOperator: enumOf(COMPARISONS, 'comparison operator').optional().meta({ description: 'How the statistic is compared with the threshold. @default GreaterThanOrEqualToThreshold' }),
  evaluationPeriods: positiveInt('evaluation periods').optional().meta({ description: 'Periods evaluated. @default 1' }),
  datapointsToAlarm: positiveInt('datapoints').optional().meta({ description: 'Breaching periods (of evaluationPeriods) that raise the alarm. Above 1 the alarm counts, so the detection gets no EventBridge rule (trailwatch warns). @default evaluationPeriods' }),
  treatMissingData: enumOf(MISSING_DATA, 'treatMissingData').optional().meta({ description: 'How periods without data count. @default notBreaching' }),
  actionsEnabled: z.boolean().optional().meta({ description: 'false: the alarm changes state but notifies no one. @default true' }),
};

export const AlarmDefaultsSchema = z.strictObject(alarmShape).meta({ description: 'Alarm arguments for every detection (each control can override them).' });

/** A CloudTrail field path as Contributor Insights reads it (`$.` + dotted JSON keys). */
const PerField = z
  .string({ error: (iss) => `expected a field path such as userIdentity.arn, got ${describeValue(iss.input)}` })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, { error: (iss) => `expected a field path of dotted JSON keys such as userIdentity.arn, got ${describeValue(iss.input)}` });

export const PerSchema = z
  .union([PerField, z.array(PerField)])
  .refine((v) => typeof v === 'string' || v.length <= CONTRIBUTOR_KEYS_MAX, { error: (iss) => `expected at most ${CONTRIBUTOR_KEYS_MAX} fields, got ${(iss.input as unknown[]).length}: a Contributor Insights rule groups by up to ${CONTRIBUTOR_KEYS_MAX} keys` })
  .meta({
    description: `Count per value of this CloudTrail field (or of up to ${CONTRIBUTOR_KEYS_MAX} fields together), e.g. userIdentity.arn: the detection becomes a CloudWatch Contributor Insights rule on the trail's log group and the alarm watches its largest contributor (INSIGHT_RULE_METRIC MaxContributorValue), so threshold is matches per period by one principal, not by the whole organization. A counting detection: no EventBridge rule. "per: []" counts all matching events together again (for a catalog detection that counts per principal). Refused (with the reason) when the pattern cannot be written as Contributor Insights filters (an AND of at most ${CONTRIBUTOR_FILTERS_MAX} tests: In, NotIn, StartsWith, GreaterThan, LessThan, EqualTo, NotEqualTo, IsPresent). Billed per rule and per matched event (see README, Per-key counting). @default none: one count for all matching events`,
  });

export const AlarmSettingsSchema = z
  .strictObject({
    ...alarmShape,
    name: z
      .string()
      .regex(/^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$/, { error: (iss) => `expected an alarm name of 1-255 printable ASCII characters, got ${describeValue(iss.input)}` })
      .optional()
      .meta({ description: 'Alarm name. @default trailwatch-<id>' }),
    description: z.string().max(1024).optional().meta({ description: 'Alarm description. @default the control title, CIS numbers and rationale' }),
    per: PerSchema.optional(),
  })
  .meta({ description: 'Alarm arguments of this detection; unset keys come from monitoring.alarmDefaults.' });

const MetricNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._\-/#]{1,255}$/, { error: (iss) => `expected a metric name of 1-255 letters, digits and ._-/#, got ${describeValue(iss.input)}` });

export const ControlSettingsSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({ description: 'false: no metric filter and no alarm for this control. @default true' }),
    pattern: patternString('a CloudWatch filter pattern')
      .optional()
      .meta({ description: 'Replaces the pattern of the pattern set for this control (linted: must parse, no ambiguous && / || mixing).' }),
    exclude: ExcludeSchema.optional(),
    metricName: MetricNameSchema.optional().meta({ description: "Metric the filter publishes; the alarm reads the filter's own value. @default the catalog's name, e.g. RootAccountUsage" }),
    alarm: AlarmSettingsSchema.optional(),
  })
  .meta({ description: 'Overrides for one catalog control.' });

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const AttackSchema = z
  .strictObject({
    tactics: z
      .array(z.string().regex(/^TA\d{4}$/, { error: (iss) => `expected an ATT&CK tactic id such as TA0005, got ${describeValue(iss.input)}` }))
      .min(1)
      .meta({ description: 'ATT&CK tactic ids, e.g. [TA0005].' }),
    techniques: z
      .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, { error: (iss) => `expected an ATT&CK technique id such as T1562.008, got ${describeValue(iss.input)}` }))
      .min(1)
      .meta({ description: 'ATT&CK technique or sub-technique ids, e.g. [T1562.008].' }),
  })
  .meta({ description: 'MITRE ATT&CK tags: the detection then appears in `trailwatch coverage` and the backtest report.' });

const SampleRecordSchema = z.record(z.string(), z.unknown(), { error: 'expected a CloudTrail record (a mapping of its fields, e.g. eventSource, eventName)' });

export const SamplesSchema = z
  .strictObject({
    fires: z.array(SampleRecordSchema).optional().meta({ description: 'CloudTrail records the pattern must match.' }),
    quiet: z.array(SampleRecordSchema).optional().meta({ description: 'CloudTrail records the pattern must not match (near-misses).' }),
  })
  .meta({ description: 'Labelled CloudTrail records; `trailwatch lint` runs them through the final pattern (exclusions included) and fails on any mismatch.' });

export const CustomDetectionSchema = z
  .strictObject({
    id: z
      .string({ error: (iss) => (iss.input === undefined ? 'required: an id such as console-login-outside-vpn' : `expected an id, got ${describeValue(iss.input)}`) })
      .regex(/^[a-z][a-z0-9-]{1,62}[a-z0-9]$/, { error: (iss) => `expected an id of lower-case letters, digits and hyphens (3-64, starting with a letter), got ${describeValue(iss.input)}` })
      .meta({ description: 'Stable id: names the filter, the alarm and the construct. Changing it replaces them.' }),
    title: z.string().min(1).max(200).meta({ description: 'What the detection catches, in one line (alarm description).' }),
    pattern: patternString('a CloudWatch filter pattern').meta({ description: 'CloudWatch Logs filter pattern (linted like overrides).' }),
    severity: enumOf(SEVERITIES, 'severity').optional().meta({ description: '@default medium' }),
    enabled: z.boolean().optional().meta({ description: '@default true' }),
    exclude: ExcludeSchema.optional(),
    metricName: MetricNameSchema.optional().meta({ description: 'Metric the filter publishes. @default the id in PascalCase' }),
    alarm: AlarmSettingsSchema.optional(),
    attack: AttackSchema.optional(),
    samples: SamplesSchema.optional(),
  })
  .meta({ description: 'A detection of your own: a filter pattern with its alarm.' });

export const ThreatsSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({ description: 'false: no threat detection at all (same as leaving out `threats`). @default true' }),
    eventbridge: z
      .boolean()
      .optional()
      .meta({
        description:
          'Also run every enabled threat detection as an EventBridge rule in every account and governed region (like the CIS controls). Off by default: that multiplies rules by accounts x regions, while the metric filters on the trail\'s log group already see the whole organization. @default false',
      }),
    detections: z
      .record(z.string(), ControlSettingsSchema)
      .optional()
      .meta({ description: `Per-detection overrides (enabled, exclude, alarm threshold/period, ...), keyed by threat id: ${THREAT_IDS.join(', ')}.` }),
  })
  .meta({
    description:
      "The threat catalog (lib/catalog/threats): attack techniques beyond CIS (ATT&CK-tagged), as metric filters and alarms on the trail's log group. A config without this key gets none of them.",
  });

export const MonitoringSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({ description: 'false: no metric filters, alarms or alert topic. @default true' }),
    patternSet: enumOf(['cis', 'securityhub', 'both'] as const, 'pattern set')
      .optional()
      .meta({
        description:
          'cis: each control as the benchmark means it, with explicit parentheses. securityhub: the exact strings Security Hub CloudWatch.1-14 require (weaker in places). both: the cis patterns and, beside each, a second filter and alarm `<id>-securityhub` with Security Hub\'s exact string (no exclusions) whose metric is in `<namespace>/SecurityHub`. @default cis',
      }),
    namespace: z
      .string()
      .regex(/^[A-Za-z0-9._\-/#: ]{1,255}$/, { error: (iss) => `expected a metric namespace of 1-255 letters, digits and ._-/#: and spaces, got ${describeValue(iss.input)}` })
      .refine((n) => !n.startsWith('AWS/'), { error: 'namespaces starting with AWS/ are reserved for AWS services' })
      .optional()
      .meta({ description: 'CloudWatch metric namespace of every filter. @default CISBenchmark' }),
    alarmDefaults: AlarmDefaultsSchema.optional(),
    controls: z
      .record(z.string(), ControlSettingsSchema)
      .optional()
      .meta({ description: `Per-control overrides, keyed by control id: ${CONTROL_IDS.join(', ')}.` }),
    threats: ThreatsSchema.optional(),
    sigma: z
      .array(z.string().min(1, { error: 'expected a file or folder path, got an empty string' }))
      .optional()
      .meta({
        description:
          'Sigma rules for CloudTrail (logsource product: aws, service: cloudtrail) to deploy as metric filters and alarms: files, or folders whose .yml / .yaml files are read, relative to this config file. Every rule must convert exactly (`trailwatch sigma convert` shows how); one that cannot is a config error naming its file:line. Each becomes detection `sigma-<rule id>` (kind sigma; count rules alarm at their threshold over their timeframe); no EventBridge rules. @default none',
      }),
    custom: z
      .array(CustomDetectionSchema)
      .optional()
      .meta({
        description:
          "Detections of your own: each a metric filter and alarm on the trail's log group, like the catalog controls, but with no EventBridge rule (a filter pattern has no EventBridge form). Each prints a warning saying so; list its path (`monitoring.custom[0]`) under `acknowledge` to silence it.",
      }),
  })
  .meta({ description: 'CIS monitoring controls: one CloudWatch Logs metric filter and one alarm per enabled detection, on the trail\'s log group.' });

export type MonitoringConfig = z.output<typeof MonitoringSchema>;
export type ExcludeConfig = z.output<typeof ExcludeSchema>;
export type AlarmSettingsConfig = z.output<typeof AlarmSettingsSchema>;
export type ThreatsConfig = z.output<typeof ThreatsSchema>;
export type ControlSettingsConfig = z.output<typeof ControlSettingsSchema>;
