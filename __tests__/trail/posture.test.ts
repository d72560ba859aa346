/**
 * The security-posture check over synthesized JSON: passes on the example (and the other modes'
 * defaults), and fails, naming the item, on JSON with exactly that one setting broken.
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { loadConfigFile } from '../../lib/config/load';
import { checkTrailPosture, POSTURE_ITEMS, type PostureItem } from '../support/posture';
import { EXAMPLE_CONFIG } from '../support/example';
import { synth, type TfJson } from './helpers';
import { planAll } from '../../lib/plan/plan';

const example: Record<string, TfJson> = (() => {
  const { stacks } = buildApp(planAll(loadConfigFile(EXAMPLE_CONFIG)), { outdir: Testing.app().outdir });
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
})();

/** The one resource of `type` in `stack` whose address starts with `prefix`. */
function find(stacks: Record<string, TfJson>, stack: string, type: string, prefix: string): TfJson {
  const hits = Object.entries(stacks[stack].resource[type] as Record<string, TfJson>).filter(([n]) => n.startsWith(prefix));
  if (hits.length !== 1) throw new Error(`expected one ${type} ${prefix}* in ${stack}, found ${hits.length}`);
  return hits[0][1];
}

function editPolicy(r: TfJson, edit: (statements: any[]) => any[]): void {
  const doc = JSON.parse(r.policy);
  doc.Statement = edit(doc.Statement);
  r.policy = JSON.stringify(doc);
}

describe('the example passes every item', () => {
  test('no failures over the synthesized example', () => {
    expect(checkTrailPosture(example)).toEqual([]);
  });

  test('it checks the organization trail and the archive the example defines', () => {
    expect(Object.keys(example.management.resource.aws_cloudtrail)).toHaveLength(1);
    expect(Object.keys(example['log-archive'].resource.aws_s3_bucket)).toHaveLength(2);
  });

  test('account mode and SNS notifications pass too', () => {
    expect(checkTrailPosture(synth('trail: { mode: account, snsNotification: true }\n'))).toEqual([]);
  });
});

const trail = (s: Record<string, TfJson>) => find(s, 'management', 'aws_cloudtrail', 'trail_');
const logGroup = (s: Record<string, TfJson>) => find(s, 'management', 'aws_cloudwatch_log_group', 'cloudwatch-logs_');
const archive = (s: Record<string, TfJson>, type: string, what = 'bucket') => find(s, 'log-archive', type, `log-archive_${what}_`);

