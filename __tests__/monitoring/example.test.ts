/**
 * The example trailwatch.yaml end to end: the stack that holds the trail's log group gets the
 * fifteen CIS detections and the threat catalog wired by reference and an encrypted topic with a subscriber; a bad override
 * fails the CLI with a clear message and writes nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../main';
import { parseConfigText } from '../../lib/config/load';
import { planDetections } from '../../lib/monitoring/plan';
import { CATALOG, THREAT_CATALOG } from '../../lib/catalog';
import { compileFilterPattern, type CompiledJsonPattern } from '../../lib/filter-pattern';
import { EXAMPLE_CONFIG, synthConfigFile } from '../support/example';
import { alarmWiringViolations } from '../support/safety';
import { readTree } from '../support/tree';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';

const out = synthConfigFile();
const resources = (stack: string, type: string) => Object.values((out.json(stack).resource?.[type] ?? {}) as Record<string, Record<string, any>>);
const withLogs = out.stacks.filter((s) => resources(s, 'aws_cloudwatch_log_metric_filter').length > 0);

describe('the example organization', () => {
  test('one stack holds the detections, on the log group its trail delivers to', () => {
    expect(withLogs).toEqual(['management']);
    const [trail] = resources('management', 'aws_cloudtrail');
    const groupKey = /^\$\{aws_cloudwatch_log_group\.([^.]+)\.arn\}/.exec(trail.cloud_watch_logs_group_arn)![1];
    const group = out.json('management').resource.aws_cloudwatch_log_group[groupKey];
    expect(group.name).toBe('aws-cloudtrail-logs/trailwatch');
    const filters = resources('management', 'aws_cloudwatch_log_metric_filter');
    // By reference, so Terraform creates the group (after its KMS key) before any filter: PutMetricFilter fails on a missing group.
    for (const f of filters) expect(f.log_group_name).toBe(`\${aws_cloudwatch_log_group.${groupKey}.name}`);
  });

  test('15 CIS and every threat detection with its alarm (a metric filter, or a Contributor Insights rule per principal), every alarm wired by reference', () => {
    const n = CATALOG.length + THREAT_CATALOG.length;
    const rules = resources('management', 'aws_cloudwatch_contributor_insight_rule');
    expect(rules.map((r) => r.rule_name).sort()).toEqual(['trailwatch-console-login-failures-per-user', 'trailwatch-ec2-password-data-retrieved', 'trailwatch-iam-enumeration', 'trailwatch-secrets-harvesting']);
    expect(resources('management', 'aws_cloudwatch_log_metric_filter')).toHaveLength(n - rules.length);
    expect(resources('management', 'aws_cloudwatch_metric_alarm')).toHaveLength(n);
    expect(alarmWiringViolations(out.json('management'))).toEqual([]);
  });

  test('threat detections stay on the metric-filter path: no EventBridge rule for any of them in any stack', () => {
    const ruleNames = out.stacks.flatMap((s) => resources(s, 'aws_cloudwatch_event_rule').map((r) => String(r.name)));
    expect(ruleNames.length).toBeGreaterThan(0);
    for (const t of THREAT_CATALOG) expect(ruleNames).not.toContain(`trailwatch-${t.id}`);
  });

  test('volume thresholds from the example and the catalog, an exclusion from the example reaches its pattern', () => {
    const alarms = resources('management', 'aws_cloudwatch_metric_alarm');
    expect(alarms.find((a) => a.alarm_name === 'trailwatch-secrets-harvesting')!.threshold).toBe(10); // the example's tuning, per principal
    expect(alarms.find((a) => a.alarm_name === 'trailwatch-ssm-parameter-harvesting')!.threshold).toBe(100); // the catalog's
    const filters = resources('management', 'aws_cloudwatch_log_metric_filter');
    expect(filters.find((f) => f.name === 'trailwatch-lambda-code-changed')!.pattern).toContain('($.userIdentity.arn != "arn:aws:sts::*:assumed-role/ci-deployer/*")');
  });

  test('every alarm of every stack is wired by reference', () => {
    for (const s of out.stacks) expect(alarmWiringViolations(out.json(s))).toEqual([]);
  });

  test('an encrypted alert topic with at least one subscription', () => {
    const [topic] = resources('management', 'aws_sns_topic');
    expect(topic.name).toBe('trailwatch-alerts');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    const subs = resources('management', 'aws_sns_topic_subscription');
    expect(subs.length).toBeGreaterThanOrEqual(1);
    expect(subs[0]).toMatchObject({ protocol: 'email', endpoint: 'security-alerts@example.com' });
  });

  test('the example\'s overrides reach the stack: a raised threshold and OK notifications', () => {
    const alarms = resources('management', 'aws_cloudwatch_metric_alarm');
    expect(alarms.find((a) => a.alarm_name === 'trailwatch-console-auth-failures')!.threshold).toBe(3);
    expect(alarms.every((a) => a.ok_actions.length === 1)).toBe(true);
  });
});

describe('the example\'s exclusion of the read-only SSO role', () => {
  const config = parseConfigText(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'), 'trailwatch.yaml');
  const d = planDetections(config.monitoring).detections.find((x) => x.id === 'unauthorized-api-calls')!;
  const p = compileFilterPattern(d.pattern) as CompiledJsonPattern;
  const fires = (name: string) => p.matchesEvent(LABELLED_EVENTS.find((e) => e.name === name)!.record);

  test('silences the read-only role and nothing else that has an ARN', () => {
    expect(d.pattern).toContain('&& (($.userIdentity.arn NOT EXISTS) || ($.userIdentity.arn != "arn:aws:sts::*:assumed-role/AWSReservedSSO_ReadOnlyAccess_*/*"))');
    expect(fires('read-only SSO session denied while the console probes optional data')).toBe(false);
    expect(fires('S3 GetObject denied with AccessDenied')).toBe(true);
    expect(fires('EC2 DescribeInstances denied with Client.UnauthorizedOperation')).toBe(true);
  });

  test('keeps denied callers without a userIdentity.arn (the exclusion is guarded: a record without the field is not excluded)', () => {
    expect(fires('cross-account caller denied (AWSAccount identity, no ARN)')).toBe(true);
  });
});

