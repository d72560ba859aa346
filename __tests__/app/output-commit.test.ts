/**
 * The commit of a staging folder into the output (lib/app/output.ts), on hand-made folders: assets
 * replaced without leaving the old ones, links inside a departed stack, a cut-off apply.
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyOutputPlan, planOutput, OUTPUT_MARKER } from '../../lib/app/output';
import { tempDir } from '../support/cli';
import { tree } from '../support/synth-scratch';

function folder(files: Record<string, string>, dir = tempDir('tw-commit-')): string {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Commits `files` (one synth of stacks `stacks`) into `out`. */
function commit(out: string, files: Record<string, string>, stacks = ['a'], configStacks = stacks) {
  const plan = planOutput(folder(files), out, { stacks, configStacks });
  applyOutputPlan(plan);
  return plan;
}

const stackA = (asset: string) => ({
  'manifest.json': '{}\n',
  'stacks/a/cdk.tf.json': `{"asset":"${asset}"}\n`,
  [`stacks/a/assets/code/${asset}/archive.zip`]: `zip ${asset}\n`,
});

test('a new asset replaces the old one; the emptied asset folder goes, a file of the user in assets/ stays', () => {
  const out = path.join(tempDir('tw-commit-out-'), 'out');
  commit(out, stackA('OLD'));
  fs.writeFileSync(path.join(out, 'stacks/a/assets/code/notes.txt'), 'mine\n');
  const plan = commit(out, stackA('NEW'));
  expect(plan.changes.map((c) => `${c.change} ${c.path}`)).toEqual([
    `changed ${OUTPUT_MARKER}`,
    'added stacks/a/assets/code/NEW/archive.zip',
    'removed stacks/a/assets/code/OLD/archive.zip',
    'changed stacks/a/cdk.tf.json',
  ]);
  expect(Object.keys(tree(path.join(out, 'stacks/a'))).sort()).toEqual([
    'assets/',
    'assets/code/',
    'assets/code/NEW/',
    'assets/code/NEW/archive.zip',
    'assets/code/notes.txt',
    'cdk.tf.json',
  ]);
});

test("a departed stack's folder holding a symbolic link is refused; the link's target is untouched", () => {
  const base = tempDir('tw-commit-out-');
  const out = path.join(base, 'out');
  commit(out, { 'manifest.json': '{}\n', 'stacks/a/cdk.tf.json': '{}\n', 'stacks/b/cdk.tf.json': '{}\n' }, ['a', 'b']);
  fs.mkdirSync(path.join(base, 'target'));
  fs.writeFileSync(path.join(base, 'target', 'keep.txt'), 'keep\n');
  fs.symlinkSync(path.join(base, 'target'), path.join(out, 'stacks/b/modules'));
  const before = tree(base);
  const plan = planOutput(folder({ 'manifest.json': '{}\n', 'stacks/a/cdk.tf.json': '{}\n' }), out, { stacks: ['a'], configStacks: ['a'] });
  expect(plan.problems).toEqual([expect.stringMatching(/^stacks\/b: its account is no longer in the config, .*: modules \(a symbolic link\);/)]);
  expect(() => applyOutputPlan(plan)).toThrow(/refusing to synthesize into/);
  expect(tree(base)).toEqual(before);
});

test('a departed stack with nested assets is removed, folders and all', () => {
  const out = path.join(tempDir('tw-commit-out-'), 'out');
  commit(out, { ...stackA('OLD'), 'stacks/b/cdk.tf.json': '{}\n', 'stacks/b/assets/x/y/z.zip': 'z\n' }, ['a', 'b']);
  commit(out, stackA('OLD'), ['a'], ['a']);
  expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['a']);
});

test('files named in the record as pending (an apply cut off by a power loss) are still trailwatch\'s', () => {
  const out = path.join(tempDir('tw-commit-out-'), 'out');
  commit(out, stackA('OLD'));
  const marker = JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8'));
  // The cut-off apply had moved a new cdk.tf.json in and recorded it as pending only.
  const plan = planOutput(folder({ 'stacks/a/cdk.tf.json': '{"asset":"MID"}\n' }), path.join(tempDir('tw-x-'), 'unused'), { stacks: ['a'], configStacks: ['a'] });
  fs.writeFileSync(path.join(out, 'stacks/a/cdk.tf.json'), '{"asset":"MID"}\n');
  marker.pending = { 'stacks/a/cdk.tf.json': [plan.after.get('stacks/a/cdk.tf.json')] };
  fs.writeFileSync(path.join(out, OUTPUT_MARKER), JSON.stringify(marker));
  expect(commit(out, stackA('NEW')).problems).toEqual([]);
  expect(fs.readFileSync(path.join(out, 'stacks/a/cdk.tf.json'), 'utf8')).toBe('{"asset":"NEW"}\n');
  expect(JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8')).pending).toBeUndefined();
});
