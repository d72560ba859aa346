import type { Command } from 'commander';
import * as fs from 'fs';
import * as readline from 'readline';
import { UserError } from '../core/errors';
import { wholeNumber } from './options';
import { compileFilterPattern, FilterPatternSyntaxError, MAX_PATTERN_LENGTH, runTestPattern } from '../filter-pattern';

/**
 * `trailwatch test-pattern --pattern P --events FILE`: what `aws logs test-metric-filter` would
 * return, computed offline. FILE holds one log event message per line (`-` reads stdin).
 */
export function register(program: Command): void {
  program
    .command('test-pattern')
    .description('test a CloudWatch Logs filter pattern against log events offline; prints the TestMetricFilter response as JSON')
    .requiredOption('--pattern <pattern>', 'the filter pattern, e.g. \'{ $.eventName = "ConsoleLogin" }\'')
    .requiredOption('--events <file>', 'one log event message per line; - reads stdin')
    .option('--expect-matches <n>', 'exit 1 unless exactly N events match (the JSON is printed either way)', wholeNumber(0))
    .action(async (opts: { pattern: string; events: string; expectMatches?: number }) => {
      // PutMetricFilter and TestMetricFilter refuse a filterPattern longer than 1,024 characters
      // (CloudWatch Logs API Reference, "Length Constraints: Maximum length of 1024").
      if (opts.pattern.length > MAX_PATTERN_LENGTH) {
        throw new UserError(`invalid filter pattern: it is ${opts.pattern.length} characters; CloudWatch Logs accepts at most ${MAX_PATTERN_LENGTH} (PutMetricFilter and TestMetricFilter refuse longer ones)`);
      }
      try {
        compileFilterPattern(opts.pattern); // fail on the pattern before touching the events
      } catch (e) {
        if (e instanceof FilterPatternSyntaxError) throw new UserError(`invalid filter pattern: ${e.message}`);
        throw e;
      }
      const input = openEvents(opts.events);
      const result = await runTestPattern(opts.pattern, eventLines(input, opts.events));
      process.stdout.write(`${JSON.stringify(result)}\n`);
      const n = result.matches.length;
      if (opts.expectMatches !== undefined && n !== opts.expectMatches) {
        const which = n === 0 ? '' : ` (event${n === 1 ? '' : 's'} ${result.matches.slice(0, 10).map((m) => m.eventNumber).join(', ')}${n > 10 ? ', ...' : ''})`;
        throw new UserError(`test-pattern: --expect-matches ${opts.expectMatches}: the pattern matched ${n} event${n === 1 ? '' : 's'}${which}`);
      }
    });
}

function openEvents(file: string): NodeJS.ReadableStream {
  if (file === '-') return process.stdin;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw new UserError(`cannot read events file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!stat.isFile()) throw new UserError(`cannot read events file ${file}: not a regular file`);
  return fs.createReadStream(file, { encoding: 'utf8' });
}

/**
 * Lines without their terminator (LF or CRLF). Trailing empty lines are ignored; an empty line
 * before a non-empty one is refused, as TestMetricFilter refuses empty event messages.
 */
async function* eventLines(input: NodeJS.ReadableStream, name: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let firstPendingEmpty = 0;
  let pendingEmpty = 0;
  try {
    for await (const line of rl) {
      lineNumber++;
      if (line === '') {
        if (pendingEmpty++ === 0) firstPendingEmpty = lineNumber;
        continue;
      }
      if (pendingEmpty > 0) {
        throw new UserError(`${name === '-' ? 'stdin' : name}:${firstPendingEmpty}: empty line; every line must be one log event message`);
      }
      yield line;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read events file ${name}: ${(e as Error).message}`);
  } finally {
    rl.close();
  }
}
