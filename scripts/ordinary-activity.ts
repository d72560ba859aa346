/**
 * A model of ordinary activity in the example organization (trailwatch.yaml), for measuring how
 * noisy the detections are before anyone deploys them. Deterministic: the same seed writes the same
 * records. Records follow the CloudTrail record contents
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 *
 * What happens, per workload account (prod-payments, prod-web in eu-west-1; dev-sandbox in
 * us-east-1), modelled on a small platform team's week:
 * - applications (ECS tasks with a task role) read their secrets through a one-hour cache and their
 *   parameters at task start, decrypt with KMS all day;
 * - Terraform in CI (role ci-deployer) plans and applies a few times per working day: hundreds of
 *   reads, Lambda code and permission updates, now and then a security-group, IAM-policy or
 *   trust-policy change; each apply restarts the tasks, which read their secrets and parameters;
 * - people sign in through IAM Identity Center (federated console sessions) and browse; the
 *   read-only role meets AccessDenied on some console pages; on-call engineers open Session Manager
 *   sessions in production now and then; a developer pushes an Instance Connect key in dev;
 * - AWS services work for the account: Config, GuardDuty and Security Hub describe resources,
 *   CloudTrail encrypts its files, Auto Scaling launches and terminates, AWS Backup snapshots nightly,
 *   Patch Manager runs its weekly command, the secret-rotation Lambda rotates two secrets nightly,
 *   an image pipeline shares the new golden AMI with the organization every Tuesday;
 * - a legacy IAM user rotates its access key once in a while; someone mistypes a break-glass
 *   password now and then.
 */
import type { SampleRecord } from '../lib/catalog';
import { seededRandom as rng } from './seeded-random';

export interface OrdinaryActivityOptions {
  /** First day (UTC, YYYY-MM-DD). @default 2026-11-02 (a Monday) */
  readonly start?: string;
  /** @default 14 */
  readonly days?: number;
  /** @default 13 */
  readonly seed?: number;
}

export interface AccountModel {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly production: boolean;
  readonly app: string;
}

export const WORKLOADS: readonly AccountModel[] = [
  { id: '444444444444', name: 'prod-payments', region: 'eu-west-1', production: true, app: 'payments-api' },
  { id: '555555555555', name: 'prod-web', region: 'eu-west-1', production: true, app: 'web-frontend' },
  { id: '666666666666', name: 'dev-sandbox', region: 'us-east-1', production: false, app: 'sandbox-api' },
];
const MANAGEMENT = '111111111111';
const SECURITY = '333333333333';

/** One file's worth of records: CloudTrail delivers per account, region and (here) hour. */
export interface Batch {
  readonly account: string;
  readonly region: string;
  /** Start of the hour, epoch ms. */
  readonly hour: number;
  readonly records: SampleRecord[];
}

const HOUR = 3_600_000;

