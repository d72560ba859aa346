/** The log archive in the log-archive account: buckets, key, policies, lifecycle, Object Lock. */
import { ACCESS_LOGS, all, ARCHIVE, BUCKET, config, MGMT, ORG_TRAIL_ARN, resource, statements, synth } from './helpers';

const defaults = synth();
const archive = defaults['log-archive'];

describe('where the archive lives', () => {
  test('only the log-archive stack holds buckets and the archive key', () => {
    expect(all(archive, 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual([ACCESS_LOGS, BUCKET]);
    for (const s of ['management', 'prod-app', 'dev-app']) expect(all(defaults[s], 'aws_s3_bucket')).toEqual([]);
  });

  test('deterministic names: trailwatch-cloudtrail-<log archive id>-<home region>, alias alias/trailwatch-cloudtrail, home-region provider', () => {
    const bucket = resource(archive, 'aws_s3_bucket', 'log-archive/bucket/bucket');
    expect(bucket.bucket).toBe(BUCKET);
    expect(bucket.provider).toBe('aws'); // the default provider is the home region's (us-east-1)
    expect(resource(archive, 'aws_kms_alias', 'log-archive/key-alias').name).toBe('alias/trailwatch-cloudtrail');
  });

  test('custom bucket names are used as given', () => {
    const s = synth('trail:\n  archive: { bucketName: acme-trail-logs, accessLogs: { bucketName: acme-trail-access-logs } }\n')['log-archive'];
    expect(all(s, 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['acme-trail-access-logs', 'acme-trail-logs']);
    expect(resource(s, 'aws_s3_bucket_logging', 'log-archive/bucket/access-logging').target_prefix).toBe('acme-trail-logs/');
  });

  test('mode: existing creates no archive', () => {
    const s = synth('trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n');
    for (const type of Object.keys(s['log-archive'].resource ?? {})) expect(all(s['log-archive'], type)).toEqual([]);
    expect(s['log-archive'].resource?.aws_s3_bucket).toBeUndefined();
  });
});

describe('log bucket hardening', () => {
  test('all four public access block settings are on, for both buckets', () => {
    const blocks = all(archive, 'aws_s3_bucket_public_access_block');
    expect(blocks).toHaveLength(2);
    for (const b of blocks) {
      expect(b).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
  });

  test('versioning is enabled', () => {
    expect(resource(archive, 'aws_s3_bucket_versioning', 'log-archive/bucket/versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('ACLs are disabled: BucketOwnerEnforced', () => {
    expect(resource(archive, 'aws_s3_bucket_ownership_controls', 'log-archive/bucket/ownership').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('default encryption is SSE-KMS with the archive key', () => {
    const sse = resource(archive, 'aws_s3_bucket_server_side_encryption_configuration', 'log-archive/bucket/encryption');
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.log-archive_key_\w+\.arn\}$/) });
  });

  test('server access logs go to the separate access-log bucket, under the bucket name', () => {
    const logging = resource(archive, 'aws_s3_bucket_logging', 'log-archive/bucket/access-logging');
    expect(logging.target_bucket).toMatch(/^\$\{aws_s3_bucket\.log-archive_access-logs_bucket_\w+\.id\}$/);
    expect(logging.target_prefix).toBe(`${BUCKET}/`);
  });

  test('the access-log bucket is encrypted with SSE-S3 (server access logging cannot write SSE-KMS) and has no logging of its own', () => {
    const sse = resource(archive, 'aws_s3_bucket_server_side_encryption_configuration', 'log-archive/access-logs/encryption');
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    expect(all(archive, 'aws_s3_bucket_logging')).toHaveLength(1);
  });

  test('the bucket policy is applied after the public access block', () => {
    const policy = resource(archive, 'aws_s3_bucket_policy', 'log-archive/bucket/policy');
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\.log-archive_bucket_public-access-block_/)]);
  });
});

describe('log bucket policy', () => {
  const policy = statements(resource(archive, 'aws_s3_bucket_policy', 'log-archive/bucket/policy').policy);

  test('denies every request without TLS, on the bucket and its objects', () => {
    expect(policy.DenyInsecureTransport).toEqual({
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  test('CloudTrail may read the bucket ACL only on behalf of the organization trail', () => {
    expect(policy.AllowCloudTrailAclCheck).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${BUCKET}`,
      Condition: { StringEquals: { 'aws:SourceArn': ORG_TRAIL_ARN } },
    });
  });

  test('CloudTrail may write the management account and organization log paths, only for the trail', () => {
    const w = policy.AllowCloudTrailWrite;
    expect(w.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(w.Action).toBe('s3:PutObject');
    expect(w.Resource).toEqual([`arn:aws:s3:::${BUCKET}/AWSLogs/${MGMT}/*`, `arn:aws:s3:::${BUCKET}/AWSLogs/o-a1b2c3d4e5/*`]);
    expect(w.Condition).toEqual({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': ORG_TRAIL_ARN } });
  });

  test('every statement granting cloudtrail.amazonaws.com carries an aws:SourceArn condition (no confused deputy)', () => {
    const granted = Object.values(policy).filter((s) => s.Effect === 'Allow' && s.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(granted).toHaveLength(2);
    for (const s of granted) expect(s.Condition?.StringEquals?.['aws:SourceArn']).toBe(ORG_TRAIL_ARN);
  });

  test('without a security account no other account may read', () => {
    expect(policy.AllowReaderAccountsRead).toBeUndefined();
  });

  test('reader accounts other than the owner get read access to the bucket and objects', () => {
    const s = synth('trail:\n  archive: { readerAccounts: [log-archive, prod-app] }\n')['log-archive'];
    const p = statements(resource(s, 'aws_s3_bucket_policy', 'log-archive/bucket/policy').policy);
    expect(p.AllowReaderAccountsRead).toEqual({
      Sid: 'AllowReaderAccountsRead',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444444444444:root' },
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
    });
  });

  test('mode: account lets each account trail write only its own path, under its own ARN', () => {
    const s = synth('trail: { mode: account }\n')['log-archive'];
    const p = statements(resource(s, 'aws_s3_bucket_policy', 'log-archive/bucket/policy').policy);
    const arns = [
      `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/trailwatch`,
      `arn:aws:cloudtrail:us-east-1:${ARCHIVE}:trail/trailwatch`,
      'arn:aws:cloudtrail:us-east-1:444444444444:trail/trailwatch',
      'arn:aws:cloudtrail:eu-west-1:555555555555:trail/trailwatch', // dev-app is governed in eu-west-1 only
    ];
    expect(p.AllowCloudTrailWrite.Resource).toEqual([MGMT, ARCHIVE, '444444444444', '555555555555'].map((id) => `arn:aws:s3:::${BUCKET}/AWSLogs/${id}/*`));
    expect(p.AllowCloudTrailWrite.Condition?.StringEquals['aws:SourceArn']).toEqual(arns);
    expect(p.AllowCloudTrailAclCheck.Condition?.StringEquals['aws:SourceArn']).toEqual(arns);
    expect(JSON.stringify(p)).not.toContain('o-a1b2c3d4e5'); // no organization path without an organization trail
  });
});

describe('access-log bucket policy', () => {
  const policy = statements(resource(archive, 'aws_s3_bucket_policy', 'log-archive/access-logs/policy').policy);

  test('is TLS-only too', () => {
    expect(policy.DenyInsecureTransport.Resource).toEqual([`arn:aws:s3:::${ACCESS_LOGS}`, `arn:aws:s3:::${ACCESS_LOGS}/*`]);
  });

  test('only S3 logging for the archive bucket of this account may write, under its prefix', () => {
    expect(policy.AllowServerAccessLogs).toEqual({
      Sid: 'AllowServerAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${ACCESS_LOGS}/${BUCKET}/*`,
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${BUCKET}` }, StringEquals: { 'aws:SourceAccount': ARCHIVE } },
    });
  });
});

describe('archive KMS key', () => {
  const key = resource(archive, 'aws_kms_key', 'log-archive/key');
  const policy = statements(key.policy);

  test('is rotated, with a 30-day deletion window', () => {
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
  });

  test('the log-archive account administers it', () => {
    expect(policy.EnableAccountAdministration).toMatchObject({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ARCHIVE}:root` }, Action: 'kms:*' });
  });

  test('CloudTrail may encrypt only for the trail, with the trail account encryption context', () => {
    expect(policy.AllowCloudTrailEncrypt).toEqual({
      Sid: 'AllowCloudTrailEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': ORG_TRAIL_ARN },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${MGMT}:trail/*` },
      },
    });
    expect(policy.AllowCloudTrailDescribeKey.Condition).toEqual({ StringEquals: { 'aws:SourceArn': ORG_TRAIL_ARN } });
  });

  test('the management account may look the key up (DescribeKey), to give its organization trail the key ARN', () => {
    expect(policy.AllowTrailAccountsDescribeKey).toEqual({
      Sid: 'AllowTrailAccountsDescribeKey',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${MGMT}:root` },
      Action: 'kms:DescribeKey',
      Resource: '*',
    });
    // No member or reader gets it: only trail owners look the key up.
    expect(JSON.stringify(policy.AllowTrailAccountsDescribeKey)).not.toContain('444444444444');
  });

  test('readers may decrypt CloudTrail log files only; by default the log-archive account', () => {
    expect(policy.AllowReadersDecrypt).toEqual({
      Sid: 'AllowReadersDecrypt',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ARCHIVE}:root` },
      Action: ['kms:Decrypt', 'kms:ReEncryptFrom'],
      Resource: '*',
      Condition: { Null: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'false' } },
    });
  });

  test('a security account is a default reader: it may decrypt and read the bucket', () => {
    const cfg = config();
    cfg.organization.securityAccount = { id: '333333333333', name: 'security' };
    const s = synth(cfg)['log-archive'];
    const keyPolicy = statements(resource(s, 'aws_kms_key', 'log-archive/key').policy);
    expect(keyPolicy.AllowReadersDecrypt.Principal).toEqual({ AWS: [`arn:aws:iam::${ARCHIVE}:root`, 'arn:aws:iam::333333333333:root'] });
    const bucketPolicy = statements(resource(s, 'aws_s3_bucket_policy', 'log-archive/bucket/policy').policy);
    expect(bucketPolicy.AllowReaderAccountsRead.Principal).toEqual({ AWS: 'arn:aws:iam::333333333333:root' });
  });

  test('prevent_destroy protects both buckets and the key by default, and can be turned off', () => {
    for (const r of [...all(archive, 'aws_s3_bucket'), key]) expect(r.lifecycle).toEqual({ prevent_destroy: true });
    const off = synth('trail:\n  archive: { preventDestroy: false }\n')['log-archive'];
    for (const r of [...all(off, 'aws_s3_bucket'), ...all(off, 'aws_kms_key')]) expect(r.lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('lifecycle', () => {
  const rule = (s: Record<string, any>, bucket: string) => resource(s, 'aws_s3_bucket_lifecycle_configuration', `log-archive/${bucket}/lifecycle`).rule[0];

  test('default: keep log files 365 days, then expire; noncurrent versions 30 days; abandoned uploads 7 days', () => {
    const r = rule(archive, 'bucket');
    expect(r).toMatchObject({ status: 'Enabled', expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] });
    expect(r.transition).toBeUndefined();
  });

  test('transitions and expiration from config', () => {
    const s = synth(
      'trail:\n  archive:\n    lifecycle:\n      transitions: [{ days: 30, storageClass: STANDARD_IA }, { days: 180, storageClass: DEEP_ARCHIVE }]\n      expirationDays: 2557\n      noncurrentExpirationDays: 90\n',
    )['log-archive'];
    expect(rule(s, 'bucket')).toMatchObject({
      transition: [
        { days: 30, storage_class: 'STANDARD_IA' },
        { days: 180, storage_class: 'DEEP_ARCHIVE' },
      ],
      expiration: [{ days: 2557 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  test('the minimum object size of transitions is written explicitly: 128 KB by default (S3 leaves smaller log files in STANDARD), or small files to GLACIER/DEEP_ARCHIVE when configured', () => {
    const config = (s: Record<string, any>, bucket: string) => resource(s, 'aws_s3_bucket_lifecycle_configuration', `log-archive/${bucket}/lifecycle`);
    expect(config(archive, 'bucket').transition_default_minimum_object_size).toBe('all_storage_classes_128K');
    expect(config(archive, 'access-logs').transition_default_minimum_object_size).toBe('all_storage_classes_128K');
    const varies = synth('trail:\n  archive: { lifecycle: { transitionDefaultMinimumObjectSize: varies_by_storage_class, transitions: [{ days: 90, storageClass: DEEP_ARCHIVE }] } }\n')['log-archive'];
    expect(config(varies, 'bucket').transition_default_minimum_object_size).toBe('varies_by_storage_class');
  });

  test('expirationDays: never keeps log files', () => {
    const s = synth('trail:\n  archive: { lifecycle: { expirationDays: never } }\n')['log-archive'];
    expect(rule(s, 'bucket').expiration).toBeUndefined();
  });

  test('access logs expire after 365 days by default, or as configured', () => {
    expect(rule(archive, 'access-logs').expiration).toEqual([{ days: 365 }]);
    expect(rule(synth('trail:\n  archive: { accessLogs: { expirationDays: 90 } }\n')['log-archive'], 'access-logs').expiration).toEqual([{ days: 90 }]);
  });
});

describe('Object Lock', () => {
  test('off by default', () => {
    expect(resource(archive, 'aws_s3_bucket', 'log-archive/bucket/bucket').object_lock_enabled).toBeUndefined();
    expect(all(archive, 'aws_s3_bucket_object_lock_configuration')).toEqual([]);
  });

  test('on: the bucket is created with Object Lock and a default retention in the configured mode', () => {
    const s = synth('trail:\n  archive: { objectLock: { mode: COMPLIANCE, days: 365 } }\n')['log-archive'];
    expect(resource(s, 'aws_s3_bucket', 'log-archive/bucket/bucket').object_lock_enabled).toBe(true);
    expect(resource(s, 'aws_s3_bucket_object_lock_configuration', 'log-archive/bucket/object-lock').rule).toEqual({ default_retention: { mode: 'COMPLIANCE', days: 365 } });
    // the access-log bucket is not locked
    expect(resource(s, 'aws_s3_bucket', 'log-archive/access-logs/bucket').object_lock_enabled).toBeUndefined();
  });
});

test('access logging is switched on only after the access-log bucket policy admits the S3 logging service', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthConfigFile } = require('../support/example') as typeof import('../support/example');
  const json = synthConfigFile().json('log-archive');
  const logging = Object.values(json.resource.aws_s3_bucket_logging) as { depends_on?: string[] }[];
  const policies = Object.keys(json.resource.aws_s3_bucket_policy).map((k) => `aws_s3_bucket_policy.${k}`);
  expect(logging).toHaveLength(1);
  expect(logging[0].depends_on).toEqual([policies.find((p) => p.includes('access-logs'))]);
});
