/**
 * Gates and formats CI systems understand (issue 18, section 3): backtest --expect / --fail-on-alarm /
 * --junit, test-pattern --expect-matches, lint and validate --json / --sarif / --junit, flag errors
 * that point at --help, and conflicting flags refused by name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { xml } from '../../lib/report/junit';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { runCli, tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';

const ROOT = LABELLED_EVENTS.find((e) => e.name === 'root user lists buckets')!.record;
const CIS_DEFECT = '{ ($.errorCode = "*UnauthorizedOperation") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") }';

function project(files: Record<string, string> = {}, yaml = MINIMAL_YAML) {
  const dir = tempDir('tw-gates-');
  fs.writeFileSync(path.join(dir, 'tw.yaml'), yaml);
  // Two root sign-ins an hour apart: root-account-usage matches twice and alarms twice.
  const records = ['2026-10-01T10:00:00Z', '2026-10-01T11:00:00Z'].map((t) => ({ ...ROOT, eventTime: t }));
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.writeFileSync(path.join(dir, 'logs', 'export.json'), JSON.stringify({ Records: records }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, config: path.join(dir, 'tw.yaml'), logs: path.join(dir, 'logs'), at: (name: string) => path.join(dir, name) };
}
const backtest = (p: ReturnType<typeof project>, ...flags: string[]) => runCli(['backtest', p.logs, '--config', p.config, '--workers', '0', ...flags]);

describe('backtest --expect', () => {
  test('met expectations exit 0 and are listed', async () => {
    const p = project({ 'expect.yaml': 'detections:\n  root-account-usage:\n    matches: { min: 1 }\n    alarms: { min: 1, max: 5 }\n  iam-policy-changes:\n    alarms: { max: 0 }\n' });
    const r = await backtest(p, '--expect', p.at('expect.yaml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok {3}root-account-usage: matches >= 1 \(got 2\)/);
    expect(r.stdout).toMatch(/ok {3}root-account-usage: alarms from 1 to 5 \(got 2\)/);
  });

  test('an expectation not met exits 1, naming the detection, the bound and the count (JSON too)', async () => {
    const p = project({ 'expect.json': JSON.stringify({ detections: { 'root-account-usage': { alarms: { max: 0 } }, 'iam-policy-changes': { matches: { min: 1 } } } }) });
    const r = await backtest(p, '--expect', p.at('expect.json'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--expect .*expect\.json: 2 of 2 expectations not met: root-account-usage alarms <= 0, got 2; iam-policy-changes matches >= 1, got 0/);
    expect(JSON.parse(r.stdout).expectations).toEqual([
      { detection: 'root-account-usage', measure: 'alarms', max: 0, actual: 2, ok: false, label: 'alarms <= 0' },
      { detection: 'iam-policy-changes', measure: 'matches', min: 1, actual: 0, ok: false, label: 'matches >= 1' },
    ]);
  });

  test('a malformed expectations file is refused before any archive is read, each problem with its line', async () => {
    const p = project({ 'expect.yaml': 'detections:\n  root-acount-usage:\n    matches: { min: 1 }\n  iam-policy-changes:\n    alarm: { max: 0 }\n    matches: { min: 3, max: 1 }\n' });
    const r = await backtest(p, '--expect', p.at('expect.yaml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(''); // no report: nothing was replayed
    expect(r.stderr).toMatch(/detections\.iam-policy-changes\.alarm: unknown key; expected matches, alarms \(expect\.yaml:5:5\)/);
    expect(r.stderr).toMatch(/detections\.iam-policy-changes\.matches: min is more than max \(expect\.yaml:6:14\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const typo = project({ 'expect.yaml': 'detections:\n  root-acount-usage:\n    matches: { min: 1 }\n' });
    const t = await backtest(typo, '--expect', typo.at('expect.yaml'));
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/detections\.root-acount-usage: not a detection the config enables \(did you mean root-account-usage\?\) \(expect\.yaml:2:3\)/);
  });

  test('a missing expectations file is an error naming the flag', async () => {
    const p = project();
    const r = await backtest(p, '--expect', p.at('nope.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--expect .*nope\.yaml: no such file/);
  });
});

test('backtest --fail-on-alarm exits 1 naming what would have alarmed', async () => {
  const p = project();
  expect((await backtest(p)).code).toBe(0);
  const r = await backtest(p, '--fail-on-alarm');
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/backtest: --fail-on-alarm: root-account-usage \(2 alarms\) would have alarmed/);
});

test('backtest --junit writes one test case per detection and per expectation', async () => {
  const p = project({ 'expect.yaml': 'detections:\n  root-account-usage:\n    alarms: { max: 0 }\n    matches: { min: 1 }\n' });
  const r = await backtest(p, '--junit', p.at('report.xml'), '--expect', p.at('expect.yaml'), '--json');
  expect(r.code).toBe(1);
  const detections = JSON.parse(r.stdout).filters.length;
  const report = fs.readFileSync(p.at('report.xml'), 'utf8');
  expect(report).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  expect(report.match(/<testcase /g)).toHaveLength(1 + detections + 2);
  expect(report.match(/classname="backtest\.detections"/g)).toHaveLength(detections);
  expect(report).toMatch(/<testcase classname="backtest\.expect" name="root-account-usage: alarms &lt;= 0" time="0">\n\s+<failure message="expected alarms &lt;= 0, got 2"/);
  expect(report).toMatch(/<testcase classname="backtest\.expect" name="root-account-usage: matches &gt;= 1" time="0"\/>/);
  expect(report).toMatch(new RegExp(`<testsuite name="trailwatch backtest" tests="${detections + 3}" failures="1"`));
});

test('JUnit text is escaped into well-formed XML', () => {
  expect(xml('a<b & "c" \'d\'>\u0001\n')).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\ufffd&#10;');
});

describe('test-pattern --expect-matches', () => {
  const events = () => {
    const file = path.join(tempDir('tw-gates-'), 'events.txt');
    fs.writeFileSync(file, '{"eventName":"ConsoleLogin"}\n{"eventName":"GetObject"}\n{"eventName":"ConsoleLogin"}\n');
    return file;
  };
  const pattern = '{ $.eventName = "ConsoleLogin" }';
  test('the count met: exit 0', async () => {
    const r = await runCli(['test-pattern', '--pattern', pattern, '--events', events(), '--expect-matches', '2']);
    expect(r.code).toBe(0);
  });
  test('the count missed: exit 1 naming what matched, the JSON still printed', async () => {
    const r = await runCli(['test-pattern', '--pattern', pattern, '--events', events(), '--expect-matches', '1']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).matches).toHaveLength(2);
    expect(r.stderr).toBe('trailwatch: test-pattern: --expect-matches 1: the pattern matched 2 events (events 1, 3)\n');
  });
});

/** The SARIF 2.1.0 properties the schema requires and GitHub code scanning reads. */
function expectSarif210(text: string) {
  const log = JSON.parse(text);
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(Array.isArray(log.runs)).toBe(true);
  for (const run of log.runs) {
    expect(typeof run.tool.driver.name).toBe('string');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const rule of run.tool.driver.rules) expect(typeof rule.id).toBe('string');
    for (const res of run.results) {
      expect(typeof res.message.text).toBe('string');
      expect(['none', 'note', 'warning', 'error']).toContain(res.level);
      expect(ruleIds).toContain(res.ruleId);
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      for (const loc of res.locations ?? []) {
        expect(typeof loc.physicalLocation.artifactLocation.uri).toBe('string');
        expect(loc.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
        if (loc.physicalLocation.region.startColumn !== undefined) expect(loc.physicalLocation.region.startColumn).toBeGreaterThanOrEqual(1);
      }
    }
  }
  return log;
}

