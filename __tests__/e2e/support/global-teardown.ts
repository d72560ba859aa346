/** Jest globalTeardown of `npm run test:e2e`: removes global-setup's signal handlers and pid file. */
import * as fs from 'fs';

const HANDLER = Symbol.for('trailwatch.e2e.signalHandler');

export default function globalTeardown(): void {
  const handler = (globalThis as Record<symbol, unknown>)[HANDLER] as ((s: NodeJS.Signals) => void) | undefined;
  if (handler) {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  }
  if (process.env.TRAILWATCH_E2E_PIDFILE) fs.rmSync(process.env.TRAILWATCH_E2E_PIDFILE, { force: true });
}
