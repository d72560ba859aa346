/**
 * Building and normalizing condition trees. Controls are written with the small builders below;
 * renderers call `detectionCondition` and `normalize` so they all see the same canonical tree.
 */
import type { Condition, Detection, FieldPath, Match } from './types';

/** The field is one of `values`. */
export const equals = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'equals', values });
/** The field is none of `values` (an absent field is not excluded). */
export const notEquals = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'notEquals', values });
export const prefix = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'prefix', values });
export const suffix = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'suffix', values });
export const wildcard = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'wildcard', values });
export const notWildcard = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'notWildcard', values });
/** The field contains a match of one of the regular expressions (unanchored; CloudWatch's regex character set). */
export const regex = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'regex', values });
/** The field is present and contains a match of none of the regular expressions. */
export const notRegex = (field: FieldPath, ...values: string[]): Match => ({ field, op: 'notRegex', values });
export const exists = (field: FieldPath): Match => ({ field, op: 'exists' });
/** The field is an array with a string or number first item (see PresenceMatch). */
export const hasItems = (field: FieldPath): Match => ({ field, op: 'hasItems' });
/** The field is the JSON boolean true / false (not the string). */
export const isTrue = (field: FieldPath): Match => ({ field, op: 'isTrue' });
export const isFalse = (field: FieldPath): Match => ({ field, op: 'isFalse' });
export const notExists = (field: FieldPath): Match => ({ field, op: 'notExists' });
export const all = (...children: Condition[]): Condition => ({ all: children });
/**
 * A negated test that also holds on records without the field: `(f NOT EXISTS) || (f != v)`.
 * Every negated op (notEquals, notWildcard, notRegex) is false on a record that lacks the field, in
 * all three targets; a "not this value" meant as "anything else" needs this guard.
 */
export const orAbsent = (negated: Match): Condition => ({ any: [notExists(negated.field), negated] });
export const any = (...children: Condition[]): Condition => ({ any: children });

export const isMatch = (c: Condition): c is Match => 'op' in c;
export const isAll = (c: Condition): c is { readonly all: readonly Condition[] } => 'all' in c;
export const isAny = (c: Condition): c is { readonly any: readonly Condition[] } => 'any' in c;

/** The whole detection as one tree: eventSource, then eventNames, then `where`, all required. */
export function detectionCondition(d: Detection): Condition {
  const parts: Condition[] = [];
  if (d.eventSource !== undefined) parts.push(equals(['eventSource'], d.eventSource));
  if (d.eventNames !== undefined) parts.push(equals(['eventName'], ...d.eventNames));
  if (d.where !== undefined) parts.push(d.where);
  if (parts.length === 0) throw new Error('a detection needs an eventSource, eventNames or a where condition');
  return normalize(all(...parts));
}

/**
 * Canonical form: nested `all` in `all` (and `any` in `any`) are flattened, one-child groups
 * collapse to their child. Order is kept: it is the order rendered patterns show.
 */
export function normalize(c: Condition): Condition {
  if (isMatch(c)) return c;
  const kind = isAll(c) ? 'all' : 'any';
  const kids = (isAll(c) ? c.all : (c as { any: readonly Condition[] }).any).map(normalize);
  if (kids.length === 0) throw new Error(`an empty "${kind}" condition matches ${kind === 'all' ? 'everything' : 'nothing'}; give it at least one child`);
  const flat = kids.flatMap((k) => (kind === 'all' && isAll(k) ? k.all : kind === 'any' && isAny(k) ? k.any : [k]));
  if (flat.length === 1) return flat[0];
  return kind === 'all' ? { all: flat } : { any: flat };
}

/** Fields a condition reads, as dotted paths, in first-use order (for docs and field checks). */
export function conditionFields(c: Condition): string[] {
  const out = new Set<string>();
  const walk = (n: Condition) => {
    if (isMatch(n)) out.add(n.field.join('.'));
    else (isAll(n) ? n.all : (n as { any: readonly Condition[] }).any).forEach(walk);
  };
  walk(c);
  return [...out];
}
