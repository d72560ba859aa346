/**
 * cdktf records a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER, source-mapped) every
 * time it creates a token, only to enrich the message of a token that later fails to resolve. An
 * organization stack creates hundreds of thousands of tokens: measured on 20 accounts x 17 regions,
 * building the constructs took 45 s with the traces and 0.5 s without. The synthesized JSON is the
 * same either way (the traces never reach the output); only such an error message loses its
 * creation stack. Set TRAILWATCH_TOKEN_STACK_TRACES=1 to keep them when debugging trailwatch itself.
 */
let disabled = false;

export function disableTokenStackTraces(): void {
  if (disabled || process.env.TRAILWATCH_TOKEN_STACK_TRACES === '1') return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: unknown) => string[] };
  // cdktf calls it as `(0, stack_trace_1.captureStackTrace)()`, a property read at each call, so replacing the export takes effect everywhere.
  stackTrace.captureStackTrace = () => [];
  disabled = true;
}
