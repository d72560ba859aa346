/**
 * The alert topic: KMS encryption, the key and topic policies (parsed and checked statement by
 * statement), subscriptions, and the config checks on endpoints.
 */
import { ConfigError } from '../../lib/config/load';
import { subscriptionId } from '../../lib/alerting/alert-topic';
import { minimalConfig } from '../support/configs';
import { monitoredStack } from '../monitoring/support';

type Statement = { Sid: string; Effect: string; Principal: any; Action: string | string[]; Resource: string; Condition?: Record<string, Record<string, string>> };

function topicParts(yaml = '', region?: string) {
  const s = monitoredStack(yaml, region ? { region } : {});
  const one = (type: string) => {
    const entries = Object.entries(s.resources(type));
    expect(entries).toHaveLength(1);
    return { key: entries[0][0], ...entries[0][1] } as Record<string, any>;
  };
  const key = one('aws_kms_key');
  const topic = one('aws_sns_topic');
  const policy = one('aws_sns_topic_policy');
  return {
    s,
    key,
    topic,
    alias: one('aws_kms_alias'),
    keyPolicy: JSON.parse(key.policy) as { Statement: Statement[] },
    topicPolicy: JSON.parse(policy.policy) as { Statement: Statement[] },
    policy,
    subscriptions: Object.entries(s.resources('aws_sns_topic_subscription')),
    topicArn: `\${aws_sns_topic.${topic.key}.arn}`,
  };
}

const actions = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);

describe('encryption', () => {
  test('the topic is encrypted with its own rotating KMS key, aliased after the topic', () => {
    const t = topicParts();
    expect(t.topic.name).toBe('trailwatch-alerts');
    expect(t.topic.kms_master_key_id).toBe(`\${aws_kms_key.${t.key.key}.arn}`);
    expect(t.key.enable_key_rotation).toBe(true);
    expect(t.key.deletion_window_in_days).toBe(30);
    expect(t.alias).toMatchObject({ name: 'alias/trailwatch-alerts', target_key_id: `\${aws_kms_key.${t.key.key}.key_id}` });
  });

  test('the key policy lets CloudWatch and EventBridge encrypt alerts, and nothing else outside the account', () => {
    const { keyPolicy } = topicParts();
    const publish = keyPolicy.Statement.find((st) => st.Sid === 'AlarmsAndRulesEncryptAlerts')!;
    expect(publish.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });
    expect(actions(publish).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    const admin = keyPolicy.Statement.find((st) => st.Sid === 'AccountAdministersKey')!;
    expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
    expect(keyPolicy.Statement).toHaveLength(2);
  });

  test('a topic name from config names the topic and the key alias', () => {
    const t = topicParts('alerting: { topicName: secops-alerts, displayName: SecOps }\n');
    expect([t.topic.name, t.topic.display_name, t.alias.name]).toEqual(['secops-alerts', 'SecOps', 'alias/secops-alerts']);
  });
});

