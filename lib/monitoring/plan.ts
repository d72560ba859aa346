/**
 * Plan: `monitoring:` config + catalog -> the list of detections a stack synthesizes, each with
 * its final filter pattern, metric and alarm arguments. Pure (no cdktf): the config validation runs
 * the same planning and reports its problems, so synth never meets a pattern it would refuse.
 */
import {
  all,
  andCloudWatchPattern,
  CATALOG,
  cloudWatchPatternFor,
  CONTROL_IDS,
  detectionCondition,
  notEquals,
  notWildcard,
  orAbsent,
  renderCloudWatchPattern,
  THREAT_CATALOG,
  THREAT_IDS,
  type Condition,
  type Control,
  type AttackMapping,
  type DetectionKind,
  type FieldPath,
  type PatternSet,
  type Severity,
} from '../catalog';
import type { ConfigProblem } from '../core/problems';
import { formatPath, type PathSegment } from '../text/config-path';
import { COMPARISONS, MISSING_DATA, STATISTICS, type AlarmSettingsConfig, type ControlSettingsConfig, type ExcludeConfig, type MonitoringConfig } from './schema';
import { compileFilterPattern, lintFilterPattern } from '../filter-pattern';
import { contributorFilters, contributorRuleBody, contributorSelector, CONTRIBUTOR_RULE_MAX_LENGTH, type ContributorFilter } from '../filter-pattern/contributor-insights';
import { unknownRecordFields } from '../filter-pattern/lint-rules/unknown-cloudtrail-field';
import { planSigma } from '../sigma/config';
import { isAlwaysPresent } from '../sigma/fields';
import { editDistance } from '../text/edit-distance';
import { NAME_PREFIX } from '../core/names';

export type AlarmStatistic = (typeof STATISTICS)[number];
export type AlarmComparison = (typeof COMPARISONS)[number];
export type TreatMissingData = (typeof MISSING_DATA)[number];

/** Alarm arguments after defaults, control and config overrides are merged. */
export interface AlarmPlan {
  readonly name: string;
  readonly description: string;
  readonly statistic: AlarmStatistic;
  readonly period: number;
  readonly threshold: number;
  readonly comparisonOperator: AlarmComparison;
  readonly evaluationPeriods: number;
  /** undefined: every evaluated period must breach (CloudWatch's default). */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: TreatMissingData;
  readonly actionsEnabled: boolean;
  /** Fields the alarm counts per (Contributor Insights keys, dotted paths). undefined: one count for all. */
  readonly per?: readonly string[];
}

/**
 * A per-key detection's CloudWatch Contributor Insights rule: the events the pattern matches,
 * counted per value of `keys`; the alarm watches the largest contributor.
 */
export interface ContributorRulePlan {
  /** Rule name (unique in the account and region), also the alarm's INSIGHT_RULE_METRIC argument. */
  readonly ruleName: string;
  /** `$.`-selectors, in order. */
  readonly keys: readonly string[];
  /** The dotted field paths the keys select. */
  readonly fields: readonly string[];
  readonly filters: readonly ContributorFilter[];
}

/** Where a detection's pattern came from. */
export type PatternSource = 'rendered' | 'exact' | 'override' | 'custom';

export interface DetectionPlan {
  /** Catalog control id or custom detection id; also the construct id. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** cis / threat (catalog) or custom (trailwatch.yaml). */
  readonly kind: DetectionKind;
  /** The catalog control, for catalog detections (CIS and threat). */
  readonly control?: Control;
  /** The config's exclusions as a condition (EventBridge and SQL add them to the detection). */
  readonly exclusions?: Condition;
  /** ATT&CK tags of a custom detection (catalog ones are on `control`). */
  readonly attack?: AttackMapping;
  /** Final CloudWatch filter pattern, exclusions included. */
  readonly pattern: string;
  readonly patternSource: PatternSource;
  /** Metric filter name (unique in the log group). */
  readonly filterName: string;
  readonly metricName: string;
  /** CloudWatch namespace of the filter's metric (monitoring.namespace; Security Hub copies: `<namespace>/SecurityHub`). */
  readonly namespace: string;
  /**
   * `patternSet: both`: the copy of a CIS control that carries Security Hub's exact string beside
   * the intent detection (`<id>-securityhub`). Metric filter and alarm only: the control's
   * EventBridge rule, coverage and SQL come from the intent detection.
   */
  readonly securityHubCopy?: boolean;
  readonly alarm: AlarmPlan;
  /** Per-key detections (`alarm.per`): the Contributor Insights rule that replaces the metric filter. */
  readonly contributorRule?: ContributorRulePlan;
}

