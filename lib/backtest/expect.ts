/**
 * `backtest --expect FILE`: what a backtest must show, per detection, as a pipeline gate. The file is
 * YAML (JSON is YAML too):
 *
 *     detections:
 *       root-account-usage:        # a detection id of the config (as backtest lists it)
 *         matches: { min: 1 }      # at least one matching event in the archive
 *         alarms: { max: 0 }       # and no notification
 *       unauthorized-api-calls:
 *         matches: { min: 10, max: 500 }
 *
 * Each bound is a whole number, `min` at most `max`; every detection id must be one the config
 * enables. Problems are reported at once with their line:column; nothing is read before they are fixed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { UserError } from '../core/errors';
import { editDistance } from '../text/edit-distance';

const Bounds = z
  .strictObject({
    min: z.int().min(0).optional(),
    max: z.int().min(0).optional(),
  })
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, { error: 'min is more than max' })
  .refine((b) => b.min !== undefined || b.max !== undefined, { error: 'give min, max or both' });

const DetectionExpectation = z.strictObject({ matches: Bounds.optional(), alarms: Bounds.optional() });

export const ExpectationsSchema = z.strictObject({ detections: z.record(z.string(), DetectionExpectation) });
export type Expectations = z.output<typeof ExpectationsSchema>;

/** One bound of one detection, checked against a backtest. */
export interface ExpectationResult {
  readonly detection: string;
  readonly measure: 'matches' | 'alarms';
  readonly min?: number;
  readonly max?: number;
  readonly actual: number;
  readonly ok: boolean;
  /** `matches >= 1`, `alarms from 1 to 3`, `alarms <= 0`. */
  readonly label: string;
}

/** Reads and checks the file; `detections` are the ids the config enables. Throws UserError listing every problem. */
export function loadExpectations(file: string, detections: readonly string[]): Expectations {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`--expect ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return '';
    const { line, col } = lines.linePos(offset);
    return ` (${path.basename(file)}:${line}:${col})`;
  };
  const fail = (problems: string[]) => {
    throw new UserError(`--expect ${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the expectations (see \`backtest --help\` and the README):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  };
  if (doc.errors.length > 0) fail(doc.errors.map((e) => `malformed YAML: ${e.message.split('\n')[0]}${at(e.pos[0])}`));
  const parsed = ExpectationsSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    fail(
      parsed.error.issues.flatMap((i) => {
        const p = i.path.filter((s): s is string | number => typeof s !== 'symbol');
        if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${show([...p, k])}: unknown key; expected ${allowedKeys(p)}${at(keyOffset(doc, p, k))}`);
        const message = i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined ? `required: ${i.message}` : i.message;
        return [`${show(p)}: ${message}${at(nodeOffset(doc, p))}`];
      }),
    );
  }
  const known = new Set(detections);
  const unknown = Object.keys(parsed.data!.detections).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    fail(
      unknown.map((id) => {
        const guess = detections.find((d) => editDistance(d, id) <= 2);
        return `detections.${id}: not a detection the config enables${guess ? ` (did you mean ${guess}?)` : ''}${at(keyOffset(doc, ['detections'], id))}`;
      }),
    );
  }
  return parsed.data!;
}

/** Every bound of the expectations against the backtest's counts per detection. */
export function checkExpectations(expectations: Expectations, counts: ReadonlyMap<string, { matches: number; alarms: number }>): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  for (const [detection, e] of Object.entries(expectations.detections)) {
    for (const measure of ['matches', 'alarms'] as const) {
      const b = e[measure];
      if (!b) continue;
      const actual = counts.get(detection)?.[measure] ?? 0;
      const ok = (b.min === undefined || actual >= b.min) && (b.max === undefined || actual <= b.max);
      const label = b.min !== undefined && b.max !== undefined ? `${measure} from ${b.min} to ${b.max}` : b.min !== undefined ? `${measure} >= ${b.min}` : `${measure} <= ${b.max}`;
      out.push({ detection, measure, ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}), actual, ok, label });
    }
  }
  return out;
}

function show(p: readonly (string | number)[]): string {
  return p.length === 0 ? '(top level)' : p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function allowedKeys(p: readonly (string | number)[]): string {
  if (p.length === 0) return 'detections';
  if (p.length === 2) return 'matches, alarms';
  return 'min, max';
}

function nodeOffset(doc: Document, p: readonly (string | number)[]): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
    if (isNode(node)) return node.range?.[0];
  }
  return undefined;
}

function keyOffset(doc: Document, p: readonly (string | number)[], key: string): number | undefined {
  const parent = p.length === 0 ? doc.contents : doc.getIn(p, true);
  const pair = isMap(parent) ? parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key) : undefined;
  return pair && isNode(pair.key) ? pair.key.range?.[0] : nodeOffset(doc, p);
}
