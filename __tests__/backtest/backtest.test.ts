import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { listArchiveFiles, recordsOf } from '../../lib/backtest/archive';
import { backtestFilters, backtestSql } from '../../lib/backtest/filters';
import { runBacktest } from '../../lib/backtest/run-backtest';
import { identityOf, replayAlarm, top } from '../../lib/backtest/stats';
import { compilePatternSet } from '../../lib/filter-pattern';
import { loadConfigFile, parseConfigText } from '../../lib/config/load';
import { writeArchive } from '../support/archive';
import { MINIMAL_YAML } from '../support/configs';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { runCli } from '../support/cli';
import { planDetections } from '../../lib/monitoring/plan';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tw-backtest-'));
const config = parseConfigText(MINIMAL_YAML);


describe('backtest counts equal an independent count', () => {
  const dir = tmp();
  const archive = writeArchive(dir, { events: 6000, eventsPerFile: 400, seed: 7 });

  test.each([
    ['in worker threads', 2],
    ['in the main thread', 0],
  ])('%s', async (_how, workers) => {
    const report = await runBacktest(listArchiveFiles([dir]), backtestFilters(planDetections((config).monitoring)), { workers });
    expect(report.events).toBe(6000);
    expect(report.files).toBe(archive.files.length);
    const got = Object.fromEntries(report.filters.filter((f) => f.matches > 0).map((f) => [f.name, f.matches]));
    expect(got).toEqual(archive.expected);
  });

  test('worker threads report exactly what one thread does: tallies keyed by per-worker ids merge by the strings they stand for', async () => {
    // The example's detections, so that many of them match and each worker numbers identities, IPs
    // and event names in the order its own files bring them.
    const filters = backtestFilters(planDetections((loadConfigFile(path.join(__dirname, '../../trailwatch.yaml'))).monitoring));
    const files = listArchiveFiles([dir]);
    const [one, two] = [await runBacktest(files, filters, { workers: 0 }), await runBacktest(files, filters, { workers: 2 })];
    const { seconds: _a, ...oneReport } = one;
    const { seconds: _b, ...twoReport } = two;
    expect(twoReport).toEqual(oneReport);
    // and the busiest detection's top lists are those of a count made from the matching records themselves
    const busiest = [...one.filters].sort((a, b) => b.matches - a.matches)[0];
    expect(busiest.matches).toBeGreaterThan(100);
    const alone = compilePatternSet([busiest.pattern]);
    const counts = { identities: new Map<string, number>(), sourceIps: new Map<string, number>(), eventNames: new Map<string, number>() };
    const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const f of files)
      for (const r of recordsOf(fs.readFileSync(f), f) as { eventName?: string; sourceIPAddress?: string }[]) {
        if (alone.matchEvent(r, new Int32Array(1)) === 0) continue;
        add(counts.identities, identityOf(r));
        add(counts.sourceIps, r.sourceIPAddress ?? 'unknown');
        add(counts.eventNames, r.eventName ?? 'unknown');
      }
    expect(busiest.top).toMatchObject({ identities: top(counts.identities), sourceIps: top(counts.sourceIps), eventNames: top(counts.eventNames) });
  });

  test('--json through the CLI has the documented shape', async () => {
    const cfg = path.join(dir, 'tw.yaml');
    fs.writeFileSync(cfg, MINIMAL_YAML);
    const r = await runCli(['backtest', dir, '--config', cfg, '--json', '--workers', '2']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['events', 'files', 'seconds', 'filters']));
    expect(out.events).toBe(6000);
    const f = out.filters.find((x: any) => x.name === 'unauthorized-api-calls');
    expect(Object.keys(f)).toEqual(expect.arrayContaining(['name', 'pattern', 'matches', 'alarms', 'top']));
    expect(f.matches).toBe(archive.expected['unauthorized-api-calls']);
    expect(f.top.identities[0].count).toBeGreaterThan(0);
    expect(f.alarms).toBeGreaterThan(0);
  });
});

