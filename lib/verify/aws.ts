/**
 * AWS SDK v3 clients for verify: per account, credentials through the same role the account's
 * stack assumes (plan.access), or `verify.roleName` in the account instead; per region, one client
 * per service, all with the SDK's standard retry mode (throttling retried with backoff). With
 * TRAILWATCH_AWS_ENDPOINT set (a local emulator), every client and STS go there, as the stacks do.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AccountPlan } from '../core/organization';
import { EMULATOR_ACCESS_KEY, EMULATOR_ENDPOINT_ENV, EMULATOR_SECRET_KEY, parseEmulatorEndpoint } from '../providers/emulator';
import type { Clients } from './types';

/** Attempts per call, first included (SDK standard retry mode: exponential backoff with jitter, throttling retried). */
export const MAX_ATTEMPTS = 5;

export interface ClientFactoryOptions {
  /** A role name assumed in every account instead of the stack's access role (`verify.roleName`). */
  readonly roleName?: string;
  readonly env?: NodeJS.ProcessEnv;
}

interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

export interface ClientFactory {
  /** The clients of one account and region (made once, then reused). */
  clients(account: AccountPlan, region: string): Clients;
  /** Resolves the account's credentials (assumes its role): rejects when verify cannot get in. */
  signIn(account: AccountPlan): Promise<void>;
}

/** The role verify assumes in an account: verify.roleName, else the one the account's stack assumes (null: own credentials). */
export function verifyRoleArn(account: AccountPlan, roleName: string | undefined): string | null {
  return roleName !== undefined ? `arn:aws:iam::${account.accountId}:role/${roleName}` : account.access.roleArn;
}

export function clientFactory(options: ClientFactoryOptions = {}): ClientFactory {
  const env = options.env ?? process.env;
  // trailwatch pins the SDK version exactly; the SDK's notice that later versions will need Node 22
  // would print on every run (package.json engines says which Node trailwatch supports).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const raw = env[EMULATOR_ENDPOINT_ENV]?.trim();
  const endpoint = raw ? parseEmulatorEndpoint(raw) : undefined;
  const base = endpoint ? { endpoint, credentials: { accessKeyId: EMULATOR_ACCESS_KEY, secretAccessKey: EMULATOR_SECRET_KEY } } : {};
  const credentials = new Map<string, AwsCredentialIdentityProvider | undefined>();
  const clients = new Map<string, Clients>();

  const credentialsFor = (account: AccountPlan): AwsCredentialIdentityProvider | undefined => {
    if (credentials.has(account.accountId)) return credentials.get(account.accountId);
    const roleArn = verifyRoleArn(account, options.roleName);
    let provider: AwsCredentialIdentityProvider | undefined;
    if (roleArn) {
      const sts = new STSClient({ region: account.primaryRegion, retryMode: 'standard', maxAttempts: MAX_ATTEMPTS, ...base });
      let cached: Promise<AwsCredentialIdentity> | undefined;
      let expires = 0;
      provider = () => {
        // Refreshed five minutes before the session ends (one hour by default).
        if (!cached || Date.now() > expires - 300_000) {
          cached = sts
            .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: account.access.sessionName, ...(account.access.externalId ? { ExternalId: account.access.externalId } : {}) }))
            .then((r) => {
              const c = r.Credentials!;
              expires = c.Expiration?.getTime() ?? Date.now() + 900_000;
              return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
            });
          cached.catch(() => (cached = undefined));
        }
        return cached;
      };
    }
    credentials.set(account.accountId, provider);
    return provider;
  };

  const clientsFor = (account: AccountPlan, region: string): Clients => {
    const key = `${account.accountId}/${region}`;
    let set = clients.get(key);
    if (!set) {
      const c = credentialsFor(account);
      const config = { region, retryMode: 'standard', maxAttempts: MAX_ATTEMPTS, ...base, ...(c ? { credentials: c } : {}) };
      set = {
        cloudtrail: new CloudTrailClient(config),
        cloudwatch: new CloudWatchClient(config),
        logs: new CloudWatchLogsClient(config),
        events: new EventBridgeClient(config),
        lambda: new LambdaClient(config),
        organizations: new OrganizationsClient(config),
        // Path-style addressing: bucket.127.0.0.1 does not resolve locally.
        s3: new S3Client({ ...config, ...(endpoint ? { forcePathStyle: true } : {}) }),
        sns: new SNSClient(config),
      };
      clients.set(key, set);
    }
    return set;
  };
  return {
    clients: clientsFor,
    signIn: async (account) => {
      await credentialsFor(account)?.();
    },
  };
}
