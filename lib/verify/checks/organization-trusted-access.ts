/** CloudTrail has trusted access in AWS Organizations (an organization trail needs it). */
import { ListAWSServiceAccessForOrganizationCommand, type EnabledServicePrincipal } from '@aws-sdk/client-organizations';
import { resourcesOf } from '../planned';
import { allPages, type Check } from '../types';

const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

export const organizationTrustedAccess: Check = {
  id: 'organization-trusted-access',
  title: 'CloudTrail has trusted access in AWS Organizations',
  severity: 'critical',
  actions: ['organizations:ListAWSServiceAccessForOrganization'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudtrail', region).some((t) => t.values.is_organization_trail === true),
  async run({ clients }) {
    const enabled = await allPages<EnabledServicePrincipal>(async (NextToken) => {
      const page = await clients.organizations.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken }));
      return { items: page.EnabledServicePrincipals, next: page.NextToken };
    });
    if (enabled.some((p) => p.ServicePrincipal === CLOUDTRAIL)) return [];
    return [
      {
        resource: 'organization',
        expected: `trusted access for ${CLOUDTRAIL}`,
        found: 'not enabled: the organization trail stops logging member accounts',
        fix: `with management account credentials: aws organizations enable-aws-service-access --service-principal ${CLOUDTRAIL}`,
      },
    ];
  },
};
