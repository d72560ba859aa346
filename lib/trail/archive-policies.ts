/**
 * The archive's bucket and key policies as plain documents, pure (no cdktf): LogArchive renders
 * them, and the quota preflight (lib/quotas) measures their size at validate time against the S3
 * (20 KB) and KMS (32 KB) limits, so a config whose policies would not fit is refused before deploy.
 */
import type { TrailSections } from './schema';
import type { OrganizationPlan } from '../core/organization';
import { planQuery, type QueryPlan } from '../query/plan';
import { archiveBucketNames, trailLocations, trailMode } from './plan';
import { accountRoot, CLOUDTRAIL_PRINCIPAL, keyAdministration, oneOrMany, policyJson, type PolicyStatement } from '../core/policy';

/** Who the archive's policies name, derived from the organization plan (the trail feature builds LogArchive from it). */
export interface ArchiveAccess {
  readonly trailArns: readonly string[];
  readonly trailAccountIds: readonly string[];
  readonly describeKeyAccountIds: readonly string[];
  readonly organizationId?: string;
  readonly readerAccountIds: readonly string[];
  /** The Athena query role of another account (trail.archive.query), granted read of the log prefix only. @default none */
  readonly queryReader?: QueryReader;
}

/**
 * A named role in another account that Athena reads the archive as: it may list the log prefix,
 * get objects under it, and decrypt them only through S3 (kms:ViaService), nothing more. A role of
 * the log-archive account itself needs no statement here: its own IAM policy is enough for a bucket
 * and a key (through EnableAccountAdministration) of its account.
 */
export interface QueryReader {
  readonly roleArn: string;
  /** Key prefix, ending in `/`: `AWSLogs/<org id>/` or `AWSLogs/`. */
  readonly prefix: string;
  /** Region of the bucket and key (the S3 endpoint that calls KMS). */
  readonly region: string;
}

/** Who may write to and read the archive. `query`: the Plan's archive query (planned here when not given). */
export function archiveAccess(org: OrganizationPlan<TrailSections>, query: QueryPlan | undefined = planQuery(org)): ArchiveAccess {
  const config = org.config;
  const trails = trailLocations(org);
  const byName = new Map(org.accounts.map((a) => [a.stackName, a.accountId]));
  const logArchiveId = config.organization.logArchiveAccount.id;
  const readers = config.trail?.archive?.readerAccounts
    ? config.trail.archive.readerAccounts.map((n) => byName.get(n)!)
    : // Default readers: the log archive and the security account (if any), in stack order.
      org.accounts.filter((a) => a.role === 'log-archive' || a.role === 'security').map((a) => a.accountId);
  return {
    trailArns: trails.map((x) => x.arn),
    trailAccountIds: trails.map((x) => x.accountId),
    // Trails in other accounts look the key up by its alias ARN at plan time.
    describeKeyAccountIds: trails.map((x) => x.accountId).filter((id) => id !== logArchiveId),
    ...(trailMode(config) === 'organization' ? { organizationId: org.organizationId } : {}),
    readerAccountIds: readers,
    ...queryReaderOf(org, query),
  };
}

function queryReaderOf(org: OrganizationPlan<TrailSections>, q: QueryPlan | undefined): { queryReader?: QueryReader } {
  if (!q || q.accountId === org.config.organization.logArchiveAccount.id) return {};
  return { queryReader: { roleArn: q.roleArn, prefix: q.archivePrefix, region: q.region } };
}

