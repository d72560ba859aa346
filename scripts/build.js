#!/usr/bin/env node
/**
 * `npm run build`, and `prepare` (which `npm ci` and `npm install` run in this checkout): compiles
 * trailwatch into dist/ so `trailwatch` starts without transpiling its sources (tsx) at every start.
 *
 * dist/main.js is one CommonJS bundle (esbuild: the one tsx, a dependency, installs) of main.ts and lib/ with
 * the pure-JavaScript libraries the start-up path needs (commander, yaml, js-yaml, zod, picomatch): one file
 * to read instead of hundreds, the main cost of a start. Each command's modules are still evaluated
 * only when that command runs (esbuild defers a module required at run time), and cdktf, the
 * provider bindings, cli-progress and the AWS SDK stay in node_modules, loaded only by the commands that use them.
 * The worker threads get bundles of their own (dist/synth-worker.js, dist/worker.js), and the
 * responder Lambda's source is copied byte for byte (dist/lambda/: it is zipped as it is).
 * No type check here: `npm run typecheck` does that.
 *
 * The new tree is written beside dist/ and renamed into place, so a `trailwatch` started meanwhile
 * runs the old dist or the new one, never half of one. dist/.build.json records what it was built
 * from; bin/trailwatch.js runs the sources through tsx instead when dist/ is missing or stale
 * (bin/dist.js).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { newestSource } = require('../bin/dist');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** Loaded from node_modules at run time, not bundled. */
const EXTERNAL = ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs', 'cli-progress', 'tsx', 'tsx/*', '@aws-sdk/*'];

/** dist/<out>.js <- entry. The worker paths are where parallel-synth.ts and run-backtest.ts look (`__dirname` is dist/). */
const BUNDLES = [
  { entry: 'main.ts', out: 'main.js' },
  { entry: 'lib/app/synth-worker-thread.ts', out: 'synth-worker.js' },
  { entry: 'lib/backtest/worker-thread.ts', out: 'worker.js' },
];

/** Folders read at run time through `__dirname` (insights-responder.ts zips `<__dirname>/lambda`). */
const COPIES = [{ from: 'lib/responder/lambda', to: 'lambda' }];

function main() {
  let esbuild;
  try {
    // The esbuild tsx (a dependency) runs on, so the build needs nothing `npm ci --omit=dev` leaves out.
    esbuild = require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
  } catch {
    process.stderr.write('trailwatch build: esbuild is not installed; skipped: trailwatch runs its sources through tsx\n');
    return;
  }
  const started = Date.now();
  const source = newestSource(ROOT);
  const staging = fs.mkdtempSync(path.join(ROOT, '.dist.staging-'));
  try {
    for (const b of BUNDLES) {
      esbuild.buildSync({
        absWorkingDir: ROOT,
        entryPoints: [b.entry],
        outfile: path.join(staging, b.out),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: EXTERNAL,
        // Smaller to parse at every start; names kept (error classes, stack traces).
        minifyWhitespace: true,
        minifySyntax: true,
        keepNames: true,
        legalComments: 'none',
        logLevel: 'error',
      });
    }
    for (const c of COPIES) fs.cpSync(path.join(ROOT, c.from), path.join(staging, c.to), { recursive: true, preserveTimestamps: true });
    fs.writeFileSync(path.join(staging, '.build.json'), JSON.stringify({ ...source, builtAt: new Date().toISOString() }, null, 2) + '\n');
    fs.chmodSync(staging, 0o777 & ~process.umask()); // mkdtemp made it 0700
    const retired = `${staging}.retired`;
    const hadOld = fs.existsSync(DIST);
    if (hadOld) fs.renameSync(DIST, retired);
    fs.renameSync(staging, DIST);
    if (hadOld) fs.rmSync(retired, { recursive: true, force: true });
    warmCodeCache();
    process.stderr.write(`trailwatch build: dist/ (${BUNDLES.map((b) => b.out).join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Runs `validate` on the example once, so dist/main.js.cache (bin/dist.js) holds the start-up path
 * before the first real command. Best effort: without the example the first command writes it.
 */
function warmCodeCache() {
  const example = path.join(ROOT, 'trailwatch.yaml');
  if (!fs.existsSync(example)) return;
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'trailwatch.js'), 'validate', '--config', example], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, TRAILWATCH_FROM_SOURCE: '' },
  });
}

main();
