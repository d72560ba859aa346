#!/usr/bin/env node
/**
 * The build machines' npm registry serves only the Linux builds of packages that ship native
 * binaries as per-platform optional dependencies (@swc/core-*, @duckdb/node-bindings-*,
 * @unrs/resolver-binding-*). `npm install` then leaves the other platforms out of
 * package-lock.json, and `npm ci` refuses a lock file that misses an optional dependency.
 * This adds those entries back (version from the parent's optionalDependencies, os/cpu/libc from
 * the package name), so `npm ci` accepts the lock and, as for any optional package of another
 * platform, skips them. Run it after `npm install` changes the lock: `node scripts/lock-platform-optionals.js`.
 */
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
  const base = name.split('/').pop();
  const os = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'wasm32'].find((o) => base.includes(o));
  const cpu = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'].find((c) => new RegExp(`(^|-)${c}(-|$)`).test(base.replace(/^.*?-(darwin|linux|win32|freebsd|android|openharmony)-/, '$1-')));
  const libc = base.includes('musl') ? ['musl'] : base.includes('gnu') ? ['glibc'] : undefined;
  if (os === 'wasm32' || base.includes('wasm32')) return { cpu: ['wasm32'] };
  return { ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}), ...(libc && os === 'linux' ? { libc } : {}) };
}

let added = 0;
for (const [where, pkg] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    // Resolve like node does: next to the parent, then up the tree.
    const parts = where.split('node_modules/');
    let found = false;
    for (let i = parts.length; i >= 1 && !found; i--) {
      const prefix = parts.slice(0, i).join('node_modules/');
      const key = `${prefix}${prefix && !prefix.endsWith('/') ? '/' : ''}node_modules/${dep}`.replace(/^\//, '');
      if (packages[key]) found = true;
    }
    if (found) continue;
    const key = `node_modules/${dep}`;
    packages[key] = { version, optional: true, ...platformOf(dep) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stderr.write(`package-lock.json: added ${added} optional platform entries\n`);
