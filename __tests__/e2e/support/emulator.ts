/**
 * The AWS emulator of the end-to-end tests: moto's server, started through moto_launcher.py (which
 * patches the moto 5.2.1 defects that break correct Terraform, CloudTrail by ARN first) on a free
 * loopback port.
 *
 * The server always stops: stop() in afterAll; on SIGINT/SIGTERM, the e2e globalSetup's handler
 * (the process is listed through trackProcess); and the launcher itself exits when its stdin
 * closes, i.e. when this process dies without cleaning up.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { trackProcess } from '../../support/terraform';

const LAUNCHER = path.join(__dirname, '..', 'moto_launcher.py');
const START_TIMEOUT_MS = 60_000;

/** Interpreters tried in order; TRAILWATCH_E2E_PYTHON overrides. */
const PYTHON_CANDIDATES = ['python3.11', 'python3', 'python'];

let cachedPython: string | undefined;

/** A Python with moto (server extras), boto3 and werkzeug, or a clear error. */
export function findPython(): string {
  if (cachedPython) return cachedPython;
  const candidates = process.env.TRAILWATCH_E2E_PYTHON ? [process.env.TRAILWATCH_E2E_PYTHON] : PYTHON_CANDIDATES;
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import moto, boto3, werkzeug, flask, flask_cors'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return (cachedPython = python);
  }
  throw new Error(
    `no Python with moto's server, boto3 and werkzeug found (tried ${candidates.join(', ')}); ` +
      `install them (pip install 'moto[server]==5.2.1' boto3) or point TRAILWATCH_E2E_PYTHON at an interpreter that has them`,
  );
}

export interface Emulator {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** moto's request log and errors. */
  readonly logFile: string;
  /** Forgets every resource in every account (moto's /moto-api/reset). */
  reset(): Promise<void>;
  /** Stops the server; idempotent. */
  stop(): Promise<void>;
}

/** Starts the launcher; `env` is added to its environment (e.g. TRAILWATCH_MOTO_ORGANIZATION_ID). */
export async function startEmulator(logFile: string, env: NodeJS.ProcessEnv = {}): Promise<Emulator> {
  const python = findPython();
  const log = fs.openSync(logFile, 'a');
  // stdin stays a pipe we never close: the launcher exits on EOF, i.e. when this process is gone.
  const child: ChildProcess = spawn(python, [LAUNCHER, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['pipe', 'pipe', log],
    env: { ...process.env, ...env, PYTHONUNBUFFERED: '1' },
  });
  fs.closeSync(log);

  trackProcess(child.pid, true);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      trackProcess(child.pid, false);
      resolve();
    }),
  );

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`moto did not start within ${START_TIMEOUT_MS / 1000}s; see ${logFile}`)), START_TIMEOUT_MS);
      child.once('exit', (code) => reject(new Error(`moto exited with code ${code} before it listened; see ${logFile}:\n${tail(logFile)}`)));
      readline.createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`unexpected first line from the moto launcher: ${line}`));
        }
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    logFile,
    stop,
    async reset() {
      const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
    },
  };
}

/** The last lines of a file, for error messages. */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