/** `both`: the intent patterns (cis) and Security Hub's exact strings side by side. */
export type MonitoringPatternSet = PatternSet | 'both';

/** Suffix of the id (filter, alarm, construct) of a control's Security Hub copy under `patternSet: both`. */
export const SECURITY_HUB_SUFFIX = '-securityhub';

export interface MonitoringPlan {
  /** false: the stack gets no filters, alarms or alert topic. */
  readonly enabled: boolean;
  readonly patternSet: MonitoringPatternSet;
  readonly namespace: string;
  /** Enabled detections, catalog order first, then custom ones in config order. */
  readonly detections: readonly DetectionPlan[];
  /** Config mistakes (the loader reports them with line:column and writes nothing). */
  readonly problems: readonly ConfigProblem[];
  /** Allowed but probably unintended settings (printed, never fatal). */
  readonly warnings: readonly ConfigProblem[];
}

export const DEFAULT_NAMESPACE = 'CISBenchmark';
export { NAME_PREFIX } from '../core/names';

/** Alarm defaults: the CIS remediation's alarm (Sum over 5 minutes, >= 1, one period). */
export const DEFAULT_ALARM: Omit<AlarmPlan, 'name' | 'description'> = {
  statistic: 'Sum',
  period: 300,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  evaluationPeriods: 1,
  treatMissingData: 'notBreaching',
  actionsEnabled: true,
};

const ROOT: PathSegment[] = ['monitoring'];

/** Fields the `exclude` keys test. */
const EXCLUDE_FIELDS: Readonly<Record<keyof ExcludeConfig, FieldPath>> = {
  identities: ['userIdentity', 'arn'],
  eventNames: ['eventName'],
  sourceIps: ['sourceIPAddress'],
  userAgents: ['userAgent'],
};

/**
 * The detections of a `monitoring:` section. Planning lints every pattern and reads the Sigma
 * files: a command plans once (lib/plan) and every reader takes the result from its Plan.
 */
export function planDetections(monitoring: MonitoringConfig | undefined): MonitoringPlan {
  return planSection(monitoring ?? {});
}

