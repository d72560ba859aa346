/** The verify runner over the example organization on the fake AWS: exit codes, access denied per account, the concurrency bound. */
import { loadConfigFile } from '../../lib/config/load';
import { planOrganization, type AccountPlan, type OrganizationPlan } from '../../lib/core/organization';
import type { ClientFactory } from '../../lib/verify/aws';
import { planAccounts, type PlannedAccount } from '../../lib/verify/planned';
import { boundedAll, exitCode, runVerify } from '../../lib/verify/run';
import { EXAMPLE_CONFIG } from '../support/example';
import { awsError, deployedAsPlanned, fakeClients, type Answers, type Call, TEST_SETTINGS } from './fake-aws';
import { planAll } from '../../lib/plan/plan';

const NOW = new Date('2026-12-07T12:00:00Z');
const SETTINGS = TEST_SETTINGS;
let organization: OrganizationPlan;
let accounts: PlannedAccount[];

beforeAll(async () => {
  const config = loadConfigFile(EXAMPLE_CONFIG);
  organization = planOrganization(config);
  accounts = await planAccounts(planAll(config));
});

function factory(options: { denied?: string; tamper?: (name: string, answers: Answers) => Answers; calls?: Call[] } = {}): ClientFactory {
  const ids = organization.accounts.map((a) => a.accountId);
  return {
    clients: (plan: AccountPlan) => {
      const a = accounts.find((x) => x.plan.accountId === plan.accountId)!;
      const clean = deployedAsPlanned(a, NOW, ids);
      return fakeClients(options.tamper ? options.tamper(plan.stackName, clean) : clean, options.calls);
    },
    signIn: async (plan) => {
      if (plan.stackName === options.denied) throw awsError('AccessDenied', `User: arn:aws:sts::999999999999:assumed-role/pipeline/x is not authorized to perform: sts:AssumeRole on resource: ${plan.access.roleArn}`);
    },
  };
}

it('exits 0 with nothing to report when every account is deployed as planned, and verifies every planned detection', async () => {
  const calls: Call[] = [];
  const result = await runVerify({ organization, accounts, factory: factory({ calls }), settings: SETTINGS, now: NOW });
  expect(result.findings).toEqual([]);
  expect(exitCode(result)).toBe(0);
  expect(result.detections.verified).toEqual(result.detections.planned);
  expect(result.detections.planned).toContain('root-account-usage');
  // Every governed region of every account is checked.
  expect(new Set(result.runs.map((r) => `${r.account} ${r.region}`)).size).toBe(accounts.reduce((n, a) => n + a.regions.length, 0));
  expect(calls.length).toBeGreaterThan(100);
});

it('exits 1 with a finding, and the detection it breaks is no longer verified', async () => {
  const tamper = (name: string, a: Answers): Answers =>
    name === 'prod-web' ? { ...a, ListRulesCommand: (i) => ({ Rules: (a.ListRulesCommand(i) as any).Rules.map((r: any) => (r.Name === 'trailwatch-vpc-changes' ? { ...r, State: 'DISABLED' } : r)) }) } : a;
  const result = await runVerify({ organization, accounts, factory: factory({ tamper }), settings: SETTINGS, now: NOW });
  expect(exitCode(result)).toBe(1);
  expect(result.findings.map((f) => `${f.account} ${f.region} ${f.resource}`)).toEqual(
    expect.arrayContaining(['prod-web us-east-1 rule trailwatch-vpc-changes', 'prod-web eu-west-1 rule trailwatch-vpc-changes']),
  );
  expect(result.detections.verified).not.toContain('vpc-changes');
  expect(result.detections.verified).toContain('root-account-usage');
});

it('exits 2 and names the account it could not enter, checking every other account', async () => {
  const result = await runVerify({ organization, accounts, factory: factory({ denied: 'prod-payments' }), settings: SETTINGS, now: NOW });
  expect(exitCode(result)).toBe(2);
  expect(result.findings).toEqual([
    expect.objectContaining({ check: 'access', status: 'error', account: 'prod-payments', accountId: '444444444444', resource: 'role arn:aws:iam::444444444444:role/OrganizationAccountAccessRole', found: expect.stringContaining('AccessDenied') }),
  ]);
  expect(result.runs.filter((r) => r.account === 'prod-payments').every((r) => r.status === 'error')).toBe(true);
  expect(result.runs.filter((r) => r.account === 'prod-web').every((r) => r.status === 'pass')).toBe(true);
});

it('reports a call denied inside an account as that check not run, with the permission to grant', async () => {
  const tamper = (name: string, a: Answers): Answers => (name === 'management' ? { ...a, GetTrailStatusCommand: () => Promise.reject(awsError('AccessDeniedException', 'not authorized')) } : a);
  const result = await runVerify({ organization, accounts, factory: factory({ tamper }), settings: SETTINGS, now: NOW });
  expect(exitCode(result)).toBe(2);
  expect(result.findings).toEqual([expect.objectContaining({ check: 'trail-logging', status: 'error', account: 'management', fix: expect.stringContaining('cloudtrail:GetTrailStatus') })]);
});

it('runs at most `concurrency` checks at once', async () => {
  let running = 0;
  let peak = 0;
  const tasks = Array.from({ length: 50 }, () => async () => {
    peak = Math.max(peak, ++running);
    await new Promise((r) => setTimeout(r, 2));
    running--;
  });
  await boundedAll(tasks, 7);
  expect(peak).toBe(7);
});
