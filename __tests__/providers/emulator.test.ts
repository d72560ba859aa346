/**
 * Emulator mode (TRAILWATCH_AWS_ENDPOINT): every provider gets the emulator's endpoints and fake
 * credentials when it is set, and nothing of it appears in the output when it is not.
 */
import { Testing } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../main';
import { buildApp } from '../../lib/app/build-app';
import { UserError } from '../../lib/core/errors';
import { EMULATED_SERVICES, EMULATOR_ENDPOINT_ENV, emulatorSettingsFromEnv, parseEmulatorEndpoint } from '../../lib/providers/emulator';
import { minimalConfig, MINIMAL_YAML } from '../support/configs';
import { synthConfigFile } from '../support/example';
import { initAndValidate } from '../support/terraform';
import { planAll } from '../../lib/plan/plan';

/** Synthesizes the minimal config with TRAILWATCH_AWS_ENDPOINT set to `endpoint` (or unset). */
function synthWith(endpoint: string | undefined): Record<string, Record<string, any>> {
  const saved = process.env[EMULATOR_ENDPOINT_ENV];
  if (endpoint === undefined) delete process.env[EMULATOR_ENDPOINT_ENV];
  else process.env[EMULATOR_ENDPOINT_ENV] = endpoint;
  try {
    const built = buildApp(planAll(minimalConfig()), { outdir: Testing.app().outdir });
    return Object.fromEntries(built.stacks.map((s) => [s.account.stackName, JSON.parse(Testing.synth(s))]));
  } finally {
    if (saved === undefined) delete process.env[EMULATOR_ENDPOINT_ENV];
    else process.env[EMULATOR_ENDPOINT_ENV] = saved;
  }
}

const providersOf = (stacks: Record<string, Record<string, any>>) => Object.values(stacks).flatMap((s) => s.provider.aws as Record<string, any>[]);

const EMULATOR_KEYS = ['endpoints', 'access_key', 'secret_key', 'skip_credentials_validation', 'skip_requesting_account_id', 'skip_metadata_api_check', 's3_use_path_style'];

describe('TRAILWATCH_AWS_ENDPOINT unset: real AWS', () => {
  test('no provider has endpoints, credentials or skipped checks, and every provider stays pinned to its account', () => {
    const stacks = synthWith(undefined);
    const providers = providersOf(stacks);
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) {
      expect(Object.keys(p).filter((k) => EMULATOR_KEYS.includes(k))).toEqual([]);
      expect(p.allowed_account_ids).toHaveLength(1);
    }
    expect(JSON.stringify(stacks)).not.toMatch(/127\.0\.0\.1|localhost|"test"/);
  });

  test('an empty value counts as unset', () => {
    expect(emulatorSettingsFromEnv({ [EMULATOR_ENDPOINT_ENV]: '' })).toBeUndefined();
    expect(emulatorSettingsFromEnv({ [EMULATOR_ENDPOINT_ENV]: '  ' })).toBeUndefined();
    expect(emulatorSettingsFromEnv({})).toBeUndefined();
  });
});

