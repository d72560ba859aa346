/**
 * Synthesize one cdktf App into a fresh staging folder beside the output, then swap it in
 * (output.ts: only into a folder trailwatch may replace, keeping Terraform's working files).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ParsedConfig } from '../config/schema';
import { buildApp, type BuildAppOptions } from './build-app';
import { checkOutputTarget, replaceDirectory, stagingPrefix } from './output';

export { checkOutputTarget, OUTPUT_MARKER, replaceDirectory, stagingPrefix, SYNTH_OUTPUTS } from './output';

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
}

export function synthToDirectory(config: ParsedConfig, outdir: string, options: Omit<BuildAppOptions, 'outdir'> = {}): SynthResult {
  const target = checkOutputTarget(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(stagingPrefix(target));
  try {
    const { app, stacks } = buildApp(config, { ...options, outdir: staging });
    app.synth();
    replaceDirectory(staging, target);
    return { outdir: target, stacks: stacks.map((s) => s.plan.stackName) };
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
