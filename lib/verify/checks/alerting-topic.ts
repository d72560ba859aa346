/** Each planned SNS topic exists, is encrypted as planned, and its policy holds the planned statements. */
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { missingStatements } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

export const alertingTopic: Check = {
  id: 'alerting-topic',
  title: 'The alert topic exists with the planned encryption and policy',
  severity: 'critical',
  actions: ['sns:GetTopicAttributes'],
  applies: (account, region) => resourcesOf(account, 'aws_sns_topic', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const topic of resourcesOf(account, 'aws_sns_topic', region)) {
      const name = String(topic.values.name);
      const arn = `arn:aws:sns:${region}:${account.plan.accountId}:${name}`;
      let attributes: Record<string, string> = {};
      try {
        attributes = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {};
      } catch (e) {
        if (errorName(e) !== 'NotFoundException' && errorName(e) !== 'NotFound') throw e;
        problems.push({ resource: `topic ${name}`, expected: 'the alert topic', found: 'no such topic: alarms and rules notify nothing', fix: redeploy(account) });
        continue;
      }
      if ('kms_master_key_id' in topic.values && !attributes.KmsMasterKeyId) {
        problems.push({ severity: 'high', resource: `topic ${name}`, expected: 'encrypted with the planned KMS key (KmsMasterKeyId set)', found: 'not encrypted', fix: redeploy(account) });
      }
      for (const policy of resourcesOf(account, 'aws_sns_topic_policy', region).filter((p) => p.values.arn === arn && typeof p.values.policy === 'string')) {
        const missing = missingStatements(String(policy.values.policy), attributes.Policy);
        if (missing.length > 0) problems.push({ severity: 'high', resource: `topic ${name}`, expected: `policy statements ${missing.join(', ')} as planned`, found: `${missing.join(', ')} missing or changed`, fix: redeploy(account) });
      }
    }
    return problems;
  },
};
