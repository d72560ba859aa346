/**
 * Sigma rules (`logsource: {product: aws, service: cloudtrail}`) -> catalog controls.
 *
 * A rule converts whole or not at all: every construct either has an exact counterpart in the
 * condition tree (lib/catalog/condition.ts) or the rule is refused with a SigmaError naming the
 * file, line, column and construct. See ./README.md for the mapping and what is refused.
 */
import * as path from 'path';
import { all, any, isAll, isAny, isMatch, normalize, orAbsent, renderCloudWatchPattern, type Condition, type Control, type EventBridgeDetailType, type FieldPath, type Match, type Severity } from '../catalog';
import { contributorFilters, CONTRIBUTOR_KEYS_MAX } from '../filter-pattern/contributor-insights';
import { ConditionSyntaxError, parseConditionExpression, type Aggregation, type ConditionExpr } from './condition-expression';
import { canonicalValues, fieldPath, isAlwaysPresent } from './fields';
import { entry, isMap, isScalar, isSeq, pairs, readSigmaYaml, scalarText, SigmaError, stringList, type Node, type SigmaFile } from './yaml';

/** What the rule says about itself, kept on the detection (descriptions of the rendered resources). */
export interface SigmaMetadata {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  /** 1-based line of the rule's first key (a file may hold several documents). */
  readonly line: number;
  readonly author?: string;
  readonly description?: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly level?: string;
  readonly status?: string;
  readonly falsePositives: readonly string[];
}

/** One converted rule. */
export interface SigmaConversion {
  /** The detection, as a catalog control (`kind: 'sigma'`, id `sigma-<rule id>`). */
  readonly control: Control;
  readonly sigma: SigmaMetadata;
  /** Alarm description: title, rule id, author, ATT&CK ids, description, references. */
  readonly description: string;
  /** Places where the conversion is exact but narrower than Sigma (case), with file:line. */
  readonly warnings: readonly string[];
}

export interface SigmaSource {
  readonly file: string;
  readonly text: string;
}

/** Per rule: its conversion or why it was refused (never both). */
export type SigmaResult = { readonly ok: true; readonly conversion: SigmaConversion } | { readonly ok: false; readonly error: SigmaError; readonly title?: string; readonly id?: string };

/**
 * Converts every rule in the given files. Base rules referenced by a correlation in the files are
 * not converted on their own (Sigma's `generate: false` default); the correlation is.
 */
export function convertSigma(sources: readonly SigmaSource[]): SigmaResult[] {
  const docs: { f: SigmaFile; node: Node }[] = [];
  const results: SigmaResult[] = [];
  for (const s of sources) {
    try {
      const f = readSigmaYaml(s.text, s.file);
      for (const node of f.documents) docs.push({ f, node });
    } catch (e) {
      if (e instanceof SigmaError) results.push({ ok: false, error: e });
      else throw e;
    }
  }
  // Rules by name and id, for correlations.
  const byRef = new Map<string, { f: SigmaFile; node: Node }>();
  for (const d of docs) {
    for (const key of ['name', 'id']) {
      const v = scalarText(entry(d.node, key)?.value);
      if (v !== undefined && entry(d.node, 'detection')) byRef.set(v, d);
    }
  }
  const referenced = new Set<Node>();
  for (const d of docs) {
    const corr = entry(d.node, 'correlation')?.value;
    const generate = corr ? scalarText(entry(corr, 'generate')?.value) === 'true' : false;
    if (corr && !generate) for (const r of stringList(entry(corr, 'rules')?.value) ?? []) if (byRef.has(r)) referenced.add(byRef.get(r)!.node);
  }
  const seenIds = new Map<string, string>();
  for (const d of docs) {
    if (referenced.has(d.node)) continue;
    const title = scalarText(entry(d.node, 'title')?.value);
    const id = scalarText(entry(d.node, 'id')?.value);
    try {
      const conversion = entry(d.node, 'correlation') ? convertCorrelation(d.f, d.node, byRef) : convertRule(d.f, d.node);
      const first = seenIds.get(conversion.control.id);
      if (first !== undefined) throw d.f.fail(entry(d.node, 'id')?.value, 'id', `the rule id ${conversion.sigma.id} is also the id of a rule in ${first}; rule ids must be unique (they name the metric filter and alarm)`);
      seenIds.set(conversion.control.id, `${d.f.file}:${conversion.sigma.line}`);
      results.push({ ok: true, conversion });
    } catch (e) {
      if (e instanceof SigmaError) results.push({ ok: false, error: e, title, id });
      else throw e;
    }
  }
  return results;
}

/** The same as convertSigma, throwing the first refusal. */
export function convertSigmaStrict(sources: readonly SigmaSource[]): SigmaConversion[] {
  const results = convertSigma(sources);
  const bad = results.find((r) => !r.ok);
  if (bad && !bad.ok) throw bad.error;
  return results.map((r) => (r as { conversion: SigmaConversion }).conversion);
}

