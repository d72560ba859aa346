/** The generated read-only policy covers every call verify's checks make, and README shows it as generated. */
import * as fs from 'fs';
import * as path from 'path';
import { loadConfigFile } from '../../lib/config/load';
import { planOrganization } from '../../lib/core/organization';
import { CHECKS } from '../../lib/verify/checks';
import { planAccounts } from '../../lib/verify/planned';
import { verifyPolicy, verifyPolicyText } from '../../lib/verify/policy';
import { runVerify } from '../../lib/verify/run';
import { runCli } from '../support/cli';
import { EXAMPLE_CONFIG } from '../support/example';
import { deployedAsPlanned, fakeClients, type Call, TEST_SETTINGS } from './fake-aws';
import { planAll } from '../../lib/plan/plan';

/** IAM action of an SDK v3 command, from the Service Authorization Reference (S3's differ from their API names). */
const PREFIX = { cloudtrail: 'cloudtrail', cloudwatch: 'cloudwatch', logs: 'logs', events: 'events', lambda: 'lambda', organizations: 'organizations', s3: 's3', sns: 'sns' } as const;
const S3_ACTIONS: Record<string, string> = {
  GetBucketEncryption: 'GetEncryptionConfiguration',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  ListObjectsV2: 'ListBucket',
};
const iamAction = (c: Call) => {
  const api = c.command.replace(/Command$/, '');
  return `${PREFIX[c.service]}:${c.service === 's3' ? (S3_ACTIONS[api] ?? api) : api}`;
};

test('the policy allows every call the checks make on the example organization, and nothing they do not make', async () => {
  const config = loadConfigFile(EXAMPLE_CONFIG);
  const organization = planOrganization(config);
  const accounts = await planAccounts(planAll(config));
  const calls: Call[] = [];
  const now = new Date('2026-12-07T12:00:00Z');
  const ids = organization.accounts.map((a) => a.accountId);
  await runVerify({
    organization,
    accounts,
    factory: { clients: (plan) => fakeClients(deployedAsPlanned(accounts.find((a) => a.plan.accountId === plan.accountId)!, now, ids), calls), signIn: async () => {} },
    settings: TEST_SETTINGS,
    now,
  });
  const made = [...new Set(calls.map(iamAction))].sort();
  const allowed = [verifyPolicy().Statement[0].Action].flat();
  expect(made.filter((a) => !allowed.includes(a))).toEqual([]);
  expect(allowed.filter((a) => !made.includes(a))).toEqual([]);
  expect(allowed.every((a) => /^[a-z0-9-]+:(Describe|Get|List)/.test(a))).toBe(true);
  expect(CHECKS.every((c) => c.actions.length > 0)).toBe(true);
});

test('README "Verify" shows the generated policy, and verify --print-policy prints it', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(readme).toContain(verifyPolicyText());
  const r = await runCli(['verify', '--print-policy']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(verifyPolicyText());
});
