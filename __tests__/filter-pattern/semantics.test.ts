/** Evaluation semantics beyond the docs' worked examples (README.md explains each choice). */
import { compileFilterPattern, type CompiledJsonPattern } from '../../lib/filter-pattern';

const m = (pattern: string, message: string) => compileFilterPattern(pattern).matches(message);
const json = (pattern: string) => {
  const c = compileFilterPattern(pattern);
  if (c.kind !== 'json') throw new Error(`not a JSON pattern: ${pattern}`);
  return c as CompiledJsonPattern;
};

describe('JSON: missing fields', () => {
  const event = JSON.stringify({ eventName: 'ConsoleLogin' });
  test.each([
    ['{ $.errorCode = "AccessDenied" }', false],
    ['{ $.errorCode != "AccessDenied" }', false], // != does NOT match an event without the field
    ['{ $.errorCode = * }', false],
    ['{ $.latency > 0 }', false],
    ['{ $.latency != 5 }', false],
    ['{ $.errorCode NOT EXISTS }', true],
    ['{ $.errorCode IS NULL }', false],
    ['{ $.eventName.inner NOT EXISTS }', true], // a key under a string does not exist
    ['{ $.eventName[0] NOT EXISTS }', true],
  ])('%s -> %s', (pattern, expected) => expect(m(pattern, event)).toBe(expected));

  test('an out-of-range index is missing', () => {
    expect(m('{ $.a[2] NOT EXISTS }', '{"a": [1, 2]}')).toBe(true);
    expect(m('{ $.a[1] NOT EXISTS }', '{"a": [1, 2]}')).toBe(false);
    expect(m('{ $.a[2] != 1 }', '{"a": [1, 2]}')).toBe(false);
  });

  test('inherited object properties are not fields', () => {
    expect(m('{ $.constructor NOT EXISTS }', '{}')).toBe(true);
    expect(m('{ $.toString = * }', '{}')).toBe(false);
    expect(m('{ $.__proto__ NOT EXISTS }', '{"a": 1}')).toBe(true);
  });

  test('a field explicitly null exists (NOT EXISTS is false) but is not a value node', () => {
    const e = '{"a": null}';
    expect(m('{ $.a NOT EXISTS }', e)).toBe(false);
    expect(m('{ $.a IS NULL }', e)).toBe(true);
    expect(m('{ $.a = * }', e)).toBe(false);
    expect(m('{ $.a != "x" }', e)).toBe(false);
    expect(m('{ $.a = null }', e)).toBe(false);
  });
});

describe('JSON: selectors that resolve to objects or arrays never match a string/number comparison', () => {
  const event = JSON.stringify({ userIdentity: { type: 'Root' }, resources: [{ ARN: 'arn:aws:s3:::b' }], tags: [] });
  test.each([
    '{ $.userIdentity = "Root" }',
    '{ $.userIdentity != "Root" }',
    '{ $.userIdentity = * }',
    '{ $.userIdentity = %Root% }',
    '{ $.resources = * }',
    '{ $.resources != 1 }',
    '{ $.resources > 0 }',
    '{ $.tags != "x" }',
  ])('%s does not match', (pattern) => expect(m(pattern, event)).toBe(false));

  test('but they exist, and their scalar leaves compare', () => {
    expect(m('{ $.userIdentity NOT EXISTS }', event)).toBe(false);
    expect(m('{ $.userIdentity.type = "Root" }', event)).toBe(true);
    expect(m('{ $.resources[0].ARN = "arn:aws:s3:::*" }', event)).toBe(true);
  });

  test('booleans answer IS TRUE / IS FALSE only, not = true', () => {
    const e = '{"readOnly": false}';
    expect(m('{ $.readOnly IS FALSE }', e)).toBe(true);
    expect(m('{ $.readOnly IS TRUE }', e)).toBe(false);
    expect(m('{ $.readOnly = false }', e)).toBe(false);
    expect(m('{ $.readOnly != true }', e)).toBe(false);
    expect(m('{ $.readOnly IS TRUE }', '{"readOnly": "true"}')).toBe(false);
  });
});

