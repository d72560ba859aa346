/** `rollout:` in trailwatch.yaml: good configs load, bad ones name the path, the fix and the line:column. */
import { parseConfigText } from '../../lib/config/load';
import { MINIMAL_YAML, problemsOf } from '../support/configs';

// MINIMAL_YAML has management, log-archive, prod-app and dev-app; its last line is line 9.
const withRollout = (waves: string) => `${MINIMAL_YAML}rollout:\n  waves:\n${waves}`;


describe('valid rollout sections', () => {
  test('names, globs and a final quoted * load as written', () => {
    const c = parseConfigText(withRollout("    - [log-archive]\n    - [management]\n    - ['dev-*']\n    - ['*']\n"));
    expect(c.rollout?.waves).toEqual([['log-archive'], ['management'], ['dev-*'], ['*']]);
  });

  test('block-style lists work too', () => {
    const c = parseConfigText(withRollout('    - - log-archive\n      - management\n    - - prod-app\n      - dev-app\n'));
    expect(c.rollout?.waves).toEqual([['log-archive', 'management'], ['prod-app', 'dev-app']]);
  });

  test('no rollout section is valid', () => {
    expect(parseConfigText(MINIMAL_YAML).rollout).toBeUndefined();
  });
});

describe('waves that miss an account or list one twice', () => {
  test('an account in no wave is named, at rollout.waves', () => {
    expect(problemsOf(withRollout("    - [log-archive]\n    - [management, 'prod-*']\n"))).toEqual([
      "rollout.waves: account \"dev-app\" is in no wave; add it to a wave, or end with a wave ['*'] that takes every account no earlier wave lists (trailwatch.yaml:12:5)",
    ]);
  });

  test('an account listed in two waves names both waves, at the second entry', () => {
    expect(problemsOf(withRollout("    - [log-archive, prod-app]\n    - [management]\n    - ['prod-*', dev-app]\n"))).toEqual([
      'rollout.waves[2][0]: account "prod-app" is in wave 1 (via "prod-app") and again in wave 3 (via "prod-*"); each account deploys in exactly one wave: remove it from one of the two or narrow the glob (trailwatch.yaml:14:8)',
    ]);
  });

  test('a misspelt account name suggests the right one', () => {
    expect(problemsOf(withRollout("    - [log-archive, managment]\n    - ['*']\n"))).toEqual([
      'rollout.waves[0][1]: no account is named "managment"; did you mean "management"? (trailwatch.yaml:12:21)',
    ]);
  });

  test("'*' in an earlier wave says where it belongs", () => {
    expect(problemsOf(withRollout("    - ['*']\n    - [management]\n"))).toEqual([
      'rollout.waves[0][0]: "*" takes every account that no earlier wave lists, so only the last wave may use it; move it into a final wave of its own (this is wave 1 of 2) (trailwatch.yaml:12:8)',
    ]);
  });

  test('every rollout problem is reported at once, in file order', () => {
    const problems = problemsOf(withRollout("    - [log-archiv]\n    - ['prd-*', management]\n    - [management]\n"));
    expect(problems.map((p) => p.replace(/:.*\((trailwatch\.yaml:\d+:\d+)\)$/, ' $1'))).toEqual([
      'rollout.waves trailwatch.yaml:12:5',
      'rollout.waves[0][0] trailwatch.yaml:12:8',
      'rollout.waves[1][0] trailwatch.yaml:13:8',
      'rollout.waves[2][0] trailwatch.yaml:14:8',
    ]);
    expect(problems[0]).toMatch(/accounts log-archive, prod-app, dev-app are in no wave/);
  });
});

describe('the shape of rollout is checked by the schema', () => {
  test.each([
    ['an empty wave', '    - [management]\n    - []\n', 'rollout.waves[1]: a wave lists at least one account name or glob; remove the empty wave (trailwatch.yaml:13:7)'],
    ['a wave that is not a list', '    - management\n', 'rollout.waves[0]: expected a wave: a list of account names or globs, like [log-archive] or [\'prod-*\'], got "management" (trailwatch.yaml:12:7)'],
    ['an upper-case name', "    - [Management, '*']\n", 'rollout.waves[0][0]: expected an account name or a glob of lower-case letters, digits, hyphens and * ? [...] {a,b}, got "Management" (trailwatch.yaml:12:8)'],
    ['a glob with too many stars', "    - ['*a*b*c*d', '*']\n", 'rollout.waves[0][0]: a glob may hold at most 3 "*" (more makes matching slow), got "*a*b*c*d" (trailwatch.yaml:12:8)'],
    ['a number', "    - [123456789012, '*']\n", 'rollout.waves[0][0]: expected an account name or a glob as a string, got 123456789012 (trailwatch.yaml:12:8)'],
    ['the same entry twice in a wave', "    - [management, management, '*']\n", 'rollout.waves[0]: lists the same name or glob more than once (trailwatch.yaml:12:7)'],
  ])('%s', (_name, waves, expected) => {
    expect(problemsOf(withRollout(waves))).toEqual([expected]);
  });

  test('no waves at all', () => {
    expect(problemsOf(`${MINIMAL_YAML}rollout:\n  waves: []\n`)).toEqual(['rollout.waves: expected at least one wave (trailwatch.yaml:11:10)']);
    expect(problemsOf(`${MINIMAL_YAML}rollout: {}\n`)).toEqual([
      "rollout.waves: required: the waves, e.g. waves: [[log-archive], [management], ['*']] (trailwatch.yaml:10:10)",
    ]);
  });

  test('a typo in the key suggests waves', () => {
    expect(problemsOf(`${MINIMAL_YAML}rollout:\n  wave: [[management]]\n`)).toContain('rollout.wave: unknown key "wave": did you mean "waves"? (trailwatch.yaml:11:3)');
  });
});
