/**
 * Reads trailwatch.yaml: YAML (with source positions) -> schema validation -> semantic checks.
 * Every problem is collected and reported at once, each with its document path and line:column,
 * as one ConfigError; nothing downstream runs on an invalid config.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isAlias, isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../core/errors';
import { ConfigSchema, SectionsSchema, type ParsedConfig } from './schema';
import { sectionProblems, semanticChecks } from './semantics';
import { planAll, type Plan } from '../plan/plan';
import { editDistance } from '../text/edit-distance';
import { resolveSigmaPaths } from '../sigma/config';

import { formatPath, type PathSegment } from '../text/config-path';
import type { ConfigProblem } from '../core/problems';

export type { ConfigProblem } from '../core/problems';
export { formatPath, type PathSegment } from '../text/config-path';


export class ConfigError extends UserError {
  /**
   * `note` ends the first line: commands that write (synth) add "nothing was written"; validate,
   * lint and backtest never write, so they do not say it.
   */
  constructor(readonly file: string, readonly problems: readonly ConfigProblem[], readonly note?: string) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration${note ? `; ${note}` : ''}:\n` +
        problems.map((p) => `  - ${formatProblem(file, p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }

  /** The same problems, with `note` on the first line. */
  withNote(note: string): ConfigError {
    return new ConfigError(this.file, this.problems, note);
  }
}

export const DEFAULT_CONFIG_FILE = 'trailwatch.yaml';
/** Top-level keys starting with it are ignored (extension fields holding YAML anchors, as in Compose files). */
export const EXTENSION_PREFIX = 'x-';
/** Hard cap on config size: a real organization file is a few hundred KB; this stops runaway inputs. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;


export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line !== undefined ? ` (${path.basename(file)}:${p.line}:${p.column})` : '';
  // Messages quote user values; a newline or control character in one must not break the one-line-per-problem report.
  const message = p.message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return `${formatPath(p.path)}: ${message}${where}`;
}

/**
 * Resolve the config path: --config flag, then TRAILWATCH_CONFIG, then ./trailwatch.yaml. An empty
 * flag or a TRAILWATCH_CONFIG that is set but empty (an unset pipeline variable) is an error, not
 * the current folder.
 */
export function resolveConfigPath(flag?: string): string {
  if (flag !== undefined && flag.trim() === '') throw new UserError('--config: expected a file name, got an empty string');
  const env = process.env.TRAILWATCH_CONFIG;
  if (flag === undefined && env !== undefined && env.trim() === '') {
    throw new UserError('TRAILWATCH_CONFIG is set but empty; set it to the config file, or unset it to use ./trailwatch.yaml');
  }
  return path.resolve(flag ?? env ?? DEFAULT_CONFIG_FILE);
}

export interface LoadedConfig {
  readonly config: ParsedConfig;
  /** The one Plan of the command, made while checking the config (lib/plan). */
  readonly plan: Plan<ParsedConfig>;
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
  // merge: YAML merge keys (`<<: *defaults`) are expanded, as most YAML tools do.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, merge: true });
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

  // A top-level section left empty (`accounts:` with every entry commented out) is the same as leaving it out.
  // Top-level `x-` keys are extension fields (the Compose convention): a place for YAML anchors that
  // merge keys (`<<: *defaults`) reuse, ignored once the merges are done.
  if (isPlainObject(raw)) {
    for (const [k, v] of Object.entries(raw)) if ((v === null && k !== 'organization') || k.startsWith(EXTENSION_PREFIX)) delete raw[k];
  }
  // monitoring.sigma names rule files relative to the config file (lib/sigma/config.ts).
  resolveSigmaPaths(raw, file);

  const locate = (p: ConfigProblem): ConfigProblem => ({ ...p, ...pos(nodeAt(doc, p.path)?.range?.[0]) });
  const result = ConfigSchema.safeParse(raw, { error: plainIssueMessage });
  if (!result.success) {
    // Every problem at once: the schema errors, and the semantic problems of the sections that did parse.
    const schema = result.error.issues.flatMap((i) => zodIssueToProblems(i, doc, raw, pos));
    const semantic = unacknowledged(salvagedSemanticProblems(raw), (raw as { acknowledge?: unknown }).acknowledge).map(locate);
    throw new ConfigError(file, sortProblems(dedupe([...schema, ...semantic])));
  }
  const plan = planAll(result.data);
  const checked = semanticChecks(plan);
  const semantic = unacknowledged(dedupe(checked.problems), result.data.acknowledge).map(locate);
  if (semantic.length > 0) throw new ConfigError(file, sortProblems(semantic));
  const warnings = unacknowledged(checked.warnings, result.data.acknowledge, true);
  return { config: result.data, plan, warnings: sortProblems(warnings.map(locate)) };
}

