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
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listArchiveFiles } from '../lib/backtest/archive';
import { backtestFilters } from '../lib/backtest/filters';
import { runBacktest, type BacktestReport } from '../lib/backtest/run-backtest';
import { ConfigError, loadConfigFile, parseConfigText } from '../lib/config/load';
import type { ParsedConfig } from '../lib/config/schema';
import { computeCoverage, coverageMarkdown } from '../lib/coverage/coverage';
import { inventoryFromPlan } from '../lib/app/inventory';
import type { StackInventory } from '../lib/estimate/inventory';
import { ARCHIVE_OVERHEAD_BYTES } from '../lib/estimate/archive';
import { estimate } from '../lib/estimate/model';
import { PRICES, S3_CLASS_PRICES } from '../lib/estimate/prices';
import { VARYING, PRICED_REGIONS, REGIONAL_PRICES_READ } from '../lib/estimate/regional-prices';
import { renderText, usd } from '../lib/estimate/render';
import { renderSummary, summarizeInventory } from '../lib/estimate/summary';
import { ALL_LIMITS } from '../lib/quotas/limits';
import { SYNTH_ERROR_NOTE } from '../lib/cli/options';
import { DEFAULT_PARALLELISM, rolloutText } from '../lib/cli/rollout';
import { planOrganization } from '../lib/core/organization';
import { planDetections } from '../lib/monitoring/plan';
import { archivePolicyDocuments } from '../lib/trail/archive-policies';
import { sigmaReport, VENDORED_SIGMA } from './sigma-report';
import { planAll } from '../lib/plan/plan';

export const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const EXAMPLE = path.join(ROOT, 'trailwatch.yaml');
export const FIX_COMMAND = 'npm run docs:figures';

const fence = (command: string, output: string) => ['```', `$ ${command}`, output.trimEnd(), '```'].join('\n');

/** The blocks, by name, each from the example config. */
export async function figureBlocks(): Promise<Record<string, string>> {
  const config = loadConfigFile(EXAMPLE);
  const plan = planAll(config);
  const inventory = inventoryFromPlan(plan);
  return {
    'config-errors-example': configErrorsExample(),
    ...(await ordinaryFigures(config)),
    'estimate-example': fence('npx trailwatch estimate            # the example, default volumes', renderText(estimate({ plan, inventory }))),
    'synth-summary-example': fence('npx trailwatch synth --summary      # the example (after the synth output)', renderSummary(summarizeInventory(plan, inventory))),
    'rollout-example': fence('npx trailwatch rollout', rolloutText(plan, path.join(process.cwd(), 'trailwatch.yaml'), DEFAULT_PARALLELISM)),
    'coverage-example': coverageMarkdown(computeCoverage(plan)).trimEnd(),
    'lifecycle-example': lifecycleFigures(config, inventory),
    'regional-prices': regionalPriceTable(),
    'quota-table': quotaTable(),
    'account-mode-fit': accountModeFit(),
    // From the vendored copies, so a checkout without ../shared gets the same figures.
    'sigma-report': fence('npm run sigma:report', sigmaReport(VENDORED_SIGMA)),
  };
}

/** The example's mean log file sizes and what varies_by_storage_class would cost: README "Trail", "Small log files". */
function lifecycleFigures(config: ParsedConfig, inventory: readonly StackInventory[]): string {
  const lifecycle = config.trail?.archive?.lifecycle ?? {};
  const as = (minimum: 'all_storage_classes_128K' | 'varies_by_storage_class') =>
    estimate({ plan: planAll({ ...config, trail: { ...config.trail, archive: { ...config.trail?.archive, lifecycle: { ...lifecycle, transitionDefaultMinimumObjectSize: minimum } } } } as ParsedConfig), inventory });
  const base = as('all_storage_classes_128K');
  const varies = as('varies_by_storage_class');
  const note = base.notes.find((n) => n.startsWith('archive lifecycle'))!;
  const sizes = note.slice(note.indexOf('mean log file'));
  const delta = varies.usd - base.usd;
  // One 20 KB file: what moving it to DEEP_ARCHIVE saves a month against STANDARD, and what the move costs.
  const file = 20 * 1024;
  const std = PRICES.s3Standard.usd;
  const da = S3_CLASS_PRICES.DEEP_ARCHIVE;
  const saved = (file * std - ((file + ARCHIVE_OVERHEAD_BYTES.archiveClass) * da.storage.usd + ARCHIVE_OVERHEAD_BYTES.standard * std)) / 1e9;
  const move = da.transitionPer1000 / 1000;
  return [
    `A 20 KB file moved to DEEP_ARCHIVE saves $${saved.toFixed(8)} a month against STANDARD and costs $${move} to move:`,
    `${Math.round(move / saved / 12)} years to break even.`,
    '',
    `For the example at the estimate's default volumes (\`trailwatch estimate\`): ${sizes}. With`,
    `\`varies_by_storage_class\` the example's monthly total would be ${usd(Math.abs(delta))} ${delta >= 0 ? 'higher' : 'lower'} at steady state`,
    `(${usd(varies.usd)} against ${usd(base.usd)}).`,
  ].join('\n');
}

