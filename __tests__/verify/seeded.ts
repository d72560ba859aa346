/**
 * A verify result over the example organization on the fake AWS with three seeded faults: a rule
 * disabled in prod-web eu-west-1, a subscription left unconfirmed in management us-east-1, and
 * prod-payments unreachable (role cannot be assumed).
 */
import { loadConfigFile } from '../../lib/config/load';
import type { ParsedConfig } from '../../lib/config/schema';
import { planOrganization } from '../../lib/core/organization';
import { planAccounts } from '../../lib/verify/planned';
import { runVerify, type VerifyResult } from '../../lib/verify/run';
import { EXAMPLE_CONFIG } from '../support/example';
import { awsError, deployedAsPlanned, fakeClients, type Answers, TEST_SETTINGS } from './fake-aws';
import { planAll } from '../../lib/plan/plan';

export const SEEDED_NOW = new Date('2026-12-07T12:00:00Z');

export async function seededResult(): Promise<{ config: ParsedConfig; result: VerifyResult }> {
  const config = loadConfigFile(EXAMPLE_CONFIG);
  const organization = planOrganization(config);
  const accounts = await planAccounts(planAll(config));
  const ids = organization.accounts.map((a) => a.accountId);
  const tamper = (name: string, region: string, a: Answers): Answers => {
    if (name === 'prod-web' && region === 'eu-west-1') {
      return { ...a, ListRulesCommand: (i) => ({ Rules: (a.ListRulesCommand(i) as any).Rules.map((r: any) => (r.Name === 'trailwatch-cloudtrail-config-changes' ? { ...r, State: 'DISABLED' } : r)) }) };
    }
    if (name === 'management' && region === 'us-east-1') {
      return { ...a, ListSubscriptionsByTopicCommand: (i) => ({ Subscriptions: (a.ListSubscriptionsByTopicCommand(i) as any).Subscriptions.map((s: any) => ({ ...s, SubscriptionArn: 'PendingConfirmation' })) }) };
    }
    return a;
  };
  const result = await runVerify({
    organization,
    accounts,
    factory: {
      clients: (plan, region) => fakeClients(tamper(plan.stackName, region, deployedAsPlanned(accounts.find((a) => a.plan.accountId === plan.accountId)!, SEEDED_NOW, ids))),
      signIn: async (plan) => {
        if (plan.stackName === 'prod-payments') throw awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole');
      },
    },
    settings: TEST_SETTINGS,
    now: SEEDED_NOW,
  });
  return { config, result };
}
