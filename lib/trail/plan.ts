/**
 * Where the trail lives, what its resources are called, and where it delivers to CloudWatch Logs.
 * Pure functions of the validated config / organization plan: every account stack derives the same
 * names, so stacks deployed to different accounts (separate states) wire together without
 * cross-stack references. Shared by the trail feature, the config checks and monitoring.
 */
import type { AccountPlan, OrganizationPlan } from '../core/organization';

import { DEFAULT_LOG_GROUP_NAME, DEFAULT_TRAIL_MODE, DEFAULT_TRAIL_NAME, type TrailMode, type TrailSections } from './schema';

export { DEFAULT_LOG_GROUP_NAME, DEFAULT_TRAIL_NAME, TRAIL_MODES, type TrailMode } from './schema';

/** Alias of the archive's KMS key in the log-archive account; other accounts' stacks look the key up by it. */
export const ARCHIVE_KEY_ALIAS = 'alias/trailwatch-cloudtrail';

export interface LogDelivery {
  /** Name of the CloudWatch Logs group the trail delivers to; with `lookup: 'prefix'`, a prefix of it. */
  readonly logGroupName: string;
  /** Region of that log group: monitoring resources go through this region's provider. */
  readonly region: string;
  /**
   * How `logGroupName` finds the group: its exact name, or a prefix matching exactly one group
   * (`mode: existing` with `logGroupNamePrefix`; `stack.logDelivery.logGroupName` is then a token).
   * @default 'name'
   */
  readonly lookup?: 'name' | 'prefix';
}

/** A trail trailwatch creates: in which stack, account and region, and its ARN. */
export interface TrailLocation {
  readonly stackName: string;
  readonly accountId: string;
  /** Home region of the trail (where it is created; a multi-region trail still records every region). */
  readonly region: string;
  readonly arn: string;
}

export function trailMode(config: TrailSections): TrailMode {
  return config.trail?.mode ?? DEFAULT_TRAIL_MODE;
}

export function trailName(config: TrailSections): string {
  return config.trail?.name ?? DEFAULT_TRAIL_NAME;
}

/** The log group the trail delivers to (trailwatch creates it; `mode: existing` names its own). */
export function logGroupName(config: TrailSections): string {
  return config.trail?.cloudWatchLogs?.logGroupName ?? DEFAULT_LOG_GROUP_NAME;
}

export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** Names of the archive bucket and its access-log bucket (log-archive account, home region). */
export function archiveBucketNames(config: TrailSections): { readonly archive: string; readonly accessLogs: string } {
  const id = config.organization.logArchiveAccount.id;
  const region = config.organization.homeRegion;
  return {
    archive: config.trail?.archive?.bucketName ?? `trailwatch-cloudtrail-${id}-${region}`,
    accessLogs: config.trail?.archive?.accessLogs?.bucketName ?? `trailwatch-access-logs-${id}-${region}`,
  };
}

/**
 * The archive key's alias ARN, known before the key exists (its key ARN is random). Trail stacks in
 * other accounts resolve it to the key ARN at plan time: the trail itself must get the key ARN.
 */
export function archiveKeyAliasArn(config: TrailSections): string {
  return `arn:aws:kms:${config.organization.homeRegion}:${config.organization.logArchiveAccount.id}:${ARCHIVE_KEY_ALIAS}`;
}

/** Every trail trailwatch creates: organization mode one, account mode one per account, existing none. */
export function trailLocations(org: OrganizationPlan<TrailSections>): TrailLocation[] {
  const mode = trailMode(org.config);
  const name = trailName(org.config);
  const at = (a: AccountPlan): TrailLocation => {
    // The stack's primary region: the home region wherever the account is governed there.
    const region = a.primaryRegion;
    return { stackName: a.stackName, accountId: a.accountId, region, arn: trailArn(region, a.accountId, name) };
  };
  if (mode === 'organization') return org.accounts.filter((a) => a.role === 'management').map(at);
  if (mode === 'account') return org.accounts.map(at);
  return [];
}

/** The trail this account's stack creates, if any. */
export function trailLocationFor(org: OrganizationPlan<TrailSections>, account: AccountPlan): TrailLocation | undefined {
  return trailLocations(org).find((t) => t.stackName === account.stackName);
}

/** Whether this account's stack holds the log archive (organization and account modes). */
export function holdsArchive(org: OrganizationPlan<TrailSections>, account: AccountPlan): boolean {
  return trailMode(org.config) !== 'existing' && account.role === 'log-archive';
}

/** The log group whose events this account's stack monitors, or undefined if none. */
export function logDeliveryFor(org: OrganizationPlan<TrailSections>, account: AccountPlan): LogDelivery | undefined {
  const config = org.config;
  const mode = trailMode(config);
  if (mode === 'existing') {
    const e = config.trail?.existing;
    if (!e) return undefined;
    if (account.stackName !== (e.account ?? config.organization.managementAccount.name)) return undefined;
    const region = e.region ?? org.homeRegion;
    return e.logGroupName !== undefined
      ? { logGroupName: e.logGroupName, region, lookup: 'name' }
      : { logGroupName: e.logGroupNamePrefix ?? '', region, lookup: 'prefix' };
  }
  const trail = trailLocationFor(org, account);
  if (!trail) return undefined;
  return { logGroupName: logGroupName(config), region: trail.region, lookup: 'name' };
}
