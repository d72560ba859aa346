/**
 * Where the Athena query resources live and what they are called: pure functions of the config and
 * the organization plan, so the querying account's stack (table, workgroup, role) and the
 * log-archive account's stack (bucket and key policy statements for the role) derive the same
 * names without cross-stack references.
 */
import type { TrailSections } from '../trail/schema';
import type { QueryConfig } from '../trail/schema';
import { REGION_NAMES } from '../core/regions';
import type { AccountPlan, OrganizationPlan } from '../core/organization';
import { archiveBucketNames, archiveKeyAliasArn, trailMode } from '../trail/plan';

export const DEFAULT_QUERY_DATABASE = 'trailwatch';
/** The table name the SQL renderer (lib/catalog/render/sql.ts) defaults to. */
export const DEFAULT_QUERY_TABLE = 'cloudtrail_logs';
export const DEFAULT_WORKGROUP = 'trailwatch';
export const QUERY_ROLE_NAME = 'trailwatch-athena-query';
export const RESULTS_KEY_ALIAS = 'alias/trailwatch-athena-results';
/** 100 GB: $0.50 per query at $5 per TB scanned. */
export const DEFAULT_BYTES_SCANNED_CUTOFF = 100_000_000_000;
export const DEFAULT_RESULTS_EXPIRATION_DAYS = 30;
export const DEFAULT_FIRST_DAY = '2020-01-01';

/** Everything the query feature builds, resolved. */
export interface QueryPlan {
  /** Stack (account name) holding the table, workgroup, results bucket and role. */
  readonly stackName: string;
  readonly accountId: string;
  /** Region of the workgroup and table: the archive's (home) region, so S3 reads stay in-region. */
  readonly region: string;
  readonly database: string;
  readonly table: string;
  readonly workgroup: string;
  readonly bytesScannedCutoffPerQuery: number;
  readonly resultsExpirationDays: number;
  /** First projected day, yyyy/MM/dd (the format of the archive's key). */
  readonly firstDay: string;
  readonly resultsBucketName: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly archiveBucket: string;
  readonly archiveKeyAliasArn: string;
  /** Key prefix the role may list and read: `AWSLogs/<org id>/` (organization trail) or `AWSLogs/` (account trails). */
  readonly archivePrefix: string;
  /** Projected `account` values: every account of the organization this file knows (plus extraAccountIds). */
  readonly accountIds: readonly string[];
  /** Projected `region` values: every region a multi-region trail writes (all commercial regions); the home region otherwise. */
  readonly regions: readonly string[];
  /** `organization`: AWSLogs/<org id>/<account>/CloudTrail/...; `account`: AWSLogs/<account>/CloudTrail/... */
  readonly layout: 'organization' | 'account';
}

export function queryConfig(config: TrailSections): QueryConfig | undefined {
  return trailMode(config) === 'existing' ? undefined : config.trail?.archive?.query;
}

export function planQuery(org: OrganizationPlan<TrailSections>): QueryPlan | undefined {
  const config = org.config;
  const q = queryConfig(config);
  if (!q) return undefined;
  const role = q.account ?? (config.organization.securityAccount ? 'security' : 'log-archive');
  const account = org.accounts.find((a) => a.role === role);
  // No such account: a config problem (trail.archive.query.account) that the checks report.
  if (!account) return undefined;
  const region = org.homeRegion;
  const layout = trailMode(config) === 'organization' ? 'organization' : 'account';
  const ids = [...new Set([...org.accounts.map((a) => a.accountId), ...(q.extraAccountIds ?? [])])];
  return {
    stackName: account.stackName,
    accountId: account.accountId,
    region,
    database: q.database ?? DEFAULT_QUERY_DATABASE,
    table: q.table ?? DEFAULT_QUERY_TABLE,
    workgroup: q.workgroup ?? DEFAULT_WORKGROUP,
    bytesScannedCutoffPerQuery: q.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF,
    resultsExpirationDays: q.resultsExpirationDays ?? DEFAULT_RESULTS_EXPIRATION_DAYS,
    firstDay: (q.firstDay ?? DEFAULT_FIRST_DAY).replace(/-/g, '/'),
    resultsBucketName: `trailwatch-athena-results-${account.accountId}-${region}`,
    roleName: QUERY_ROLE_NAME,
    roleArn: `arn:aws:iam::${account.accountId}:role/${QUERY_ROLE_NAME}`,
    archiveBucket: archiveBucketNames(config).archive,
    archiveKeyAliasArn: archiveKeyAliasArn(config),
    archivePrefix: layout === 'organization' ? `AWSLogs/${org.organizationId}/` : 'AWSLogs/',
    accountIds: ids,
    regions: config.trail?.multiRegion === false ? [region] : REGION_NAMES,
    layout,
  };
}

/** Whether this account's stack holds the query resources. */
export function holdsQuery(plan: QueryPlan | undefined, account: AccountPlan): plan is QueryPlan {
  return plan !== undefined && plan.stackName === account.stackName;
}

/**
 * The table's location and its partition-projection template, as Athena reads them: `${account}`,
 * `${region}` and `${timestamp}` are projection placeholders, not Terraform interpolations (the
 * construct writes them through a Terraform expression so no `${` appears in the stack's text).
 */
export function tableLocation(plan: QueryPlan): { readonly location: string; readonly template: string } {
  const base = `s3://${plan.archiveBucket}/${plan.archivePrefix}`;
  return { location: base, template: `${base}\${account}/CloudTrail/\${region}/\${timestamp}` };
}
