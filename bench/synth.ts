/**
 * npm run bench:synth -- --accounts N --regions R [--out DIR] [--workers W]
 *
 * Generates an organization with N member accounts and R governed regions, synthesizes it with the
 * real CLI (`trailwatch synth`) in a child process while sampling the resident memory of that
 * process tree, then times the floor: re-parsing and re-writing the synthesized JSON. Prints one
 * JSON line on stdout.
 */
import { spawn } from 'child_process';
import { Command } from 'commander';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateOrganizationYaml } from './org-config';

const opts = new Command('bench:synth')
  .requiredOption('--accounts <n>', 'member accounts', (v) => parseInt(v, 10))
  .requiredOption('--regions <n>', 'governed regions', (v) => parseInt(v, 10))
  .option('--out <dir>', 'output folder (default: a temporary folder, removed afterwards)')
  .option('--workers <n>', 'synth worker threads (default: trailwatch decides)')
  .option('--no-templates', 'synthesize every member stack itself')
  .parse()
  .opts<{ accounts: number; regions: number; out?: string; workers?: string; templates: boolean }>();

/** Sum of VmRSS over a process and its descendants, in bytes (Linux /proc). */
function treeRss(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* process ended */
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* process ended */
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-bench-synth-'));
  const configFile = path.join(work, 'trailwatch.yaml');
  fs.writeFileSync(configFile, generateOrganizationYaml(opts.accounts, opts.regions));
  const out = path.resolve(opts.out ?? path.join(work, 'cdktf.out'));

  const args = [path.join(__dirname, '../bin/trailwatch.js'), 'synth', '--config', configFile, '--out', out];
  if (opts.workers !== undefined) args.push('--workers', opts.workers);
  if (!opts.templates) args.push('--no-templates');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 25);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`trailwatch synth exited with ${code}`);

  // The floor: read, parse, serialize and write every synthesized stack once.
  const stacksDir = path.join(out, 'stacks');
  const floorDir = fs.mkdtempSync(path.join(work, 'floor-'));
  let resources = 0;
  const floorStart = process.hrtime.bigint();
  const stacks = fs.readdirSync(stacksDir);
  for (const s of stacks) {
    const json = JSON.parse(fs.readFileSync(path.join(stacksDir, s, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    for (const byName of Object.values(json.resource ?? {})) resources += Object.keys(byName).length;
    fs.writeFileSync(path.join(floorDir, `${s}.json`), JSON.stringify(json, null, 2));
  }
  const floorSeconds = Number(process.hrtime.bigint() - floorStart) / 1e9;

  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  process.stdout.write(
    JSON.stringify({
      accounts: opts.accounts,
      regions: opts.regions,
      templates: opts.templates,
      stacks: stacks.length,
      resources,
      seconds: round(seconds),
      peakRssMb: Math.round(peak / 1024 / 1024),
      rewriteSeconds: round(floorSeconds),
      ratioToRewrite: round(seconds / floorSeconds, 1),
      cores: os.availableParallelism?.() ?? os.cpus().length,
    }) + '\n',
  );
  if (opts.out === undefined) fs.rmSync(work, { recursive: true, force: true });
  else fs.rmSync(floorDir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`bench:synth: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
