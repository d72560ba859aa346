/**
 * The structure of lib/ (issue 20): no import circle and no import from a higher layer
 * (.dependency-cruiser.cjs names the layers). Checked on the real tree, and on a small tree that
 * breaks each rule once, so a rule that stopped matching would be noticed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KNOWN_VIOLATIONS, knownViolations, structureViolations } from '../../scripts/structure';

describe('structure of lib/', () => {
  test('no import circle, no upward import, every folder in a layer', () => {
    // A failure lists each import as `rule: importer -> imported`: move the code to the layer that
    // owns it (or down to core) instead of pinning it.
    expect(structureViolations()).toEqual([]);
  });

  test('nothing is pinned: the ratchet list is empty and stays so', () => {
    expect(fs.existsSync(KNOWN_VIOLATIONS)).toBe(true);
    expect(knownViolations()).toEqual([]);
  });

  test('the rules catch a circle, an upward import, a schema importing its feature, and an unlayered folder', () => {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-structure-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
        fs.writeFileSync(path.join(tree, file), text);
      };
      fs.copyFileSync(path.join(__dirname, '../../tsconfig.json'), path.join(tree, 'tsconfig.json'));
      write('lib/core/low.ts', "import { top } from '../cli/top';\nexport const low = top;\n");
      write('lib/cli/top.ts', 'export const top = 1;\n');
      write('lib/trail/schema.ts', "import { planned } from './plan';\nexport const schema = planned;\n");
      write('lib/trail/plan.ts', 'export const planned = 1;\n');
      write('lib/monitoring/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
      write('lib/monitoring/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
      write('lib/stray/x.ts', "import { top } from '../cli/top';\nexport const x = top;\n");
      const found = structureViolations(tree);
      expect(found).toEqual(
        expect.arrayContaining([
          'no-upward-from-core: lib/core/low.ts -> lib/cli/top.ts',
          'no-upward-from-schemas: lib/trail/schema.ts -> lib/trail/plan.ts',
          'no-circular: lib/monitoring/a.ts -> lib/monitoring/b.ts',
          'no-unlayered: lib/stray/x.ts -> lib/cli/top.ts',
        ]),
      );
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});
