/** The trail, its CloudWatch Logs delivery, notifications, modes and the log-delivery contract. */
import { Testing, Token } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { planOrganization } from '../../lib/core/organization';
import { logDeliveryFor, trailLocations } from '../../lib/trail/plan';
import { addressOf, all, ARCHIVE, TRAIL_CONSTRUCTS, BUCKET, config, MGMT, ORG_TRAIL_ARN, resource, statements, synth, trailOf } from './helpers';
import { planAll } from '../../lib/plan/plan';

const defaults = synth();
const mgmt = defaults.management;

describe('organization mode (default): one organization trail, in the management stack', () => {
  test('only the management stack has a trail, and it is an organization trail', () => {
    expect(all(mgmt, 'aws_cloudtrail')).toHaveLength(1);
    for (const s of ['log-archive', 'prod-app', 'dev-app']) expect(all(defaults[s], 'aws_cloudtrail')).toEqual([]);
    expect(trailOf(mgmt).is_organization_trail).toBe(true);
  });

  test('every secure default is on and written explicitly', () => {
    expect(trailOf(mgmt)).toMatchObject({
      name: 'trailwatch',
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      provider: 'aws', // the home region's provider
    });
  });

  test('delivers to the archive bucket, encrypted with the archive key by its key ARN, looked up through the alias ARN', () => {
    expect(trailOf(mgmt).s3_bucket_name).toBe(BUCKET);
    // CloudTrail returns the key ARN: an alias ARN here would change the trail on every plan.
    expect(trailOf(mgmt).kms_key_id).toBe('${data.aws_kms_key.archive-key.arn}');
    expect(mgmt.data.aws_kms_key['archive-key']).toMatchObject({ key_id: `arn:aws:kms:us-east-1:${ARCHIVE}:alias/trailwatch-cloudtrail`, provider: 'aws' });
    expect(Object.keys(mgmt.data.aws_kms_key)).toEqual(['archive-key']);
  });

  test('turning a default off is allowed and shows in the output', () => {
    const t = trailOf(synth('trail: { multiRegion: false, includeGlobalServiceEvents: false, logFileValidation: false, name: audit }\n').management);
    expect(t).toMatchObject({ name: 'audit', is_multi_region_trail: false, include_global_service_events: false, enable_log_file_validation: false });
  });

  test('the trail waits for the delivery role policy (CloudTrail checks it on creation)', () => {
    expect(trailOf(mgmt).depends_on).toEqual([`aws_iam_role_policy.${addressOf(mgmt, 'aws_iam_role_policy', 'cloudwatch-logs/role-policy')}`]);
  });
});

describe('CloudWatch Logs delivery', () => {
  const group = resource(mgmt, 'aws_cloudwatch_log_group', 'cloudwatch-logs/log-group');

  test('the trail delivers to the log group (with the log-stream wildcard) through the delivery role', () => {
    expect(trailOf(mgmt).cloud_watch_logs_group_arn).toBe(`\${aws_cloudwatch_log_group.${addressOf(mgmt, 'aws_cloudwatch_log_group', 'cloudwatch-logs/log-group')}.arn}:*`);
    expect(trailOf(mgmt).cloud_watch_logs_role_arn).toBe(`\${aws_iam_role.${addressOf(mgmt, 'aws_iam_role', 'cloudwatch-logs/role')}.arn}`);
  });

  test('log group: default name, 365 days retention, encrypted with its own key', () => {
    expect(group.name).toBe('aws-cloudtrail-logs/trailwatch');
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toBe(`\${aws_kms_key.${addressOf(mgmt, 'aws_kms_key', 'cloudwatch-logs/key')}.arn}`);
  });

  test('name and retention from config; a short retention needs the acknowledgement', () => {
    const g = resource(synth('trail:\n  cloudWatchLogs: { logGroupName: /org/cloudtrail, retentionDays: 90, acknowledgeShortRetention: true }\n').management, 'aws_cloudwatch_log_group', 'cloudwatch-logs/log-group');
    expect(g).toMatchObject({ name: '/org/cloudtrail', retention_in_days: 90 });
  });

  test('log group key: rotated; CloudWatch Logs of the region may use it only for this log group', () => {
    const key = resource(mgmt, 'aws_kms_key', 'cloudwatch-logs/key');
    expect(key.enable_key_rotation).toBe(true);
    const p = statements(key.policy);
    expect(p.EnableAccountAdministration.Principal).toEqual({ AWS: `arn:aws:iam::${MGMT}:root` });
    expect(p.AllowCloudWatchLogs.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(p.AllowCloudWatchLogs.Condition).toEqual({
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${MGMT}:log-group:aws-cloudtrail-logs/trailwatch` },
    });
  });

  test('the role trusts CloudTrail without source conditions, which AWS says this role does not support', () => {
    const role = resource(mgmt, 'aws_iam_role', 'cloudwatch-logs/role');
    expect(role.name).toBe('trailwatch-cloudwatch-logs');
    const p = statements(role.assume_role_policy);
    expect(Object.values(p)).toEqual([{ Sid: 'CloudTrailAssumesForDelivery', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });

  test('the role may only create streams and put events in that log group', () => {
    const p = statements(resource(mgmt, 'aws_iam_role_policy', 'cloudwatch-logs/role-policy').policy);
    expect(Object.values(p)).toEqual([
      {
        Sid: 'WriteTrailEvents',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:us-east-1:${MGMT}:log-group:aws-cloudtrail-logs/trailwatch:log-stream:*`,
      },
    ]);
  });
});

