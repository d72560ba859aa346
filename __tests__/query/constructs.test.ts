/**
 * trail.archive.query: {engine: athena}: the table, workgroup, results bucket, query role and named
 * queries in the querying account's stack, and the archive policy statements for the role.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REGION_NAMES } from '../../lib/core/regions';
import { manifestDependencies } from '../../lib/rollout/dependencies';
import { checkTrailPosture } from '../support/posture';
import { resource, statements, synth, type TfJson } from '../trail/helpers';
import { parseConfigText } from '../../lib/config/load';
import { MINIMAL_YAML, refusal } from '../support/configs';
import { buildApp } from '../../lib/app/build-app';
import { initAndValidate, terraform } from '../support/terraform';
import { planAll } from '../../lib/plan/plan';

const SECURITY = `  securityAccount: { id: "333333333333", name: security }\n`;

/** MINIMAL_YAML with a security account (333...) and a query section. */
function stacksWith(query: string, trail = ''): Record<string, TfJson> {
  const yaml = MINIMAL_YAML.replace('accounts:\n', `${SECURITY}accounts:\n`) + `trail:\n${trail}  archive:\n    query:\n${query}`;
  return synth(parseConfigText(yaml, 'test.yaml'));
}

const TYPES = ['aws_glue_catalog_database', 'aws_glue_catalog_table', 'aws_athena_workgroup', 'aws_athena_named_query', 'aws_iam_role'];

describe('without the query section', () => {
  test('no Glue, Athena or query resources anywhere', () => {
    const stacks = synth();
    for (const s of Object.values(stacks)) for (const t of TYPES.slice(0, 4)) expect(s.resource?.[t]).toBeUndefined();
  });
});

