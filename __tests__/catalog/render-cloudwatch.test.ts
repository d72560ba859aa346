/** The condition tree -> CloudWatch filter pattern renderer. */
import {
  all,
  andCloudWatchPattern,
  any,
  equals,
  exists,
  jsonPatternBody,
  normalize,
  notEquals,
  notExists,
  notWildcard,
  prefix,
  renderCloudWatchPattern,
  suffix,
  wildcard,
} from '../../lib/catalog';
import { compileFilterPattern, lintFilterPattern, type CompiledJsonPattern } from '../../lib/filter-pattern';

const matches = (pattern: string, record: object) => (compileFilterPattern(pattern) as CompiledJsonPattern).matchesEvent(record);

describe('terms', () => {
  test('one value: a parenthesized comparison, always quoted', () => {
    expect(renderCloudWatchPattern(equals(['eventName'], 'StopLogging'))).toBe('{ ($.eventName = "StopLogging") }');
    expect(renderCloudWatchPattern(notEquals(['userIdentity', 'type'], 'Root'))).toBe('{ ($.userIdentity.type != "Root") }');
  });

  test('prefix and suffix become trailing and leading wildcards', () => {
    expect(renderCloudWatchPattern(prefix(['errorCode'], 'AccessDenied'))).toBe('{ ($.errorCode = "AccessDenied*") }');
    expect(renderCloudWatchPattern(suffix(['errorCode'], 'UnauthorizedOperation'))).toBe('{ ($.errorCode = "*UnauthorizedOperation") }');
  });

  test('wildcards stay where the value puts them', () => {
    expect(renderCloudWatchPattern(notWildcard(['userIdentity', 'arn'], 'arn:aws:sts::*:assumed-role/ReadOnly/*'))).toBe(
      '{ ($.userIdentity.arn != "arn:aws:sts::*:assumed-role/ReadOnly/*") }',
    );
    expect(renderCloudWatchPattern(wildcard(['sourceIPAddress'], '10.0.*'))).toBe('{ ($.sourceIPAddress = "10.0.*") }');
    // A wildcard list may hold exact values too: they match exactly.
    const p = renderCloudWatchPattern(notWildcard(['userAgent'], 'curl/8.5.0', '*Terraform*'));
    expect(matches(p, { userAgent: 'curl/8.5.0' })).toBe(false);
    expect(matches(p, { userAgent: 'curl/8.5.1' })).toBe(true);
    expect(matches(p, { userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.11.4' })).toBe(false);
  });

  test('exists and NOT EXISTS', () => {
    expect(renderCloudWatchPattern(notExists(['userIdentity', 'invokedBy']))).toBe('{ ($.userIdentity.invokedBy NOT EXISTS) }');
    const p = renderCloudWatchPattern(exists(['errorCode']));
    expect(matches(p, { errorCode: 'AccessDenied' })).toBe(true);
    expect(matches(p, { eventName: 'x' })).toBe(false);
  });
});

describe('value lists and groups', () => {
  test('equals values are alternatives (||), notEquals values exclusions (&&)', () => {
    expect(renderCloudWatchPattern(equals(['eventName'], 'A', 'B'))).toBe('{ ($.eventName = "A") || ($.eventName = "B") }');
    expect(renderCloudWatchPattern(notEquals(['eventName'], 'A', 'B'))).toBe('{ ($.eventName != "A") && ($.eventName != "B") }');
  });

  test('a list inside all is parenthesized as one operand; a negated list flattens into the all', () => {
    expect(renderCloudWatchPattern(all(equals(['eventSource'], 's'), equals(['eventName'], 'A', 'B'), notEquals(['userAgent'], 'x', 'y')))).toBe(
      '{ ($.eventSource = "s") && (($.eventName = "A") || ($.eventName = "B")) && ($.userAgent != "x") && ($.userAgent != "y") }',
    );
  });

  test('&& and || never meet at one level, so the result always passes the precedence lint', () => {
    const tree = any(all(equals(['a'], '1'), any(equals(['b'], '2'), equals(['c'], '3'))), all(equals(['d'], '4'), notEquals(['e'], '5', '6')));
    const p = renderCloudWatchPattern(tree);
    expect(p).toBe('{ (($.a = "1") && (($.b = "2") || ($.c = "3"))) || (($.d = "4") && ($.e != "5") && ($.e != "6")) }');
    expect(lintFilterPattern(p).filter((f) => f.rule === 'ambiguous-precedence')).toEqual([]);
  });

  test('normalize flattens nested groups of the same kind and collapses single children', () => {
    expect(normalize(all(all(equals(['a'], '1'), equals(['b'], '2')), any(equals(['c'], '3'))))).toEqual({
      all: [equals(['a'], '1'), equals(['b'], '2'), equals(['c'], '3')],
    });
  });

  test('an empty group is refused rather than silently matching everything or nothing', () => {
    expect(() => renderCloudWatchPattern(all())).toThrow(/empty "all"/);
    expect(() => renderCloudWatchPattern(any())).toThrow(/empty "any"/);
  });
});

describe('values CloudWatch cannot express exactly are refused', () => {
  test('a * in an exact value (CloudWatch would read a wildcard)', () => {
    expect(() => renderCloudWatchPattern(equals(['eventName'], 'Get*'))).toThrow(/contains "\*".*wildcard/);
  });
  test('quotes, backslashes and control characters (no escapes in filter patterns)', () => {
    expect(() => renderCloudWatchPattern(equals(['userAgent'], 'a"b'))).toThrow(/cannot be quoted/);
    expect(() => renderCloudWatchPattern(equals(['userAgent'], 'a\\b'))).toThrow(/cannot be quoted/);
    expect(() => renderCloudWatchPattern(equals(['userAgent'], 'a\nb'))).toThrow(/cannot be quoted/);
  });
  test('field names that are not identifiers', () => {
    expect(() => renderCloudWatchPattern(equals(['user identity'], 'x'))).toThrow(/cannot be written in a CloudWatch selector/);
  });
});

describe('adding exclusions to an existing pattern string', () => {
  test('the original body is kept verbatim inside parentheses, exclusions follow with &&', () => {
    const exact = '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}';
    const p = andCloudWatchPattern(exact, all(notEquals(['userAgent'], 'x'), notWildcard(['userIdentity', 'arn'], 'arn:aws:sts::*:assumed-role/R/*')));
    expect(p).toBe('{ (($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")) && ($.userAgent != "x") && ($.userIdentity.arn != "arn:aws:sts::*:assumed-role/R/*") }');
    expect(lintFilterPattern(p).filter((f) => f.severity === 'error')).toEqual([]);
    expect(matches(p, { errorCode: 'AccessDenied', userAgent: 'y', userIdentity: { arn: 'arn:aws:iam::1:user/u' } })).toBe(true);
    expect(matches(p, { errorCode: 'AccessDenied', userAgent: 'y', userIdentity: { arn: 'arn:aws:sts::1:assumed-role/R/s' } })).toBe(false);
  });

  test('only JSON patterns can take exclusions', () => {
    expect(() => andCloudWatchPattern('ERROR', notEquals(['a'], 'b'))).toThrow(/not a JSON filter pattern/);
    expect(() => jsonPatternBody('{ }')).toThrow(/empty/);
  });
});
