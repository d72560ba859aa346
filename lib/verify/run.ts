/**
 * Runs every check that applies to each planned account and region, with a bound on how many run at
 * once, and collects the findings. An account verify cannot get into (the role cannot be assumed)
 * is one `error` finding for that account, and every check there is counted as not run: nothing is
 * skipped silently. A check that fails for another reason (access denied on one call, a throttle
 * that outlasted the retries) is an `error` finding for that check, account and region.
 */
import type { OrganizationPlan } from '../core/organization';
import { verifyRoleArn, type ClientFactory } from './aws';
import { CHECKS } from './checks';
import { detectionOf, resourcesOf, type PlannedAccount } from './planned';
import { errorName, SEVERITIES, type Check, type Finding, type Severity, type VerifySettings } from './types';

export interface CheckRun {
  readonly check: string;
  readonly title: string;
  readonly account: string;
  readonly region: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly findings: number;
}

export interface VerifyResult {
  readonly organizationId: string;
  /** Accounts and regions verified (the grid's rows and columns). */
  readonly accounts: readonly { readonly name: string; readonly id: string; readonly regions: readonly string[] }[];
  readonly findings: readonly Finding[];
  readonly runs: readonly CheckRun[];
  /** Detection ids planned in the selected accounts, and those whose every filter, alarm and rule verified as planned. */
  readonly detections: { readonly planned: readonly string[]; readonly verified: readonly string[] };
  readonly checkedAt: string;
}

export interface RunOptions {
  readonly organization: OrganizationPlan;
  readonly accounts: readonly PlannedAccount[];
  readonly factory: ClientFactory;
  readonly settings: VerifySettings;
  /** Checks run at once. @default 16 */
  readonly concurrency?: number;
  /** @default every check in ./checks */
  readonly checks?: readonly Check[];
  readonly roleName?: string;
  readonly now?: Date;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The checks that verify detections (their resources carry a detection id). */
const DETECTION_TYPES = ['aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_event_rule'] as const;

/** Runs `tasks` with at most `limit` running at once. */
export async function boundedAll<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

const describeError = (e: unknown): string => `${errorName(e) || 'Error'}: ${e instanceof Error ? e.message : String(e)}`;

export async function runVerify(options: RunOptions): Promise<VerifyResult> {
  const { organization, accounts, factory, settings } = options;
  const checks = options.checks ?? CHECKS;
  const now = options.now ?? new Date();
  const findings: Finding[] = [];
  const runs: CheckRun[] = [];
  const unverified = new Set<string>();
  const planned = new Set<string>();
  const plannedDetections = (account: PlannedAccount, region: string) =>
    DETECTION_TYPES.flatMap((t) => resourcesOf(account, t, region).map(detectionOf)).filter((d): d is string => d !== undefined);
  for (const a of accounts) for (const r of a.regions) for (const d of plannedDetections(a, r)) planned.add(d);

  const tasks: { account: PlannedAccount; region: string; check: Check }[] = [];
  for (const account of accounts) for (const region of account.regions) for (const check of checks) if (check.applies(account, region)) tasks.push({ account, region, check });
  let done = 0;
  options.onProgress?.(0, tasks.length);

  // Sign in to every account first (bounded as well): an account verify cannot enter is reported once.
  const signInErrors = new Map<string, string>();
  await boundedAll(
    accounts.map((account) => async () => {
      try {
        await factory.signIn(account.plan);
      } catch (e) {
        signInErrors.set(account.plan.accountId, describeError(e));
      }
    }),
    options.concurrency ?? 16,
  );
  for (const account of accounts) {
    const error = signInErrors.get(account.plan.accountId);
    if (error === undefined) continue;
    const role = verifyRoleArn(account.plan, options.roleName);
    findings.push({
      check: 'access',
      status: 'error',
      severity: 'high',
      account: account.plan.stackName,
      accountId: account.plan.accountId,
      region: account.plan.primaryRegion,
      resource: `role ${role ?? '(own credentials)'}`,
      expected: 'verify can assume the role and read the account',
      found: `could not check this account: ${error}`,
      fix: 'let the pipeline assume the role, or name a read-only role in verify.roleName (README "Verify" lists the permissions it needs)',
    });
  }

  await boundedAll(
    tasks.map(({ account, region, check }) => async () => {
      const base = { check: check.id, title: check.title, account: account.plan.stackName, region };
      const where = { account: account.plan.stackName, accountId: account.plan.accountId, region };
      if (signInErrors.has(account.plan.accountId)) {
        runs.push({ ...base, status: 'error', findings: 0 });
        for (const d of plannedDetections(account, region)) unverified.add(d);
      } else {
        try {
          const problems = await check.run({ account, accounts, clientsFor: factory.clients, region, organization, clients: factory.clients(account.plan, region), settings, now });
          for (const p of problems) {
            findings.push({ check: check.id, status: 'fail', severity: p.severity ?? check.severity, ...where, resource: p.resource, expected: p.expected, found: p.found, fix: p.fix ?? '' });
          }
          runs.push({ ...base, status: problems.length > 0 ? 'fail' : 'pass', findings: problems.length });
          if (problems.length > 0) markUnverified(account, region, problems.map((p) => p.resource), unverified);
        } catch (e) {
          findings.push({
            check: check.id,
            status: 'error',
            severity: check.severity,
            ...where,
            resource: check.title,
            expected: 'the check runs',
            found: `could not check: ${describeError(e)}`,
            fix: errorName(e).includes('AccessDenied') || errorName(e) === 'AuthorizationError' ? `grant ${check.actions.join(', ')} to the role verify uses (README "Verify")` : 'run verify again; report the error if it persists',
          });
          runs.push({ ...base, status: 'error', findings: 1 });
          for (const d of plannedDetections(account, region)) unverified.add(d);
        }
      }
      options.onProgress?.(++done, tasks.length);
    }),
    options.concurrency ?? 16,
  );

  const order = (f: Finding) => [severityRank(f.severity), f.account, f.region, f.check, f.resource].join('\u0000');
  findings.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return {
    organizationId: organization.organizationId,
    accounts: accounts.map((a) => ({ name: a.plan.stackName, id: a.plan.accountId, regions: a.regions })),
    findings,
    runs,
    detections: { planned: [...planned].sort(), verified: [...planned].filter((d) => !unverified.has(d)).sort() },
    checkedAt: now.toISOString(),
  };
}

/** A finding on a filter, alarm or rule (named by its resource text) leaves its detection unverified. */
function markUnverified(account: PlannedAccount, region: string, resources: readonly string[], unverified: Set<string>): void {
  for (const type of DETECTION_TYPES) {
    for (const r of resourcesOf(account, type, region)) {
      const d = detectionOf(r);
      const name = String(r.values.name ?? r.values.alarm_name);
      const names = (text: string) =>
        text === `metric filter ${name}` || text === `alarm ${name}` || text === `rule ${name}` || text.startsWith(`rule ${name} `) || text.startsWith('log group') || text.startsWith('event bus');
      if (d && resources.some(names)) unverified.add(d);
    }
  }
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** verify's exit code: 2 when something could not be checked, 1 with findings, 0 when everything is as planned. */
export function exitCode(result: VerifyResult): 0 | 1 | 2 {
  if (result.findings.some((f) => f.status === 'error')) return 2;
  return result.findings.length > 0 ? 1 : 0;
}
