/** Each planned subscription exists and is confirmed (an unconfirmed one receives nothing). */
import { ListSubscriptionsByTopicCommand, type Subscription } from '@aws-sdk/client-sns';
import { resourcesOf } from '../planned';
import { allPages, errorName, redeploy, type Check, type Problem } from '../types';

export const alertingSubscriptions: Check = {
  id: 'alerting-subscriptions',
  title: 'Every planned subscription is confirmed',
  severity: 'high',
  actions: ['sns:ListSubscriptionsByTopic'],
  applies: (account, region) => resourcesOf(account, 'aws_sns_topic_subscription', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    const byTopic = new Map<string, { protocol: string; endpoint: string }[]>();
    for (const s of resourcesOf(account, 'aws_sns_topic_subscription', region)) {
      if (typeof s.values.topic_arn !== 'string') continue;
      byTopic.set(s.values.topic_arn, [...(byTopic.get(s.values.topic_arn) ?? []), { protocol: String(s.values.protocol), endpoint: String(s.values.endpoint) }]);
    }
    for (const [topic, planned] of byTopic) {
      let deployed: Subscription[];
      try {
        deployed = await allPages<Subscription>(async (NextToken) => {
          const page = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic, NextToken }));
          return { items: page.Subscriptions, next: page.NextToken };
        });
      } catch (e) {
        if (errorName(e) === 'NotFoundException' || errorName(e) === 'NotFound') continue; // alerting-topic reports it
        throw e;
      }
      for (const { protocol, endpoint } of planned) {
        const resource = `subscription ${protocol}:${endpoint}`;
        const found = deployed.filter((d) => d.Protocol === protocol && d.Endpoint === endpoint);
        if (found.length === 0) problems.push({ resource, expected: `subscribed to ${topic}`, found: 'no such subscription', fix: redeploy(account) });
        else if (found.every((d) => d.SubscriptionArn === 'PendingConfirmation')) {
          problems.push({
            resource,
            expected: 'confirmed',
            found: 'PendingConfirmation: SNS delivers nothing to it until the link AWS sent is opened',
            fix: `open the confirmation link sent to ${endpoint} (it expires after 3 days: then delete the subscription and ${redeploy(account)})`,
          });
        }
      }
    }
    return problems;
  },
};
