/**
 * The quota check counts the EventBridge rules that synth writes: per account, region and bus,
 * the counts it checks against the rules-per-bus quota equal the `aws_cloudwatch_event_rule`
 * resources of the synthesized stacks, over configs that place rules differently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadConfigFile } from '../../lib/config/load';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { planOrganization } from '../../lib/core/organization';
import { rulesPerBus } from '../../lib/quotas/check';
import { tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';
import { EXAMPLE_CONFIG, synthConfigFile } from '../support/example';

const SECURITY = MINIMAL_YAML.replace('accounts:', '  securityAccount: { id: "333333333333", name: security }\naccounts:');

/** Rules per "account region bus" as synthesized: the provider alias names the region, event_bus_name the bus. */
function synthesizedRules(file: string): Record<string, number> {
  const out = synthConfigFile(file);
  const counts: Record<string, number> = {};
  for (const stack of out.stacks) {
    const json = out.json(stack);
    const providers: { alias?: string; region: string }[] = json.provider?.aws ?? [];
    const regionOf = (ref: string | undefined) => {
      const alias = ref === undefined || ref === 'aws' ? undefined : ref.replace(/^aws\./, '');
      const p = providers.find((x) => (alias === undefined ? x.alias === undefined : x.alias === alias));
      if (!p) throw new Error(`${stack}: no provider ${ref}`);
      return p.region;
    };
    const buses: Record<string, { name: string }> = json.resource?.aws_cloudwatch_event_bus ?? {};
    const busOf = (name: string | undefined) => {
      if (name === undefined) return 'default';
      const ref = /^\$\{aws_cloudwatch_event_bus\.([^.]+)\.name\}$/.exec(name);
      return ref ? buses[ref[1]].name : name;
    };
    for (const rule of Object.values<{ provider?: string; event_bus_name?: string }>(json.resource?.aws_cloudwatch_event_rule ?? {})) {
      const key = `${stack} ${regionOf(rule.provider)} ${busOf(rule.event_bus_name)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

/** Rules per "account region bus" as the quota check counts them. */
function quotaRules(file: string): Record<string, number> {
  const config = loadConfigFile(file);
  const counts: Record<string, number> = {};
  for (const b of rulesPerBus(planOrganization(config), planEventBridge(config))) {
    const m = /^the (?:default event bus|central bus (\S+)) of (\S+) in (\S+)$/.exec(b.bus)!;
    counts[`${m[2]} ${m[3]} ${m[1] ?? 'default'}`] = b.rules;
  }
  return counts;
}

function configFile(yaml: string): string {
  const file = path.join(tempDir('tw-quota-rules-'), 'trailwatch.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

const cases: [string, () => string][] = [
  ['the example trailwatch.yaml (central bus, organization trail with Insights)', () => EXAMPLE_CONFIG],
  ['local routing with the default trail', () => configFile(MINIMAL_YAML)],
  ['trail.insights: [] (no Insights rules)', () => configFile(MINIMAL_YAML + 'trail:\n  insights: []\n')],
  ['trail.multiRegion: false (Insights in the trail\'s region only)', () => configFile(MINIMAL_YAML + 'trail:\n  multiRegion: false\n')],
  ['central target: every account forwards to the security account\'s bus', () => configFile(SECURITY)],
  ['central target with multiRegion: false', () => configFile(SECURITY + 'trail:\n  multiRegion: false\n')],
  ['eventbridge.enabled: false (no rules)', () => configFile(MINIMAL_YAML + 'eventbridge:\n  enabled: false\n')],
  ['trail.mode: account (a trail, and Insights, in every account)', () => configFile(MINIMAL_YAML + 'trail:\n  mode: account\n')],
  ['monitoring.enabled: false (EventBridge makes the alert topic, in the primary region)', () => configFile(MINIMAL_YAML + 'monitoring:\n  enabled: false\n')],
  ['counting detections stay off EventBridge', () => configFile(MINIMAL_YAML + 'monitoring:\n  controls:\n    root-account-usage: { alarm: { threshold: 3 } }\n    iam-policy-changes: { alarm: { threshold: 2 } }\n')],
];

describe('the quota count of EventBridge rules equals the rules synthesized, per account, region and bus', () => {
  test.each(cases)('%s', (_name, file) => {
    const f = file();
    const synthesized = synthesizedRules(f);
    expect(quotaRules(f)).toEqual(synthesized);
  });

  test('the configs place rules differently (the cases are not all alike)', () => {
    const total = (f: string) => Object.values(synthesizedRules(f)).reduce((a, b) => a + b, 0);
    const plain = total(configFile(MINIMAL_YAML));
    expect(total(configFile(MINIMAL_YAML + 'trail:\n  insights: []\n'))).toBeLessThan(plain);
    expect(total(configFile(MINIMAL_YAML + 'eventbridge:\n  enabled: false\n'))).toBe(0);
  });
});
