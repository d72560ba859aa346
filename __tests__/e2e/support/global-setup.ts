/**
 * Jest globalSetup of `npm run test:e2e`. It runs in jest's own process, the only place where a
 * signal handler works (a test file's `process` is a copy that never receives signals), and
 * installs SIGINT/SIGTERM handlers that stop everything the harness started: the emulators and the
 * running terraform / cdktf commands, which the harness lists in TRAILWATCH_E2E_PIDFILE
 * (trackProcess in __tests__/support/terraform.ts). globalTeardown removes the handlers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Handler = (signal: NodeJS.Signals) => void;
const HANDLER = Symbol.for('trailwatch.e2e.signalHandler');

function stopListedProcesses(pidFile: string): number {
  let stopped = 0;
  const lines = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n') : [];
  for (const line of lines) {
    const [pid, kind] = line.trim().split(' ');
    if (!pid) continue;
    try {
      process.kill(kind === 'group' ? -Number(pid) : Number(pid), 'SIGTERM');
      stopped++;
    } catch {
      /* already gone */
    }
  }
  return stopped;
}

export default function globalSetup(): void {
  const pidFile = path.join(os.tmpdir(), `trailwatch-e2e-${process.pid}.pids`);
  fs.writeFileSync(pidFile, '');
  process.env.TRAILWATCH_E2E_PIDFILE = pidFile;
  const handler: Handler = (signal) => {
    const n = stopListedProcesses(pidFile);
    process.stderr.write(`\ntrailwatch e2e: ${signal}: stopped ${n} emulator and command processes\n`);
    fs.rmSync(pidFile, { force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  (globalThis as Record<symbol, unknown>)[HANDLER] = handler;
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
