/**
 * The archive readers fail closed (issue 18, section 2): every shape people export CloudTrail in is
 * read, and what cannot be read (a file, a record, an empty run, a record without a time) is counted,
 * named with its place, and fails the run unless the user accepts it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { readArchive } from '../../lib/backtest/archive';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { runCli, tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';

const ROOT = LABELLED_EVENTS.find((e) => e.name === 'root user lists buckets')!.record;
const QUIET = LABELLED_EVENTS.filter((e) => e.fires.length === 0).map((e) => e.record);
const at = (r: Record<string, unknown>, time: string) => ({ ...r, eventTime: time });

/** A folder with tw.yaml and the given files (name -> text or bytes); returns its paths. */
function archive(files: Record<string, string | Buffer>) {
  const dir = tempDir('tw-readers-');
  fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML);
  const logs = path.join(dir, 'logs');
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(logs, name)), { recursive: true });
    fs.writeFileSync(path.join(logs, name), body);
  }
  fs.mkdirSync(logs, { recursive: true });
  return { config: path.join(dir, 'tw.yaml'), logs };
}

async function backtest(a: { config: string; logs: string }, ...flags: string[]) {
  const r = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '0', '--json', ...flags]);
  return { ...r, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}
const rootMatches = (json: { filters: { name: string; matches: number }[] }) => json.filters.find((f) => f.name === 'root-account-usage')!.matches;

describe('formats', () => {
  test('`jq -c .` output of delivery files (one {"Records": [...]} per line) is read record by record', async () => {
    const day1 = { Records: [at(ROOT, '2026-10-01T10:00:00Z'), at(QUIET[0], '2026-10-01T10:01:00Z')] };
    const day2 = { Records: [at(ROOT, '2026-10-02T10:00:00Z'), at(ROOT, '2026-10-02T11:00:00Z'), at(QUIET[1], '2026-10-02T10:01:00Z')] };
    const a = archive({ 'compact.json': `${JSON.stringify(day1)}\n${JSON.stringify(day2)}\n` });
    const r = await backtest(a);
    expect(r.code).toBe(0);
    expect(r.json.events).toBe(5);
    expect(rootMatches(r.json)).toBe(3);
  });

  test('a one-line .jsonl (and .jsonl.gz) file is one record', async () => {
    const a = archive({ 'one.jsonl': JSON.stringify(at(ROOT, '2026-10-01T10:00:00Z')) + '\n', 'one.jsonl.gz': gzipSync(JSON.stringify(at(ROOT, '2026-10-01T11:00:00Z'))) });
    const r = await backtest(a);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ events: 2, skipped: 0 });
    expect(rootMatches(r.json)).toBe(2);
  });

  test.each([
    ['aws logs filter-log-events', { events: [{ logStreamName: '111111111111_CloudTrail_us-east-1', timestamp: 1790000000000, message: '', ingestionTime: 1790000001000, eventId: '1' }], searchedLogStreams: [] }],
    ['aws logs get-log-events', { events: [{ timestamp: 1790000000000, message: '', ingestionTime: 1790000001000 }], nextForwardToken: 'f/1', nextBackwardToken: 'b/1' }],
  ])('a CloudWatch Logs export (%s) is read: each event message is a CloudTrail record', async (_how, page) => {
    const records = [at(ROOT, '2026-10-01T10:00:00Z'), at(QUIET[0], '2026-10-01T10:01:00Z'), at(ROOT, '2026-10-01T10:02:00Z')];
    const doc = { ...page, events: records.map((rec) => ({ ...page.events[0], message: JSON.stringify(rec) })) };
    const a = archive({ 'log-group.json': JSON.stringify(doc) });
    const r = await backtest(a);
    expect(r.code).toBe(0);
    expect(r.json.events).toBe(3);
    expect(rootMatches(r.json)).toBe(2);
  });
});

