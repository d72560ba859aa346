/**
 * The compiled pattern set (lib/filter-pattern/pattern-set.ts) answers exactly what evaluating
 * every pattern one by one with `compileFilterPattern(p).matchesEvent(event)` answers: for random
 * sets of patterns over generated and real CloudTrail records (the labelled fixtures and a day of
 * scripts/ordinary-activity.ts), and for the real detections (the example config's, the vendored
 * SigmaHQ rules).
 */
import fc from 'fast-check';
import * as path from 'path';
import { compileFilterPattern, compilePatternSet, printFilterPattern, type JsonExpr, type Value } from '../../lib/filter-pattern';
import { backtestFilters } from '../../lib/backtest/filters';
import { loadConfigFile } from '../../lib/config/load';
import { convertSigma, readSigmaSources, renderSigma } from '../../lib/sigma';
import { ordinaryActivity } from '../../scripts/ordinary-activity';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { EXAMPLE_CONFIG } from '../support/example';
import { jsonExprArbitrary } from '../support/json-expr';
import { planDetections } from '../../lib/monitoring/plan';

const ordinary: unknown[] = [];
for (const batch of ordinaryActivity({ days: 1, seed: 7 })) ordinary.push(...batch.records);
const REAL: unknown[] = [...LABELLED_EVENTS.map((e) => e.record), ...ordinary];

/** One by one, the reference: indices of the patterns that match. */
function oneByOne(patterns: readonly string[]): (event: unknown) => number[] {
  const compiled = patterns.map((p) => compileFilterPattern(p));
  return (event) => compiled.flatMap((c, i) => (c.matchesEvent(event) ? [i] : []));
}

function viaSet(patterns: readonly string[]): (event: unknown) => number[] {
  const set = compilePatternSet(patterns);
  const out = new Int32Array(patterns.length);
  return (event) => Array.from(out.subarray(0, set.matchEvent(event, out)));
}

function expectSameAnswers(patterns: readonly string[], events: readonly unknown[]): void {
  const expected = oneByOne(patterns);
  const actual = viaSet(patterns);
  for (const e of events) {
    const want = expected(e);
    const got = actual(e);
    if (got.join() !== want.join()) {
      throw new Error(`pattern set disagrees on ${JSON.stringify(e)?.slice(0, 300)}:\n got ${JSON.stringify(got.map((i) => patterns[i]))}\nwant ${JSON.stringify(want.map((i) => patterns[i]))}`);
    }
  }
}

// ---- values seen in real records, so generated patterns hit the index and the records ----
const strings = new Set<string>();
const collect = (v: unknown, depth: number) => {
  if (typeof v === 'string' && v.length <= 40) strings.add(v);
  else if (v && typeof v === 'object' && depth < 3) for (const x of Object.values(v)) collect(x, depth + 1);
};
for (const r of LABELLED_EVENTS) collect(r.record, 0);
const SEEN = [...strings].sort();
const sourcesAndNames = [...new Set(REAL.flatMap((r) => [(r as Record<string, unknown>).eventSource, (r as Record<string, unknown>).eventName]).filter((v): v is string => typeof v === 'string'))].sort();

const PATHS: (string | number)[][] = [
  ['eventSource'],
  ['eventName'],
  ['eventName'],
  ['eventSource'],
  ['errorCode'],
  ['userIdentity', 'type'],
  ['userIdentity', 'arn'],
  ['userIdentity', 'invokedBy'],
  ['userIdentity', 'sessionContext', 'sessionIssuer', 'type'],
  ['additionalEventData', 'MFAUsed'],
  ['responseElements', 'ConsoleLogin'],
  ['requestParameters', 'enable'],
  ['readOnly'],
  ['recipientAccountId'],
  ['eventVersion'],
  ['resources', 0, 'ARN'],
  ['userIdentity'],
  ['nope'],
];
const selectorOf = (p: readonly (string | number)[]) => ({ text: p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : `${s}.${k}`), '$'), path: p });
const selector = fc.constantFrom(...PATHS).map(selectorOf);

