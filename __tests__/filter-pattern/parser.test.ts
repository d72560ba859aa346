import fc from 'fast-check';
import {
  columnOf,
  FilterPatternSyntaxError,
  parseFilterPattern,
  printFilterPattern,
  type FilterPatternAst,
  type JsonExpr,
  type Value,
} from '../../lib/filter-pattern';
import { jsonExprArbitrary } from '../support/json-expr';

function syntaxError(pattern: string): FilterPatternSyntaxError {
  try {
    parseFilterPattern(pattern);
  } catch (e) {
    if (e instanceof FilterPatternSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${pattern}`);
}

describe('syntax errors name the column and what was expected', () => {
  test.each([
    ['{ $.a = 1 && && $.b = 2 }', 14, 'unexpected "&&" at column 14: expected a selector like $.eventName'],
    ['{ || $.a = 1 }', 3, 'unexpected "||" at column 3: expected a selector like $.eventName'],
    ['{ $.a = 1 ', 11, 'unexpected end of pattern at column 11: expected "}" to close the "{" at column 1'],
    ['{ ($.a = 1 }', 12, 'unexpected "}" at column 12: expected "&&", "||" or ")"'],
    ['{ ($.a = 1', 11, 'unexpected end of pattern at column 11: expected ")" to close the "(" at column 3'],
    ['{ $.a = 1 $.b = 2 }', 11, 'unexpected "$.b" at column 11: expected "&&", "||" or "}"'],
    ['{ }', 3, 'unexpected "}" at column 3: expected a condition like $.eventName = "ConsoleLogin"'],
    ['{ $.a = 1 } x', 13, 'unexpected "x" at column 13: expected end of pattern after "}"'],
    ['{ eventName = 1 }', 3, 'unexpected "eventName" at column 3: expected a selector like $.eventName'],
    ['{ $eventName = 1 }', 4, 'unexpected "eventName" at column 4: expected "." after "$" (selectors look like $.eventName)'],
    ['{ $. = 1 }', 5, 'unexpected whitespace at column 5: expected a property name after "."'],
    ['{ $.a[x] = 1 }', 7, 'unexpected "x" at column 7: expected an array index like [0]'],
    ['{ $.a[0 = 1 }', 8, 'unexpected whitespace at column 8: expected "]" to close the array index'],
    ['{ $.a == 1 }', 8, 'unexpected "=" at column 8: expected a value after "="'],
    ['{ $.a = }', 9, 'unexpected "}" at column 9: expected a value after "="'],
    ['{ $.a > abc }', 9, 'unexpected "abc" at column 9: expected a number after ">"'],
    ['{ $.a <= "5" }', 10, 'unexpected a quote (") at column 10: expected a number after "<="'],
    ['{ $.a = x@y }', 10, 'unexpected "@y" at column 10: expected the end of the value (quote values containing characters other than letters, digits and _ . * : / + -)'],
    ['{ $.a IS NOT NULL }', 10, 'unexpected "NOT" at column 10: expected NULL, TRUE or FALSE after IS (IS NOT is not supported)'],
    ['{ $.a EXISTS }', 7, 'unexpected "EXISTS" at column 7: expected a comparison operator (=, !=, <, >, <=, >=), IS NULL, IS TRUE, IS FALSE or NOT EXISTS after the selector (EXISTS alone is not supported)'],
    ['{ $.a is null }', 7, 'unexpected "is" at column 7: expected a comparison operator (=, !=, <, >, <=, >=), IS NULL, IS TRUE, IS FALSE or NOT EXISTS after the selector'],
    ['{ $.a NOT NULL }', 11, 'unexpected "NULL" at column 11: expected EXISTS after NOT'],
    ['{ $.a = "unterminated }', 9, 'unterminated string at column 9: expected a closing " before the end of the pattern'],
    ['{ $.* = 1 }', 3, "unsupported selector at column 3: wildcard ($.*, [*]) and bracket-notation ($.['a.b']) selectors are not supported by this evaluator"],
    ['{ $.a[*] = 1 }', 3, "unsupported selector at column 3: wildcard ($.*, [*]) and bracket-notation ($.['a.b']) selectors are not supported by this evaluator"],
    ['{ $.a = %x% && $.b = %y% && $.c = %z% }', 35, 'too many regexes at column 35: a filter pattern may contain at most 2'],
    ['{ $.a = %[x% }', 9, 'invalid regex at column 9: Invalid regular expression: /[x/: Unterminated character class'],
    ['%%', 1, 'empty regex at column 1: expected an expression between the % signs'],
    ['[a, b', 6, 'unexpected end of pattern at column 6: expected "]" to close the "[" at column 1'],
    ['[a b]', 4, 'unexpected "b" at column 4: expected ",", "]" or a condition like = 200'],
    ['[a, = 1]', 5, 'unexpected "=" at column 5: expected a field name before the condition'],
    ['[]', 2, 'unexpected "]" at column 2: expected a field name'],
    ['[a = 1 && ]', 11, 'unexpected "]" at column 11: expected a condition on a like a = 200'],
    ['[a = 1 &&b ! 2]', 10, 'condition on "b" at column 10 is inside the entry for field "a": a field\'s conditions may only test that field'],
    ['[a] b', 5, 'unexpected "b" at column 5: expected end of pattern after "]"'],
    ['ERROR -', 7, 'unexpected end of pattern at column 8: expected a term after "-"'],
    ['"a"b', 4, 'unexpected "b" at column 4: expected whitespace after the closing quote'],
    ['ab"c"', 3, 'unexpected a quote (") at column 3: expected whitespace before a quoted phrase'],
  ])('%s', (pattern, column, message) => {
    const e = syntaxError(pattern);
    expect(e.message).toBe(message);
    if (pattern !== 'ERROR -') expect(e.column).toBe(column);
    expect(e.message).toContain(`column ${e.column}`);
  });

  test('the column of a trailing "-" points past the end of the pattern', () => {
    expect(syntaxError('ERROR -').column).toBe(8);
  });
});

describe('AST shape', () => {
  test('selectors are pre-split, groups are kept, && and || are n-ary', () => {
    expect(parseFilterPattern('{ ($.a.b[0][1] = "x") || $.c NOT EXISTS && $.d > -1.5e3 && $.e = %r% }')).toEqual({
      kind: 'json',
      expr: {
        type: 'or',
        operands: [
          { type: 'group', expr: { type: 'comparison', selector: { text: '$.a.b[0][1]', path: ['a', 'b', 0, 1] }, op: '=', value: { type: 'string', value: 'x' } } },
          {
            type: 'and',
            operands: [
              { type: 'check', selector: { text: '$.c', path: ['c'] }, check: 'NOT EXISTS' },
              { type: 'comparison', selector: { text: '$.d', path: ['d'] }, op: '>', value: { type: 'number', raw: '-1.5e3', value: -1500 } },
              { type: 'comparison', selector: { text: '$.e', path: ['e'] }, op: '=', value: { type: 'regex', source: 'r' } },
            ],
          },
        ],
      },
    });
  });

  test('quoted and unquoted strings give the same value; unquoted numbers are numbers, quoted ones strings', () => {
    const value = (p: string): Value => {
      const ast = parseFilterPattern(p);
      if (ast.kind !== 'json' || ast.expr.type !== 'comparison') throw new Error('unexpected shape');
      return ast.expr.value;
    };
    expect(value('{ $.a = abc }')).toEqual(value('{ $.a = "abc" }'));
    expect(value('{ $.a = 400 }')).toEqual({ type: 'number', raw: '400', value: 400 });
    expect(value('{ $.a = "400" }')).toEqual({ type: 'string', value: '400' });
    expect(value('{ $.a = 1.2.3.4 }')).toEqual({ type: 'string', value: '1.2.3.4' });
    expect(value('{ $.a="x \\" y" }')).toEqual({ type: 'string', value: 'x " y' });
  });

  test('terms, delimited fields and the empty pattern', () => {
    expect(parseFilterPattern('ERROR ?"a b" -x')).toEqual({
      kind: 'terms',
      terms: [
        { type: 'term', text: 'ERROR', modifier: 'required' },
        { type: 'term', text: 'a b', modifier: 'optional' },
        { type: 'term', text: 'x', modifier: 'excluded' },
      ],
    });
    expect(parseFilterPattern('')).toEqual({ kind: 'terms', terms: [] });
    expect(parseFilterPattern('[ip, ..., s = 4* || s = 5*, ]')).toEqual({
      kind: 'delimited',
      fields: [
        { type: 'field', name: 'ip' },
        { type: 'ellipsis' },
        {
          type: 'field',
          name: 's',
          condition: {
            type: 'or',
            operands: [
              { type: 'comparison', name: 's', op: '=', value: { type: 'string', value: '4*' } },
              { type: 'comparison', name: 's', op: '=', value: { type: 'string', value: '5*' } },
            ],
          },
        },
        { type: 'field', name: '' },
      ],
    });
  });

  test('columnOf gives node start columns, and the first operator column for && / ||', () => {
    const ast = parseFilterPattern('{ $.a = 1 || ($.b = 2 && $.c NOT EXISTS) }');
    if (ast.kind !== 'json' || ast.expr.type !== 'or') throw new Error('unexpected shape');
    const [a, group] = ast.expr.operands;
    expect(columnOf(ast.expr)).toBe(11);
    expect(columnOf(a)).toBe(3);
    expect(columnOf(group)).toBe(14);
    if (group.type !== 'group') throw new Error('unexpected shape');
    expect(columnOf(group.expr)).toBe(23);
    expect(columnOf({})).toBeUndefined();
  });
});

describe('printFilterPattern', () => {
  test.each([
    ['{$.eventName=ConsoleLogin}', '{ $.eventName = ConsoleLogin }'],
    ['{ $.a = "x y" && ($.b != 400 || $.c IS NULL) }', '{ $.a = "x y" && ($.b != 400 || $.c IS NULL) }'],
    ['{ $.a = "400" }', '{ $.a = "400" }'],
    ['{ $.a = 123.123.* }', '{ $.a = 123.123.* }'],
    ['{ $.a = "x@y" }', '{ $.a = "x@y" }'],
    ['{ $.a = %^a.c$% }', '{ $.a = %^a.c$% }'],
    ['ERROR  -"Exiting now"   ?x', 'ERROR -"Exiting now" ?x'],
    ['"ERROR" - "Exiting"', 'ERROR -Exiting'],
    ['""', '""'],
    ['[ip,user,...,status_code=4* && status_code!=403,bytes>1000,]', '[ip, user, ..., status_code = 4* && status_code != 403, bytes > 1000, ]'],
  ])('%s -> %s', (pattern, printed) => {
    const ast = parseFilterPattern(pattern);
    expect(printFilterPattern(ast)).toBe(printed);
    expect(parseFilterPattern(printed)).toEqual(ast);
  });

  test('a hand-built AST whose structure needs parentheses gets them', () => {
    const cmp = (k: string): JsonExpr => ({ type: 'comparison', selector: { text: `$.${k}`, path: [k] }, op: '=', value: { type: 'number', raw: '1', value: 1 } });
    const ast: FilterPatternAst = { kind: 'json', expr: { type: 'and', operands: [{ type: 'or', operands: [cmp('a'), cmp('b')] }, cmp('c')] } };
    expect(printFilterPattern(ast)).toBe('{ ($.a = 1 || $.b = 1) && $.c = 1 }');
  });
});

describe('property: parse(print(ast)) deep-equals ast', () => {
  const key = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);
  const selector = fc
    .tuple(key, fc.array(fc.oneof(key, fc.nat({ max: 20 })), { maxLength: 3 }))
    .map(([first, rest]) => {
      const path = [first, ...rest];
      return { text: path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${p}`), '$'), path };
    });
  const stringValue = fc.string({ maxLength: 8 }).map((value): Value => ({ type: 'string', value }));
  const numberValue = fc
    .tuple(fc.constantFrom('', '+', '-'), fc.nat({ max: 99999 }), fc.option(fc.nat({ max: 999 }), { nil: undefined }), fc.option(fc.integer({ min: -20, max: 20 }), { nil: undefined }))
    .map(([sign, int, frac, exp]): Value => {
      const raw = `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : `e${exp}`}`;
      return { type: 'number', raw, value: Number(raw) };
    });
  // no ? * + here: a random quantifier placement is often not a valid regex
  const regexValue = fc.stringMatching(/^[A-Za-z0-9_#=@/;,:^$|. -]{1,6}$/).map((source): Value => ({ type: 'regex', source }));
  const leaf: fc.Arbitrary<JsonExpr> = fc.oneof(
    fc.record({ type: fc.constant('comparison' as const), selector, op: fc.constantFrom('=' as const, '!=' as const), value: fc.oneof(stringValue, numberValue, regexValue) }),
    fc.record({ type: fc.constant('comparison' as const), selector, op: fc.constantFrom('<' as const, '>' as const, '<=' as const, '>=' as const), value: numberValue }),
    fc.record({ type: fc.constant('check' as const), selector, check: fc.constantFrom('IS NULL' as const, 'NOT EXISTS' as const, 'IS TRUE' as const, 'IS FALSE' as const) }),
  );
  const expr = jsonExprArbitrary(leaf);

  test('JSON patterns', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const ast: FilterPatternAst = { kind: 'json', expr: e };
        fc.pre((JSON.stringify(ast).match(/"type":"regex"/g) ?? []).length <= 2); // the 2-regex quota
        expect(parseFilterPattern(printFilterPattern(ast))).toEqual(ast);
      }),
      { numRuns: 300 },
    );
  });

  test('term patterns', () => {
    const term = fc.record({
      type: fc.constant('term' as const),
      text: fc.string({ minLength: 1, maxLength: 8 }),
      modifier: fc.constantFrom('required' as const, 'optional' as const, 'excluded' as const),
    });
    fc.assert(
      fc.property(fc.array(term, { maxLength: 4 }), (terms) => {
        const ast: FilterPatternAst = { kind: 'terms', terms };
        expect(parseFilterPattern(printFilterPattern(ast))).toEqual(ast);
      }),
      { numRuns: 300 },
    );
  });
});