function planSection(m: MonitoringConfig): MonitoringPlan {
  const both = m.patternSet === 'both';
  const patternSet: PatternSet = m.patternSet === 'securityhub' ? 'securityhub' : 'cis';
  const namespace = m.namespace ?? DEFAULT_NAMESPACE;
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const controls = ownEntries(m.controls);
  const detections: DetectionPlan[] = [];

  for (const [id] of controls) {
    if (!CONTROL_IDS.includes(id)) {
      problems.push({ path: [...ROOT, 'controls', id], message: `unknown control id ${JSON.stringify(id)}${didYouMean(id, CONTROL_IDS)} Valid ids: ${CONTROL_IDS.join(', ')}` });
    }
  }
  const settingsOf = new Map(controls);

  for (const control of CATALOG) {
    const settings = settingsOf.get(control.id);
    const path: PathSegment[] = [...ROOT, 'controls', control.id];
    const exact = control.exactPatterns?.[patternSet];
    let base: { pattern: string; source: PatternSource };
    if (settings?.pattern !== undefined) {
      base = { pattern: settings.pattern, source: 'override' };
      if (exact !== undefined && settings.pattern !== exact) {
        warnings.push({
          path: [...path, 'pattern'],
          message: `replaces the exact pattern Security Hub ${control.securityHubControl} requires, so that control will fail; remove the override to pass it`,
        });
      }
    } else {
      base = { pattern: cloudWatchPatternFor(control, patternSet), source: exact !== undefined ? 'exact' : 'rendered' };
    }
    if (settings?.exclude !== undefined && base.source === 'exact') {
      warnings.push({
        path: [...path, 'exclude'],
        message: `exclusions change the exact pattern Security Hub ${control.securityHubControl} requires, so that control will fail (the alarm still works)`,
      });
    }
    const detection = planCatalogEntry(control, 'cis', base, settings, path, m, problems, warnings);
    if (detection && settings?.enabled !== false) detections.push(detection);
    // patternSet both: Security Hub's exact string too, unchanged (no exclusions, no override), with
    // its own filter, alarm and metric namespace so the two never fire each other's alarm.
    const securityHub = control.exactPatterns?.securityhub;
    if (both && securityHub !== undefined && detection && settings?.enabled !== false) {
      const ownName = settings?.alarm?.name;
      const copy = planOne({
        id: `${control.id}${SECURITY_HUB_SUFFIX}`,
        title: `${control.title} (Security Hub ${control.securityHubControl})`,
        severity: control.severity,
        kind: 'cis',
        control,
        base: { pattern: securityHub, source: 'exact' },
        metricName: detection.metricName,
        catalogAlarm: control.alarm,
        alarm: settings?.alarm ? { ...settings.alarm, name: ownName === undefined ? undefined : `${ownName}${SECURITY_HUB_SUFFIX}` } : undefined,
        defaultDescription: `${describeControl(control)} Exact pattern of Security Hub ${control.securityHubControl} (patternSet: both).`,
        securityHubCopy: true,
        path,
        m,
        problems,
        warnings,
      });
      if (copy) detections.push({ ...copy, namespace: `${namespace}/SecurityHub`, securityHubCopy: true });
    }
  }

  // The threat catalog: only when the key is present (a config written before it existed keeps its alarms).
  const threats = m.threats;
  const threatSettings = ownEntries(threats?.detections);
  for (const [id] of threatSettings) {
    if (!THREAT_IDS.includes(id)) {
      problems.push({ path: [...ROOT, 'threats', 'detections', id], message: `unknown threat detection id ${JSON.stringify(id)}${didYouMean(id, THREAT_IDS)} Valid ids: ${THREAT_IDS.join(', ')}` });
    }
  }
  if (threats !== undefined && threats.enabled !== false) {
    const threatSettingsOf = new Map(threatSettings);
    for (const control of THREAT_CATALOG) {
      const settings: ControlSettingsConfig | undefined = threatSettingsOf.get(control.id);
      const path: PathSegment[] = [...ROOT, 'threats', 'detections', control.id];
      const base = settings?.pattern !== undefined ? { pattern: settings.pattern, source: 'override' as const } : { pattern: renderCloudWatchPattern(detectionCondition(control.detection)), source: 'rendered' as const };
      const detection = planCatalogEntry(control, 'threat', base, settings, path, m, problems, warnings);
      if (detection && settings?.enabled !== false) detections.push(detection);
    }
  }

  // --- Sigma rules (monitoring.sigma; converted by lib/sigma, which reports refusals with file:line) ---
  const sigma = planSigma(m.sigma);
  const sigmaPaths = new Map(sigma.rules.map((r) => [r.conversion.control.id, r.path]));
  problems.push(...sigma.problems);
  warnings.push(...sigma.warnings);
  for (const { conversion: s, path } of sigma.rules) {
    const structured = detectionCondition(s.control.detection);
    const detection = planOne({
      id: s.control.id,
      title: s.control.title,
      severity: s.control.severity,
      kind: 'sigma',
      control: s.control,
      base: { pattern: renderCloudWatchPattern(structured), source: 'rendered' },
      structured,
      metricName: s.control.metricName,
      catalogAlarm: s.control.alarm,
      // Title, rule id, author, ATT&CK ids, description and references (DRL 1.1 attribution).
      defaultDescription: s.description,
      path,
      m,
      problems,
      warnings,
    });
    if (detection) detections.push(detection);
  }
  // --- end of Sigma rules ---

  const customIds = new Map<string, number>();
  (m.custom ?? []).forEach((c, i) => {
    const path: PathSegment[] = [...ROOT, 'custom', i];
    if (CONTROL_IDS.includes(c.id)) {
      problems.push({ path: [...path, 'id'], message: `${JSON.stringify(c.id)} is a catalog control id; give the custom detection its own id (to change the control, use monitoring.controls.${c.id})` });
      return;
    }
    if (THREAT_IDS.includes(c.id)) {
      problems.push({ path: [...path, 'id'], message: `${JSON.stringify(c.id)} is a threat detection id; give the custom detection its own id (to change the threat detection, use monitoring.threats.detections.${c.id})` });
      return;
    }
    const first = customIds.get(c.id);
    if (first !== undefined) {
      problems.push({ path: [...path, 'id'], message: `${JSON.stringify(c.id)} is already the id of custom[${first}]; ids must be unique` });
      return;
    }
    customIds.set(c.id, i);
    const detection = planOne({
      id: c.id,
      title: c.title,
      severity: c.severity ?? 'medium',
      kind: 'custom',
      base: { pattern: c.pattern, source: 'custom' },
      exclude: c.exclude,
      metricName: c.metricName ?? pascalCase(c.id),
      alarm: c.alarm,
      defaultDescription: c.title,
      path,
      m,
      problems,
      warnings,
    });
    if (detection && c.samples) problems.push(...sampleProblems(detection.pattern, c.samples, path));
    if (detection && c.enabled !== false) detections.push(c.attack ? { ...detection, attack: c.attack } : detection);
  });

  // Report a clash where the file sets the name (alarm.name, or the id of a custom detection), never at a key the file does not hold.
  const alarmNamePath = (d: DetectionPlan, other: DetectionPlan): PathSegment[] => {
    const named = (x: DetectionPlan) =>
      (x.kind === 'cis' ? m.controls?.[x.id]?.alarm?.name : x.kind === 'threat' ? m.threats?.detections?.[x.id]?.alarm?.name : m.custom?.find((c) => c.id === x.id)?.alarm?.name) !== undefined;
    if (named(d)) return [...detectionPath(d, m, sigmaPaths), 'alarm', 'name'];
    if (named(other)) return [...detectionPath(other, m, sigmaPaths), 'alarm', 'name'];
    const own = d.control ? other : d;
    return own.control ? [...detectionPath(own, m, sigmaPaths)] : [...detectionPath(own, m, sigmaPaths), 'id'];
  };
  problems.push(...uniqueness(detections, (d) => d.alarm.name, 'alarm name', alarmNamePath));
  problems.push(
    ...uniqueness(detections, (d) => (d.securityHubCopy ? `${d.namespace}/${d.metricName}` : d.metricName), 'metric name', (d) => [...detectionPath(d, m, sigmaPaths), 'metricName'], ' (two filters publishing one metric would fire each other\'s alarm)'),
  );

  return {
    enabled: m.enabled !== false,
    patternSet: m.patternSet ?? 'cis',
    namespace,
    detections,
    problems,
    warnings,
  };
}

