/**
 * Sigma files from the command line or `monitoring.sigma`: a path is a rule file or a folder whose
 * `.yml` / `.yaml` files (recursively, in name order) are rule files. A file reached twice (a folder
 * and a file in it, a symlink to one) is read once.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SigmaSource } from './convert';

/** Thrown for a path that cannot be read (missing, unreadable, a folder without rules). */
export class SigmaPathError extends Error {}

export function readSigmaSources(paths: readonly string[], base = process.cwd()): SigmaSource[] {
  const out: SigmaSource[] = [];
  /** Real paths read: a folder and a file inside it (or a link to it) given together are one file, read once. */
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(base, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      throw new SigmaPathError(`cannot read Sigma rules at ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`);
    }
    const files = stat.isDirectory() ? ruleFiles(abs) : [abs];
    if (files.length === 0) throw new SigmaPathError(`no Sigma rules (.yml or .yaml files) in the folder ${p}`);
    for (const f of files) {
      const real = realPath(f);
      if (seen.has(real)) continue;
      seen.add(real);
      const shown = path.relative(base, f) || f;
      try {
        out.push({ file: shown.startsWith('..') ? f : shown, text: fs.readFileSync(f, 'utf8') });
      } catch (e) {
        throw new SigmaPathError(`cannot read Sigma rule file ${shown}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}

function realPath(f: string): string {
  try {
    return fs.realpathSync(f);
  } catch {
    return f; // unreadable: reading it reports why
  }
}

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = fs.statSync(full);
    if (st.isDirectory()) out.push(...ruleFiles(full));
    else if (/\.ya?ml$/i.test(name)) out.push(full);
  }
  return out;
}