describe('engine: athena (security account by default)', () => {
  const stacks = stacksWith('      engine: athena\n      firstDay: "2025-03-01"\n');
  const sec = stacks.security;

  test('only the security stack gets the table, workgroup and queries', () => {
    for (const [name, s] of Object.entries(stacks)) {
      expect(Boolean(s.resource?.aws_athena_workgroup)).toBe(name === 'security');
      expect(Boolean(s.resource?.aws_glue_catalog_table)).toBe(name === 'security');
    }
  });

  test('the table: AWS documented CloudTrail format, organization layout, projection of every account and every commercial region', () => {
    const t = resource(sec, 'aws_glue_catalog_table', 'archive-query/table/table');
    expect(t.name).toBe('cloudtrail_logs');
    expect(t.storage_descriptor.input_format).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(t.storage_descriptor.ser_de_info.serialization_library).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
    expect(t.storage_descriptor.location).toBe('s3://trailwatch-cloudtrail-222222222222-us-east-1/AWSLogs/o-a1b2c3d4e5/');
    expect(t.partition_keys.map((k: TfJson) => k.name)).toEqual(['account', 'region', 'timestamp']);
    const p = t.parameters;
    expect(p['projection.enabled']).toBe('true');
    expect(p['projection.account.values'].split(',').sort()).toEqual(['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']);
    // dev-app is governed in eu-west-1 only, yet the multi-region trail writes every region.
    expect(p['projection.region.values'].split(',')).toEqual(REGION_NAMES);
    expect(p['projection.timestamp.range']).toBe('2025/03/01,NOW');
    expect(p['projection.timestamp.format']).toBe('yyyy/MM/dd');
    const cols = t.storage_descriptor.columns.map((c: TfJson) => c.name);
    for (const c of ['useridentity', 'eventtime', 'eventsource', 'eventname', 'errorcode', 'requestparameters', 'additionaleventdata', 'resources', 'tlsdetails']) expect(cols).toContain(c);
  });

  test('the location template holds no literal ${ or %{ in the stack text, and Terraform reads it back exactly', () => {
    const t = resource(sec, 'aws_glue_catalog_table', 'archive-query/table/table');
    const raw: string = t.parameters['storage.location.template'];
    expect(raw).not.toMatch(/^[^$]*\$\{account\}/);
    expect(readBack(raw)).toBe('s3://trailwatch-cloudtrail-222222222222-us-east-1/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}');
    // Doubled: an escaping boundary that turns every literal `${` into `$${` leaves it unchanged.
    expect(raw.replace(/\$\{(?!base64decode)/g, '$${')).toBe(raw);
  });

  test('workgroup: enforced, engine 3, SSE-KMS results, cutoff, metrics', () => {
    const w = resource(sec, 'aws_athena_workgroup', 'archive-query/workgroup/workgroup');
    expect(w.name).toBe('trailwatch');
    expect(w.configuration).toMatchObject({
      enforce_workgroup_configuration: true,
      publish_cloudwatch_metrics_enabled: true,
      bytes_scanned_cutoff_per_query: 100000000000,
      engine_version: { selected_engine_version: 'Athena engine version 3' },
      result_configuration: { encryption_configuration: { encryption_option: 'SSE_KMS' }, expected_bucket_owner: '333333333333' },
    });
    expect(w.configuration.result_configuration.output_location).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.archive-query_workgroup_results_bucket_[0-9A-F]{8}\.id\}\/results\/$/);
  });

  test('results bucket: public access blocked, SSE-KMS, TLS only, results expire', () => {
    expect(resource(sec, 'aws_s3_bucket_public_access_block', 'archive-query/workgroup/results/public-access-block')).toMatchObject({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    const enc = resource(sec, 'aws_s3_bucket_server_side_encryption_configuration', 'archive-query/workgroup/results/encryption');
    expect(enc.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(statements(resource(sec, 'aws_s3_bucket_policy', 'archive-query/workgroup/results/policy').policy).DenyInsecureTransport.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    const lc = resource(sec, 'aws_s3_bucket_lifecycle_configuration', 'archive-query/workgroup/results/lifecycle');
    expect(lc.rule[0].expiration).toEqual([{ days: 30 }]);
  });

  test('one named query per enabled detection plus the hunting queries, each with partition predicates', () => {
    const q = Object.values(sec.resource.aws_athena_named_query as Record<string, TfJson>);
    const names = q.map((x) => x.name);
    expect(names).toContain('trailwatch-root-account-usage');
    expect(names).toEqual(expect.arrayContaining(['trailwatch-hunt-top-denied-callers', 'trailwatch-hunt-console-signin-without-mfa', 'trailwatch-hunt-new-access-keys']));
    for (const x of q) {
      const sql = x.query.startsWith('${base64decode(') ? readBack(x.query) : x.query;
      expect(sql).toContain('"timestamp" BETWEEN ? AND ?');
      expect(x.database).toMatch(/^\$\{aws_glue_catalog_database\./);
      expect(x.workgroup).toMatch(/^\$\{aws_athena_workgroup\./);
    }
  });

  test('the trail posture checks still pass with the new statements', () => {
    expect(checkTrailPosture(stacks)).toEqual([]);
  });

  test('the archive grants the role list of the prefix, get objects, decrypt through S3', () => {
    const role = 'arn:aws:iam::333333333333:role/trailwatch-athena-query';
    const bucket = statements(resource(stacks['log-archive'], 'aws_s3_bucket_policy', 'log-archive/bucket/policy').policy);
    expect(bucket.AllowAthenaQueryRoleList).toEqual({
      Sid: 'AllowAthenaQueryRoleList', Effect: 'Allow', Principal: { AWS: role }, Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::trailwatch-cloudtrail-222222222222-us-east-1', Condition: { StringLike: { 's3:prefix': 'AWSLogs/o-a1b2c3d4e5/*' } },
    });
    expect(bucket.AllowAthenaQueryRoleRead).toEqual({
      Sid: 'AllowAthenaQueryRoleRead', Effect: 'Allow', Principal: { AWS: role }, Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::trailwatch-cloudtrail-222222222222-us-east-1/AWSLogs/o-a1b2c3d4e5/*',
    });
    const key = statements(resource(stacks['log-archive'], 'aws_kms_key', 'log-archive/key').policy);
    expect(key.AllowAthenaQueryRoleDecryptViaS3).toMatchObject({ Principal: { AWS: role }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } });
  });
});

describe('terraform validate', () => {
  test('the security stack (table, workgroup, role, named queries) and the log-archive stack (statements for the role) validate', () => {
    const yaml = MINIMAL_YAML.replace('accounts:\n', `${SECURITY}accounts:\n`) + 'trail:\n  archive:\n    query: { engine: athena, extraAccountIds: ["777777777777"] }\n';
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-query-validate-')), 'cdktf.out');
    buildApp(planAll(parseConfigText(yaml, 'test.yaml')), { outdir }).app.synth();
    for (const stack of ['security', 'log-archive']) {
      const result = initAndValidate(path.join(outdir, 'stacks', stack));
      expect({ stack, errors: result.diagnostics.filter((d) => d.severity === 'error') }).toEqual({ stack, errors: [] });
    }
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }, 180_000);
});

describe('options', () => {
  test('log-archive account, account trails: per-account layout, no cross-account statements', () => {
    const stacks = stacksWith('      engine: athena\n      account: log-archive\n      bytesScannedCutoffPerQuery: 20000000\n', '  mode: account\n');
    const t = resource(stacks['log-archive'], 'aws_glue_catalog_table', 'archive-query/table/table');
    expect(readBack(t.parameters['storage.location.template'])).toBe('s3://trailwatch-cloudtrail-222222222222-us-east-1/AWSLogs/${account}/CloudTrail/${region}/${timestamp}');
    expect(resource(stacks['log-archive'], 'aws_athena_workgroup', 'archive-query/workgroup/workgroup').configuration.bytes_scanned_cutoff_per_query).toBe(20000000);
    const bucket = statements(resource(stacks['log-archive'], 'aws_s3_bucket_policy', 'log-archive/bucket/policy').policy);
    expect(bucket.AllowAthenaQueryRoleList).toBeUndefined();
    expect(stacks.security.resource?.aws_athena_workgroup).toBeUndefined();
  });

  test('a single-region trail projects its home region only', () => {
    const stacks = stacksWith('      engine: athena\n', '  multiRegion: false\n');
    expect(resource(stacks.security, 'aws_glue_catalog_table', 'archive-query/table/table').parameters['projection.region.values']).toBe('us-east-1');
  });

  test('bad values are refused with the place and the fix', () => {
    expect(refusal('trail:\n  archive:\n    query: { engine: athena, bytesScannedCutoffPerQuery: 5 }\n').join('\n')).toMatch(/trail\.archive\.query\.bytesScannedCutoffPerQuery: Athena accepts a cutoff of at least 10000000 bytes/);
    expect(refusal('trail:\n  archive:\n    query: { engine: athena, account: security }\n').join('\n')).toMatch(/query\.account: the organization has no securityAccount; set query\.account: log-archive/);
    expect(refusal('trail:\n  archive:\n    query: { engine: presto }\n').join('\n')).toMatch(/expected athena/);
  });
});

/** The value Terraform evaluates a JSON string attribute to: applied as an output of a scratch module (no provider). */
function readBack(jsonString: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-readback-'));
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ output: { v: { value: jsonString } } }));
  for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
    const r = terraform(dir, args);
    if (r.status !== 0) throw new Error(`terraform ${args[0]}: ${r.stderr}`);
  }
  const out = terraform(dir, ['output', '-raw', 'v']);
  fs.rmSync(dir, { recursive: true, force: true });
  return out.stdout;
}

describe('deploy order', () => {
  const plan = (trail: string) =>
    planAll(parseConfigText(MINIMAL_YAML.replace('accounts:\n', `${SECURITY}accounts:\n`) + `trail:\n${trail}  archive:\n    query: { engine: athena }\n`, 'test.yaml'));

  test('the log archive deploys after the querying account (its policies name the query role)', () => {
    const deps = manifestDependencies(plan(''), ['management', 'log-archive', 'security', 'prod-app', 'dev-app']);
    expect(deps.get('log-archive')).toEqual(['security']);
    expect(deps.get('security')).toEqual([]);
  });

  test('mode: account, where the security trail needs the archive: no cycle, the trail dependency stays', () => {
    const deps = manifestDependencies(plan('  mode: account\n'), ['management', 'log-archive', 'security', 'prod-app', 'dev-app']);
    expect(deps.get('security')).toEqual(['log-archive']);
    expect(deps.get('log-archive')).toEqual([]);
  });
});
