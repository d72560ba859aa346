/**
 * `npm run bench:cli [-- --runs N]`: start-up cost of the trailwatch command line against a bare
 * `node -e 0`. Runs each command N times (default 10), interleaved with the bare node process so
 * both see the same machine load, and prints the median wall time and the ratio to node's, one
 * row per command and one JSON line at the end. A figure to watch, not a timed test.
 *
 * Runs `node bin/trailwatch.js` as `npx trailwatch` does: dist/ when it is fresh (npm run build,
 * run first by the npm script), else the sources through tsx; the output says which.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'trailwatch.js');
const CONFIG = path.join(ROOT, 'trailwatch.yaml');

const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 10;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs: expected a whole number of at least 1');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { distIsFresh } = require('../bin/dist') as { distIsFresh: (root: string) => boolean };
const entry = distIsFresh(ROOT) ? 'dist (compiled)' : 'sources through tsx (dist/ missing or stale: npm run build)';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-bench-cli-'));
const events = path.join(work, 'events.txt');
fs.writeFileSync(events, '{"eventName":"ConsoleLogin","errorMessage":"Failed authentication"}\n');

interface Case {
  readonly name: string;
  readonly args: string[];
  readonly note: string;
}
const CASES: Case[] = [
  { name: 'validate', args: ['validate', '--config', CONFIG], note: 'validates the example' },
  { name: 'synth', args: ['synth', '--help'], note: 'synth --help: start-up of the synth command (cdktf loads only when synthesizing)' },
  { name: 'lint', args: ['lint', '--config', CONFIG], note: 'lints the example' },
  { name: 'test-pattern', args: ['test-pattern', '--pattern', '{ $.eventName = "ConsoleLogin" }', '--events', events], note: 'one event' },
];

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  const node: number[] = [];
  const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  // One warm-up of each (file system cache), then interleaved runs.
  time(['-e', '0']);
  for (const c of CASES) time([BIN, ...c.args]);
  for (let i = 0; i < RUNS; i++) {
    for (const c of CASES) {
      node.push(time(['-e', '0']));
      samples.get(c.name)!.push(time([BIN, ...c.args]));
    }
  }
  const base = median(node);
  process.stdout.write(`trailwatch start-up, ${RUNS} runs each, median wall time; entry: ${entry}; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
  process.stdout.write(`  ${'node -e 0'.padEnd(14)} ${base.toFixed(0).padStart(6)} ms   1.0x\n`);
  const result: Record<string, { ms: number; ratio: number }> = {};
  for (const c of CASES) {
    const ms = median(samples.get(c.name)!);
    result[c.name] = { ms: Math.round(ms), ratio: Number((ms / base).toFixed(2)) };
    process.stdout.write(`  ${c.name.padEnd(14)} ${ms.toFixed(0).padStart(6)} ms ${(ms / base).toFixed(1).padStart(5)}x  (${c.note})\n`);
  }
  process.stdout.write(JSON.stringify({ bench: 'cli', runs: RUNS, entry: entry.split(' ')[0], nodeMs: Math.round(base), ...result }) + '\n');
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