// ---------------------------------------------------------------------------------------------

interface RuleContext {
  readonly f: SigmaFile;
  readonly warnings: string[];
}

function convertRule(f: SigmaFile, node: Node): SigmaConversion {
  const ctx: RuleContext = { f, warnings: [] };
  refuseCollections(f, node);
  const meta = metadata(f, node);
  checkLogsource(f, node);
  const det = entry(node, 'detection');
  if (!det || !isMap(det.value)) throw f.fail(det?.key ?? node, 'detection', 'a rule needs a detection: map with search identifiers and a condition');
  const { tree, aggregation, conditionNode } = detectionTree(ctx, det.value);
  const timeframe = entry(det.value, 'timeframe');
  let alarm: Control['alarm'];
  if (aggregation) {
    alarm = countAlarm(f, conditionNode, aggregation, timeframe?.value ?? null, 'timeframe', tree);
  } else if (timeframe) {
    throw f.fail(timeframe.key, 'timeframe', 'a timeframe without an aggregation (| count() > N) means events correlated over a window; each CloudTrail record is matched on its own, so this cannot be converted');
  }
  return build(meta, tree, alarm, ctx.warnings);
}

function convertCorrelation(f: SigmaFile, node: Node, byRef: Map<string, { f: SigmaFile; node: Node }>): SigmaConversion {
  const meta = metadata(f, node);
  const corr = entry(node, 'correlation')!;
  if (!isMap(corr.value)) throw f.fail(corr.key, 'correlation', 'expected a map with type, rules, timespan and condition');
  const type = scalarText(entry(corr.value, 'type')?.value);
  if (type !== 'event_count') {
    throw f.fail(entry(corr.value, 'type')?.value ?? corr.key, `correlation type ${type ?? '(none)'}`, 'only event_count correlations convert (a threshold on a metric); value_count needs distinct values, temporal ones need several events in order');
  }
  const groupBy = entry(corr.value, 'group-by');
  const groupFields = groupBy ? stringList(groupBy.value) : undefined;
  if (groupBy && groupFields === undefined) throw f.fail(groupBy.value, 'group-by', 'expected a list of field names');
  const rulesEntry = entry(corr.value, 'rules');
  const refs = stringList(rulesEntry?.value);
  if (!refs || refs.length === 0) throw f.fail(rulesEntry?.key ?? corr.key, 'rules', 'a correlation names the rules it counts (their name or id)');
  const ctx: RuleContext = { f, warnings: [] };
  const trees: Condition[] = [];
  let baseTags: string[] = [];
  for (const ref of refs) {
    const base = byRef.get(ref);
    if (!base) throw f.fail(rulesEntry!.value, `rules: ${ref}`, `no rule named or with id ${JSON.stringify(ref)} among the files given; pass the file that holds it too`);
    const bctx: RuleContext = { f: base.f, warnings: ctx.warnings };
    checkLogsource(base.f, base.node);
    const det = entry(base.node, 'detection');
    if (!det || !isMap(det.value)) throw base.f.fail(det?.key ?? base.node, 'detection', 'the referenced rule has no detection map');
    const t = detectionTree(bctx, det.value);
    if (t.aggregation) throw base.f.fail(t.conditionNode, '| count()', 'a rule used by a correlation must not aggregate itself');
    trees.push(t.tree);
    baseTags = baseTags.concat(stringList(entry(base.node, 'tags')?.value) ?? []);
  }
  const cond = entry(corr.value, 'condition');
  if (!cond || !isMap(cond.value)) throw f.fail(cond?.key ?? corr.key, 'condition', 'expected condition: {gte: N} (or gt)');
  const ps = pairs(cond.value);
  if (ps.length !== 1) throw f.fail(cond.value, 'condition', 'expected exactly one comparison, e.g. gte: 10');
  const op = ps[0].key;
  const n = Number(scalarText(ps[0].value));
  if (!Number.isInteger(n) || n < 0) throw f.fail(ps[0].value, `condition ${op}`, 'expected a whole number');
  const operator = ({ gte: '>=', gt: '>', lte: '<=', lt: '<', eq: '=' } as Record<string, Aggregation['operator']>)[op];
  if (!operator) throw f.fail(ps[0].keyNode, `condition ${op}`, 'expected gte, gt, lte, lt or eq');
  const tree = trees.length === 1 ? trees[0] : any(...trees);
  const per = groupFields !== undefined && groupFields.length > 0 ? { fields: groupFields, node: groupBy!.value ?? groupBy!.key, construct: `group-by: [${groupFields.join(', ')}]` } : undefined;
  const alarm = countAlarm(f, ps[0].keyNode, { function: 'count', operator, value: n, offset: 0 }, entry(corr.value, 'timespan')?.value ?? null, 'timespan', tree, per);
  const withTags = meta.tags.length > 0 ? meta : { ...meta, tags: baseTags };
  return build(withTags, tree, alarm, ctx.warnings);
}

