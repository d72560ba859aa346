/**
 * Lambda Node.js runtimes and their deprecation schedule, so the responder never ships a runtime
 * AWS refuses. The dates live in ./lambda-runtimes.json (from the AWS Lambda Developer Guide,
 * "Lambda runtimes" (supported and deprecated runtime tables) and "Building Lambda functions with
 * Node.js"; its `checked` says when), the same table the e2e's strict emulator refuses blocked
 * runtimes by (__tests__/e2e/moto_launcher.py), so the two can never disagree.
 *
 * - deprecation: no more security patches; the runtime leaves the console.
 * - blockCreate: CreateFunction with the runtime is refused from this day.
 * - blockUpdate: UpdateFunctionCode / UpdateFunctionConfiguration are refused from this day.
 *
 * AWS sometimes moves these dates: re-check the page when a test here fails, and update the table
 * with the date you checked.
 */

import TABLE from './lambda-runtimes.json';

export interface RuntimeSchedule {
  readonly runtime: string;
  /** ISO dates (UTC). */
  readonly deprecation: string;
  readonly blockCreate: string;
  readonly blockUpdate: string;
  /**
   * Whether hashicorp/aws 5.100.0 (the provider trailwatch generates for) accepts the identifier:
   * it validates `runtime` against the AWS SDK enum it was built with, which predates nodejs24.x
   * (`terraform validate`: "expected runtime to be one of [...]").
   */
  readonly provider5100: boolean;
}

export const LAMBDA_RUNTIMES_SOURCE = TABLE.source[0];

/** The Node.js runtimes with a full schedule (the ones the responder may use), newest first. */
export const NODE_RUNTIMES: readonly RuntimeSchedule[] = TABLE.runtimes.filter(
  (r): r is RuntimeSchedule => r.runtime.startsWith('nodejs') && r.deprecation !== undefined && r.provider5100 !== undefined,
);

/**
 * The responder's runtime: the newest Node.js runtime provider 5.100 accepts. Its AWS SDK for
 * JavaScript v3 (`@aws-sdk/client-sns`) is part of every nodejs18.x and later runtime.
 */
export const RESPONDER_RUNTIME = 'nodejs22.x';

export function scheduleOf(runtime: string): RuntimeSchedule | undefined {
  return NODE_RUNTIMES.find((r) => r.runtime === runtime);
}

/** Whether Lambda still lets you create a function with `runtime` on `day` (UTC). */
export function creatableOn(runtime: string, day: Date): boolean {
  const s = scheduleOf(runtime);
  return s !== undefined && day.getTime() < Date.parse(`${s.blockCreate}T00:00:00Z`);
}
