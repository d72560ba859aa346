/** Each planned EventBridge rule sends to its planned target (the central bus, the topic, the responder). */
import { ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';
import { busOf } from './eventbridge-rules';

export const eventbridgeTargets: Check = {
  id: 'eventbridge-targets',
  title: 'The EventBridge rules send to the planned targets',
  severity: 'high',
  actions: ['events:ListTargetsByRule'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudwatch_event_target', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    const byRule = new Map<string, { bus: string; rule: string; targets: { id: string; arn: unknown }[] }>();
    for (const t of resourcesOf(account, 'aws_cloudwatch_event_target', region)) {
      if (typeof t.values.rule !== 'string') continue;
      const bus = busOf(t.values.event_bus_name);
      const key = `${bus}/${t.values.rule}`;
      const entry = byRule.get(key) ?? { bus, rule: t.values.rule, targets: [] };
      entry.targets.push({ id: String(t.values.target_id), arn: t.values.arn });
      byRule.set(key, entry);
    }
    for (const { bus, rule, targets } of byRule.values()) {
      let deployed;
      try {
        deployed = (await clients.events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus }))).Targets ?? [];
      } catch (e) {
        if (errorName(e) === 'ResourceNotFoundException') continue; // eventbridge-rules reports the missing rule or bus
        throw e;
      }
      for (const t of targets) {
        const d = deployed.find((x) => x.Id === t.id);
        const arn = typeof t.arn === 'string' ? t.arn : undefined;
        if (!d || (arn !== undefined && d.Arn !== arn)) {
          problems.push({ resource: `rule ${rule} target ${t.id}`, expected: `target ${arn ?? t.id}`, found: d ? `target ${d.Arn ?? 'without ARN'}` : 'no such target: matches go nowhere', fix: redeploy(account) });
        }
      }
    }
    return problems;
  },
};
