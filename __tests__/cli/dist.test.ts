/**
 * `trailwatch` runs compiled JavaScript (dist/, built by `npm ci` through the `prepare` script)
 * instead of transpiling its sources at every start (issue 12, item 20), and the compiled build
 * behaves exactly as the sources: same stacks byte for byte (worker threads and the responder's
 * Lambda asset included), same backtest. When a source is newer than dist/, it runs the sources.
 * The start-up figures are `npm run bench:cli`'s, not a test's.
 *
 * Works on a copy of the project (its node_modules linked), so it never rebuilds the dist/ of the
 * checkout it runs in.
 */
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { generateOrganizationYaml } from '../../bench/org-config';
import { writeArchive } from '../support/archive';
import { tempDir } from '../support/cli';
import { readTree } from '../support/tree';

const ROOT = path.join(__dirname, '..', '..');

let copy: string;
let build: SpawnSyncReturns<string>;

beforeAll(() => {
  copy = path.join(tempDir('tw-dist-'), 'trailwatch');
  fs.mkdirSync(copy);
  for (const entry of ['main.ts', 'lib', 'bin', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'trailwatch.yaml']) {
    fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  build = spawnSync('npm', ['run', 'prepare', '--silent'], { cwd: copy, encoding: 'utf8' });
}, 120_000);

const run = (args: string[], env: Record<string, string> = {}, cwd = copy) =>
  spawnSync(process.execPath, [path.join(copy, 'bin', 'trailwatch.js'), ...args], { cwd, env: { ...process.env, TRAILWATCH_FROM_SOURCE: '', ...env }, encoding: 'utf8' });
const fromSource = { TRAILWATCH_FROM_SOURCE: '1' };

test('the prepare script (run by npm ci) builds dist/', () => {
  expect(build.status).toBe(0);
  expect(fs.existsSync(path.join(copy, 'dist', 'main.js'))).toBe(true);
});

test('a fresh dist/ is what runs; a newer source makes trailwatch run the sources', () => {
  const validate = path.join(copy, 'lib', 'cli', 'validate.ts');
  const old = fs.statSync(validate).mtime;
  fs.writeFileSync(validate, fs.readFileSync(validate, 'utf8').replace(': valid (', ': VALID ('));
  fs.utimesSync(validate, old, old); // edited, but not newer than the build: dist/ is used
  expect(run(['validate']).stdout).toMatch(/: valid \(6 account stacks/);
  const now = new Date();
  fs.utimesSync(validate, now, now); // now newer than dist/: the sources run
  expect(run(['validate']).stdout).toMatch(/: VALID \(6 account stacks/);
  fs.writeFileSync(validate, fs.readFileSync(validate, 'utf8').replace(': VALID (', ': valid ('));
  expect(spawnSync('npm', ['run', 'build', '--silent'], { cwd: copy }).status).toBe(0);
}, 120_000);

test('synth from dist/ equals synth from the sources, byte for byte', () => {
  // The example (Lambda asset of the responder), and an organization big enough for two worker threads.
  fs.writeFileSync(path.join(copy, 'big.yaml'), generateOrganizationYaml(48, 2));
  for (const [config, extra] of [
    ['trailwatch.yaml', []],
    ['big.yaml', ['--workers', '2', '--no-templates']],
  ] as const) {
    const a = run(['synth', '--config', config, '--out', 'from-dist', ...extra]);
    const b = run(['synth', '--config', config, '--out', 'from-source', ...extra], fromSource);
    expect(a.stderr).toMatch(/synthesized/);
    expect(b.stderr).toMatch(/synthesized/);
    expect(readTree(path.join(copy, 'from-dist'))).toEqual(readTree(path.join(copy, 'from-source')));
  }
}, 300_000);

test('backtest from dist/ (in worker threads) equals backtest from the sources', () => {
  const logs = path.join(copy, 'logs');
  writeArchive(logs, { events: 3000, eventsPerFile: 300, seed: 4 });
  const args = ['backtest', logs, '--config', 'trailwatch.yaml', '--json', '--workers', '2'];
  const strip = (json: string) => ({ ...JSON.parse(json), seconds: 0 });
  const a = run(args);
  const b = run(args, fromSource);
  expect(a.status).toBe(0);
  expect(strip(a.stdout)).toEqual(strip(b.stdout));
  expect(strip(a.stdout).events).toBe(3000);
}, 120_000);

test('npx trailwatch / npm run synth / the cdktf app: bin/trailwatch.js from any folder', () => {
  const elsewhere = tempDir('tw-dist-cwd-');
  const r = run(['validate', '--config', path.join(copy, 'trailwatch.yaml')], {}, elsewhere);
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app).toBe('node bin/trailwatch.js synth');
  expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.synth).toBe('node bin/trailwatch.js synth');
});
