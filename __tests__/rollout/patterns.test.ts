import { isGlob, matchNames, patternError, splitPatternList } from '../../lib/rollout/patterns';
import { selectStacks } from '../../lib/rollout/select';
import { UserError } from '../../lib/core/errors';

const STACKS = ['management', 'log-archive', 'prod-web', 'prod-api', 'dev-web'];

describe('names and globs', () => {
  test('a plain name matches only itself, not as a prefix', () => {
    expect(isGlob('prod-web')).toBe(false);
    expect(matchNames('prod', STACKS)).toEqual([]);
    expect(matchNames('prod-web', STACKS)).toEqual(['prod-web']);
  });

  test.each([
    ['prod-*', ['prod-web', 'prod-api']],
    ['*-web', ['prod-web', 'dev-web']],
    ['{management,log-archive}', ['management', 'log-archive']],
    ['prod-{web,api}', ['prod-web', 'prod-api']],
    ['???-web', ['dev-web']],
    ['[dp]*-web', ['prod-web', 'dev-web']],
    ['*', STACKS],
  ])('%s matches %j', (pattern, expected) => {
    expect(isGlob(pattern)).toBe(true);
    expect(matchNames(pattern, STACKS)).toEqual(expected);
  });

  test('comma-separated lists split outside braces only', () => {
    expect(splitPatternList('prod-*,dev-web')).toEqual(['prod-*', 'dev-web']);
    expect(splitPatternList('prod-{web,api}, management')).toEqual(['prod-{web,api}', 'management']);
    expect(splitPatternList('a,,b')).toEqual(['a', '', 'b']);
  });

  test.each([
    ['', /empty string/],
    ['Prod-*', /lower-case letters, digits, hyphens .*got "Prod-\*"/],
    ['prod web', /got "prod web"/],
    ['a*b*c*d*e', /at most 3 "\*"/],
    ['a'.repeat(101), /at most 100 characters/],
  ])('%j is not a valid pattern', (pattern, expected) => {
    expect(patternError(pattern)).toMatch(expected);
  });

  test('valid names and globs have no pattern error', () => {
    for (const p of ['prod-web', 'prod-*', '*-prod-*', '{a,b}-x', '[!p]*']) expect(patternError(p)).toBeUndefined();
  });
});

describe('selecting stacks for synth --stacks', () => {
  test('repeated and comma-separated patterns select the union, in stack order', () => {
    expect(selectStacks(['dev-web,prod-api', 'management'], STACKS)).toEqual(['management', 'prod-api', 'dev-web']);
    expect(selectStacks(['prod-*', 'prod-web'], STACKS)).toEqual(['prod-web', 'prod-api']);
  });

  const errorOf = (patterns: string[]): string => {
    try {
      selectStacks(patterns, STACKS);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    }
    throw new Error('expected selectStacks to refuse');
  };

  test('a glob that matches nothing lists the stacks', () => {
    expect(errorOf(['prd-*'])).toBe('--stacks "prd-*" matches no account stack; the accounts are: management, log-archive, prod-web, prod-api, dev-web\nnothing was written');
  });

  test('a misspelt name suggests the stack', () => {
    expect(errorOf(['prod-wbe'])).toMatch(/^--stacks "prod-wbe" is not an account stack; did you mean "prod-web"\?/);
  });

  test('every bad pattern is reported at once, an empty entry included', () => {
    expect(errorOf(['prod-*,,nope-*', 'UPPER']).split('\n')).toEqual([
      '--stacks "": expected an account name or a glob, got an empty string',
      expect.stringMatching(/^--stacks "nope-\*" matches no account stack;/),
      expect.stringMatching(/^--stacks "UPPER": expected an account name or a glob of lower-case letters/),
      'nothing was written',
    ]);
  });
});