describe('lint and validate: --json, --sarif, --junit', () => {
  const broken = MINIMAL_YAML + `monitoring:\n  custom:\n    - id: noisy\n      title: Noisy\n      pattern: '${CIS_DEFECT}'\n`;

  test('lint --sarif puts each finding at its config file:line:column', async () => {
    const p = project({}, broken);
    const r = await runCli(['lint', '--config', p.config, '--sarif', p.at('lint.sarif')]);
    expect(r.code).toBe(1);
    const log = expectSarif210(fs.readFileSync(p.at('lint.sarif'), 'utf8'));
    const [result] = log.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'negation-in-or', level: 'error' });
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: expect.objectContaining({ uri: expect.stringMatching(/tw\.yaml$/) }), region: { startLine: 14, startColumn: 16 } });
  });

  test('lint --json prints one object with the findings', async () => {
    const p = project({}, broken);
    const r = await runCli(['lint', '--config', p.config, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: p.config, errors: 1, findings: [{ severity: 'error', rule: 'negation-in-or', path: 'monitoring.custom[0].pattern', line: 14, column: 16 }] });
    const clean = await runCli(['lint', '--pattern', '{ $.eventName = "ConsoleLogin" }', '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ file: null, patterns: 1, errors: 0, warnings: 0, findings: [] });
  });

  test('validate --sarif and --junit report the same problems', async () => {
    const p = project({}, broken);
    const r = await runCli(['validate', '--config', p.config, '--sarif', p.at('v.sarif'), '--junit', p.at('v.xml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/monitoring\.custom\[0\]\.pattern: .*negation-in-or/);
    const log = expectSarif210(fs.readFileSync(p.at('v.sarif'), 'utf8'));
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toEqual({ startLine: 14, startColumn: 16 });
    const junit = fs.readFileSync(p.at('v.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="validate\.negation-in-or" name="monitoring\.custom\[0\]\.pattern" time="0">\n\s+<failure message="the pattern of noisy is refused/);
    const ok = project();
    const v = await runCli(['validate', '--config', ok.config, '--junit', ok.at('v.xml')]);
    expect(v.code).toBe(0);
    expect(fs.readFileSync(ok.at('v.xml'), 'utf8')).toMatch(/tests="1" failures="0"/);
  });

  test.each([
    ['a missing config', (p: ReturnType<typeof project>) => p.at('missing.yaml'), /config file not found/],
    ['a folder', (p: ReturnType<typeof project>) => p.dir, /not a file/],
    ['a file that is not UTF-8', (p: ReturnType<typeof project>) => (fs.writeFileSync(p.at('bin.yaml'), Buffer.from([0xff, 0xfe, 0x00])), p.at('bin.yaml')), /not valid UTF-8/],
  ])('validate --json prints one JSON object for %s', async (_what, configOf, message) => {
    const p = project();
    const r = await runCli(['validate', '--json', '--config', configOf(p)]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ valid: false, problems: [{ severity: 'error', message: expect.stringMatching(message) }] });
  });
});

describe('flag errors', () => {
  test('an unknown flag prints the error and one line pointing at --help, not the whole help', async () => {
    const r = await runCli(['backtest', '--bogus']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: unknown option '--bogus'\n(run 'trailwatch backtest --help' for its flags)\n");
  });

  test('a bad value of a nested command points at that command', async () => {
    const r = await runCli(['sigma', 'convert', 'x.yml', '--to', 'splunk']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: option '--to <target>' argument 'splunk' is invalid.*\n\(run 'trailwatch sigma convert --help' for its flags\)\n$/);
    expect(r.stderr).not.toMatch(/Usage:/);
  });

  test('lint --pattern with --config is refused, naming both', async () => {
    const r = await runCli(['lint', '--pattern', '{ $.eventName = "x" }', '--config', 'missing.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --pattern cannot be used with --config: --pattern lints the one pattern given and reads no config; drop --config, or drop --pattern\n/);
    expect(r.stdout).toBe('');
  });

  test('backtest --emit-sql names each flag it would ignore', async () => {
    const p = project();
    const r = await runCli(['backtest', '--emit-sql', 'athena', '--config', p.config, '--json', '--workers', '2', '--max-skipped', '3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: --emit-sql cannot be used with --json, --workers and --max-skipped: --emit-sql prints queries to run where the logs are and reads no files/);
    expect(r.stdout).toBe('');
  });
});

test('an unknown CloudTrail field in the config is a SARIF error of rule unknown-cloudtrail-field at the pattern', async () => {
  const p = project({}, MINIMAL_YAML + `monitoring:\n  custom:\n    - id: typo\n      title: Typo\n      pattern: '{ $.evnetName = "ConsoleLogin" }'\n`);
  const r = await runCli(['validate', '--config', p.config, '--sarif', p.at('v.sarif')]);
  expect(r.code).toBe(1);
  const [result] = expectSarif210(fs.readFileSync(p.at('v.sarif'), 'utf8')).runs[0].results;
  expect(result).toMatchObject({ ruleId: 'unknown-cloudtrail-field', level: 'error', locations: [{ physicalLocation: { region: { startLine: 14, startColumn: 16 } } }] });
});
