/**
 * Each planned alarm exists with its actions enabled and pointing at the planned topic; an alarm in
 * ALARM is reported, one in INSUFFICIENT_DATA for longer than verify.maxInsufficientDataHours is a finding.
 */
import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { resourcesOf } from '../planned';
import { allPages, redeploy, type Check, type Problem } from '../types';

/** DescribeAlarms takes at most 100 alarm names per call. */
const BATCH = 100;

export const detectionAlarms: Check = {
  id: 'detection-alarms',
  title: 'The alarms exist, act on the planned topic and are not firing or stale',
  severity: 'high',
  actions: ['cloudwatch:DescribeAlarms'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudwatch_metric_alarm', region).length > 0,
  async run({ account, region, clients, settings, now }) {
    const planned = resourcesOf(account, 'aws_cloudwatch_metric_alarm', region);
    const deployed = new Map<string, MetricAlarm>();
    for (let i = 0; i < planned.length; i += BATCH) {
      const AlarmNames = planned.slice(i, i + BATCH).map((a) => String(a.values.alarm_name));
      const alarms = await allPages<MetricAlarm>(async (NextToken) => {
        const page = await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames, AlarmTypes: ['MetricAlarm'], NextToken }));
        return { items: page.MetricAlarms, next: page.NextToken };
      });
      for (const a of alarms) deployed.set(a.AlarmName!, a);
    }
    const problems: Problem[] = [];
    for (const p of planned) {
      const name = String(p.values.alarm_name);
      const resource = `alarm ${name}`;
      const a = deployed.get(name);
      if (!a) {
        problems.push({ resource, expected: 'the alarm', found: 'no such alarm', fix: redeploy(account) });
        continue;
      }
      if ((p.values.actions_enabled ?? true) === true && a.ActionsEnabled === false) {
        problems.push({ resource, expected: 'actions enabled', found: 'actions disabled: it notifies nobody', fix: `aws cloudwatch enable-alarm-actions --alarm-names ${name} --region ${region} (or ${redeploy(account)})` });
      }
      const wanted = ((p.values.alarm_actions as unknown[] | undefined) ?? []).filter((x): x is string => typeof x === 'string');
      const missing = wanted.filter((arn) => !(a.AlarmActions ?? []).includes(arn));
      if (missing.length > 0) problems.push({ resource, expected: `alarm actions ${wanted.join(', ')}`, found: `alarm actions ${(a.AlarmActions ?? []).join(', ') || 'none'}`, fix: redeploy(account) });
      const since = a.StateUpdatedTimestamp;
      if (a.StateValue === 'ALARM') {
        problems.push({ severity: 'medium', resource, expected: 'OK', found: `ALARM${since ? ` since ${since.toISOString()}` : ''}: ${a.StateReason ?? ''}`.trim(), fix: 'investigate the events that matched its filter (the notification it sent names them)' });
      } else if (a.StateValue === 'INSUFFICIENT_DATA' && since && now.getTime() - since.getTime() > settings.maxInsufficientDataHours * 3_600_000) {
        problems.push({
          severity: 'medium',
          resource,
          expected: `OK (INSUFFICIENT_DATA for at most ${settings.maxInsufficientDataHours} hours)`,
          found: `INSUFFICIENT_DATA since ${since.toISOString()}: its metric receives nothing (is the trail delivering to the log group?)`,
          fix: 'check the trail-logging findings and the metric filter on the log group',
        });
      }
    }
    return problems;
  },
};
