/**
 * The structure ratchet (issue 20): lib/ may gain no import circle and no import from a higher layer
 * (.dependency-cruiser.cjs names the layers), and the violations pinned today may only go away.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KNOWN_VIOLATIONS, knownViolations, structureViolations } from '../../scripts/structure';

const now = structureViolations();
const known = knownViolations();

describe('structure of lib/', () => {
  test('no new import circle or upward import', () => {
    const added = now.filter((v) => !known.includes(v));
    // A failure lists each new import as `rule: importer -> imported`: move the code to the layer
    // that owns it (or down to core) instead of adding the line to the pinned list.
    expect(added).toEqual([]);
  });

  test('the pinned list holds only violations that still exist (it only shrinks)', () => {
    const gone = known.filter((v) => !now.includes(v));
    // Fixed: remove these lines from __tests__/structure/known-violations.txt (`npm run structure -- --write`).
    expect(gone).toEqual([]);
  });

  test('the rules see the whole of lib/ and every folder belongs to a layer', () => {
    const folders = fs.readdirSync(path.join(__dirname, '../../lib'));
    expect(folders.length).toBeGreaterThan(10);
    expect(now.filter((v) => v.startsWith('no-unlayered'))).toEqual([]);
    // The ratchet catches what it is meant to: today's known circle through config/ is seen.
    expect(now.some((v) => v.startsWith('no-circular: lib/config/'))).toBe(true);
    expect(fs.existsSync(KNOWN_VIOLATIONS)).toBe(true);
  });
});