interface PlanOneInput {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly kind: DetectionKind;
  readonly control?: Control;
  readonly base: { readonly pattern: string; readonly source: PatternSource };
  /** The detection's own alarm arguments (threat catalog volume detections). */
  readonly catalogAlarm?: Control['alarm'];
  /** The structured detection, when the pattern is rendered from it (exclusions join the tree). */
  readonly structured?: Condition;
  readonly exclude?: ExcludeConfig;
  readonly metricName: string;
  readonly alarm?: AlarmSettingsConfig;
  readonly defaultDescription: string;
  readonly path: PathSegment[];
  readonly m: MonitoringConfig;
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];
  /** The Security Hub copy of a CIS control (`patternSet: both`): always a metric filter. */
  readonly securityHubCopy?: boolean;
}

/** planOne for a catalog entry (a CIS control or a threat detection) with its config settings. */
function planCatalogEntry(
  control: Control,
  kind: 'cis' | 'threat',
  base: PlanOneInput['base'],
  settings: ControlSettingsConfig | undefined,
  path: PathSegment[],
  m: MonitoringConfig,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): DetectionPlan | undefined {
  return planOne({
    id: control.id,
    title: control.title,
    severity: control.severity,
    kind,
    control,
    base,
    structured: base.source === 'rendered' ? detectionCondition(control.detection) : undefined,
    exclude: settings?.exclude,
    metricName: settings?.metricName ?? control.metricName,
    catalogAlarm: control.alarm,
    alarm: settings?.alarm,
    defaultDescription: describeControl(control),
    path,
    m,
    problems,
    warnings,
  });
}

