/**
 * Threat detections as EventBridge rules: none by default (they run on the trail's log group), and
 * with `monitoring.threats.eventbridge: true` one rule per per-event threat in each account stack,
 * in the regions its events arise (IAM in us-east-1 only), never for a volume detection.
 */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { THREAT_CATALOG } from '../../lib/catalog';
import { parseConfigText } from '../../lib/config/load';
import { MINIMAL_YAML } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

function synth(yaml: string): Record<string, any> {
  const { stacks } = buildApp(planAll(parseConfigText(yaml)), { outdir: Testing.app().outdir });
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
}
const rules = (stack: any) => Object.values(stack.resource?.aws_cloudwatch_event_rule ?? {}) as any[];
const regionOf = (r: any) => (r.provider === 'aws' ? 'us-east-1' : String(r.provider).replace(/^aws\./, ''));
const threatRules = (stack: any) => rules(stack).filter((r) => THREAT_CATALOG.some((c) => r.name === `trailwatch-${c.id}`));

test('threats: {} adds no EventBridge rule in any stack', () => {
  const out = synth(MINIMAL_YAML + 'monitoring:\n  threats: {}\n');
  for (const s of Object.values(out)) expect(threatRules(s)).toEqual([]);
});

test('threats.eventbridge: true: per-event threats as rules in each region of a member stack, IAM in us-east-1, volume detections never', () => {
  const out = synth(MINIMAL_YAML + 'monitoring:\n  threats: { eventbridge: true }\n');
  const byName = new Map<string, string[]>();
  for (const r of threatRules(out['prod-app'])) byName.set(r.name, [...(byName.get(r.name) ?? []), regionOf(r)].sort());
  expect(byName.get('trailwatch-ebs-snapshot-shared')).toEqual(['eu-west-1', 'us-east-1']);
  expect(byName.get('trailwatch-iam-user-created')).toEqual(['us-east-1']);
  expect(byName.has('trailwatch-secrets-harvesting')).toBe(false);
  const rule = threatRules(out['prod-app']).find((r) => r.name === 'trailwatch-ebs-snapshot-shared')!;
  expect(rule.description).toBe('trailwatch: EBS snapshot create-volume permissions changed (shared with an account or made public) (ATT&CK T1537)');
  expect(JSON.parse(rule.event_pattern)).toEqual({ 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['ec2.amazonaws.com'], eventName: ['ModifySnapshotAttribute'] } });
});