const MUTATIONS: [PostureItem, string, (s: Record<string, TfJson>) => void][] = [
  ['multi-region', 'a single-region trail', (s) => (trail(s).is_multi_region_trail = false)],
  ['log-file-validation', 'log file validation off', (s) => (trail(s).enable_log_file_validation = false)],
  ['trail-kms', 'no KMS key on the trail', (s) => delete trail(s).kms_key_id],
  // CloudTrail returns the key ARN: an alias never converges.
  ['trail-kms', 'the archive key by its alias ARN', (s) => (trail(s).kms_key_id = 'arn:aws:kms:us-east-1:222222222222:alias/trailwatch-cloudtrail')],
  ['cloudwatch-logs', 'no CloudWatch Logs delivery', (s) => delete trail(s).cloud_watch_logs_group_arn],
  ['logging-enabled', 'logging not explicitly enabled', (s) => delete trail(s).enable_logging],
  ['logging-enabled', 'logging stopped', (s) => (trail(s).enable_logging = false)],
  ['log-group-kms', 'an unencrypted log group', (s) => delete logGroup(s).kms_key_id],
  ['log-group-retention', '30 days of retention', (s) => (logGroup(s).retention_in_days = 30)],
  ['log-group-retention', 'no retention set', (s) => delete logGroup(s).retention_in_days],
  ['archive', 'a trail delivering to a bucket no stack creates', (s) => (trail(s).s3_bucket_name = 'somebody-elses-bucket')],
  ['public-access-block', 'one setting off on the archive', (s) => (archive(s, 'aws_s3_bucket_public_access_block').block_public_policy = false)],
  ['public-access-block', 'one setting off on the access-log bucket', (s) => (archive(s, 'aws_s3_bucket_public_access_block', 'access-logs').restrict_public_buckets = false)],
  ['versioning', 'versioning suspended', (s) => (archive(s, 'aws_s3_bucket_versioning').versioning_configuration.status = 'Suspended')],
  ['sse-kms', 'SSE-S3 instead of SSE-KMS', (s) => (archive(s, 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'AES256' })],
  ['access-logging', 'no server access logging', (s) => delete s['log-archive'].resource.aws_s3_bucket_logging],
  ['bucket-owner-enforced', 'ACLs enabled', (s) => (archive(s, 'aws_s3_bucket_ownership_controls').rule.object_ownership = 'BucketOwnerPreferred')],
  ['tls-only-policy', 'no TLS-only statement', (s) => editPolicy(archive(s, 'aws_s3_bucket_policy'), (st) => st.filter((x) => x.Sid !== 'DenyInsecureTransport'))],
  [
    'source-arn-conditions',
    'a CloudTrail grant without aws:SourceArn',
    (s) => editPolicy(archive(s, 'aws_s3_bucket_policy'), (st) => st.map((x) => (x.Sid === 'AllowCloudTrailWrite' ? { ...x, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } } : x))),
  ],
  [
    'source-arn-conditions',
    'a wildcard aws:SourceArn',
    (s) => editPolicy(archive(s, 'aws_s3_bucket_policy'), (st) => st.map((x) => (x.Sid === 'AllowCloudTrailAclCheck' ? { ...x, Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:*:trail/*' } } } : x))),
  ],
  [
    'source-arn-conditions',
    'an aws:SourceArn naming another trail',
    (s) => editPolicy(archive(s, 'aws_s3_bucket_policy'), (st) => st.map((x) => (x.Sid === 'AllowCloudTrailAclCheck' ? { ...x, Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111:trail/other' } } } : x))),
  ],
  [
    'source-arn-conditions',
    'a key policy letting CloudTrail encrypt for any trail',
    (s) => editPolicy(find(s, 'log-archive', 'aws_kms_key', 'log-archive_key_'), (st) => st.map((x) => (x.Sid === 'AllowCloudTrailEncrypt' ? { ...x, Condition: { StringLike: x.Condition.StringLike } } : x))),
  ],
  ['kms-rotation', 'the archive key not rotated', (s) => (find(s, 'log-archive', 'aws_kms_key', 'log-archive_key_').enable_key_rotation = false)],
  // The trail's key is looked up by alias ARN: the check follows the lookup to the key, so a wrong lookup is caught.
  ['kms-rotation', "the trail's key lookup naming a key no stack creates", (s) => (s.management.data.aws_kms_key['archive-key'].key_id = 'arn:aws:kms:us-east-1:222222222222:alias/other')],
  ['kms-rotation', 'the log group key not rotated', (s) => (find(s, 'management', 'aws_kms_key', 'cloudwatch-logs_key_').enable_key_rotation = false)],
];

describe('each item fails, by name, on JSON with that setting broken', () => {
  test.each(MUTATIONS)('%s: %s', (item, _what, mutate) => {
    const broken = structuredClone(example);
    mutate(broken);
    const failures = checkTrailPosture(broken);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.startsWith(`${item}: `)).toBe(true);
  });

  test('every item of the list is exercised by a mutation (except "trail", below)', () => {
    expect(new Set(MUTATIONS.map(([item]) => item))).toEqual(new Set(POSTURE_ITEMS.filter((i) => i !== 'trail')));
  });

  test('trail: no trail at all (mode: existing) fails the check', () => {
    const failures = checkTrailPosture(synth('trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n'));
    expect(failures).toEqual(['trail: (every stack): no aws_cloudtrail resource in any stack']);
  });

  test('failures name the stack and the resource address', () => {
    const broken = structuredClone(example);
    trail(broken).is_multi_region_trail = false;
    expect(checkTrailPosture(broken)).toEqual([expect.stringMatching(/^multi-region: management aws_cloudtrail\.trail_[0-9A-F]{8}: is_multi_region_trail is false, expected true$/)]);
  });
});
