/**
 * The optional automated responder: a Lambda function (code in ./lambda, zipped at synth by cdktf's
 * TerraformAsset) that EventBridge invokes for CloudTrail Insights events. Least privilege: it may
 * publish to one topic (and use that topic's KMS key) and write its own log group, nothing else.
 * Failed async invocations land in an encrypted SQS dead-letter queue.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import * as path from 'path';
import { LAMBDA_RUNTIMES_SOURCE, RESPONDER_RUNTIME, scheduleOf } from './runtimes';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';
import { policyJson } from '../core/policy';

export interface InsightsResponderProps {
  /** Provider of the account and region the function runs in (the Insights rule's region). */
  readonly provider: AwsProvider;
  /** Account id, for the trust policy's aws:SourceAccount condition. */
  readonly accountId: string;
  /** Topic the summaries are published to. */
  readonly topicArn: string;
  /** KMS key of that topic (publishing to an encrypted topic needs GenerateDataKey/Decrypt). */
  readonly topicKeyArn: string;
  /** Function name. @default trailwatch-insights-responder */
  readonly functionName?: string;
  /** A destructive API (name contains "Delete") at or above this many times its baseline is flagged. @default 50 */
  readonly destructiveMultiplier?: number;
  /** Below this many times the baseline the responder publishes nothing. @default 0 (publish every insight) */
  readonly minimumMultiplier?: number;
  /**
   * Reserved concurrency: caps what an insight storm can cost. Lambda refuses a reservation that
   * leaves the account fewer than 100 unreserved executions, so the default reserves nothing.
   * @default none
   */
  readonly reservedConcurrency?: number;
  /** Retention of the function's log group, in days. @default 365 */
  readonly logRetentionDays?: number;
  /** Lambda runtime; one of the Node.js runtimes in ./runtimes.ts that provider 5.100 accepts. @default RESPONDER_RUNTIME (nodejs22.x) */
  readonly runtime?: string;
}

export const DEFAULT_RESPONDER_NAME = 'trailwatch-insights-responder';

export class InsightsResponder extends Construct {
  readonly functionArn: string;
  readonly functionName: string;
  readonly deadLetterQueueArn: string;

  constructor(scope: Construct, id: string, props: InsightsResponderProps) {
    super(scope, id);
    const provider = props.provider;
    const name = props.functionName ?? DEFAULT_RESPONDER_NAME;
    const runtime = props.runtime ?? RESPONDER_RUNTIME;
    if (!scheduleOf(runtime)?.provider5100) {
      throw new Error(`responder runtime ${runtime} is not a Node.js runtime with a known deprecation schedule that hashicorp/aws 5.100 accepts; use ${RESPONDER_RUNTIME} (see ${LAMBDA_RUNTIMES_SOURCE})`);
    }

    const code = new TerraformAsset(this, 'code', { path: path.join(__dirname, 'lambda'), type: AssetType.ARCHIVE });

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      provider,
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_RETENTION_DAYS,
    });

    const dlq = new SqsQueue(this, 'dead-letters', {
      provider,
      name: `${name}-dead-letters`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600, // 14 days, the maximum: time to notice and replay
    });

    const role = new IamRole(this, 'role', {
      provider,
      name,
      assumeRolePolicy: policyJson([
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
          },
        ]),
    });

    new IamRolePolicy(this, 'policy', {
      provider,
      role: role.id,
      name: 'least-privilege',
      policy: policyJson([
          { Sid: 'PublishSummaries', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
          { Sid: 'EncryptForTopic', Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: props.topicKeyArn },
          { Sid: 'OwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` },
          { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: dlq.arn },
        ]),
    });

    const fn = new LambdaFunction(this, 'function', {
      provider,
      functionName: name,
      description: 'trailwatch: summarizes CloudTrail Insights events and flags destructive APIs',
      role: role.arn,
      runtime,
      handler: 'index.handler',
      filename: code.path,
      // The content hash of the source folder: stable across machines (the zip's bytes are not).
      sourceCodeHash: code.assetHash,
      timeout: 30,
      memorySize: 128,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      deadLetterConfig: { targetArn: dlq.arn },
      environment: {
        variables: {
          TOPIC_ARN: props.topicArn,
          DESTRUCTIVE_MULTIPLIER: String(props.destructiveMultiplier ?? 50),
          MINIMUM_MULTIPLIER: String(props.minimumMultiplier ?? 0),
        },
      },
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      dependsOn: [logGroup],
    });

    new LambdaFunctionEventInvokeConfig(this, 'async', {
      provider,
      functionName: fn.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
      destinationConfig: { onFailure: { destination: dlq.arn } },
    });

    this.functionArn = fn.arn;
    this.functionName = fn.functionName;
    this.deadLetterQueueArn = dlq.arn;
  }
}
