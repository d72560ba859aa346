/** Each planned EventBridge rule exists in its region and bus with the planned pattern and state. */
import { ListRulesCommand, type Rule } from '@aws-sdk/client-eventbridge';
import { sameJson } from '../compare';
import { resourcesOf } from '../planned';
import { allPages, errorName, redeploy, type Check, type Problem } from '../types';

export const busOf = (value: unknown): string => (typeof value === 'string' ? value : 'default');

export const eventbridgeRules: Check = {
  id: 'eventbridge-rules',
  title: 'The EventBridge rules exist with the planned pattern and state',
  severity: 'high',
  actions: ['events:ListRules'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudwatch_event_rule', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    const byBus = new Map<string, (typeof planned)[number][]>();
    const planned = resourcesOf(account, 'aws_cloudwatch_event_rule', region);
    for (const r of planned) byBus.set(busOf(r.values.event_bus_name), [...(byBus.get(busOf(r.values.event_bus_name)) ?? []), r]);
    for (const [bus, rules] of byBus) {
      let deployed: Map<string, Rule>;
      try {
        const rules = await allPages<Rule>(async (NextToken) => {
          const page = await clients.events.send(new ListRulesCommand({ EventBusName: bus, NextToken }));
          return { items: page.Rules, next: page.NextToken };
        });
        deployed = new Map(rules.map((r) => [r.Name!, r]));
      } catch (e) {
        if (errorName(e) !== 'ResourceNotFoundException') throw e;
        problems.push({ severity: 'critical', resource: `event bus ${bus}`, expected: `the bus with ${rules.length} rules`, found: 'no such event bus', fix: redeploy(account) });
        continue;
      }
      for (const r of rules) {
        const name = String(r.values.name);
        const resource = `rule ${name}${bus === 'default' ? '' : ` on ${bus}`}`;
        const d = deployed.get(name);
        const state = typeof r.values.state === 'string' ? r.values.state : r.values.is_enabled === false ? 'DISABLED' : 'ENABLED';
        if (!d) problems.push({ resource, expected: 'the rule', found: 'no such rule', fix: redeploy(account) });
        else {
          if (d.State !== state) problems.push({ resource, expected: `state ${state}`, found: `state ${d.State ?? 'unknown'}`, fix: state === 'ENABLED' ? `aws events enable-rule --name ${name} --region ${region} (or ${redeploy(account)})` : redeploy(account) });
          if (typeof r.values.event_pattern === 'string' && !sameJson(r.values.event_pattern, d.EventPattern)) {
            problems.push({ resource, expected: `pattern ${r.values.event_pattern}`, found: `pattern ${d.EventPattern ?? 'none'}`, fix: redeploy(account) });
          }
        }
      }
    }
    return problems;
  },
};
