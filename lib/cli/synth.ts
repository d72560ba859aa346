import { InvalidArgumentError, Option, type Command } from 'commander';
import * as path from 'path';
import { cleanUpStagingOnSignal, checkOutputTarget, outputError, outputFolder, planRefusal, stackOf, type OutputPlan } from '../app/output';
import { anchorLocalState, localStateDirectory } from '../backend/state-backend';
import { UserError } from '../core/errors';
import { selectStacks } from '../rollout/select';
import { configOption, loadConfigForCli, SYNTH_ERROR_NOTE, wholeNumber } from './options';

/**
 * True when cdktf runs trailwatch as its app (`cdktf synth|list|diff|deploy`): cdktf sets these for
 * the app it runs (@cdktf/cli-core synth-stack.ts) and shows everything the app writes on stderr as
 * a red [ERROR] line, so a successful synth then prints nothing.
 */
export function runByCdktf(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CDKTF_CONTEXT_JSON !== undefined || env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('validate the config and write one Terraform JSON stack per account (cdktf.out/stacks/<account>/cdk.tf.json)')
    .addOption(configOption())
    .addOption(
      new Option('-o, --out <dir>', 'output folder: new, empty, or written by trailwatch before (default: $CDKTF_OUTDIR or ./cdktf.out)').argParser((v: string) => {
        if (v.trim() === '') throw new InvalidArgumentError('expected a folder, got an empty string (an unset variable?).');
        return v;
      }),
    )
    .addOption(
      new Option('-s, --stacks <glob>', "only the account stacks matching this name or glob (e.g. 'prod-*'); repeat or comma-separate for several")
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([] as string[], 'every account'),
    )
    .option('-w, --workers <n>', 'synth worker threads (default: cores, at most 4; 0 synthesizes in the main thread)', wholeNumber(0, 64))
    .option('--no-templates', 'synthesize every member stack itself instead of from checked templates (slower; same output)')
    .option('--summary', 'after synth, print per account stack its resources, detections, rules, regions and estimated monthly cost (stdout)')
    .option('--json', 'with --summary: print the summary as JSON')
    .option('--check', 'write nothing; exit 1 listing the files that would change (added, changed, removed) when the output folder is not what synth would write')
    .option('--dry-run', 'write nothing; list the files a synth would write and remove (exit 1 if it would be refused)')
    .action(async (opts: { config?: string; out?: string; stacks: string[]; workers?: number; templates: boolean; summary?: boolean; json?: boolean; check?: boolean; dryRun?: boolean }) => {
      if (opts.json && !opts.summary) throw new UserError('--json needs --summary (synth prints nothing else on stdout)');
      if (opts.check && opts.dryRun) throw new UserError('--check and --dry-run cannot be used together: --check compares and exits 1 on a difference, --dry-run lists what a synth would do; pick one');
      const planOnly = opts.check ? '--check' : opts.dryRun ? '--dry-run' : undefined;
      if (planOnly && opts.summary) throw new UserError(`--summary reads the written output and cannot be used with ${planOnly}`);
      const quiet = runByCdktf();
      const { plan: loaded, file } = loadConfigForCli(opts.config, { errorNote: SYNTH_ERROR_NOTE });
      // Refuse a dangerous or foreign output folder before anything is synthesized or written.
      const target = checkOutputTarget(outputFolder(opts.out), { keep: [file] });
      const all = loaded.organization.accounts.map((a) => a.stackName);
      const selected = opts.stacks.length > 0 ? new Set(selectStacks(opts.stacks, all)) : undefined;
      // Local state stays in <project root>/terraform-state whatever --out is (the project root is
      // the folder trailwatch runs in: cdktf and `npm run` start their app there).
      const planned = { ...loaded, backend: anchorLocalState(loaded.backend, target, process.cwd()) };
      // Loaded here, not at start-up: cdktf and the provider bindings cost every other command half a second.
      const { synthParallel } = require('../app/parallel-synth') as typeof import('../app/parallel-synth');
      const total = selected?.size ?? all.length;
      const { Presets, SingleBar } = require('cli-progress') as typeof import('cli-progress');
      const bar =
        !quiet && process.stderr.isTTY && total >= 20
          ? new SingleBar({ format: 'synth [{bar}] {value}/{total} stacks | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic)
          : undefined;
      bar?.start(total, 0);
      let result;
      try {
        result = await cleanUpStagingOnSignal(target, () =>
          synthParallel(planned, target, {
            ...(selected ? { selectStack: (plan) => selected.has(plan.stackName) } : {}),
            ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
            templates: opts.templates,
            dryRun: planOnly !== undefined,
            onProgress: (done) => bar?.update(done),
          }),
        );
      } catch (e) {
        throw outputError(e, target);
      } finally {
        bar?.stop();
      }
      if (planOnly) {
        reportPlan(result.plan, opts.check === true);
        return;
      }
      if (quiet) return;
      const count = selected ? `${result.stacks.length} of ${all.length} stacks` : `${result.stacks.length} stacks`;
      const names = result.stacks.length <= 20 ? `: ${result.stacks.join(', ')}` : '';
      const templated = result.templated > 0 ? ` (${result.templated} from checked templates)` : '';
      const stateDir = localStateDirectory(loaded.backend, process.cwd());
      const relative = stateDir && path.relative(process.cwd(), stateDir);
      const state = stateDir ? `; local state in ${relative && !relative.startsWith('..') ? relative : stateDir}${path.sep}` : '';
      process.stderr.write(`trailwatch: synthesized ${count}${templated} into ${result.outdir}${names}${state}\n`);
      if (opts.summary) {
        const { summarize, renderSummary } = require('../estimate/summary') as typeof import('../estimate/summary');
        const summary = summarize(loaded, result.outdir, result.stacks);
        process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : renderSummary(summary));
      }
    });
}

/**
 * Prints what a synth would change in the output, one file a line on stdout ("added  stacks/x/cdk.tf.json").
 * --check: exit 1 when anything would change; --dry-run: exit 1 only when the synth would be refused.
 */
function reportPlan(plan: OutputPlan, check: boolean): void {
  const width = Math.max(...plan.changes.map((c) => c.change.length), 0);
  for (const c of plan.changes) process.stdout.write(`${c.change.padEnd(width)}  ${c.path}\n`);
  const stacks = [...new Set(plan.changes.map((c) => stackOf(c.path)).filter((s) => s !== undefined))];
  const inStacks = stacks.length > 0 ? ` (stacks: ${stacks.join(', ')})` : '';
  const refused = plan.problems.length > 0 ? planRefusal(plan).message : undefined;
  if (check) {
    if (plan.changes.length === 0 && !refused) {
      process.stderr.write(`trailwatch: ${plan.target} is current; nothing would change\n`);
      return;
    }
    if (refused) process.stderr.write(`trailwatch: a synth would be refused: ${refused}\n`);
    throw new UserError(`${plan.target} is not what synth would write: ${plan.changes.length} file(s) would change${inStacks}; run synth and commit the result`);
  }
  if (refused) throw new UserError(`dry run: ${refused}`);
  const count = (kind: string) => plan.changes.filter((c) => c.change === kind).length;
  process.stderr.write(
    `trailwatch: dry run: a synth into ${plan.target} would add ${count('added')}, change ${count('changed')} and remove ${count('removed')} file(s)${inStacks}; nothing was written\n`,
  );
}