describe('a bad override fails synth with a clear error and writes nothing', () => {
  async function run(args: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((stderr += String(s)), true));
    const outSpy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      return { code: await main(args), stderr };
    } finally {
      errSpy.mockRestore();
      outSpy.mockRestore();
    }
  }

  test.each([
    ['an unknown control id', 'root-acount-usage:\n      enabled: false', /monitoring\.controls\["root-acount-usage"\]: unknown control id "root-acount-usage"; did you mean "root-account-usage"\?/],
    ['an unparsable pattern', `vpc-changes:\n      pattern: '{ ($.eventName = "CreateVpc" }'`, /monitoring\.controls\["vpc-changes"\]\.pattern: the pattern of vpc-changes is refused \(syntax\)/],
  ])('%s', async (_what, override, expected) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-monitoring-'));
    const good = fs.readFileSync(EXAMPLE_CONFIG, 'utf8');
    fs.writeFileSync(path.join(dir, 'good.yaml'), good);
    const target = path.join(dir, 'cdktf.out');
    expect((await run(['synth', '-c', path.join(dir, 'good.yaml'), '-o', target])).code).toBe(0);
    const before = readTree(target);

    const bad = good.replace('monitoring:\n  controls:\n', `monitoring:\n  controls:\n    ${override}\n`);
    expect(bad).not.toBe(good);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), bad);
    const r = await run(['synth', '-c', path.join(dir, 'bad.yaml'), '-o', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml: 1 problem in the configuration; nothing was written:/);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).toMatch(/\(bad\.yaml:\d+:\d+\)/);
    expect(readTree(target)).toEqual(before);
  });
});
