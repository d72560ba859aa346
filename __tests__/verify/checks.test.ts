/**
 * Every verify check against the example organization's plan (synthesized in memory): a deploy as
 * planned gives no finding; one tampered API answer gives the finding a user would see.
 */
import { loadConfigFile } from '../../lib/config/load';
import { CHECKS } from '../../lib/verify/checks';
import { planAccounts, type PlannedAccount } from '../../lib/verify/planned';
import type { Check, CheckContext, Problem } from '../../lib/verify/types';
import { planOrganization, type AccountPlan, type OrganizationPlan } from '../../lib/core/organization';
import { EXAMPLE_CONFIG } from '../support/example';
import { awsError, deployedAsPlanned, fakeClients, type Answers, TEST_SETTINGS } from './fake-aws';
import { planAll } from '../../lib/plan/plan';

const NOW = new Date('2026-12-07T12:00:00Z');
const SETTINGS = TEST_SETTINGS;
let organization: OrganizationPlan;
let accounts: PlannedAccount[];
const account = (name: string) => accounts.find((a) => a.plan.stackName === name)!;
const check = (id: string) => CHECKS.find((c) => c.id === id)!;

beforeAll(async () => {
  const config = loadConfigFile(EXAMPLE_CONFIG);
  organization = planOrganization(config);
  accounts = await planAccounts(planAll(config));
});

async function run(c: Check, stack: string, region: string, tamper: (clean: Answers) => Answers = (a) => a, settings = SETTINGS): Promise<Problem[]> {
  const a = account(stack);
  expect(c.applies(a, region)).toBe(true);
  const answersOf = (plan: AccountPlan) => tamper(deployedAsPlanned(accounts.find((x) => x.plan.accountId === plan.accountId)!, NOW, organization.accounts.map((x) => x.accountId)));
  const context: CheckContext = { account: a, accounts, clientsFor: (plan) => fakeClients(answersOf(plan)), region, organization, clients: fakeClients(answersOf(a.plan)), settings, now: NOW };
  return c.run(context);
}

/** Wraps an answer: the clean one, changed by `edit`. */
const edited = (answers: Answers, command: string, edit: (out: any, input: any) => any): Answers => ({ ...answers, [command]: (input) => edit(structuredClone(answers[command](input)), input) });

describe('organization-accounts', () => {
  const c = check('organization-accounts');
  it('is clean when every ACTIVE account is in the config', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('names an ACTIVE account that is in neither the config nor verify.ignoreAccounts', async () => {
    const joined = (a: Answers) => edited(a, 'ListAccountsCommand', (out) => ({ Accounts: [...out.Accounts, { Id: '777777777777', Name: 'shadow-it', State: 'ACTIVE' }] }));
    const problems = await run(c, 'management', 'us-east-1', joined);
    expect(problems).toEqual([expect.objectContaining({ resource: 'account 777777777777 (shadow-it)', found: expect.stringContaining('nothing watches it') })]);
    expect(await run(c, 'management', 'us-east-1', joined, { ...SETTINGS, ignoreAccounts: ['777777777777'] })).toEqual([]);
  });
  it('follows pagination and ignores suspended accounts', async () => {
    const paged = (a: Answers): Answers => ({
      ...a,
      ListAccountsCommand: ({ NextToken }) =>
        NextToken ? { Accounts: (a.ListAccountsCommand({}) as any).Accounts } : { Accounts: [{ Id: '888888888888', Name: 'closed', State: 'SUSPENDED' }], NextToken: 't' },
    });
    expect(await run(c, 'management', 'us-east-1', paged)).toEqual([]);
  });
  it('reports a management account that is in no organization', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => ({ ...a, ListAccountsCommand: () => Promise.reject(awsError('AWSOrganizationsNotInUseException')) }));
    expect(problems).toEqual([expect.objectContaining({ severity: 'critical', found: 'this account is not in an organization' })]);
  });
  it('only runs in the management account home region', () => {
    expect(c.applies(account('management'), 'eu-west-1')).toBe(false);
    expect(c.applies(account('prod-web'), 'us-east-1')).toBe(false);
  });
});

describe('organization-trusted-access', () => {
  const c = check('organization-trusted-access');
  it('is clean with CloudTrail trusted access', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('reports CloudTrail without trusted access', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => ({ ...a, ListAWSServiceAccessForOrganizationCommand: () => ({ EnabledServicePrincipals: [{ ServicePrincipal: 'config.amazonaws.com' }] }) }));
    expect(problems).toEqual([expect.objectContaining({ fix: expect.stringContaining('enable-aws-service-access --service-principal cloudtrail.amazonaws.com') })]);
  });
});

