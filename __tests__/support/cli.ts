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

/** Temporary folders made by this test file, removed once it is done. */
const temps: string[] = [];
// Each test file loads this module afresh, so every file that uses it removes its own folders.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh temporary folder, removed after the test file has run. */
export function tempDir(prefix = 'tw-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A fresh folder holding `name` with `text` (removed after the test file); returns the file's path. */
export function writeTemp(name: string, text: string): string {
  const file = path.join(tempDir('tw-rollout-'), name);
  fs.writeFileSync(file, text);
  return file;
}
