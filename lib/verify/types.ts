/**
 * The shape of a verify check and of what it finds (modelled on prowler: one check per file, each
 * finding with severity, resource, what was expected, what was found, and the fix).
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AccountPlan, OrganizationPlan } from '../core/organization';
import type { PlannedAccount } from './planned';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  /** Id of the check that found it (e.g. `trail-logging`). */
  readonly check: string;
  /** `fail`: deployed differs from planned; `error`: could not check (exit 2). */
  readonly status: 'fail' | 'error';
  readonly severity: Severity;
  /** Account stack name. */
  readonly account: string;
  readonly accountId: string;
  readonly region: string;
  readonly resource: string;
  readonly expected: string;
  readonly found: string;
  readonly fix: string;
}

/** A finding as a check writes it: the runner adds check, status, account and region. */
export type Problem = Pick<Finding, 'resource' | 'expected' | 'found'> & Partial<Pick<Finding, 'severity' | 'fix'>>;

/** One SDK v3 client per service the checks call, for one account and region. */
export interface Clients {
  readonly cloudtrail: CloudTrailClient;
  readonly cloudwatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly events: EventBridgeClient;
  readonly lambda: LambdaClient;
  readonly organizations: OrganizationsClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
}

export interface VerifySettings {
  /** A trail whose newest delivery is older than this is a finding. */
  readonly maxDeliveryAgeMinutes: number;
  /** An alarm in INSUFFICIENT_DATA for longer than this is a finding. */
  readonly maxInsufficientDataHours: number;
  /** A trail with log file validation whose newest digest file is older than this is a finding. */
  readonly maxDigestAgeHours: number;
  /** ACTIVE organization accounts that need not be in the config. */
  readonly ignoreAccounts: readonly string[];
}

export interface CheckContext {
  readonly account: PlannedAccount;
  /** Every account being verified (a check may read a resource another account owns, e.g. the archive bucket). */
  readonly accounts: readonly PlannedAccount[];
  /** The clients of another account and region (same role chain). */
  readonly clientsFor: (account: AccountPlan, region: string) => Clients;
  readonly region: string;
  readonly organization: OrganizationPlan;
  readonly clients: Clients;
  readonly settings: VerifySettings;
  readonly now: Date;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  /** Severity of its findings unless a finding says otherwise. */
  readonly severity: Severity;
  /** IAM actions its calls need (the read-only policy is generated from these; a test proves they cover the calls). */
  readonly actions: readonly string[];
  /** True when the account plans something this check verifies in this region (otherwise no call is made). */
  applies(account: PlannedAccount, region: string): boolean;
  run(context: CheckContext): Promise<Problem[]>;
}

/** The `cdktf deploy` command that re-applies an account stack. */
export const redeploy = (account: PlannedAccount): string => `re-run the wave that deploys it: cdktf deploy ${account.plan.stackName}`;

/** The error name of an SDK v3 error (or ''). */
export const errorName = (e: unknown): string => (e && typeof e === 'object' && 'name' in e && typeof e.name === 'string' ? e.name : '');

/** Every item of a paginated AWS list call: `page(token)` returns one page's items and the next token. */
export async function allPages<T>(page: (token: string | undefined) => Promise<{ readonly items?: readonly T[]; readonly next?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    items.push(...(p.items ?? []));
    token = p.next;
  } while (token);
  return items;
}