function planOne(i: PlanOneInput): DetectionPlan | undefined {
  const { path, problems } = i;
  const written = i.base.source === 'override' || i.base.source === 'custom';

  // The pattern as written (override / custom) must lint clean before anything is added to it.
  if (written) {
    const bad = lint(i, i.base.pattern, [...path, 'pattern']);
    if (bad) {
      problems.push({ path: [...path, 'pattern'], message: bad });
      return undefined;
    }
  }

  let pattern = i.base.pattern;
  const exclusions = exclusionCondition(i.exclude);
  if (exclusions) {
    try {
      pattern = i.structured ? renderCloudWatchPattern(all(i.structured, exclusions)) : andCloudWatchPattern(i.base.pattern, exclusions);
    } catch (e) {
      problems.push({ path: [...path, 'exclude'], message: `cannot add the exclusions to the pattern of ${i.id}: ${(e as Error).message}` });
      return undefined;
    }
    const bad = lint(i, pattern, [...path, 'exclude']);
    if (bad) {
      problems.push({ path: [...path, 'exclude'], message: `with its exclusions, ${bad}` });
      return undefined;
    }
  } else if (!written) {
    // Catalog patterns are linted too: a catalog defect must fail here, not in CloudWatch.
    const bad = lint(i, pattern, path);
    if (bad) {
      problems.push({ path, message: `the catalog pattern is refused (a trailwatch defect; disable the control or override its pattern): ${bad}` });
      return undefined;
    }
  }

  // A catalog detection's own alarm (a volume threshold) is part of what it means: it beats the
  // section-wide alarmDefaults, and the detection's own config beats both.
  const merged = { ...DEFAULT_ALARM, ...definedOnly(i.m.alarmDefaults), ...definedOnly(i.catalogAlarm), ...definedOnly(i.alarm) };
  if (merged.datapointsToAlarm !== undefined && merged.datapointsToAlarm > merged.evaluationPeriods) {
    const where = i.alarm?.datapointsToAlarm !== undefined ? [...path, 'alarm', 'datapointsToAlarm'] : [...ROOT, 'alarmDefaults', 'datapointsToAlarm'];
    // At alarmDefaults the problem is the same for every detection: one message (load.ts drops repeats).
    const forWhom = where[1] === 'alarmDefaults' ? '' : ` for ${i.id}`;
    problems.push({ path: where, message: `datapointsToAlarm ${merged.datapointsToAlarm} is more than evaluationPeriods ${merged.evaluationPeriods}${forWhom}; lower it or raise evaluationPeriods` });
  }
  // PutMetricAlarm: period x evaluationPeriods is at most 7 days, and at most 1 day for periods under an hour.
  const range = merged.period * merged.evaluationPeriods;
  const limit = merged.period < 3600 ? 86400 : 604800;
  if (range > limit) {
    const from = (key: 'period' | 'evaluationPeriods') =>
      i.alarm?.[key] !== undefined ? [...path, 'alarm', key] : i.m.alarmDefaults?.[key] !== undefined ? [...ROOT, 'alarmDefaults', key] : undefined;
    const where = from('evaluationPeriods') ?? from('period') ?? path;
    problems.push({
      path: where,
      message:
        `period ${merged.period} s x evaluationPeriods ${merged.evaluationPeriods} = ${range} s${where[1] === 'alarmDefaults' ? '' : ` for ${i.id}`}; CloudWatch allows at most ${limit} s (${limit === 86400 ? '1 day for periods under an hour' : '7 days'}): ` +
        `lower evaluationPeriods to ${Math.floor(limit / merged.period)} or less${limit === 86400 ? ', or use a period of 3600 or more' : ''}`,
    });
  }
  const { name, description, per: perSetting, ...args } = merged as typeof merged & { name?: string; description?: string; per?: string | readonly string[] };
  // `per: []` in the config: one count for all, even where the catalog counts per principal.
  const per = perSetting === undefined || perSetting.length === 0 ? undefined : [perSetting].flat();
  let contributorRule: ContributorRulePlan | undefined;
  if (per !== undefined) {
    const where = i.alarm?.per !== undefined ? [...path, 'alarm', 'per'] : path;
    if (i.securityHubCopy) {
      // Security Hub grades the metric filter with its exact string: the copy stays a metric filter.
    } else {
      // The alarm watches one value per period (the top contributor's count): a statistic the
      // detection sets would be silently ignored, so it is refused (alarmDefaults' applies to metric filters only).
      if (i.alarm?.statistic !== undefined) {
        problems.push({ path: [...path, 'alarm', 'statistic'], message: `${i.id} counts per ${per.join(' + ')}: its alarm watches INSIGHT_RULE_METRIC MaxContributorValue, one value per period, so a statistic does not apply; remove statistic, or remove per` });
      }
      const converted = contributorFilters(pattern, per, (f) => isAlwaysPresent(f.split('.') as unknown as FieldPath));
      if (!converted.ok) {
        problems.push({ path: where, message: `${i.id} cannot count per ${per.join(' + ')}: its pattern cannot be written as Contributor Insights filters: ${converted.reason}; remove per, or narrow the pattern. Pattern: ${pattern}` });
        return undefined;
      }
      contributorRule = { ruleName: `${NAME_PREFIX}${i.id}`, keys: per.map(contributorSelector), fields: per, filters: converted.filters };
      // The log group name is at most 512 characters: measure the body with the longest one.
      const length = contributorRuleBody('x'.repeat(512), contributorRule.keys, contributorRule.filters).length;
      if (length > CONTRIBUTOR_RULE_MAX_LENGTH) {
        problems.push({ path: where, message: `the Contributor Insights rule of ${i.id} can be ${length} characters long; AWS accepts at most ${CONTRIBUTOR_RULE_MAX_LENGTH} (PutInsightRule RuleDefinition): shorten the value lists` });
        return undefined;
      }
    }
  }
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    kind: i.kind,
    ...(i.control ? { control: i.control } : {}),
    ...(exclusions ? { exclusions } : {}),
    pattern,
    patternSource: i.base.source,
    filterName: `${NAME_PREFIX}${i.id}`,
    metricName: i.metricName,
    namespace: i.m.namespace ?? DEFAULT_NAMESPACE,
    alarm: { ...args, ...(per !== undefined && !i.securityHubCopy ? { per } : {}), name: name ?? `${NAME_PREFIX}${i.id}`, description: (description ?? i.defaultDescription).slice(0, 1024) },
    ...(contributorRule ? { contributorRule } : {}),
  };
}