describe('trail-logging', () => {
  const c = check('trail-logging');
  it('is clean when logging and delivered 4 minutes ago', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('reports logging stopped', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => edited(a, 'GetTrailStatusCommand', (o) => ({ ...o, IsLogging: false, StopLoggingTime: new Date('2026-12-07T11:00:00Z') })));
    expect(problems).toEqual([expect.objectContaining({ resource: 'trail trailwatch', expected: 'IsLogging true', found: 'logging stopped at 2026-12-07T11:00:00.000Z' })]);
  });
  it('reports each delivery error', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) =>
      edited(a, 'GetTrailStatusCommand', (o) => ({ ...o, LatestDeliveryError: 'AccessDenied', LatestCloudWatchLogsDeliveryError: 'KMSKeyDisabled' })),
    );
    expect(problems.map((p) => p.found)).toEqual(['S3 delivery fails: AccessDenied', 'CloudWatch Logs delivery fails: KMSKeyDisabled']);
  });
  it('reports a delivery older than verify.maxDeliveryAgeMinutes', async () => {
    const stale = (a: Answers) => edited(a, 'GetTrailStatusCommand', (o) => ({ ...o, LatestDeliveryTime: new Date('2026-12-07T10:30:00Z') }));
    expect(await run(c, 'management', 'us-east-1', stale)).toEqual([expect.objectContaining({ found: 'last delivery 2026-12-07T10:30:00.000Z (90 minutes ago)' })]);
    expect(await run(c, 'management', 'us-east-1', stale, { ...SETTINGS, maxDeliveryAgeMinutes: 120 })).toEqual([]);
  });
  it('reports a missing trail', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => ({ ...a, GetTrailStatusCommand: () => Promise.reject(awsError('TrailNotFoundException')) }));
    expect(problems).toEqual([expect.objectContaining({ found: 'no such trail', fix: 're-run the wave that deploys it: cdktf deploy management' })]);
  });
});

describe('trail-settings', () => {
  const c = check('trail-settings');
  it('is clean as planned', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('reports log file validation off and a trail no longer multi-region', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => edited(a, 'GetTrailCommand', (o) => ({ Trail: { ...o.Trail, LogFileValidationEnabled: false, IsMultiRegionTrail: false } })));
    expect(problems.map((p) => p.found)).toEqual(['LogFileValidationEnabled false', 'IsMultiRegionTrail false']);
  });
  it('reports a trail without KMS and delivering to another bucket', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => edited(a, 'GetTrailCommand', (o) => ({ Trail: { ...o.Trail, KmsKeyId: undefined, S3BucketName: 'elsewhere' } })));
    expect(problems.map((p) => p.found)).toEqual(['S3BucketName elsewhere', 'KmsKeyId nothing']);
  });
});

describe('trail-selectors', () => {
  const c = check('trail-selectors');
  it('is clean as planned (API field order and list order aside)', async () => {
    const reordered = (a: Answers) => edited(a, 'GetEventSelectorsCommand', (o) => ({ AdvancedEventSelectors: [...o.AdvancedEventSelectors].reverse() }));
    expect(await run(c, 'management', 'us-east-1', reordered)).toEqual([]);
  });
  it('reports a data event selector removed by hand', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => edited(a, 'GetEventSelectorsCommand', (o) => ({ AdvancedEventSelectors: o.AdvancedEventSelectors.slice(0, 1) })));
    expect(problems).toEqual([expect.objectContaining({ resource: 'trail trailwatch', expected: expect.stringContaining('Lambda data events') })]);
    expect(problems[0].found).not.toContain('Lambda data events');
  });
  it('reports Insights turned off', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => ({ ...a, GetInsightSelectorsCommand: () => Promise.reject(awsError('InsightNotEnabledException')) }));
    expect(problems).toEqual([expect.objectContaining({ expected: 'Insights ApiCallRateInsight, ApiErrorRateInsight', found: 'Insights none' })]);
  });
});

