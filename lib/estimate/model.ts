/**
 * The cost model: inventory (what each stack deploys) x volumes (what each account does) x prices
 * -> one line item per charge, on the stack whose account AWS bills for it. A month is 30 days.
 * Free tiers are left out (an upper bound to budget with). Each line keeps its quantity, unit price
 * and region factor, so a reader (and the tests) can redo the arithmetic by hand.
 */
import type { AccountPlan } from '../core/organization';
import type { Plan } from '../plan/plan';
import { DEFAULT_INSIGHT_TYPES, DEFAULT_READ_WRITE_TYPE, DEFAULT_TRANSITION_MINIMUM_SIZE, type TransitionMinimumSize } from '../trail/schema';
import { ARCHIVE_CLASSES, ARCHIVE_OVERHEAD_BYTES, groupPath, sizeGroups, type SizeGroup } from './archive';
import { trailLocations, trailMode } from '../trail/plan';
import type { StackInventory } from './inventory';
import type { MonitoringPlan } from '../monitoring/plan';
import { PRICES, PRICES_READ, S3_CLASS_PRICES, type Price } from './prices';
import { REGIONAL_PRICES_READ, regionRatio, type Service } from './regional-prices';
import { configuredVolume, DAYS_PER_MONTH, DEFAULT_COMPRESSION_RATIO, type AccountVolume } from './volumes';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';

export type LineKind =
  | 'cloudtrail-management'
  | 'cloudtrail-data-events'
  | 'cloudtrail-insights'
  | 'logs-ingestion'
  | 'logs-storage'
  | 'metrics'
  | 'contributor-insights'
  | 'alarms'
  | 'kms-keys'
  | 'kms-requests'
  | 'eventbridge-cross-account'
  | 'sns'
  | 'lambda'
  | 's3-storage'
  | 's3-requests';

export interface LineItem {
  readonly kind: LineKind;
  /** Human description, e.g. "CloudTrail data events of prod-web". */
  readonly title: string;
  /** The stack (account) AWS bills. */
  readonly billedTo: string;
  /** The account whose activity causes it (activity lines only). */
  readonly from?: string;
  readonly region: string;
  readonly quantity: number;
  readonly unit: string;
  /** us-east-1 USD per `per` units. */
  readonly price: number;
  readonly per: number;
  readonly regionFactor: number;
  readonly usd: number;
}

export interface AccountEstimate {
  readonly stack: string;
  readonly accountId: string;
  readonly role: string;
  readonly regions: readonly string[];
  readonly resources: number;
  readonly detections: number;
  readonly rules: number;
  readonly volume?: AccountVolume;
  readonly lines: readonly LineItem[];
  readonly usd: number;
}

export interface Driver {
  readonly kind: LineKind;
  readonly title: string;
  readonly usd: number;
  readonly share: number;
  readonly reduce: string;
}

export interface Estimate {
  readonly currency: 'USD';
  readonly pricesRead: string;
  /** Date of the regional price table (regional-prices.ts). */
  readonly regionalPricesRead: string;
  readonly accounts: readonly AccountEstimate[];
  readonly usd: number;
  readonly drivers: readonly Driver[];
  readonly notes: readonly string[];
}

/** Assumed responder run time per Insights event (it reads CloudTrail once and publishes once). */
export const RESPONDER_SECONDS = 2;
/**
 * Log files per account and region a day: one about every 5 minutes. An assumption (the stored
 * CloudTrail docs do not state the interval; file names carry the delivery minute:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
 */
export const LOG_FILES_PER_REGION_PER_DAY = 288;
/** Rotations of one KMS key that AWS bills ($1 a month each); later rotations are free (README "Cost estimate"). */
export const ROTATIONS_BILLED = 2;
/** Horizon for storage that never expires: what is stored after seven years. */
export const NEVER_EXPIRES_DAYS = 2557;