describe('SNS notification of log delivery', () => {
  test('off by default', () => {
    expect(trailOf(mgmt).sns_topic_name).toBeUndefined();
    expect(Object.keys(mgmt.resource.aws_sns_topic ?? {}).filter((a) => a.startsWith('notifications_'))).toEqual([]);
  });

  test('on: a KMS-encrypted topic only the trail may publish to', () => {
    const s = synth('trail: { snsNotification: true }\n').management;
    const topic = resource(s, 'aws_sns_topic', 'notifications/topic');
    expect(topic.name).toBe('trailwatch-log-delivery');
    expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${addressOf(s, 'aws_kms_key', 'notifications/key')}.arn}`);
    expect(trailOf(s).sns_topic_name).toBe('trailwatch-log-delivery');
    const policy = statements(resource(s, 'aws_sns_topic_policy', 'notifications/topic-policy').policy);
    expect(policy.AllowCloudTrailPublish).toEqual({
      Sid: 'AllowCloudTrailPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'SNS:Publish',
      Resource: `arn:aws:sns:us-east-1:${MGMT}:trailwatch-log-delivery`,
      Condition: { StringEquals: { 'aws:SourceArn': ORG_TRAIL_ARN } },
    });
    const key = resource(s, 'aws_kms_key', 'notifications/key');
    expect(key.enable_key_rotation).toBe(true);
    // The statement AWS documents for an encrypted topic: no source condition (the topic policy pins the trail).
    expect(statements(key.policy).AllowCloudTrailPublishEncrypted).toEqual({
      Sid: 'AllowCloudTrailPublishEncrypted',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
    });
    expect(trailOf(s).depends_on).toContain(`aws_sns_topic_policy.${addressOf(s, 'aws_sns_topic_policy', 'notifications/topic-policy')}`);
  });

  test('a custom topic name', () => {
    expect(trailOf(synth('trail: { snsNotification: true, snsTopicName: trail-files }\n').management).sns_topic_name).toBe('trail-files');
  });
});

describe('Insights', () => {
  test('both types by default, as insight_selector blocks', () => {
    expect(trailOf(mgmt).insight_selector).toEqual([{ insight_type: 'ApiCallRateInsight' }, { insight_type: 'ApiErrorRateInsight' }]);
  });

  test('one type, or none', () => {
    expect(trailOf(synth('trail: { insights: [ApiErrorRateInsight] }\n').management).insight_selector).toEqual([{ insight_type: 'ApiErrorRateInsight' }]);
    expect(trailOf(synth('trail: { insights: [] }\n').management).insight_selector).toEqual([]);
  });
});

describe('account mode: a trail in every account stack', () => {
  const s = synth('trail: { mode: account }\n');

  test('every stack has an account (not organization) trail in its primary region, delivering to the central archive', () => {
    for (const [name, region] of [
      ['management', 'aws'],
      ['log-archive', 'aws'],
      ['prod-app', 'aws'],
      ['dev-app', 'aws'],
    ]) {
      const t = trailOf(s[name]);
      expect(t).toMatchObject({ is_organization_trail: false, s3_bucket_name: BUCKET, provider: region });
    }
    expect(s['dev-app'].provider.aws[0].region).toBe('eu-west-1');
  });

  test('the archive stack passes its own key; the others look it up by alias ARN in the key region, in their own account', () => {
    expect(trailOf(s['log-archive']).kms_key_id).toBe(`\${aws_kms_key.${addressOf(s['log-archive'], 'aws_kms_key', 'log-archive/key')}.arn}`);
    expect(s['log-archive'].data?.aws_kms_key).toBeUndefined();
    for (const name of ['management', 'prod-app', 'dev-app']) {
      expect(trailOf(s[name]).kms_key_id).toBe('${data.aws_kms_key.archive-key.arn}');
      expect(s[name].data.aws_kms_key['archive-key'].key_id).toBe(`arn:aws:kms:us-east-1:${ARCHIVE}:alias/trailwatch-cloudtrail`);
    }
    // dev-app governs eu-west-1 only: KMS answers for a key only in its region, so it gets a us-east-1 provider of its own account.
    expect(s['dev-app'].data.aws_kms_key['archive-key'].provider).toBe('aws.us-east-1');
    expect(s['dev-app'].provider.aws.find((p: any) => p.alias === 'us-east-1')).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['555555555555'] });
  });

  test('the archive key lets exactly the other trail accounts look it up', () => {
    const p = statements(resource(s['log-archive'], 'aws_kms_key', 'log-archive/key').policy);
    expect(p.AllowTrailAccountsDescribeKey).toEqual({
      Sid: 'AllowTrailAccountsDescribeKey',
      Effect: 'Allow',
      Principal: { AWS: [MGMT, '444444444444', '555555555555'].map((id) => `arn:aws:iam::${id}:root`) },
      Action: 'kms:DescribeKey',
      Resource: '*',
    });
  });

  test('each account delivers to its own log group through its own role', () => {
    const role = resource(s['dev-app'], 'aws_iam_role', 'cloudwatch-logs/role');
    expect(statements(role.assume_role_policy).CloudTrailAssumesForDelivery.Condition).toBeUndefined();
    expect(trailOf(s['dev-app']).cloud_watch_logs_role_arn).toBe(`\${aws_iam_role.${addressOf(s['dev-app'], 'aws_iam_role', 'cloudwatch-logs/role')}.arn}`);
    expect(resource(s['dev-app'], 'aws_cloudwatch_log_group', 'cloudwatch-logs/log-group').name).toBe('aws-cloudtrail-logs/trailwatch');
  });

  test('no organization lookup or trusted-access check: account trails do not need it', () => {
    for (const stack of Object.values(s)) expect(stack.data?.aws_organizations_organization).toBeUndefined();
    expect(trailOf(s.management).lifecycle).toBeUndefined();
  });

  test('in the log-archive stack the trail also waits for its bucket policy and key alias', () => {
    const deps = trailOf(s['log-archive']).depends_on as string[];
    expect(deps).toContain(`aws_s3_bucket_policy.${addressOf(s['log-archive'], 'aws_s3_bucket_policy', 'log-archive/bucket/policy')}`);
    expect(deps).toContain(`aws_kms_alias.${addressOf(s['log-archive'], 'aws_kms_alias', 'log-archive/key-alias')}`);
  });

  test('the archive key lets each account trail encrypt', () => {
    const p = statements(resource(s['log-archive'], 'aws_kms_key', 'log-archive/key').policy);
    expect(p.AllowCloudTrailEncrypt.Condition?.StringLike['kms:EncryptionContext:aws:cloudtrail:arn']).toEqual(
      [MGMT, ARCHIVE, '444444444444', '555555555555'].map((id) => `arn:aws:cloudtrail:*:${id}:trail/*`),
    );
  });
});

describe('existing mode: attach to a trail trailwatch does not own', () => {
  test('no trail and no archive anywhere; the log group is looked up by name in the management stack', () => {
    const s = synth('trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n');
    for (const stack of Object.values(s)) expect(stack.resource?.aws_cloudtrail).toBeUndefined(); // no trail from any feature
    expect(Object.values(s.management.data.aws_cloudwatch_log_group)).toEqual([expect.objectContaining({ name: 'aws-controltower/CloudTrailLogs' })]);
  });

  test('by prefix: a postcondition requires exactly one match', () => {
    const s = synth('trail:\n  mode: existing\n  existing: { logGroupNamePrefix: aws-controltower/CloudTrail, account: log-archive, region: eu-west-1 }\n');
    expect(s.management.data?.aws_cloudwatch_log_groups).toBeUndefined();
    const [lookup] = Object.values(s['log-archive'].data.aws_cloudwatch_log_groups) as any[];
    expect(lookup.log_group_name_prefix).toBe('aws-controltower/CloudTrail');
    expect(lookup.provider).toBe('aws.eu-west-1');
    expect(lookup.lifecycle.postcondition).toEqual([
      { condition: '${length(self.log_group_names) == 1}', error_message: expect.stringContaining('must match exactly one CloudWatch Logs group in eu-west-1') },
    ]);
  });
});

describe('the log-delivery contract monitoring relies on', () => {
  const deliveries = (extra: string) => {
    const built = buildApp(planAll(config(extra)), { outdir: Testing.app().outdir });
    return Object.fromEntries(built.stacks.map((s) => [s.node.id, s.logDelivery ? { name: s.logDelivery.logGroupName, region: s.logDelivery.region } : undefined]));
  };

  test('organization: only the management stack, in the home region', () => {
    expect(deliveries('')).toEqual({ management: { name: 'aws-cloudtrail-logs/trailwatch', region: 'us-east-1' }, 'log-archive': undefined, 'prod-app': undefined, 'dev-app': undefined });
  });

  test('account: every stack, in its primary region', () => {
    const d = deliveries('trail: { mode: account, cloudWatchLogs: { logGroupName: org-trail } }\n');
    expect(d['prod-app']).toEqual({ name: 'org-trail', region: 'us-east-1' });
    expect(d['dev-app']).toEqual({ name: 'org-trail', region: 'eu-west-1' });
    expect(Object.values(d).every(Boolean)).toBe(true);
  });

  test('existing: the named account and region; by prefix the name is a Terraform token', () => {
    const built = buildApp(planAll(config('trail:\n  mode: existing\n  existing: { logGroupNamePrefix: aws-controltower/CloudTrail, account: prod-app }\n')), { outdir: Testing.app().outdir });
    const withDelivery = built.stacks.filter((s) => s.logDelivery);
    expect(withDelivery.map((s) => s.node.id)).toEqual(['prod-app']);
    const d = withDelivery[0].logDelivery!;
    expect(d.region).toBe('us-east-1');
    expect(Token.isUnresolved(d.logGroupName)).toBe(true);
    expect(Token.isUnresolved(d.logGroupArn)).toBe(true);
    expect(d.provider).toBe(withDelivery[0].providers.forRegion('us-east-1'));
  });

  test('logDeliveryFor agrees with the stacks, in every mode', () => {
    for (const extra of ['', 'trail: { mode: account }\n', 'trail:\n  mode: existing\n  existing: { logGroupName: x, account: dev-app, region: eu-west-1 }\n']) {
      const org = planOrganization(config(extra));
      const built = buildApp(planAll(config(extra)), { outdir: Testing.app().outdir });
      for (const stack of built.stacks) {
        const planned = logDeliveryFor(org, org.accounts.find((a) => a.stackName === stack.node.id)!);
        expect(planned?.region).toBe(stack.logDelivery?.region);
        if (planned && planned.lookup !== 'prefix') expect(stack.logDelivery?.logGroupName).toBe(planned.logGroupName);
      }
    }
  });

  test('trailLocations names each trail ARN the archive policies use', () => {
    expect(trailLocations(planOrganization(config()))).toEqual([{ stackName: 'management', accountId: MGMT, region: 'us-east-1', arn: ORG_TRAIL_ARN }]);
    expect(trailLocations(planOrganization(config('trail:\n  mode: existing\n  existing: { logGroupName: x }\n')))).toEqual([]);
  });
});

describe('construct ids are the public contract', () => {
  test('resource addresses of the default trail baseline', () => {
    // Only the trail feature's constructs (other features add their own resources to these stacks).
    const mine = TRAIL_CONSTRUCTS;
    const names = (s: Record<string, any>) =>
      Object.entries(s.resource ?? {})
        .flatMap(([type, byName]) => Object.keys(byName as object).filter((n) => mine.test(n)).map((n) => `${type}.${n.replace(/_[0-9A-F]{8}$/, '')}`))
        .sort();
    expect(names(mgmt)).toEqual([
      'aws_cloudtrail.trail',
      'aws_cloudwatch_log_group.cloudwatch-logs_log-group',
      'aws_iam_role.cloudwatch-logs_role',
      'aws_iam_role_policy.cloudwatch-logs_role-policy',
      'aws_kms_alias.cloudwatch-logs_key-alias',
      'aws_kms_key.cloudwatch-logs_key',
    ]);
    expect(names(defaults['log-archive'])).toEqual([
      'aws_kms_alias.log-archive_key-alias',
      'aws_kms_key.log-archive_key',
      'aws_s3_bucket.log-archive_access-logs_bucket',
      'aws_s3_bucket.log-archive_bucket',
      'aws_s3_bucket_lifecycle_configuration.log-archive_access-logs_lifecycle',
      'aws_s3_bucket_lifecycle_configuration.log-archive_bucket_lifecycle',
      'aws_s3_bucket_logging.log-archive_bucket_access-logging',
      'aws_s3_bucket_ownership_controls.log-archive_access-logs_ownership',
      'aws_s3_bucket_ownership_controls.log-archive_bucket_ownership',
      'aws_s3_bucket_policy.log-archive_access-logs_policy',
      'aws_s3_bucket_policy.log-archive_bucket_policy',
      'aws_s3_bucket_public_access_block.log-archive_access-logs_public-access-block',
      'aws_s3_bucket_public_access_block.log-archive_bucket_public-access-block',
      'aws_s3_bucket_server_side_encryption_configuration.log-archive_access-logs_encryption',
      'aws_s3_bucket_server_side_encryption_configuration.log-archive_bucket_encryption',
      'aws_s3_bucket_versioning.log-archive_access-logs_versioning',
      'aws_s3_bucket_versioning.log-archive_bucket_versioning',
    ]);
  });
});
