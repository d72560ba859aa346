/** Synthesizes a config file into a temporary cdktf.out, the way `npm run synth` does. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthToDirectory } from '../../lib/app/synth';
import { loadConfigFile } from '../../lib/config/load';
import { planAll } from '../../lib/plan/plan';

export const EXAMPLE_CONFIG = path.join(__dirname, '../../trailwatch.yaml');

export interface SynthOutput {
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** Parsed cdk.tf.json of a stack. */
  json(stack: string): Record<string, any>;
  stackDir(stack: string): string;
}

export function synthConfigFile(file = EXAMPLE_CONFIG, env: Record<string, string> = {}): SynthOutput {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tw-synth-')), 'cdktf.out');
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const { stacks } = synthToDirectory(planAll(loadConfigFile(file)), outdir);
    const stackDir = (s: string) => path.join(outdir, 'stacks', s);
    return { outdir, stacks, stackDir, json: (s) => JSON.parse(fs.readFileSync(path.join(stackDir(s), 'cdk.tf.json'), 'utf8')) };
  } finally {
    process.env = saved;
  }
}
