/**
 * The detection catalog: the CIS AWS Foundations Benchmark "Monitoring" controls as data, in
 * benchmark order. One control per file under ./controls (like cdk-nag's one rule per file).
 *
 * Exact Security Hub strings (`exactPatterns.securityhub`) are copied byte for byte from the AWS
 * Security Hub User Guide, "Amazon CloudWatch controls", CloudWatch.1-CloudWatch.14, remediation
 * step "Copy the following pattern" (the CIS v1.2.0 / v1.4.0 texts):
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
 * (source file doc_source/cloudwatch-controls.md of github.com/awsdocs/aws-security-hub-user-guide,
 * commit bda5bf7ddbdf498557b2ac6a538577528004e6d5). Security Hub fails the control unless the
 * filter pattern is exactly that string.
 */
import { awsConfigChanges } from './controls/aws-config-changes';
import { cloudtrailConfigChanges } from './controls/cloudtrail-config-changes';
import { consoleAuthFailures } from './controls/console-auth-failures';
import { consoleSigninWithoutMfa } from './controls/console-signin-without-mfa';
import { iamPolicyChanges } from './controls/iam-policy-changes';
import { kmsKeyDisableOrDeletion } from './controls/kms-key-disable-or-deletion';
import { naclChanges } from './controls/nacl-changes';
import { networkGatewayChanges } from './controls/network-gateway-changes';
import { organizationsChanges } from './controls/organizations-changes';
import { rootAccountUsage } from './controls/root-account-usage';
import { routeTableChanges } from './controls/route-table-changes';
import { s3BucketPolicyChanges } from './controls/s3-bucket-policy-changes';
import { securityGroupChanges } from './controls/security-group-changes';
import { unauthorizedApiCalls } from './controls/unauthorized-api-calls';
import { vpcChanges } from './controls/vpc-changes';
import type { Control } from './types';

export * from './types';
export * from './condition';
export { canMatchWithheldReadOnlyCall, isWithheldReadOnlyName, WITHHELD_READ_ONLY_PREFIXES } from './read-only';
export { andCloudWatchPattern, cloudWatchPatternFor, CLOUDWATCH_PATTERN_MAX_LENGTH, jsonPatternBody, renderCloudWatchPattern } from './render/cloudwatch';

/** Every control, in CIS order (4.1 ... 4.15). */
export const CATALOG: readonly Control[] = [
  unauthorizedApiCalls,
  consoleSigninWithoutMfa,
  rootAccountUsage,
  iamPolicyChanges,
  cloudtrailConfigChanges,
  consoleAuthFailures,
  kmsKeyDisableOrDeletion,
  s3BucketPolicyChanges,
  awsConfigChanges,
  securityGroupChanges,
  naclChanges,
  networkGatewayChanges,
  routeTableChanges,
  vpcChanges,
  organizationsChanges,
];

export const CONTROL_IDS: readonly string[] = CATALOG.map((c) => c.id);

const BY_ID: ReadonlyMap<string, Control> = new Map(CATALOG.map((c) => [c.id, c]));

/** The control with this id, or undefined. */
export function controlById(id: string): Control | undefined {
  return BY_ID.get(id);
}