/** The TLS-only deny every hardened bucket's policy starts with. */
export function tlsOnlyStatement(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** The archive bucket's and key's policy documents exactly as synthesized (JSON text). */
export function archivePolicyDocuments(org: OrganizationPlan<TrailSections>, query: QueryPlan | undefined = planQuery(org)): { readonly bucketPolicy: string; readonly keyPolicy: string } {
  const a = archiveAccess(org, query);
  const owner = org.config.organization.logArchiveAccount.id;
  const bucket = archiveBucketNames(org.config).archive;
  return {
    bucketPolicy: policyJson([tlsOnlyStatement(`arn:aws:s3:::${bucket}`), ...archiveBucketStatements(bucket, owner, a.trailArns, a.trailAccountIds, a.organizationId, a.readerAccountIds, a.queryReader)]),
    keyPolicy: policyJson(archiveKeyPolicy(owner, a.trailArns, a.trailAccountIds, a.readerAccountIds, a.describeKeyAccountIds, a.queryReader)),
  };
}

/** Key policy of the archive key. */
export function archiveKeyPolicy(
  ownerAccountId: string,
  trailArns: readonly string[],
  trailAccountIds: readonly string[],
  readerAccountIds: readonly string[],
  describeKeyAccountIds: readonly string[] = [],
  queryReader?: QueryReader,
): PolicyStatement[] {
  const sourceArn = { 'aws:SourceArn': oneOrMany(trailArns) };
  const describers = unique(describeKeyAccountIds).filter((id) => id !== ownerAccountId);
  return [
    keyAdministration(ownerAccountId),
    {
      Sid: 'AllowCloudTrailEncrypt',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_PRINCIPAL },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: sourceArn,
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': oneOrMany(unique(trailAccountIds).map((id) => `arn:aws:cloudtrail:*:${id}:trail/*`)) },
      },
    },
    {
      Sid: 'AllowCloudTrailDescribeKey',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_PRINCIPAL },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: sourceArn },
    },
    // Metadata only (ARN, state), to the trail accounts only: their plans resolve the alias ARN.
    ...(describers.length > 0
      ? [{ Sid: 'AllowTrailAccountsDescribeKey', Effect: 'Allow', Principal: { AWS: oneOrMany(describers.map(accountRoot)) }, Action: 'kms:DescribeKey', Resource: '*' } as const]
      : []),
    {
      Sid: 'AllowReadersDecrypt',
      Effect: 'Allow',
      Principal: { AWS: oneOrMany(unique(readerAccountIds).map(accountRoot)) },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } },
    },
    ...(queryReader
      ? [
          {
            Sid: 'AllowAthenaQueryRoleDecryptViaS3',
            Effect: 'Allow',
            Principal: { AWS: queryReader.roleArn },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: {
              StringEquals: { 'kms:ViaService': `s3.${queryReader.region}.amazonaws.com` },
              Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' },
            },
          } as const,
        ]
      : []),
  ];
}

/** Bucket policy statements of the log bucket (the TLS-only deny comes first, from HardenedBucket). */
export function archiveBucketStatements(
  bucketName: string,
  ownerAccountId: string,
  trailArns: readonly string[],
  trailAccountIds: readonly string[],
  organizationId: string | undefined,
  readerAccountIds: readonly string[],
  queryReader?: QueryReader,
): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const sourceArn = { 'aws:SourceArn': oneOrMany(trailArns) };
  const logPaths = [...unique(trailAccountIds), ...(organizationId ? [organizationId] : [])].map((id) => `${bucketArn}/AWSLogs/${id}/*`);
  const out: PolicyStatement[] = [
    {
      Sid: 'AllowCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_PRINCIPAL },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: sourceArn },
    },
    {
      Sid: 'AllowCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: CLOUDTRAIL_PRINCIPAL },
      Action: 's3:PutObject',
      Resource: oneOrMany(logPaths),
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...sourceArn } },
    },
  ];
  const otherReaders = unique(readerAccountIds).filter((id) => id !== ownerAccountId);
  if (otherReaders.length > 0) {
    out.push({
      Sid: 'AllowReaderAccountsRead',
      Effect: 'Allow',
      Principal: { AWS: oneOrMany(otherReaders.map(accountRoot)) },
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [bucketArn, `${bucketArn}/*`],
    });
  }
  if (queryReader) {
    out.push(
      {
        Sid: 'AllowAthenaQueryRoleList',
        Effect: 'Allow',
        Principal: { AWS: queryReader.roleArn },
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': `${queryReader.prefix}*` } },
      },
      {
        Sid: 'AllowAthenaQueryRoleRead',
        Effect: 'Allow',
        Principal: { AWS: queryReader.roleArn },
        Action: 's3:GetObject',
        Resource: `${bucketArn}/${queryReader.prefix}*`,
      },
    );
  }
  return out;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