describe('corrupt and truncated files are reported and skipped', () => {
  test('the run goes on and counts the good files', async () => {
    const dir = tmp();
    const archive = writeArchive(dir, { events: 1000, eventsPerFile: 250, seed: 3 });
    const good = fs.readFileSync(archive.files[0]);
    fs.writeFileSync(path.join(dir, 'truncated.json.gz'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(dir, 'garbage.json'), '{"Records": [ {"eventName": ');
    fs.writeFileSync(path.join(dir, 'wrong-shape.json'), '{"hello": 1}');
    const report = await runBacktest(listArchiveFiles([dir]), backtestFilters(planDetections((config).monitoring)), { workers: 2 });
    expect(report.events).toBe(1000);
    expect(report.skipped.map((s) => path.basename(s.file))).toEqual(['garbage.json', 'truncated.json.gz', 'wrong-shape.json']);
    expect(report.skipped[1].error).toMatch(/gzip/);
  });
});

describe('archive formats', () => {
  const records = LABELLED_EVENTS.slice(0, 3).map((e) => e.record);
  test.each([
    ['S3 delivery file', gzipSync(JSON.stringify({ Records: records }))],
    ['LookupEvents export', Buffer.from(JSON.stringify({ Events: records.map((r) => ({ EventId: r.eventID, CloudTrailEvent: JSON.stringify(r) })) }))],
    ['JSON array', Buffer.from(JSON.stringify(records))],
    ['JSON Lines', Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n')],
  ])('%s', (_name, bytes) => {
    expect(recordsOf(bytes)).toEqual(records);
  });

  test('--since skips whole delivery days by path and older events by eventTime', async () => {
    const dir = tmp();
    writeArchive(dir, { events: 2000, eventsPerFile: 100, seed: 5, start: '2026-10-01T00:00:00Z', days: 10 });
    const all = listArchiveFiles([dir]);
    const later = listArchiveFiles([dir], new Date('2026-10-06T00:00:00Z'));
    expect(later.length).toBeLessThan(all.length);
    const report = await runBacktest(later, backtestFilters(planDetections((config).monitoring)), { workers: 0, since: '2026-10-06T00:00:00Z' });
    const full = await runBacktest(all, backtestFilters(planDetections((config).monitoring)), { workers: 0 });
    expect(report.events).toBeLessThan(full.events);
    expect(report.events).toBeGreaterThan(0);
  });

  test('digest files are never read as events', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'AWSLogs/1/CloudTrail-Digest/us-east-1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'AWSLogs/1/CloudTrail-Digest/us-east-1/x.json.gz'), 'x');
    expect(listArchiveFiles([dir])).toEqual([]);
  });
});

describe('alarm replay', () => {
  const alarm = { period: 300, threshold: 1, evaluationPeriods: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold' };
  test('consecutive breaching periods are one episode', () => {
    expect(replayAlarm(new Map([[0, 1], [300, 2], [900, 1]]), alarm)).toEqual({ alarmPeriods: 3, episodes: 2 });
  });
  test('threshold and M of N', () => {
    expect(replayAlarm(new Map([[0, 4], [300, 6]]), { ...alarm, threshold: 5 })).toEqual({ alarmPeriods: 1, episodes: 1 });
    // 2 of 3 periods must breach: periods 0 and 600 breach, so only the window ending at 600 (periods 0, 300, 600) is in ALARM.
    expect(replayAlarm(new Map([[0, 1], [600, 1]]), { ...alarm, evaluationPeriods: 3, datapointsToAlarm: 2 })).toEqual({ alarmPeriods: 1, episodes: 1 });
  });
});

describe('--emit-sql', () => {
  test('one Athena query per enabled control', () => {
    const sql = backtestSql(planDetections((config).monitoring), 'athena');
    expect(sql.match(/^SELECT /gm)).toHaveLength(15);
    expect(sql).toContain('FROM cloudtrail_logs');
  });

  test('the CLI prints CloudTrail Lake SQL for the event data store', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML);
    const r = await runCli(['backtest', '--emit-sql', 'cloudtrail-lake', '--table', 'eds-123', '--config', path.join(dir, 'tw.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/FROM eds-123/g)).toHaveLength(15);
  });

  test('no paths and no --emit-sql is a clear error', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML);
    const r = await runCli(['backtest', '--config', path.join(dir, 'tw.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('give at least one archive file or folder');
  });
});
