/**
 * The named role Athena queries run as: principals of its own account may assume it (through their
 * IAM policies); it may run queries in the workgroup, read the table's definition, write and read
 * results, and read the archive's log prefix, decrypting only through S3. The archive account's
 * bucket and key policies name this role (lib/trail/archive-policies.ts) for the same three things.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ARCHIVE_KEY_ALIAS } from '../trail/plan';
import { accountRoot, policyJson, type PolicyStatement } from '../core/policy';

export interface QueryRoleProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly roleName: string;
  readonly workgroupArn: string;
  readonly database: string;
  readonly table: string;
  readonly resultsBucketArn: string;
  readonly resultsKeyArn: string;
  readonly archiveBucket: string;
  /** Account of the archive bucket and key. */
  readonly archiveAccountId: string;
  /** Key prefix of the logs, ending in `/`. */
  readonly archivePrefix: string;
}

export class QueryRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: QueryRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      provider: props.provider,
      name: props.roleName,
      description: 'trailwatch: runs Athena queries over the CloudTrail archive (read only)',
      assumeRolePolicy: policyJson([{ Sid: 'AssumedFromThisAccount', Effect: 'Allow', Principal: { AWS: accountRoot(props.accountId) }, Action: 'sts:AssumeRole' }]),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, 'permissions', { provider: props.provider, role: role.name, name: 'athena-query', policy: policyJson(queryRoleStatements(props)) });
    this.roleArn = role.arn;
  }
}

export function queryRoleStatements(p: Omit<QueryRoleProps, 'provider' | 'roleName'>): PolicyStatement[] {
  const glue = (what: string) => `arn:aws:glue:${p.region}:${p.accountId}:${what}`;
  const archiveArn = `arn:aws:s3:::${p.archiveBucket}`;
  return [
    {
      Sid: 'RunQueriesInTheWorkgroup',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution',
        'athena:StopQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:GetQueryRuntimeStatistics',
        'athena:BatchGetQueryExecution',
        'athena:ListQueryExecutions',
        'athena:GetWorkGroup',
        'athena:GetNamedQuery',
        'athena:BatchGetNamedQuery',
        'athena:ListNamedQueries',
      ],
      Resource: p.workgroupArn,
    },
    {
      Sid: 'ReadTheTableDefinition',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
      Resource: [glue('catalog'), glue(`database/${p.database}`), glue(`table/${p.database}/${p.table}`)],
    },
    { Sid: 'ListResults', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: p.resultsBucketArn },
    { Sid: 'WriteAndReadResults', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: `${p.resultsBucketArn}/*` },
    { Sid: 'EncryptResults', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: p.resultsKeyArn },
    { Sid: 'ListTheLogPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: archiveArn, Condition: { StringLike: { 's3:prefix': `${p.archivePrefix}*` } } },
    { Sid: 'ReadTheLogs', Effect: 'Allow', Action: 's3:GetObject', Resource: `${archiveArn}/${p.archivePrefix}*` },
    {
      Sid: 'DecryptTheLogsThroughS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: `arn:aws:kms:${p.region}:${p.archiveAccountId}:key/*`,
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${p.region}.amazonaws.com` },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ARCHIVE_KEY_ALIAS },
      },
    },
  ];
}