describe('archive-public-access', () => {
  const c = check('archive-public-access');
  it('is clean as planned', async () => expect(await run(c, 'log-archive', 'us-east-1')).toEqual([]));
  it('reports a bucket whose public access block was removed', async () => {
    const problems = await run(c, 'log-archive', 'us-east-1', (a) => ({
      ...a,
      GetPublicAccessBlockCommand: (i) => (i.Bucket.startsWith('trailwatch-cloudtrail') ? Promise.reject(awsError('NoSuchPublicAccessBlockConfiguration')) : a.GetPublicAccessBlockCommand(i)),
    }));
    expect(problems).toEqual([expect.objectContaining({ resource: 'bucket trailwatch-cloudtrail-222222222222-us-east-1', expected: 'BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets true' })]);
  });
  it('reports a deleted bucket', async () => {
    const problems = await run(c, 'log-archive', 'us-east-1', (a) => ({ ...a, GetPublicAccessBlockCommand: () => Promise.reject(awsError('NoSuchBucket')) }));
    expect(problems.map((p) => p.found)).toEqual(['no such bucket', 'no such bucket']);
  });
});

describe('archive-encryption', () => {
  const c = check('archive-encryption');
  it('is clean as planned', async () => expect(await run(c, 'log-archive', 'us-east-1')).toEqual([]));
  it('reports the archive bucket switched from KMS to S3-managed keys', async () => {
    const problems = await run(c, 'log-archive', 'us-east-1', (a) =>
      edited(a, 'GetBucketEncryptionCommand', () => ({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } })),
    );
    expect(problems).toEqual([expect.objectContaining({ resource: 'bucket trailwatch-cloudtrail-222222222222-us-east-1', expected: 'default encryption aws:kms', found: 'default encryption AES256' })]);
  });
});

describe('archive-versioning', () => {
  const c = check('archive-versioning');
  it('is clean as planned', async () => expect(await run(c, 'log-archive', 'us-east-1')).toEqual([]));
  it('reads an unset period answered as 0 (moto writes Years: 0 beside Days) as unset', async () => {
    const zeroYears = (a: Answers) =>
      edited(a, 'GetObjectLockConfigurationCommand', (o) => ({ ObjectLockConfiguration: { ...o.ObjectLockConfiguration, Rule: { DefaultRetention: { ...o.ObjectLockConfiguration.Rule.DefaultRetention, Years: 0 } } } }));
    expect(await run(c, 'log-archive', 'us-east-1', zeroYears)).toEqual([]);
  });
  it('names both periods when AWS answers a retention with years the plan does not have', async () => {
    const problems = await run(c, 'log-archive', 'us-east-1', (a) =>
      edited(a, 'GetObjectLockConfigurationCommand', (o) => ({ ObjectLockConfiguration: { ...o.ObjectLockConfiguration, Rule: { DefaultRetention: { ...o.ObjectLockConfiguration.Rule.DefaultRetention, Years: 2 } } } })),
    );
    expect(problems.map((p) => p.found)).toEqual(['Object Lock GOVERNANCE 365 days and 2 years']);
  });
  it('reports suspended versioning and a shortened Object Lock retention', async () => {
    const problems = await run(c, 'log-archive', 'us-east-1', (a) => ({
      ...edited(a, 'GetObjectLockConfigurationCommand', (o) => ({ ObjectLockConfiguration: { ...o.ObjectLockConfiguration, Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } })),
      GetBucketVersioningCommand: () => ({ Status: 'Suspended' }),
    }));
    expect(problems.map((p) => p.found)).toEqual(['versioning Suspended', 'versioning Suspended', 'Object Lock GOVERNANCE 1 days']);
  });
});