describe('JSON patterns never match non-JSON messages', () => {
  test.each([
    ['plain text', 'ERROR eventName ConsoleLogin'],
    ['truncated JSON', '{"eventName": "ConsoleLogin"'],
    ['JSON with a prefix', '2024-01-01T00:00:00Z {"a": 1}'],
    ['a JSON array', '[{"a": 1}]'],
    ['a JSON string', '"{\\"a\\": 1}"'],
    ['a JSON number', '1'],
    ['empty', ''],
  ])('%s, not even with NOT EXISTS', (_name, message) => {
    expect(m('{ $.a NOT EXISTS }', message)).toBe(false);
    expect(m('{ $.a = 1 || $.b NOT EXISTS }', message)).toBe(false);
  });

  test('surrounding whitespace is fine', () => {
    expect(m('{ $.a = 1 }', '  \t{"a": 1}\n')).toBe(true);
  });
});

describe('JSON: matchesEvent on an already-parsed record', () => {
  const record = { eventName: 'DeleteTrail', userIdentity: { type: 'IAMUser' }, errorCode: 'AccessDenied' };
  const patterns = [
    '{ $.eventName = DeleteTrail && $.userIdentity.type != Root }',
    '{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" }',
    '{ $.eventName = CreateTrail }',
    '{ $.missing NOT EXISTS }',
  ];
  test.each(patterns)('%s agrees with matches(JSON text)', (p) => {
    const c = json(p);
    expect(c.matchesEvent(record)).toBe(c.matches(JSON.stringify(record)));
  });

  test('agreement is not vacuous: two match and one does not', () => {
    expect(patterns.map((p) => json(p).matchesEvent(record))).toEqual([true, true, false, true]);
  });

  test.each([null, undefined, 'str', 42, [record]])('a non-object event (%p) never matches', (event) => {
    expect(json('{ $.x NOT EXISTS }').matchesEvent(event)).toBe(false);
  });

  test('term and delimited patterns test the record\'s compact JSON text', () => {
    expect(compileFilterPattern('DeleteTrail -Root').matchesEvent(record)).toBe(true);
    expect(compileFilterPattern('"\\"errorCode\\":\\"AccessDenied\\""').matchesEvent(record)).toBe(true);
    expect(compileFilterPattern('"\\"errorCode\\": \\"AccessDenied\\""').matchesEvent(record)).toBe(false); // no space in compact JSON
    expect(compileFilterPattern('[only_one_field]').matchesEvent(record)).toBe(true); // compact JSON has no spaces: one field
    expect(compileFilterPattern('ERROR').matchesEvent(undefined)).toBe(false);
  });
});

describe('JSON: numbers and strings meet', () => {
  test.each([
    // CloudTrail account ids are strings of digits; the docs' own use case compares recipientAccountId to 123456789012
    ['{ $.recipientAccountId = 123456789012 }', '{"recipientAccountId": "123456789012"}', true],
    ['{ $.recipientAccountId = 123456789012 }', '{"recipientAccountId": "123456789013"}', false],
    ['{ $.code > 5 }', '{"code": "10"}', true],
    ['{ $.code > 5 }', '{"code": "ten"}', false],
    ['{ $.code <= 5 }', '{"code": "ten"}', false],
    ['{ $.errorCode != 500 }', '{"errorCode": "AccessDenied"}', true],
    ['{ $.errorCode = 500 }', '{"errorCode": "AccessDenied"}', false],
    // a quoted value is a string: compared with the number's text
    ['{ $.status = "404" }', '{"status": 404}', true],
    ['{ $.status = "4*" }', '{"status": 404}', true],
    ['{ $.status = 4* }', '{"status": 503}', false],
    ['{ $.ratio = 1 }', '{"ratio": 1.0}', true],
    ['{ $.ratio = 1.0 }', '{"ratio": 1}', true],
    ['{ $.n = -1.5e3 }', '{"n": -1500}', true],
    ['{ $.n < -1.5E3 }', '{"n": -1501}', true],
    ['{ $.n < -1.5E3 }', '{"n": -1500}', false],
    ['{ $.n >= +2.5 }', '{"n": 2.5}', true],
    ['{ $.n = 1e3 }', '{"n": "1000"}', true],
  ])('%s on %s -> %s', (pattern, event, expected) => expect(m(pattern, event)).toBe(expected));
});