/** Leaves out what `acknowledge:` lists: every warning (`all`), or the errors marked acknowledgeable. */
function unacknowledged(ps: ConfigProblem[], acknowledge: unknown, all = false): ConfigProblem[] {
  const listed = new Set(Array.isArray(acknowledge) ? acknowledge.filter((a): a is string => typeof a === 'string') : []);
  return ps.filter((p) => !((all || p.acknowledgeable) && listed.has(formatPath(p.path))));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dedupe(ps: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Semantic problems of a config the schema refused. Each value with a schema error is left out (the
 * key holding it, or the whole list an element of it is in; a required key going missing removes
 * what holds it, and so on up) until the rest parses, and that is checked as synth would check it.
 * When organization or accounts had to go, only the checks that need no accounts run: a check over
 * missing accounts would report made-up problems. Problems in the mapping that held a left-out
 * value are dropped, and a check that throws on odd input reports nothing.
 */
function salvagedSemanticProblems(raw: unknown): ConfigProblem[] {
  if (!isPlainObject(raw)) return [];
  const kept = structuredClone(raw);
  const removed: PathSegment[][] = [];
  let parsed = ConfigSchema.safeParse(kept);
  let stuck = false;
  for (let round = 0; round < 20 && !parsed.success && !stuck; round++) {
    for (const issue of parsed.error.issues) {
      let p = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) removeAt(kept, [...p, k], removed);
        continue;
      }
      if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) p = p.slice(0, -1); // a required key is missing: its holder goes
      if (!removeAt(kept, p, removed)) stuck = true; // organization itself is missing: only the sections can be checked
    }
    parsed = ConfigSchema.safeParse(kept);
  }
  // A problem next to a left-out value may come from its absence (a list the check now misses): drop those too.
  const near = removed.map((r) => (r.length >= 2 ? r.slice(0, -1) : r));
  const under = (p: readonly PathSegment[]) => near.some((r) => r.every((seg, i) => p[i] === seg));
  const keep = (ps: ConfigProblem[]) => ps.filter((p) => !under(p.path));
  try {
    // Accounts (or core accounts, governed regions) gone: checks over them would report made-up problems.
    const accountsGone = removed.some((r) => r.length <= 2 && (r[0] === 'organization' || r[0] === 'accounts'));
    if (parsed.success && !accountsGone) return keep(semanticChecks(planAll(parsed.data)).problems);
    const sections = SectionsSchema.safeParse({ monitoring: kept.monitoring, alerting: kept.alerting });
    return sections.success ? keep(sectionProblems(sections.data)) : [];
  } catch {
    return [];
  }
}

/** Deletes the key at (or the key holding the list around) `p`; false when nothing is left to delete. */
function removeAt(root: Record<string, unknown>, p: readonly PathSegment[], removed: PathSegment[][]): boolean {
  let end = p.length;
  while (end > 0 && typeof p[end - 1] !== 'string') end--;
  if (end === 0) return false;
  const key = p.slice(0, end);
  if (removed.some((r) => r.length <= key.length && r.every((seg, i) => key[i] === seg))) return true; // already gone
  let holder: unknown = root;
  for (const seg of key.slice(0, -1)) holder = (holder as Record<PathSegment, unknown> | undefined)?.[seg];
  if (!isPlainObject(holder) && !Array.isArray(holder)) return true;
  delete (holder as Record<PathSegment, unknown>)[key[key.length - 1]];
  removed.push(key);
  return true;
}

/** Plain wording for zod's own messages (schemas with their own message keep it). */
function plainIssueMessage(iss: z.core.$ZodRawIssue): string | undefined {
  const got = describeInput(iss.input);
  switch (iss.code) {
    case 'invalid_type': {
      const expected = EXPECTED_TYPE[iss.expected] ?? `a ${iss.expected}`;
      return iss.input === undefined ? `required: expected ${expected}` : `expected ${expected}, got ${got}`;
    }
    case 'too_big':
      return `expected at most ${String(iss.maximum)}${sizeUnit(iss.origin)}, got ${sizeOf(iss.input, iss.origin)}`;
    case 'too_small':
      return `expected at least ${String(iss.minimum)}${sizeUnit(iss.origin)}, got ${sizeOf(iss.input, iss.origin)}`;
    case 'invalid_format':
      return `${got} is not in the expected format${iss.pattern ? ` (${String(iss.pattern)})` : ''}`;
    case 'invalid_value':
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${got}`;
    case 'invalid_key':
      return iss.issues.map((i) => i.message).join('; ');
    case 'invalid_union':
      return `${got} matches none of the allowed forms`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(iss.divisor)}, got ${got}`;
    default:
      return undefined;
  }
}