describe('TRAILWATCH_AWS_ENDPOINT set: every provider talks to the emulator only', () => {
  const endpoint = 'http://127.0.0.1:5123';
  const stacks = synthWith(endpoint);
  const providers = providersOf(stacks);

  test('every provider of every stack, in every region, gets the settings', () => {
    // 4 stacks of the minimal config: 2 + 2 + 2 + 1 governed regions, plus the console sign-in
    // regions each lacks (eventbridge.signInRegions: us-east-1, us-east-2, eu-north-1, ap-southeast-2).
    expect(providers).toHaveLength(5 + 5 + 5 + 5);
    for (const p of providers) expect(p.endpoints).toEqual([Object.fromEntries(EMULATED_SERVICES.map((s) => [s, endpoint]))]);
  });

  test('every service trailwatch uses is routed, by the provider 5.100 argument names', () => {
    expect([...EMULATED_SERVICES].sort()).toEqual(['athena', 'cloudtrail', 'cloudwatch', 'events', 'glue', 'iam', 'kms', 'lambda', 'logs', 'organizations', 's3', 'sns', 'sqs', 'sts']);
  });

  test('fake credentials, no credential or account-id lookups, path-style S3', () => {
    for (const p of providers) {
      expect(p).toMatchObject({
        access_key: 'test',
        secret_key: 'test',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        s3_use_path_style: true,
      });
    }
  });

  test('the account pin is dropped; role assumption, regions and default tags are kept', () => {
    const [prod] = stacks['prod-app'].provider.aws as Record<string, any>[];
    expect(providers.every((p) => p.allowed_account_ids === undefined)).toBe(true);
    expect(prod.assume_role).toEqual([{ role_arn: 'arn:aws:iam::444444444444:role/OrganizationAccountAccessRole', session_name: 'trailwatch' }]);
    expect(prod.default_tags[0].tags.TrailwatchStack).toBe('prod-app');
    expect((stacks['prod-app'].provider.aws as Record<string, any>[]).map((p) => p.region)).toEqual(['us-east-1', 'eu-west-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2']);
  });

  test('terraform validate accepts the emulator settings (every endpoint name exists in hashicorp/aws 5.100)', () => {
    const out = synthConfigFile(undefined, { [EMULATOR_ENDPOINT_ENV]: endpoint });
    const stack = out.stacks[0];
    expect(out.json(stack).provider.aws[0].endpoints[0].logs).toBe(endpoint);
    const result = initAndValidate(out.stackDir(stack));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe('the endpoint must be a local emulator', () => {
  test.each([
    ['http://127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['http://127.0.0.1:5000/', 'http://127.0.0.1:5000'],
    ['https://localhost:4566', 'https://localhost:4566'],
    ['http://127.1.2.3:8080', 'http://127.1.2.3:8080'],
    ['http://[::1]:5000', 'http://[::1]:5000'],
    ['HTTP://LOCALHOST:5000', 'http://localhost:5000'],
  ])('%s is accepted as %s', (value, origin) => {
    expect(parseEmulatorEndpoint(value)).toBe(origin);
  });

  test.each([
    ['moto:5000', /the scheme moto is not http or https/],
    ['not a url', /not a URL/],
    ['ftp://127.0.0.1:21', /the scheme ftp is not http or https/],
    ['http://10.0.0.5:5000', /10\.0\.0\.5 is not a loopback address/],
    ['https://s3.amazonaws.com', /s3\.amazonaws\.com is not a loopback address/],
    ['http://127.0.0.1.example.com:5000', /is not a loopback address/],
    ['http://127.0.0.1:5000/moto', /a path, query or fragment is not allowed/],
    ['http://127.0.0.1:5000?x=1', /a path, query or fragment is not allowed/],
    ['http://user:secret@127.0.0.1:5000', /credentials in the URL are not allowed/],
  ])('%s is refused with a clear user error', (value, reason) => {
    let error: unknown;
    try {
      parseEmulatorEndpoint(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(reason);
    expect(message).toContain(`TRAILWATCH_AWS_ENDPOINT=${JSON.stringify(value)}`);
    expect(message).toContain('like http://127.0.0.1:5000, or unset TRAILWATCH_AWS_ENDPOINT to deploy to AWS');
  });

  test('`trailwatch synth` with a remote endpoint exits 1 with the message and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-emulator-'));
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML);
    let stderr = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((stderr += String(s)), true));
    process.env[EMULATOR_ENDPOINT_ENV] = 'http://192.168.1.10:5000';
    let code: number;
    try {
      code = await main(['synth', '-c', path.join(dir, 'tw.yaml'), '-o', path.join(dir, 'out')]);
    } finally {
      delete process.env[EMULATOR_ENDPOINT_ENV];
      spy.mockRestore();
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(/^trailwatch: TRAILWATCH_AWS_ENDPOINT="http:\/\/192\.168\.1\.10:5000": 192\.168\.1\.10 is not a loopback address/m);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fs.readdirSync(dir)).toEqual(['tw.yaml']);
  });
});
