/**
 * Security-posture check of the trail baseline over synthesized Terraform JSON (cdk.tf.json of
 * every stack): what CIS AWS Foundations "Logging", Security Hub CloudTrail.1-7 and the usual S3
 * checks ask of a trail and its log archive. Reads only the JSON, so it checks what would be
 * deployed, whatever produced it; reused by fuzz tests of later issues. Test support: nothing in
 * lib/ uses it.
 *
 * Each failure is one line: `<item>: <stack> <address>: <what is wrong>`, `<item>` from POSTURE_ITEMS.
 */
import { MIN_RECOMMENDED_RETENTION_DAYS } from '../../lib/core/retention';

export const POSTURE_ITEMS = [
  'trail',
  'multi-region',
  'log-file-validation',
  'trail-kms',
  'cloudwatch-logs',
  'logging-enabled',
  'log-group-kms',
  'log-group-retention',
  'archive',
  'public-access-block',
  'versioning',
  'sse-kms',
  'access-logging',
  'bucket-owner-enforced',
  'tls-only-policy',
  'source-arn-conditions',
  'kms-rotation',
] as const;
export type PostureItem = (typeof POSTURE_ITEMS)[number];

/** Synthesized Terraform JSON of one stack. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, any>>>;
  readonly data?: Record<string, Record<string, Record<string, any>>>;
  readonly provider?: { readonly aws?: readonly Record<string, any>[] };
  readonly [key: string]: unknown;
}

export const MIN_LOG_RETENTION_DAYS = MIN_RECOMMENDED_RETENTION_DAYS;

interface Found {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly body: Record<string, any>;
}

/** Failed posture items; an empty list means every item passes. */
export function checkTrailPosture(stacks: Record<string, TerraformJson>): string[] {
  const out: string[] = [];
  const fail = (item: PostureItem, at: Found | string, detail: string) =>
    out.push(`${item}: ${typeof at === 'string' ? at : `${at.stack} ${at.type}.${at.name}`}: ${detail}`);

  const trails = resources(stacks, 'aws_cloudtrail');
  if (trails.length === 0) fail('trail', '(every stack)', 'no aws_cloudtrail resource in any stack');

  const archiveBuckets = new Map<string, Found>();
  for (const t of trails) {
    const b = t.body;
    if (b.is_multi_region_trail !== true) fail('multi-region', t, `is_multi_region_trail is ${show(b.is_multi_region_trail)}, expected true`);
    if (b.enable_log_file_validation !== true) fail('log-file-validation', t, `enable_log_file_validation is ${show(b.enable_log_file_validation)}, expected true`);
    if (b.enable_logging !== true) fail('logging-enabled', t, `enable_logging is ${show(b.enable_logging)}, expected true (explicitly)`);
    if (typeof b.kms_key_id !== 'string' || b.kms_key_id === '') fail('trail-kms', t, 'no kms_key_id: log files are not encrypted with a customer-managed key');
    else {
      // CloudTrail stores the key ARN: an alias here is a change on every plan, never converging.
      if (/(^|:)alias\//.test(b.kms_key_id)) fail('trail-kms', t, `kms_key_id ${show(b.kms_key_id)} is an alias; CloudTrail returns the key ARN, so every plan would change the trail: pass the key ARN`);
      checkKeyRotation(stacks, t.stack, b.kms_key_id, t, fail);
      // The key policy must not let CloudTrail encrypt for just any trail either.
      const key = resolveKey(stacks, t.stack, b.kms_key_id);
      for (const st of statementsOf(key?.body.policy)) {
        if (st.Effect === 'Allow' && values(st.Principal?.Service).includes('cloudtrail.amazonaws.com') && sourceArns(st).length === 0) {
          fail('source-arn-conditions', key!, `key policy statement ${show(st.Sid)} grants cloudtrail.amazonaws.com ${values(st.Action).join(', ')} without an aws:SourceArn condition`);
        }
      }
    }

    if (typeof b.cloud_watch_logs_group_arn !== 'string' || typeof b.cloud_watch_logs_role_arn !== 'string') {
      fail('cloudwatch-logs', t, 'no cloud_watch_logs_group_arn / cloud_watch_logs_role_arn: the trail does not deliver to CloudWatch Logs');
    } else {
      const group = referenced(stacks, t.stack, b.cloud_watch_logs_group_arn, 'aws_cloudwatch_log_group');
      if (!group) {
        fail('log-group-kms', t, `the log group ${b.cloud_watch_logs_group_arn} is not a log group of stack ${t.stack}`);
      } else {
        if (typeof group.body.kms_key_id !== 'string' || group.body.kms_key_id === '') fail('log-group-kms', group, 'no kms_key_id: the log group is not KMS-encrypted');
        else checkKeyRotation(stacks, group.stack, group.body.kms_key_id, group, fail);
        const days = group.body.retention_in_days;
        if (!(typeof days === 'number' && (days === 0 || days >= MIN_LOG_RETENTION_DAYS))) {
          fail('log-group-retention', group, `retention_in_days is ${show(days)}, expected at least ${MIN_LOG_RETENTION_DAYS} (or 0, never expire)`);
        }
      }
    }

    const bucket = resources(stacks, 'aws_s3_bucket').find((x) => x.body.bucket === b.s3_bucket_name);
    if (!bucket) fail('archive', t, `its bucket ${show(b.s3_bucket_name)} is not created by any stack`);
    else archiveBuckets.set(`${bucket.stack} ${bucket.name}`, bucket);
  }

  const trailArnsByBucket = new Map<string, string[]>();
  for (const t of trails) {
    const arn = trailArnOf(stacks[t.stack], t.body);
    if (arn) trailArnsByBucket.set(t.body.s3_bucket_name, [...(trailArnsByBucket.get(t.body.s3_bucket_name) ?? []), arn]);
  }

  for (const bucket of archiveBuckets.values()) {
    const bucketName: string = bucket.body.bucket;
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    const attached = (type: string) => resources(stacks, type).filter((x) => x.stack === bucket.stack && refersTo(x.body.bucket, bucket));

    // Every bucket of the archive's stack (the access-log bucket too) is private.
    for (const any of resources(stacks, 'aws_s3_bucket').filter((x) => x.stack === bucket.stack)) {
      const pab = resources(stacks, 'aws_s3_bucket_public_access_block').find((x) => x.stack === any.stack && refersTo(x.body.bucket, any));
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      const off = pab ? flags.filter((f) => pab.body[f] !== true) : flags;
      if (off.length > 0) fail('public-access-block', any, pab ? `${off.join(', ')} not true` : 'no aws_s3_bucket_public_access_block');
    }

    if (!attached('aws_s3_bucket_versioning').some((v) => first(v.body.versioning_configuration)?.status === 'Enabled')) fail('versioning', bucket, 'versioning is not Enabled');

    const sse = attached('aws_s3_bucket_server_side_encryption_configuration').flatMap((x) => list(x.body.rule)).map((r) => first(r.apply_server_side_encryption_by_default));
    const kms = sse.find((d) => d?.sse_algorithm === 'aws:kms' && typeof d.kms_master_key_id === 'string' && d.kms_master_key_id !== '');
    if (!kms) fail('sse-kms', bucket, 'default encryption is not SSE-KMS with a customer-managed key');
    else checkKeyRotation(stacks, bucket.stack, kms.kms_master_key_id, bucket, fail);

    const logging = attached('aws_s3_bucket_logging');
    if (!logging.some((l) => typeof l.body.target_bucket === 'string' && l.body.target_bucket !== bucketName && !refersTo(l.body.target_bucket, bucket))) {
      fail('access-logging', bucket, 'no server access logging into a separate bucket');
    }

    const ownership = attached('aws_s3_bucket_ownership_controls').map((x) => first(x.body.rule)?.object_ownership);
    if (!ownership.includes('BucketOwnerEnforced')) fail('bucket-owner-enforced', bucket, `object ownership is ${show(ownership[0])}, expected BucketOwnerEnforced (ACLs disabled)`);

    const policies = attached('aws_s3_bucket_policy');
    const statements = policies.flatMap((p) => statementsOf(p.body.policy));
    const tls = statements.some(
      (s) =>
        s.Effect === 'Deny' &&
        isEveryone(s.Principal) &&
        values(s.Action).some((a) => a === 's3:*') &&
        values(s.Resource).includes(bucketArn) &&
        values(s.Resource).includes(`${bucketArn}/*`) &&
        String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
    );
    if (!tls) fail('tls-only-policy', bucket, 'the bucket policy does not deny requests without TLS (aws:SecureTransport false) on the bucket and its objects');

    const cloudtrail = statements.filter((s) => s.Effect === 'Allow' && values(s.Principal?.Service).includes('cloudtrail.amazonaws.com'));
    const expected = trailArnsByBucket.get(bucketName) ?? [];
    if (!cloudtrail.some((s) => values(s.Action).includes('s3:PutObject'))) fail('source-arn-conditions', bucket, 'no statement lets cloudtrail.amazonaws.com write log files');
    for (const s of cloudtrail) {
      const arns = sourceArns(s);
      if (arns.length === 0) fail('source-arn-conditions', bucket, `statement ${show(s.Sid)} grants cloudtrail.amazonaws.com ${values(s.Action).join(', ')} without an aws:SourceArn condition`);
      else if (arns.some((a) => a.includes('*'))) fail('source-arn-conditions', bucket, `statement ${show(s.Sid)} has a wildcard aws:SourceArn`);
      else {
        const missing = expected.filter((a) => !arns.includes(a));
        if (missing.length > 0) fail('source-arn-conditions', bucket, `statement ${show(s.Sid)} does not name the trail(s) ${missing.join(', ')} in aws:SourceArn`);
      }
    }
  }
  return out;
}

function checkKeyRotation(
  stacks: Record<string, TerraformJson>,
  stack: string,
  keyRef: string,
  at: Found,
  fail: (item: PostureItem, at: Found | string, detail: string) => void,
): void {
  const key = resolveKey(stacks, stack, keyRef);
  if (!key) fail('kms-rotation', at, `the key ${keyRef} is not a KMS key created by any stack, so its rotation cannot be checked`);
  else if (key.body.enable_key_rotation !== true) fail('kms-rotation', key, 'enable_key_rotation is not true');
}

/**
 * A key reference: `${aws_kms_key.x.arn}` in the same stack, `${data.aws_kms_key.x.arn}` (looked up
 * by its key_id), or an alias ARN / alias name of a stack's aws_kms_alias.
 */
function resolveKey(stacks: Record<string, TerraformJson>, stack: string, ref: string): Found | undefined {
  const direct = referenced(stacks, stack, ref, 'aws_kms_key');
  if (direct) return direct;
  const lookup = /\$\{data\.aws_kms_key\.([\w-]+)\./.exec(ref)?.[1];
  const keyId = lookup ? stacks[stack]?.data?.aws_kms_key?.[lookup]?.key_id : undefined;
  if (typeof keyId === 'string' && !keyId.includes('${data.aws_kms_key.')) return resolveKey(stacks, stack, keyId);
  const alias = /(alias\/[\w/-]+)$/.exec(ref)?.[1];
  if (!alias) return undefined;
  const accountId = /^arn:aws:kms:[^:]+:(\d{12}):/.exec(ref)?.[1];
  const a = resources(stacks, 'aws_kms_alias').find((x) => x.body.name === alias && (accountId === undefined || stackAccount(stacks[x.stack]) === accountId));
  return a ? referenced(stacks, a.stack, a.body.target_key_id, 'aws_kms_key') : undefined;
}

function referenced(stacks: Record<string, TerraformJson>, stack: string, value: unknown, type: string): Found | undefined {
  if (typeof value !== 'string') return undefined;
  const m = new RegExp(`\\$\\{${type}\\.([\\w-]+)\\.`).exec(value);
  if (!m) return undefined;
  const body = stacks[stack]?.resource?.[type]?.[m[1]];
  return body ? { stack, type, name: m[1], body } : undefined;
}

function resources(stacks: Record<string, TerraformJson>, type: string): Found[] {
  return Object.entries(stacks).flatMap(([stack, json]) => Object.entries(json.resource?.[type] ?? {}).map(([name, body]) => ({ stack, type, name, body })));
}

function refersTo(value: unknown, target: Found): boolean {
  return typeof value === 'string' && (value.includes(`\${${target.type}.${target.name}.`) || value === target.body.bucket);
}

function stackAccount(json: TerraformJson | undefined): string | undefined {
  const p = json?.provider?.aws?.find((x) => x.alias === undefined) ?? json?.provider?.aws?.[0];
  return Array.isArray(p?.allowed_account_ids) && p.allowed_account_ids.length === 1 ? p.allowed_account_ids[0] : undefined;
}

/** The trail's ARN from its name and its provider's region and pinned account. */
function trailArnOf(json: TerraformJson | undefined, trail: Record<string, any>): string | undefined {
  const alias = typeof trail.provider === 'string' && trail.provider.startsWith('aws.') ? trail.provider.slice(4) : undefined;
  const p = json?.provider?.aws?.find((x) => x.alias === alias);
  const account = Array.isArray(p?.allowed_account_ids) ? p.allowed_account_ids[0] : undefined;
  return p?.region && account && typeof trail.name === 'string' ? `arn:aws:cloudtrail:${p.region}:${account}:trail/${trail.name}` : undefined;
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: any;
  Action?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statementsOf(policy: unknown): Statement[] {
  if (typeof policy !== 'string') return [];
  try {
    const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    return list(doc.Statement);
  } catch {
    return [];
  }
}

function sourceArns(s: Statement): string[] {
  return Object.entries(s.Condition ?? {})
    .filter(([op]) => /^(StringEquals|ArnEquals|ArnLike|StringLike)$/.test(op))
    .flatMap(([, kv]) => values(kv['aws:SourceArn']));
}

function isEveryone(p: unknown): boolean {
  return p === '*' || (typeof p === 'object' && p !== null && values((p as { AWS?: unknown }).AWS).includes('*'));
}

function values(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function first<T>(v: T | T[] | undefined): T | undefined {
  return list(v)[0];
}

function show(v: unknown): string {
  return v === undefined ? 'not set' : JSON.stringify(v);
}
