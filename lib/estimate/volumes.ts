/**
 * How much each account does, which is what most of the bill scales with: management events a
 * day, the share that are writes, data events, record size, detection matches, Insights events.
 * From a sample archive (`--archive`, read with the backtest reader) when it has the account's
 * events, else from the config's `estimate:` section over DEFAULT_VOLUMES.
 */
import * as fs from 'fs';
import { CorruptFileError, listArchiveFiles, readArchive } from '../backtest/archive';
import { ESTIMATE_DEFAULTS } from './schema';
import { compileFilterPattern } from '../filter-pattern';
import type { Plan, PlanSections } from '../plan/plan';
import type { AccountPlan } from '../core/organization';
import { UserError } from '../core/errors';

/** Documented defaults (README "Cost estimate"), kept with the config section they default. */
export const DEFAULT_VOLUMES = ESTIMATE_DEFAULTS;
export const DEFAULT_COMPRESSION_RATIO = ESTIMATE_DEFAULTS.compressionRatio;
/** A listed bucket, function or table is taken as this share of the account's events of that kind. */
export const LISTED_RESOURCE_SHARE = 0.1;
export const DAYS_PER_MONTH = 30;

export interface AccountVolume {
  /** Management events a day in all the account's regions. */
  readonly managementPerDay: number;
  readonly writeShare: number;
  /** Data events a day the trail logs for the account. */
  readonly dataPerDay: number;
  readonly eventBytes: number;
  readonly matchesPerDay: number;
  readonly insightEventsPerMonth: number;
  readonly source: 'default' | 'config' | 'sample';
  /** From a sample: share of events each detection matches. */
  readonly detectionShares?: Readonly<Record<string, number>>;
  /** From a sample: days covered, events read, and events a day in each region that had any. */
  readonly sample?: { readonly days: number; readonly events: number; readonly eventsPerDayByRegion: Readonly<Record<string, number>> };
}

/** Volumes from the config: DEFAULT_VOLUMES, then estimate.defaults, then estimate.accounts.<name>. */
export function configuredVolume(config: PlanSections, account: AccountPlan): AccountVolume {
  const own = config.estimate?.accounts?.[account.stackName];
  const v = { ...DEFAULT_VOLUMES, ...definedOnly(config.estimate?.defaults), ...definedOnly(own) };
  return {
    managementPerDay: v.managementEventsPerDay * account.regions.length,
    writeShare: v.writeShare,
    dataPerDay: dataEventsPerDay(config, v),
    eventBytes: v.eventBytes,
    matchesPerDay: v.detectionMatchesPerDay,
    insightEventsPerMonth: v.insightEventsPerMonth,
    source: own !== undefined || config.estimate?.defaults !== undefined ? 'config' : 'default',
  };
}

/** Data events the trail's selectors log, from the per-kind volumes: `all` logs them all, a list a tenth per entry. */
function dataEventsPerDay(config: PlanSections, v: { s3DataEventsPerDay: number; lambdaDataEventsPerDay: number; dynamodbDataEventsPerDay: number; writeShare: number }): number {
  const de = config.trail?.dataEvents;
  if (!de) return 0;
  const share = (sel: 'all' | readonly string[] | undefined) => (sel === undefined ? 0 : sel === 'all' ? 1 : Math.min(1, sel.length * LISTED_RESOURCE_SHARE));
  const total = share(de.s3) * v.s3DataEventsPerDay + share(de.lambda) * v.lambdaDataEventsPerDay + share(de.dynamodb) * v.dynamodbDataEventsPerDay;
  const rw = de.readWriteType ?? 'All';
  return total * (rw === 'All' ? 1 : rw === 'WriteOnly' ? v.writeShare : 1 - v.writeShare);
}

interface Tally {
  management: number;
  writes: number;
  data: number;
  insights: number;
  bytes: number;
  matched: number;
  days: Set<string>;
  regions: Map<string, number>;
  perDetection: number[];
}

/**
 * Volumes measured from a sample archive, by account id (recipientAccountId). A day is a UTC date
 * with at least one event; rates are per such day. Unreadable files and records (a broken
 * CloudTrailEvent string, a bad JSON Lines line) are an error naming each file and position, unless
 * `maxSkipped` allows that many: then they are left out and `onSkipped` hears of each.
 */
