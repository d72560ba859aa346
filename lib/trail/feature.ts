/**
 * Stack feature: the trail, its log archive and CloudWatch Logs delivery. Reads only the plan:
 *
 * - log-archive stack (organization and account modes): the LogArchive (buckets and key);
 * - the stack(s) owning a trail (organization: management; account: every stack): the log group,
 *   its role, the optional notification topic, and the trail;
 * - organization mode, management stack: trusted access for CloudTrail, checked or managed;
 * - `mode: existing`: the named account's stack looks up the existing log group.
 *
 * It returns the log delivery of the stack that owns (or attaches to) the log group: the account
 * stack hands it to monitoring.
 *
 * Construct ids (`log-archive`, `cloudwatch-logs`, `notifications`, `trail`, `existing-log-group`,
 * `archive-key`, `organization-access`) are part of the public contract: changing one replaces
 * the resource in every account.
 */
import { DataAwsKmsKey } from '@cdktf/provider-aws/lib/data-aws-kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { AccountPlan, OrganizationPlan } from '../core/organization';
import type { RegionalProviders } from '../providers/regional-providers';
import type { QueryPlan } from '../query/plan';
import { archiveAccess } from './archive-policies';
import { CloudWatchLogsDelivery } from './cloudwatch-logs-delivery';
import { ExistingLogGroup } from './existing-log-group';
import { LogArchive } from './log-archive';
import { OrganizationTrustedAccess } from './organization-access';
import { archiveBucketNames, archiveKeyAliasArn, ARCHIVE_KEY_ALIAS, holdsArchive, logDeliveryFor, trailLocationFor, trailMode, trailName } from './plan';
import type { TrailSections } from './schema';
import { planSelectors } from './selectors';
import { Trail } from './trail';
import { TrailNotifications } from './trail-notifications';

/** The CloudWatch Logs group this stack's trail delivers to (created here or an existing one). */
export interface StackLogDelivery {
  /** Log group name; may be a Terraform token when looked up by prefix at plan time. */
  readonly logGroupName: string;
  /** The same name as a reference to the group's resource (or data source), so dependents are created after it. */
  readonly logGroupNameReference: string;
  /** Log group ARN (token), for policies. */
  readonly logGroupArn: string;
  readonly region: string;
  /** Provider of `region`: monitoring resources must use it. */
  readonly provider: AwsProvider;
}

export interface TrailFeatureProps {
  readonly account: AccountPlan;
  readonly organization: OrganizationPlan<TrailSections>;
  /** The archive query plan: its role is granted read of the archive. */
  readonly query: QueryPlan | undefined;
  readonly providers: RegionalProviders;
}

export interface TrailFeatureOutput {
  /** Set in the stack that owns (or attaches to) the trail's log group; monitoring watches it. */
  readonly logDelivery?: StackLogDelivery;
}

export function trailFeature(stack: Construct, props: TrailFeatureProps): TrailFeatureOutput {
  const { account, providers } = props;
  const org = props.organization;
  const config = org.config;
  const t = config.trail;
  const mode = trailMode(config);
  const names = archiveBucketNames(config);

  let archive: LogArchive | undefined;
  if (holdsArchive(org, account)) {
    const access = archiveAccess(org, props.query);
    archive = new LogArchive(stack, 'log-archive', {
      provider: providers.forRegion(org.homeRegion),
      accountId: account.accountId,
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

  const delivery = logDeliveryFor(org, account);
  if (!delivery) return {};
  const provider = providers.forRegion(delivery.region);

  if (mode === 'existing') {
    const group = new ExistingLogGroup(stack, 'existing-log-group', {
      provider,
      accountId: account.accountId,
      region: delivery.region,
      ...(delivery.lookup === 'prefix' ? { logGroupNamePrefix: delivery.logGroupName } : { logGroupName: delivery.logGroupName }),
    });
    return { logDelivery: { logGroupName: group.logGroupName, logGroupNameReference: group.logGroupNameReference, logGroupArn: group.logGroupArn, region: delivery.region, provider } };
  }

  const location = trailLocationFor(org, account)!;
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
    new DataAwsKmsKey(stack, 'archive-key', { provider: providers.ensure(org.homeRegion), keyId: archiveKeyAliasArn(config) }).arn;
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

  return { logDelivery: { logGroupName: logs.logGroupName, logGroupNameReference: logs.logGroupNameReference, logGroupArn: logs.logGroupArn, region: location.region, provider } };
}