describe('topic policy', () => {
  test('CloudWatch alarms may publish only from this account and region', () => {
    const { topicPolicy, topicArn } = topicParts('', 'eu-west-1');
    const st = topicPolicy.Statement.find((x) => x.Principal?.Service === 'cloudwatch.amazonaws.com')!;
    expect(st).toEqual({
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' } },
    });
  });

  test('EventBridge rules may publish only from this account and region', () => {
    const { topicPolicy } = topicParts();
    const st = topicPolicy.Statement.find((x) => x.Principal?.Service === 'events.amazonaws.com')!;
    expect(actions(st)).toEqual(['sns:Publish']);
    expect(st.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/*' } });
  });

  test('no service principal is allowed without source conditions; only the owning account manages the topic', () => {
    const { topicPolicy } = topicParts();
    for (const st of topicPolicy.Statement.filter((x) => x.Effect === 'Allow')) {
      if (st.Principal?.Service) expect(Object.keys(st.Condition ?? {}).sort()).toEqual(['ArnLike', 'StringEquals']);
      else expect(st.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
      expect(st.Principal).not.toBe('*');
    }
  });

  test('publishing over plain HTTP is denied to callers, and cannot block the alarms\' and rules\' service publishes', () => {
    const { topicPolicy, topicArn } = topicParts();
    expect(topicPolicy.Statement.find((x) => x.Effect === 'Deny')).toEqual({
      Sid: 'DenyPlainHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  test('the policy is attached to the topic', () => {
    const t = topicParts();
    expect(t.policy.arn).toBe(t.topicArn);
  });
});

describe('subscriptions', () => {
  const subs = `alerting:
  subscriptions:
    - { protocol: email, endpoint: secops@example.com }
    - { protocol: https, endpoint: 'https://hooks.example.com/trailwatch?token=abc', rawMessageDelivery: true }
    - { protocol: sqs, endpoint: 'arn:aws:sqs:us-east-1:111111111111:security-alerts' }
    - { protocol: lambda, endpoint: 'arn:aws:lambda:us-east-1:111111111111:function:page-oncall' }
`;

  test('one subscription per entry, on the topic, with protocol and endpoint as written', () => {
    const t = topicParts(subs);
    const byProtocol: Record<string, Record<string, any>> = Object.fromEntries(t.subscriptions.map(([, s]) => [s.protocol, s]));
    expect(Object.values(byProtocol).map((s) => [s.protocol, s.endpoint, s.topic_arn === t.topicArn])).toEqual(
      expect.arrayContaining([
        ['email', 'secops@example.com', true],
        ['https', 'https://hooks.example.com/trailwatch?token=abc', true],
        ['sqs', 'arn:aws:sqs:us-east-1:111111111111:security-alerts', true],
        ['lambda', 'arn:aws:lambda:us-east-1:111111111111:function:page-oncall', true],
      ]),
    );
    expect(t.subscriptions).toHaveLength(4);
    expect(byProtocol.https.raw_message_delivery).toBe(true);
    expect(byProtocol.email.raw_message_delivery).toBeUndefined();
  });

  test('reordering the list keeps every subscription\'s address (no re-confirmation emails)', () => {
    const keys = (yaml: string) => topicParts(yaml).subscriptions.map(([k]) => k).sort();
    const reordered = subs.split('\n').slice(0, 2).concat(subs.split('\n').slice(2, 6).reverse(), ['']).join('\n');
    expect(reordered).not.toBe(subs);
    expect(keys(reordered)).toEqual(keys(subs));
    expect(subscriptionId({ protocol: 'email', endpoint: 'secops@example.com' })).toMatch(/^email-[0-9a-f]{8}$/);
  });

  test('no subscriptions: the topic still exists and receives every alarm', () => {
    const t = topicParts();
    expect(t.subscriptions).toEqual([]);
    expect(t.s.alarms().every((a) => a.alarm_actions[0] === t.topicArn)).toBe(true);
  });
});

describe('endpoints are checked per protocol', () => {
  function refusal(sub: string): string {
    try {
      minimalConfig(`alerting:\n  subscriptions:\n    - ${sub}\n`);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    throw new Error('accepted');
  }

  test.each([
    ['email with a URL', '{ protocol: email, endpoint: "https://example.com" }', /subscriptions\[0\]\.endpoint: expected an email address for protocol email, got "https:\/\/example\.com" \(test\.yaml:12:36\)/],
    ['https with an email', '{ protocol: https, endpoint: secops@example.com }', /subscriptions\[0\]\.endpoint: expected an https:\/\/ URL for protocol https, got "secops@example\.com"/],
    ['https with plain http', '{ protocol: https, endpoint: "http://hooks.example.com" }', /expected an https:\/\/ URL for protocol https, got "http:\/\/hooks\.example\.com"/],
    ['sqs with a queue URL', '{ protocol: sqs, endpoint: "https://sqs.us-east-1.amazonaws.com/111111111111/q" }', /expected an SQS queue ARN \(arn:aws:sqs:<region>:<account>:<queue>\) for protocol sqs/],
    ['sqs with a FIFO queue', '{ protocol: sqs, endpoint: "arn:aws:sqs:us-east-1:111111111111:q.fifo" }', /a FIFO queue cannot subscribe to the \(standard\) alert topic/],
    ['lambda with a function name', '{ protocol: lambda, endpoint: page-oncall }', /expected a Lambda function ARN \(arn:aws:lambda:<region>:<account>:function:<name>\) for protocol lambda/],
    ['lambda with an SQS ARN', '{ protocol: lambda, endpoint: "arn:aws:sqs:us-east-1:111111111111:q" }', /for protocol lambda, got "arn:aws:sqs/],
    ['an unknown protocol', '{ protocol: sms, endpoint: "+15555550100" }', /subscriptions\[0\]\.protocol: expected protocol email, https, sqs, lambda, got "sms"/],
    ['plain http as a protocol', '{ protocol: http, endpoint: "http://x.example.com" }', /got "http" \(plain http is not allowed: alerts carry account details; use https\)/],
    ['raw delivery on email', '{ protocol: email, endpoint: a@example.com, rawMessageDelivery: true }', /subscriptions\[0\]\.rawMessageDelivery: unknown key/],
  ])('%s is refused', (_what, sub, expected) => {
    expect(refusal(sub)).toMatch(expected);
  });

  test('the same endpoint twice is refused', () => {
    expect(() => minimalConfig('alerting:\n  subscriptions:\n    - { protocol: email, endpoint: a@example.com }\n    - { protocol: email, endpoint: a@example.com }\n')).toThrow(
      /alerting\.subscriptions\[1\]: subscribes a@example\.com \(email\) again, like subscriptions\[0\]; remove one/,
    );
  });

  test('valid endpoints of every protocol are accepted', () => {
    const config = minimalConfig(
      'alerting:\n  subscriptions:\n    - { protocol: email, endpoint: first.last+alerts@sub.example.co.uk }\n    - { protocol: https, endpoint: "https://events.pagerduty.com/integration/abc/enqueue" }\n    - { protocol: lambda, endpoint: "arn:aws:lambda:eu-west-1:111111111111:function:f:live" }\n',
    );
    expect(config.alerting!.subscriptions).toHaveLength(3);
  });
});
