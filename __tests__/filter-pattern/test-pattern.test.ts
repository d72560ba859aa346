import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { register } from '../../lib/cli/test-pattern';
import { UserError } from '../../lib/core/errors';
import { FilterPatternSyntaxError, runTestPattern } from '../../lib/filter-pattern';

const APACHE_404 = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
const APACHE_200 = '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 200 5324';

describe('runTestPattern', () => {
  test('returns the TestMetricFilter response shape, numbering events from 1 and skipping non-matches', async () => {
    expect(await runTestPattern('ERROR', ['INFO ok', 'ERROR one', 'WARN', 'ERROR two'])).toEqual({
      matches: [
        { eventNumber: 2, eventMessage: 'ERROR one', extractedValues: {} },
        { eventNumber: 4, eventMessage: 'ERROR two', extractedValues: {} },
      ],
    });
  });

  test('the first event is number 1', async () => {
    const { matches } = await runTestPattern('{ $.a = 1 }', ['{"a": 1}']);
    expect(matches.map((m) => m.eventNumber)).toEqual([1]);
  });

  test('space-delimited patterns report extractedValues', async () => {
    expect(await runTestPattern('[ip, user, username, timestamp, request, status_code = 4*, bytes]', [APACHE_200, APACHE_404])).toEqual({
      matches: [
        {
          eventNumber: 2,
          eventMessage: APACHE_404,
          extractedValues: {
            $ip: '127.0.0.1',
            $user: '-',
            $username: 'frank',
            $timestamp: '10/Oct/2000:13:25:15 -0700',
            $request: 'GET /index.html HTTP/1.0',
            $status_code: '404',
            $bytes: '1534',
          },
        },
      ],
    });
  });

  test('reads async iterables', async () => {
    async function* lines() {
      yield 'a';
      yield 'ERROR b';
    }
    expect((await runTestPattern('ERROR', lines())).matches).toEqual([{ eventNumber: 2, eventMessage: 'ERROR b', extractedValues: {} }]);
  });

  test('no matches is an empty list, not an absent one', async () => {
    expect(await runTestPattern('ERROR', ['ok'])).toEqual({ matches: [] });
  });

  test('a malformed pattern throws before any event is read', async () => {
    let read = false;
    function* lines() {
      read = true;
      yield 'x';
    }
    await expect(runTestPattern('{ $.a = }', lines())).rejects.toThrow(FilterPatternSyntaxError);
    expect(read).toBe(false);
  });
});

describe('trailwatch test-pattern', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-test-pattern-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  function eventsFile(content: string): string {
    const file = path.join(dir, 'events.txt');
    fs.writeFileSync(file, content);
    return file;
  }

  async function run(...args: string[]): Promise<string> {
    const program = new Command().exitOverride();
    register(program);
    let stdout = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
    await program.parseAsync(['node', 'trailwatch', 'test-pattern', ...args]);
    return stdout;
  }

  test('prints the response as one JSON line', async () => {
    const file = eventsFile(`${APACHE_200}\n${APACHE_404}\n`);
    const out = await run('--pattern', '[..., status_code = 404, bytes]', '--events', file);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(out)).toEqual({
      matches: [
        {
          eventNumber: 2,
          eventMessage: APACHE_404,
          extractedValues: { $1: '127.0.0.1', $2: '-', $3: 'frank', $4: '10/Oct/2000:13:25:15 -0700', $5: 'GET /index.html HTTP/1.0', $status_code: '404', $bytes: '1534' },
        },
      ],
    });
  });

  test('JSON patterns report {} extractedValues', async () => {
    const file = eventsFile('{"eventName":"ConsoleLogin"}\n{"eventName":"GetObject"}\n');
    expect(JSON.parse(await run('--pattern', '{ $.eventName = ConsoleLogin }', '--events', file))).toEqual({
      matches: [{ eventNumber: 1, eventMessage: '{"eventName":"ConsoleLogin"}', extractedValues: {} }],
    });
  });

  test('- reads stdin', async () => {
    jest.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from(['INFO a\nERROR b\n', 'ERROR c\n']) as unknown as typeof process.stdin);
    expect(JSON.parse(await run('--pattern', 'ERROR', '--events', '-'))).toEqual({
      matches: [
        { eventNumber: 2, eventMessage: 'ERROR b', extractedValues: {} },
        { eventNumber: 3, eventMessage: 'ERROR c', extractedValues: {} },
      ],
    });
  });

  test('a pattern starting with "-" is taken as the pattern', async () => {
    const file = eventsFile('ERROR a\nINFO b\n');
    expect(JSON.parse(await run('--pattern', '-ERROR', '--events', file)).matches).toEqual([{ eventNumber: 2, eventMessage: 'INFO b', extractedValues: {} }]);
  });

  test('CRLF line ends are not part of the message; trailing empty lines are ignored', async () => {
    const file = eventsFile('ERROR a\r\nERROR b\r\n\r\n\n');
    expect(JSON.parse(await run('--pattern', 'ERROR', '--events', file))).toEqual({
      matches: [
        { eventNumber: 1, eventMessage: 'ERROR a', extractedValues: {} },
        { eventNumber: 2, eventMessage: 'ERROR b', extractedValues: {} },
      ],
    });
  });

  test('an empty line between events is refused with its line number (CloudWatch rejects empty messages)', async () => {
    const file = eventsFile('ERROR a\n\nERROR b\n');
    const err = await run('--pattern', 'ERROR', '--events', file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${file}:2: empty line; every line must be one log event message`);
  });

  test('a malformed pattern is a UserError naming the column, and nothing is printed', async () => {
    const file = eventsFile('x\n');
    const err = await run('--pattern', '{ $.a = 1 && && $.b = 2 }', '--events', file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('invalid filter pattern: unexpected "&&" at column 14: expected a selector like $.eventName');
    expect(process.stdout.write).not.toHaveBeenCalled();
  });

  test('a missing events file is a UserError', async () => {
    const missing = path.join(dir, 'nope.txt');
    const err = await run('--pattern', 'ERROR', '--events', missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`cannot read events file ${missing}: no such file`);
  });

  test('a directory is not an events file', async () => {
    const err = await run('--pattern', 'ERROR', '--events', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`cannot read events file ${dir}: not a regular file`);
  });
});