describe('JSON: matching is case-sensitive', () => {
  test.each([
    ['{ $.eventName = ConsoleLogin }', true],
    ['{ $.eventName = consolelogin }', false],
    ['{ $.eventname = ConsoleLogin }', false],
    ['{ $.eventName = console* }', false],
  ])('%s -> %s', (pattern, expected) => expect(m(pattern, '{"eventName": "ConsoleLogin"}')).toBe(expected));
});

describe('JSON: precedence () > && > ||', () => {
  // a true, b false, c false: a || (b && c) is true, (a || b) && c is false
  const event = '{"a": 1, "b": 0, "c": 0}';
  test.each([
    ['{ $.a = 1 || $.b = 1 && $.c = 1 }', true],
    ['{ ($.a = 1 || $.b = 1) && $.c = 1 }', false],
    ['{ $.b = 1 && $.c = 1 || $.a = 1 }', true],
    ['{ $.b = 1 && ($.c = 1 || $.a = 1) }', false],
    ['{ (($.a = 1)) }', true],
    ['{ $.a = 1 && $.b = 0 && $.c = 0 }', true],
    ['{ $.a = 0 || $.b = 1 || $.c = 0 }', true],
  ])('%s -> %s', (pattern, expected) => expect(m(pattern, event)).toBe(expected));
});

describe('wildcards', () => {
  test.each([
    ['*', 'anything', true],
    ['**', '', true],
    ['abc', 'abc', true],
    ['abc', 'abcd', false],
    ['ab*', 'abXYZ', true],
    ['ab*', 'xab', false],
    ['*yz', 'xxyz', true],
    ['*yz', 'yzx', false],
    ['*mid*', 'a mid b', true],
    ['*mid*', 'mi d', false],
    ['a*b', 'ab', true],
    ['a*b', 'a-b', true],
    ['a*b', 'ba', false],
    ['aba*aba', 'aba', false], // prefix and suffix may not overlap
    ['a*b*c', 'a1b2c', true],
    ['a*b*c', 'a1c2b', false],
    ['x.y*', 'x.yz', true],
    ['x.y*', 'xzyz', false], // "." is literal
    ['(a|b)*', '(a|b)c', true],
    ['(a|b)*', 'ac', false],
    ['multi*line', 'multi\nline', true],
    ['m*l*e', 'm\nl\ne', true], // several stars: one RegExp that must cross newlines
  ])('%j on %j -> %s', (value, field, expected) => {
    expect(m(`{ $.f = ${JSON.stringify(value)} }`, JSON.stringify({ f: field }))).toBe(expected);
    expect(m(`{ $.f != ${JSON.stringify(value)} }`, JSON.stringify({ f: field }))).toBe(!expected);
  });
});

describe('regex values', () => {
  test.each([
    ['{ $.eventType = %Trail% }', '{"eventType": "UpdateTrail"}', true],
    ['{ $.eventType = %^Trail% }', '{"eventType": "UpdateTrail"}', false],
    ['{ $.eventType != %Trail% }', '{"eventType": "Deployment"}', true],
    ['{ $.eventType != %Trail% }', '{"other": 1}', false],
    ['{ $.code = %4[0-9]{2}% }', '{"code": 404}', true],
    ['[w1 = %^ERR.R$%, w2]', 'ERROR x', true],
    ['[w1 = %^ERR.R$%, w2]', 'ERRORS x', false],
  ])('%s on %s -> %s', (pattern, event, expected) => expect(m(pattern, event)).toBe(expected));
});

describe('terms', () => {
  test.each([
    ['error', '[ERROR] x', false], // "Filter patterns are case sensitive"
    ['ERROR', 'xERRORx', true], // substring, not whole word
    ['-ERROR', 'all good', true],
    ['-ERROR', 'ERROR here', false],
    ['"two words"', 'has two words here', true],
    ['"two words"', 'words two', false],
    ['two words', 'words two', true],
    ['?"two words" ?three', 'one three', true],
    ['?"two words" ?three', 'one two', false],
    ['"say \\"hi\\""', 'they say "hi" loudly', true],
    ['"C:\\Windows"', 'path C:\\Windows\\x', true],
    ['user@example.com', 'login user@example.com ok', true],
    ['-""', 'anything', false],
    ['?" " ?x', 'anything', true],
    ['', 'anything', true],
    ['   ', 'anything', true],
  ])('%j on %j -> %s', (pattern, message, expected) => expect(m(pattern, message)).toBe(expected));

  test('extractedValues are {} for term and JSON patterns, even when matched', () => {
    expect(compileFilterPattern('ERROR').match('ERROR x')).toEqual({ matched: true, extractedValues: {} });
    expect(compileFilterPattern('{ $.a = 1 }').match('{"a": 1}')).toEqual({ matched: true, extractedValues: {} });
    expect(compileFilterPattern('{ $.a = 1 }').match('{"a": 2}')).toEqual({ matched: false, extractedValues: {} });
  });
});