/**
 * Lints a pattern with the filter-pattern engine. Returns the problem message for the first error
 * (naming the detection, the rule and the offending text), or undefined; warnings go to the plan's
 * warnings, and an acknowledgeable error (an unknown CloudTrail field) to its problems, marked so
 * that `acknowledge:` can accept it for this detection (the pattern is planned either way).
 */
function lint(i: PlanOneInput, pattern: string, path: PathSegment[]): string | undefined {
  const findings = lintFilterPattern(pattern);
  for (const w of findings.filter((f) => f.severity === 'warning')) i.warnings.push({ path, message: `the pattern of ${i.id}: ${w.message}` });
  for (const a of findings.filter((f) => f.severity === 'error' && f.acknowledgeable)) {
    i.problems.push({
      path,
      message: `the pattern of ${i.id}: ${a.message}: the alarm could never fire; fix the field, or, if CloudTrail does write it, list ${formatPath(path)} under acknowledge:`,
      acknowledgeable: true,
      rule: a.rule,
    });
  }
  const error = findings.find((f) => f.severity === 'error' && !f.acknowledgeable);
  if (!error) return undefined;
  return `the pattern of ${i.id} is refused (${error.rule}): ${error.message}; pattern: ${pattern}`;
}

/**
 * Exclusions as conditions, one test per field: `notEquals` when every value is exact, else
 * `notWildcard` for all of them (an exact value is a wildcard without `*`), so every renderer,
 * EventBridge included, can express it; each guarded so that a record without the field is kept
 * (`(f NOT EXISTS) || (f != v)`): excluding one role must not drop every caller without an ARN.
 */
export function exclusionCondition(ex: ExcludeConfig | undefined): Condition | undefined {
  if (!ex) return undefined;
  const parts: Condition[] = [];
  for (const key of Object.keys(EXCLUDE_FIELDS) as (keyof ExcludeConfig)[]) {
    const values = ex[key];
    if (!values || values.length === 0) continue;
    const field = EXCLUDE_FIELDS[key];
    // A record without the field (AWS service principals have no userIdentity.arn) is not excluded;
    // fields every record has (eventName, sourceIPAddress) need no guard.
    const negated = values.some((v) => v.includes('*')) ? notWildcard(field, ...values) : notEquals(field, ...values);
    parts.push(isAlwaysPresent(field) ? negated : orAbsent(negated));
  }
  return parts.length > 0 ? all(...parts) : undefined;
}

