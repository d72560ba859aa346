/**
 * Hand-written recursive-descent parser for CloudWatch Logs filter patterns, following
 * "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live Tail"
 * (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html). The leading
 * character picks the dialect: `{` JSON, `[` space-delimited, `%...%` regex, anything else terms.
 */
import {
  setColumn,
  type ComparisonOp,
  type DelimitedCondition,
  type DelimitedComparison,
  type DelimitedField,
  type DelimitedPatternAst,
  type FilterPatternAst,
  type JsonCheckKind,
  type JsonExpr,
  type JsonPatternAst,
  type Selector,
  type Term,
  type TermModifier,
  type TermsPatternAst,
  type Value,
} from './ast';
import { FilterPatternSyntaxError } from './errors';
import { BARE_VALUE_CHAR, MAX_REGEXES, NUMBER_RE, REGEX_CHAR } from './values';

/** Parses a pattern or throws `FilterPatternSyntaxError` with the 1-based column of the problem. */
export function parseFilterPattern(pattern: string): FilterPatternAst {
  return new Parser(pattern).parse();
}

const WS = /\s/;
const IDENT_CHAR = /[A-Za-z0-9_-]/; // "Property selectors are alphanumeric strings that also support '-' and '_'"
const FIELD_CHAR = /[A-Za-z0-9_]/;
const VALUE_END = /[\s(){}[\],&|]/;
const RELATIONAL = new Set<ComparisonOp>(['<', '>', '<=', '>=']);
const CHECK_HINT = 'a comparison operator (=, !=, <, >, <=, >=), IS NULL, IS TRUE, IS FALSE or NOT EXISTS after the selector';

class Parser {
  private pos = 0;
  private regexes = 0;

  constructor(private readonly src: string) {}

  parse(): FilterPatternAst {
    this.skipWs();
    if (this.pos >= this.src.length) return { kind: 'terms', terms: [] };
    const c = this.src[this.pos];
    if (c === '{') return this.parseJson();
    if (c === '[') return this.parseDelimited();
    const trimmed = this.src.trim();
    if (c === '%' && trimmed.length >= 2 && trimmed.endsWith('%')) {
      const term: Term = { type: 'regex', source: this.parseRegex() };
      this.skipWs();
      if (this.pos < this.src.length) this.fail('end of pattern after the regex');
      return { kind: 'terms', terms: [term] };
    }
    return this.parseTerms();
  }

  // ---------- JSON ----------

  private parseJson(): JsonPatternAst {
    const open = this.pos++;
    this.skipWs();
    if (this.peek() === '}') this.fail('a condition like $.eventName = "ConsoleLogin"');
    const expr = this.parseOr();
    this.skipWs();
    if (this.peek() !== '}') this.fail(this.atEnd() ? `"}" to close the "{" at column ${open + 1}` : '"&&", "||" or "}"');
    this.pos++;
    this.skipWs();
    if (!this.atEnd()) this.fail('end of pattern after "}"');
    return { kind: 'json', expr };
  }

  private parseOr(): JsonExpr {
    const first = this.parseAnd();
    this.skipWs();
    if (!this.src.startsWith('||', this.pos)) return first;
    const column = this.pos + 1;
    const operands = [first];
    while (this.src.startsWith('||', this.pos)) {
      this.pos += 2;
      operands.push(this.parseAnd());
      this.skipWs();
    }
    return this.at({ type: 'or', operands }, column);
  }

  private parseAnd(): JsonExpr {
    const first = this.parsePrimary();
    this.skipWs();
    if (!this.src.startsWith('&&', this.pos)) return first;
    const column = this.pos + 1;
    const operands = [first];
    while (this.src.startsWith('&&', this.pos)) {
      this.pos += 2;
      operands.push(this.parsePrimary());
      this.skipWs();
    }
    return this.at({ type: 'and', operands }, column);
  }

