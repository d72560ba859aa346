/**
 * Lambda Node.js runtimes and their deprecation schedule, so the responder never ships a runtime
 * AWS refuses. From the AWS Lambda Developer Guide, "Lambda runtimes" (supported and deprecated
 * runtime tables), https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html, and its
 * "Building Lambda functions with Node.js" page; checked 2026-11-27.
 *
 * - deprecation: no more security patches; the runtime leaves the console.
 * - blockCreate: CreateFunction with the runtime is refused from this day.
 * - blockUpdate: UpdateFunctionCode / UpdateFunctionConfiguration are refused from this day.
 *
 * AWS sometimes moves these dates: re-check the page when a test here fails, and update the table
 * with the date you checked.
 */

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

export const LAMBDA_RUNTIMES_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html';

export const NODE_RUNTIMES: readonly RuntimeSchedule[] = [
  { runtime: 'nodejs24.x', deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01', provider5100: false },
  { runtime: 'nodejs22.x', deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01', provider5100: true },
  { runtime: 'nodejs20.x', deprecation: '2026-04-30', blockCreate: '2026-06-01', blockUpdate: '2026-07-01', provider5100: true },
];

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
