/**
 * Stack feature: the trail, its log archive and CloudWatch Logs delivery. Reads only the plan:
 *
 * - log-archive stack (organization and account modes): the LogArchive (buckets and key);
 * - the stack(s) owning a trail (organization: management; account: every stack): the log group,
 *   its role, the optional notification topic, and the trail;
 * - organization mode, management stack: trusted access for CloudTrail, checked or managed;
 * - `mode: existing`: the named account's stack looks up the existing log group.
 *
 * The stack that owns (or attaches to) the log group sets `stack.logDelivery` for monitoring.
 *
 * Construct ids (`log-archive`, `cloudwatch-logs`, `notifications`, `trail`, `existing-log-group`,
 * `archive-key`, `organization-access`) are part of the public contract: changing one replaces
 * the resource in every account.
 */
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import type { AccountStack } from '../stacks/account-stack';
import { archiveAccess } from './archive-policies';
import { CloudWatchLogsDelivery } from './cloudwatch-logs-delivery';
import { ExistingLogGroup } from './existing-log-group';
import { LogArchive } from './log-archive';
import { OrganizationTrustedAccess } from './organization-access';
import { archiveBucketNames, archiveKeyAliasArn, ARCHIVE_KEY_ALIAS, holdsArchive, logDeliveryFor, trailLocationFor, trailMode, trailName } from './plan';
import { planSelectors } from './selectors';
import { Trail } from './trail';
import { TrailNotifications } from './trail-notifications';

export function trailFeature(stack: AccountStack): void {
  const org = stack.organization;
  const config = org.config;
  const t = config.trail;
  const mode = trailMode(config);
  const names = archiveBucketNames(config);

  let archive: LogArchive | undefined;
  if (holdsArchive(org, stack.plan)) {
    const access = archiveAccess(org);
    archive = new LogArchive(stack, 'log-archive', {
      provider: stack.providers.forRegion(org.homeRegion),
      accountId: stack.plan.accountId,
      region: org.homeRegion,
      bucketName: names.archive,
      accessLogsBucketName: names.accessLogs,
      // Trails in other accounts look the key up by its alias ARN at plan time (see below).
      ...access,
      keyAlias: ARCHIVE_KEY_ALIAS,
      transitions: t?.archive?.lifecycle?.transitions,
      expirationDays: t?.archive?.lifecycle?.expirationDays,
      noncurrentExpirationDays: t?.archive?.lifecycle?.noncurrentExpirationDays,
      transitionMinimumSize: t?.archive?.lifecycle?.transitionDefaultMinimumObjectSize,
      objectLock: t?.archive?.objectLock,
      accessLogsExpirationDays: t?.archive?.accessLogs?.expirationDays,
      preventDestroy: t?.archive?.preventDestroy,
    });
  }

  const delivery = logDeliveryFor(org, stack.plan);
  if (!delivery) return;
  const provider = stack.providers.forRegion(delivery.region);

  if (mode === 'existing') {
    const group = new ExistingLogGroup(stack, 'existing-log-group', {
      provider,
      accountId: stack.plan.accountId,
      region: delivery.region,
      ...(delivery.lookup === 'prefix' ? { logGroupNamePrefix: delivery.logGroupName } : { logGroupName: delivery.logGroupName }),
    });
    stack.logDelivery = { logGroupName: group.logGroupName, logGroupArn: group.logGroupArn, region: delivery.region, provider };
    return;
  }

  const location = trailLocationFor(org, stack.plan)!;
  const name = trailName(config);
  const logs = new CloudWatchLogsDelivery(stack, 'cloudwatch-logs', {
    provider,
    accountId: location.accountId,
    region: location.region,
    logGroupName: delivery.logGroupName,
    roleName: `${name}-cloudwatch-logs`,
    retentionDays: t?.cloudWatchLogs?.retentionDays,
  });
  const notifications = t?.snsNotification
    ? new TrailNotifications(stack, 'notifications', {
        provider,
        accountId: location.accountId,
        region: location.region,
        trailArn: location.arn,
        topicName: t.snsTopicName ?? `${name}-log-delivery`,
      })
    : undefined;

  // CloudTrail stores and returns the key ARN: given the alias ARN, every plan would change the
  // trail. The archive's own stack knows the key; other stacks resolve the alias ARN (DescribeKey,
  // allowed by the key policy) through a provider of the key's region in their own account.
  const kmsKeyId =
    archive?.keyArn ??
    new DataAwsKmsKey(stack, 'archive-key', { provider: stack.providers.ensure(org.homeRegion), keyId: archiveKeyAliasArn(config) }).arn;
  const access =
    mode === 'organization'
      ? new OrganizationTrustedAccess(stack, 'organization-access', {
          provider,
          organizationId: org.organizationId,
          ...(t?.trustedAccess?.manage === true ? { servicePrincipals: t.trustedAccess.servicePrincipals ?? [] } : {}),
        })
      : undefined;

  const selectors = planSelectors(t, names);
  new Trail(stack, 'trail', {
    provider,
    trailName: name,
    s3BucketName: names.archive,
    kmsKeyId,
    cloudWatchLogsGroupArn: logs.logGroupArn,
    cloudWatchLogsRoleArn: logs.roleArn,
    isMultiRegionTrail: t?.multiRegion,
    includeGlobalServiceEvents: t?.includeGlobalServiceEvents,
    enableLogFileValidation: t?.logFileValidation,
    isOrganizationTrail: mode === 'organization',
    snsTopicName: notifications?.topicName,
    ...(selectors.kind === 'basic' ? { eventSelectors: selectors.eventSelectors } : { advancedEventSelectors: selectors.advancedEventSelectors }),
    insightTypes: t?.insights,
    // In the log-archive account's own stack (mode: account) the trail also waits for its bucket and key.
    dependsOn: [...logs.readyForTrail, ...(notifications?.readyForTrail ?? []), ...(archive?.readyForTrail ?? []), ...(access?.readyForTrail ?? [])],
    preconditions: access?.trailPreconditions,
  });

  stack.logDelivery = { logGroupName: logs.logGroupName, logGroupArn: logs.logGroupArn, region: location.region, provider };
}
