/** `trailwatch sigma convert`: what a user sees on the command line. */
import * as fs from 'fs';
import * as path from 'path';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { runCli, tempDir } from '../support/cli';

const VENDOR = path.join(__dirname, '../../vendor/sigma');
const rule = (f: string) => path.join(VENDOR, f);

test('default target: one CloudWatch filter pattern per rule, headed by title, id and ATT&CK ids', async () => {
  const r = await runCli(['sigma', 'convert', rule('aws_root_account_usage.yml'), rule('aws_enum_listing.yml')]);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toMatch(/^# AWS Root Credentials \(8ad1600d-e9dc-4251-b0ee-a65268f29add, .*aws_root_account_usage\.yml, by vitaliy0x1\) \[T1078\.004 /);
  expect(compileFilterPattern(lines[1]).matchesEvent({ userIdentity: { type: 'Root' }, eventName: 'CreateUser' })).toBe(true);
  expect(lines[2]).toContain('alarm: >= 51 in 600 s');
  expect(lines[3]).toBe('{ ($.eventName = "List*") }');
});

test('--json --to eventbridge: metadata, warnings and the event pattern', async () => {
  const r = await runCli(['sigma', 'convert', '--json', '--to', 'eventbridge', rule('aws_console_getsignintoken.yml')]);
  expect(r.code).toBe(0);
  const [out] = JSON.parse(r.stdout);
  expect(out).toMatchObject({
    id: 'sigma-f8103686-e3e8-46f3-be72-65f7fcb4aa53',
    author: 'Chester Le Bron (@123Le_Bron)',
    attack: { tactics: ['TA0008'], techniques: ['T1021.007', 'T1550.001'] },
    target: 'eventbridge',
    pattern: { 'detail-type': ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail'], detail: { eventName: ['GetSigninToken'] } },
    // GetSigninToken starts with Get: EventBridge withholds it from ENABLED rules (lib/catalog/read-only.ts).
    state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
  });
  expect(out.warnings).toEqual([expect.stringMatching(/aws_console_getsignintoken\.yml:24:9: userAgent is compared case-sensitively/)]);
  expect(r.stderr).toContain('warning:');
});

test('--to eventbridge refuses a count rule (EventBridge cannot count: it would page on every event), naming the rule', async () => {
  const r = await runCli(['sigma', 'convert', '--to', 'eventbridge', rule('aws_enum_listing.yml')]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/aws_enum_listing\.yml:\d+:1: detection \(as eventbridge\): a count rule: its alarm needs at least 51 matching events in 600 s; an EventBridge rule acts on every single matching event and cannot count/);
  // The same rule converts for CloudWatch, where the alarm counts.
  expect((await runCli(['sigma', 'convert', '--to', 'cloudwatch', rule('aws_enum_listing.yml')])).code).toBe(0);
});

test('--skip-unsupported converts a folder\'s convertible rules and lists the others on stderr', async () => {
  const r = await runCli(['sigma', 'convert', '--to', 'eventbridge', '--json', '--skip-unsupported', VENDOR]);
  expect(r.code).toBe(0);
  const files = (JSON.parse(r.stdout) as { file: string }[]).map((x) => path.basename(x.file));
  expect(files).toHaveLength(8);
  expect(files).not.toContain('aws_enum_listing.yml');
  const skipped = r.stderr.split('\n').filter((l) => l.startsWith('trailwatch: skipped: '));
  expect(skipped.map((l) => /([\w.]+\.yml):/.exec(l)![1]).sort()).toEqual(
    ['aws_cloudtrail_imds_malicious_usage.yml', 'aws_disable_bucket_versioning.yml', 'aws_enum_listing.yml', 'aws_lambda_function_created_or_invoked.yml', 'aws_macic_evasion.yml', 'aws_update_login_profile.yml'],
  );
  expect(r.stderr).toContain('trailwatch: 6 of 14 Sigma rules skipped (cannot be converted to eventbridge); 8 converted');
  // Without the flag the same folder is refused whole.
  expect((await runCli(['sigma', 'convert', '--to', 'eventbridge', VENDOR])).code).toBe(1);
});

test('--skip-unsupported still fails when no rule converts', async () => {
  const r = await runCli(['sigma', 'convert', '--to', 'eventbridge', '--skip-unsupported', rule('aws_enum_listing.yml')]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/none of the 1 Sigma rule can be converted to eventbridge/);
});

test('fails closed: one rule that cannot be expressed prints every refusal and nothing on stdout', async () => {
  const r = await runCli(['sigma', 'convert', rule('aws_root_account_usage.yml'), rule('aws_update_login_profile.yml')]);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/aws_update_login_profile\.yml:24:9: userIdentity\.arn\|fieldref: the fieldref modifier/);
  expect(r.stderr).toContain('1 of 2 Sigma rules cannot be converted to cloudwatch; nothing was printed');
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
});

test('--to eventbridge names the rule state: ListBuckets is withheld from ENABLED rules, AssumeRoleWithSAML is not', async () => {
  const r = await runCli(['sigma', 'convert', '--to', 'eventbridge', rule('aws_enum_buckets.yml'), rule('aws_susp_saml_activity.yml')]);
  const headers = r.stdout.split('\n').filter((l) => l.startsWith('# '));
  expect(headers[0]).toMatch(/state: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS$/);
  expect(headers[1]).toMatch(/state: ENABLED$/);
});

test('--to eventbridge refuses a regex rule, naming it; --to sql renders it', async () => {
  const eb = await runCli(['sigma', 'convert', '--to', 'eventbridge', rule('aws_cloudtrail_imds_malicious_usage.yml')]);
  expect(eb.code).toBe(1);
  expect(eb.stderr).toMatch(/aws_cloudtrail_imds_malicious_usage\.yml:1:1: detection \(as eventbridge\): regex on userIdentity\.arn/);
  const sql = await runCli(['sigma', 'convert', '--to', 'sql', rule('aws_cloudtrail_imds_malicious_usage.yml')]);
  expect(sql.code).toBe(0);
  expect(sql.stdout).toContain("regexp_like(useridentity.arn, '.+:assumed-role/aws:.+')");
});

test('a folder is read recursively; a missing path and a folder without rules are errors', async () => {
  const dir = tempDir('tw-sigma-');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.copyFileSync(rule('aws_sso_idp_change.yml'), path.join(dir, 'sub', 'a.yml'));
  const ok = await runCli(['sigma', 'convert', dir]);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('AWS Identity Center Identity Provider Change');
  const missing = await runCli(['sigma', 'convert', path.join(dir, 'nope.yml')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/cannot read Sigma rules at .*nope\.yml: no such file or folder/);
  fs.mkdirSync(path.join(dir, 'empty'));
  const empty = await runCli(['sigma', 'convert', path.join(dir, 'empty')]);
  expect(empty.code).toBe(1);
  expect(empty.stderr).toMatch(/no Sigma rules \(\.yml or \.yaml files\) in the folder/);
});

test('the --json shape in README lists every key sigma convert prints', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('sigma convert rules/ --to sql --json');
  const shape = readme.slice(start, readme.indexOf('```', start));
  for (const to of ['sql', 'eventbridge', 'cloudwatch']) {
    const r = await runCli(['sigma', 'convert', '--json', '--to', to, rule('aws_susp_saml_activity.yml')]);
    for (const key of Object.keys(JSON.parse(r.stdout)[0])) expect(shape).toContain(`"${key}"`);
  }
});

test('npm run sigma:report prints the count and, for each rule that does not convert, the reason', () => {
  const root = path.join(__dirname, '../..');
  const out = require('child_process').execFileSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/sigma-report.ts', 'vendor/sigma'], { cwd: root, encoding: 'utf8' }) as string;
  expect(out.split('\n')[0]).toBe('Sigma rules: 14; convert to CloudWatch, EventBridge and SQL: 8; to some targets only: 3; refused: 3');
  expect(out).toMatch(/- aws_macic_evasion\.yml "AWS Macie Evasion": converts, but not to eventbridge \(a count rule: .*its alarm counts matches per sourceIPAddress \(Contributor Insights\)/);
  // A count rule is not converted to EventBridge: a rule would page on every single List* call.
  expect(out).toMatch(/- aws_enum_listing\.yml "Account Enumeration on AWS": converts, but not to eventbridge \(a count rule: its alarm needs at least 51 matching events in 600 s; an EventBridge rule acts on every single matching event and cannot count/);
  expect(out).toMatch(/aws_cloudtrail_imds_malicious_usage\.yml "Malicious Usage Of IMDS Credentials Outside Of AWS Infrastructure": converts, but not to eventbridge \(regex on userIdentity\.arn/);
  expect(out).toMatch(/- aws_update_login_profile\.yml:24:9 "AWS User Login Profile Was Modified": userIdentity\.arn\|fieldref: /);
});

describe('issue 18: SQL comments and files listed twice', () => {
  test('--to sql heads each query with an SQL comment (-- title), not #', async () => {
    const r = await runCli(['sigma', 'convert', '--to', 'sql', rule('aws_root_account_usage.yml'), rule('aws_enum_listing.yml')]);
    expect(r.code).toBe(0);
    const headers = r.stdout.split('\n').filter((l) => /AWS Root Credentials|aws_enum_listing/.test(l));
    expect(headers.length).toBeGreaterThanOrEqual(2);
    for (const h of headers) expect(h).toMatch(/^-- /);
    expect(r.stdout).not.toMatch(/^#/m);
  });

  test('a folder and a file inside it listed together are one rule, not a duplicate id', async () => {
    const dir = tempDir('tw-sigma-');
    fs.copyFileSync(rule('aws_root_account_usage.yml'), path.join(dir, 'root.yml'));
    fs.symlinkSync(path.join(dir, 'root.yml'), path.join(dir, 'link.yml'));
    const r = await runCli(['sigma', 'convert', dir, path.join(dir, 'root.yml'), path.join(dir, 'link.yml')]);
    expect(r.stderr).not.toMatch(/duplicate/);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^# AWS Root Credentials/gm)).toHaveLength(1);
  });
});
