/** Every ACTIVE account of the organization is in the config (or in `verify.ignoreAccounts`), and every configured account is ACTIVE in it. */
import { ListAccountsCommand, type Account } from '@aws-sdk/client-organizations';
import { allPages, errorName, type Check } from '../types';

export const organizationAccounts: Check = {
  id: 'organization-accounts',
  title: 'Every ACTIVE account of the organization is in the config',
  severity: 'high',
  actions: ['organizations:ListAccounts'],
  applies: (account, region) => account.plan.role === 'management' && region === account.plan.primaryRegion,
  async run({ clients, organization, settings }) {
    let accounts: Account[];
    try {
      accounts = await allPages<Account>(async (NextToken) => {
        const page = await clients.organizations.send(new ListAccountsCommand({ NextToken }));
        return { items: page.Accounts, next: page.NextToken };
      });
    } catch (e) {
      if (errorName(e) !== 'AWSOrganizationsNotInUseException') throw e;
      return [{ severity: 'critical', resource: `organization ${organization.organizationId}`, expected: 'the management account in an organization', found: 'this account is not in an organization', fix: 'check organization.managementAccount in trailwatch.yaml (README "Trail" lists the organization prerequisites)' }];
    }
    const configured = new Set(organization.accounts.map((a) => a.accountId));
    const ignored = new Set(settings.ignoreAccounts);
    const state = (a: Account) => a.State ?? a.Status;
    const active = new Set(accounts.filter((a) => state(a) === 'ACTIVE').map((a) => a.Id));
    return [
      ...accounts
        .filter((a) => state(a) === 'ACTIVE' && a.Id && !configured.has(a.Id) && !ignored.has(a.Id))
        .map((a) => ({
          resource: `account ${a.Id} (${a.Name ?? 'no name'})`,
          expected: 'every ACTIVE account in trailwatch.yaml (accounts:) or in verify.ignoreAccounts',
          found: 'ACTIVE in the organization, in neither list: nothing watches it',
          fix: `add it to accounts: in trailwatch.yaml and deploy its stack, or list "${a.Id}" under verify.ignoreAccounts`,
        })),
      ...organization.accounts
        .filter((a) => !active.has(a.accountId))
        .map((a) => ({
          severity: 'medium' as const,
          resource: `account ${a.accountId} (${a.stackName})`,
          expected: 'an ACTIVE account of the organization',
          found: accounts.some((x) => x.Id === a.accountId) ? `${state(accounts.find((x) => x.Id === a.accountId)!) ?? 'unknown state'}` : 'not in the organization',
          fix: 'correct its id in trailwatch.yaml, or remove the account from it',
        })),
    ];
  },
};