const keyText = fc.constantFrom(...sourcesAndNames);
const realText = fc.constantFrom(...sourcesAndNames, ...SEEN);
/** Exact values, prefixes, suffixes and infixes of real values (of real event names and sources for those fields). */
const stringValue = (text: fc.Arbitrary<string>): fc.Arbitrary<Value> =>
  fc.tuple(text, fc.constantFrom('exact', 'exact', 'prefix', 'prefix', 'suffix', 'infix', 'star', 'other'), fc.nat(), fc.string({ maxLength: 4 })).map(([s, shape, cut, other]) => {
    const at = s.length === 0 ? 0 : cut % s.length;
    const value = { exact: s, prefix: `${s.slice(0, at)}*`, suffix: `*${s.slice(at)}`, infix: `*${s.slice(at, at + 3)}*`, star: '*', other: other.replace(/\*/g, '') }[shape]!;
    return { type: 'string', value };
  });
const numberValue: fc.Arbitrary<Value> = fc.constantFrom('1.09', '444444444444', '0', '1', '-1.5e3').map((raw) => ({ type: 'number', raw, value: Number(raw) }));
const regexValue: fc.Arbitrary<Value> = fc.constantFrom('Create', '^Delete', 'amazonaws.com$', '.+:assumed-role/', 'Root|IAMUser', 'Access').map((source) => ({ type: 'regex', source }));

const leaf: fc.Arbitrary<JsonExpr> = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant('comparison' as const), selector: fc.constantFrom(['eventSource'], ['eventName']).map(selectorOf), op: fc.constantFrom('=' as const, '=' as const, '!=' as const), value: stringValue(keyText) }),
    weight: 6,
  },
  { arbitrary: fc.record({ type: fc.constant('comparison' as const), selector, op: fc.constantFrom('=' as const, '=' as const, '!=' as const), value: stringValue(realText) }), weight: 4 },
  { arbitrary: fc.record({ type: fc.constant('comparison' as const), selector, op: fc.constantFrom('=' as const, '!=' as const), value: regexValue }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('comparison' as const), selector, op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>=' as const), value: numberValue }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('check' as const), selector, check: fc.constantFrom('IS NULL' as const, 'NOT EXISTS' as const, 'IS TRUE' as const, 'IS FALSE' as const) }), weight: 1 },
);
const expr = jsonExprArbitrary(leaf, 4);
const jsonPattern = expr
  .map((e) => printFilterPattern({ kind: 'json', expr: e }))
  .filter((p) => (p.match(/%/g) ?? []).length <= 4 && p.length <= 1024); // the 2-regex quota and PutMetricFilter's length
const termsPattern = fc.array(fc.tuple(fc.constantFrom('', '?', '-'), fc.constantFrom(...SEEN).filter((s) => /^[A-Za-z0-9._:-]+$/.test(s))), { minLength: 1, maxLength: 3 }).map((ts) => ts.map(([m, t]) => `${m}${t}`).join(' '));
const delimitedPattern = fc.constantFrom('[...]', '[a, ...]', '[first = *eventVersion*, ...]', '[..., last = "*}"]');
const pattern = fc.oneof({ arbitrary: jsonPattern, weight: 8 }, { arbitrary: termsPattern, weight: 1 }, { arbitrary: delimitedPattern, weight: 1 });

/** A real record with a key field changed to another type or value, or removed; or no object at all. */
const generatedEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.constantFrom(...REAL), fc.constantFrom('eventSource', 'eventName', 'errorCode', 'userIdentity'), fc.constantFrom<unknown>(undefined, null, true, false, 5, 1.09, 'List', '', ['x'], { type: 'Root' }, ...sourcesAndNames.slice(0, 20)))
    .map(([r, k, v]) => {
      const copy: Record<string, unknown> = { ...(r as Record<string, unknown>) };
      if (v === undefined) delete copy[k];
      else copy[k] = v;
      return copy;
    }),
  // the third key, userIdentity.type, is nested: change it inside a copy of userIdentity
  fc.tuple(fc.constantFrom(...REAL), fc.constantFrom<unknown>(undefined, null, true, 5, '5', 'Root', 'AssumedRole', 'IAMUser', 'Ro', '', ['Root'], { type: 'Root' }))
    .map(([r, v]) => {
      const copy: Record<string, unknown> = { ...(r as Record<string, unknown>) };
      const who: Record<string, unknown> = copy.userIdentity && typeof copy.userIdentity === 'object' ? { ...(copy.userIdentity as Record<string, unknown>) } : {};
      if (v === undefined) delete who.type;
      else who.type = v;
      copy.userIdentity = who;
      return copy;
    }),
  fc.constantFrom<unknown>(null, 'ConsoleLogin', 42, [], [{ eventName: 'ConsoleLogin' }], {}),
);

