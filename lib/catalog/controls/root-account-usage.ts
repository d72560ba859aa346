import { equals, notEquals, notExists } from '../condition';
import type { Control } from '../types';

/**
 * CIS 3.3 / 4.3 / 5.3 (with the "avoid the root user" controls 1.1 / 1.7): anything the root
 * user does itself. Actions AWS services take on the root user's behalf (`invokedBy` set) and
 * service events are not root usage.
 */
export const rootAccountUsage: Control = {
  id: 'root-account-usage',
  title: 'Usage of the "root" user',
  cis: { 'v1.2.0': '3.3', 'v1.4.0': '4.3', 'v3.0.0': '4.3', 'v5.0.0': '5.3' },
  securityHubControl: 'CloudWatch.1',
  rationale: 'The root user has unrestricted access to every resource of the account; any use of it outside the few tasks that require it needs a look.',
  severity: 'critical',
  detection: {
    where: {
      all: [equals(['userIdentity', 'type'], 'Root'), notExists(['userIdentity', 'invokedBy']), notEquals(['eventType'], 'AwsServiceEvent')],
    },
  },
  exactPatterns: {
    // Security Hub CloudWatch.1 (CIS v1.2.0 3.3, v1.4.0 4.3), verbatim.
    securityhub: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  },
  // Root acts in any region (EC2, S3, ...), so not a global-service-only control.
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
  metricName: 'RootAccountUsage',
};
