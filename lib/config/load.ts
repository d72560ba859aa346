/**
 * Reads trailwatch.yaml: YAML (with source positions) -> schema validation -> semantic checks.
 * Every problem is collected and reported at once, each with its document path and line:column,
 * as one ConfigError; nothing downstream runs on an invalid config.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors';
import { ConfigSchema, type ParsedConfig } from './schema';
import { semanticProblems, semanticWarnings } from './semantics';
import { editDistance } from '../text/edit-distance';

export type PathSegment = string | number;

export interface ConfigProblem {
  /** Document path, e.g. ['accounts', 2, 'id']. */
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export class ConfigError extends UserError {
  constructor(readonly file: string, readonly problems: readonly ConfigProblem[]) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration; nothing was written:\n` +
        problems.map((p) => `  - ${formatProblem(file, p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_FILE = 'trailwatch.yaml';
/** Hard cap on config size: a real organization file is a few hundred KB; this stops runaway inputs. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** `accounts[2].id` */
export function formatPath(p: readonly PathSegment[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line !== undefined ? ` (${path.basename(file)}:${p.line}:${p.column})` : '';
  // Messages quote user values; a newline or control character in one must not break the one-line-per-problem report.
  const message = p.message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return `${formatPath(p.path)}: ${message}${where}`;
}

/** Resolve the config path: --config flag, then TRAILWATCH_CONFIG, then ./trailwatch.yaml. */
export function resolveConfigPath(flag?: string): string {
  return path.resolve(flag ?? process.env.TRAILWATCH_CONFIG ?? DEFAULT_CONFIG_FILE);
}

export interface LoadedConfig {
  readonly config: ParsedConfig;
  /** Allowed but probably unintended settings, with positions; print them, never fail on them. */
  readonly warnings: readonly ConfigProblem[];
}

export function loadConfigFile(file: string): ParsedConfig {
  return loadConfig(file).config;
}

/** Like loadConfigFile, also returning the warnings. */
export function loadConfig(file: string): LoadedConfig {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new UserError(`${file}: not a file; pass the config file with --config FILE`);
    if (stat.size > MAX_CONFIG_BYTES) {
      throw new UserError(`${file}: ${stat.size} bytes is larger than the ${MAX_CONFIG_BYTES}-byte limit for a config file`);
    }
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(`config file not found: ${file}\n  create it (see trailwatch.yaml in the trailwatch repository) or point --config / TRAILWATCH_CONFIG at it`);
    }
    throw new UserError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  return parseConfigWithWarnings(decodeUtf8(file, bytes), file);
}

function decodeUtf8(file: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8Offset(bytes);
    const before = bytes.subarray(0, bad).toString('utf8');
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new ConfigError(file, [{ path: [], message: 'the file is not valid UTF-8; save it as UTF-8', line, column }]);
  }
}

function firstInvalidUtf8Offset(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search the shortest prefix that fails to decode (prefix cut mid-character is tolerated by stream mode).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      decoder.decode();
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/** Parse and validate YAML text. `file` is only used in messages. */
export function parseConfigText(text: string, file = DEFAULT_CONFIG_FILE): ParsedConfig {
  return parseConfigWithWarnings(text, file).config;
}

export function parseConfigWithWarnings(text: string, file = DEFAULT_CONFIG_FILE): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const pos = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const first = e.message.split('\n')[0];
        // A bare * (as in a rollout wave `[*]`) starts a YAML alias: say what to write instead.
        const hint = /alias/i.test(first) && /empty/i.test(first) ? "; a bare * starts a YAML alias: quote it ('*')" : '';
        return { path: [], message: `malformed YAML: ${first}${hint}`, ...pos(e.pos[0]) };
      }),
    );
  }
  let raw: unknown;
  try {
    // maxAliasCount bounds alias expansion, so a "billion laughs" document fails fast instead of eating memory.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError(file, [{ path: [], message: `malformed YAML: ${(e as Error).message}` }]);
  }
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [{ path: [], message: 'the file is empty; expected a mapping with organization, accounts, ...' }]);
  }

  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(file, sortProblems(result.error.issues.flatMap((i) => zodIssueToProblems(i, doc, pos))));
  }
  const locate = (p: ConfigProblem): ConfigProblem => ({ ...p, ...pos(nodeAt(doc, p.path)?.range?.[0]) });
  const semantic = semanticProblems(result.data).map(locate);
  if (semantic.length > 0) throw new ConfigError(file, sortProblems(semantic));
  return { config: result.data, warnings: sortProblems(semanticWarnings(result.data).map(locate)) };
}

function sortProblems(ps: ConfigProblem[]): ConfigProblem[] {
  return [...ps].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function zodIssueToProblems(
  issue: z.core.$ZodIssue,
  doc: Document,
  pos: (o: number | undefined) => { line?: number; column?: number },
): ConfigProblem[] {
  const p = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const parent = nodeAt(doc, p);
    return issue.keys.map((key) => {
      const keyNode = isMap(parent) ? parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key)?.key : undefined;
      return {
        path: [...p, key],
        message: `unknown key${suggest(key, schemaKeysFor(p))}`,
        ...pos(isNode(keyNode) ? keyNode.range?.[0] : parent?.range?.[0]),
      };
    });
  }
  const node = nodeAt(doc, p);
  let message = issue.message;
  if (issue.code === 'invalid_type' && node === undefined && (issue as { input?: unknown }).input === undefined) {
    message = message.startsWith('required') ? message : `required (${message.replace(/^Invalid input: /, '')})`;
  }
  // A missing key has no node: point at the mapping that should contain it.
  const anchor = node ?? nodeAt(doc, p.slice(0, -1)) ?? nodeAt(doc, p.slice(0, -2));
  return [{ path: p, message, ...pos(anchor?.range?.[0]) }];
}

function nodeAt(doc: Document, p: readonly PathSegment[]): Node | undefined {
  if (p.length === 0) return isNode(doc.contents) ? doc.contents : undefined;
  const n = doc.getIn(p as PathSegment[], true);
  return isNode(n) ? n : undefined;
}

/** Keys the schema allows at a path, for "did you mean" hints. */
function schemaKeysFor(p: readonly PathSegment[]): string[] {
  // Walk the zod schema alongside the path, unwrapping optional/default/array wrappers.
  let s: unknown = ConfigSchema;
  for (const seg of p) {
    s = unwrap(s);
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown } }).def;
    if (!def) return [];
    if (def.type === 'array' && typeof seg === 'number') s = def.element;
    else if (def.type === 'object' && typeof seg === 'string' && def.shape) s = def.shape[seg];
    else if (def.type === 'record' && typeof seg === 'string') s = def.valueType;
    else return [];
  }
  s = unwrap(s);
  const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; options?: unknown[] } }).def;
  if (def?.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def?.type === 'union' && def.options) {
    return def.options.flatMap((o) => Object.keys((unwrap(o) as { def?: { shape?: object } }).def?.shape ?? {}));
  }
  return [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { def?: { type?: string; innerType?: unknown } };
  while (cur?.def && ['optional', 'default', 'nullable', 'prefault', 'readonly', 'pipe'].includes(cur.def.type ?? '')) {
    cur = (cur.def.innerType ?? (cur.def as { in?: unknown }).in) as typeof cur;
  }
  return cur;
}

function suggest(key: string, candidates: string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const allowed = candidates.length > 0 ? `; allowed keys: ${candidates.join(', ')}` : '';
  if (best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3))) return ` ${JSON.stringify(key)}: did you mean ${JSON.stringify(best)}?`;
  return ` ${JSON.stringify(key)}${allowed}`;
}