function refuseCollections(f: SigmaFile, node: Node): void {
  const action = entry(node, 'action');
  if (action) throw f.fail(action.key, `action: ${scalarText(action.value) ?? ''}`, 'Sigma rule collections (action: global / reset / repeat) are not supported; write each rule as one document');
}

function metadata(f: SigmaFile, node: Node): SigmaMetadata {
  if (!isMap(node)) throw f.fail(node, 'document', 'a Sigma rule is a YAML map');
  const title = scalarText(entry(node, 'title')?.value);
  if (!title) throw f.fail(node, 'title', 'a rule needs a title');
  const idEntry = entry(node, 'id');
  const id = scalarText(idEntry?.value);
  if (!id) throw f.fail(node, 'id', 'a rule needs an id (a UUID): the metric filter, alarm and construct are named after it');
  if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(id)) throw f.fail(idEntry!.value, 'id', `expected a UUID, got ${JSON.stringify(id)}`);
  const author = scalarText(entry(node, 'author')?.value);
  const description = scalarText(entry(node, 'description')?.value)?.trim();
  const level = scalarText(entry(node, 'level')?.value);
  const status = scalarText(entry(node, 'status')?.value);
  return {
    id: id.toLowerCase(),
    title,
    file: f.file,
    line: f.at(node).line,
    ...(author ? { author } : {}),
    ...(description ? { description } : {}),
    references: stringList(entry(node, 'references')?.value) ?? [],
    tags: stringList(entry(node, 'tags')?.value) ?? [],
    falsePositives: stringList(entry(node, 'falsepositives')?.value) ?? [],
    ...(level ? { level } : {}),
    ...(status ? { status } : {}),
  };
}

function checkLogsource(f: SigmaFile, node: Node): void {
  const ls = entry(node, 'logsource');
  if (!ls || !isMap(ls.value)) throw f.fail(ls?.key ?? node, 'logsource', 'a rule needs logsource: {product: aws, service: cloudtrail}');
  const product = scalarText(entry(ls.value, 'product')?.value)?.toLowerCase();
  const service = scalarText(entry(ls.value, 'service')?.value)?.toLowerCase();
  if (product !== 'aws' || service !== 'cloudtrail') {
    throw f.fail(ls.value, `logsource product: ${product ?? '(none)'}, service: ${service ?? '(none)'}`, 'trailwatch converts rules for CloudTrail records only (product: aws, service: cloudtrail)');
  }
}

// --- detection ----------------------------------------------------------------------------------

function detectionTree(ctx: RuleContext, det: Node): { tree: Condition; aggregation?: Aggregation; conditionNode: Node } {
  const { f } = ctx;
  const cond = entry(det, 'condition');
  if (!cond || cond.value === null) throw f.fail(det, 'condition', 'the detection needs a condition');
  const texts = stringList(cond.value);
  if (!texts || texts.length === 0) throw f.fail(cond.value, 'condition', 'expected a condition string (or a list of them)');
  const searches = new Map<string, { key: Node; value: Node | null }>();
  for (const p of pairs(det)) if (p.key !== 'condition' && p.key !== 'timeframe') searches.set(p.key, { key: p.keyNode, value: p.value });
  const memo = new Map<string, Condition>();
  const search = (name: string, at: Node): Condition => {
    const s = searches.get(name);
    if (!s) throw f.fail(at, name, `no search identifier ${JSON.stringify(name)} in the detection (it has ${[...searches.keys()].join(', ') || 'none'})`);
    if (!memo.has(name)) memo.set(name, searchCondition(ctx, name, s.key, s.value));
    return memo.get(name)!;
  };

  const trees: Condition[] = [];
  let aggregation: Aggregation | undefined;
  for (const text of texts) {
    let parsed;
    try {
      parsed = parseConditionExpression(text);
    } catch (e) {
      if (e instanceof ConditionSyntaxError) {
        const p = f.at(cond.value);
        throw new SigmaError(f.file, p.line, p.column + e.offset, e.construct, e.message.startsWith('temporal') ? `${e.message} cannot be converted: each CloudTrail record is matched on its own` : `condition syntax: ${e.message}`);
      }
      throw e;
    }
    if (parsed.aggregation) {
      if (texts.length > 1) throw f.fail(cond.value, '| count()', 'an aggregation in a list of conditions is not supported; write one condition');
      aggregation = parsed.aggregation;
    }
    trees.push(exprCondition(ctx, parsed.expr, [...searches.keys()], search, cond.value));
  }
  const tree = normalize(trees.length === 1 ? trees[0] : any(...trees));
  checkSatisfiable(f, tree, cond.value);
  return { tree, aggregation, conditionNode: cond.value };
}

