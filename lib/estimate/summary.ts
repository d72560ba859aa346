/**
 * `synth --summary`: per synthesized account stack, what it holds (resources, detections, rules,
 * regions, counted on the cdk.tf.json just written) and its estimated monthly cost, as a table or
 * JSON, so a pull request shows what a config change does to every account.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Plan } from '../plan/plan';
import { inventoryOf, type StackInventory, type TfJson } from './inventory';
import { estimate } from './model';
import { usd } from './render';

export interface StackSummary {
  readonly stack: string;
  readonly accountId: string;
  readonly resources: number;
  readonly detections: number;
  readonly rules: number;
  readonly regions: number;
  readonly monthlyUsd: number;
}

export interface SynthSummary {
  readonly stacks: readonly StackSummary[];
  readonly total: Omit<StackSummary, 'stack' | 'accountId'>;
  readonly pricesRead: string;
}

/** Reads `<outdir>/stacks/<name>/cdk.tf.json` of each synthesized stack; the cost covers those stacks with the config's volumes. */
export function summarize(plan: Plan, outdir: string, stackNames: readonly string[]): SynthSummary {
  const org = plan.organization;
  const inventory: StackInventory[] = stackNames.map((name) => {
    const account = org.accounts.find((a) => a.stackName === name)!;
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TfJson;
    return inventoryOf({ name, accountId: account.accountId, role: account.role }, json);
  });
  return summarizeInventory(plan, inventory);
}

/** The summary of counted stacks. The total row's regions are the distinct regions of all stacks (a region used by every stack counts once). */
export function summarizeInventory(plan: Plan, inventory: readonly StackInventory[]): SynthSummary {
  const e = estimate({ plan, inventory });
  const stacks = inventory.map((s) => ({
    stack: s.stack,
    accountId: s.accountId,
    resources: s.resources,
    detections: s.metricFilters + s.contributorRules,
    rules: s.rules,
    regions: s.regions.length,
    monthlyUsd: e.accounts.find((a) => a.stack === s.stack)!.usd,
  }));
  const sum = (k: 'resources' | 'detections' | 'rules' | 'monthlyUsd') => stacks.reduce((n, s) => n + s[k], 0);
  const regions = new Set(inventory.flatMap((s) => s.regions)).size;
  return { stacks, total: { resources: sum('resources'), detections: sum('detections'), rules: sum('rules'), regions, monthlyUsd: sum('monthlyUsd') }, pricesRead: e.pricesRead };
}

export function renderSummary(s: SynthSummary): string {
  const rows = [['stack', 'account', 'resources', 'detections', 'rules', 'regions', 'monthly (est.)'], ...s.stacks.map((x) => [x.stack, x.accountId, String(x.resources), String(x.detections), String(x.rules), String(x.regions), usd(x.monthlyUsd)])];
  rows.push(['total', '', String(s.total.resources), String(s.total.detections), String(s.total.rules), String(s.total.regions), usd(s.total.monthlyUsd)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [...rows.map(line), `(cost: trailwatch estimate with the config's volumes, list prices read ${s.pricesRead}; every line item: trailwatch estimate)`].join('\n') + '\n';
}
