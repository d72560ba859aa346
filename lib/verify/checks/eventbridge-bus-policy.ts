/** The central event bus exists and its policy still admits the organization (every account forwards to it). */
import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { missingStatements } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';
import { busOf } from './eventbridge-rules';

export const eventbridgeBusPolicy: Check = {
  id: 'eventbridge-bus-policy',
  title: 'The central bus policy admits the organization',
  severity: 'critical',
  actions: ['events:DescribeEventBus'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudwatch_event_bus_policy', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_cloudwatch_event_bus_policy', region)) {
      const bus = busOf(planned.values.event_bus_name);
      let policy: string | undefined;
      try {
        policy = (await clients.events.send(new DescribeEventBusCommand({ Name: bus }))).Policy;
      } catch (e) {
        if (errorName(e) !== 'ResourceNotFoundException') throw e;
        problems.push({ resource: `event bus ${bus}`, expected: 'the central bus', found: 'no such event bus: every account forwards its detections nowhere', fix: redeploy(account) });
        continue;
      }
      if (typeof planned.values.policy !== 'string') continue;
      const missing = missingStatements(planned.values.policy, policy);
      if (missing.length > 0) {
        problems.push({ resource: `event bus ${bus}`, expected: `policy statements ${missing.join(', ')} (the organization may put events)`, found: policy ? `${missing.join(', ')} missing or changed` : 'no policy: other accounts cannot put events', fix: redeploy(account) });
      }
    }
    return problems;
  },
};