describe('archive-policy', () => {
  const c = check('archive-policy');
  it('is clean as planned, also when AWS writes "*" as {"AWS": "*"} and reorders statements', async () => {
    const rewritten = (a: Answers) =>
      edited(a, 'GetBucketPolicyCommand', (o) => {
        const p = JSON.parse(o.Policy);
        p.Statement = p.Statement.reverse().map((s: any) => (s.Principal === '*' ? { ...s, Principal: { AWS: '*' } } : s));
        return { Policy: JSON.stringify(p) };
      });
    expect(await run(c, 'log-archive', 'us-east-1', rewritten)).toEqual([]);
  });
  it('reports the CloudTrail write statement removed', async () => {
    const problems = await run(c, 'log-archive', 'us-east-1', (a) =>
      edited(a, 'GetBucketPolicyCommand', (o, i) => {
        const p = JSON.parse(o.Policy);
        if (i.Bucket.startsWith('trailwatch-cloudtrail')) p.Statement = p.Statement.filter((s: any) => !String(s.Sid).startsWith('AllowCloudTrailWrite'));
        return { Policy: JSON.stringify(p) };
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].resource).toBe('bucket trailwatch-cloudtrail-222222222222-us-east-1');
    expect(problems[0].expected).toMatch(/AllowCloudTrailWrite/);
  });
});

describe('archive-digest', () => {
  const c = check('archive-digest');
  it('is clean with a digest file 40 minutes old, read in the log archive account that owns the bucket', async () => {
    const calls: any[] = [];
    const a = account('management');
    const owner = account('log-archive');
    const context: CheckContext = {
      account: a,
      accounts,
      clientsFor: (plan) => fakeClients(plan.accountId === owner.plan.accountId ? deployedAsPlanned(owner, NOW) : {}, calls),
      region: 'us-east-1',
      organization,
      clients: fakeClients({}),
      settings: SETTINGS,
      now: NOW,
    };
    expect(await c.run(context)).toEqual([]);
    expect(calls[0].input).toEqual({ Bucket: 'trailwatch-cloudtrail-222222222222-us-east-1', Prefix: 'AWSLogs/o-a1b2c3d4e5/111111111111/CloudTrail-Digest/us-east-1/2026/12/07/' });
  });
  it('reports a trail whose newest digest file is older than verify.maxDigestAgeHours', async () => {
    const stale = (a: Answers) => edited(a, 'ListObjectsV2Command', (o) => ({ ...o, Contents: o.Contents.map((x: any) => ({ ...x, LastModified: new Date('2026-12-07T06:00:00Z') })) }));
    expect(await run(c, 'management', 'us-east-1', stale)).toEqual([expect.objectContaining({ found: 'newest 2026-12-07T06:00:00.000Z (6 hours ago)' })]);
    expect(await run(c, 'management', 'us-east-1', stale, { ...SETTINGS, maxDigestAgeHours: 8 })).toEqual([]);
  });
  it('looks in yesterday\'s folder just after midnight, and reports no digest at all', async () => {
    const none = (a: Answers): Answers => ({ ...a, ListObjectsV2Command: () => ({ Contents: [], KeyCount: 0 }) });
    expect(await run(c, 'management', 'us-east-1', none)).toEqual([expect.objectContaining({ found: 'none today or yesterday' })]);
  });
});

describe('detection-filters', () => {
  const c = check('detection-filters');
  it('is clean as planned', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('reports a pattern edited by hand, with the planned and the deployed pattern', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) =>
      edited(a, 'DescribeMetricFiltersCommand', (o) => ({ metricFilters: o.metricFilters.map((f: any) => (f.filterName === 'trailwatch-root-account-usage' ? { ...f, filterPattern: '{ $.eventName = "Nothing" }' } : f)) })),
    );
    expect(problems).toEqual([expect.objectContaining({ resource: 'metric filter trailwatch-root-account-usage', found: '{ $.eventName = "Nothing" }', expected: expect.stringContaining('Root') })]);
  });
  it('reports a deleted filter and a deleted log group', async () => {
    const deleted = await run(c, 'management', 'us-east-1', (a) => edited(a, 'DescribeMetricFiltersCommand', (o) => ({ metricFilters: o.metricFilters.slice(1) })));
    expect(deleted).toEqual([expect.objectContaining({ found: 'no such metric filter' })]);
    const group = await run(c, 'management', 'us-east-1', (a) => ({ ...a, DescribeMetricFiltersCommand: () => Promise.reject(awsError('ResourceNotFoundException')) }));
    expect(group).toEqual([expect.objectContaining({ severity: 'critical', resource: 'log group aws-cloudtrail-logs/trailwatch', found: 'no such log group' })]);
  });
});

