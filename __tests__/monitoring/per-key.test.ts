/**
 * `alarm: {threshold, per}`: a detection counted per key value with a CloudWatch Contributor
 * Insights rule on the trail's log group, alarmed on its largest contributor; refused with the
 * reason when the pattern cannot be written as Contributor Insights filters; never an EventBridge rule.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { planDetections } from '../../lib/monitoring/plan';
import { checkQuotas } from '../../lib/quotas/check';
import { minimalConfig, refusal } from '../support/configs';
import { initAndValidate } from '../support/terraform';
import { LOG_GROUP, monitoredStack } from './support';
import { planAll } from '../../lib/plan/plan';

const PER_ARN = 'monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { alarm: { threshold: 5, per: userIdentity.arn } }\n';
const detectionOf = (yaml: string, id: string) => planDetections(minimalConfig(yaml).monitoring).detections.find((d) => d.id === id)!;

describe('per-key detections (Contributor Insights)', () => {
  test('per: a field renders the rule keys and the pattern as Contributor Insights filters', () => {
    const d = detectionOf(PER_ARN, 'secrets-harvesting');
    expect(d.alarm).toMatchObject({ threshold: 5, per: ['userIdentity.arn'] });
    expect(d.contributorRule).toEqual({
      ruleName: 'trailwatch-secrets-harvesting',
      keys: ['$.userIdentity.arn'],
      fields: ['userIdentity.arn'],
      filters: [
        { Match: '$.eventSource', In: ['secretsmanager.amazonaws.com'] },
        { Match: '$.eventName', In: ['GetSecretValue', 'BatchGetSecretValue'] },
      ],
    });
    // per: [] counts the whole organization together again: the metric filter.
    const all = detectionOf('monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { alarm: { per: [] } }\n', 'secrets-harvesting');
    expect(all.contributorRule).toBeUndefined();
    expect(all.alarm.per).toBeUndefined();
  });

  test('synth: a rule on the log group (documented body, ENABLED) and an alarm on INSIGHT_RULE_METRIC MaxContributorValue to the alert topic; no metric filter', () => {
    const { resources, filters } = monitoredStack(PER_ARN);
    const [key, rule] = Object.entries(resources('aws_cloudwatch_contributor_insight_rule')).find(([, r]) => r.rule_name === 'trailwatch-secrets-harvesting')!;
    expect(rule.rule_name).toBe('trailwatch-secrets-harvesting');
    expect(rule.rule_state).toBe('ENABLED');
    expect(JSON.parse(rule.rule_definition)).toEqual({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: [LOG_GROUP],
      LogFormat: 'JSON',
      Contribution: {
        Keys: ['$.userIdentity.arn'],
        Filters: [
          { Match: '$.eventSource', In: ['secretsmanager.amazonaws.com'] },
          { Match: '$.eventName', In: ['GetSecretValue', 'BatchGetSecretValue'] },
        ],
      },
      AggregateOn: 'Count',
    });
    expect(filters().map((f) => f.name)).not.toContain('trailwatch-secrets-harvesting');
    const alarm = Object.values(resources('aws_cloudwatch_metric_alarm')).find((a) => a.alarm_name === 'trailwatch-secrets-harvesting')!;
    expect(alarm.metric_query).toEqual([
      expect.objectContaining({ id: 'top', expression: `INSIGHT_RULE_METRIC('\${aws_cloudwatch_contributor_insight_rule.${key}.rule_name}', 'MaxContributorValue')`, period: 300, return_data: true }),
    ]);
    expect(alarm.metric_name).toBeUndefined();
    expect(alarm).toMatchObject({ threshold: 5, comparison_operator: 'GreaterThanOrEqualToThreshold', evaluation_periods: 1, treat_missing_data: 'notBreaching' });
    expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.alerting_[^.]+\.arn\}$/)]);
  });

  test('several keys count per combination; more than 4 are refused (the Contributor Insights key limit)', () => {
    const d = detectionOf('monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { alarm: { threshold: 5, per: [userIdentity.arn, sourceIPAddress] } }\n', 'secrets-harvesting');
    expect(d.contributorRule!.keys).toEqual(['$.userIdentity.arn', '$.sourceIPAddress']);
    const lines = refusal('monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { alarm: { threshold: 5, per: [a, b, c, d, e] } }\n');
    expect(lines.join('\n')).toMatch(/alarm\.per: expected at most 4 fields, got 5: a Contributor Insights rule groups by up to 4 keys/);
  });

  test('a statistic set on a per-key detection is refused (its alarm watches the top contributor), not silently ignored', () => {
    expect(refusal('monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { alarm: { threshold: 5, per: userIdentity.arn, statistic: Average } }\n').join('\n')).toMatch(
      /threats\.detections\["secrets-harvesting"\]\.alarm\.statistic: secrets-harvesting counts per userIdentity\.arn: its alarm watches INSIGHT_RULE_METRIC MaxContributorValue, one value per period, so a statistic does not apply/,
    );
  });

  test('a pattern Contributor Insights filters cannot express is refused with the reason', () => {
    // IS TRUE (SSM WithDecryption): Contributor Insights has no boolean test.
    expect(refusal('monitoring:\n  threats:\n    detections:\n      ssm-parameter-harvesting: { alarm: { threshold: 5, per: userIdentity.arn } }\n').join('\n')).toMatch(
      /threats\.detections\["ssm-parameter-harvesting"\]\.alarm\.per: ssm-parameter-harvesting cannot count per userIdentity\.arn: its pattern cannot be written as Contributor Insights filters: \$\.requestParameters\.withDecryption IS TRUE: Contributor Insights filters have no IS TRUE test/,
    );
    // A suffix wildcard and a regex in a custom detection.
    const custom = (pattern: string) => refusal(`monitoring:\n  custom:\n    - { id: bulk-reads, title: x, pattern: '${pattern}', alarm: { threshold: 5, per: userIdentity.arn } }\n`).join('\n');
    expect(custom('{ $.errorCode = "*AccessDenied" }')).toMatch(/custom\[0\]\.alarm\.per: bulk-reads cannot count per userIdentity\.arn: .*not a "\*" elsewhere/);
    expect(custom('{ $.eventName = %^Get% }')).toMatch(/no regular expressions/);
    expect(custom('{ ($.eventName = "A") || ($.errorCode = "B") }')).toMatch(/an OR across fields \(eventName, errorCode\)/);
    expect(custom('{ $.eventName = "A" && $.b = "1" && $.c = "1" && $.d = "1" && $.e = "1" }')).toMatch(/needs 5 Contributor Insights filters .* at most 4/);
  });

  test('exclusions: on the key they become NotIn; a negated field records may lack gets IsPresent beside it', () => {
    const onKey = detectionOf(
      'monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { exclude: { identities: ["arn:aws:sts::111111111111:assumed-role/Deploy/ci"] }, alarm: { threshold: 5, per: userIdentity.arn } }\n',
      'secrets-harvesting',
    );
    expect(onKey.contributorRule!.filters).toContainEqual({ Match: '$.userIdentity.arn', NotIn: ['arn:aws:sts::111111111111:assumed-role/Deploy/ci'] });
    const custom = detectionOf(
      'monitoring:\n  custom:\n    - { id: bulk-reads, title: x, pattern: \'{ ($.eventName = "GetSecretValue") && ($.errorCode != "AccessDenied") }\', alarm: { threshold: 5, per: sourceIPAddress } }\n',
      'bulk-reads',
    );
    expect(custom.contributorRule!.filters).toEqual([
      { Match: '$.eventName', In: ['GetSecretValue'] },
      { Match: '$.errorCode', NotIn: ['AccessDenied'] },
      { Match: '$.errorCode', IsPresent: true },
    ]);
    // The guard of an exclusion on a field that is not a key cannot be an OR of filters.
    expect(
      refusal('monitoring:\n  threats:\n    detections:\n      secrets-harvesting: { exclude: { identities: ["arn:aws:sts::111111111111:assumed-role/Deploy/ci"] }, alarm: { threshold: 5, per: sourceIPAddress } }\n').join('\n'),
    ).toMatch(/cannot OR a missing field with a test \(it can when userIdentity\.arn is a key of the rule\)/);
  });

  test('a per-key detection counts: it never becomes an EventBridge rule, even at threshold 1', () => {
    const yaml = 'monitoring:\n  threats:\n    eventbridge: true\n    detections:\n      secrets-harvesting: { alarm: { threshold: 1, per: userIdentity.arn } }\n      ssm-send-command: { alarm: { threshold: 1 } }\n';
    const config = minimalConfig(yaml);
    const plan = planEventBridge(config);
    const ids = plan.detections.map((d) => d.control.id);
    expect(ids).toContain('ssm-send-command');
    expect(ids).not.toContain('secrets-harvesting');
    expect(plan.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^secrets-harvesting runs as a Contributor Insights rule only, not as an EventBridge rule: its alarm counts matches per userIdentity\.arn/));
  });

  test('terraform validate accepts the rule and the metric-math alarm', () => {
    const { json } = monitoredStack(PER_ARN);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-per-key-'));
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    const result = initAndValidate(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  }, 180_000);
});

describe('quotas of per-key detections', () => {
  const customs = (n: number) =>
    'monitoring:\n  custom:\n' + Array.from({ length: n }, (_, i) => `    - { id: reads-${i}, title: x, pattern: '{ $.eventName = "Get${i}" }', alarm: { threshold: 5, per: userIdentity.arn } }\n`).join('');

  test('per-key detections are not metric filters: 101 of them (with the 15 CIS filters) pass the 100-filter limit, and warn at the 100 Contributor Insights rules per account and region', () => {
    const report = checkQuotas(planAll(minimalConfig(customs(100))));
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
    const over = checkQuotas(planAll(minimalConfig(customs(101))));
    expect(over.problems).toEqual([]);
    expect(over.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^the Contributor Insights rules of the per-key detections \(alarm\.per\) on the trail's log group .* would reach 101, over the default CloudWatch quota of 100 Contributor Insights rules per account and region \(https:\/\/docs\.aws\.amazon\.com\/AmazonCloudWatch\/latest\/monitoring\/cloudwatch_limits\.html\)/),
    ]);
  });
});