const EXPECTED_TYPE: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'a string', number: 'a number', boolean: 'true or false', int: 'a whole number' };

function describeInput(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v) : String(v);
}

function sizeUnit(origin: string): string {
  return origin === 'string' ? ' characters' : origin === 'array' || origin === 'set' ? ' items' : '';
}

function sizeOf(input: unknown, origin: string): string {
  if (origin === 'string' && typeof input === 'string') return `${input.length}`;
  if (origin === 'array' && Array.isArray(input)) return `${input.length}`;
  return describeInput(input);
}

function sortProblems(ps: ConfigProblem[]): ConfigProblem[] {
  return [...ps].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function zodIssueToProblems(
  issue: z.core.$ZodIssue,
  doc: Document,
  raw: unknown,
  pos: (o: number | undefined) => { line?: number; column?: number },
): ConfigProblem[] {
  const p = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const parent = nodeAt(doc, p);
    // The mapping as parsed (merge keys applied), not the node's own toJSON, which cannot resolve an alias.
    const value = p.reduce<unknown>((v, seg) => (v as Record<PathSegment, unknown> | undefined)?.[seg], raw);
    return issue.keys.map((key) => {
      const keyNode = keyIn(doc, parent, key);
      return {
        path: [...p, key],
        message: `unknown key${suggest(key, schemaKeysFor(p, value))}`,
        ...pos(isNode(keyNode) ? keyNode.range?.[0] : parent?.range?.[0]),
      };
    });
  }
  if (issue.code === 'invalid_key') {
    // A refused key of a record (tags): point at the key, not at its value.
    const parent = nodeAt(doc, p.slice(0, -1));
    const keyNode = isMap(parent) ? parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === p[p.length - 1])?.key : undefined;
    return [{ path: p, message: issue.message, ...pos(isNode(keyNode) ? keyNode.range?.[0] : nodeAt(doc, p)?.range?.[0]) }];
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

/**
 * The key node of `key` in a mapping: its own pair, else the pair in a mapping it merges (`<<: *d`,
 * or a list of them), so a typo inside an anchored block is reported where it is written.
 */
function keyIn(doc: Document, map: Node | undefined, key: string, depth = 0): Node | undefined {
  if (!isMap(map) || depth > 10) return undefined;
  const pairs = map.items as Pair[];
  const own = pairs.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key)?.key;
  if (isNode(own)) return own;
  for (const it of pairs) {
    // yaml parses a merge key's `<<` to a symbol (its MERGE_KEY).
    if (!isPair(it) || !isScalar(it.key) || (typeof it.key.value !== 'symbol' && it.key.value !== '<<')) continue;
    const sources = isNode(it.value) && 'items' in it.value && !isMap(it.value) ? (it.value as { items: unknown[] }).items : [it.value];
    for (const src of sources) {
      const target = isAlias(src) ? src.resolve(doc) : src;
      const found = keyIn(doc, target as Node | undefined, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function nodeAt(doc: Document, p: readonly PathSegment[]): Node | undefined {
  if (p.length === 0) return isNode(doc.contents) ? doc.contents : undefined;
  const n = doc.getIn(p as PathSegment[], true);
  return isNode(n) ? n : undefined;
}

/** Keys the schema allows at a path, for "did you mean" hints. */
function schemaKeysFor(p: readonly PathSegment[], value?: unknown): string[] {
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
    type Shape = Record<string, { def?: { type?: string; values?: unknown[] } }>;
    const shapes = def.options.map((o) => (unwrap(o) as { def?: { shape?: Shape } }).def?.shape ?? {});
    // The option the value chose by its discriminator (backend `type: s3`): its keys, not every option's.
    const chosen = shapes.filter((shape) =>
      Object.entries(shape).some(([k, v]) => v.def?.type === 'literal' && isPlainObject(value) && (v.def.values ?? []).includes(value[k])),
    );
    return [...new Set((chosen.length > 0 ? chosen : shapes).flatMap((shape) => Object.keys(shape)))];
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
  if (best !== undefined && bestD > 0 && bestD <= Math.max(2, Math.floor(key.length / 3))) return ` ${JSON.stringify(key)}: did you mean ${JSON.stringify(best)}?`;
  return ` ${JSON.stringify(key)}${allowed}`;
}