describe('detection-alarms', () => {
  const c = check('detection-alarms');
  const alarm = (a: Answers, name: string, change: Record<string, unknown>) =>
    edited(a, 'DescribeAlarmsCommand', (o) => ({ MetricAlarms: o.MetricAlarms.map((x: any) => (x.AlarmName === name ? { ...x, ...change } : x)) }));
  it('is clean as planned (and asks for at most 100 alarms per call)', async () => {
    const calls: any[] = [];
    const a = account('management');
    const problems = await c.run({ account: a, accounts, clientsFor: () => fakeClients({}), region: 'us-east-1', organization, clients: fakeClients(deployedAsPlanned(a, NOW), calls), settings: SETTINGS, now: NOW });
    expect(problems).toEqual([]);
    expect(calls.every((x) => x.input.AlarmNames.length <= 100)).toBe(true);
  });
  it('reports actions disabled', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => alarm(a, 'trailwatch-root-account-usage', { ActionsEnabled: false }));
    expect(problems).toEqual([expect.objectContaining({ resource: 'alarm trailwatch-root-account-usage', found: 'actions disabled: it notifies nobody', fix: expect.stringContaining('enable-alarm-actions') })]);
  });
  it('reports an alarm pointing at another topic', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => alarm(a, 'trailwatch-root-account-usage', { AlarmActions: ['arn:aws:sns:us-east-1:111111111111:old'] }));
    expect(problems).toEqual([expect.objectContaining({ expected: 'alarm actions arn:aws:sns:us-east-1:111111111111:trailwatch-alerts' })]);
  });
  it('reports ALARM, and INSUFFICIENT_DATA only after a day', async () => {
    const firing = await run(c, 'management', 'us-east-1', (a) => alarm(a, 'trailwatch-root-account-usage', { StateValue: 'ALARM', StateReason: 'Threshold Crossed' }));
    expect(firing).toEqual([expect.objectContaining({ severity: 'medium', found: expect.stringMatching(/^ALARM since .*Threshold Crossed/) })]);
    const fresh = await run(c, 'management', 'us-east-1', (a) => alarm(a, 'trailwatch-root-account-usage', { StateValue: 'INSUFFICIENT_DATA', StateUpdatedTimestamp: new Date('2026-12-07T00:00:00Z') }));
    expect(fresh).toEqual([]);
    const stale = await run(c, 'management', 'us-east-1', (a) => alarm(a, 'trailwatch-root-account-usage', { StateValue: 'INSUFFICIENT_DATA', StateUpdatedTimestamp: new Date('2026-12-05T00:00:00Z') }));
    expect(stale).toEqual([expect.objectContaining({ found: expect.stringMatching(/^INSUFFICIENT_DATA since 2026-12-05/) })]);
  });
  it('reports a deleted alarm', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => edited(a, 'DescribeAlarmsCommand', (o) => ({ MetricAlarms: o.MetricAlarms.filter((x: any) => x.AlarmName !== 'trailwatch-root-account-usage') })));
    expect(problems).toEqual([expect.objectContaining({ resource: 'alarm trailwatch-root-account-usage', found: 'no such alarm' })]);
  });
});

describe('alerting-topic', () => {
  const c = check('alerting-topic');
  it('is clean as planned', async () => expect(await run(c, 'security', 'us-east-1')).toEqual([]));
  it('reports a deleted topic', async () => {
    const problems = await run(c, 'security', 'us-east-1', (a) => ({ ...a, GetTopicAttributesCommand: () => Promise.reject(awsError('NotFoundException')) }));
    expect(problems).toEqual([expect.objectContaining({ resource: 'topic trailwatch-alerts', found: 'no such topic: alarms and rules notify nothing' })]);
  });
  it('reports encryption removed and the EventBridge publish statement dropped', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) =>
      edited(a, 'GetTopicAttributesCommand', (o) => {
        const p = JSON.parse(o.Attributes.Policy);
        p.Statement = p.Statement.filter((s: any) => s.Sid !== 'EventBridgeRulesPublish');
        return { Attributes: { TopicArn: o.Attributes.TopicArn, Policy: JSON.stringify(p) } };
      }),
    );
    expect(problems.map((p) => p.found)).toEqual(['not encrypted', 'EventBridgeRulesPublish missing or changed']);
  });
});

describe('alerting-subscriptions', () => {
  const c = check('alerting-subscriptions');
  it('is clean when confirmed', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('reports a subscription left PendingConfirmation', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => edited(a, 'ListSubscriptionsByTopicCommand', (o) => ({ Subscriptions: o.Subscriptions.map((s: any) => ({ ...s, SubscriptionArn: 'PendingConfirmation' })) })));
    expect(problems).toEqual([expect.objectContaining({ resource: 'subscription email:security-alerts@example.com', found: expect.stringMatching(/^PendingConfirmation/) })]);
  });
  it('reports a deleted subscription', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) => ({ ...a, ListSubscriptionsByTopicCommand: () => ({ Subscriptions: [] }) }));
    expect(problems).toEqual([expect.objectContaining({ found: 'no such subscription' })]);
  });
});