/** What synth prints for the example with two mistakes (README "Configure"). */
function configErrorsExample(): string {
  const text = fs
    .readFileSync(EXAMPLE, 'utf8')
    .replace(/^  regions: \[/m, '  regoins: [')
    .replace('id: "666666666666"', 'id: "1234"');
  try {
    parseConfigText(text, 'trailwatch.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return fence('npx trailwatch synth                # the example with two mistakes', `trailwatch: ${e.withNote(SYNTH_ERROR_NOTE).message}`);
    throw e;
  }
  throw new Error('the example with two mistakes was accepted');
}

/** Why each detection alarms on the ordinary fortnight (README "Noise on ordinary activity"); a new row without one says so. */
const BEHIND: Record<string, string> = {
  'iam-policy-changes': 'Terraform in CI (`PutRolePolicy`)',
  'security-group-changes': 'Terraform in CI',
  'lambda-code-changed': 'Terraform deploys: excluded (`ci-deployer`)',
  'secrets-harvesting': 'tasks restarted by deploys read their secrets at once: threshold 40',
  'ssm-start-session': 'on-call engineers (low severity; disable or exclude their role if unwanted)',
  'iam-role-trust-policy-changed': 'Terraform in CI (kept: a compromised pipeline is exactly who would backdoor a role)',
  'iam-access-key-created': 'the legacy IAM user rotating its key',
  'ami-shared': 'the image factory: excluded',
  'ssm-send-command': 'Patch Manager: `sourceIps: [ssm.amazonaws.com]` excluded',
  'ec2-instance-connect-key': 'a developer in the sandbox',
};
const QUIET_EXAMPLE = 'ssm-parameter-harvesting';

/** The ordinary fortnight (npm run archive:ordinary, its defaults) replayed through the catalog's defaults and through the example. */
async function ordinaryFigures(config: ParsedConfig): Promise<Record<'ordinary-noise' | 'ordinary-file-sizes', string>> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-docs-ordinary-'));
  try {
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const wrote = execFileSync(tsx, [path.join(ROOT, 'scripts/generate-ordinary-archive.ts'), '--out', out], { encoding: 'utf8' });
    const m = /wrote (\d+) events in (\d+) files under .* \((\d+) days from \S+, seed (\d+)\)/.exec(wrote);
    if (!m) throw new Error(`unexpected output of generate-ordinary-archive: ${wrote}`);
    const [events, files, days, seed] = m.slice(1).map(Number);
    const archive = listArchiveFiles([out]);
    const untunedConfig = { ...config, monitoring: { ...config.monitoring, threats: {} } } as ParsedConfig;
    // One replay for both configs: their filters side by side, told apart by a prefix.
    const both = await runBacktest(archive, [...backtestFilters(planDetections(untunedConfig.monitoring)).map((f) => ({ ...f, name: `u:${f.name}` })), ...backtestFilters(planDetections(config.monitoring)).map((f) => ({ ...f, name: `e:${f.name}` }))], { workers: 0 });
    const side = (prefix: string): BacktestReport => ({ ...both, filters: both.filters.filter((f) => f.name.startsWith(prefix)).map((f) => ({ ...f, name: f.name.slice(prefix.length) })) });
    const untuned = side('u:');
    const example = side('e:');
    const of = (r: BacktestReport, name: string) => r.filters.find((f) => f.name === name);
    const kinds = ['cis', 'threat', 'sigma', 'custom'];
    const rows = untuned.filters
      .filter((f) => f.alarms > 0 || (of(example, f.name)?.alarms ?? 0) > 0)
      .sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || b.alarmsPerDay - a.alarmsPerDay || a.name.localeCompare(b.name));
    const perDay = (r: BacktestReport) => (r.filters.reduce((n, f) => n + f.alarms, 0) / r.days).toFixed(1);
    const quiet = of(untuned, QUIET_EXAMPLE);
    const quietSettings = planDetections(untunedConfig.monitoring).detections.find((d) => d.id === QUIET_EXAMPLE)?.alarm;
    const n = (x: number) => x.toLocaleString('en-US');
    const sizes = archive.map((f) => fs.statSync(f).size).sort((a, b) => a - b);
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
    const fileSizes = [
      `The repo's ordinary-activity archive (\`npm run archive:ordinary\`: ${n(files)} gzip files of an hour each, ${n(events)}`,
      `records over ${days} days) has a median file of ${kb(sizes[Math.floor(sizes.length / 2)])} and a largest of ${kb(sizes[sizes.length - 1])}, so even hourly`,
      `files stay under 128 KB${sizes[sizes.length - 1] >= 128 * 1024 ? ' (not all: see the largest)' : ''}.`,
    ].join('\n');
    const noise = [
      '```sh',
      `npm run archive:ordinary -- --out /tmp/ordinary        # ${n(events)} events, ${n(files)} files, ${days} days, seed ${seed}`,
      "npx trailwatch backtest /tmp/ordinary                   # the example's detections (--json for all fields)",
      '```',
      '',
      `Alarms per day over the ${untuned.days} days (untuned is \`monitoring.threats: {}\` with the`,
      "catalog's defaults, the example is trailwatch.yaml with its threat overrides; detections with no",
      `alarm in either are left out${quiet && quietSettings ? `, e.g. \`${QUIET_EXAMPLE}\`: ${n(quiet.matches)} decrypted reads, never ${quietSettings.threshold} in ${quietSettings.period / 60} minutes` : ''}):`,
      '',
      '| detection | kind | matches | alarms/day untuned | alarms/day example | behind them |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map((f) => `| \`${f.name}\` | ${f.kind} | ${n(f.matches)} | ${f.alarmsPerDay.toFixed(2)} | ${(of(example, f.name)?.alarmsPerDay ?? 0).toFixed(2).replace(/^0\.00$/, '0')} | ${BEHIND[f.name] ?? '(not explained yet: add it to BEHIND in scripts/docs-figures.ts)'} |`),
      `| **all ${example.filters.length} detections** | | | **${perDay(untuned)}** | **${perDay(example)}** | |`,
    ].join('\n');
    return { 'ordinary-noise': noise, 'ordinary-file-sizes': fileSizes };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
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

