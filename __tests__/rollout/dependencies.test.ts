/** Deploy-order dependencies: waves that deploy a trail before (or beside) its log archive. */
import { parseConfigText, parseConfigWithWarnings } from '../../lib/config/load';
import { planAll } from '../../lib/plan/plan';
import { deployDependencies, manifestDependencies, orderProblems } from '../../lib/rollout/dependencies';
import { defaultWaves } from '../../lib/rollout/waves';
import { MINIMAL_YAML } from '../support/configs';

// MINIMAL_YAML: management, log-archive, prod-app, dev-app; the trail defaults to organization mode.
const orgOf = (tail = '') => planAll(parseConfigText(MINIMAL_YAML + tail));

describe('which stacks need another deployed first', () => {
  test('organization trail: management needs the log archive', () => {
    expect(deployDependencies(orgOf())).toEqual([
      {
        stack: 'management',
        dependsOn: 'log-archive',
        reason: 'its trail writes into the log archive (bucket and KMS key) in log-archive',
        consequence: 'a first deploy fails until log-archive is deployed',
      },
    ]);
  });

  const withSecurity = (tail = '') => planAll(parseConfigText(MINIMAL_YAML.replace('accounts:', '  securityAccount: { id: "333333333333", name: security }\naccounts:') + tail));

  test('central EventBridge routing: every other stack needs the security stack, whose bus receives its detections', () => {
    const deps = deployDependencies(withSecurity()).filter((d) => d.dependsOn === 'security');
    expect(deps.map((d) => d.stack)).toEqual(['management', 'log-archive', 'prod-app', 'dev-app']);
    expect(deps[0]).toEqual({
      stack: 'management',
      dependsOn: 'security',
      reason: 'its EventBridge rules forward detections to the central bus trailwatch-detections in security',
      consequence: 'detections forwarded before security is deployed are lost',
    });
  });

  test.each([['eventbridge: { target: local }\n'], ['eventbridge: { enabled: false }\n']])('no bus dependency without central routing (%j)', (tail) => {
    expect(deployDependencies(withSecurity(tail)).filter((d) => d.dependsOn === 'security')).toEqual([]);
  });

  test('account trails with central routing: security needs the archive, so the archive does not wait for security (no cycle)', () => {
    const deps = deployDependencies(withSecurity('trail: { mode: account }\n')).map((d) => `${d.stack} -> ${d.dependsOn}`);
    expect(deps).toContain('security -> log-archive');
    expect(deps).not.toContain('log-archive -> security');
    expect(deps).toContain('prod-app -> security');
  });

  test('the manifest lists, per stack, what it needs among the synthesized stacks', () => {
    const org = withSecurity();
    expect(Object.fromEntries(manifestDependencies(org, ['management', 'log-archive', 'security', 'prod-app']))).toEqual({
      management: ['log-archive', 'security'],
      'log-archive': ['security'],
      security: [],
      'prod-app': ['security'],
    });
    expect(Object.fromEntries(manifestDependencies(org, ['management', 'prod-app']))).toEqual({ management: [], 'prod-app': [] });
  });

  test('account trails: every account but the archive itself needs the log archive', () => {
    expect(deployDependencies(orgOf('trail: { mode: account }\n')).map((d) => [d.stack, d.dependsOn])).toEqual([
      ['management', 'log-archive'],
      ['prod-app', 'log-archive'],
      ['dev-app', 'log-archive'],
    ]);
  });

  test.each([[''], ['trail: { mode: account }\n']])('the default order breaks no dependency (%j)', (tail) => {
    for (const org of [orgOf(tail), withSecurity(tail)]) {
      expect(deployDependencies(org).length).toBeGreaterThan(0);
      expect(orderProblems(defaultWaves(org.organization.accounts, deployDependencies(org)), deployDependencies(org))).toEqual([]);
    }
  });
});

describe('waves that break a dependency', () => {
  const consequence = 'a first deploy fails until archive is deployed';
  const deps = [
    { stack: 'a', dependsOn: 'archive', reason: 'its trail writes into the archive', consequence },
    { stack: 'b', dependsOn: 'archive', reason: 'its trail writes into the archive', consequence },
  ];

  test('a stack before what it needs', () => {
    expect(orderProblems([['a'], ['archive', 'b']], deps)).toEqual([
      { wave: 0, message: 'a deploys in wave 1, before archive in wave 2, but its trail writes into the archive: a first deploy fails until archive is deployed; move archive to an earlier wave' },
      { wave: 1, message: 'b deploys in the same wave 2 as archive (in parallel), but its trail writes into the archive: a first deploy fails until archive is deployed; move archive to an earlier wave' },
    ]);
  });

  test('several stacks of one wave are reported together', () => {
    expect(orderProblems([['a', 'b'], ['archive']], deps)).toEqual([
      {
        wave: 0,
        message: "a, b deploy in wave 1, before archive in wave 2, but each one's trail writes into the archive: a first deploy fails until archive is deployed; move archive to an earlier wave",
      },
    ]);
  });

  test('the same early stacks with two reasons: one line per reason, each with its consequence', () => {
    const bus = { stack: 'a', dependsOn: 'archive', reason: 'its rules forward to the bus in archive', consequence: 'detections are lost until archive is deployed' };
    expect(orderProblems([['a', 'archive']], [deps[0], bus]).map((p) => p.message)).toEqual([
      'a deploys in the same wave 1 as archive (in parallel), but its trail writes into the archive: a first deploy fails until archive is deployed; move archive to an earlier wave',
      'a deploys in the same wave 1 as archive (in parallel), but its rules forward to the bus in archive: detections are lost until archive is deployed; move archive to an earlier wave',
    ]);
  });

  test('after what they need: nothing to report', () => {
    expect(orderProblems([['archive'], ['a', 'b']], deps)).toEqual([]);
  });
});

describe('in trailwatch.yaml: a warning with its position, not an error', () => {
  test('management in the same wave as the log archive', () => {
    const { config, warnings } = parseConfigWithWarnings(MINIMAL_YAML + "rollout:\n  waves:\n    - ['*-app']\n    - [management, log-archive]\n", 'trailwatch.yaml');
    expect(config.rollout?.waves).toHaveLength(2);
    expect(warnings.filter((w) => w.path[0] === 'rollout')).toEqual([
      expect.objectContaining({ path: ['rollout', 'waves', 1], line: 13, column: 7, message: expect.stringMatching(/^management deploys in the same wave 2 as log-archive/) }),
    ]);
  });

  test('no warning when the log archive deploys first', () => {
    const { warnings } = parseConfigWithWarnings(MINIMAL_YAML + "rollout:\n  waves:\n    - [log-archive]\n    - ['*']\n", 'trailwatch.yaml');
    expect(warnings.filter((w) => w.path[0] === 'rollout')).toEqual([]);
  });
});