describe('space-delimited', () => {
  test('field count must equal the pattern without an ellipsis', () => {
    expect(m('[a, b, c]', 'x y z')).toBe(true);
    expect(m('[a, b, c]', 'x y')).toBe(false);
    expect(m('[a, b, c]', 'x y z w')).toBe(false);
  });

  test('runs of spaces and tabs separate fields; quotes and brackets group them', () => {
    expect(compileFilterPattern('[a, b, c, d]').match('  x \t "y 1"   [z  2]w  ').extractedValues).toEqual({ $a: 'x', $b: 'y 1', $c: 'z  2', $d: 'w' });
  });

  test('an unclosed quote or bracket runs to the end of the event', () => {
    expect(compileFilterPattern('[a, b]').match('x "y z').extractedValues).toEqual({ $a: 'x', $b: 'y z' });
    expect(compileFilterPattern('[a, b]').match('x [y z').extractedValues).toEqual({ $a: 'x', $b: 'y z' });
  });

  test('an ellipsis may cover no fields', () => {
    expect(compileFilterPattern('[a, ..., b]').match('x y').extractedValues).toEqual({ $a: 'x', $b: 'y' });
    expect(m('[a, ..., b]', 'x')).toBe(false);
  });

  test('with two ellipses, the first takes as few fields as it can', () => {
    expect(compileFilterPattern('[..., k = key*, ...]').match('a key1 b key2 c').extractedValues).toEqual({ $1: 'a', $k: 'key1', $3: 'b', $4: 'key2', $5: 'c' });
    expect(m('[..., k = key*, ...]', 'a b c')).toBe(false);
  });

  test('numeric conditions need a numeric field; != with a number is true for text', () => {
    expect(m('[ip, bytes > 1000]', '1.2.3.4 -')).toBe(false);
    expect(m('[ip, bytes != 1000]', '1.2.3.4 -')).toBe(true);
    expect(m('[ip, bytes = 1000]', '1.2.3.4 1000.0')).toBe(true);
    expect(m('[ip, bytes = 1000]', '1.2.3.4 1e3')).toBe(true);
    expect(m('[ip, bytes = "1000"]', '1.2.3.4 1000.0')).toBe(false);
  });

  test('conditions are case-sensitive and && binds tighter than ||', () => {
    expect(m('[w1 = error, w2]', 'ERROR x')).toBe(false);
    // a || b && c: "A" satisfies the first alternative alone
    expect(m('[w1 = A || w1 = B && w1 = C, w2]', 'A x')).toBe(true);
    expect(m('[w1 = A || w1 = B && w1 = C, w2]', 'B x')).toBe(false);
  });

  test('a non-matching event extracts nothing', () => {
    expect(compileFilterPattern('[a, b = 1]').match('x 2')).toEqual({ matched: false, extractedValues: {} });
  });

  test('duplicate names keep the last field', () => {
    expect(compileFilterPattern('[w, w]').match('x y').extractedValues).toEqual({ $w: 'y' });
  });
});

describe('regex comparisons remember answers per value', () => {
  test('the answers stay those of the regex itself, for repeated values and past the 4,096 remembered', () => {
    const c = compileFilterPattern('{ $.userIdentity.arn = %.+:assumed-role/aws:.+% }');
    const re = /.+:assumed-role\/aws:.+/;
    const arns = Array.from({ length: 9000 }, (_, i) => (i % 3 === 0 ? `arn:aws:sts::1:assumed-role/aws:r${i % 5000}` : `arn:aws:iam::1:user/u${i % 5000}`));
    for (const arn of [...arns, ...arns.reverse()]) expect(c.matchesEvent({ userIdentity: { arn } })).toBe(re.test(arn));
  });
});