/** How many accounts `mode: account` fits in the archive bucket policy (README "AWS limits"), measured on the rendered policy. */
function accountModeFit(): string {
  // The example's accounts, then members named as a generated organization would name them.
  const base = fs.readFileSync(EXAMPLE, 'utf8').replace(/^accounts:\n/m, 'accounts:\n__MEMBERS__');
  const policyBytes = (members: number) => {
    const c = parseConfigText(base.replace('__MEMBERS__', Array.from({ length: members }, (_, i) => `  - { id: "${600000000000 + i}", name: member-${i} }\n`).join('')), 'fit.yaml');
    return Buffer.byteLength(archivePolicyDocuments(planOrganization({ ...c, trail: { mode: 'account' } })).bucketPolicy);
  };
  const limit = ALL_LIMITS.find((l) => l.id === 'bucket-policy-size')!.limit;
  let members = 0;
  while (policyBytes(members + 1) <= limit) members++;
  const accounts = planOrganization(parseConfigText(base.replace('__MEMBERS__', ''), 'fit.yaml')).accounts.length + members;
  return `In \`mode: account\` the bucket policy names every account's trail: ${accounts} accounts (the example's and\n${members} more) fit in ${limit / 1024} KB (measured on the rendered policy), and the error says to use \`mode: organization\`.`;
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

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const unknown = process.argv.slice(2).filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`docs-figures: unknown option ${unknown[0]}; usage: ${FIX_COMMAND} [-- --check]\n`);
    process.exit(2);
  }
  const readme = fs.readFileSync(README, 'utf8');
  const r = applyFigures(readme, await figureBlocks());
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

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`docs-figures: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