export const KIND_TITLES: Record<LineKind, string> = {
  'cloudtrail-management': 'CloudTrail management events',
  'cloudtrail-data-events': 'CloudTrail data events',
  'cloudtrail-insights': 'CloudTrail Insights',
  'logs-ingestion': 'CloudWatch Logs ingestion',
  'logs-storage': 'CloudWatch Logs storage',
  metrics: 'Metric-filter custom metrics',
  'contributor-insights': 'Contributor Insights rules (per-key detections)',
  alarms: 'CloudWatch alarms',
  'kms-keys': 'KMS keys',
  'kms-requests': 'KMS requests',
  'eventbridge-cross-account': 'EventBridge cross-account delivery',
  sns: 'SNS notifications',
  lambda: 'Responder Lambda',
  's3-storage': 'S3 archive storage',
  's3-requests': 'S3 requests and lifecycle transitions',
};

/** Which service's regional prices a line follows (regional-prices.ts). */
const SERVICE_OF: Record<LineKind, Service> = {
  'cloudtrail-management': 'cloudtrail',
  'cloudtrail-data-events': 'cloudtrail',
  'cloudtrail-insights': 'cloudtrail',
  'logs-ingestion': 'logs-ingestion',
  'logs-storage': 'logs-storage',
  metrics: 'cloudwatch',
  'contributor-insights': 'cloudwatch',
  alarms: 'cloudwatch',
  'kms-keys': 'kms',
  'kms-requests': 'kms',
  'eventbridge-cross-account': 'eventbridge',
  sns: 'sns',
  lambda: 'lambda',
  's3-storage': 's3',
  's3-requests': 's3',
};

const REDUCE: Record<LineKind, string> = {
  'cloudtrail-management': 'drop the other trail that logs management events, or let trailwatch attach to it (trail.mode: existing)',
  'cloudtrail-data-events': 'log data events for selected buckets and functions instead of all (trail.dataEvents.s3: [bucket, ...]), or only writes (readWriteType: WriteOnly)',
  'cloudtrail-insights': 'keep only ApiCallRateInsight (it analyses write events only; ApiErrorRateInsight analyses every event)',
  'logs-ingestion': 'every logged event is ingested: fewer data events (selected buckets, WriteOnly) shrink it most',
  'logs-storage': 'a shorter trail.cloudWatchLogs.retentionDays (the S3 archive keeps the logs)',
  metrics: 'disable detections you do not need (monitoring.controls.<id>.enabled: false): each filter is a billed metric',
  'contributor-insights': 'count fewer detections per key (alarm.per: []) or narrow them: each rule is billed a month and per matched event',
  alarms: 'disable detections you do not need: each has an alarm',
  'kms-keys': 'keys are per stack; fewer stacks with alert topics (eventbridge.target: central) means fewer keys (each rotated key costs $3 a month once rotated twice)',
  'kms-requests': 'one request per log file: fewer regions or accounts logging',
  'eventbridge-cross-account': 'narrow noisy detections with exclusions (monitoring.controls.<id>.exclude)',
  sns: 'subscribe a chat or queue instead of many email addresses; narrow noisy detections',
  lambda: 'set eventbridge.responder.minimumMultiplier to skip small Insights',
  's3-storage': 'transition earlier to GLACIER_IR or DEEP_ARCHIVE, or expire sooner (trail.archive.lifecycle)',
  's3-requests': 'fewer transitions (each moves every log file once)',
};

export interface EstimateInput {
  /** The command's Plan. */
  readonly plan: Plan;
  readonly inventory: readonly StackInventory[];
  /** Measured volumes by account id (from --archive); other accounts use configuredVolume. */
  readonly sample?: ReadonlyMap<string, AccountVolume>;
}

