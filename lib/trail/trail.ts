/**
 * A CloudTrail trail with trailwatch's secure defaults, each written explicitly into the output
 * (so a reviewer, and a posture check, sees every setting): multi-region, global service events,
 * log file validation, KMS encryption, logging on, all management events, both Insights types.
 */
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ITerraformDependable, Precondition } from 'cdktf';
import { Construct } from 'constructs';
import type { AdvancedEventSelector, EventSelector, FieldSelector } from './selectors';
import { DEFAULT_INSIGHT_TYPES, DEFAULT_READ_WRITE_TYPE } from './schema';

export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';

export interface TrailProps {
  /** Provider of the trail's account, in its home region. */
  readonly provider: AwsProvider;
  /** Trail name. */
  readonly trailName: string;
  /** Bucket the log files go to (may be in another account). */
  readonly s3BucketName: string;
  /**
   * KMS key that encrypts log and digest files, as its key ARN (may be in another account).
   * Required: trailwatch never creates an unencrypted trail. CloudTrail accepts an alias ARN but
   * stores and returns the key ARN, so an alias ARN here changes the trail on every plan.
   */
  readonly kmsKeyId: string;
  /**
   * Log group the trail also delivers to, as its ARN without the `:*` suffix (the construct adds
   * the log-stream wildcard CloudTrail requires).
   * @default no CloudWatch Logs delivery
   */
  readonly cloudWatchLogsGroupArn?: string;
  /** Role CloudTrail assumes to write to the log group; required with `cloudWatchLogsGroupArn`. @default none */
  readonly cloudWatchLogsRoleArn?: string;
  /** Record every region (and regions added later) in this one trail. @default true */
  readonly isMultiRegionTrail?: boolean;
  /** Include events of global services (IAM, STS, CloudFront). @default true */
  readonly includeGlobalServiceEvents?: boolean;
  /** Write signed digest files to prove log files are unchanged. @default true */
  readonly enableLogFileValidation?: boolean;
  /** Whether the trail records events. @default true */
  readonly enableLogging?: boolean;
  /** An organization trail (created in the management account; logs every member account). @default false */
  readonly isOrganizationTrail?: boolean;
  /** SNS topic notified of each log file delivery. @default no notification */
  readonly snsTopicName?: string;
  /**
   * Basic event selectors. Mutually exclusive with `advancedEventSelectors`.
   * @default all read and write management events, when advancedEventSelectors is not given
   */
  readonly eventSelectors?: readonly EventSelector[];
  /** Advanced event selectors. Mutually exclusive with `eventSelectors`. @default none */
  readonly advancedEventSelectors?: readonly AdvancedEventSelector[];
  /** Insights types; an empty list turns Insights off. @default [ApiCallRateInsight, ApiErrorRateInsight] */
  readonly insightTypes?: readonly InsightType[];
  /** Resources that must exist before the trail (bucket policy, key, role policy). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Conditions Terraform checks before planning the trail, each failing the plan with its message. @default none */
  readonly preconditions?: readonly Precondition[];
}

export class Trail extends Construct {
  readonly trailName: string;
  /** ARN of the trail (a token). */
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: TrailProps) {
    super(scope, id);
    if (props.eventSelectors && props.advancedEventSelectors) {
      throw new Error(`trail ${props.trailName}: eventSelectors and advancedEventSelectors are mutually exclusive; pass one of them`);
    }
    if ((props.cloudWatchLogsGroupArn === undefined) !== (props.cloudWatchLogsRoleArn === undefined)) {
      throw new Error(`trail ${props.trailName}: cloudWatchLogsGroupArn and cloudWatchLogsRoleArn go together; pass both or neither`);
    }
    const basic = props.advancedEventSelectors ? undefined : (props.eventSelectors ?? [{ readWriteType: DEFAULT_READ_WRITE_TYPE, includeManagementEvents: true }]);

    const trail = new Cloudtrail(this, 'trail', {
      provider: props.provider,
      name: props.trailName,
      s3BucketName: props.s3BucketName,
      kmsKeyId: props.kmsKeyId,
      isMultiRegionTrail: props.isMultiRegionTrail ?? true,
      includeGlobalServiceEvents: props.includeGlobalServiceEvents ?? true,
      enableLogFileValidation: props.enableLogFileValidation ?? true,
      enableLogging: props.enableLogging ?? true,
      isOrganizationTrail: props.isOrganizationTrail ?? false,
      ...(props.cloudWatchLogsGroupArn !== undefined
        ? { cloudWatchLogsGroupArn: `${props.cloudWatchLogsGroupArn}:*`, cloudWatchLogsRoleArn: props.cloudWatchLogsRoleArn }
        : {}),
      ...(props.snsTopicName !== undefined ? { snsTopicName: props.snsTopicName } : {}),
      ...(basic
        ? {
            eventSelector: basic.map((s) => ({
              readWriteType: s.readWriteType,
              includeManagementEvents: s.includeManagementEvents,
              ...(s.excludeManagementEventSources?.length ? { excludeManagementEventSources: [...s.excludeManagementEventSources] } : {}),
              ...(s.dataResources?.length ? { dataResource: s.dataResources.map((r) => ({ type: r.type, values: [...r.values] })) } : {}),
            })),
          }
        : {}),
      ...(props.advancedEventSelectors
        ? {
            advancedEventSelector: props.advancedEventSelectors.map((s) => ({
              ...(s.name !== undefined ? { name: s.name } : {}),
              fieldSelector: s.fieldSelectors.map(renderFieldSelector),
            })),
          }
        : {}),
      insightSelector: (props.insightTypes ?? DEFAULT_INSIGHT_TYPES).map((insightType) => ({ insightType })),
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      ...(props.preconditions?.length ? { lifecycle: { precondition: [...props.preconditions] } } : {}),
    });
    this.trailName = props.trailName;
    this.trailArn = trail.arn;
  }
}

function renderFieldSelector(f: FieldSelector) {
  const list = (xs: readonly string[] | undefined) => (xs ? [...xs] : undefined);
  return {
    field: f.field,
    equalTo: list(f.equals),
    notEquals: list(f.notEquals),
    startsWith: list(f.startsWith),
    notStartsWith: list(f.notStartsWith),
    endsWith: list(f.endsWith),
    notEndsWith: list(f.notEndsWith),
  };
}
