/**
 * Every figure and example output README shows that the code can produce, generated from the code:
 * each lives between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` in README.md.
 *
 *   npm run docs:figures             rewrite the blocks from the code (after a change that moves them)
 *   npm run docs:figures -- --check  exit 1 naming the blocks README has stale (what the test checks)
 *
 * __tests__/docs/figures.test.ts fails when README is stale and names this command. The outputs
 * are the commands' own renderers, run in memory on the example config (trailwatch.yaml).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadConfigFile } from '../lib/config/load';
import type { ParsedConfig } from '../lib/config/schema';
import { computeCoverage, coverageMarkdown } from '../lib/coverage/coverage';
import { inventoryFromConfig, type StackInventory } from '../lib/estimate/inventory';
import { estimate } from '../lib/estimate/model';
import { VARYING, PRICED_REGIONS, REGIONAL_PRICES_READ } from '../lib/estimate/regional-prices';
import { renderText, usd } from '../lib/estimate/render';
import { renderSummary, summarizeInventory } from '../lib/estimate/summary';
import { ALL_LIMITS } from '../lib/quotas/limits';
import { DEFAULT_PARALLELISM, rolloutText } from '../lib/cli/rollout';
import { planOrganization } from '../lib/plan/account-plan';

export const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const EXAMPLE = path.join(ROOT, 'trailwatch.yaml');
export const FIX_COMMAND = 'npm run docs:figures';

const fence = (command: string, output: string) => ['```', `$ ${command}`, output.trimEnd(), '```'].join('\n');

/** The blocks, by name, each from the example config. */
export function figureBlocks(): Record<string, string> {
  const config = loadConfigFile(EXAMPLE);
  const inventory = inventoryFromConfig(config);
  return {
    'estimate-example': fence('npx trailwatch estimate            # the example, default volumes', renderText(estimate({ config, inventory }))),
    'synth-summary-example': fence('npx trailwatch synth --summary      # the example (after the synth output)', renderSummary(summarizeInventory(config, inventory))),
    'rollout-example': fence('npx trailwatch rollout', rolloutText(planOrganization(config), path.join(process.cwd(), 'trailwatch.yaml'), DEFAULT_PARALLELISM)),
    'coverage-example': coverageMarkdown(computeCoverage(config)).trimEnd(),
    'lifecycle-example': lifecycleFigures(config, inventory),
    'regional-prices': regionalPriceTable(),
    'quota-table': quotaTable(),
  };
}

/** The example's mean log file sizes and what varies_by_storage_class would cost: README "Trail", "Small log files". */
function lifecycleFigures(config: ParsedConfig, inventory: readonly StackInventory[]): string {
  const lifecycle = config.trail?.archive?.lifecycle ?? {};
  const as = (minimum: 'all_storage_classes_128K' | 'varies_by_storage_class') =>
    estimate({ config: { ...config, trail: { ...config.trail, archive: { ...config.trail?.archive, lifecycle: { ...lifecycle, transitionDefaultMinimumObjectSize: minimum } } } } as ParsedConfig, inventory });
  const base = as('all_storage_classes_128K');
  const varies = as('varies_by_storage_class');
  const note = base.notes.find((n) => n.startsWith('archive lifecycle'))!;
  const sizes = note.slice(note.indexOf('mean log file'));
  const delta = varies.usd - base.usd;
  return [
    `For the example at the estimate's default volumes (\`trailwatch estimate\`): ${sizes}. With`,
    `\`varies_by_storage_class\` the example's monthly total would be ${usd(Math.abs(delta))} ${delta >= 0 ? 'higher' : 'lower'} at steady state`,
    `(${usd(varies.usd)} against ${usd(base.usd)}).`,
  ].join('\n');
}

/** lib/estimate/regional-prices.ts as a table, estimates marked *. */
function regionalPriceTable(): string {
  const services = ['logs-ingestion', 'logs-storage', 's3'] as const;
  const sources = new Set<string>();
  const cell = (service: (typeof services)[number], region: string) => {
    const v = VARYING[service].byRegion[region];
    if (v.source) sources.add(v.source);
    return `$${v.usd}${v.estimate ? '*' : ''}`;
  };
  const rows = [
    `| region | ${services.map((s) => VARYING[s].unit.split(',')[0]).join(' | ')} |`,
    `| --- | ${services.map(() => '---:').join(' | ')} |`,
    `| unit | ${services.map((s) => VARYING[s].unit.split(', ').slice(1).join(', ')).join(' | ')} |`,
    ...PRICED_REGIONS.map((r) => `| ${r} | ${services.map((s) => cell(s, r)).join(' | ')} |`),
  ];
  return [...rows, '', `Read ${REGIONAL_PRICES_READ}. Sources of the values without *: ${[...sources].join(', ')}.`].join('\n');
}

/** lib/quotas/limits.ts as README's limits table. */
function quotaTable(): string {
  const rows = ['| service | limit | value | over it | where checked / how to raise | source |', '| --- | --- | --- | --- | --- | --- |'];
  let previous = '';
  for (const l of ALL_LIMITS) {
    const where = l.checkedBy ?? l.raise ?? 'lib/quotas';
    rows.push(`| ${l.service} | ${l.what} | ${l.limit.toLocaleString('en-US')} | ${l.kind === 'hard' ? 'error' : 'warning'} | ${where} | ${l.source === previous ? 'same' : l.source} |`);
    previous = l.source;
  }
  return rows.join('\n');
}

const START = (name: string) => `<!-- generated:${name} -->`;
const END = (name: string) => `<!-- /generated:${name} -->`;

export interface Applied {
  readonly text: string;
  /** Blocks whose content differs from what the code produces. */
  readonly stale: readonly string[];
  /** Blocks with no markers in README. */
  readonly missing: readonly string[];
}

/** README with every block replaced by what the code produces, and which were stale or missing. */
export function applyFigures(readme: string, blocks: Record<string, string>): Applied {
  let text = readme;
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [name, body] of Object.entries(blocks)) {
    const start = text.indexOf(START(name));
    const end = text.indexOf(END(name));
    if (start < 0 || end < start) {
      missing.push(name);
      continue;
    }
    const from = start + START(name).length;
    const wanted = `\n${body}\n`;
    if (text.slice(from, end) !== wanted) stale.push(name);
    text = text.slice(0, from) + wanted + text.slice(end);
  }
  return { text, stale, missing };
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const unknown = process.argv.slice(2).filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`docs-figures: unknown option ${unknown[0]}; usage: ${FIX_COMMAND} [-- --check]\n`);
    process.exit(2);
  }
  const readme = fs.readFileSync(README, 'utf8');
  const r = applyFigures(readme, figureBlocks());
  if (r.missing.length > 0) {
    process.stderr.write(`docs-figures: README.md has no markers for ${r.missing.join(', ')} (${START('NAME')} ... ${END('NAME')})\n`);
    process.exit(1);
  }
  if (check) {
    if (r.stale.length > 0) {
      process.stderr.write(`docs-figures: README.md is stale in ${r.stale.join(', ')}; run ${FIX_COMMAND}\n`);
      process.exit(1);
    }
    process.stdout.write('README.md figures are current\n');
  } else {
    if (r.text !== readme) fs.writeFileSync(README, r.text);
    process.stdout.write(r.stale.length > 0 ? `rewrote ${r.stale.join(', ')} in README.md\n` : 'README.md figures are current\n');
  }
}
