/**
 * Issue 18 item 5: README's figures and example outputs (estimate, synth --summary, rollout,
 * coverage, the lifecycle figures, the regional price and quota tables) are what the code prints
 * today. A change that moves one fails here with the command that rewrites them.
 */
import * as fs from 'fs';
import { applyFigures, figureBlocks, FIX_COMMAND, README } from '../../scripts/docs-figures';

let blocks: Record<string, string> = {};
let applied: ReturnType<typeof applyFigures>;
beforeAll(async () => {
  blocks = await figureBlocks();
  applied = applyFigures(fs.readFileSync(README, 'utf8'), blocks);
}, 300_000);

test('every generated block has its markers in README', () => {
  expect(applied.missing).toEqual([]);
});

test('every README block is what the code produces', () => {
  expect(Object.keys(blocks).length).toBeGreaterThan(0);
  if (applied.stale.length > 0) {
    throw new Error(`README.md is stale in ${applied.stale.join(', ')}: the code now prints something else. Run \`${FIX_COMMAND}\` and commit README.md.`);
  }
});

test('applyFigures rewrites a stale block in place, and only the block', () => {
  const stale = 'intro\n<!-- generated:x -->\nold\n<!-- /generated:x -->\noutro\n';
  const r = applyFigures(stale, { x: 'new' });
  expect(r.stale).toEqual(['x']);
  expect(r.text).toBe('intro\n<!-- generated:x -->\nnew\n<!-- /generated:x -->\noutro\n');
  expect(applyFigures(r.text, { x: 'new' }).stale).toEqual([]);
});
