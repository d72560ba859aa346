import fc from 'fast-check';
import { assignWaves, defaultWaves } from '../../lib/rollout/waves';

const STACKS = ['management', 'log-archive', 'security', 'prod-web', 'prod-api', 'dev-web', 'dev-api', 'sandbox'];

describe('assigning stacks to waves', () => {
  test('names and globs put each stack in its wave, in stack order', () => {
    const { waves, problems } = assignWaves([['security', 'log-archive'], ['management'], ['dev-*', 'sandbox'], ['prod-*']], STACKS);
    expect(problems).toEqual([]);
    expect(waves).toEqual([['log-archive', 'security'], ['management'], ['dev-web', 'dev-api', 'sandbox'], ['prod-web', 'prod-api']]);
  });

  test("a last wave ['*'] takes exactly the stacks no earlier wave lists", () => {
    const { waves, problems } = assignWaves([['log-archive'], ['management'], ['dev-*'], ['*']], STACKS);
    expect(problems).toEqual([]);
    expect(waves[3]).toEqual(['security', 'prod-web', 'prod-api', 'sandbox']);
  });

  test("'*' beside names in the last wave: the names and the rest deploy together", () => {
    const { waves, problems } = assignWaves([['log-archive', 'management'], ['prod-web', '*']], STACKS);
    expect(problems).toEqual([]);
    expect(waves[1]).toEqual(['security', 'prod-web', 'prod-api', 'dev-web', 'dev-api', 'sandbox']);
  });

  test("a '*' wave with nothing left to take is empty, not an error", () => {
    const { waves, problems } = assignWaves([STACKS, ['*']], STACKS);
    expect(problems).toEqual([]);
    expect(waves[1]).toEqual([]);
  });

  test('brace, star and bracket globs match account names', () => {
    const { waves, problems } = assignWaves([['{prod,dev}-web'], ['*-api'], ['[lm]*'], ['s*']], STACKS);
    expect(problems).toEqual([]);
    expect(waves).toEqual([['prod-web', 'dev-web'], ['prod-api', 'dev-api'], ['management', 'log-archive'], ['security', 'sandbox']]);
    expect(assignWaves([['???-api'], ['*']], STACKS).waves[0]).toEqual(['dev-api']);
  });

  test('overlapping patterns inside one wave deploy the stack once', () => {
    const { waves, problems } = assignWaves([['prod-*', 'prod-web'], ['*']], STACKS);
    expect(problems).toEqual([]);
    expect(waves[0]).toEqual(['prod-web', 'prod-api']);
    expect(waves[1]).not.toContain('prod-web');
  });
});