export function sampleVolumes(
  plan: Pick<Plan, 'detections'>,
  paths: readonly string[],
  options: { readonly maxSkipped?: number; readonly onSkipped?: (where: string, why: string) => void } = {},
): Map<string, AccountVolume> {
  const skipped: string[] = [];
  const skip = (where: string, why: string) => {
    skipped.push(`${where}: ${why}`);
    options.onSkipped?.(where, why);
  };
  for (const p of paths) if (!fs.existsSync(p)) throw new UserError(`--archive ${p}: no such file or folder`);
  const files = listArchiveFiles(paths);
  if (files.length === 0) throw new UserError(`--archive ${paths.join(' ')}: no CloudTrail files (*.json, *.json.gz, *.jsonl) found`);
  const detections = plan.detections.detections;
  const matchers = detections.map((d) => {
    const c = compileFilterPattern(d.pattern);
    return c.kind === 'json' ? (r: unknown) => c.matchesEvent(r) : (r: unknown) => c.matches(JSON.stringify(r));
  });
  const tallies = new Map<string, Tally>();
  for (const file of files) {
    let records: unknown[];
    try {
      const read = readArchive(fs.readFileSync(file), file);
      // A record that cannot be read would be missing from the volumes: counted against maxSkipped.
      for (const u of read.unreadable) skip(`${file} at ${u.position}`, u.error);
      records = read.records;
    } catch (e) {
      if (!(e instanceof CorruptFileError)) throw e;
      skip(file, e.message);
      continue;
    }
    for (const r of records) {
      if (r === null || typeof r !== 'object') continue;
      const rec = r as { recipientAccountId?: unknown; userIdentity?: { accountId?: unknown }; eventTime?: unknown; awsRegion?: unknown; readOnly?: unknown; managementEvent?: unknown; eventCategory?: unknown; eventType?: unknown };
      const account = typeof rec.recipientAccountId === 'string' ? rec.recipientAccountId : typeof rec.userIdentity?.accountId === 'string' ? rec.userIdentity.accountId : undefined;
      if (account === undefined) continue;
      let t = tallies.get(account);
      if (!t) tallies.set(account, (t = { management: 0, writes: 0, data: 0, insights: 0, bytes: 0, matched: 0, days: new Set(), regions: new Map(), perDetection: detections.map(() => 0) }));
      if (typeof rec.eventTime === 'string') t.days.add(rec.eventTime.slice(0, 10));
      if (typeof rec.awsRegion === 'string') t.regions.set(rec.awsRegion, (t.regions.get(rec.awsRegion) ?? 0) + 1);
      t.bytes += Buffer.byteLength(JSON.stringify(r));
      if (rec.eventType === 'AwsCloudTrailInsight' || rec.eventCategory === 'Insight') t.insights++;
      else if (rec.eventCategory === 'Data' || rec.managementEvent === false) t.data++;
      else {
        t.management++;
        if (rec.readOnly === false) t.writes++;
      }
      let any = false;
      matchers.forEach((m, i) => {
        if (m(r)) {
          t.perDetection[i]++;
          any = true;
        }
      });
      if (any) t.matched++;
    }
  }
  const allowed = options.maxSkipped ?? 0;
  if (skipped.length > allowed) {
    const shown = skipped.slice(0, 5).join('; ');
    throw new UserError(
      `--archive: ${skipped.length} unreadable file${skipped.length === 1 ? '' : 's'} or record${skipped.length === 1 ? '' : 's'} (--max-skipped ${allowed}): ${shown}${skipped.length > 5 ? '; ...' : ''}; ` +
        `the volumes would miss their events: fix or remove them, or accept that with --max-skipped ${skipped.length}`,
    );
  }
  const out = new Map<string, AccountVolume>();
  for (const [account, t] of tallies) {
    const days = Math.max(1, t.days.size);
    const events = t.management + t.data + t.insights;
    out.set(account, {
      managementPerDay: t.management / days,
      writeShare: t.management > 0 ? t.writes / t.management : DEFAULT_VOLUMES.writeShare,
      dataPerDay: t.data / days,
      eventBytes: events > 0 ? t.bytes / events : DEFAULT_VOLUMES.eventBytes,
      matchesPerDay: t.matched / days,
      insightEventsPerMonth: (t.insights / days) * DAYS_PER_MONTH,
      source: 'sample',
      detectionShares: Object.fromEntries(detections.map((d, i) => [d.id, events > 0 ? t.perDetection[i] / events : 0])),
      sample: { days, events, eventsPerDayByRegion: Object.fromEntries([...t.regions].sort().map(([r, n]) => [r, n / days])) },
    });
  }
  return out;
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return o ? (Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>) : {};
}
