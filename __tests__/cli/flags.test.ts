/**
 * The command line fails closed (issue 12, items 6, 8, 9, 16): a flag value that is not exactly
 * what the flag takes is an error naming the flag, and nothing runs on a guess.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

function project(yaml = MINIMAL_YAML) {
  const dir = tempDir('tw-flags-');
  fs.writeFileSync(path.join(dir, 'tw.yaml'), yaml);
  return { dir, config: path.join(dir, 'tw.yaml') };
}

describe('numeric flags are whole numbers or an error naming the flag', () => {
  test.each(['abc', '', '1.5', '-1', '1e1', '0x2', ' 2', '65'])('synth --workers %j', async (value) => {
    const p = project();
    const r = await runCli(['synth', '--config', p.config, '--out', path.join(p.dir, 'out'), '--workers', value]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: option '-w, --workers <n>' argument .* is invalid\. expected a whole number from 0 to 64/);
    expect(fs.readdirSync(p.dir)).toEqual(['tw.yaml']); // no manifest of 0 stacks, no "synthesized"
    expect(r.stderr).not.toMatch(/synthesized/);
  });

  test.each([
    ['--workers', 'abc'],
    ['--workers', ''],
    ['--workers', '2.5'],
    ['--max-skipped', '-3'],
    ['--max-skipped', 'many'],
  ])('backtest %s %j', async (flag, value) => {
    const p = project();
    const r = await runCli(['backtest', p.dir, '--config', p.config, flag, value]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`error: option '${flag} <n>' argument .* is invalid\\. expected a whole number`));
    expect(r.stdout).toBe(''); // no "0 events" report
  });

  test('--workers 0 is valid (synthesize in the main thread)', async () => {
    const p = project();
    const r = await runCli(['synth', '--config', p.config, '--out', path.join(p.dir, 'out'), '--workers', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/synthesized 4 stacks/);
  });
});

describe('--since takes ISO 8601 only, and reaches SQL only as a checked literal', () => {
  test.each([
    ['1', 'a bare number (was read as 2001)'],
    ['10/01/2026', 'month-first'],
    ['01.10.2026', 'day-first'],
    ['2026-10-01T08:00:00', 'a date-time without a zone'],
    ['2026-10-01 08:00:00Z', 'a space for T'],
    ['2026-02-30', 'a day that does not exist'],
    ['2026-13-01', 'a month that does not exist'],
    ['2026-10-01T24:00:00Z', 'an hour that does not exist'],
    ["2026-10-01' OR '1'='1", 'SQL'],
    ['', 'empty'],
  ])('%j (%s) is refused', async (since) => {
    const p = project();
    const r = await runCli(['backtest', '--emit-sql', 'athena', '--config', p.config, '--since', since]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: option '--since <date>' argument .* is invalid\. .*expected an ISO 8601 date \(2026-10-01, read as UTC\) or date-time with a zone/);
    expect(r.stdout).toBe('');
  });

  test.each(['2026-10-01', '2024-02-29', '2026-10-01T08:00Z', '2026-10-01T08:00:00Z', '2026-10-01T08:00:00.123Z', '2026-10-01T10:00:00+02:00'])('%j is accepted', async (since) => {
    const p = project();
    const r = await runCli(['backtest', '--emit-sql', 'athena', '--config', p.config, '--since', since]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('${since}')`);
  });
});

describe('--table and --emit-sql', () => {
  test('--table without --emit-sql is refused, with the reason', async () => {
    const p = project();
    const r = await runCli(['backtest', p.dir, '--config', p.config, '--table', 'cloudtrail_logs']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--table names the table the --emit-sql queries read; without --emit-sql, backtest reads archive files and has no table/);
  });

  test('archive paths with --emit-sql are refused, with the reason', async () => {
    const p = project();
    const r = await runCli(['backtest', p.dir, '--emit-sql', 'athena', '--config', p.config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--emit-sql prints queries to run where the logs are and reads no files; drop .*, or drop --emit-sql/);
    expect(r.stdout).toBe('');
  });

  test.each([
    ['athena', 'logs; DROP TABLE x'],
    ['athena', 'a b'],
    ['athena', '1logs'],
    ['athena', 'a.b.c.d'],
    ['athena', '"quoted"'],
    ['cloudtrail-lake', 'eds id'],
    ['cloudtrail-lake', "eds'--"],
  ])('%s --table %j is refused', async (engine, table) => {
    const p = project();
    const r = await runCli(['backtest', '--emit-sql', engine, '--table', table, '--config', p.config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--table: expected (an Athena table name|a CloudTrail Lake event data store id)/);
    expect(r.stdout).toBe('');
  });

  test.each([
    ['athena', 'security_db.cloudtrail_logs'],
    ['athena', '_logs'],
    ['cloudtrail-lake', 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'],
  ])('%s --table %j is used', async (engine, table) => {
    const p = project();
    const r = await runCli(['backtest', '--emit-sql', engine, '--table', table, '--config', p.config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`FROM ${table}\n`);
  });
});

describe('the config file', () => {
  test('TRAILWATCH_CONFIG set but empty is an error, not the current folder', async () => {
    process.env.TRAILWATCH_CONFIG = '';
    try {
      const r = await runCli(['validate']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('trailwatch: TRAILWATCH_CONFIG is set but empty; set it to the config file, or unset it to use ./trailwatch.yaml\n');
    } finally {
      delete process.env.TRAILWATCH_CONFIG;
    }
  });

  test('--config "" is an error naming the flag', async () => {
    const r = await runCli(['validate', '--config', '']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: option '-c, --config <file>' argument '' is invalid\. expected a file name/);
  });
});

describe('test-pattern', () => {
  const events = () => {
    const file = path.join(tempDir('tw-flags-'), 'events.txt');
    fs.writeFileSync(file, `{"eventName":"${'a'.repeat(1000)}"}\n`);
    return file;
  };
  // Pads a JSON pattern to exactly n characters with spaces, which do not change what it matches.
  const patternOf = (n: number) => {
    const p = `{ $.eventName = "${'a'.repeat(1000)}" }`;
    return p.slice(0, -1) + ' '.repeat(n - p.length) + '}';
  };

  test('a pattern over 1,024 characters (PutMetricFilter refuses it) is refused', async () => {
    const r = await runCli(['test-pattern', '--pattern', patternOf(1025), '--events', events()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('trailwatch: invalid filter pattern: it is 1025 characters; CloudWatch Logs accepts at most 1024 (PutMetricFilter and TestMetricFilter refuse longer ones)\n');
    expect(r.stdout).toBe('');
  });

  test('a pattern of exactly 1,024 characters is evaluated', async () => {
    const r = await runCli(['test-pattern', '--pattern', patternOf(1024), '--events', events()]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).matches).toHaveLength(1);
  });
});

describe('help and version', () => {
  test('--version prints the version from package.json', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });

  test('bare `trailwatch` prints the help on stdout and exits 0', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: trailwatch \[options\] \[command\]/);
    for (const command of ['synth', 'validate', 'rollout', 'test-pattern', 'lint', 'backtest']) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  test('synth --help states each default once', async () => {
    const r = await runCli(['synth', '--help']);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(default: every account)');
    expect(help).not.toContain('(default: [])');
    expect(help.match(/\(default: every account\)/g)).toHaveLength(1);
  });
});

describe('warnings', () => {
  // dev-app (eu-west-1 only) gets no rule for IAM and Organizations events without us-east-1 among the sign-in regions.
  const WARNING = /warning: accounts\[1\]\.regions: dev-app does not govern us-east-1/;

  test('backtest prints the config warnings', async () => {
    const p = project(MINIMAL_YAML + 'eventbridge: { signInRegions: [] }\n');
    const r = await runCli(['backtest', '--emit-sql', 'athena', '--config', p.config]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(WARNING);
  });

  const TYPO = MINIMAL_YAML + `monitoring:\n  custom:\n    - id: typo\n      title: Typo\n      pattern: '{ $.eventname = "ConsoleLogin" }'\n`;

  test('lint refuses a field CloudTrail never writes once, with its place in the config and the acknowledge path', async () => {
    const p = project(TYPO);
    const r = await runCli(['lint', '--config', p.config]);
    expect(r.code).toBe(1);
    const all = r.stdout + r.stderr;
    expect(all.match(/"eventname" is not a top-level field of CloudTrail records/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/monitoring\.custom\[0\]\.pattern: the pattern of typo: .*eventname.*list monitoring\.custom\[0\]\.pattern under acknowledge: \(tw\.yaml:14:16\)$/m);
  });

  test('acknowledged for its detection, lint and synth accept it', async () => {
    const p = project(TYPO + "acknowledge: ['monitoring.custom[0].pattern']\n");
    const r = await runCli(['lint', '--config', p.config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: 0 errors, 0 warnings\n$/);
    const s = await runCli(['synth', '--config', p.config, '--out', path.join(p.dir, 'out')]);
    expect(s.code).toBe(0);
  });
});
