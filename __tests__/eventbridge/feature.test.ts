import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { CATALOG } from '../../lib/catalog';
import { ConfigError, parseConfigText } from '../../lib/config/load';
import { INSIGHT_INPUT_PATHS } from '../../lib/eventbridge/insights-alert-rule';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { MINIMAL_YAML } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

const SECURITY = MINIMAL_YAML.replace(
  '  logArchiveAccount: { id: "222222222222", name: log-archive }\n',
  '  logArchiveAccount: { id: "222222222222", name: log-archive }\n  securityAccount: { id: "333333333333", name: security }\n',
);

function synth(yaml: string): Record<string, any> {
  const { stacks } = buildApp(planAll(parseConfigText(yaml)), { outdir: Testing.app().outdir });
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}

const rules = (stack: any) => Object.values(stack.resource?.aws_cloudwatch_event_rule ?? {}) as any[];
const targets = (stack: any) => Object.values(stack.resource?.aws_cloudwatch_event_target ?? {}) as any[];
/** The default (unaliased) provider is the stack's primary region: us-east-1 unless said otherwise. */
const regionOf = (r: any, primary = 'us-east-1') => (r.provider === 'aws' ? primary : String(r.provider).replace(/^aws\./, ''));
const name = (c: { id: string }) => `trailwatch-${c.id}`;
const SIGN_IN = CATALOG.filter((c) => c.detailTypes.includes('AWS Console Sign In via CloudTrail')).map(name);
const GLOBAL_API = CATALOG.filter((c) => c.globalService && !SIGN_IN.includes(name(c))).map(name);
const REGIONAL = CATALOG.filter((c) => !c.globalService).map(name);
/** Detection rules (not Insights) of a stack, by region. */
const detectionRulesByRegion = (stack: any, primary = 'us-east-1') => {
  const out: Record<string, string[]> = {};
  for (const r of rules(stack)) if (r.event_bus_name === undefined && r.name !== 'trailwatch-cloudtrail-insights') (out[regionOf(r, primary)] ??= []).push(r.name);
  for (const k of Object.keys(out)) out[k].sort();
  return out;
};
const providerAliases = (stack: any) => (stack.provider.aws as any[]).map((p) => p.alias ?? `(default) ${p.region}`);

