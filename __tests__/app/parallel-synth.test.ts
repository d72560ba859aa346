import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthParallel } from '../../lib/app/parallel-synth';
import { synthToDirectory } from '../../lib/app/synth';
import { loadConfigFile } from '../../lib/config/load';
import { parseConfigText } from '../../lib/config/load';
import { generateOrganizationYaml } from '../../bench/org-config';
import { EXAMPLE_CONFIG } from '../support/example';
import { readTree } from '../support/tree';
import { planAll } from '../../lib/plan/plan';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tw-par-'));

describe('batched and parallel synth are byte-identical to one App', () => {
  test('the example, in worker threads with batches of 2', async () => {
    const config = loadConfigFile(EXAMPLE_CONFIG);
    const dir = tmp();
    synthToDirectory(planAll(config), path.join(dir, 'single'));
    const progress: number[] = [];
    const r = await synthParallel(planAll(config), path.join(dir, 'parallel'), { workers: 2, batchSize: 2, onProgress: (d) => progress.push(d) });
    expect(r.stacks.length).toBeGreaterThanOrEqual(6);
    expect(readTree(path.join(dir, 'parallel'))).toEqual(readTree(path.join(dir, 'single')));
    expect(progress[progress.length - 1]).toBe(r.stacks.length);
    expect(fs.readdirSync(dir).sort()).toEqual(['parallel', 'single']); // no staging left behind
  });

  test('a generated organization, in this thread with batches of 7, with a stack filter', async () => {
    const config = parseConfigText(generateOrganizationYaml(20, 3));
    const dir = tmp();
    const select = (p: { stackName: string }) => p.stackName !== 'member-00003';
    synthToDirectory(planAll(config), path.join(dir, 'single'), { selectStack: select });
    await synthParallel(planAll(config), path.join(dir, 'batched'), { workers: 1, batchSize: 7, selectStack: select });
    const single = readTree(path.join(dir, 'single'));
    expect(Object.keys(single).some((f) => f.includes('member-00003'))).toBe(false);
    expect(readTree(path.join(dir, 'batched'))).toEqual(single);
  });

  test('members written from checked templates equal their own synth, across several shapes', async () => {
    const base = generateOrganizationYaml(9, 3);
    const lines = base.trimEnd().split('\n');
    // Three shapes: default members, members narrowed to one region, members with extra tags and access.
    const yaml =
      lines.map((l, i) => (i >= lines.length - 3 ? l.replace(' }', ', regions: [eu-west-1] }') : i >= lines.length - 6 ? l.replace(' }', ', tags: { Env: dev }, access: { roleName: Deploy } }') : l)).join('\n') + '\n';
    const config = parseConfigText(yaml);
    const dir = tmp();
    synthToDirectory(planAll(config), path.join(dir, 'single'));
    const r = await synthParallel(planAll(config), path.join(dir, 'templated'), { workers: 2, batchSize: 2 });
    expect(r.templated).toBe(6); // 3 shapes x (3 members - 1 checked by its own synth)
    expect(readTree(path.join(dir, 'templated'))).toEqual(readTree(path.join(dir, 'single')));
    const off = await synthParallel(planAll(config), path.join(dir, 'off'), { workers: 1, templates: false });
    expect(off.templated).toBe(0);
    expect(readTree(path.join(dir, 'off'))).toEqual(readTree(path.join(dir, 'single')));
  });

  test('a failing synth leaves the previous output untouched', async () => {
    const config = parseConfigText(generateOrganizationYaml(3, 2));
    const dir = tmp();
    const out = path.join(dir, 'out');
    await synthParallel(planAll(config), out, { workers: 1 });
    const before = readTree(out);
    // Two accounts with one name (the config loader refuses this; here it makes a worker fail mid-way).
    const broken = { ...config, accounts: [config.accounts[0], config.accounts[1], { ...config.accounts[2], name: config.accounts[0].name }] };
    await expect(synthParallel(planAll(broken), out, { workers: 2, batchSize: 1 })).rejects.toThrow();
    expect(readTree(out)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['out']);
  });
});
