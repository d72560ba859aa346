import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { CATALOG } from '../../lib/catalog';
import { ConfigError, parseConfigText } from '../../lib/config/load';
import { INSIGHT_INPUT_PATHS } from '../../lib/eventbridge/insights-alert-rule';
import { MINIMAL_YAML } from '../support/configs';

const SECURITY = MINIMAL_YAML.replace(
  '  logArchiveAccount: { id: "222222222222", name: log-archive }\n',
  '  logArchiveAccount: { id: "222222222222", name: log-archive }\n  securityAccount: { id: "333333333333", name: security }\n',
);

function synth(yaml: string): Record<string, any> {
  const { stacks } = buildApp(parseConfigText(yaml), { outdir: Testing.app().outdir });
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}

const rules = (stack: any) => Object.values(stack.resource?.aws_cloudwatch_event_rule ?? {}) as any[];
const targets = (stack: any) => Object.values(stack.resource?.aws_cloudwatch_event_target ?? {}) as any[];
/** The default (unaliased) provider is the home region's in these configs. */
const regionOf = (r: any) => (r.provider === 'aws' ? 'us-east-1' : String(r.provider).replace(/^aws\./, ''));
const GLOBAL = CATALOG.filter((c) => c.globalService).map((c) => `trailwatch-${c.id}`);
const REGIONAL = CATALOG.filter((c) => !c.globalService).map((c) => `trailwatch-${c.id}`);

describe('regional detections (central routing)', () => {
  const out = synth(SECURITY);

  test('a member gets every regional control in each governed region, global-service controls only in us-east-1', () => {
    const byRegion: Record<string, string[]> = {};
    for (const r of rules(out['prod-app'])) (byRegion[regionOf(r)] ??= []).push(r.name);
    expect(GLOBAL.length).toBeGreaterThan(0);
    expect(byRegion['us-east-1'].sort()).toEqual(CATALOG.map((c) => `trailwatch-${c.id}`).sort());
    expect(byRegion['eu-west-1'].sort()).toEqual([...REGIONAL].sort());
  });

  test('the management, log-archive and security accounts are watched too', () => {
    for (const s of ['management', 'log-archive', 'security']) expect(rules(out[s]).filter((r) => r.event_bus_name === undefined && r.name.startsWith('trailwatch-')).length).toBeGreaterThanOrEqual(CATALOG.length);
  });

  test('every member rule forwards to the central bus in the security account, through the forwarder role', () => {
    for (const t of targets(out['prod-app'])) {
      expect(t.arn).toBe('arn:aws:events:us-east-1:333333333333:event-bus/trailwatch-detections');
      expect(t.role_arn).toBe('${aws_iam_role.detections-forwarder.arn}');
    }
    const role = out['prod-app'].resource.aws_iam_role['detections-forwarder'];
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '444444444444' } },
    });
    const policy = JSON.parse(out['prod-app'].resource.aws_iam_role_policy['detections-forwarder-policy'].policy);
    expect(policy.Statement).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: 'arn:aws:events:us-east-1:333333333333:event-bus/trailwatch-detections' }]);
  });

  test('the security account holds the bus, open to the organization only, and one alerting rule per control', () => {
    const sec = out.security;
    expect(Object.values(sec.resource.aws_cloudwatch_event_bus)).toEqual([expect.objectContaining({ name: 'trailwatch-detections' })]);
    const policy = JSON.parse((Object.values(sec.resource.aws_cloudwatch_event_bus_policy)[0] as any).policy);
    expect(policy.Statement[0]).toMatchObject({ Principal: '*', Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } });
    const onBus = rules(sec).filter((r) => r.event_bus_name !== undefined);
    expect(onBus).toHaveLength(CATALOG.length);
    const busTargets = targets(sec).filter((t) => t.event_bus_name !== undefined);
    expect(busTargets).toHaveLength(CATALOG.length);
    for (const t of busTargets) {
      expect(t.arn).toMatch(/^\$\{aws_sns_topic\.alerting_topic_[0-9A-F]+\.arn\}$/);
      expect(Object.keys(t.input_transformer.input_paths)).toEqual(expect.arrayContaining(['eventName', 'identity', 'sourceIp', 'account', 'region']));
      expect(JSON.parse(t.input_transformer.input_template)).toMatch(/^trailwatch detection: .+\nAPI: <eventName> on <eventSource>\n/);
    }
  });

  test('rule patterns are the catalog rendering, exclusions included', () => {
    const yaml = SECURITY + `monitoring:\n  controls:\n    unauthorized-api-calls:\n      exclude:\n        identities: ['arn:aws:sts::*:assumed-role/ReadOnly/*']\n`;
    const rule = rules(synth(yaml)['prod-app']).find((r) => r.name === 'trailwatch-unauthorized-api-calls' && regionOf(r) === 'eu-west-1');
    expect(JSON.parse(rule.event_pattern).detail.userIdentity).toEqual({ arn: [{ 'anything-but': { wildcard: ['arn:aws:sts::*:assumed-role/ReadOnly/*'] } }] });
  });
});