function exprCondition(ctx: RuleContext, e: ConditionExpr, names: string[], search: (name: string, at: Node) => Condition, at: Node): Condition {
  switch (e.kind) {
    case 'id':
      return search(e.name, at);
    case 'not':
      try {
        return negate(exprCondition(ctx, e.operand, names, search, at));
      } catch (err) {
        if (err instanceof NegationError) throw ctx.f.fail(at, 'not', err.message);
        throw err;
      }
    case 'and':
      return all(...e.operands.map((o) => exprCondition(ctx, o, names, search, at)));
    case 'or':
      return any(...e.operands.map((o) => exprCondition(ctx, o, names, search, at)));
    case 'of': {
      // `them`: every search identifier except those starting with `_` (Sigma specification).
      const matched =
        e.pattern === 'them'
          ? names.filter((n) => !n.startsWith('_'))
          : names.filter((n) => new RegExp(`^${e.pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(n));
      if (matched.length === 0) {
        const p = ctx.f.at(at);
        throw new SigmaError(ctx.f.file, p.line, p.column + e.offset, `${e.quantifier === 'all' ? 'all' : '1'} of ${e.pattern}`, 'no search identifier matches');
      }
      const kids = matched.map((n) => search(n, at));
      return e.quantifier === 'all' ? all(...kids) : any(...kids);
    }
  }
}

/** One search identifier: a map (AND of field tests) or a list of maps (OR). */
function searchCondition(ctx: RuleContext, name: string, key: Node, value: Node | null): Condition {
  const { f } = ctx;
  if (value !== null && isMap(value)) return fieldMap(ctx, value);
  if (value !== null && isSeq(value) && value.items.length > 0 && value.items.every((i) => isMap(i))) return any(...value.items.map((m) => fieldMap(ctx, m as Node)));
  throw f.fail(value ?? key, name, 'a keyword search (a list of plain values matched anywhere in the record) cannot be converted: CloudWatch JSON patterns and EventBridge patterns test named fields; name the field');
}

function fieldMap(ctx: RuleContext, map: Node): Condition {
  const ps = pairs(map);
  if (ps.length === 0) throw ctx.f.fail(map, '{}', 'an empty selection matches every record; name at least one field');
  return all(...ps.map((p) => fieldTest(ctx, p.key, p.keyNode, p.value)));
}

const REFUSED_MODIFIERS: Record<string, string> = {
  base64: 'base64-encoded values',
  base64offset: 'base64-encoded values at any offset',
  wide: 'UTF-16 encoded values',
  utf16: 'UTF-16 encoded values',
  utf16le: 'UTF-16 encoded values',
  utf16be: 'UTF-16 encoded values',
  windash: 'Windows command-line dash variants',
  cidr: 'IP ranges: CloudWatch compares text (a prefix like 10.0.* only covers octet-aligned ranges); write the range as a wildcard value instead',
  gt: 'numeric comparisons', gte: 'numeric comparisons', lt: 'numeric comparisons', lte: 'numeric comparisons',
  fieldref: 'comparing one field with another: CloudWatch and EventBridge patterns compare fields with constants only',
  expand: 'placeholders expanded at conversion time',
  i: 'case-insensitive regexes: CloudWatch regexes have no flags', m: 'multi-line regexes', s: 'dot-matches-newline regexes',
};

type Modifier = 'contains' | 'startswith' | 'endswith' | 'all' | 're' | 'exists' | 'cased';

function fieldTest(ctx: RuleContext, key: string, keyNode: Node, value: Node | null): Condition {
  const { f } = ctx;
  const [name, ...mods] = key.split('|');
  if (name === '') throw f.fail(keyNode, key, 'a keyword search (no field name) cannot be converted: name the field');
  const modifiers = new Set<Modifier>();
  for (const m of mods) {
    if (m in REFUSED_MODIFIERS) throw f.fail(keyNode, `${name}|${m}`, `the ${m} modifier (${REFUSED_MODIFIERS[m]}) cannot be converted`);
    if (!['contains', 'startswith', 'endswith', 'all', 're', 'exists', 'cased'].includes(m)) throw f.fail(keyNode, `${name}|${m}`, `unknown modifier ${m}`);
    modifiers.add(m as Modifier);
  }
  const shape = [...modifiers].filter((m) => m === 'contains' || m === 'startswith' || m === 'endswith' || m === 're' || m === 'exists');
  if (shape.length > 1) throw f.fail(keyNode, key, `the modifiers ${shape.join(' and ')} cannot be combined`);
  const pathOrProblem = fieldPath(name);
  if (typeof pathOrProblem === 'string') throw f.fail(keyNode, name, pathOrProblem);
  const field = pathOrProblem;

  if (modifiers.has('exists')) {
    const v = scalarText(value);
    if (v !== 'true' && v !== 'false') throw f.fail(value ?? keyNode, key, 'expected exists: true or false');
    return v === 'true' ? { field, op: 'exists' } : { field, op: 'notExists' };
  }

  const items: (Node | null)[] = value !== null && isSeq(value) ? (value.items as (Node | null)[]) : [value];
  if (items.length === 0) throw f.fail(value ?? keyNode, key, 'an empty list of values matches nothing');
  const tests: Condition[] = [];
  let caseWarning = false;
  for (const item of items) {
    if (item === null || (isScalar(item) && item.value === null)) {
      if (modifiers.size > 0 && !(modifiers.size === 1 && modifiers.has('all'))) throw f.fail(item ?? keyNode, key, 'null cannot be combined with a value modifier');
      // Sigma's null: the field is not set. CloudTrail leaves unset fields out of the record.
      tests.push({ field, op: 'notExists' });
      continue;
    }
    if (!isScalar(item)) throw f.fail(item, key, 'expected a value or a list of values');
    const raw = scalarText(item)!;
    if (!modifiers.has('re') && !modifiers.has('contains') && !modifiers.has('startswith') && !modifiers.has('endswith') && /^(true|false)$/i.test(raw)) {
      // Sigma compares text; CloudTrail writes some of these as JSON booleans (GuardDuty `enable`,
      // RDS `publiclyAccessible`), which CloudWatch and EventBridge never equal to a string: match both.
      const b = raw.toLowerCase() as 'true' | 'false';
      tests.push(any({ field, op: 'equals', values: [b] }, { field, op: b === 'true' ? 'isTrue' : 'isFalse' }));
      continue;
    }
    if (typeof fieldPath(raw) !== 'string' && raw.includes('.') && !raw.includes(' ')) {
      ctx.warnings.push(`${where(f, item)}: ${name} is compared with the text ${JSON.stringify(raw)}, which looks like a field name; Sigma compares it as text (a comparison with another field would need |fieldref, which cannot be converted)`);
    }
    if (modifiers.has('re')) {
      tests.push({ field, op: 'regex', values: [checkRegex(f, item, key, raw)] });
      continue;
    }
    const r = valueTest(f, item, key, name, raw, modifiers);
    if (r.caseWarning) caseWarning = true;
    tests.push(r.match);
  }
  if (caseWarning) ctx.warnings.push(`${where(f, keyNode)}: ${name} is compared case-sensitively (Sigma compares case-insensitively); records spelled differently are missed (add |cased to the rule to accept this)`);
  if (modifiers.has('all')) return all(...tests);
  return any(...groupValues(tests));
}

/** `a`, `a*`, `*a`, `*a*`... -> equals / prefix / suffix / wildcard / exists, with Sigma's escapes. */
function valueTest(f: SigmaFile, node: Node, key: string, name: string, raw: string, mods: Set<Modifier>): { match: Match; caseWarning: boolean } {
  // Sigma values: `*` any run, `?` one character, `\` escapes `*`, `?` and `\`.
  type Piece = { lit: string } | 'star';
  const pieces: Piece[] = [];
  let lit = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\' && (raw[i + 1] === '*' || raw[i + 1] === '?' || raw[i + 1] === '\\')) {
      if (raw[i + 1] === '*') throw f.fail(node, `${key}: ${raw}`, 'a literal "*" cannot be matched: CloudWatch and EventBridge read every "*" in a value as a wildcard');
      lit += raw[++i];
    } else if (ch === '?') {
      throw f.fail(node, `${key}: ${raw}`, 'the single-character wildcard "?" has no CloudWatch or EventBridge equivalent');
    } else if (ch === '*') {
      if (lit !== '') pieces.push({ lit });
      lit = '';
      if (pieces[pieces.length - 1] !== 'star') pieces.push('star');
    } else {
      lit += ch;
    }
  }
  if (lit !== '') pieces.push({ lit });
  if (mods.has('contains') || mods.has('endswith')) if (pieces[0] !== 'star') pieces.unshift('star');
  if (mods.has('contains') || mods.has('startswith')) if (pieces[pieces.length - 1] !== 'star') pieces.push('star');
  const field = fieldPath(name) as Match['field'];
  if (pieces.length === 0) throw f.fail(node, `${key}: ''`, 'an empty value cannot be written in a CloudWatch filter pattern; use null for "not set"');
  if (pieces.length === 1 && pieces[0] === 'star') return { match: { field, op: 'exists' }, caseWarning: false };
  let caseWarning = false;
  const text = pieces
    .map((p, i) => {
      if (p === 'star') return '*';
      if (/["\\\u0000-\u001f]/.test(p.lit)) throw f.fail(node, `${key}: ${raw}`, 'a value with a double quote, backslash or control character cannot be written in a CloudWatch filter pattern (it has no escapes)');
      const c = canonicalValues(name, p.lit, i === 0, mods.has('cased'));
      if (c.caseWarning) caseWarning = true;
      return c.values[0];
    })
    .join('');
  const stars = pieces.filter((p) => p === 'star').length;
  const lits = pieces.filter((p) => p !== 'star') as { lit: string }[];
  if (stars === 0) {
    const c = canonicalValues(name, lits[0].lit, true, mods.has('cased'));
    return { match: { field, op: 'equals', values: c.values }, caseWarning: c.caseWarning };
  }
  if (stars === 1 && pieces[pieces.length - 1] === 'star') return { match: { field, op: 'prefix', values: [text.slice(0, -1)] }, caseWarning };
  if (stars === 1 && pieces[0] === 'star') return { match: { field, op: 'suffix', values: [text.slice(1)] }, caseWarning };
  return { match: { field, op: 'wildcard', values: [text] }, caseWarning };
}

function checkRegex(f: SigmaFile, node: Node, key: string, re: string): string {
  const bad = [...re].find((ch) => !/[A-Za-z0-9_#=@/;,:\-^$?[\]{}|\\*+.]/.test(ch));
  if (re === '' || bad !== undefined) {
    throw f.fail(node, `${key}: ${re}`, `${re === '' ? 'an empty regex' : `the character ${JSON.stringify(bad)}`} cannot appear in a CloudWatch Logs regex (allowed: letters, digits, _ # = @ / ; , : - and ^ $ ? [ ] { } | \\ * + .)`);
  }
  try {
    new RegExp(re);
  } catch (e) {
    throw f.fail(node, `${key}: ${re}`, `not a valid regular expression: ${(e as Error).message}`);
  }
  return re;
}

/** Consecutive tests of one field with one op become one test with a value list (one EventBridge list). */
function groupValues(tests: Condition[]): Condition[] {
  const out: Condition[] = [];
  for (const t of tests) {
    const last = out[out.length - 1];
    if (last && isMatch(last) && isMatch(t) && 'values' in last && 'values' in t && last.op === t.op && last.field.join('.') === t.field.join('.')) {
      out[out.length - 1] = { field: t.field, op: t.op, values: [...new Set([...last.values, ...t.values])] } as Match;
    } else if (!(last && JSON.stringify(last) === JSON.stringify(t))) {
      out.push(t);
    }
  }
  return out;
}

/**
 * Sigma's `not`: true wherever the operand is false, records without the field included. The
 * catalog's negated ops hold only on records that have the field, so a field some records lack
 * gets an explicit `notExists` alternative; fields every record has do not need one.
 */
export function negate(c: Condition): Condition {
  if (isAll(c)) return any(...c.all.map(negate));
  if (isAny(c)) return all(...c.any.map(negate));
  const m = c as Match;
  const guard = (neg: Match): Condition => (isAlwaysPresent(m.field) ? neg : orAbsent(neg));
  switch (m.op) {
    case 'exists':
      return { field: m.field, op: 'notExists' };
    case 'notExists':
      return { field: m.field, op: 'exists' };
    case 'hasItems':
      // Sigma never produces it (catalog detections only); "no first item" has no single test in every target.
      throw new Error(`a Sigma rule cannot negate hasItems on ${m.field.join('.')}`);
    case 'equals':
      return guard({ field: m.field, op: 'notEquals', values: m.values });
    case 'prefix':
      return guard({ field: m.field, op: 'notWildcard', values: m.values.map((v) => `${v}*`) });
    case 'suffix':
      return guard({ field: m.field, op: 'notWildcard', values: m.values.map((v) => `*${v}`) });
    case 'wildcard':
      return guard({ field: m.field, op: 'notWildcard', values: m.values });
    case 'regex':
      return guard({ field: m.field, op: 'notRegex', values: m.values });
    case 'notEquals':
      return any({ field: m.field, op: 'notExists' }, { field: m.field, op: 'equals', values: m.values });
    case 'notWildcard':
      return any({ field: m.field, op: 'notExists' }, { field: m.field, op: 'wildcard', values: m.values });
    case 'notRegex':
      return any({ field: m.field, op: 'notExists' }, { field: m.field, op: 'regex', values: m.values });
    case 'isTrue':
    case 'isFalse':
      // "Not true" is absent, false, null, a string, a number...: no target has a test for "anything but true".
      throw new NegationError(`not of ${m.field.join('.')}: ${m.op === 'isTrue' ? 'true' : 'false'} cannot be expressed (CloudWatch has no "IS NOT TRUE", EventBridge no anything-but for booleans)`);
  }
}

class NegationError extends Error {}

/** Refuses a condition that no single record can satisfy (two different exact values of one field, both required). */
function checkSatisfiable(f: SigmaFile, c: Condition, at: Node): void {
  if (isMatch(c)) return;
  if (isAny(c)) {
    c.any.forEach((k) => checkSatisfiable(f, k, at));
    return;
  }
  const required = new Map<string, Set<string>>();
  for (const k of (c as { all: readonly Condition[] }).all) {
    if (isMatch(k) && k.op === 'equals') {
      const key = k.field.join('.');
      const prev = required.get(key);
      const next = prev ? new Set(k.values.filter((v) => prev.has(v))) : new Set(k.values);
      if (next.size === 0) {
        throw f.fail(at, 'condition', `requires ${key} to be ${[...(prev ?? [])].join(' or ')} and ${k.values.join(' or ')} in the same record, so it never matches; rules that correlate several events cannot be converted`);
      }
      required.set(key, next);
    } else {
      checkSatisfiable(f, k, at);
    }
  }
}

// --- count ---------------------------------------------------------------------------------------

/**
 * `| count() > N` over `timeframe` (or a correlation's `condition: {gte: N}` over `timespan`) ->
 * the alarm: Sum of matches over one period of the timeframe's length compared with N. CloudWatch
 * periods are fixed windows, not Sigma's sliding window: a burst split by a period boundary counts
 * in two periods.
 */
function countAlarm(
  f: SigmaFile,
  at: Node,
  a: Aggregation,
  timeframeNode: Node | null,
  key: 'timeframe' | 'timespan',
  tree: Condition,
  groupBy?: { fields: readonly string[]; node: Node; construct: string },
): Control['alarm'] {
  if (a.function !== 'count') throw f.fail(at, `| ${a.function}()`, 'only count() converts (an alarm threshold on the number of matching events)');
  if (a.argument !== undefined) throw f.fail(at, `| count(${a.argument})`, 'count(field) counts distinct values; a metric filter counts events only');
  // `| count() by field` (or a correlation's group-by): a count per value, a Contributor Insights rule keyed by the fields.
  const by = groupBy ?? (a.groupBy !== undefined ? { fields: [a.groupBy], node: at, construct: `| count() by ${a.groupBy}` } : undefined);
  const per = by ? perKeys(f, by, tree) : undefined;
  let threshold: number;
  if (a.operator === '>') threshold = a.value + 1;
  else if (a.operator === '>=') threshold = a.value;
  else throw f.fail(at, `| count() ${a.operator} ${a.value}`, 'only "more than" counts (> or >=) convert: an alarm on few events would also fire on every quiet period');
  if (threshold < 1) throw f.fail(at, `| count() ${a.operator} ${a.value}`, 'the threshold is below one event: drop the count');
  const tf = scalarText(timeframeNode);
  if (tf === undefined) throw f.fail(at, key, `a count needs a ${key} (e.g. ${key}: 10m): the alarm period`);
  const m = /^(\d+)([smhd])$/.exec(tf);
  if (!m) throw f.fail(timeframeNode, `${key}: ${tf}`, 'expected a number with s, m, h or d, e.g. 10m');
  const seconds = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  // Alarms on metric-filter metrics: periods of whole minutes, at most one day (PutMetricAlarm).
  if (seconds < 60 || seconds % 60 !== 0 || seconds > 86400) {
    throw f.fail(timeframeNode, `${key}: ${tf}`, 'the alarm period must be whole minutes between 1m and 1d (metric filter metrics have one-minute resolution; CloudWatch periods are at most a day)');
  }
  return { threshold, period: seconds, evaluationPeriods: 1, ...(per ? { per } : {}) };
}

/**
 * The fields of a grouped count as Contributor Insights keys: CloudTrail fields, at most 4, and a
 * detection its filters can express (else the rule would count other events than the rule means).
 */
function perKeys(f: SigmaFile, by: { fields: readonly string[]; node: Node; construct: string }, tree: Condition): string[] {
  if (by.fields.length > CONTRIBUTOR_KEYS_MAX) throw f.fail(by.node, by.construct, `a Contributor Insights rule groups by at most ${CONTRIBUTOR_KEYS_MAX} keys`);
  for (const name of by.fields) {
    const p = fieldPath(name);
    if (typeof p === 'string') throw f.fail(by.node, by.construct, `cannot count per ${name}: ${p}`);
  }
  const converted = contributorFilters(renderCloudWatchPattern(tree), by.fields, (x) => isAlwaysPresent(x.split('.') as unknown as FieldPath));
  if (!converted.ok) throw f.fail(by.node, by.construct, `a count per value is a Contributor Insights rule, whose filters cannot express this detection: ${converted.reason}`);
  return [...by.fields];
}

// --- the control ---------------------------------------------------------------------------------

const SEVERITY: Record<string, Severity> = { informational: 'low', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

/** ATT&CK Enterprise tactic ids by the names Sigma tags use (https://attack.mitre.org/tactics/enterprise/). */
const TACTIC_IDS: Record<string, string> = {
  reconnaissance: 'TA0043',
  'resource-development': 'TA0042',
  'initial-access': 'TA0001',
  execution: 'TA0002',
  persistence: 'TA0003',
  'privilege-escalation': 'TA0004',
  'defense-evasion': 'TA0005',
  'credential-access': 'TA0006',
  discovery: 'TA0007',
  'lateral-movement': 'TA0008',
  collection: 'TA0009',
  exfiltration: 'TA0010',
  'command-and-control': 'TA0011',
  impact: 'TA0040',
};

/** `attack.t1078.004` -> technique `T1078.004`; `attack.persistence` -> tactic `TA0003` (a name without a known id is kept). */
export function attackFromTags(tags: readonly string[]): { tactics: string[]; techniques: string[] } {
  const tactics: string[] = [];
  const techniques: string[] = [];
  for (const tag of tags) {
    const m = /^attack\.(.+)$/i.exec(tag);
    if (!m) continue;
    const v = m[1].toLowerCase();
    if (/^t\d{4}(\.\d{3})?$/.test(v)) techniques.push(v.toUpperCase());
    else if (/^[gs]\d{4}$/.test(v)) continue; // groups and software: kept in tags only
    else tactics.push(TACTIC_IDS[v] ?? v);
  }
  return { tactics: [...new Set(tactics)], techniques: [...new Set(techniques)] };
}

function build(meta: SigmaMetadata, tree: Condition, alarm: Control['alarm'], warnings: string[]): SigmaConversion {
  const attack = attackFromTags(meta.tags);
  const sources = requiredValues(tree, 'eventSource');
  const names = requiredValues(tree, 'eventName');
  // IAM and Organizations calls are recorded in us-east-1 (lib/catalog/README.md, globalService).
  const globalService = sources !== undefined && sources.every((s) => s === 'iam.amazonaws.com' || s === 'organizations.amazonaws.com');
  // Console sign-ins come from signin.amazonaws.com with their own detail-type; a rule that can match
  // them gets it, a rule restricted to other sources or to API names other than ConsoleLogin does not.
  const signIn = names?.includes('ConsoleLogin') || sources?.includes('signin.amazonaws.com') || (names === undefined && sources === undefined);
  const api = !(names !== undefined && names.every((n) => n === 'ConsoleLogin'));
  const detailTypes: EventBridgeDetailType[] = [...(api ? (['AWS API Call via CloudTrail'] as const) : []), ...(signIn ? (['AWS Console Sign In via CloudTrail'] as const) : [])];
  const attackText = [...attack.techniques, ...attack.tactics].join(', ');
  const description = [
    `${meta.title} (Sigma rule ${meta.id}${meta.author ? ` by ${meta.author}` : ''}, ${path.basename(meta.file)}).`,
    attackText ? `ATT&CK: ${attackText}.` : '',
    meta.description ? meta.description.replace(/\s+/g, ' ') : '',
    meta.references.length > 0 ? `References: ${meta.references.join(' ')}` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  const control: Control = {
    id: `sigma-${meta.id}`,
    title: meta.title,
    kind: 'sigma',
    ...(attack.tactics.length + attack.techniques.length > 0 ? { attack } : {}),
    ...(meta.falsePositives.length > 0 ? { falsePositives: meta.falsePositives } : {}),
    ...(alarm ? { alarm } : {}),
    cis: {},
    rationale: meta.description?.replace(/\s+/g, ' ') ?? meta.title,
    severity: SEVERITY[meta.level ?? 'medium'] ?? 'medium',
    detection: { where: tree },
    globalService,
    detailTypes,
    metricName: `Sigma-${meta.id}`,
  };
  return { control, sigma: meta, description, warnings };
}

/** The values a field must equal in every match of the tree (its top-level `all`), if it is restricted so. */
function requiredValues(tree: Condition, field: string): string[] | undefined {
  const direct = (c: Condition): string[] | undefined => (isMatch(c) && c.op === 'equals' && c.field.join('.') === field ? [...c.values] : undefined);
  if (isMatch(tree)) return direct(tree);
  if (isAll(tree)) for (const k of tree.all) if (direct(k)) return direct(k);
  if (isAny(tree)) {
    const each = tree.any.map((k) => requiredValues(k, field));
    if (each.every((v) => v !== undefined)) return [...new Set(each.flat() as string[])];
  }
  return undefined;
}

function where(f: SigmaFile, node: Node | null | undefined): string {
  const p = f.at(node);
  return `${f.file}:${p.line}:${p.column}`;
}