/** Every hour's batches, in time order, generated lazily so any number of days fits in memory. */
export function* ordinaryActivity(options: OrdinaryActivityOptions = {}): Generator<Batch> {
  const random = rng(options.seed ?? 13);
  const start = Date.parse(`${options.start ?? '2026-11-02'}T00:00:00Z`);
  const days = options.days ?? 14;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const count = (mean: number) => {
    // Poisson by inversion: small means, exact enough.
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = random();
    while (u > s && k < mean * 10 + 10) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  };
  let seq = 0;

  for (let h = 0; h < days * 24; h++) {
    const hour = start + h * HOUR;
    const d = new Date(hour);
    const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
    const working = weekday && d.getUTCHours() >= 8 && d.getUTCHours() < 18;
    const batches = new Map<string, Batch>();
    const at = (offsetMs: number) => new Date(hour + Math.min(HOUR - 1000, Math.max(0, Math.floor(offsetMs)))).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const emit = (account: string, region: string, when: number, r: Omit<Call, 'account' | 'region' | 'time' | 'seq'>) => {
      const key = `${account} ${region}`;
      let b = batches.get(key);
      if (!b) batches.set(key, (b = { account, region, hour, records: [] }));
      b.records.push(record({ ...r, account, region, time: at(when), seq: ++seq }));
    };
    const anytime = () => random() * HOUR;

    for (const a of WORKLOADS) {
      const app = role(a.id, a.app, `ecs-task-${(h % 7) + 1}`);
      const deployer = role(a.id, 'ci-deployer', `github-actions-${1000 + h}`);
      const admin = role(a.id, 'AWSReservedSSO_AdministratorAccess_5e3ad1b2c4f6a7b8', pick(['alice@example.com', 'bob@example.com']));
      const reader = role(a.id, 'AWSReservedSSO_ReadOnlyAccess_0123456789abcdef', pick(['carol@example.com', 'dan@example.com', 'erin@example.com']));
      const service = (s: string) => ({ type: 'AWSService', invokedBy: s });
      const r = a.region;

      // Applications: 4 tasks x 3 secrets through a one-hour cache; KMS all the time.
      for (let i = 0; i < 12; i++) emit(a.id, r, anytime(), { source: 'secretsmanager', name: 'GetSecretValue', who: app, readOnly: true, params: { secretId: `prod/${a.app}/secret-${i % 3}` } });
      for (let i = 0; i < count(120); i++) emit(a.id, r, anytime(), { source: 'kms', name: 'Decrypt', who: app, readOnly: true, params: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } });
      for (let i = 0; i < count(10); i++) emit(a.id, r, anytime(), { source: 'sts', name: 'AssumeRole', who: service('ecs-tasks.amazonaws.com'), params: { roleArn: `arn:aws:iam::${a.id}:role/${a.app}`, roleSessionName: 'ecs-task' } });

      // AWS services working for the account.
      for (let i = 0; i < count(40); i++) emit(a.id, r, anytime(), { source: 'ec2', name: pick(['DescribeInstances', 'DescribeSecurityGroups', 'DescribeVolumes', 'DescribeNetworkInterfaces']), who: service('config.amazonaws.com'), readOnly: true });
      for (let i = 0; i < count(12); i++) emit(a.id, r, anytime(), { source: 'kms', name: 'GenerateDataKey', who: service('cloudtrail.amazonaws.com'), readOnly: true });
      for (let i = 0; i < count(6); i++) emit(a.id, r, anytime(), { source: 'guardduty', name: pick(['ListDetectors', 'GetDetector']), who: service('guardduty.amazonaws.com'), readOnly: true });
      if (random() < 0.15) {
        const name = pick(['RunInstances', 'TerminateInstances']);
        emit(a.id, r, anytime(), { source: 'ec2', name, who: service('autoscaling.amazonaws.com'), params: { instancesSet: {} } });
        emit(a.id, r, anytime(), { source: 'ec2', name: 'CreateTags', who: service('autoscaling.amazonaws.com') });
      }

      // Nightly: AWS Backup snapshots (02:00), secret rotation (03:00); weekly patching (Sunday 04:00).
      if (d.getUTCHours() === 2) {
        const backup = role(a.id, 'AWSBackupDefaultServiceRole', 'AWSBackup-AWSBackupDefaultServiceRole');
        for (let i = 0; i < 5; i++) {
          emit(a.id, r, 60_000 * i, { source: 'ec2', name: 'CreateSnapshot', who: backup, params: { volumeId: `vol-0${i}23456789abcdef0` } });
          emit(a.id, r, 60_000 * i + 30_000, { source: 'ec2', name: 'DeleteSnapshot', who: backup, params: { snapshotId: `snap-0${i}23456789abcdef0` } });
        }
      }
      if (d.getUTCHours() === 3) {
        const rotator = role(a.id, 'secrets-rotation-lambda', 'secrets-rotation');
        for (let s = 0; s < 2; s++) {
          for (const name of ['GetSecretValue', 'GetSecretValue', 'PutSecretValue', 'GetSecretValue', 'UpdateSecretVersionStage']) {
            emit(a.id, r, 60_000 * s + random() * 30_000, { source: 'secretsmanager', name, who: rotator, readOnly: name.startsWith('Get'), params: { secretId: `prod/${a.app}/secret-${s}` } });
          }
        }
      }
      if (d.getUTCDay() === 0 && d.getUTCHours() === 4) {
        emit(a.id, r, 5 * 60_000, {
          source: 'ssm',
          name: 'SendCommand',
          who: { ...role(a.id, 'AWSServiceRoleForAmazonSSM', 'maintenance-window'), invokedBy: 'ssm.amazonaws.com' },
          sourceIp: 'ssm.amazonaws.com',
          params: { documentName: 'AWS-RunPatchBaseline', targets: [{ key: 'tag:Patch Group', values: ['default'] }] },
        });
      }

      // Terraform in CI: production twice per working day, dev five times.
      if (working && random() < (a.production ? 0.2 : 0.5)) {
        const t0 = random() * (HOUR - 15 * 60_000);
        const calls: [string, string, boolean][] = [
          ['ec2', 'DescribeSecurityGroups', true],
          ['ec2', 'DescribeVpcs', true],
          ['ec2', 'DescribeSubnets', true],
          ['lambda', 'GetFunction20150331v2', true],
          ['lambda', 'ListVersionsByFunction20150331', true],
          ['iam', 'GetRole', true],
          ['iam', 'ListAttachedRolePolicies', true],
          ['ecs', 'DescribeServices', true],
          ['s3', 'GetBucketPolicy', true],
          ['logs', 'DescribeLogGroups', true],
        ];
        for (let i = 0; i < 150; i++) {
          const [source, name] = pick(calls);
          emit(a.id, source === 'iam' ? 'us-east-1' : r, t0 + i * 1000, { source, name, who: deployer, readOnly: true, userAgent: TERRAFORM });
        }
        for (let i = 0; i < 20; i++) emit(a.id, r, t0 + 200_000 + i * 500, { source: 'ssm', name: 'GetParameter', who: deployer, readOnly: true, userAgent: TERRAFORM, params: { name: `/${a.app}/config-${i}` } });
        for (let i = 0; i < 2; i++) emit(a.id, r, t0 + 210_000 + i * 500, { source: 'secretsmanager', name: 'GetSecretValue', who: deployer, readOnly: true, userAgent: TERRAFORM, params: { secretId: `prod/${a.app}/secret-${i}` } });
        // Apply.
        const t1 = t0 + 5 * 60_000;
        emit(a.id, r, t1, { source: 'lambda', name: 'UpdateFunctionCode20150331v2', who: deployer, userAgent: TERRAFORM, params: { functionName: `${a.app}-worker`, publish: true } });
        emit(a.id, r, t1 + 2000, { source: 'lambda', name: 'AddPermission20150331v2', who: deployer, userAgent: TERRAFORM, params: { functionName: `${a.app}-worker`, statementId: 'events', action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com' } });
        emit(a.id, r, t1 + 4000, { source: 'ecs', name: 'UpdateService', who: deployer, userAgent: TERRAFORM, params: { service: a.app, forceNewDeployment: true } });
        if (random() < 0.1) emit(a.id, r, t1 + 6000, { source: 'ec2', name: 'AuthorizeSecurityGroupIngress', who: deployer, userAgent: TERRAFORM, params: { groupId: 'sg-0123456789abcdef0' } });
        if (random() < 0.1) emit(a.id, 'us-east-1', t1 + 8000, { source: 'iam', name: 'PutRolePolicy', who: deployer, userAgent: TERRAFORM, params: { roleName: a.app, policyName: 'app' } });
        if (random() < 0.05) emit(a.id, 'us-east-1', t1 + 9000, { source: 'iam', name: 'UpdateAssumeRolePolicy', who: deployer, userAgent: TERRAFORM, params: { roleName: a.app } });
        // The new tasks start: 4 tasks read 8 parameters and 3 secrets each within a minute.
        for (let task = 0; task < 4; task++) {
          const taskRole = role(a.id, a.app, `ecs-task-new-${task}`);
          for (let i = 0; i < 8; i++) emit(a.id, r, t1 + 60_000 + task * 5000 + i * 100, { source: 'ssm', name: 'GetParameters', who: taskRole, readOnly: true, params: { names: [`/${a.app}/config-${i}`], withDecryption: true } });
          for (let i = 0; i < 3; i++) emit(a.id, r, t1 + 61_000 + task * 5000 + i * 100, { source: 'secretsmanager', name: 'GetSecretValue', who: taskRole, readOnly: true, params: { secretId: `prod/${a.app}/secret-${i}` } });
        }
      }

      // People, through IAM Identity Center.
      if (working) {
        if (random() < 0.5) {
          emit(a.id, 'us-east-1', anytime(), {
            source: 'signin',
            name: 'ConsoleLogin',
            who: reader,
            eventType: 'AwsConsoleSignIn',
            userAgent: BROWSER,
            response: { ConsoleLogin: 'Success' },
            additional: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' },
          });
        }
        for (let i = 0; i < count(40); i++) {
          const denied = random() < 0.04;
          emit(a.id, r, anytime(), {
            source: pick(['ec2', 'ecs', 'logs', 'cloudwatch', 'rds']),
            name: pick(['DescribeInstances', 'DescribeClusters', 'DescribeLogStreams', 'GetMetricData', 'DescribeDBInstances']),
            who: reader,
            readOnly: true,
            userAgent: BROWSER,
            ...(denied ? { errorCode: 'AccessDenied' } : {}),
          });
        }
        for (let i = 0; i < count(10); i++) emit(a.id, r, anytime(), { source: pick(['ec2', 'ecs', 'lambda']), name: pick(['DescribeInstances', 'ListServices', 'ListFunctions20150331']), who: admin, readOnly: true, userAgent: BROWSER });
        if (random() < 0.05) emit(a.id, r, anytime(), { source: 'secretsmanager', name: 'GetSecretValue', who: admin, readOnly: true, userAgent: BROWSER, params: { secretId: `prod/${a.app}/secret-0` } });
        if (a.production && random() < 0.08) emit(a.id, r, anytime(), { source: 'ssm', name: 'StartSession', who: admin, userAgent: BROWSER, params: { target: 'i-0123456789abcdef0' } });
        if (!a.production && random() < 0.03) {
          emit(a.id, r, anytime(), { source: 'ec2-instance-connect', name: 'SendSSHPublicKey', who: admin, params: { instanceId: 'i-0fedcba9876543210', instanceOSUser: 'ec2-user', sSHPublicKey: 'ssh-ed25519 AAAA...' } });
        }
      }
    }

    // The image pipeline shares the new golden AMI with the organization on Tuesdays at 06:00.
    if (d.getUTCDay() === 2 && d.getUTCHours() === 6) {
      emit(MANAGEMENT, 'eu-west-1', 10 * 60_000, {
        source: 'ec2',
        name: 'ModifyImageAttribute',
        who: role(MANAGEMENT, 'image-factory', 'imagebuilder-distribution'),
        params: { imageId: 'ami-0a1b2c3d4e5f60718', launchPermission: { add: { items: [{ organizationArn: 'arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5' }] } }, attributeType: 'launchPermission' },
      });
    }
    // The legacy backup user rotates its access key (about every ten days).
    if (working && random() < 1 / 100) {
      emit(MANAGEMENT, 'us-east-1', anytime(), { source: 'iam', name: 'CreateAccessKey', who: user(MANAGEMENT, 'svc-legacy-backup'), params: { userName: 'svc-legacy-backup' } });
      emit(MANAGEMENT, 'us-east-1', anytime(), { source: 'iam', name: 'DeleteAccessKey', who: user(MANAGEMENT, 'svc-legacy-backup'), params: { userName: 'svc-legacy-backup' } });
    }
    // A mistyped break-glass password (about every other day).
    if (random() < 1 / 48) {
      emit(MANAGEMENT, 'us-east-1', anytime(), {
        source: 'signin',
        name: 'ConsoleLogin',
        who: { type: 'IAMUser', principalId: 'AIDAQRSTUVWXYZBREAKGL', accountId: MANAGEMENT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        eventType: 'AwsConsoleSignIn',
        userAgent: BROWSER,
        errorMessage: 'Failed authentication',
        response: { ConsoleLogin: 'Failure' },
        additional: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' },
      });
    }
    // The security account reads findings.
    for (let i = 0; i < count(working ? 20 : 4); i++) {
      emit(SECURITY, 'us-east-1', anytime(), { source: pick(['guardduty', 'securityhub']), name: pick(['ListFindings', 'GetFindings']), who: role(SECURITY, 'AWSReservedSSO_SecurityAudit_9a8b7c6d5e4f3a2b', 'sec@example.com'), readOnly: true, userAgent: BROWSER });
    }

    for (const b of [...batches.values()].sort((x, y) => (x.account + x.region < y.account + y.region ? -1 : 1))) {
      b.records.sort((x, y) => (String(x.eventTime) < String(y.eventTime) ? -1 : 1));
      yield b;
    }
  }
}

const TERRAFORM = 'APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-aws/5.100.0';
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

function role(account: string, name: string, session: string): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROA${account.slice(0, 8)}EXAMPLE:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
    accountId: account,
    accessKeyId: 'ASIAQRSTUVWXYZEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${account.slice(0, 8)}EXAMPLE`, arn: `arn:aws:iam::${account}:role/${name}`, accountId: account, userName: name },
      attributes: { creationDate: '2026-11-02T00:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

function user(account: string, name: string): Record<string, unknown> {
  return { type: 'IAMUser', principalId: 'AIDAQRSTUVWXYZLEGACY', arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, accessKeyId: 'AKIAQRSTUVWXYZLEGACY', userName: name };
}

interface Call {
  readonly account: string;
  readonly region: string;
  readonly time: string;
  readonly seq: number;
  readonly source: string;
  readonly name: string;
  readonly who: Record<string, unknown>;
  readonly readOnly?: boolean;
  readonly params?: Record<string, unknown>;
  readonly response?: Record<string, unknown>;
  readonly additional?: Record<string, unknown>;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly eventType?: string;
  readonly userAgent?: string;
  readonly sourceIp?: string;
}

function record(c: Call): SampleRecord {
  const service = c.who.type === 'AWSService' ? String(c.who.invokedBy) : undefined;
  const id = c.seq.toString(16).padStart(12, '0');
  return {
    eventVersion: '1.09',
    userIdentity: c.who,
    eventTime: c.time,
    eventSource: `${c.source}.amazonaws.com`,
    eventName: c.name,
    awsRegion: c.region,
    sourceIPAddress: c.sourceIp ?? service ?? '198.51.100.23',
    userAgent: c.userAgent ?? service ?? 'aws-sdk-java/2.25.60 Linux/6.1 OpenJDK_64-Bit_Server_VM/21.0.3',
    ...(c.errorCode !== undefined ? { errorCode: c.errorCode, errorMessage: c.errorMessage ?? 'User is not authorized to perform this operation' } : c.errorMessage !== undefined ? { errorMessage: c.errorMessage } : {}),
    requestParameters: c.params ?? null,
    responseElements: c.response ?? null,
    ...(c.additional !== undefined ? { additionalEventData: c.additional } : {}),
    requestID: `00000000-0000-4000-8000-${id}`,
    eventID: `11111111-0000-4000-8000-${id}`,
    readOnly: c.readOnly ?? false,
    eventType: c.eventType ?? 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: c.account,
    eventCategory: 'Management',
  };
}
