/** `synth --summary`: per stack counts from the written cdk.tf.json and the estimated cost. */
import * as fs from 'fs';
import * as path from 'path';
import { parseConfigText } from '../../lib/config/load';
import { inventoryFromPlan } from '../../lib/app/inventory';
import { estimate } from '../../lib/estimate/model';
import { renderSummary, summarizeInventory, type SynthSummary } from '../../lib/estimate/summary';
import { runCli, tempDir } from '../support/cli';
import { SMALL } from './small-config';
import { planAll } from '../../lib/plan/plan';


test('synth --summary --json: what each stack holds, read from its cdk.tf.json, and what it costs', async () => {
  const dir = tempDir('tw-summary-');
  fs.writeFileSync(path.join(dir, 'trailwatch.yaml'), SMALL);
  const out = path.join(dir, 'out');
  const r = await runCli(['synth', '--config', path.join(dir, 'trailwatch.yaml'), '--out', out, '--workers', '0', '--summary', '--json']);
  expect(r.code).toBe(0);
  const summary = JSON.parse(r.stdout) as SynthSummary;
  expect(summary.stacks.map((s) => s.stack)).toEqual(['management', 'log-archive', 'security', 'app']);
  for (const s of summary.stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(out, 'stacks', s.stack, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, object>; provider: { aws: unknown[] } };
    const count = (type: string) => Object.keys(json.resource[type] ?? {}).length;
    expect(s.resources).toBe(Object.values(json.resource).reduce((n, rs) => n + Object.keys(rs).length, 0));
    expect(s.detections).toBe(count('aws_cloudwatch_log_metric_filter'));
    expect(s.rules).toBe(count('aws_cloudwatch_event_rule'));
  }
  // The cost is the estimate's (same config, same volumes), stack by stack.
  const config = parseConfigText(SMALL, 'small.yaml');
  const e = estimate({ plan: planAll(config), inventory: inventoryFromPlan(planAll(config)) });
  for (const s of summary.stacks) expect(s.monthlyUsd).toBeCloseTo(e.accounts.find((a) => a.stack === s.stack)!.usd, 9);
  expect(summary.total.monthlyUsd).toBeCloseTo(e.usd, 9);
  expect(summary.stacks.find((s) => s.stack === 'management')!.detections).toBeGreaterThan(0);
});

test('the total row counts each region once, not once per stack', () => {
  const { EXAMPLE_CONFIG } = require('../support/example') as typeof import('../support/example');
  const config = parseConfigText(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'), EXAMPLE_CONFIG);
  const plan = planAll(config);
  const inventory = inventoryFromPlan(plan);
  const s = summarizeInventory(plan, inventory);
  const distinct = new Set(inventory.flatMap((x) => x.regions)).size;
  // Six stacks share the same regions: the sum of the rows would count each region up to six times.
  expect(s.stacks.reduce((n, x) => n + x.regions, 0)).toBeGreaterThan(distinct);
  expect(s.total.regions).toBe(distinct);
  expect(renderSummary(s)).toMatch(new RegExp(`^total +${s.total.resources} +${s.total.detections} +${s.total.rules} +${distinct} +\\$[\\d,.]+$`, 'm'));
});
test('synth --summary prints a table with a total row; --json alone is refused', async () => {
  const dir = tempDir('tw-summary-');
  fs.writeFileSync(path.join(dir, 'trailwatch.yaml'), SMALL);
  const r = await runCli(['synth', '--config', path.join(dir, 'trailwatch.yaml'), '--out', path.join(dir, 'out'), '--workers', '0', '--summary']);
  expect(r.stdout).toMatch(/^stack +account +resources +detections +rules +regions +monthly \(est\.\)$/m);
  expect(r.stdout).toMatch(/^app +444444444444 +\d+ +0 +\d+ +\d+ +\$[\d.]+$/m);
  expect(r.stdout).toMatch(/^total +\d+ +\d+ +\d+ +\d+ +\$[\d,.]+$/m);
  const bad = await runCli(['synth', '--config', path.join(dir, 'trailwatch.yaml'), '--out', path.join(dir, 'out2'), '--json']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--json needs --summary');
  expect(fs.existsSync(path.join(dir, 'out2'))).toBe(false);
});
