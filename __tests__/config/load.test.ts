import * as fs from 'fs';
import * as path from 'path';
import { loadConfigFile, parseConfigText } from '../../lib/config/load';
import { UserError } from '../../lib/core/errors';
import { MINIMAL_YAML, problemsOf } from '../support/configs';


describe('valid configs', () => {
  test('the minimal config parses with members in order', () => {
    const c = parseConfigText(MINIMAL_YAML);
    expect(c.accounts.map((a) => a.name)).toEqual(['prod-app', 'dev-app']);
    expect(c.accounts[1].regions).toEqual(['eu-west-1']);
  });

  test('the bundled example is valid', () => {
    const c = loadConfigFile(path.join(__dirname, '../../trailwatch.yaml'));
    expect(c.accounts.length).toBeGreaterThanOrEqual(2);
    expect(c.organization.regions.length).toBeGreaterThanOrEqual(3);
  });
});

describe('every problem is reported at once, with path and line:column', () => {
  test('a short account id names the path, the value and the position', () => {
    const yaml = MINIMAL_YAML.replace('"444444444444"', '"1234"');
    expect(problemsOf(yaml)).toEqual(['accounts[0].id: expected 12 digits, got "1234" (trailwatch.yaml:8:11)']);
  });

  test('an unquoted numeric id asks for quotes', () => {
    const yaml = MINIMAL_YAML.replace('"444444444444"', '444444444444');
    expect(problemsOf(yaml)[0]).toMatch(/^accounts\[0\]\.id: expected a 12-digit account id as a quoted string .*got 444444444444 \(trailwatch\.yaml:8:11\)$/);
  });

  test('unknown keys are typos with a suggestion, located at the key', () => {
    const yaml = MINIMAL_YAML.replace('  regions: [us-east-1, eu-west-1]', '  regoins: [us-east-1, eu-west-1]');
    const problems = problemsOf(yaml);
    expect(problems).toContain('organization.regoins: unknown key "regoins": did you mean "regions"? (trailwatch.yaml:4:3)');
    // The missing required key is reported too, in the same run.
    expect(problems.some((p) => p.startsWith('organization.regions: required'))).toBe(true);
  });

  test('unknown regions list the valid ones', () => {
    const yaml = MINIMAL_YAML.replace('regions: [eu-west-1]', 'regions: [eu-west-9]');
    const [p] = problemsOf(yaml);
    expect(p).toMatch(/^accounts\[1\]\.regions\[0\]: unknown region "eu-west-9"; expected one of us-east-1, .* \(trailwatch\.yaml:9:52\)$/);
  });

  test('duplicate account ids and names', () => {
    const yaml = MINIMAL_YAML + '  - { id: "444444444444", name: other }\n  - { id: "777777777777", name: prod-app }\n';
    expect(problemsOf(yaml)).toEqual([
      'accounts[2].id: account id 444444444444 is already used by accounts[0] (prod-app); each account appears once (trailwatch.yaml:10:11)',
      'accounts[3].name: account name "prod-app" is already used by accounts[0] (prod-app); names must be unique because they name the stacks (trailwatch.yaml:11:33)',
    ]);
  });

  test('a member equal to the management account', () => {
    const yaml = MINIMAL_YAML + '  - { id: "111111111111", name: mgmt-again }\n';
    expect(problemsOf(yaml)).toEqual([
      'accounts[2].id: 111111111111 is the management account; remove it from accounts (organization.managementAccount already gets its stack) (trailwatch.yaml:10:11)',
    ]);
  });

  test('malformed YAML is reported with its position', () => {
    const problems = problemsOf('organization:\n  id: [unclosed\n');
    expect(problems[0]).toMatch(/^\(top level\): malformed YAML: .*\(trailwatch\.yaml:\d+:\d+\)$/);
  });

  test('several kinds of problems come back together, sorted by line', () => {
    const yaml = MINIMAL_YAML.replace('o-a1b2c3d4e5', 'org-1').replace('"444444444444"', '"12"').replace('name: dev-app', 'name: Dev_App');
    const problems = problemsOf(yaml);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^organization\.id: expected an organization id like o-a1b2c3d4e5, got "org-1" \(trailwatch\.yaml:2:7\)$/);
    expect(problems[1]).toMatch(/^accounts\[0\]\.id: expected 12 digits/);
    expect(problems[2]).toMatch(/^accounts\[1\]\.name: expected lower-case letters/);
  });

  test('home region must be governed', () => {
    const yaml = MINIMAL_YAML.replace('homeRegion: us-east-1', 'homeRegion: eu-central-1');
    expect(problemsOf(yaml)).toEqual(['organization.homeRegion: home region eu-central-1 is not in organization.regions; add it there (trailwatch.yaml:3:15)']);
  });

  test('a bad backend type names the choices', () => {
    expect(problemsOf(MINIMAL_YAML + 'backend: { type: gcs }\n')[0]).toMatch(/^backend(\.type)?: expected backend type local, cloud or s3, got "gcs"/);
  });

  test('an empty file says what is expected', () => {
    expect(problemsOf('# nothing here\n')).toEqual(['(top level): the file is empty; expected a mapping with organization, accounts, ...']);
  });
});

describe('hostile input', () => {
  test('an alias bomb fails fast instead of expanding', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const started = Date.now();
    expect(problemsOf(bomb.join('\n') + '\n')[0]).toMatch(/malformed YAML: .*alias/i);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('__proto__ and constructor keys are unknown keys, and pollute nothing', () => {
    const problems = problemsOf(MINIMAL_YAML + '__proto__: { polluted: true }\nconstructor: 1\n');
    expect(problems.map((p) => p.split(':')[0])).toEqual(["__proto__", 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('files', () => {
  test('a missing file says how to point at one', () => {
    expect(() => loadConfigFile('/nonexistent/trailwatch.yaml')).toThrow(UserError);
    expect(() => loadConfigFile('/nonexistent/trailwatch.yaml')).toThrow(/config file not found: \/nonexistent\/trailwatch.yaml\n.*--config \/ TRAILWATCH_CONFIG/);
  });

  test('non-UTF-8 bytes are located', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'tw-'));
    const f = path.join(dir, 'bad.yaml');
    fs.writeFileSync(f, Buffer.concat([Buffer.from('organization:\n  id: o-'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
    expect(() => loadConfigFile(f)).toThrow(/\(top level\): the file is not valid UTF-8; save it as UTF-8 \(bad\.yaml:2:9\)/);
  });
});

test('a bare * (YAML alias) gets a hint to quote it', () => {
  expect(() => parseConfigText(MINIMAL_YAML + 'rollout:\n  waves:\n    - [*]\n', 'tw.yaml')).toThrow(/malformed YAML: .*a bare \* starts a YAML alias: quote it \('\*'\) \(tw\.yaml:12:\d+\)/);
});
