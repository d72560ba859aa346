/**
 * The `condition:` line of a Sigma rule (Sigma specification, "Condition"): search identifiers
 * joined by `and` / `or` / `not` and parentheses, `1 of X` / `all of X` (X an identifier, a
 * pattern with `*`, or `them`), and an optional aggregation `| count() [by field] OP N`.
 * Precedence, tightest first: `not`, `and`, `or` (as in the specification).
 */

export type ConditionExpr =
  | { readonly kind: 'id'; readonly name: string; readonly offset: number }
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string; readonly offset: number }
  | { readonly kind: 'not'; readonly operand: ConditionExpr }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly ConditionExpr[] };

export interface Aggregation {
  readonly function: string;
  /** count(field): a count of distinct values. */
  readonly argument?: string;
  readonly groupBy?: string;
  readonly operator: '>' | '>=' | '<' | '<=' | '=' | '==';
  readonly value: number;
  readonly offset: number;
}

export interface ParsedCondition {
  readonly expr: ConditionExpr;
  readonly aggregation?: Aggregation;
}

/** A parse problem at a 0-based offset in the condition text. */
export class ConditionSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly construct: string,
    message: string,
  ) {
    super(message);
  }
}

interface Token {
  readonly text: string;
  readonly offset: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(\(|\)|\||>=|<=|==|>|<|=|,|[^\s()|<>=,]+)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(text)) !== null) {
    out.push({ text: m[1], offset: m.index + m[0].length - m[1].length });
    last = re.lastIndex;
  }
  if (text.slice(last).trim() !== '') throw new ConditionSyntaxError(last, text.slice(last).trim(), 'unexpected text');
  return out;
}

export function parseConditionExpression(text: string): ParsedCondition {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const lower = (t: Token | undefined) => t?.text.toLowerCase();
  const endOffset = text.length;
  const expect = (what: string): Token => {
    const t = tokens[i++];
    if (!t) throw new ConditionSyntaxError(endOffset, what, `expected ${what}, found the end of the condition`);
    return t;
  };

  const parseOr = (): ConditionExpr => {
    const operands = [parseAnd()];
    while (lower(peek()) === 'or') {
      i++;
      operands.push(parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  };
  const parseAnd = (): ConditionExpr => {
    const operands = [parseNot()];
    while (lower(peek()) === 'and') {
      i++;
      operands.push(parseNot());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  };
  const parseNot = (): ConditionExpr => {
    if (lower(peek()) === 'not') {
      i++;
      return { kind: 'not', operand: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionExpr => {
    const t = expect('a search identifier, "1 of", "all of", "not" or "("');
    const word = t.text.toLowerCase();
    if (t.text === '(') {
      const inner = parseOr();
      const close = expect('")"');
      if (close.text !== ')') throw new ConditionSyntaxError(close.offset, close.text, 'expected ")"');
      return inner;
    }
    if ((word === '1' || word === 'all' || word === 'any') && lower(peek()) === 'of') {
      i++;
      const target = expect('a search identifier, a pattern such as selection_* or "them"');
      if (/^[()|]$/.test(target.text) || ['and', 'or', 'not'].includes(target.text.toLowerCase())) {
        throw new ConditionSyntaxError(target.offset, target.text, `expected a search identifier after "${t.text} of"`);
      }
      return { kind: 'of', quantifier: word === 'all' ? 'all' : 'one', pattern: target.text, offset: t.offset };
    }
    if (t.text === ')' || t.text === '|' || ['and', 'or', 'of'].includes(word) || /^[<>=,]/.test(t.text)) {
      throw new ConditionSyntaxError(t.offset, t.text, 'expected a search identifier, "1 of", "all of", "not" or "("');
    }
    return { kind: 'id', name: t.text, offset: t.offset };
  };

  const expr = parseOr();
  let aggregation: Aggregation | undefined;
  if (peek()?.text === '|') {
    const bar = tokens[i++];
    const fn = expect('an aggregation such as count()');
    const call = /^([A-Za-z_]+)$/.exec(fn.text);
    if (!call) throw new ConditionSyntaxError(fn.offset, fn.text, 'expected an aggregation such as count()');
    if (call[1].toLowerCase() === 'near') throw new ConditionSyntaxError(bar.offset, '| near', 'temporal correlation ("near") of different events');
    const open = expect('"("');
    if (open.text !== '(') throw new ConditionSyntaxError(open.offset, open.text, `expected "(" after ${fn.text}`);
    let argument: string | undefined;
    if (peek()?.text !== ')') argument = expect('a field name').text;
    const close = expect('")"');
    if (close.text !== ')') throw new ConditionSyntaxError(close.offset, close.text, 'expected ")"');
    let groupBy: string | undefined;
    if (lower(peek()) === 'by') {
      i++;
      groupBy = expect('a field name after "by"').text;
    }
    const op = expect('a comparison (>, >=, <, <=, =)');
    if (!['>', '>=', '<', '<=', '=', '=='].includes(op.text)) throw new ConditionSyntaxError(op.offset, op.text, 'expected a comparison (>, >=, <, <=, =)');
    const n = expect('a number');
    if (!/^\d+$/.test(n.text)) throw new ConditionSyntaxError(n.offset, n.text, 'expected a whole number');
    aggregation = { function: call[1].toLowerCase(), argument, groupBy, operator: op.text as Aggregation['operator'], value: Number(n.text), offset: bar.offset };
  }
  const rest = peek();
  if (rest) throw new ConditionSyntaxError(rest.offset, rest.text, `unexpected ${JSON.stringify(rest.text)}`);
  return { expr, aggregation };
}