describe('eventbridge-rules', () => {
  const c = check('eventbridge-rules');
  it('is clean as planned, whatever the key order of the pattern AWS returns', async () => {
    const reordered = (a: Answers) => edited(a, 'ListRulesCommand', (o) => ({ Rules: o.Rules.map((r: any) => ({ ...r, EventPattern: JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(r.EventPattern)).reverse())) })) }));
    expect(await run(c, 'prod-web', 'eu-west-1', reordered)).toEqual([]);
  });
  it('reports a rule disabled by hand and a pattern edited', async () => {
    const problems = await run(c, 'prod-web', 'eu-west-1', (a) =>
      edited(a, 'ListRulesCommand', (o) => ({
        Rules: o.Rules.map((r: any) =>
          r.Name === 'trailwatch-vpc-changes' ? { ...r, State: 'DISABLED' } : r.Name === 'trailwatch-cloudtrail-config-changes' ? { ...r, EventPattern: '{"source":["aws.cloudtrail"]}' } : r,
        ),
      })),
    );
    expect(problems).toEqual([
      expect.objectContaining({ resource: 'rule trailwatch-cloudtrail-config-changes', found: 'pattern {"source":["aws.cloudtrail"]}' }),
      expect.objectContaining({ resource: 'rule trailwatch-vpc-changes', expected: 'state ENABLED', found: 'state DISABLED', fix: expect.stringContaining('aws events enable-rule --name trailwatch-vpc-changes --region eu-west-1') }),
    ]);
  });
  it('reports the central bus deleted', async () => {
    const problems = await run(c, 'security', 'us-east-1', (a) => ({ ...a, ListRulesCommand: (i) => (i.EventBusName === 'trailwatch-detections' ? Promise.reject(awsError('ResourceNotFoundException')) : a.ListRulesCommand(i)) }));
    expect(problems).toEqual([expect.objectContaining({ severity: 'critical', resource: 'event bus trailwatch-detections' })]);
  });
});

describe('eventbridge-targets', () => {
  const c = check('eventbridge-targets');
  it('is clean as planned', async () => expect(await run(c, 'prod-web', 'eu-west-1')).toEqual([]));
  it('reports a rule whose target to the central bus was removed', async () => {
    const problems = await run(c, 'prod-web', 'eu-west-1', (a) => ({ ...a, ListTargetsByRuleCommand: (i) => (i.Rule === 'trailwatch-root-account-usage' ? { Targets: [] } : a.ListTargetsByRuleCommand(i)) }));
    expect(problems).toEqual([
      expect.objectContaining({ resource: 'rule trailwatch-root-account-usage target detections-bus', expected: 'target arn:aws:events:us-east-1:333333333333:event-bus/trailwatch-detections', found: 'no such target: matches go nowhere' }),
    ]);
  });
});

describe('eventbridge-bus-policy', () => {
  const c = check('eventbridge-bus-policy');
  it('is clean as planned', async () => expect(await run(c, 'security', 'us-east-1')).toEqual([]));
  it('reports a bus policy that no longer admits the organization', async () => {
    const problems = await run(c, 'security', 'us-east-1', (a) => edited(a, 'DescribeEventBusCommand', (o) => ({ Name: o.Name, Arn: o.Arn })));
    expect(problems).toEqual([expect.objectContaining({ resource: 'event bus trailwatch-detections', found: 'no policy: other accounts cannot put events' })]);
  });
});

describe('responder', () => {
  const c = check('responder');
  it('is clean as planned', async () => expect(await run(c, 'management', 'us-east-1')).toEqual([]));
  it('reports another runtime and a failed function', async () => {
    const problems = await run(c, 'management', 'us-east-1', (a) =>
      edited(a, 'GetFunctionConfigurationCommand', (o) => ({ ...o, Runtime: 'nodejs18.x', State: 'Failed', StateReasonCode: 'InvalidSubnet', StateReason: 'subnet gone' })),
    );
    expect(problems.map((p) => p.found)).toEqual(['runtime nodejs18.x', 'failed: InvalidSubnet subnet gone']);
  });
});

it('every check has a test here', () => {
  const source = require('fs').readFileSync(__filename, 'utf8') as string;
  for (const c of CHECKS) expect(source).toContain(`describe('${c.id}'`);
});
