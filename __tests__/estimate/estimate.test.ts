/**
 * `trailwatch estimate`: the cost model against costs computed by hand, for a small config (every
 * line item at least once) and for a sample archive built here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { parseConfigText } from '../../lib/config/load';
import { inventoryFromPlan } from '../../lib/app/inventory';
import { estimate, type Estimate, type LineKind } from '../../lib/estimate/model';
import { sampleVolumes } from '../../lib/estimate/volumes';
import { planDetections } from '../../lib/monitoring/plan';
import { runCli, tempDir, writeTemp } from '../support/cli';
import { SMALL } from './small-config';
import { planAll } from '../../lib/plan/plan';


/** Sum of one kind of line billed to one stack. */
function cost(e: Estimate, stack: string, kind: LineKind): number {
  return e.accounts.find((a) => a.stack === stack)!.lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.usd, 0);
}

describe('a small config, computed by hand', () => {
  const config = parseConfigText(SMALL, 'small.yaml');
  const inventory = inventoryFromPlan(planAll(config));
  const e = estimate({ plan: planAll(config), inventory });
  const detections = planDetections(config.monitoring).detections.length;

  // Per account and month: 1,000 x 30 = 30,000 management events (15,000 writes), 10,000 x 30 = 300,000 data events.
  test('CloudTrail: the additional copy, data events and both Insights types, on the trail owner (management)', () => {
    expect(cost(e, 'management', 'cloudtrail-management')).toBeCloseTo(4 * (30_000 / 100_000) * 2.0, 9); // $2.40
    expect(cost(e, 'management', 'cloudtrail-data-events')).toBeCloseTo(4 * (300_000 / 100_000) * 0.1, 9); // $1.20
    // ApiCallRateInsight analyses the 15,000 writes, ApiErrorRateInsight all 30,000 events.
    expect(cost(e, 'management', 'cloudtrail-insights')).toBeCloseTo(4 * ((15_000 + 30_000) / 100_000) * 0.35, 9); // $0.63
  });

  test('CloudWatch Logs: ingestion of every logged event, a year of compressed storage', () => {
    const gb = ((30_000 + 300_000) * 1000) / 1e9; // 0.33 GB per account
    expect(cost(e, 'management', 'logs-ingestion')).toBeCloseTo(4 * gb * 0.5, 9);
    expect(cost(e, 'management', 'logs-storage')).toBeCloseTo(4 * (gb / 30) * 365 * 0.1 * 0.03, 9);
  });

  test('metrics and alarms: one each per detection, in the stack with the log group', () => {
    expect(inventory.find((s) => s.stack === 'management')!.metricFilters).toBe(detections);
    expect(cost(e, 'management', 'metrics')).toBeCloseTo(detections * 0.3, 9);
    expect(cost(e, 'management', 'alarms')).toBeCloseTo(detections * 0.1, 9);
  });

  test('KMS keys where they are created: trail log group and alert topic, archive, central topic', () => {
    expect(inventory.map((s) => [s.stack, s.kmsKeys])).toEqual([
      ['management', 2],
      ['log-archive', 1],
      ['security', 1],
      ['app', 0],
    ]);
    // Every key rotates: $1 a month, and $1 for each of the first two rotations' key material (later ones are free).
    expect(inventory.every((s) => s.kmsKeysRotating === s.kmsKeys)).toBe(true);
    expect(cost(e, 'management', 'kms-keys')).toBeCloseTo(2 * 3, 9);
    expect(cost(e, 'log-archive', 'kms-keys')).toBeCloseTo(1 * 3, 9);
    const rotated = e.accounts.find((a) => a.stack === 'management')!.lines.find((l) => l.kind === 'kms-keys' && l.unit.startsWith('rotated'))!;
    expect([rotated.quantity, rotated.price]).toEqual([4, 1]);
  });

  test('an organization that already has an organization trail pays for trailwatch\'s management events as an additional copy', () => {
    const own = parseConfigText(SMALL.replace('  trailIsAdditionalCopy: true\n', ''), 'own.yaml');
    const free = estimate({ plan: planAll(own), inventory });
    expect(cost(free, 'management', 'cloudtrail-management')).toBe(0);
    const ct = parseConfigText(SMALL.replace('  trailIsAdditionalCopy: true\n', '').replace('  securityAccount:', '  existingOrganizationTrail: true\n  securityAccount:'), 'ct.yaml');
    const copy = estimate({ plan: planAll(ct), inventory });
    expect(cost(copy, 'management', 'cloudtrail-management')).toBeCloseTo(4 * (30_000 / 100_000) * 2.0, 9);
    expect(copy.notes).toContainEqual(expect.stringContaining("organization.existingOrganizationTrail: trailwatch's trail is an additional copy of management events"));
  });

  test('the archive: its small log files stay in STANDARD (no transition requests), PUTs and KMS requests, on log-archive', () => {
    const gzPerDay = ((1000 + 10_000) * 1000 * 0.1) / 1e9; // 0.0011 GB a day per account: 3.8 KB a log file, far under 128 KB
    expect(cost(e, 'log-archive', 's3-storage')).toBeCloseTo(4 * gzPerDay * 365 * 0.023, 9);
    const files = 288 * 30; // one region: a file every 5 minutes
    expect(cost(e, 'log-archive', 's3-requests')).toBeCloseTo(4 * (files / 1000) * 0.005, 9);
    expect(cost(e, 'log-archive', 'kms-requests')).toBeCloseTo(4 * (files / 10_000) * 0.03, 9);
    expect(e.notes).toContainEqual(expect.stringMatching(/^archive lifecycle \(all_storage_classes_128K\): S3 transitions no log file under 128 KB; mean log file 3\.7 KB \(<0\.1% of files/));
  });

  test('EventBridge: every account but security forwards its matches to the central bus', () => {
    for (const stack of ['management', 'log-archive', 'app']) expect(cost(e, stack, 'eventbridge-cross-account')).toBeCloseTo((2 * 30 / 1e6) * 1.0, 12);
    expect(cost(e, 'security', 'eventbridge-cross-account')).toBe(0);
  });

  test('SNS: publishes and deliveries per subscription, on both topics', () => {
    // management's alarms watch all four accounts: 4 x 60 alarm notifications; one email and one HTTPS subscriber.
    expect(cost(e, 'management', 'sns')).toBeCloseTo((240 / 1e6) * 0.5 + (240 / 100_000) * 2.0 + (240 / 1e6) * 0.6, 12);
    // The central bus alerts security's topic for every match (4 x 60) and every Insights event (4 x 10).
    expect(cost(e, 'security', 'sns')).toBeCloseTo((280 / 1e6) * 0.5 + (280 / 100_000) * 2.0 + (280 / 1e6) * 0.6, 12);
  });

  test('the responder: one invocation per Insights event, 128 MB for 2 s', () => {
    expect(cost(e, 'management', 'lambda')).toBeCloseTo((40 / 1e6) * 0.2 + 40 * (128 / 1024) * 2 * 0.0000166667, 12);
  });

  test('account totals are their lines, the organization total the accounts; drivers are the biggest kinds', () => {
    for (const a of e.accounts) expect(a.usd).toBeCloseTo(a.lines.reduce((n, l) => n + l.usd, 0), 9);
    expect(e.usd).toBeCloseTo(e.accounts.reduce((n, a) => n + a.usd, 0), 9);
    // The three kinds that cost most over every stack, largest first, each with what would reduce it.
    const byKind = new Map<string, number>();
    for (const l of e.accounts.flatMap((a) => a.lines)) byKind.set(l.kind, (byKind.get(l.kind) ?? 0) + l.usd);
    const top = [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 3);
    expect(e.drivers.map((d) => [d.kind, d.usd])).toEqual(top);
    expect(e.drivers.map((d) => d.kind)).toContain('cloudtrail-management'); // $2.40: the additional copy
    expect(e.drivers.find((d) => d.kind === 'cloudtrail-management')!.reduce).toContain('trail.mode: existing');
    expect(e.accounts.map((a) => a.stack)).toEqual(['management', 'log-archive', 'security', 'app']);
  });

  test('regional prices per service: CloudWatch Logs and S3 follow their own regional price, CloudTrail is the same everywhere', () => {
    const at = (region: string) => {
      const c = parseConfigText(SMALL.replace(/us-east-1/g, region), `${region}.yaml`);
      return estimate({ plan: planAll(c), inventory: inventoryFromPlan(planAll(c)) });
    };
    const tokyo = at('ap-northeast-1');
    expect(cost(tokyo, 'management', 'logs-ingestion')).toBeCloseTo(cost(e, 'management', 'logs-ingestion') * 1.52, 9); // $0.76 / $0.50 per GB
    expect(cost(tokyo, 'management', 'logs-storage')).toBeCloseTo(cost(e, 'management', 'logs-storage') * 1.1, 9); // $0.033 / $0.03
    expect(cost(tokyo, 'log-archive', 's3-storage')).toBeCloseTo(cost(e, 'log-archive', 's3-storage') * 1.087, 9); // $0.025 / $0.023, rounded to 4 places
    expect(cost(tokyo, 'management', 'cloudtrail-data-events')).toBeCloseTo(cost(e, 'management', 'cloudtrail-data-events'), 9);
    const saoPaulo = at('sa-east-1');
    expect(cost(saoPaulo, 'management', 'logs-ingestion')).toBeCloseTo(cost(e, 'management', 'logs-ingestion') * 1.8, 9);
    expect(cost(saoPaulo, 'management', 'kms-keys')).toBeCloseTo(cost(e, 'management', 'kms-keys'), 9);
    const nowhere = at('me-central-1');
    expect(cost(nowhere, 'management', 'logs-ingestion')).toBeCloseTo(cost(e, 'management', 'logs-ingestion'), 9);
    expect(nowhere.notes).toContain('no prices for me-central-1: us-east-1 prices are used there');
  });

  test('data events for selected buckets cost a tenth per bucket; WriteOnly keeps the writes', () => {
    const two = parseConfigText(SMALL.replace('dataEvents: { s3: all }', 'dataEvents: { s3: [a-bucket, b-bucket], readWriteType: WriteOnly }'), 'x.yaml');
    const fewer = estimate({ plan: planAll(two), inventory: inventoryFromPlan(planAll(two)) });
    expect(cost(fewer, 'management', 'cloudtrail-data-events')).toBeCloseTo(4 * ((300_000 * 0.2 * 0.5) / 100_000) * 0.1, 9);
  });
});

describe('volumes from a sample archive', () => {
  const config = parseConfigText(SMALL.replace(/estimate:[\s\S]*$/, '') + 'monitoring:\n  custom:\n    - { id: boom, title: Boom, pattern: \'{ $.eventName = "Boom" }\' }\n', 'sample.yaml');
  const record = (day: string, eventName: string, extra: Record<string, unknown>) => ({
    eventVersion: '1.09',
    eventTime: `2026-11-${day}T10:00:00Z`,
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    recipientAccountId: '444444444444',
    userIdentity: { type: 'AssumedRole', accountId: '444444444444' },
    ...extra,
  });
  // Two days of app's activity: 4 management events (2 writes, one of them a Boom), 2 data events.
  const records = [
    record('01', 'ListBuckets', { readOnly: true, managementEvent: true, eventCategory: 'Management' }),
    record('01', 'Boom', { readOnly: false, managementEvent: true, eventCategory: 'Management' }),
    record('02', 'ListBuckets', { readOnly: true, managementEvent: true, eventCategory: 'Management' }),
    record('02', 'CreateBucket', { readOnly: false, managementEvent: true, eventCategory: 'Management' }),
    record('01', 'GetObject', { readOnly: true, managementEvent: false, eventCategory: 'Data' }),
    record('02', 'GetObject', { readOnly: true, managementEvent: false, eventCategory: 'Data' }),
  ];
  const dir = tempDir('tw-estimate-');
  const folder = path.join(dir, 'AWSLogs/444444444444/CloudTrail/us-east-1/2026/11/01');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'a.json.gz'), gzipSync(JSON.stringify({ Records: records.slice(0, 3) })));
  fs.writeFileSync(path.join(folder, 'b.json'), JSON.stringify({ Records: records.slice(3) }));
  const bytes = records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0) / records.length;

  test('measures events a day, the write share, record size and the share each detection matches', () => {
    const v = sampleVolumes(planAll(config), [dir]).get('444444444444')!;
    expect(v).toMatchObject({ managementPerDay: 2, writeShare: 0.5, dataPerDay: 1, matchesPerDay: 0.5, source: 'sample', sample: { days: 2, events: 6, eventsPerDayByRegion: { 'us-east-1': 3 } } });
    expect(v.eventBytes).toBeCloseTo(bytes, 9);
    expect(v.detectionShares!.boom).toBeCloseTo(1 / 6, 9);
  });

  test('the measured account is costed from the sample, by hand', () => {
    const e = estimate({ plan: planAll(config), inventory: inventoryFromPlan(planAll(config)), sample: sampleVolumes(planAll(config), [dir]) });
    const app = (kind: LineKind) => e.accounts.find((a) => a.stack === 'management')!.lines.filter((l) => l.kind === kind && l.from === 'app').reduce((n, l) => n + l.usd, 0);
    // 2 management events a day (1 write) and 1 data event a day, over 30 days.
    expect(app('cloudtrail-data-events')).toBeCloseTo((30 / 100_000) * 0.1, 12);
    expect(app('cloudtrail-insights')).toBeCloseTo(((30 + 60) / 100_000) * 0.35, 12);
    expect(app('logs-ingestion')).toBeCloseTo((((60 + 30) * bytes) / 1e9) * 0.5, 12);
    expect(cost(e, 'app', 'eventbridge-cross-account')).toBeCloseTo((0.5 * 30 / 1e6) * 1.0, 15);
    expect(e.notes).toContainEqual(expect.stringContaining('no events in the sample for management, log-archive, security: configured volumes used'));
    // Log files: one region had events, a file every 5 minutes.
    const puts = e.accounts.find((a) => a.stack === 'log-archive')!.lines.find((l) => l.kind === 's3-requests' && l.from === 'app' && l.unit.startsWith('S3 PUT'))!;
    expect(puts.quantity).toBe(288 * 30);
  });

  test('a file the reader cannot decode is an error naming the file, not a stack trace', async () => {
    const bad = tempDir('tw-estimate-bad-');
    fs.writeFileSync(path.join(bad, 'broken.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    const file = writeTemp('trailwatch.yaml', SMALL);
    const r = await runCli(['estimate', '--config', file, '--archive', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--archive: .*broken\.json\.gz: not a readable gzip file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('the text output says what the sample measured', async () => {
    const file = writeTemp('trailwatch.yaml', SMALL.replace(/estimate:[\s\S]*$/, '') + 'monitoring:\n  custom:\n    - { id: boom, title: Boom, pattern: \'{ $.eventName = "Boom" }\' }\n');
    const r = await runCli(['estimate', '--config', file, '--archive', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('app (444444444444, member):');
    expect(r.stdout).toContain('  sample: 6 events over 2 days (a day: us-east-1 3); matched most: boom 16.67%');
  });

  test('estimate --archive with a missing path is an error naming it', async () => {
    const file = writeTemp('trailwatch.yaml', SMALL);
    const r = await runCli(['estimate', '--config', file, '--archive', path.join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope: no such file or folder');
  });
});

describe('the command', () => {
  test('on the example: per-account and total monthly cost with line items and drivers', async () => {
    const r = await runCli(['estimate', '--config', path.join(__dirname, '../../trailwatch.yaml')]);
    expect(r.code).toBe(0);
    for (const stack of ['management', 'log-archive', 'security', 'prod-payments', 'prod-web', 'dev-sandbox']) expect(r.stdout).toMatch(new RegExp(`^${stack} \\(\\d{12}, [a-z-]+\\): \\$[\\d,.]+ a month`, 'm'));
    expect(r.stdout).toMatch(/^Organization total: \$[\d,.]+ a month \(6 account stacks\)$/m);
    // The example logs every bucket's data events: they lead, with the fix.
    expect(r.stdout).toMatch(/Top cost drivers:\n {2}1\. CloudTrail data events: .*selected buckets/);
  });

  test('--json is the estimate; --markdown a table for a pull request; not both', async () => {
    const file = writeTemp('trailwatch.yaml', SMALL);
    const json = JSON.parse((await runCli(['estimate', '--config', file, '--json'])).stdout) as Estimate;
    expect(json.accounts.map((a) => a.stack)).toEqual(['management', 'log-archive', 'security', 'app']);
    expect(json.usd).toBeCloseTo(json.accounts.reduce((n, a) => n + a.usd, 0), 9);
    const md = (await runCli(['estimate', '--config', file, '--markdown'])).stdout;
    expect(md).toMatch(/^\| app \| \d+ \| 0 \| \d+ \| \d+ \| \$[\d.]+ \|$/m);
    expect(md).toMatch(/^\| \*\*total\*\* \|/m);
    const both = await runCli(['estimate', '--config', file, '--json', '--markdown']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--json cannot be used with --markdown: each chooses the output format');
  });

  test('estimate.trailIsAdditionalCopy: false next to organization.existingOrganizationTrail: true is a contradiction, refused', async () => {
    const file = writeTemp('trailwatch.yaml', SMALL.replace('trailIsAdditionalCopy: true', 'trailIsAdditionalCopy: false').replace('  securityAccount:', '  existingOrganizationTrail: true\n  securityAccount:'));
    const r = await runCli(['validate', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('estimate.trailIsAdditionalCopy: false contradicts organization.existingOrganizationTrail: true');
  });

  test('estimate.accounts naming an unknown account is a config error', async () => {
    const file = writeTemp('trailwatch.yaml', SMALL + '  accounts:\n    ap: { managementEventsPerDay: 5 }\n');
    const r = await runCli(['validate', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('estimate.accounts.ap: "ap" is not an account of this config; use one of management, log-archive, security, app');
  });
});
