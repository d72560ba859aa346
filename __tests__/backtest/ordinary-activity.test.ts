/**
 * The ordinary-activity archive (scripts/ordinary-activity.ts) and what the example config's
 * detections make of it: quiet on ordinary days, every threat detection firing when the Stratus-style
 * detonations are added, technique ids in the report.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listArchiveFiles } from '../../lib/backtest/archive';
import { backtestFilters } from '../../lib/backtest/filters';
import { runBacktest } from '../../lib/backtest/run-backtest';
import { THREAT_CATALOG } from '../../lib/catalog';
import { parseConfigText } from '../../lib/config/load';
import { ordinaryActivity } from '../../scripts/ordinary-activity';
import { runCli } from '../support/cli';
import { EXAMPLE_CONFIG } from '../support/example';
import { planDetections } from '../../lib/monitoring/plan';

const example = parseConfigText(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'), 'trailwatch.yaml');
const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
const script = path.join(__dirname, '../../scripts/generate-ordinary-archive.ts');

function generate(...args: string[]): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-ordinary-'));
  execFileSync(tsx, [script, '--out', out, ...args], { stdio: 'pipe' });
  return out;
}

describe('the ordinary-activity model', () => {
  const batches = [...ordinaryActivity({ days: 2, seed: 5 })];
  const records = batches.flatMap((b) => b.records);

  test('deterministic: the same seed gives the same records, another seed others', () => {
    expect(JSON.stringify([...ordinaryActivity({ days: 2, seed: 5 })])).toBe(JSON.stringify(batches));
    expect(JSON.stringify([...ordinaryActivity({ days: 2, seed: 6 })])).not.toBe(JSON.stringify(batches));
  });

  test('a mix of services, callers and calls, mostly reads, in time order per file', () => {
    expect(records.length).toBeGreaterThan(20000);
    expect(new Set(records.map((r) => r.eventSource)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(records.map((r) => r.eventName)).size).toBeGreaterThanOrEqual(40);
    expect([...new Set(records.map((r) => (r.userIdentity as { type: string }).type))]).toEqual(expect.arrayContaining(['AssumedRole', 'AWSService']));
    expect(records.filter((r) => r.readOnly === true).length / records.length).toBeGreaterThan(0.8);
    for (const b of batches) {
      const times = b.records.map((r) => String(r.eventTime));
      expect(times).toEqual([...times].sort());
      for (const t of times) expect(Date.parse(t) - b.hour).toBeLessThan(3_600_000);
    }
  });
});

describe('the example config on the archive', () => {
  test('ordinary days: few alarms per day, none from defense impairment or sharing', async () => {
    const dir = generate('--days', '4');
    const report = await runBacktest(listArchiveFiles([dir]), backtestFilters(planDetections((example).monitoring)), { workers: 0 });
    expect(report.days).toBe(4);
    const total = report.filters.reduce((n, f) => n + f.alarms, 0);
    expect(total / report.days).toBeLessThan(5);
    const loud = report.filters.filter((f) => f.alarms > 0).map((f) => f.name);
    for (const id of ['guardduty-impaired', 'cloudtrail-event-selector-tampering', 'ebs-snapshot-shared', 'ami-shared', 'rds-snapshot-shared', 'secrets-harvesting', 'lambda-code-changed']) {
      expect(loud).not.toContain(id);
    }
  });

  test('bulk secret reads by one principal: ordinary activity stays under the example\'s per-principal threshold, a dozen reads by one stolen role fire it', async () => {
    const dir = generate('--days', '14');
    const secrets = backtestFilters(planDetections((example).monitoring)).filter((f) => f.name === 'secrets-harvesting');
    expect(secrets[0].per).toEqual(['userIdentity.arn']);
    const threshold = secrets[0].alarm.threshold;
    const quiet = await runBacktest(listArchiveFiles([dir]), secrets, { workers: 0 });
    expect(quiet.filters[0].matches).toBeGreaterThan(10_000); // plenty of reads, spread over principals
    expect(quiet.filters[0].alarms).toBe(0);
    expect(quiet.filters[0].top.contributors![0].count).toBeLessThan(threshold);
    // One stolen role reads 12 secrets in two minutes, in the middle of ordinary traffic.
    const at = (s: number) => `2026-11-05T10:0${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}Z`;
    const stolen = Array.from({ length: 12 }, (_, i) => ({
      eventVersion: '1.09', eventTime: at(i * 10), eventSource: 'secretsmanager.amazonaws.com', eventName: i % 3 === 0 ? 'BatchGetSecretValue' : 'GetSecretValue', awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.7',
      userAgent: 'aws-cli/2.17.3', readOnly: true, eventType: 'AwsApiCall', recipientAccountId: '444444444444', requestParameters: { secretId: `prod/s${i}` }, responseElements: null,
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::444444444444:assumed-role/payments-api/stolen', accountId: '444444444444', principalId: 'AROAEXAMPLE:stolen' },
    }));
    const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-stolen-'));
    fs.writeFileSync(path.join(extra, 'stolen.json'), JSON.stringify({ Records: stolen }));
    const loud = await runBacktest([...listArchiveFiles([dir]), path.join(extra, 'stolen.json')], secrets, { workers: 0 });
    expect(loud.filters[0].alarms).toBe(1);
    expect(loud.filters[0].top.contributors![0]).toEqual({ value: 'arn:aws:sts::444444444444:assumed-role/payments-api/stolen', count: 12 });
    // Counted for the whole organization, 12 more reads hide under the threshold ordinary activity needs (the example needed 40).
    const summed = await runBacktest([...listArchiveFiles([dir]), path.join(extra, 'stolen.json')], secrets.map((f) => ({ ...f, per: undefined, alarm: { ...f.alarm, threshold: 40 } })), { workers: 0 });
    expect(summed.filters[0].alarms).toBe(quiet.filters[0].alarms);
  }, 120_000);

  test('with the detonations added every threat detection alarms, and --json names its techniques', async () => {
    const dir = generate('--days', '3', '--with-attacks');
    const r = await runCli(['backtest', dir, '--config', EXAMPLE_CONFIG, '--json', '--workers', '0']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { days: number; filters: { name: string; kind: string; techniques: string[]; tactics: string[]; alarms: number; alarmsPerDay: number }[] };
    for (const t of THREAT_CATALOG) {
      const f = out.filters.find((x) => x.name === t.id)!;
      expect({ id: t.id, kind: f.kind, techniques: f.techniques, fired: f.alarms > 0 }).toEqual({ id: t.id, kind: 'threat', techniques: [...t.attack!.techniques], fired: true });
    }
    expect(out.filters.find((x) => x.name === 'cloudtrail-config-changes')!.techniques).toEqual(['T1562.008']);
    const text = await runCli(['backtest', dir, '--config', EXAMPLE_CONFIG, '--workers', '0']);
    expect(text.stdout).toMatch(/^ebs-snapshot-shared +threat +\d+ +\d+ +\d+\.\d\d +T1537 /m);
    expect(text.stdout).toMatch(/spanning 3 days/);
  });

  test('the generator refuses a folder that already holds an archive', () => {
    const dir = generate('--days', '1');
    expect(() => execFileSync(tsx, [script, '--out', dir, '--days', '1'], { stdio: 'pipe' })).toThrow(/exists; give an empty folder/);
  });
});
