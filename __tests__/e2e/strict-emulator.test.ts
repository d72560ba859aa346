/**
 * The strict emulator: moto_launcher.py refuses what AWS refuses (its STRICT_RULES), so a stack
 * that would fail on AWS fails the end-to-end tests too. For every rule, the broken form is refused
 * with AWS's error code and the correct form is accepted, through boto3 (aws_api.py) against the
 * launcher, as the provider would call it. No Terraform here: it runs in seconds.
 *
 * Accounts are assumed roles, as the stacks' providers do: the management account M owns the
 * organization and the trail, the log archive L owns the bucket and the trail's key.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import type { ApiCall, ApiResult } from './support/api-checks';
import { findPython, startEmulator, type Emulator } from './support/emulator';
import { synthConfigFile } from '../support/example';

const M = '111111111111';
const L = '222222222222';
const REGION = 'us-east-1';
const ORG_ID = 'o-a1b2c3d4e5';
const roles: Record<string, string> = {
  [M]: `arn:aws:iam::${M}:role/TrailwatchDeployRole`,
  [L]: `arn:aws:iam::${L}:role/OrganizationAccountAccessRole`,
};

let work: string;
let emulator: Emulator;
/** One `aws_api.py --serve` for the whole file: Python and boto3 start once, not per batch. */
let boto: { child: ChildProcess; answers: AsyncIterator<string> };

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-strict-emulator-'));
  // The launcher reads its settings from the environment it inherits; restore ours right away.
  const saved = process.env.TRAILWATCH_MOTO_ORGANIZATION_ID;
  process.env.TRAILWATCH_MOTO_ORGANIZATION_ID = ORG_ID;
  try {
    emulator = await startEmulator(path.join(work, 'moto.log'));
  } finally {
    if (saved === undefined) delete process.env.TRAILWATCH_MOTO_ORGANIZATION_ID;
    else process.env.TRAILWATCH_MOTO_ORGANIZATION_ID = saved;
  }
  const child = spawn(findPython(), [path.join(__dirname, 'aws_api.py'), '--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  boto = { child, answers: readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}, 90_000);

afterAll(async () => {
  boto?.child.stdin!.end();
  await emulator?.stop();
  if (work && !process.env.TRAILWATCH_E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
});

beforeEach(() => emulator.reset());

// --- helpers ------------------------------------------------------------------------------------

type Json = Record<string, any>;

const call = (account: string, service: string, operation: string, params: Json = {}, region = REGION): ApiCall => ({ account, region, service, operation, params });

/** Runs the calls in order through boto3 (aws_api.py); a failed call does not stop the next ones. */
async function run(...calls: ApiCall[]): Promise<ApiResult[]> {
  boto.child.stdin!.write(JSON.stringify({ endpoint: emulator.endpoint, roles, calls }) + '\n');
  const answer = await boto.answers.next();
  if (answer.done) throw new Error(`aws_api.py --serve exited (code ${boto.child.exitCode})`);
  const results = JSON.parse(answer.value) as ApiResult[];
  expect(results).toHaveLength(calls.length);
  return results;
}

/** 'ok' or the error code of each result. */
const outcomes = (results: readonly ApiResult[]) => results.map((r) => (r.error ? r.error.code : 'ok'));
const last = (results: readonly ApiResult[]) => results[results.length - 1];

const policy = (...Statement: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trailArn = (name: string) => `arn:aws:cloudtrail:${REGION}:${M}:trail/${name}`;

/** The organization of M with all features; `trusted`: CloudTrail trusted access on. */
const organization = (trusted = true) => [
  call(M, 'organizations', 'create_organization', { FeatureSet: 'ALL' }),
  ...(trusted ? [call(M, 'organizations', 'enable_aws_service_access', { ServicePrincipal: 'cloudtrail.amazonaws.com' })] : []),
];

/** The CloudTrail statements of the user guide's bucket policy, for the trail's paths. */
function cloudTrailBucketStatements(bucket: string, trail: string, paths: string[]): Json[] {
  return [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'AclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: { StringEquals: { 'aws:SourceArn': trail } },
    },
    {
      Sid: 'Write',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: paths.map((p) => `arn:aws:s3:::${bucket}/${p}/*`),
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trail } },
    },
  ];
}

/** A bucket in the log archive with that policy (none when `statements` is undefined). */
const archiveBucket = (bucket: string, statements?: Json[]) => [
  call(L, 's3', 'create_bucket', { Bucket: bucket }),
  ...(statements ? [call(L, 's3', 'put_bucket_policy', { Bucket: bucket, Policy: policy(...statements) })] : []),
];

const adminStatement = (account: string) => ({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });

/** The key policy statements CloudTrail needs for one trail (user guide, "Configure AWS KMS key policies for CloudTrail"). */
const cloudTrailKeyStatements = (trail: string) => [
  {
    Sid: 'Encrypt',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Resource: '*',
    Condition: { StringEquals: { 'aws:SourceArn': trail }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${M}:trail/*` } },
  },
  { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': trail } } },
];

interface KeySpec {
  readonly account: string;
  readonly statements: Json[];
  /** Also creates alias/<alias> for the key. */
  readonly alias?: string;
  readonly region?: string;
}

/** Creates keys with those policies (and aliases), in two calls of aws_api.py; returns their metadata. */
async function keys(...specs: KeySpec[]): Promise<Json[]> {
  const created = await run(...specs.map((k) => call(k.account, 'kms', 'create_key', { Policy: policy(...k.statements) }, k.region)));
  expect(outcomes(created)).toEqual(specs.map(() => 'ok'));
  const metadata = created.map((r) => r.result!.KeyMetadata as Json);
  const aliases = specs.flatMap((k, i) => (k.alias ? [call(k.account, 'kms', 'create_alias', { AliasName: `alias/${k.alias}`, TargetKeyId: metadata[i].KeyId }, k.region)] : []));
  if (aliases.length > 0) expect(outcomes(await run(...aliases))).toEqual(aliases.map(() => 'ok'));
  return metadata;
}

// --- CloudWatch Logs ----------------------------------------------------------------------------

describe('CloudWatch Logs', () => {
  const filter = (group: string) =>
    call(M, 'logs', 'put_metric_filter', {
      logGroupName: group,
      filterName: 'root-usage',
      filterPattern: '{ $.userIdentity.type = "Root" }',
      metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    });

  test('PutMetricFilter on a log group that does not exist yet is refused; once the group exists it is created', async () => {
    const r = await run(filter('aws-cloudtrail-logs/trailwatch'), call(M, 'logs', 'create_log_group', { logGroupName: 'aws-cloudtrail-logs/trailwatch' }), filter('aws-cloudtrail-logs/trailwatch'), call(M, 'logs', 'describe_metric_filters', { logGroupName: 'aws-cloudtrail-logs/trailwatch' }));
    expect(outcomes(r)).toEqual(['ResourceNotFoundException', 'ok', 'ok', 'ok']);
    expect(r[0].error!.message).toBe('The specified log group does not exist.');
    expect(r[3].result!.metricFilters.map((f: Json) => f.filterName)).toEqual(['root-usage']);
  });

  test('PutMetricFilter with a name the log group has replaces that filter (moto appended a second); one delete removes it', async () => {
    const group = 'aws-cloudtrail-logs/replace';
    const edited = call(M, 'logs', 'put_metric_filter', {
      logGroupName: group,
      filterName: 'root-usage',
      filterPattern: '{ $.eventName = "Tampered" }',
      metricTransformations: [{ metricName: 'RootUsage', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    });
    const describe = call(M, 'logs', 'describe_metric_filters', { logGroupName: group });
    const r = await run(call(M, 'logs', 'create_log_group', { logGroupName: group }), filter(group), edited, describe, call(M, 'logs', 'delete_metric_filter', { logGroupName: group, filterName: 'root-usage' }), describe);
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r[3].result!.metricFilters.map((f: Json) => f.filterPattern)).toEqual(['{ $.eventName = "Tampered" }']);
    expect(last(r).result!.metricFilters).toEqual([]);
  });

  test('CreateLogGroup with a KMS key whose policy does not let logs.<region>.amazonaws.com use it for that group is refused', async () => {
    const group = 'aws-cloudtrail-logs/trailwatch';
    const groupArn = `arn:aws:logs:${REGION}:${M}:log-group:${group}`;
    const logsStatement = (context: string) => ({
      Effect: 'Allow',
      Principal: { Service: `logs.${REGION}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': context } },
    });
    const [bare, otherGroup, right] = await keys(
      { account: M, statements: [adminStatement(M)] },
      { account: M, statements: [adminStatement(M), logsStatement(`${groupArn}-other`)] },
      { account: M, statements: [adminStatement(M), logsStatement(groupArn)] },
    );
    const r = await run(
      call(M, 'logs', 'create_log_group', { logGroupName: group, kmsKeyId: bare.Arn }),
      call(M, 'logs', 'create_log_group', { logGroupName: group, kmsKeyId: otherGroup.Arn }),
      call(M, 'logs', 'create_log_group', { logGroupName: group, kmsKeyId: right.Arn }),
    );
    expect(outcomes(r)).toEqual(['AccessDeniedException', 'AccessDeniedException', 'ok']);
    expect(r[0].error!.message).toContain(`The specified KMS key does not exist or is not allowed to be used with Arn '${groupArn}'`);
  });
});

// --- CloudTrail ---------------------------------------------------------------------------------

describe('CloudTrail: an organization trail needs the organization set up for it', () => {
  const bucket = 'org-trail-archive';
  const trail = trailArn('org-trail');
  const bucketPolicy = cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`, `AWSLogs/${ORG_ID}`]);
  const createTrail = (account = M) => call(account, 'cloudtrail', 'create_trail', { Name: 'org-trail', S3BucketName: bucket, IsOrganizationTrail: true, IsMultiRegionTrail: true });

  test('no organization, then no CloudTrail trusted access: refused; with trusted access from the management account: created', async () => {
    const r = await run(
      ...archiveBucket(bucket, bucketPolicy),
      createTrail(),
      ...organization(false),
      createTrail(),
      call(M, 'organizations', 'enable_aws_service_access', { ServicePrincipal: 'cloudtrail.amazonaws.com' }),
      createTrail(),
      call(M, 'cloudtrail', 'get_trail', { Name: trail }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'OrganizationsNotInUseException', 'ok', 'CloudTrailAccessNotEnabledException', 'ok', 'ok', 'ok']);
    expect(r[3].result!.Organization.Id).toBe(ORG_ID);
    expect(r[4].error!.message).toMatch(/^The request could not be processed because your organization hasn’t enabled CloudTrail service access/);
    expect(last(r).result!.Trail).toMatchObject({ TrailARN: trail, IsOrganizationTrail: true });
  });

  test('an organization without all features: OrganizationNotInAllFeaturesModeException', async () => {
    const r = await run(
      ...archiveBucket(bucket, bucketPolicy),
      call(M, 'organizations', 'create_organization', { FeatureSet: 'CONSOLIDATED_BILLING' }),
      call(M, 'organizations', 'enable_aws_service_access', { ServicePrincipal: 'cloudtrail.amazonaws.com' }),
      createTrail(),
    );
    expect(outcomes(r).slice(-1)).toEqual(['OrganizationNotInAllFeaturesModeException']);
  });

  test('a member account: NotOrganizationMasterAccountException', async () => {
    const created = await run(...organization(), call(M, 'organizations', 'create_account', { AccountName: 'member', Email: 'member@example.com' }));
    const member: string = last(created).result!.CreateAccountStatus.AccountId;
    roles[member] = `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`;
    const r = await run(...archiveBucket(bucket, bucketPolicy), createTrail(member));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'NotOrganizationMasterAccountException']);
  });

  test('UpdateTrail that turns a trail into an organization trail is checked the same way', async () => {
    const r = await run(
      ...archiveBucket(bucket, bucketPolicy),
      call(M, 'cloudtrail', 'create_trail', { Name: 'org-trail', S3BucketName: bucket }),
      call(M, 'cloudtrail', 'update_trail', { Name: trail, IsOrganizationTrail: true }),
      ...organization(),
      call(M, 'cloudtrail', 'update_trail', { Name: trail, IsOrganizationTrail: true }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'OrganizationsNotInUseException', 'ok', 'ok', 'ok']);
  });
});

describe('CloudTrail: the bucket policy (bucket in another account) must let CloudTrail write for this trail', () => {
  const bucket = 'trail-archive';
  const trail = trailArn('main');
  const create = (extra: Json = {}) => call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket, IsMultiRegionTrail: true, ...extra });
  const refusedWith = async (statements: Json[] | undefined, extra: Json = {}, setup: ApiCall[] = []) => {
    const r = await run(...setup, ...archiveBucket(bucket, statements), create(extra));
    return last(r).error;
  };

  test('no policy, another trail’s aws:SourceArn, a missing write path, a missing ACL check, an explicit Deny, a wrong prefix: InsufficientS3BucketPolicyException', async () => {
    // One bucket and one trail per case, side by side.
    const cases: Record<string, (bucket: string, trail: string) => { statements?: Json[]; prefix?: string }> = {
      'no policy': () => ({}),
      'another trail': (b) => ({ statements: cloudTrailBucketStatements(b, trailArn('other'), [`AWSLogs/${M}`]) }),
      'another account path': (b, t) => ({ statements: cloudTrailBucketStatements(b, t, [`AWSLogs/${L}`]) }),
      'no ACL check': (b, t) => ({ statements: cloudTrailBucketStatements(b, t, [`AWSLogs/${M}`]).filter((x) => x.Sid !== 'AclCheck') }),
      'denied explicitly': (b, t) => ({
        statements: [...cloudTrailBucketStatements(b, t, [`AWSLogs/${M}`]), { Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${b}/*` }],
      }),
      'prefix not in the path': (b, t) => ({ statements: cloudTrailBucketStatements(b, t, [`AWSLogs/${M}`]), prefix: 'cloudtrail' }),
    };
    const names = Object.keys(cases);
    const calls = names.flatMap((name, i) => {
      const [b, t] = [`${bucket}-${i}`, `case-${i}`];
      const { statements, prefix } = cases[name](b, trailArn(t));
      return [...archiveBucket(b, statements), call(M, 'cloudtrail', 'create_trail', { Name: t, S3BucketName: b, ...(prefix ? { S3KeyPrefix: prefix } : {}) })];
    });
    const r = await run(...calls);
    const trails = r.filter((_, i) => calls[i].operation === 'create_trail');
    expect(Object.fromEntries(names.map((n, i) => [n, trails[i].error?.code ?? 'ok']))).toEqual(Object.fromEntries(names.map((n) => [n, 'InsufficientS3BucketPolicyException'])));
    expect(outcomes(r.filter((_, i) => calls[i].operation !== 'create_trail')).every((o) => o === 'ok')).toBe(true);
  });

  test('an organization trail also needs AWSLogs/<org-id>/ writable', async () => {
    const error = await refusedWith(cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`]), { IsOrganizationTrail: true }, organization());
    expect(error?.code).toBe('InsufficientS3BucketPolicyException');
    expect(error?.message).toMatch(new RegExp(`^Incorrect S3 bucket policy is detected for bucket: ${bucket} .*AWSLogs/${ORG_ID}/`));
  });

  test('the user guide’s policy (deny-insecure-transport included), list values, ArnLike and aws:SourceAccount: created, with and without prefix', async () => {
    expect(await refusedWith(cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`, `AWSLogs/${ORG_ID}`]), { IsOrganizationTrail: true }, organization())).toBeUndefined();
    await emulator.reset();
    const wildcard = cloudTrailBucketStatements(bucket, trail, [`cloudtrail/AWSLogs/${M}`]).map((s) =>
      s.Effect === 'Allow'
        ? { ...s, Action: s.Sid === 'Write' ? ['s3:Put*'] : s.Action, Condition: { ArnLike: { 'aws:SourceArn': [trailArn('other'), `arn:aws:cloudtrail:*:${M}:trail/*`] }, StringEquals: { 'aws:SourceAccount': [M] } } }
        : s,
    );
    expect(await refusedWith(wildcard, { S3KeyPrefix: 'cloudtrail' })).toBeUndefined();
  });

  test('UpdateTrail to a bucket without the policy is refused', async () => {
    const r = await run(
      ...archiveBucket(bucket, cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`])),
      create(),
      call(L, 's3', 'create_bucket', { Bucket: 'no-policy-bucket' }),
      call(M, 'cloudtrail', 'update_trail', { Name: trail, S3BucketName: 'no-policy-bucket' }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'InsufficientS3BucketPolicyException']);
  });
});

describe('CloudTrail: the KMS key (in another account) must let CloudTrail encrypt for this trail', () => {
  const bucket = 'trail-archive';
  const trail = trailArn('main');
  const setup = archiveBucket(bucket, cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`]));
  const create = (KmsKeyId: string) => call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket, KmsKeyId });

  test('no CloudTrail statement, or one for another trail: InsufficientEncryptionPolicyException', async () => {
    const [bare, other] = await keys({ account: L, statements: [adminStatement(L)] }, { account: L, statements: [adminStatement(L), ...cloudTrailKeyStatements(trailArn('other'))] });
    const r = await run(...setup, create(bare.Arn), create(other.Arn));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'InsufficientEncryptionPolicyException', 'InsufficientEncryptionPolicyException']);
    expect(r[2].error!.message).toMatch(new RegExp(`^Insufficient permissions to access S3 bucket ${bucket} or KMS key ${bare.Arn}\\.`));
  });

  test('a key that does not exist, or in another Region than the bucket: KmsKeyNotFoundException', async () => {
    const [elsewhere] = await keys({ account: L, statements: [adminStatement(L), ...cloudTrailKeyStatements(trail)], region: 'eu-west-1' });
    const r = await run(...setup, create(`arn:aws:kms:${REGION}:${L}:alias/missing`), create(elsewhere.Arn));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'KmsKeyNotFoundException', 'KmsKeyNotFoundException']);
  });

  test('given the alias ARN of a key that allows it: created, and GetTrail / DescribeTrails report the key ARN', async () => {
    const [key] = await keys({ account: L, alias: 'trailwatch-cloudtrail', statements: [adminStatement(L), ...cloudTrailKeyStatements(trail)] });
    const aliasArn = `arn:aws:kms:${REGION}:${L}:alias/trailwatch-cloudtrail`;
    const r = await run(
      ...setup,
      create(aliasArn),
      call(M, 'cloudtrail', 'get_trail', { Name: trail }),
      call(M, 'cloudtrail', 'describe_trails', { trailNameList: [trail] }),
      call(M, 'cloudtrail', 'update_trail', { Name: trail, KmsKeyId: aliasArn }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect([r[2].result!.KmsKeyId, r[3].result!.Trail.KmsKeyId, r[4].result!.trailList[0].KmsKeyId, r[5].result!.KmsKeyId]).toEqual([key.Arn, key.Arn, key.Arn, key.Arn]);
  });
});

describe('CloudTrail: CloudWatch Logs delivery', () => {
  const bucket = 'trail-archive';
  const trail = trailArn('main');
  const group = 'aws-cloudtrail-logs/trailwatch';
  const groupArn = `arn:aws:logs:${REGION}:${M}:log-group:${group}`;
  const roleArn = `arn:aws:iam::${M}:role/cloudtrail-to-logs`;
  const writeLogs = policy({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${groupArn}:log-stream:*` });
  const trust = (condition?: Json) => policy({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) });
  const setup = (trustPolicy: string, rolePolicy = writeLogs) => [
    ...archiveBucket(bucket, cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`])),
    call(M, 'logs', 'create_log_group', { logGroupName: group }),
    call(M, 'iam', 'create_role', { RoleName: 'cloudtrail-to-logs', AssumeRolePolicyDocument: trustPolicy }),
    call(M, 'iam', 'put_role_policy', { RoleName: 'cloudtrail-to-logs', PolicyName: 'write', PolicyDocument: rolePolicy }),
  ];
  const create = (group = `${groupArn}:*`) => call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket, CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: roleArn });

  test('a trust policy that requires aws:SourceArn/aws:SourceAccount (CloudTrail sends neither for this role), or a role that may not write: refused', async () => {
    const conditioned = await run(...setup(trust({ StringEquals: { 'aws:SourceArn': trail, 'aws:SourceAccount': M } })), create());
    expect(last(conditioned).error).toMatchObject({ code: 'InvalidCloudWatchLogsLogGroupArnException' });
    expect(last(conditioned).error!.message).toMatch(/^Access denied\. Verify in IAM that the role has adequate permissions\./);
    await emulator.reset();
    const readOnly = await run(...setup(trust(), policy({ Effect: 'Allow', Action: 'logs:CreateLogStream', Resource: `${groupArn}:log-stream:*` })), create());
    expect(last(readOnly).error?.code).toBe('InvalidCloudWatchLogsLogGroupArnException');
  });

  test('a log group ARN without the :* stream wildcard is refused; the documented role is accepted', async () => {
    const r = await run(...setup(trust()), create(groupArn), create());
    expect(outcomes(r).slice(-2)).toEqual(['InvalidCloudWatchLogsLogGroupArnException', 'ok']);
  });
});

// --- Lambda -------------------------------------------------------------------------------------

describe('Lambda', () => {
  const lambdaTrust = policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': M } } });
  const role = (name: string, trustPolicy: string) => call(M, 'iam', 'create_role', { RoleName: name, AssumeRolePolicyDocument: trustPolicy });
  const fn = (name: string, Runtime: string, roleName = 'responder') =>
    call(M, 'lambda', 'create_function', { FunctionName: name, Runtime, Role: `arn:aws:iam::${M}:role/${roleName}`, Handler: 'index.handler', Code: { ZipFile: 'zip' } });

  test('CreateFunction with a runtime past its block-create date (nodejs20.x) is refused with AWS’s message; a supported runtime is created', async () => {
    const r = await run(role('responder', lambdaTrust), fn('old', 'nodejs20.x'), fn('new', 'nodejs24.x'));
    expect(outcomes(r)).toEqual(['ok', 'InvalidParameterValueException', 'ok']);
    expect(r[1].error!.message).toBe(
      'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (nodejs24.x) while creating or updating functions.',
    );
  });

  test('UpdateFunctionConfiguration to a runtime past its block-update date is refused', async () => {
    const r = await run(role('responder', lambdaTrust), fn('f', 'nodejs22.x'), call(M, 'lambda', 'update_function_configuration', { FunctionName: 'f', Runtime: 'nodejs20.x' }), call(M, 'lambda', 'update_function_configuration', { FunctionName: 'f', Runtime: 'nodejs24.x' }));
    expect(outcomes(r)).toEqual(['ok', 'ok', 'InvalidParameterValueException', 'ok']);
  });

  test('an execution role Lambda may not assume is refused', async () => {
    const ec2Trust = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    const r = await run(role('ec2-role', ec2Trust), fn('f', 'nodejs24.x', 'ec2-role'));
    expect(last(r).error).toMatchObject({ code: 'InvalidParameterValueException' });
    expect(last(r).error!.message).toMatch(/^The role defined for the function cannot be assumed by Lambda\./);
  });
});

// --- EventBridge --------------------------------------------------------------------------------

describe('EventBridge', () => {
  const rule = (Name: string, State: string) => call(M, 'events', 'put_rule', { Name, State, EventPattern: JSON.stringify({ source: ['aws.iam'] }) });

  test('PutRule keeps and returns ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; an unknown state is a ValidationException', async () => {
    const r = await run(
      rule('read-only-too', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'),
      call(M, 'events', 'describe_rule', { Name: 'read-only-too' }),
      call(M, 'events', 'list_rules', {}),
      rule('typo', 'ENABLED_WITH_ALL_CLOUDTRAIL_EVENTS'),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ValidationException']);
    expect(r[1].result!.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(r[2].result!.Rules.map((x: Json) => [x.Name, x.State])).toEqual([['read-only-too', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']]);
  });

  const withPattern = (Name: string, detail: Json) => call(M, 'events', 'put_rule', { Name, EventPattern: JSON.stringify({ 'detail-type': ['AWS API Call via CloudTrail'], detail }) });

  test('PutRule accepts the event-pattern forms AWS documents (those trailwatch renders among them)', async () => {
    const r = await run(
      withPattern('exact-and-prefix', { eventSource: ['iam.amazonaws.com'], eventName: [{ prefix: 'Delete' }, { suffix: 'Policy' }, { wildcard: 'Put*Policy' }] }),
      withPattern('anything-but-list', { eventName: [{ 'anything-but': ['HeadBucket', 'GetObject'] }] }),
      withPattern('anything-but-wildcard', { userIdentity: { arn: [{ 'anything-but': { wildcard: 'arn:aws:sts::*:assumed-role/ReadOnly/*' } }] } }),
      withPattern('anything-but-prefix', { awsRegion: [{ 'anything-but': { prefix: 'us-' } }] }),
      withPattern('or-exists', { $or: [{ userIdentity: { arn: [{ exists: false }] } }, { userIdentity: { arn: [{ 'anything-but': ['x'] }] } }] }),
      withPattern('ignore-case-numeric-null', { a: [{ 'equals-ignore-case': 'yes' }], b: [{ numeric: ['>', 0, '<=', 5] }], c: [null, true, 1] }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });

  test('PutRule refuses event patterns AWS does not document: InvalidEventPatternException', async () => {
    const r = await run(
      withPattern('not-in-array', { eventName: 'DeleteTrail' }),
      withPattern('empty-array', { eventName: [] }),
      withPattern('anything-but-wildcard-list', { userIdentity: { arn: [{ 'anything-but': { wildcard: ['a*', 'b*'] } }] } }),
      withPattern('exists-as-string', { errorCode: [{ exists: 'false' }] }),
      withPattern('or-of-one', { $or: [{ eventName: ['A'] }] }),
      withPattern('unknown-operator', { eventName: [{ regex: 'Delete.*' }] }),
      call(M, 'events', 'put_rule', { Name: 'not-json', EventPattern: '{detail' }),
    );
    expect(outcomes(r)).toEqual(Array(7).fill('InvalidEventPatternException'));
    expect(r[0].error!.message).toMatch(/^Event pattern is not valid\. Reason: /);
  });

  test('every event pattern trailwatch synthesizes for the example passes the documented-pattern check', async () => {
    const out = synthConfigFile();
    const patterns = [...new Set(out.stacks.flatMap((st) => Object.values(out.json(st).resource?.aws_cloudwatch_event_rule ?? {}).map((x: any) => x.event_pattern as string)))];
    expect(patterns.some((p) => p.includes('"anything-but":{"wildcard":"'))).toBe(true);
    const r = await run(...patterns.map((EventPattern, i) => call(M, 'events', 'put_rule', { Name: `example-${i}`, EventPattern })));
    expect(r.map((x, i) => (x.error ? `${patterns[i]}: ${x.error.message}` : 'ok'))).toEqual(patterns.map(() => 'ok'));
  });

  const trust = (service: string) => policy({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': M } } });
  const target = (Id: string, Arn: string, RoleArn?: string) => call(M, 'events', 'put_targets', { Rule: 'forward', Targets: [{ Id, Arn, ...(RoleArn ? { RoleArn } : {}) }] });
  const centralBus = `arn:aws:events:${REGION}:${L}:event-bus/trailwatch-detections`;

  test('PutTargets: a bus in another account needs a RoleArn of the rule\'s account that EventBridge may assume', async () => {
    const r = await run(
      call(M, 'iam', 'create_role', { RoleName: 'forwarder', AssumeRolePolicyDocument: trust('events.amazonaws.com') }),
      call(M, 'iam', 'create_role', { RoleName: 'ec2-only', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }),
      withPattern('forward', { eventName: ['DeleteTrail'] }),
      target('no-role', centralBus),
      target('other-account-role', centralBus, `arn:aws:iam::${L}:role/forwarder`),
      target('missing-role', centralBus, `arn:aws:iam::${M}:role/nobody`),
      target('untrusted-role', centralBus, `arn:aws:iam::${M}:role/ec2-only`),
      target('cross-region-no-role', `arn:aws:events:eu-west-1:${M}:event-bus/trailwatch-detections`),
      target('ok', centralBus, `arn:aws:iam::${M}:role/forwarder`),
      // A bus of the same account and Region: a role is what AWS sets up (eb-bus-to-bus), not required.
      target('same-account-bus', `arn:aws:events:${REGION}:${M}:event-bus/default`),
      call(M, 'events', 'list_targets_by_rule', { Rule: 'forward' }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ValidationException', 'ValidationException', 'ValidationException', 'ValidationException', 'ValidationException', 'ok', 'ok', 'ok']);
    expect(r[3].error!.message).toMatch(/needs RoleArn/);
    expect(r[6].error!.message).toMatch(/cannot assume .*ec2-only/);
    expect(last(r).result!.Targets.map((t: Json) => t.Id).sort()).toEqual(['ok', 'same-account-bus']);
  });
});

// --- KMS ----------------------------------------------------------------------------------------

describe('KMS', () => {
  test('DescribeKey of another account’s key by alias ARN or key ARN: denied unless its policy grants the caller’s account; unknown alias: NotFoundException', async () => {
    const [key] = await keys({ account: L, alias: 'trailwatch-cloudtrail', statements: [adminStatement(L)] });
    const aliasArn = `arn:aws:kms:${REGION}:${L}:alias/trailwatch-cloudtrail`;
    const denied = await run(call(M, 'kms', 'describe_key', { KeyId: aliasArn }), call(M, 'kms', 'describe_key', { KeyId: key.Arn }), call(M, 'kms', 'describe_key', { KeyId: `arn:aws:kms:${REGION}:${L}:alias/missing` }));
    expect(outcomes(denied)).toEqual(['AccessDeniedException', 'AccessDeniedException', 'NotFoundException']);
    const grant = { Sid: 'ManagementReadsKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${M}:root` }, Action: 'kms:DescribeKey', Resource: '*' };
    const allowed = await run(
      call(L, 'kms', 'put_key_policy', { KeyId: key.KeyId, PolicyName: 'default', Policy: policy(adminStatement(L), grant) }),
      call(M, 'kms', 'describe_key', { KeyId: aliasArn }),
      call(M, 'kms', 'describe_key', { KeyId: key.Arn }),
    );
    expect(outcomes(allowed)).toEqual(['ok', 'ok', 'ok']);
    expect([allowed[1].result!.KeyMetadata.Arn, allowed[2].result!.KeyMetadata.AWSAccountId]).toEqual([key.Arn, L]);
  });

  test('a key policy that would lock the caller out is refused unless BypassPolicyLockoutSafetyCheck', async () => {
    const lockedOut = policy(adminStatement(M));
    const r = await run(call(L, 'kms', 'create_key', { Policy: lockedOut }), call(L, 'kms', 'create_key', { Policy: lockedOut, BypassPolicyLockoutSafetyCheck: true }), call(L, 'kms', 'create_key', { Policy: policy(adminStatement(L)) }));
    expect(outcomes(r)).toEqual(['MalformedPolicyDocumentException', 'ok', 'ok']);
    expect(r[0].error!.message).toMatch(/^The new key policy will not allow you to update the key policy in the future\./);
  });
});

describe('policies naming a role', () => {
  // The archive's bucket and key policies name the Athena query role of another account (trail.archive.query).
  const role = `arn:aws:iam::${M}:role/trailwatch-athena-query`;
  const read = { Sid: 'Read', Effect: 'Allow', Principal: { AWS: role }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::query-archive/AWSLogs/*' };
  const decrypt = { Sid: 'Decrypt', Effect: 'Allow', Principal: { AWS: role }, Action: 'kms:Decrypt', Resource: '*' };
  const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${M}:root` }, Action: 'sts:AssumeRole' });

  test('S3 and KMS refuse a policy naming a role that does not exist, and accept it once the role exists', async () => {
    const r = await run(
      ...archiveBucket('query-archive', [read]),
      call(L, 'kms', 'create_key', { Policy: policy(adminStatement(L), decrypt) }),
      call(M, 'iam', 'create_role', { RoleName: 'trailwatch-athena-query', AssumeRolePolicyDocument: trust }),
      call(L, 's3', 'put_bucket_policy', { Bucket: 'query-archive', Policy: policy(read) }),
      call(L, 'kms', 'create_key', { Policy: policy(adminStatement(L), decrypt) }),
    );
    expect(outcomes(r)).toEqual(['ok', 'MalformedPolicy', 'MalformedPolicyDocumentException', 'ok', 'ok', 'ok']);
    expect(r[1].error!.message).toMatch(/^Invalid principal in policy/);
    expect(r[2].error!.message).toMatch(/^Policy contains a statement with one or more invalid principals\./);
  });
});

// --- the patches that fix moto defects still hold, and nothing above crashed moto -------------

describe('CloudWatch Contributor Insights (per-key detections)', () => {
  const group = 'aws-cloudtrail-logs/trailwatch';
  const body = (over: Json = {}, contribution: Json = {}) =>
    JSON.stringify({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: [group],
      LogFormat: 'JSON',
      Contribution: { Keys: ['$.userIdentity.arn'], Filters: [{ Match: '$.eventName', In: ['GetSecretValue'] }], ...contribution },
      AggregateOn: 'Count',
      ...over,
    });
  const put = (RuleDefinition: string, RuleName = 'trailwatch-secrets-harvesting', RuleState = 'ENABLED') => call(M, 'cloudwatch', 'put_insight_rule', { RuleName, RuleState, RuleDefinition });
  const ruleArn = `arn:aws:cloudwatch:${REGION}:${M}:insight-rule/trailwatch-secrets-harvesting`;

  test('PutInsightRule on a log group that does not exist is refused; once it exists the rule is created, described, tagged and deleted', async () => {
    const r = await run(
      put(body()),
      call(M, 'logs', 'create_log_group', { logGroupName: group }),
      put(body()),
      call(M, 'cloudwatch', 'describe_insight_rules'),
      call(M, 'cloudwatch', 'tag_resource', { ResourceARN: ruleArn, Tags: [{ Key: 'owner', Value: 'trailwatch' }] }),
      call(M, 'cloudwatch', 'list_tags_for_resource', { ResourceARN: ruleArn }),
      call(M, 'cloudwatch', 'delete_insight_rules', { RuleNames: ['trailwatch-secrets-harvesting'] }),
      call(M, 'cloudwatch', 'describe_insight_rules'),
    );
    expect(outcomes(r)).toEqual(['InvalidParameterValue', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r[0].error!.message).toMatch(/log group aws-cloudtrail-logs\/trailwatch does not exist/);
    expect(r[3].result!.InsightRules).toEqual([expect.objectContaining({ Name: 'trailwatch-secrets-harvesting', State: 'ENABLED', Definition: body() })]);
    expect(r[5].result!.Tags).toEqual([{ Key: 'owner', Value: 'trailwatch' }]);
    expect(last(r).result!.InsightRules ?? []).toEqual([]);
  });

  test('a rule\'s tags are listed, added and removed by its ARN without account (the provider\'s in emulator mode; moto kept them under the full ARN only)', async () => {
    const noAccount = `arn:aws:cloudwatch:${REGION}::insight-rule/trailwatch-secrets-harvesting`;
    const r = await run(
      call(M, 'logs', 'create_log_group', { logGroupName: group }),
      call(M, 'cloudwatch', 'put_insight_rule', { RuleName: 'trailwatch-secrets-harvesting', RuleState: 'ENABLED', RuleDefinition: body(), Tags: [{ Key: 'ManagedBy', Value: 'trailwatch' }] }),
      call(M, 'cloudwatch', 'list_tags_for_resource', { ResourceARN: noAccount }),
      call(M, 'cloudwatch', 'tag_resource', { ResourceARN: noAccount, Tags: [{ Key: 'Owner', Value: 'security' }] }),
      call(M, 'cloudwatch', 'untag_resource', { ResourceARN: noAccount, TagKeys: ['ManagedBy'] }),
      call(M, 'cloudwatch', 'list_tags_for_resource', { ResourceARN: ruleArn }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r[2].result!.Tags).toEqual([{ Key: 'ManagedBy', Value: 'trailwatch' }]);
    expect(last(r).result!.Tags).toEqual([{ Key: 'Owner', Value: 'security' }]);
  });

  test('a rule body outside the documented syntax is refused with InvalidParameterValue', async () => {
    const broken: [string, string, RegExp][] = [
      ['not JSON', '{ "Schema": ', /not valid JSON/],
      ['another schema', body({ Schema: { Name: 'ServiceLogRule', Version: 1 } }), /Schema must be/],
      ['five keys', body({}, { Keys: ['$.a', '$.b', '$.c', '$.d', '$.e'] }), /1 to 4 log fields/],
      ['five filters', body({}, { Filters: Array.from({ length: 5 }, () => ({ Match: '$.eventName', In: ['X'] })) }), /at most 4 filters/],
      ['an operator Contributor Insights does not have', body({}, { Filters: [{ Match: '$.eventName', Regex: 'Get.*' }] }), /exactly one of In, NotIn, StartsWith/],
      ['In with a string, not a list', body({}, { Filters: [{ Match: '$.eventName', In: 'X' }] }), /In must be an array of strings/],
      ['no aggregation', body({ AggregateOn: 'Max' }), /AggregateOn must be Count or Sum/],
    ];
    const r = await run(call(M, 'logs', 'create_log_group', { logGroupName: group }), ...broken.map(([, b]) => put(b)), put(body(), 'x', 'PAUSED'));
    expect(outcomes(r)).toEqual(['ok', ...broken.map(() => 'InvalidParameterValue'), 'InvalidParameterValue']);
    broken.forEach(([name, , message], i) => expect([name, r[i + 1].error!.message]).toEqual([name, expect.stringMatching(message)]));
  });

  test('every Contributor Insights rule trailwatch synthesizes for the example is accepted', async () => {
    const out = synthConfigFile();
    const rules = out.stacks.flatMap((st) => Object.values(out.json(st).resource?.aws_cloudwatch_contributor_insight_rule ?? {}) as Json[]);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    // The synthesized body names the log group by Terraform reference; here, by the name it resolves to.
    const r = await run(call(M, 'logs', 'create_log_group', { logGroupName: group }), ...rules.map((x) => put(String(x.rule_definition).replace(/\$\{aws_cloudwatch_log_group\.[^}]+\}/, group), String(x.rule_name), String(x.rule_state))));
    expect(r.map((x, i) => (x.error ? `${i === 0 ? 'log group' : rules[i - 1].rule_name}: ${x.error.message}` : 'ok'))).toEqual(r.map(() => 'ok'));
  });
});

describe('emulated faults: what AWS reports and moto never reaches, on request (for trailwatch verify)', () => {
  const bucket = 'trail-archive';
  test('GetTrailStatus reports the delivery error a trail is tagged trailwatch-emulator:<field> with', async () => {
    const r = await run(
      ...archiveBucket(bucket, cloudTrailBucketStatements(bucket, trailArn('main'), [`AWSLogs/${M}`])),
      call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket }),
      call(M, 'cloudtrail', 'get_trail_status', { Name: 'main' }),
      call(M, 'cloudtrail', 'add_tags', { ResourceId: trailArn('main'), TagsList: [{ Key: 'trailwatch-emulator:LatestDeliveryError', Value: 'AccessDenied' }] }),
      call(M, 'cloudtrail', 'get_trail_status', { Name: trailArn('main') }),
    );
    expect(outcomes(r).every((o) => o === 'ok')).toBe(true);
    expect(r[r.length - 3].result?.LatestDeliveryError).toBeUndefined();
    expect(last(r).result?.LatestDeliveryError).toBe('AccessDenied');
  });

  test('ListSubscriptionsByTopic lists the endpoint a topic tags trailwatch-emulator:PendingConfirmation with as PendingConfirmation', async () => {
    const topic = `arn:aws:sns:${REGION}:${M}:alerts`;
    const r = await run(
      call(M, 'sns', 'create_topic', { Name: 'alerts' }),
      call(M, 'sns', 'subscribe', { TopicArn: topic, Protocol: 'email', Endpoint: 'a@example.com' }),
      call(M, 'sns', 'subscribe', { TopicArn: topic, Protocol: 'email', Endpoint: 'b@example.com' }),
      call(M, 'sns', 'tag_resource', { ResourceArn: topic, Tags: [{ Key: 'trailwatch-emulator:PendingConfirmation', Value: 'a@example.com' }] }),
      call(M, 'sns', 'list_subscriptions_by_topic', { TopicArn: topic }),
    );
    expect(outcomes(r).every((o) => o === 'ok')).toBe(true);
    const arns = Object.fromEntries((last(r).result?.Subscriptions as Json[]).map((x) => [x.Endpoint, x.SubscriptionArn]));
    expect(arns['a@example.com']).toBe('PendingConfirmation');
    expect(arns['b@example.com']).toMatch(new RegExp(`^${topic}:`));
  });
});

describe('CloudWatch alarm actions (moto 5.2.1 does not implement them; the launcher does)', () => {
  test('DisableAlarmActions / EnableAlarmActions set ActionsEnabled on the named alarms; an unknown name is ignored', async () => {
    const alarm = { AlarmName: 'a', MetricName: 'm', Namespace: 'n', Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' };
    const r = await run(
      call(M, 'cloudwatch', 'put_metric_alarm', alarm),
      call(M, 'cloudwatch', 'disable_alarm_actions', { AlarmNames: ['a', 'not-an-alarm'] }),
      call(M, 'cloudwatch', 'describe_alarms', { AlarmNames: ['a'] }),
      call(M, 'cloudwatch', 'enable_alarm_actions', { AlarmNames: ['a'] }),
      call(M, 'cloudwatch', 'describe_alarms', { AlarmNames: ['a'] }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect((r[2].result?.MetricAlarms as Json[])[0].ActionsEnabled).toBe(false);
    expect((last(r).result?.MetricAlarms as Json[])[0].ActionsEnabled).toBe(true);
  });
});

describe('the launcher', () => {
  test('still resolves CloudTrail StartLogging/DescribeTrails by ARN (moto defects it patches)', async () => {
    const bucket = 'trail-archive';
    const trail = trailArn('main');
    const r = await run(
      ...archiveBucket(bucket, cloudTrailBucketStatements(bucket, trail, [`AWSLogs/${M}`])),
      call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket }),
      call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket }),
      call(M, 'cloudtrail', 'start_logging', { Name: trail }),
      call(M, 'cloudtrail', 'get_trail_status', { Name: trail }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'TrailAlreadyExistsException', 'ok', 'ok']);
    expect(last(r).result!.IsLogging).toBe(true);
  });

  test('lists the tags of an Athena workgroup untagged or by an ARN without account (moto answers "Does Not Exist"), and still refuses an unknown one', async () => {
    const r = await run(
      call(M, 'athena', 'create_work_group', { Name: 'trailwatch', Configuration: { EnforceWorkGroupConfiguration: true } }),
      call(M, 'athena', 'list_tags_for_resource', { ResourceARN: `arn:aws:athena:${REGION}:${M}:workgroup/trailwatch` }),
      call(M, 'athena', 'list_tags_for_resource', { ResourceARN: `arn:aws:athena:${REGION}:${M}:workgroup/nothing` }),
      call(M, 'athena', 'create_work_group', { Name: 'tagged', Configuration: {}, Tags: [{ Key: 'ManagedBy', Value: 'trailwatch' }] }),
      // The provider's ARN with skip_requesting_account_id (emulator mode) has no account.
      call(M, 'athena', 'list_tags_for_resource', { ResourceARN: `arn:aws:athena:${REGION}::workgroup/tagged` }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'InvalidRequestException', 'ok', 'ok']);
    expect(r[1].result!.Tags).toEqual([]);
    expect(r[4].result!.Tags).toEqual([{ Key: 'ManagedBy', Value: 'trailwatch' }]);
  });

  test('deletes an Athena saved query, and answers InvalidRequestException for an unknown query or workgroup (moto: no DeleteNamedQuery, a 500, a null workgroup)', async () => {
    const r = await run(
      call(M, 'athena', 'create_work_group', { Name: 'queries', Configuration: {} }),
      call(M, 'athena', 'create_named_query', { Name: 'trailwatch-hunt', Database: 'trailwatch', QueryString: 'SELECT 1', WorkGroup: 'queries' }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok']);
    const id = r[1].result!.NamedQueryId as string;
    const after = await run(
      call(M, 'athena', 'get_named_query', { NamedQueryId: id }),
      call(M, 'athena', 'delete_named_query', { NamedQueryId: id }),
      call(M, 'athena', 'get_named_query', { NamedQueryId: id }),
      call(M, 'athena', 'get_work_group', { WorkGroup: 'queries' }),
      call(M, 'athena', 'delete_work_group', { WorkGroup: 'queries' }),
      call(M, 'athena', 'get_work_group', { WorkGroup: 'queries' }),
    );
    expect(outcomes(after)).toEqual(['ok', 'ok', 'InvalidRequestException', 'ok', 'ok', 'InvalidRequestException']);
    expect(after[0].result!.NamedQuery).toMatchObject({ Name: 'trailwatch-hunt', QueryString: 'SELECT 1', WorkGroup: 'queries' });
    expect(after[5].error!.message).toContain('is not found');
  });

  test('keeps a Glue database\'s tags when the provider names it by an ARN without account (emulator mode)', async () => {
    const arn = `arn:aws:glue:${REGION}::database/trailwatch`;
    const r = await run(
      call(M, 'glue', 'create_database', { DatabaseInput: { Name: 'trailwatch' }, Tags: { ManagedBy: 'trailwatch' } }),
      call(M, 'glue', 'get_tags', { ResourceArn: arn }),
      call(M, 'glue', 'tag_resource', { ResourceArn: arn, TagsToAdd: { Owner: 'security' } }),
      call(M, 'glue', 'get_tags', { ResourceArn: `arn:aws:glue:${REGION}:${M}:database/trailwatch` }),
    );
    expect(outcomes(r)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(r[1].result!.Tags).toEqual({ ManagedBy: 'trailwatch' });
    expect(r[3].result!.Tags).toEqual({ ManagedBy: 'trailwatch', Owner: 'security' });
  });

  test('answered no request with HTTP 500 (a strict rule must refuse with a 4xx, never crash)', async () => {
    // A malformed policy and an unknown condition operator must not crash the evaluation either.
    const bucket = 'odd-bucket';
    const odd = [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['s3:GetBucketAcl', 's3:PutObject'], Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }];
    const r = await run(...archiveBucket(bucket, odd), call(M, 'cloudtrail', 'create_trail', { Name: 'main', S3BucketName: bucket }));
    expect(last(r).error).toMatchObject({ code: 'InsufficientS3BucketPolicyException' });
    expect(last(r).error!.message).toContain('DateGreaterThan');
    const log = fs.readFileSync(emulator.logFile, 'utf8');
    expect(log.split('\n').filter((l) => /" 5\d\d /.test(l) || /Traceback/.test(l))).toEqual([]);
  });
});
