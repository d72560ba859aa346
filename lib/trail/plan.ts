/**
 * Where the trail lives and where it delivers to CloudWatch Logs. Shared by the trail feature and
 * by monitoring (which attaches metric filters to that log group). Placeholder values until the
 * trail issue: organization mode, management account, home region.
 */
import type { AccountPlan, OrganizationPlan } from '../plan/account-plan';

export interface LogDelivery {
  /** Name of the CloudWatch Logs group the trail delivers to (created by trailwatch or existing). */
  readonly logGroupName: string;
  /** Region of that log group: monitoring resources go through this region's provider. */
  readonly region: string;
}

export const DEFAULT_LOG_GROUP_NAME = 'aws-cloudtrail-logs/trailwatch';

/** The log group whose events this account's stack monitors, or undefined if none. */
export function logDeliveryFor(org: OrganizationPlan, account: AccountPlan): LogDelivery | undefined {
  if (account.role !== 'management') return undefined;
  return { logGroupName: DEFAULT_LOG_GROUP_NAME, region: org.homeRegion };
}
