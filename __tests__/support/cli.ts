/** Runs the trailwatch CLI in-process, capturing what it prints. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((stderr += String(s)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A fresh folder holding `name` with `text`; returns the file's path. */
export function writeTemp(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-rollout-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