  private parsePrimary(): JsonExpr {
    this.skipWs();
    const start = this.pos;
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const expr = this.parseOr();
      this.skipWs();
      if (this.peek() !== ')') this.fail(this.atEnd() ? `")" to close the "(" at column ${start + 1}` : '"&&", "||" or ")"');
      this.pos++;
      return this.at({ type: 'group', expr }, start + 1);
    }
    if (c === '$') return this.parseCondition();
    return this.fail('a selector like $.eventName');
  }

  private parseCondition(): JsonExpr {
    const start = this.pos;
    const selector = this.parseSelector();
    this.skipWs();
    const op = this.readOp();
    if (op) return this.at({ type: 'comparison', selector, op, value: this.parseValue(op) }, start + 1);
    const wordAt = this.pos;
    const word = this.readWord();
    let check: JsonCheckKind;
    if (word === 'IS') {
      this.requireWs('NULL, TRUE or FALSE after IS');
      const what = this.readWord();
      if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') check = `IS ${what}`;
      else this.fail('NULL, TRUE or FALSE after IS (IS NOT is not supported)', this.pos - what.length);
    } else if (word === 'NOT') {
      this.requireWs('EXISTS after NOT');
      const what = this.readWord();
      if (what === 'EXISTS') check = 'NOT EXISTS';
      else this.fail('EXISTS after NOT', this.pos - what.length);
    } else {
      this.fail(word === 'EXISTS' ? `${CHECK_HINT} (EXISTS alone is not supported)` : CHECK_HINT, wordAt);
    }
    return this.at({ type: 'check', selector, check }, start + 1);
  }

  /** `$.a.b[0][1]`: properties are [A-Za-z0-9_-]+, indexes follow a property. */
  private parseSelector(): Selector {
    const start = this.pos++;
    const path: (string | number)[] = [];
    if (this.peek() !== '.') this.fail('"." after "$" (selectors look like $.eventName)');
    while (this.peek() === '.') {
      this.pos++;
      if (this.peek() === '*' || this.peek() === '[') this.unsupportedSelector(start);
      const name = this.readWhile(IDENT_CHAR);
      if (!name) this.fail('a property name after "."');
      path.push(name);
      while (this.peek() === '[') {
        this.pos++;
        if (this.peek() === '*') this.unsupportedSelector(start);
        const digits = this.readWhile(/\d/);
        if (!digits) this.fail('an array index like [0]');
        if (this.peek() !== ']') this.fail('"]" to close the array index');
        this.pos++;
        path.push(Number(digits));
      }
    }
    return { text: selectorText(path), path };
  }

  private unsupportedSelector(start: number): never {
    throw new FilterPatternSyntaxError(
      start + 1,
      `unsupported selector at column ${start + 1}: wildcard ($.*, [*]) and bracket-notation ($.['a.b']) selectors are not supported by this evaluator`,
    );
  }

  // ---------- values (shared by JSON and delimited) ----------

  private readOp(): ComparisonOp | undefined {
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return undefined;
  }

  private parseValue(op: ComparisonOp): Value {
    this.skipWs();
    const start = this.pos;
    const c = this.peek();
    let value: Value;
    if (c === '"') value = { type: 'string', value: this.parseQuoted() };
    else if (c === '%') value = { type: 'regex', source: this.parseRegex() };
    else {
      const raw = this.readWhile(BARE_VALUE_CHAR);
      if (!raw) this.fail(`a value after "${op}"`);
      if (!this.atEnd() && !VALUE_END.test(this.src[this.pos])) {
        this.fail('the end of the value (quote values containing characters other than letters, digits and _ . * : / + -)');
      }
      value = NUMBER_RE.test(raw) ? { type: 'number', raw, value: Number(raw) } : { type: 'string', value: raw };
    }
    if (RELATIONAL.has(op) && value.type !== 'number') this.fail(`a number after "${op}"`, start);
    return value;
  }

  /** `"..."` with `\"` and `\\` as the only escapes (any other backslash is literal). */
  private parseQuoted(): string {
    const start = this.pos++;
    let out = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && (this.src[this.pos + 1] === '"' || this.src[this.pos + 1] === '\\')) {
        out += this.src[this.pos + 1];
        this.pos += 2;
      } else if (ch === '"') {
        this.pos++;
        return out;
      } else {
        out += ch;
        this.pos++;
      }
    }
    throw new FilterPatternSyntaxError(start + 1, `unterminated string at column ${start + 1}: expected a closing " before the end of the pattern`);
  }

  private parseRegex(): string {
    const start = this.pos++;
    const end = this.src.indexOf('%', this.pos);
    if (end < 0) throw new FilterPatternSyntaxError(start + 1, `unterminated regex at column ${start + 1}: expected a closing %`);
    const source = this.src.slice(this.pos, end);
    if (!source) throw new FilterPatternSyntaxError(start + 1, `empty regex at column ${start + 1}: expected an expression between the % signs`);
    for (let i = 0; i < source.length; i++) {
      if (!REGEX_CHAR.test(source[i])) {
        const col = this.pos + i + 1;
        throw new FilterPatternSyntaxError(col, `unsupported character ${JSON.stringify(source[i])} at column ${col} in a regex: CloudWatch Logs regexes allow only letters, digits, _ # = @ / ; , : - and the operators ^ $ ? [ ] { } | \\ * + .`);
      }
    }
    try {
      new RegExp(source);
    } catch (e) {
      throw new FilterPatternSyntaxError(start + 1, `invalid regex at column ${start + 1}: ${(e as Error).message}`);
    }
    if (++this.regexes > MAX_REGEXES) {
      throw new FilterPatternSyntaxError(start + 1, `too many regexes at column ${start + 1}: a filter pattern may contain at most ${MAX_REGEXES}`);
    }
    this.pos = end + 1;
    return source;
  }

  // ---------- terms ----------

  private parseTerms(): TermsPatternAst {
    const terms: Term[] = [];
    for (;;) {
      this.skipWs();
      if (this.atEnd()) break;
      const start = this.pos;
      let modifier: TermModifier = 'required';
      const c = this.peek();
      if (c === '?' || c === '-') {
        modifier = c === '?' ? 'optional' : 'excluded';
        this.pos++;
        this.skipWs(); // the docs also write an exclusion as "ERROR" - "Exiting"
        if (this.atEnd()) this.fail(`a term after "${c}"`);
      }
      let text: string;
      if (this.peek() === '"') {
        text = this.parseQuoted();
        if (!this.atEnd() && !WS.test(this.src[this.pos])) this.fail('whitespace after the closing quote');
      } else {
        text = this.readWhile(/[^\s"]/);
        if (this.peek() === '"') this.fail('whitespace before a quoted phrase');
      }
      terms.push(this.at({ type: 'term', text, modifier }, start + 1));
    }
    return { kind: 'terms', terms };
  }

  // ---------- space-delimited ----------

  private parseDelimited(): DelimitedPatternAst {
    const open = this.pos++;
    const fields: DelimitedField[] = [];
    for (;;) {
      this.skipWs();
      const start = this.pos;
      if (this.src.startsWith('...', this.pos)) {
        this.pos += 3;
        fields.push(this.at({ type: 'ellipsis' }, start + 1));
      } else {
        const name = this.readWhile(FIELD_CHAR);
        this.skipWs();
        if ('=!<>'.includes(this.peek() ?? ' ')) {
          if (!name) this.fail('a field name before the condition', start);
          fields.push(this.at({ type: 'field', name, condition: this.parseCondOr(name, start) }, start + 1));
        } else {
          fields.push(this.at({ type: 'field', name }, start + 1));
        }
      }
      this.skipWs();
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        break;
      }
      this.fail(this.atEnd() ? `"]" to close the "[" at column ${open + 1}` : '",", "]" or a condition like = 200');
    }
    this.skipWs();
    if (!this.atEnd()) this.fail('end of pattern after "]"');
    if (fields.length === 1 && fields[0].type === 'field' && !fields[0].name) this.fail('a field name', open + 1);
    return { kind: 'delimited', fields };
  }

  private parseCondOr(field: string, fieldStart: number): DelimitedCondition {
    const first = this.parseCondAnd(field, fieldStart);
    this.skipWs();
    if (!this.src.startsWith('||', this.pos)) return first;
    const column = this.pos + 1;
    const operands = [first];
    while (this.src.startsWith('||', this.pos)) {
      this.pos += 2;
      operands.push(this.parseCondAnd(field));
      this.skipWs();
    }
    return this.at({ type: 'or', operands }, column);
  }

  private parseCondAnd(field: string, fieldStart?: number): DelimitedCondition {
    const first = this.parseCondComparison(field, fieldStart);
    this.skipWs();
    if (!this.src.startsWith('&&', this.pos)) return first;
    const column = this.pos + 1;
    const operands = [first];
    while (this.src.startsWith('&&', this.pos)) {
      this.pos += 2;
      operands.push(this.parseCondComparison(field));
      this.skipWs();
    }
    return this.at({ type: 'and', operands }, column);
  }

  /** The entry's own name was already read when `nameStart` is given. */
  private parseCondComparison(field: string, nameStart?: number): DelimitedComparison {
    let name = field;
    let start = nameStart;
    if (start === undefined) {
      this.skipWs();
      start = this.pos;
      name = this.readWhile(FIELD_CHAR);
      if (!name) this.fail(`a condition on ${field} like ${field} = 200`);
      // The docs write `[w1=ERROR || W1=WARNING, w2]`, so names compare case-insensitively.
      if (name.toLowerCase() !== field.toLowerCase()) {
        throw new FilterPatternSyntaxError(
          start + 1,
          `condition on "${name}" at column ${start + 1} is inside the entry for field "${field}": a field's conditions may only test that field`,
        );
      }
      this.skipWs();
    }
    const op = this.readOp();
    if (!op) this.fail('a comparison operator (=, !=, <, >, <=, >=)');
    return this.at({ type: 'comparison', name, op, value: this.parseValue(op) }, start + 1);
  }

  // ---------- scanning ----------

  private at<T extends object>(node: T, column: number): T {
    setColumn(node, column);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  private skipWs(): void {
    while (this.pos < this.src.length && WS.test(this.src[this.pos])) this.pos++;
  }

  private requireWs(expected: string): void {
    if (this.atEnd() || !WS.test(this.src[this.pos])) this.fail(expected);
    this.skipWs();
  }

  private readWhile(re: RegExp): string {
    const start = this.pos;
    while (this.pos < this.src.length && re.test(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private readWord(): string {
    return this.readWhile(/[A-Za-z]/);
  }

  private fail(expected: string, at = this.pos): never {
    throw new FilterPatternSyntaxError(at + 1, `unexpected ${describe(this.src, at)} at column ${at + 1}: expected ${expected}`);
  }
}

/** What the user sees at `at`: an operator, a word, a single character, or the end. */
function describe(src: string, at: number): string {
  if (at >= src.length) return 'end of pattern';
  if (WS.test(src[at])) return 'whitespace';
  for (const op of ['&&', '||', '!=', '<=', '>=', '...']) if (src.startsWith(op, at)) return `"${op}"`;
  const word = /^[^\s(){}[\],"&|=!<>]+/.exec(src.slice(at, at + 40));
  if (word) return JSON.stringify(word[0]);
  if (src[at] === '"') return 'a quote (")';
  return JSON.stringify(src[at]);
}

export function selectorText(path: readonly (string | number)[]): string {
  let s = '$';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `.${p}`;
  return s;
}
