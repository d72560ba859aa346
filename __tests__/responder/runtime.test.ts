/**
 * The responder's Lambda runtime against AWS's deprecation schedule (lib/responder/runtimes.ts):
 * CreateFunction refuses a runtime from its block-create date on, so the first deploy would fail.
 */
import { TerraformStack, Testing } from 'cdktf';
import { planOrganization } from '../../lib/core/organization';
import { InsightsResponder } from '../../lib/responder/insights-responder';
import { creatableOn, LAMBDA_RUNTIMES_SOURCE, NODE_RUNTIMES, RESPONDER_RUNTIME, scheduleOf } from '../../lib/responder/runtimes';
import { RegionalProviders } from '../../lib/providers/regional-providers';
import { minimalConfig } from '../support/configs';

function responderStack(runtime?: string) {
  const account = planOrganization(minimalConfig()).accounts[0];
  const stack = new TerraformStack(Testing.app(), account.stackName);
  const providers = new RegionalProviders(stack, 'providers', { accountId: account.accountId, regions: account.regions, primaryRegion: account.primaryRegion, access: account.access, tags: account.tags });
  new InsightsResponder(stack, 'responder', {
    provider: providers.primary,
    accountId: '111111111111',
    topicArn: 'arn:aws:sns:us-east-1:111111111111:trailwatch-alerts',
    topicKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/k',
    ...(runtime !== undefined ? { runtime } : {}),
  });
  return JSON.parse(Testing.synth(stack)) as Record<string, any>;
}

describe('responder runtime', () => {
  test(`${RESPONDER_RUNTIME} can still be created today (block-create date not past); otherwise move to a newer runtime, see ${LAMBDA_RUNTIMES_SOURCE}`, () => {
    const s = scheduleOf(RESPONDER_RUNTIME)!;
    expect({ runtime: RESPONDER_RUNTIME, blockCreate: s.blockCreate, creatableToday: creatableOn(RESPONDER_RUNTIME, new Date()) }).toEqual({
      runtime: RESPONDER_RUNTIME,
      blockCreate: s.blockCreate,
      creatableToday: true,
    });
  });

  test('it is the newest Node.js runtime that provider 5.100 accepts', () => {
    const accepted = NODE_RUNTIMES.filter((r) => r.provider5100).map((r) => r.runtime);
    expect(accepted[0]).toBe(RESPONDER_RUNTIME);
    expect(scheduleOf('nodejs24.x')?.provider5100).toBe(false);
  });

  test('nodejs20.x, the old default, is blocked for creation since 2026-06-01', () => {
    expect(creatableOn('nodejs20.x', new Date('2026-05-31T23:59:59Z'))).toBe(true);
    expect(creatableOn('nodejs20.x', new Date('2026-06-01T00:00:00Z'))).toBe(false);
  });

  test('each schedule is ordered: deprecation, then block create, then block update', () => {
    for (const r of NODE_RUNTIMES) expect([r.deprecation < r.blockCreate, r.blockCreate < r.blockUpdate]).toEqual([true, true]);
  });

  test('the function is synthesized with that runtime and no reserved concurrency by default', () => {
    const fn = Object.values(responderStack().resource.aws_lambda_function)[0] as Record<string, unknown>;
    expect(fn.runtime).toBe(RESPONDER_RUNTIME);
    expect(fn).not.toHaveProperty('reserved_concurrent_executions');
  });

  test('a runtime the provider refuses or without a known schedule is refused at synth', () => {
    expect(() => responderStack('nodejs24.x')).toThrow(/nodejs24\.x .*use nodejs22\.x/);
    expect(() => responderStack('python3.13')).toThrow(/python3\.13/);
  });
});