describe('the compiled pattern set matches what every pattern one by one matches', () => {
  test('random sets of patterns over real and generated records', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 25 }), fc.array(generatedEvent, { maxLength: 30 }), fc.subarray(REAL, { maxLength: 60 }), (patterns, generated, real) => {
        expectSameAnswers(patterns, [...generated, ...real, ...generated]);
      }),
      { numRuns: 300 },
    );
  });

  test('the example config and the vendored SigmaHQ rules over every labelled and a day of ordinary records', () => {
    const example = backtestFilters(planDetections((loadConfigFile(EXAMPLE_CONFIG)).monitoring)).map((f) => f.pattern);
    const sigma = convertSigma(readSigmaSources([path.join(__dirname, '../../vendor/sigma')])).flatMap((r) => {
      const rendered = r.ok ? renderSigma(r.conversion, 'cloudwatch') : undefined;
      return rendered?.target === 'cloudwatch' ? [rendered.pattern] : [];
    });
    expect(sigma.length).toBeGreaterThan(5);
    const patterns = [...example, ...sigma];
    expectSameAnswers(patterns, REAL);
    // and the comparison is not vacuous: many detections match some record
    const set = viaSet(patterns);
    const matched = new Set(REAL.flatMap(set));
    expect(matched.size).toBeGreaterThan(patterns.length / 3);
  });

  test('detections that pin eventSource, eventName or userIdentity.type are reached through the index; the others are always evaluated', () => {
    const set = compilePatternSet([
      '{ $.eventSource = "iam.amazonaws.com" && $.eventName = "CreateUser" }',
      '{ $.eventName = "Create*" || $.eventName = "Delete*" }',
      '{ $.userIdentity.type = "Root" }',
      '{ $.eventName != "ConsoleLogin" }',
      '{ $.eventName = "A" || $.errorCode = "B" }',
      'ConsoleLogin',
    ]);
    expect(set.indexed).toEqual([0, 1, 2]);
    const out = new Int32Array(6);
    const n = set.matchEvent({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', userIdentity: { type: 'Root' } }, out);
    expect(Array.from(out.subarray(0, n))).toEqual([0, 1, 2, 3]);
  });

  test('comparisons on the keys are answered once per key combination: a pattern they decide reads no other field', () => {
    const set = compilePatternSet(['{ $.eventSource = "iam.amazonaws.com" && ($.eventName = "CreateUser" || $.eventName = "DeleteUser") && $.errorCode = "AccessDenied" }', '{ $.eventName != "HeadBucket" && $.userIdentity.type != "AWSService" }']);
    const out = new Int32Array(2);
    let reads = 0;
    const event = (eventName: string, type: string) => ({
      eventSource: 'iam.amazonaws.com',
      eventName,
      userIdentity: { type },
      get errorCode() {
        reads++;
        return 'AccessDenied';
      },
    });
    const matched = (e: object) => Array.from(out.subarray(0, set.matchEvent(e, out)));
    // ListUsers: the first pattern is false on the keys alone, so errorCode is never read; the second is true on the keys alone
    expect(matched(event('ListUsers', 'IAMUser'))).toEqual([1]);
    expect(reads).toBe(0);
    // CreateUser: only errorCode is left to test; HeadBucket by AWSService: neither pattern
    expect(matched(event('CreateUser', 'AWSService'))).toEqual([0]);
    expect(reads).toBe(1);
    expect(matched(event('HeadBucket', 'IAMUser'))).toEqual([]);
    expect(reads).toBe(1);
  });

  test('a number in an indexed field is reached through its text, as a string comparison reads it', () => {
    const patterns = ['{ $.eventName = "5" }', '{ $.eventName = 1.0* }', '{ $.eventSource = 5 }', '{ $.eventName = "x" }'];
    const events = [{ eventName: 5 }, { eventName: 1.09 }, { eventSource: 5.0 }, { eventName: '5' }, { eventName: true }, { eventName: null }];
    expectSameAnswers(patterns, events);
    expect(events.map(viaSet(patterns))).toEqual([[0], [1], [2], [0], [], []]);
  });
});
