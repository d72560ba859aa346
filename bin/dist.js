/**
 * How bin/trailwatch.js runs the compiled trailwatch (dist/, built by scripts/build.js).
 *
 * distIsFresh: is dist/ built from the sources as they are now? An edited lib/ file, a `git pull`
 * without `npm ci`, a removed file or changed dependencies (dist/main.js bundles some) make it
 * stale, and trailwatch then runs its sources through tsx. A walk of main.ts and lib/ (stat only,
 * about a millisecond) is the whole cost.
 *
 * loadDist: requires dist/main.js with a V8 code cache (dist/main.js.cache): V8 then skips parsing
 * and compiling what an earlier run compiled, a third of a start. The cache is written after the
 * first run (and again when V8 rejects it, e.g. after a Node upgrade), atomically, and only if
 * dist/ is writable; it lives in dist/, which every build replaces as a whole, so it never outlives
 * the bundle it was made from.
 */
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

/** What dist/ is built from (relative to the project root). */
const SOURCE_ROOTS = ['main.ts', 'lib', 'package.json', 'package-lock.json'];

/** The newest modification time among the sources and how many files they are. */
function newestSource(root) {
  let newestMtimeMs = 0;
  let files = 0;
  const walk = (p) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else {
      files++;
      if (stat.mtimeMs > newestMtimeMs) newestMtimeMs = stat.mtimeMs;
    }
  };
  for (const r of SOURCE_ROOTS) {
    const p = path.join(root, r);
    if (r !== 'package-lock.json' || fs.existsSync(p)) walk(p);
  }
  return { newestMtimeMs, files };
}

/** True when dist/.build.json describes the sources as they are now. */
function distIsFresh(root) {
  let built;
  try {
    built = JSON.parse(fs.readFileSync(path.join(root, 'dist', '.build.json'), 'utf8'));
  } catch {
    return false; // never built
  }
  try {
    const now = newestSource(root);
    return now.files === built.files && now.newestMtimeMs <= built.newestMtimeMs;
  } catch {
    return false;
  }
}

/**
 * dist/main.js's exports (as `require` would return them) and `saveCodeCache`, to call once the
 * command is done (the cache then holds every function the run compiled).
 */
function loadDist(root) {
  const file = path.join(root, 'dist', 'main.js');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first run: no cache yet
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  Module._cache[file] = mod;
  script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const stale = cachedData === undefined || script.cachedDataRejected;
  return {
    exports: mod.exports,
    saveCodeCache() {
      if (!stale) return;
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cacheFile);
      } catch {
        fs.rmSync(temp, { force: true }); // a read-only install: run without the cache
      }
    },
  };
}

module.exports = { SOURCE_ROOTS, newestSource, distIsFresh, loadDist };