describe('regional detections (central routing)', () => {
  const out = synth(SECURITY);

  test('IAM and Organizations only in us-east-1; sign-in in every governed region and where AWS records global sign-ins; the rest in each governed region', () => {
    const byRegion = detectionRulesByRegion(out['prod-app']);
    expect(SIGN_IN.sort()).toEqual(['trailwatch-console-auth-failures', 'trailwatch-console-signin-without-mfa', 'trailwatch-root-account-usage']);
    expect(GLOBAL_API.sort()).toEqual(['trailwatch-iam-policy-changes', 'trailwatch-organizations-changes']);
    expect(byRegion['us-east-1']).toEqual(CATALOG.map(name).sort());
    expect(byRegion['eu-west-1']).toEqual([...new Set([...REGIONAL, ...SIGN_IN])].sort());
    for (const r of ['us-east-2', 'eu-north-1', 'ap-southeast-2']) expect(byRegion[r]).toEqual([...SIGN_IN].sort());
    expect(Object.keys(byRegion).sort()).toEqual(['ap-southeast-2', 'eu-north-1', 'eu-west-1', 'us-east-1', 'us-east-2']);
  });

  test('the extra sign-in regions get providers aliased by region name, in the same account and role', () => {
    const providers = out['prod-app'].provider.aws as any[];
    expect(providerAliases(out['prod-app'])).toEqual(['(default) us-east-1', 'eu-west-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2']);
    for (const p of providers) {
      expect(p.allowed_account_ids).toEqual(['444444444444']);
      expect(p.assume_role[0].role_arn).toBe('arn:aws:iam::444444444444:role/OrganizationAccountAccessRole');
    }
  });

  test('rules match both documented spellings of the sign-in detail-type', () => {
    const rule = rules(out['prod-app']).find((r) => r.name === 'trailwatch-console-auth-failures' && regionOf(r) === 'eu-north-1');
    expect(JSON.parse(rule.event_pattern)['detail-type']).toEqual(['AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail']);
  });

  test('rules that can match a Describe/Get/List call receive read-only management events; the others are plain ENABLED', () => {
    const wide = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    for (const stack of [out['prod-app'], out.security]) {
      for (const r of rules(stack).filter((x) => x.name !== 'trailwatch-cloudtrail-insights')) {
        expect([r.name, r.state]).toEqual([r.name, ['trailwatch-unauthorized-api-calls', 'trailwatch-root-account-usage'].includes(r.name) ? wide : 'ENABLED']);
      }
    }
    // The central bus's rules too: forwarded events are still read-only CloudTrail management events.
    expect(rules(out.security).filter((r) => r.event_bus_name !== undefined && r.state === wide).map((r) => r.name).sort()).toEqual([
      'trailwatch-root-account-usage',
      'trailwatch-unauthorized-api-calls',
    ]);
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
    const onBus = rules(sec).filter((r) => r.event_bus_name !== undefined && r.name !== 'trailwatch-cloudtrail-insights');
    expect(onBus.map((r) => r.name).sort()).toEqual(CATALOG.map(name).sort());
    const busTargets = targets(sec).filter((t) => t.event_bus_name !== undefined && !t.input_transformer.input_paths.insightType);
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
    // Guarded: a record without userIdentity.arn is not excluded.
    expect(JSON.parse(rule.event_pattern).detail.$or).toEqual([
      { userIdentity: { arn: [{ exists: false }] } },
      // One wildcard: the single-pattern form the EventBridge User Guide documents.
      { userIdentity: { arn: [{ 'anything-but': { wildcard: 'arn:aws:sts::*:assumed-role/ReadOnly/*' } }] } },
    ]);
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

  test('an account governing only a non-home region aggregates there, with a catching rule for every control placed anywhere', () => {
    const t = targets(out['dev-app']);
    const home = t.filter((x) => regionOf(x, 'eu-west-1') === 'eu-west-1');
    expect(home.every((x) => /aws_sns_topic/.test(x.arn))).toBe(true);
    // IAM and Organizations rules live in us-east-1 (a sign-in region) and forward here: eu-west-1 must catch them.
    expect(detectionRulesByRegion(out['dev-app'], 'eu-west-1')['eu-west-1']).toEqual(CATALOG.map(name).sort());
    const away = t.filter((x) => regionOf(x, 'eu-west-1') !== 'eu-west-1');
    expect(away.length).toBeGreaterThan(0);
    expect(away.every((x) => x.arn === 'arn:aws:events:eu-west-1:555555555555:event-bus/default')).toBe(true);
  });

  test('a member region override can widen to an opt-in region', () => {
    const o = synth(MINIMAL_YAML.replace('regions: [eu-west-1] }', 'regions: [us-east-1, af-south-1] }'));
    expect(detectionRulesByRegion(o['dev-app'])['af-south-1']).toEqual([...new Set([...REGIONAL, ...SIGN_IN])].sort());
  });
});

describe('eventbridge.signInRegions', () => {
  test('[] keeps every stack inside its governed regions; an account without us-east-1 is warned that IAM and Organizations go unwatched', () => {
    const yaml = MINIMAL_YAML + 'eventbridge: { signInRegions: [] }\n';
    const out = synth(yaml);
    expect(providerAliases(out['dev-app'])).toEqual(['(default) eu-west-1']);
    expect(Object.keys(detectionRulesByRegion(out['dev-app'], 'eu-west-1'))).toEqual(['eu-west-1']);
    expect(providerAliases(out['prod-app'])).toEqual(['(default) us-east-1', 'eu-west-1']);
    const warnings = planEventBridge(parseConfigText(yaml)).warnings.map((w) => w.message);
    expect(warnings).toEqual([expect.stringMatching(/^dev-app does not govern us-east-1, where IAM and Organizations events arrive/)]);
  });

  test('an unknown region is refused at its path', () => {
    expect(() => parseConfigText(MINIMAL_YAML + 'eventbridge: { signInRegions: [us-east-7] }\n', 'tw.yaml')).toThrow(/eventbridge\.signInRegions\[0\]: unknown region "us-east-7"/);
  });
});

describe('insights and responder', () => {
  const out = synth(SECURITY + 'eventbridge:\n  insights: { onlyStart: true }\n  responder: { enabled: true, destructiveMultiplier: 20 }\n');
  const mgmt = out.management;
  const insightRules = (stack: any) => rules(stack).filter((x) => x.name === 'trailwatch-cloudtrail-insights');
  const targetsOf = (stack: any, rule: any) => {
    const key = Object.entries(stack.resource.aws_cloudwatch_event_rule).find(([, r]) => r === rule)![0];
    return targets(stack).filter((t) => t.rule === `\${aws_cloudwatch_event_rule.${key}.name}`);
  };

  test('the trail account has an Insights rule in every region it watches: alerting in the trail region, forwarding there from the others', () => {
    const byRegion = Object.fromEntries(insightRules(mgmt).map((r) => [regionOf(r), r]));
    expect(Object.keys(byRegion).sort()).toEqual(['ap-southeast-2', 'eu-north-1', 'eu-west-1', 'us-east-1', 'us-east-2']);
    for (const r of Object.values(byRegion)) {
      expect(JSON.parse((r as any).event_pattern)).toEqual({ source: ['aws.cloudtrail'], 'detail-type': ['AWS Insight via CloudTrail'], detail: { insightDetails: { state: ['Start'] } } });
    }
    for (const region of ['eu-west-1', 'us-east-2', 'eu-north-1', 'ap-southeast-2']) {
      expect(targetsOf(mgmt, byRegion[region])).toEqual([
        expect.objectContaining({ arn: 'arn:aws:events:us-east-1:111111111111:event-bus/default', role_arn: '${aws_iam_role.detections-forwarder.arn}' }),
      ]);
    }
    expect(targetsOf(mgmt, byRegion['us-east-1']).map((t) => t.target_id).sort()).toEqual(['alert-topic', 'responder']);
    // The forwarder role may put events on the central bus (detections) and its own trail-region bus (Insights).
    const policy = JSON.parse(mgmt.resource.aws_iam_role_policy['detections-forwarder-policy'].policy);
    expect(policy.Statement[0].Resource).toEqual(['arn:aws:events:us-east-1:333333333333:event-bus/trailwatch-detections', 'arn:aws:events:us-east-1:111111111111:event-bus/default']);
  });

  test('member accounts of the organization trail forward their Insights from every region to the central bus, which alerts the security topic', () => {
    const member = insightRules(out['prod-app']);
    expect(member.map((r) => regionOf(r)).sort()).toEqual(['ap-southeast-2', 'eu-north-1', 'eu-west-1', 'us-east-1', 'us-east-2']);
    for (const r of member) expect(targetsOf(out['prod-app'], r).map((t) => t.arn)).toEqual(['arn:aws:events:us-east-1:333333333333:event-bus/trailwatch-detections']);
    const central = insightRules(out.security).find((r) => r.event_bus_name !== undefined);
    expect(central.event_bus_name).toMatch(/^\$\{aws_cloudwatch_event_bus\.central-bus_[0-9A-F]+\.name\}$/);
    const [alert] = targetsOf(out.security, central);
    expect(alert.arn).toMatch(/aws_sns_topic\.alerting_topic/);
    expect(alert.input_transformer.input_paths).toEqual(INSIGHT_INPUT_PATHS);
  });

  test('without a security account, a member alerts its own topic in its primary region and forwards from the others', () => {
    const local = synth(MINIMAL_YAML);
    const member = insightRules(local['prod-app']);
    const home = member.find((r) => regionOf(r) === 'us-east-1');
    expect(targetsOf(local['prod-app'], home).map((t) => t.target_id)).toEqual(['alert-topic']);
    for (const r of member.filter((x) => x !== home)) expect(targetsOf(local['prod-app'], r).map((t) => t.arn)).toEqual(['arn:aws:events:us-east-1:444444444444:event-bus/default']);
  });

  test('a single-region trail has Insights in its own region only', () => {
    const single = synth(SECURITY + 'trail: { multiRegion: false }\n');
    expect(insightRules(single.management).map((r) => regionOf(r))).toEqual(['us-east-1']);
    expect(insightRules(single['prod-app']).map((r) => regionOf(r))).toEqual(['us-east-1']);
  });

  test('no Insights rules when the trail has none, or for an existing trail', () => {
    for (const extra of ['trail: { insights: [] }\n', 'trail:\n  mode: existing\n  existing: { logGroupName: aws-controltower/CloudTrailLogs }\n']) {
      const o = synth(SECURITY + extra);
      for (const s of Object.values(o)) expect(insightRules(s)).toEqual([]);
    }
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

  test('the responder: least-privilege role, dead letters, no reserved concurrency by default, retention, invoked by the rule only', () => {
    const fns = Object.values(mgmt.resource.aws_lambda_function) as any[];
    expect(fns).toHaveLength(1);
    const fn = fns[0];
    expect(fn.runtime).toBe('nodejs22.x');
    expect(fn).not.toHaveProperty('reserved_concurrent_executions');
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
    for (const s of ['prod-app', 'security', 'log-archive']) expect(out[s].resource.aws_lambda_function).toBeUndefined();
  });

  test('a reserved concurrency is set only when configured', () => {
    const o = synth(SECURITY + 'eventbridge:\n  responder: { enabled: true, reservedConcurrency: 5 }\n');
    expect((Object.values(o.management.resource.aws_lambda_function)[0] as any).reserved_concurrent_executions).toBe(5);
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

describe('IAM and Organizations without us-east-1', () => {
  test('governed regions without us-east-1 and no us-east-1 sign-in region: a warning, and no IAM or Organizations rule anywhere', () => {
    const yaml = MINIMAL_YAML.replace('homeRegion: us-east-1', 'homeRegion: eu-west-1').replace('regions: [us-east-1, eu-west-1]', 'regions: [eu-west-1]') + 'eventbridge: { signInRegions: [] }\n';
    const warnings = planEventBridge(parseConfigText(yaml)).warnings.map((w) => `${w.path.join('.')}: ${w.message}`);
    expect(warnings).toContainEqual(expect.stringMatching(/^organization\.regions: the governed regions leave out us-east-1/));
    const out = synth(yaml);
    for (const s of Object.values(out)) expect(rules(s).filter((r) => /iam-policy|organizations-changes/.test(r.name))).toEqual([]);
  });
});