describe('local routing', () => {
  const out = synth(MINIMAL_YAML);

  test('without a security account, rules alert the account topic in its primary region and forward from other regions', () => {
    const t = targets(out['prod-app']);
    const home = t.filter((x) => regionOf(x) === 'us-east-1');
    const away = t.filter((x) => regionOf(x) === 'eu-west-1');
    expect(home.every((x) => /aws_sns_topic\.alerting_topic/.test(x.arn) && x.input_transformer)).toBe(true);
    expect(away.every((x) => x.arn === 'arn:aws:events:us-east-1:444444444444:event-bus/default' && x.role_arn)).toBe(true);
    expect(Object.values(out['prod-app'].resource.aws_sns_topic)).toHaveLength(1);
  });

  test('an account governing only a non-home region aggregates there', () => {
    const t = targets(out['dev-app']);
    expect(t.length).toBe(REGIONAL.length);
    expect(t.every((x) => /aws_sns_topic/.test(x.arn))).toBe(true);
  });

  test('a member region override can widen to an opt-in region', () => {
    const o = synth(MINIMAL_YAML.replace('regions: [eu-west-1] }', 'regions: [us-east-1, af-south-1] }'));
    expect(rules(o['dev-app']).filter((r) => r.provider === 'aws.af-south-1')).toHaveLength(REGIONAL.length);
  });
});

describe('insights and responder', () => {
  const out = synth(SECURITY + 'eventbridge:\n  insights: { onlyStart: true }\n  responder: { enabled: true, destructiveMultiplier: 20 }\n');
  const mgmt = out.management;

  test('the Insights rule in the trail account matches Insights events (Start only when asked)', () => {
    const r = rules(mgmt).find((x) => x.name === 'trailwatch-cloudtrail-insights');
    expect(JSON.parse(r.event_pattern)).toEqual({ source: ['aws.cloudtrail'], 'detail-type': ['AWS Insight via CloudTrail'], detail: { insightDetails: { state: ['Start'] } } });
    expect(rules(out['prod-app']).find((x) => x.name === 'trailwatch-cloudtrail-insights')).toBeUndefined();
  });

  test('its topic target turns the event into a readable message', () => {
    const t = targets(mgmt).find((x) => x.target_id === 'alert-topic' && x.input_transformer?.input_paths?.insightType);
    expect(t.input_transformer.input_paths).toEqual(INSIGHT_INPUT_PATHS);
    expect(t.input_transformer.input_paths.baseline).toBe('$.detail.insightDetails.insightContext.statistics.baseline.average');
    const message = JSON.parse(t.input_transformer.input_template) as string;
    for (const line of ['API: <eventName>', 'Service: <eventSource>', 'Baseline rate: <baseline>', 'Anomalous rate: <insight>', 'Started: <startTime>', 'State: <state>']) {
      expect(message).toContain(line);
    }
  });

  test('the responder: least-privilege role, dead letters, reserved concurrency, retention, invoked by the rule only', () => {
    const fn = Object.values(mgmt.resource.aws_lambda_function)[0] as any;
    expect(fn.runtime).toMatch(/^nodejs/);
    expect(fn.reserved_concurrent_executions).toBe(2);
    expect(fn.environment.variables.DESTRUCTIVE_MULTIPLIER).toBe('20');
    expect(fn.dead_letter_config.target_arn).toMatch(/aws_sqs_queue/);
    expect(fn.filename).toMatch(/^assets\/.+\/archive\.zip$/);
    const policy = JSON.parse((Object.values(mgmt.resource.aws_iam_role_policy) as any[]).find((p) => p.name === 'least-privilege').policy);
    expect(policy.Statement.map((s: any) => s.Action)).toEqual(['sns:Publish', ['kms:GenerateDataKey*', 'kms:Decrypt'], ['logs:CreateLogStream', 'logs:PutLogEvents'], 'sqs:SendMessage']);
    expect(policy.Statement.every((s: any) => s.Resource !== '*')).toBe(true);
    const group = (Object.values(mgmt.resource.aws_cloudwatch_log_group) as any[]).find((g) => g.name === '/aws/lambda/trailwatch-insights-responder');
    expect(group.retention_in_days).toBe(365);
    const perm = Object.values(mgmt.resource.aws_lambda_permission)[0] as any;
    expect(perm).toMatchObject({ principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction' });
    expect(perm.source_arn).toMatch(/aws_cloudwatch_event_rule\.insights_rule/);
  });
});

describe('config errors', () => {
  const problems = (yaml: string) => {
    try {
      parseConfigText(yaml, 'tw.yaml');
    } catch (e) {
      return (e as ConfigError).message;
    }
    throw new Error('expected a refusal');
  };
  test('central routing without a security account', () => {
    expect(problems(MINIMAL_YAML + 'eventbridge: { target: central }\n')).toMatch(/eventbridge\.target: central routing needs organization\.securityAccount .*\(tw\.yaml:10:\d+\)/);
  });
  test('a minimum multiplier without the responder', () => {
    expect(problems(MINIMAL_YAML + 'eventbridge: { responder: { minimumMultiplier: 5 } }\n')).toMatch(/eventbridge\.responder\.minimumMultiplier: needs the responder/);
  });
  test('an exclusion EventBridge cannot express is refused at its path', () => {
    const yaml = MINIMAL_YAML + `monitoring:\n  controls:\n    unauthorized-api-calls:\n      exclude: { sourceIps: ['10.*'] }\n`;
    expect(problems(yaml)).toMatch(/monitoring\.controls\["unauthorized-api-calls"\]\.exclude: cannot be expressed as an EventBridge pattern: two tests of sourceIPAddress .*\(tw\.yaml:13:16\)/);
  });

  test('an excluded event name is removed from the list the rule matches', () => {
    const out = synth(MINIMAL_YAML + `monitoring:\n  controls:\n    iam-policy-changes:\n      exclude: { eventNames: [PutGroupPolicy] }\n`);
    const rule = rules(out['prod-app']).find((r) => r.name === 'trailwatch-iam-policy-changes');
    const names = JSON.parse(rule.event_pattern).detail.eventName as string[];
    expect(names).not.toContain('PutGroupPolicy');
    expect(names).toContain('PutUserPolicy');
  });
});