describe('every stack in exactly one wave', () => {
  test('a stack in two waves names both waves and the patterns', () => {
    const { problems } = assignWaves([['prod-web'], ['management', 'log-archive'], ['prod-*'], ['*']], STACKS);
    expect(problems).toEqual([
      {
        path: [2, 0],
        message:
          'account "prod-web" is in wave 1 (via "prod-web") and again in wave 3 (via "prod-*"); each account deploys in exactly one wave: remove it from one of the two or narrow the glob',
      },
    ]);
  });

  test('the same name listed in two waves (no glob involved) says to remove it', () => {
    const { problems } = assignWaves([['management'], ['management', 'log-archive'], ['*']], STACKS);
    expect(problems).toEqual([
      {
        path: [1, 0],
        message: 'account "management" is in wave 1 (via "management") and again in wave 2 (via "management"); each account deploys in exactly one wave: remove it from one of the two',
      },
    ]);
  });

  test('several stacks claimed by one earlier glob are reported together', () => {
    const { problems } = assignWaves([['dev-*'], ['*-api', '*-web'], ['*']], STACKS);
    expect(problems.map((p) => [p.path, p.message.split(';')[0]])).toEqual([
      [[1, 0], 'account "dev-api" is in wave 1 (via "dev-*") and again in wave 2 (via "*-api")'],
      [[1, 1], 'account "dev-web" is in wave 1 (via "dev-*") and again in wave 2 (via "*-web")'],
    ]);
    const { problems: grouped } = assignWaves([['dev-*'], ['*-{web,api}'], ['*']], STACKS);
    expect(grouped[0].message).toMatch(/^accounts dev-web, dev-api are in wave 1 .*: remove them from one of the two or narrow the glob$/);
  });

  test('stacks in no wave are listed, with the fix', () => {
    const { problems, waves } = assignWaves([['log-archive', 'security'], ['management'], ['prod-*']], STACKS);
    expect(problems).toEqual([
      {
        path: [],
        message: "accounts dev-web, dev-api, sandbox are in no wave; add them to a wave, or end with a wave ['*'] that takes every account no earlier wave lists",
      },
    ]);
    expect(waves.flat()).not.toContain('sandbox');
  });

  test('one missing stack is named in the singular', () => {
    const { problems } = assignWaves([STACKS.filter((s) => s !== 'sandbox')], STACKS);
    expect(problems.map((p) => p.message)).toEqual([
      "account \"sandbox\" is in no wave; add it to a wave, or end with a wave ['*'] that takes every account no earlier wave lists",
    ]);
  });

  test("'*' before the last wave is refused (and does not also report every stack as missing)", () => {
    const { problems } = assignWaves([['log-archive'], ['*'], ['management']], STACKS);
    expect(problems).toEqual([
      {
        path: [1, 0],
        message: '"*" takes every account that no earlier wave lists, so only the last wave may use it; move it into a final wave of its own (this is wave 2 of 3)',
      },
    ]);
  });

  test('a misspelt name suggests the account it was meant to be', () => {
    const { problems } = assignWaves([['log-archve'], ['*']], STACKS);
    expect(problems).toEqual([{ path: [0, 0], message: 'no account is named "log-archve"; did you mean "log-archive"?' }]);
  });

  test('a name far from every account lists the accounts', () => {
    const { problems } = assignWaves([['billing'], ['*']], STACKS);
    expect(problems[0].message).toBe(`no account is named "billing"; the accounts are: ${STACKS.join(', ')}`);
  });

  test('a glob that matches no account is an error listing the accounts', () => {
    const { problems } = assignWaves([['prd-*'], ['*']], STACKS);
    expect(problems).toEqual([{ path: [0, 0], message: `the glob "prd-*" matches no account; the accounts are: ${STACKS.join(', ')}` }]);
  });

  test('a long list of missing accounts is shortened', () => {
    const many = Array.from({ length: 45 }, (_, i) => `member-${i}`);
    const { problems } = assignWaves([['member-0']], many);
    expect(problems[0].message).toMatch(/^accounts member-1, member-2, .*, member-20, \.\.\. and 24 more are in no wave;/);
  });
});

describe('property: any partition of the stacks into waves of names is accepted as written', () => {
  test('each stack lands in the wave that names it, exactly once', () => {
    const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(names, fc.array(fc.nat(5)), (stacks, picks) => {
        const waveOf = stacks.map((_, i) => picks[i] ?? 0);
        const spec = [0, 1, 2, 3, 4, 5].map((w) => stacks.filter((_, i) => waveOf[i] === w)).filter((w) => w.length > 0);
        const { waves, problems } = assignWaves(spec, stacks);
        expect(problems).toEqual([]);
        expect(waves.map((w) => [...w].sort())).toEqual(spec.map((w) => [...w].sort()));
      }),
      { numRuns: 200 },
    );
  });
});

describe('default order without a rollout section', () => {
  const account = (stackName: string, role: 'management' | 'log-archive' | 'security' | 'member') => ({ stackName, role });

  const accounts = [account('mgmt', 'management'), account('archive', 'log-archive'), account('audit', 'security'), account('a', 'member'), account('b', 'member')];
  const needs = (stack: string, dependsOn: string) => ({ stack, dependsOn });

  test('core stacks in the order their dependencies need, then the members', () => {
    // The defaults with a security account: the archive forwards to audit's bus; mgmt's trail writes into the archive.
    const deps = [needs('mgmt', 'archive'), needs('mgmt', 'audit'), needs('archive', 'audit'), needs('a', 'audit'), needs('b', 'audit')];
    expect(defaultWaves(accounts, deps)).toEqual([['audit'], ['archive'], ['mgmt'], ['a', 'b']]);
  });

  test('core stacks that need nothing from each other deploy together; members still come last', () => {
    expect(defaultWaves(accounts, [needs('mgmt', 'archive')])).toEqual([['archive', 'audit'], ['mgmt'], ['a', 'b']]);
    expect(defaultWaves(accounts, [])).toEqual([['mgmt', 'archive', 'audit'], ['a', 'b']]);
  });

  test('no security account and no members: only the non-empty waves', () => {
    expect(defaultWaves([account('mgmt', 'management'), account('archive', 'log-archive')], [needs('mgmt', 'archive')])).toEqual([['archive'], ['mgmt']]);
  });
});
