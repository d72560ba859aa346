/**
 * Synthesize into a fresh temporary folder beside the output, then swap it in. A failure at any
 * point leaves the previous output exactly as it was: never a partial cdktf.out.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ParsedConfig } from '../config/schema';
import { buildApp, type BuildAppOptions } from './build-app';

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
}

export function synthToDirectory(config: ParsedConfig, outdir: string, options: Omit<BuildAppOptions, 'outdir'> = {}): SynthResult {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
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

/** Swap `from` into `to` with renames only (same parent folder, so same filesystem). */
export function replaceDirectory(from: string, to: string): void {
  const retired = `${from}.retired`;
  const hadOld = fs.existsSync(to);
  if (hadOld) fs.renameSync(to, retired);
  try {
    fs.renameSync(from, to);
  } catch (e) {
    if (hadOld) fs.renameSync(retired, to);
    throw e;
  }
  if (hadOld) fs.rmSync(retired, { recursive: true, force: true });
}
