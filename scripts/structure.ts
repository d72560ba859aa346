/**
 * The structure of lib/ as dependency-cruiser sees it under .dependency-cruiser.cjs (no import
 * circles, no import from a higher layer), as sorted one-line violations. With --write, pins
 * today's violations in __tests__/structure/known-violations.txt (the ratchet the test holds).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
export const KNOWN_VIOLATIONS = path.join(root, '__tests__/structure/known-violations.txt');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Every violation as `rule: from -> to`, sorted and unique, of the lib/ folder under `tree` (default: this repository). */
export function structureViolations(tree = root): string[] {
  const json = execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'lib', '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'],
    { cwd: tree, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const violations: Violation[] = JSON.parse(json).summary.violations;
  return [...new Set(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`))].sort();
}

export function knownViolations(): string[] {
  return fs
    .readFileSync(KNOWN_VIOLATIONS, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'));
}

if (require.main === module && process.argv.includes('--write')) {
  const lines = structureViolations();
  fs.writeFileSync(
    KNOWN_VIOLATIONS,
    '# Import circles and upward imports in lib/ that exist today (see .dependency-cruiser.cjs).\n' +
      '# This list may only shrink: regenerate with `npm run structure -- --write` after removing some.\n' +
      lines.join('\n') + '\n',
  );
  process.stderr.write(`pinned ${lines.length} violations in ${path.relative(root, KNOWN_VIOLATIONS)}\n`);
} else if (require.main === module) {
  process.stdout.write(structureViolations().join('\n') + '\n');
}