export function estimate(input: EstimateInput): Estimate {
  const { plan, inventory } = input;
  const config = plan.config;
  const org = plan.organization;
  const notes: string[] = [];
  const lines: LineItem[] = [];
  const factor = (kind: LineKind, region: string) => {
    const f = regionRatio(SERVICE_OF[kind], region);
    if (f === undefined) {
      const note = `no prices for ${region}: us-east-1 prices are used there`;
      if (!notes.includes(note)) notes.push(note);
      return 1;
    }
    return f;
  };
  const line = (kind: LineKind, title: string, billedTo: string, region: string, quantity: number, price: Price | { usd: number; per: number; unit: string }, from?: string) => {
    const regionFactor = factor(kind, region);
    lines.push({ kind, title, billedTo, ...(from ? { from } : {}), region, quantity, unit: price.unit, price: price.usd, per: price.per, regionFactor, usd: (quantity / price.per) * price.usd * regionFactor });
  };

  const volumeOf = new Map<string, AccountVolume>();
  for (const a of org.accounts) volumeOf.set(a.stackName, input.sample?.get(a.accountId) ?? configuredVolume(config, a));
  if (input.sample) {
    const known = new Set(org.accounts.map((a) => a.accountId));
    const unknown = [...input.sample.keys()].filter((id) => !known.has(id));
    if (unknown.length > 0) notes.push(`the sample holds events of accounts not in the config, left out: ${unknown.join(', ')}`);
    const missing = org.accounts.filter((a) => !input.sample!.has(a.accountId)).map((a) => a.stackName);
    if (missing.length > 0) notes.push(`no events in the sample for ${missing.join(', ')}: configured volumes used`);
  }

  const mode = trailMode(config);
  const t = config.trail;
  // An organization trail that already exists (Control Tower's) holds the free copy of every account's management events.
  const additionalCopy = config.estimate?.trailIsAdditionalCopy ?? config.organization.existingOrganizationTrail === true;
  if (additionalCopy && mode !== 'existing') {
    notes.push(
      `${config.organization.existingOrganizationTrail === true ? 'organization.existingOrganizationTrail' : 'estimate.trailIsAdditionalCopy'}: trailwatch's trail is an additional copy of management events, billed per event; trail.mode: existing reads the existing trail's log group instead`,
    );
  }
  const compression = config.estimate?.compressionRatio ?? DEFAULT_COMPRESSION_RATIO;
  const home = config.organization.homeRegion;
  const logArchive = config.organization.logArchiveAccount.name;
  const trails = trailLocations(org);
  const readWrite = t?.managementEvents?.readWriteType ?? DEFAULT_READ_WRITE_TYPE;
  const insightTypes = t?.insights ?? DEFAULT_INSIGHT_TYPES;
  const retention = t?.cloudWatchLogs?.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (retention === 0) notes.push(`CloudWatch Logs retention 0 (never expire): storage is shown after ${NEVER_EXPIRES_DAYS} days and keeps growing`);
  const expiration = t?.archive?.lifecycle?.expirationDays ?? DEFAULT_RETENTION_DAYS;
  if (expiration === 'never') notes.push(`archive expiration never: S3 storage is shown after ${NEVER_EXPIRES_DAYS} days and keeps growing`);
  const end = expiration === 'never' ? NEVER_EXPIRES_DAYS : expiration;
  const transitions = t?.archive?.lifecycle?.transitions ?? [];
  const minimum = t?.archive?.lifecycle?.transitionDefaultMinimumObjectSize ?? DEFAULT_TRANSITION_MINIMUM_SIZE;
  const archiveSizes: { stack: string; meanBytes: number; moved: SizeGroup; minimum: TransitionMinimumSize }[] = [];

  // Activity of every account a trailwatch trail logs.
  if (mode !== 'existing') {
    for (const a of org.accounts) {
      const owner = mode === 'organization' ? trails[0] : trails.find((x) => x.stackName === a.stackName)!;
      activityLines(a, volumeOf.get(a.stackName)!, owner.stackName, owner.region);
    }
  } else {
    notes.push('trail.mode: existing: the trail, its log group and the archive are not trailwatch\'s; their costs are not estimated');
  }

  if (archiveSizes.length > 0) {
    const kb = (b: number) => `${b < 10_240 ? (b / 1024).toFixed(1) : Math.round(b / 1024)} KB`;
    const pct = (x: number) => `${x < 0.001 ? '<0.1' : (x * 100).toFixed(1)}%`;
    const bySize = new Map<string, string[]>();
    for (const x of archiveSizes) {
      const key = `${kb(x.meanBytes)} (${pct(x.moved.fileShare)} of files, ${pct(x.moved.byteShare)} of bytes at 128 KB or more)`;
      bySize.set(key, [...(bySize.get(key) ?? []), x.stack]);
    }
    notes.push(
      `archive lifecycle (${minimum}): S3 transitions no log file under 128 KB${minimum === 'varies_by_storage_class' ? ' except to GLACIER and DEEP_ARCHIVE' : ''}; mean log file ${[...bySize].map(([size, stacks]) => `${size} in ${stacks.join(', ')}`).join('; ')}`,
    );
  }

  function activityLines(a: AccountPlan, v: AccountVolume, owner: string, trailRegion: string): void {
    const mgmt = v.managementPerDay * DAYS_PER_MONTH;
    const logged = mgmt * (readWrite === 'All' ? 1 : readWrite === 'WriteOnly' ? v.writeShare : readWrite === 'ReadOnly' ? 1 - v.writeShare : 0);
    const writes = readWrite === 'All' || readWrite === 'WriteOnly' ? mgmt * v.writeShare : 0;
    const data = v.dataPerDay * DAYS_PER_MONTH;
    const from = a.stackName;
    if (additionalCopy) line('cloudtrail-management', `CloudTrail management events of ${from} (additional copy)`, owner, trailRegion, logged, PRICES.cloudtrailManagementCopy, from);
    else line('cloudtrail-management', `CloudTrail management events of ${from} (first copy: free)`, owner, trailRegion, logged, { ...PRICES.cloudtrailManagementCopy, usd: 0 }, from);
    if (data > 0) line('cloudtrail-data-events', `CloudTrail data events of ${from}`, owner, trailRegion, data, PRICES.cloudtrailDataEvents, from);
    for (const type of insightTypes) {
      // ApiCallRateInsight analyses write events; ApiErrorRateInsight every management event (insights-events-costs.html).
      const analyzed = type === 'ApiCallRateInsight' ? writes : logged;
      if (analyzed > 0) line('cloudtrail-insights', `CloudTrail Insights ${type} on ${from}'s events`, owner, trailRegion, analyzed, PRICES.cloudtrailInsights, from);
    }
    const gbMonth = ((logged + data) * v.eventBytes) / 1e9;
    line('logs-ingestion', `CloudWatch Logs ingestion of ${from}'s events`, owner, trailRegion, gbMonth, PRICES.logsIngestion, from);
    const keptDays = retention === 0 ? NEVER_EXPIRES_DAYS : retention;
    line('logs-storage', `CloudWatch Logs storage of ${from}'s events (${keptDays} days, compressed)`, owner, trailRegion, (gbMonth / DAYS_PER_MONTH) * keptDays * compression, PRICES.logsStorage, from);

    // The archive (log-archive account, home region): gzip files, through the lifecycle, by size (archive.ts).
    const gzPerDay = ((logged / DAYS_PER_MONTH + v.dataPerDay) * v.eventBytes * compression) / 1e9;
    // Log files come from every region with events: measured in a sample, else the account's governed regions.
    const regionsLogging = v.sample ? Math.max(1, Object.keys(v.sample.eventsPerDayByRegion).length) : a.regions.length;
    const filesPerDay = regionsLogging * LOG_FILES_PER_REGION_PER_DAY;
    const files = filesPerDay * DAYS_PER_MONTH;
    const meanBytes = (gzPerDay * 1e9) / filesPerDay;
    const groups = sizeGroups(meanBytes);
    if (transitions.length > 0 && meanBytes > 0) archiveSizes.push({ stack: from, meanBytes, moved: groups[1], minimum });
    for (const g of groups) {
      // A group with less than one file a month is left out (its lines would read $0.00).
      if (g.fileShare * files < 1) continue;
      const which = g.name === 'small' ? 'log files under 128 KB' : 'log files of 128 KB or more';
      const path = groupPath(g.name, transitions, end, minimum);
      for (const st of path.stages) {
        const days = st.until - st.from;
        const price = st.storageClass === 'STANDARD' ? PRICES.s3Standard : S3_CLASS_PRICES[st.storageClass].storage;
        line('s3-storage', `S3 ${st.storageClass} storage of ${from}'s ${which} (days ${st.from}-${st.until})`, logArchive, home, gzPerDay * g.byteShare * days, price, from);
        if (ARCHIVE_CLASSES.has(st.storageClass)) {
          const objects = filesPerDay * g.fileShare * days;
          line('s3-storage', `S3 ${st.storageClass} per-object overhead of ${from}'s ${which}: 32 KB each at the ${st.storageClass} rate`, logArchive, home, (objects * ARCHIVE_OVERHEAD_BYTES.archiveClass) / 1e9, price, from);
          line('s3-storage', `S3 ${st.storageClass} per-object overhead of ${from}'s ${which}: 8 KB each at the STANDARD rate`, logArchive, home, (objects * ARCHIVE_OVERHEAD_BYTES.standard) / 1e9, PRICES.s3Standard, from);
        }
      }
      for (const cls of path.transitionsTo) {
        line('s3-requests', `S3 lifecycle transitions of ${from}'s ${which} to ${cls}`, logArchive, home, files * g.fileShare, { usd: S3_CLASS_PRICES[cls].transitionPer1000, per: 1000, unit: `transitions to ${cls}` }, from);
      }
    }
    line('s3-requests', `S3 PUTs of ${from}'s log files`, logArchive, home, files, PRICES.s3Put, from);
    // Assumed: one GenerateDataKey per log file encrypted with the archive key (the key policy grants CloudTrail kms:GenerateDataKey*; the per-file count is not in the stored docs).
    line('kms-requests', `KMS GenerateDataKey for ${from}'s log files`, logArchive, home, files, PRICES.kmsRequests, from);
  }

  // What each stack deploys.
  const totalInsights = [...volumeOf.values()].reduce((n, v) => n + v.insightEventsPerMonth, 0);
  const notifyBoth = config.alerting?.notifyOn?.ok === true;
  for (const s of inventory) {
    const v = volumeOf.get(s.stack)!;
    const region = org.accounts.find((a) => a.stackName === s.stack)?.primaryRegion ?? home;
    if (s.metricFilters > 0) line('metrics', `${s.metricFilters} metric-filter metrics`, s.stack, region, s.metricFilters, PRICES.customMetric);
    if (s.contributorRules > 0) {
      line('contributor-insights', `${s.contributorRules} Contributor Insights rules (per-key detections)`, s.stack, region, s.contributorRules, PRICES.contributorRule);
      // The rules watch the organization's log group: every account's events that match one are billed here.
      const matched = contributorMatchesPerMonth(plan.detections, s, [...volumeOf.values()]);
      if (matched > 0) line('contributor-insights', `log events matched by the Contributor Insights rules`, s.stack, region, matched, PRICES.contributorMatchedEvents);
    }
    if (s.alarms > 0) line('alarms', `${s.alarms} alarms`, s.stack, region, s.alarms, PRICES.alarm);
    if (s.kmsKeys > 0) line('kms-keys', `${s.kmsKeys} customer-managed KMS key${s.kmsKeys === 1 ? '' : 's'}`, s.stack, region, s.kmsKeys, PRICES.kmsKey);
    // Rotation keeps every version of the key material; AWS bills the first two rotations (from the third year with yearly rotation).
    if (s.kmsKeysRotating > 0) {
      line('kms-keys', `rotated key material of ${s.kmsKeysRotating} KMS key${s.kmsKeysRotating === 1 ? '' : 's'} (${ROTATIONS_BILLED} billed versions each, once rotated twice)`, s.stack, region, s.kmsKeysRotating * ROTATIONS_BILLED, PRICES.kmsRotatedVersion);
    }
    if (s.crossAccountRules > 0) {
      line('eventbridge-cross-account', `detection matches of ${s.stack} forwarded to the central bus`, s.stack, region, v.matchesPerDay * DAYS_PER_MONTH, PRICES.eventbridgeCrossAccount, s.stack);
    }
    if (s.byType.aws_sns_topic !== undefined) {
      // The topic's publishes: alarms (ALARM, and OK when notifyOn.ok) for the accounts it monitors, and central-bus matches.
      const publishes = topicPublishes(s);
      line('sns', `SNS publishes to the alert topic of ${s.stack}`, s.stack, region, publishes, PRICES.snsPublish);
      if (s.subscriptions.email > 0) line('sns', `SNS email deliveries (${s.subscriptions.email} address${s.subscriptions.email === 1 ? '' : 'es'})`, s.stack, region, publishes * s.subscriptions.email, PRICES.snsEmail);
      if (s.subscriptions.https > 0) line('sns', `SNS HTTPS deliveries (${s.subscriptions.https} endpoint${s.subscriptions.https === 1 ? '' : 's'})`, s.stack, region, publishes * s.subscriptions.https, PRICES.snsHttp);
    }
    for (const mb of s.functionsMemoryMb) {
      const invocations = s.role === 'management' || mode === 'account' ? (mode === 'account' ? v.insightEventsPerMonth : totalInsights) : 0;
      line('lambda', `responder invocations in ${s.stack}`, s.stack, region, invocations, PRICES.lambdaRequests);
      line('lambda', `responder compute in ${s.stack} (${mb} MB x ${RESPONDER_SECONDS} s each)`, s.stack, region, invocations * (mb / 1024) * RESPONDER_SECONDS, PRICES.lambdaCompute);
    }
  }

  function topicPublishes(s: StackInventory): number {
    let n = 0;
    if (s.alarms > 0) {
      // Alarms of this stack watch the accounts its log group receives: every account for an organization trail.
      const watched = mode === 'account' ? [s.stack] : org.accounts.map((a) => a.stackName);
      n += watched.reduce((sum, name) => sum + volumeOf.get(name)!.matchesPerDay * DAYS_PER_MONTH, 0) * (notifyBoth ? 2 : 1);
    }
    if (s.role === 'security' && inventory.some((x) => x.crossAccountRules > 0)) {
      n += org.accounts.reduce((sum, a) => sum + volumeOf.get(a.stackName)!.matchesPerDay * DAYS_PER_MONTH, 0) + totalInsights;
    } else if (s.alarms === 0 && s.rules > 0) {
      n += volumeOf.get(s.stack)!.matchesPerDay * DAYS_PER_MONTH;
    }
    return n;
  }

  const accounts: AccountEstimate[] = org.accounts.map((a) => {
    const inv = inventory.find((s) => s.stack === a.stackName);
    const own = lines.filter((l) => l.billedTo === a.stackName);
    return {
      stack: a.stackName,
      accountId: a.accountId,
      role: a.role,
      regions: inv?.regions ?? a.regions,
      resources: inv?.resources ?? 0,
      detections: (inv?.metricFilters ?? 0) + (inv?.contributorRules ?? 0),
      rules: inv?.rules ?? 0,
      volume: volumeOf.get(a.stackName),
      lines: own,
      usd: own.reduce((n, l) => n + l.usd, 0),
    };
  });
  const usd = accounts.reduce((n, a) => n + a.usd, 0);
  const byKind = new Map<LineKind, number>();
  for (const l of lines) byKind.set(l.kind, (byKind.get(l.kind) ?? 0) + l.usd);
  const drivers = [...byKind]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([kind, v]) => ({ kind, title: KIND_TITLES[kind], usd: v, share: usd > 0 ? v / usd : 0, reduce: REDUCE[kind] }));
  return { currency: 'USD', pricesRead: PRICES_READ, regionalPricesRead: REGIONAL_PRICES_READ, accounts, usd, drivers, notes };
}

/**
 * Log events a month the per-key detections' rules match: from a sample, each account's events a
 * day times the share each per-key detection matched; else the configured matches a day, shared
 * between the stack's metric filters and rules in proportion to their number.
 */
function contributorMatchesPerMonth(detections: MonitoringPlan, s: StackInventory, volumes: readonly AccountVolume[]): number {
  const perKey = detections.detections.filter((d) => d.contributorRule).map((d) => d.id);
  let perDay = 0;
  for (const v of volumes) {
    if (v.detectionShares) perDay += (v.managementPerDay + v.dataPerDay) * perKey.reduce((n, id) => n + (v.detectionShares![id] ?? 0), 0);
    else perDay += v.matchesPerDay * (s.contributorRules / (s.contributorRules + s.metricFilters));
  }
  return perDay * DAYS_PER_MONTH;
}
