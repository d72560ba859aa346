/** Two synths of the same config are byte-identical: no timestamps, random ids or unordered maps. */
import { synthConfigFile } from '../support/example';
import { readTree } from '../support/tree';

test('two synths of the example are byte-identical', () => {
  const a = readTree(synthConfigFile().outdir);
  const b = readTree(synthConfigFile().outdir);
  expect(Object.keys(a).length).toBeGreaterThan(6);
  expect(b).toEqual(a);
});