describe('unreadable records are named by file and position and count against --max-skipped', () => {
  const lookup = () =>
    JSON.stringify({
      Events: [
        { EventId: 'a', CloudTrailEvent: JSON.stringify(at(ROOT, '2026-10-01T10:00:00Z')) },
        { EventId: 'b', CloudTrailEvent: '{"eventVersion": "1.09", "eventName": ' },
        { EventId: 'c', CloudTrailEvent: JSON.stringify(at(QUIET[0], '2026-10-01T10:05:00Z')) },
      ],
    });

  test('a broken CloudTrailEvent string in a LookupEvents export: no stack trace, exit 1 naming Events[1]', async () => {
    const a = archive({ 'lookup.json': lookup() });
    const r = await backtest(a);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(/unreadable record in .*lookup\.json at Events\[1\]: its CloudTrailEvent is not valid JSON/);
    expect(r.stderr).toMatch(/1 record in readable files could not be read \(--max-skipped 0\).*--max-skipped 1/);
    expect(r.json).toMatchObject({ events: 2, unreadableRecords: [{ position: 'Events[1]' }] });
  });

  test('--max-skipped 1 accepts it, and the readable records are replayed', async () => {
    const r = await backtest(archive({ 'lookup.json': lookup() }), '--max-skipped', '1');
    expect(r.code).toBe(0);
    expect(rootMatches(r.json)).toBe(1);
  });

  test('estimate --archive names the file and position instead of crashing, and --max-skipped 1 accepts it', async () => {
    const a = archive({ 'lookup.json': lookup() });
    const r = await runCli(['estimate', '--config', a.config, '--archive', a.logs, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--archive: 1 unreadable file or record \(--max-skipped 0\): .*lookup\.json at Events\[1\]: its CloudTrailEvent is not valid JSON.*--max-skipped 1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    const ok = await runCli(['estimate', '--config', a.config, '--archive', a.logs, '--json', '--max-skipped', '1']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/skipped .*lookup\.json at Events\[1\]/);
  });

  test('a bad JSON Lines line is reported by its line number', async () => {
    const lines = [at(ROOT, '2026-10-01T10:00:00Z'), at(QUIET[0], '2026-10-01T10:00:00Z')].map((x) => JSON.stringify(x));
    const a = archive({ 'events.jsonl': `${lines[0]}\n${lines[1]}\n{"eventName": "Trunc\n${lines[0]}\n` });
    const r = await backtest(a);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unreadable record in .*events\.jsonl at line 3: not valid JSON/);
    expect(r.stderr).not.toMatch(/position \d+/);
    expect(r.json.events).toBe(3);
  });

  test('a .json file that is not JSON is reported with line and column, not a byte position', () => {
    expect(() => readArchive(Buffer.from('{"Records": [\n  {"eventName": "A"}\n  {"eventName": "B"}\n]}'), 'x.json')).toThrow(/not valid JSON \(.* at line 3 column 3\)/);
  });
});

describe('an empty run fails, saying why, unless --allow-empty', () => {
  test('an empty {"Records": []}', async () => {
    const a = archive({ 'empty.json': '{"Records": []}' });
    const r = await backtest(a);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/backtest: no events were read: the 1 file holds no CloudTrail records; .*--allow-empty/);
    expect((await backtest(a, '--allow-empty')).code).toBe(0);
  });

  test('a folder without archive files', async () => {
    const a = archive({ 'notes.txt': 'hello' });
    const r = await backtest(a);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no events were read: there are no \.json\.gz, \.json or \.jsonl files under /);
    expect((await backtest(a, '--allow-empty')).code).toBe(0);
  });

  test('--since after every delivery day: the files exist, and the message says they are older', async () => {
    const a = archive({
      'AWSLogs/444444444444/CloudTrail/us-east-1/2026/10/01/a.json.gz': gzipSync(JSON.stringify({ Records: [at(ROOT, '2026-10-01T10:00:00Z')] })),
      'AWSLogs/444444444444/CloudTrail/us-east-1/2026/10/02/b.json.gz': gzipSync(JSON.stringify({ Records: [at(ROOT, '2026-10-02T10:00:00Z')] })),
    });
    const r = await backtest(a, '--since', '2026-11-01');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no events were read: the 2 files are under .* from days before --since 2026-11-01 \(the newest from 2026-10-02\)/);
    expect(r.stderr).not.toMatch(/no \.json\.gz/);
  });

  test('--since after every record of files without a day in their path', async () => {
    const a = archive({ 'export.json': JSON.stringify({ Records: [at(ROOT, '2026-10-01T10:00:00Z'), at(ROOT, '2026-10-02T10:00:00Z')] }) });
    const r = await backtest(a, '--since', '2026-11-01');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no events were read: all 2 records are from before --since 2026-11-01/);
    expect((await backtest(a, '--since', '2026-11-01', '--allow-empty')).code).toBe(0);
  });
});

test('records without a usable eventTime are counted and reported: they match but cannot alarm', async () => {
  const { eventTime: _drop, ...noTime } = ROOT as Record<string, unknown>;
  const a = archive({ 'export.json': JSON.stringify({ Records: [noTime, { ...noTime, eventTime: 'yesterday' }, at(ROOT, '2026-10-01T10:00:00Z')] }) });
  const r = await backtest(a);
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({ events: 3, untimed: 2 });
  expect(rootMatches(r.json)).toBe(3);
  expect(r.stderr).toMatch(/warning: 2 events have no usable eventTime: they are counted in the matches, but no alarm period holds them, so they never alarm/);
  const text = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '0']);
  expect(text.stdout).toMatch(/^3 events in 1 files \(0 skipped, 2 without eventTime\)/);
});

test('worker threads report the same unreadable records, untimed events and matches as the main thread', async () => {
  const { eventTime: _drop, ...noTime } = ROOT as Record<string, unknown>;
  const a = archive({
    'a.jsonl': `${JSON.stringify(at(ROOT, '2026-10-01T10:00:00Z'))}\nnot json\n`,
    'b.json': JSON.stringify({ Records: [noTime, at(ROOT, '2026-10-01T11:00:00Z')] }),
    'c.json': JSON.stringify({ Events: [{ CloudTrailEvent: '{' }] }),
  });
  const inThread = await backtest(a, '--max-skipped', '2');
  const workers = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '2', '--json', '--max-skipped', '2']);
  expect(inThread.code).toBe(0);
  expect(workers.code).toBe(0);
  const pick = (j: { events: number; untimed: number; unreadableRecords: unknown[] }) => ({ events: j.events, untimed: j.untimed, unreadable: j.unreadableRecords, root: rootMatches(j as never) });
  expect(pick(JSON.parse(workers.stdout))).toEqual(pick(inThread.json));
  expect(pick(inThread.json)).toMatchObject({ events: 3, untimed: 1, root: 3 });
  expect(inThread.json.unreadableRecords.map((u: { position: string }) => u.position)).toEqual(['line 2', 'Events[0]']);
});
