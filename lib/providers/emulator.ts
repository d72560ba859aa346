/**
 * Local AWS emulator mode (moto, LocalStack): when `TRAILWATCH_AWS_ENDPOINT` is set, every AWS
 * provider sends every service trailwatch uses to that endpoint, with fake credentials and without
 * the checks an emulator cannot answer. The end-to-end tests deploy the example this way. When the
 * variable is unset (every real deployment), nothing of this appears in the synthesized stacks.
 *
 * Only loopback addresses are accepted: these settings drop the account pin (`allowed_account_ids`)
 * and use fake credentials, which must never be pointed at anything but a local emulator.
 */
import type { AwsProviderConfig, AwsProviderEndpoints } from '@cdktf/provider-aws/lib/provider';
import { isIP } from 'net';
import { UserError } from '../core/errors';

/** Environment variable naming the emulator's endpoint, e.g. `http://127.0.0.1:5000`. */
export const EMULATOR_ENDPOINT_ENV = 'TRAILWATCH_AWS_ENDPOINT';

/**
 * Every AWS service trailwatch's stacks call, by the provider's `endpoints` argument name
 * (hashicorp/aws 5.100: `logs` is CloudWatch Logs, `events` is EventBridge; their aliases
 * `cloudwatchlogs` and `eventbridge`/`cloudwatchevents` must not be set as well). A feature that
 * uses a new service adds it here, or its resources would reach real AWS in emulator mode.
 */
export const EMULATED_SERVICES = [
  'cloudtrail',
  'cloudwatch',
  'logs',
  'events',
  'iam',
  'kms',
  'lambda',
  's3',
  'sns',
  'sqs',
  'sts',
  'organizations',
  'glue',
  'athena',
] as const satisfies readonly (keyof AwsProviderEndpoints)[];

/** Credentials the emulator accepts (moto and LocalStack take any). */
export const EMULATOR_ACCESS_KEY = 'test';
export const EMULATOR_SECRET_KEY = 'test';

/** Provider arguments merged into every AWS provider in emulator mode. */
export type EmulatorProviderSettings = Pick<
  AwsProviderConfig,
  'accessKey' | 'secretKey' | 'skipCredentialsValidation' | 'skipRequestingAccountId' | 'skipMetadataApiCheck' | 's3UsePathStyle' | 'endpoints'
>;

/**
 * Parse and check an emulator endpoint: an http(s) URL on a loopback address (127.0.0.0/8, ::1,
 * localhost), without path, query or credentials. Returns its origin (`http://127.0.0.1:5000`).
 * Throws a UserError naming the variable and the fix otherwise.
 */
export function parseEmulatorEndpoint(value: string): string {
  const fail = (why: string): never => {
    throw new UserError(
      `${EMULATOR_ENDPOINT_ENV}=${JSON.stringify(value)}: ${why}; expected the http(s) URL of a local AWS emulator on a loopback address, ` +
        `like http://127.0.0.1:5000, or unset ${EMULATOR_ENDPOINT_ENV} to deploy to AWS`,
    );
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`the scheme ${url.protocol.replace(/:$/, '')} is not http or https`);
  if (url.username !== '' || url.password !== '') fail('credentials in the URL are not allowed');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') fail('a path, query or fragment is not allowed');
  if (!isLoopback(url.hostname)) fail(`${url.hostname} is not a loopback address (emulator mode uses fake credentials and drops the account pin)`);
  return url.origin;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/** The provider settings for an emulator at `endpoint` (an origin from parseEmulatorEndpoint). */
export function emulatorProviderSettings(endpoint: string): EmulatorProviderSettings {
  const endpoints: AwsProviderEndpoints = Object.fromEntries(EMULATED_SERVICES.map((service) => [service, endpoint]));
  return {
    accessKey: EMULATOR_ACCESS_KEY,
    secretKey: EMULATOR_SECRET_KEY,
    // An emulator has no instance metadata and answers account-id lookups with its own default account.
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: 'true',
    // Virtual-hosted S3 addressing (bucket.127.0.0.1) does not resolve locally.
    s3UsePathStyle: true,
    endpoints: [endpoints],
  };
}

/**
 * Emulator settings from the environment, or undefined when `TRAILWATCH_AWS_ENDPOINT` is unset or
 * empty (the normal case: real AWS).
 */
export function emulatorSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorProviderSettings | undefined {
  const value = env[EMULATOR_ENDPOINT_ENV];
  if (value === undefined || value.trim() === '') return undefined;
  return emulatorProviderSettings(parseEmulatorEndpoint(value.trim()));
}