/**
 * A custom detection's labelled records against its final pattern (exclusions included), evaluated
 * as CloudWatch Logs would (a JSON pattern tests the record, a text pattern its JSON text): each of
 * `fires` must match, none of `quiet`.
 */
export function sampleProblems(pattern: string, samples: { fires?: readonly Record<string, unknown>[]; quiet?: readonly Record<string, unknown>[] }, path: PathSegment[]): ConfigProblem[] {
  const compiled = compileFilterPattern(pattern);
  const matches = (r: unknown) => (compiled.kind === 'json' ? compiled.matchesEvent(r) : compiled.matches(JSON.stringify(r)));
  const out: ConfigProblem[] = [];
  // A sample is a record as CloudTrail writes it: one that repeats a pattern's typo proves nothing.
  for (const kind of ['fires', 'quiet'] as const) {
    (samples[kind] ?? []).forEach((r, i) => {
      const at: PathSegment[] = [...path, 'samples', kind, i];
      for (const u of unknownRecordFields(r)) {
        out.push({ path: at, message: `${u.message}, so this sample is not a CloudTrail record and does not count as labelled; fix it, or, if CloudTrail does write the field, list ${formatPath(at)} under acknowledge:`, acknowledgeable: true });
      }
    });
  }
  (samples.fires ?? []).forEach((r, i) => {
    if (!matches(r)) out.push({ path: [...path, 'samples', 'fires', i], message: `the pattern does not match this sample it must fire on (eventName ${JSON.stringify(r.eventName ?? null)}); fix the pattern or the sample. Pattern: ${pattern}` });
  });
  (samples.quiet ?? []).forEach((r, i) => {
    if (matches(r)) out.push({ path: [...path, 'samples', 'quiet', i], message: `the pattern matches this sample it must stay quiet on (eventName ${JSON.stringify(r.eventName ?? null)}); narrow the pattern, add an exclusion, or fix the sample. Pattern: ${pattern}` });
  });
  return out;
}

/** Default alarm description: title, benchmark (or ATT&CK) references, rationale. */
export function describeControl(c: Control): string {
  if (c.kind === 'threat') return `${c.title}. MITRE ATT&CK ${(c.attack?.techniques ?? []).join(', ')}. ${c.rationale}`;
  const cis = Object.entries(c.cis)
    .map(([v, n]) => `${n} (${v})`)
    .join(', ');
  const sh = c.securityHubControl ? `; Security Hub ${c.securityHubControl}` : '';
  return `${c.title}. CIS AWS Foundations ${cis}${sh}. ${c.rationale}`;
}

/** Where a detection is configured; `sigmaPaths`: Sigma detection id -> its monitoring.sigma entry. */
function detectionPath(d: DetectionPlan, m: MonitoringConfig, sigmaPaths: ReadonlyMap<string, PathSegment[]>): PathSegment[] {
  if (d.kind === 'threat') return [...ROOT, 'threats', 'detections', d.id];
  if (d.kind === 'sigma') return sigmaPaths.get(d.id) ?? [...ROOT, 'sigma'];
  if (d.control) return [...ROOT, 'controls', d.id];
  const i = (m.custom ?? []).findIndex((c) => c.id === d.id);
  return [...ROOT, 'custom', i];
}

function uniqueness(
  ds: readonly DetectionPlan[],
  key: (d: DetectionPlan) => string,
  what: string,
  pathOf: (d: DetectionPlan, first: DetectionPlan) => PathSegment[],
  why = '',
): ConfigProblem[] {
  const seen = new Map<string, DetectionPlan>();
  const out: ConfigProblem[] = [];
  for (const d of ds) {
    const first = seen.get(key(d));
    if (first) out.push({ path: pathOf(d, first), message: `${what} ${JSON.stringify(key(d))} of ${d.id} is already used by ${first.id}; give each detection its own${why}` });
    else seen.set(key(d), d);
  }
  return out;
}

/** Own enumerable entries of a record from YAML (no prototype keys). */
function ownEntries<T>(r: Record<string, T> | undefined): [string, T][] {
  return r ? Object.keys(r).map((k) => [k, r[k]] as [string, T]) : [];
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function pascalCase(id: string): string {
  return id
    .split('-')
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function didYouMean(s: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(s.toLowerCase(), c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(3, Math.floor(s.length / 3)) ? `; did you mean ${JSON.stringify(best)}?` : ';';
}
