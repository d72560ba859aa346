/**
 * The e2e runner's ordering, on synthetic manifests: the example's stacks have no dependencies
 * today, so the deploy test alone would not notice a stack applied before one it depends on.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deploymentOrder, inDependencyOrder } from './support/stacks';

const folders: string[] = [];
afterAll(() => folders.forEach((f) => fs.rmSync(f, { recursive: true, force: true })));

/** A cdktf.out folder whose manifest has these stacks (name -> dependencies), in this order. */
function manifest(stacks: Record<string, string[]>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-manifest-'));
  folders.push(outdir);
  const entries = Object.fromEntries(Object.entries(stacks).map(([name, dependencies]) => [name, { name, dependencies, workingDirectory: `stacks/${name}` }]));
  fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: entries }));
  return outdir;
}

/** Runs inDependencyOrder with tasks that take `ms` and log start/end; `fail` names stacks that fail. */
async function trace(outdir: string, options: { reverse?: boolean; parallelism?: number; fail?: string[] } = {}) {
  const events: string[] = [];
  const result = await inDependencyOrder(
    outdir,
    async (stack) => {
      events.push(`start ${stack}`);
      await new Promise((r) => setTimeout(r, stack === 'slow' ? 60 : 10));
      events.push(`end ${stack}`);
      if (options.fail?.includes(stack)) throw new Error(`${stack}: failed`);
    },
    options,
  );
  return { events, ...result };
}

describe('deployment order from the manifest', () => {
  test('every stack comes after the stacks it depends on; otherwise manifest order', () => {
    expect(deploymentOrder(manifest({ app: ['network'], audit: [], network: ['audit'], web: [] }))).toEqual(['audit', 'network', 'app', 'web']);
  });

  test('a dependency cycle is named', () => {
    expect(() => deploymentOrder(manifest({ a: ['b'], b: ['a'] }))).toThrow('stack dependency cycle: a -> b -> a');
  });

  test('a dependency missing from the manifest is named', () => {
    expect(() => deploymentOrder(manifest({ a: ['ghost'] }))).toThrow('stack a depends on ghost, which is not in the manifest');
  });
});

describe('running stacks side by side', () => {
  test('a stack starts only after its dependencies ended, even while others run in parallel', async () => {
    const { events, failures } = await trace(manifest({ slow: [], app: ['slow'], other: [] }), { parallelism: 3 });
    expect(failures).toEqual([]);
    expect(events.indexOf('start app')).toBeGreaterThan(events.indexOf('end slow'));
    // Independent stacks do not wait for each other.
    expect(events.indexOf('start other')).toBeLessThan(events.indexOf('end slow'));
  });

  test('reverse (destroy): a stack goes only after the stacks depending on it', async () => {
    const { events } = await trace(manifest({ archive: [], trail: ['archive'], slow: ['archive'] }), { reverse: true, parallelism: 3 });
    expect(events.indexOf('start archive')).toBeGreaterThan(events.indexOf('end slow'));
    expect(events.indexOf('start archive')).toBeGreaterThan(events.indexOf('end trail'));
  });

  test('longest chain first: a stack others wait on starts before one nothing waits on', async () => {
    // As in the example: members and the log archive need security; management needs the log archive.
    const out = manifest({ security: [], member: ['security'], archive: ['security'], management: ['archive'] });
    const { events } = await trace(out, { parallelism: 1 });
    // The manifest lists member first; the archive, which management waits on, still goes first.
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start security', 'start archive', 'start member', 'start management']);
    // Destroy: the stacks that hold up the archive's destroy go first.
    const destroy = await trace(out, { parallelism: 1, reverse: true });
    expect(destroy.events.filter((e) => e.startsWith('start'))).toEqual(['start management', 'start archive', 'start member', 'start security']);
  });

  test('at most `parallelism` stacks run at once', async () => {
    const { events } = await trace(manifest({ a: [], b: [], c: [], d: [] }), { parallelism: 2 });
    let running = 0;
    let most = 0;
    for (const e of events) {
      running += e.startsWith('start') ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  test('a failed stack is reported and the stacks depending on it are not attempted', async () => {
    const { events, failures, done } = await trace(manifest({ archive: [], trail: ['archive'], web: [] }), { fail: ['archive'] });
    expect(failures).toEqual(['archive: failed', 'trail: not attempted, because archive failed']);
    expect(events).not.toContain('start trail');
    expect(done).toEqual(['web']);
  });
});
