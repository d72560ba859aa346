/**
 * Options and parsers shared by the sub-commands. Every flag's value is checked strictly where the
 * command line is parsed: a value that is not exactly what the flag takes is an error naming the
 * flag (commander prints `error: option '--workers <n>' argument 'abc' is invalid. ...`), never a
 * silent default, NaN or a partial parse.
 */
import * as fs from 'fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../core/errors';
import { ConfigError, formatProblem, loadConfig, resolveConfigPath, type LoadedConfig } from '../config/load';

/** What synth adds to a config error: it refuses before writing anything. */
export const SYNTH_ERROR_NOTE = 'nothing was written';

/** --config FILE, shared by every command that reads trailwatch.yaml. */
export const configOption = () =>
  new Option('-c, --config <file>', 'config file (default: $TRAILWATCH_CONFIG or ./trailwatch.yaml)').argParser((value: string) => {
    if (value.trim() === '') throw new InvalidArgumentError('expected a file name, got an empty string.');
    return value;
  });

export interface LoadOptions {
  /** Added to the first line of a config error (synth: "nothing was written"). */
  readonly errorNote?: string;
  /** Do not print the warnings (the caller reports them itself, e.g. validate --json). */
  readonly silent?: boolean;
}

/**
 * Loads the config named by --config (or the default) and prints its warnings on stderr (those
 * listed under `acknowledge:` in the config are left out by the loader).
 */
export function loadConfigForCli(flag: string | undefined, options: LoadOptions = {}): LoadedConfig & { file: string } {
  const file = resolveConfigPath(flag);
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(file);
  } catch (e) {
    throw e instanceof ConfigError && options.errorNote ? e.withNote(options.errorNote) : e;
  }
  if (!options.silent) for (const w of loaded.warnings) process.stderr.write(`trailwatch: warning: ${formatProblem(file, w)}\n`);
  return { ...loaded, file };
}

/**
 * A commander argument parser for a whole number from `min` to `max`: digits only, so `abc`, ``,
 * `1.5`, `-1`, `1e3`, `0x10` and ` 2` are refused instead of becoming NaN, 1 or 0.
 */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a whole number ${range}, got ${JSON.stringify(value)}.`);
    }
    return n;
  };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date (`2026-10-01`, midnight UTC) or date-time with its zone (`2026-10-01T08:00:00Z`,
 * `2026-10-01T10:00+02:00`), as a commander argument parser. Anything else (`1`, `10/01/2026`,
 * a date-time without a zone, `2026-02-30`) is refused: `Date.parse` would read those as some
 * other day. Returns the text as given (it holds only digits, `-`, `:`, `.`, `T`, `Z` and `+`).
 */
export function isoInstant(value: string): string {
  const date = ISO_DATE.exec(value);
  const dateTime = date ? undefined : ISO_DATE_TIME.exec(value);
  const m = date ?? dateTime;
  const fail = (why?: string) =>
    new InvalidArgumentError(`${why ? `${why}; ` : ''}expected an ISO 8601 date (2026-10-01, read as UTC) or date-time with a zone (2026-10-01T08:00:00Z).`);
  if (!m) throw fail();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && !leap)) throw fail(`there is no day ${m[1]}-${m[2]}-${m[3]}`);
  if (dateTime) {
    const [hour, minute, second] = [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) throw fail('the time is out of range');
    if (dateTime[8] !== 'Z' && (Number(dateTime[9]) > 14 || Number(dateTime[10]) > 59)) throw fail('the zone offset is out of range');
  }
  if (Number.isNaN(Date.parse(value))) throw fail();
  return value;
}

/**
 * One rule between a command's flags, declared beside the command (`flagRules(command, [...])`) and
 * checked once, before the action runs: a flag given on the command line together with one it
 * `conflicts` with, or without the one it `requires`, is an error naming each flag, never a flag
 * silently ignored. Names are long flags without dashes (`emit-sql`) or argument names (`paths`).
 */
export interface FlagRule {
  readonly flag: string;
  /** Flags (or arguments) that mean nothing with `flag`. @default none */
  readonly conflicts?: readonly string[];
  /** A flag `flag` means nothing without. @default none */
  readonly requires?: string;
  /** Why, in the user's terms; ends the error. */
  readonly because: string;
}

/** Adds the rules to the command (a preAction hook; commander prints the error and the --help line). */
export function flagRules(command: Command, rules: readonly FlagRule[]): Command {
  return command.hook('preAction', (_program, cmd) => {
    const given = (name: string): string | undefined => {
      const option = cmd.options.find((o) => o.long === `--${name}`);
      if (option) {
        const source = cmd.getOptionValueSource(option.attributeName());
        return source === 'cli' || source === 'env' ? `--${name}` : undefined;
      }
      const index = cmd.registeredArguments.findIndex((a) => a.name() === name);
      if (index < 0) throw new Error(`flagRules: ${cmd.name()} has no flag or argument ${name}`); // a defect of the declaration
      const value: unknown = cmd.processedArgs[index];
      const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
      return values.length > 0 ? values.join(' ') : undefined;
    };
    for (const rule of rules) {
      if (!given(rule.flag)) continue;
      const clashing = (rule.conflicts ?? []).map(given).filter((x): x is string => x !== undefined);
      if (clashing.length > 0) {
        const list = listed(clashing);
        cmd.error(`error: --${rule.flag} cannot be used with ${list}: ${rule.because}; drop ${list}, or drop --${rule.flag}`, { code: 'trailwatch.conflictingFlags' });
      }
      if (rule.requires !== undefined && !given(rule.requires)) {
        cmd.error(`error: --${rule.flag} needs --${rule.requires}: ${rule.because}`, { code: 'trailwatch.missingFlag' });
      }
    }
  });
}

/** `a`, `a and b`, `a, b and c`. */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Writes a report file (--junit, --sarif): a folder or unwritable path is an error naming the flag. */
export function writeReport(flag: string, file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new UserError(`${flag} ${file}: cannot write the report: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`);
  }
}
