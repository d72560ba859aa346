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
import type { AttackMapping, Control, DetectionKind } from './types';
import { THREAT_CATALOG } from './threats';

export * from './types';
export * from './condition';
export { canMatchWithheldReadOnlyCall, isWithheldReadOnlyName, ruleStateFor, WITHHELD_READ_ONLY_PREFIXES } from './read-only';
export { andCloudWatchPattern, cloudWatchPatternFor, CLOUDWATCH_PATTERN_MAX_LENGTH, jsonPatternBody, renderCloudWatchPattern } from './render/cloudwatch';

export { THREAT_CATALOG, THREAT_IDS } from './threats';

/**
 * MITRE ATT&CK ids of the CIS controls that detect a technique (for `trailwatch coverage`). The
 * network-change controls (gateways, route tables, VPCs) are configuration hygiene without one
 * technique, so they are left untagged. https://attack.mitre.org/matrices/enterprise/cloud/iaas/
 */
const CIS_ATTACK: Readonly<Record<string, AttackMapping>> = {
  'unauthorized-api-calls': { tactics: ['TA0007'], techniques: ['T1580'] },
  'console-signin-without-mfa': { tactics: ['TA0001'], techniques: ['T1078.004'] },
  'root-account-usage': { tactics: ['TA0001', 'TA0004'], techniques: ['T1078.004'] },
  'iam-policy-changes': { tactics: ['TA0003', 'TA0004'], techniques: ['T1098.003'] },
  'cloudtrail-config-changes': { tactics: ['TA0005'], techniques: ['T1562.008'] },
  'console-auth-failures': { tactics: ['TA0006'], techniques: ['T1110'] },
  'kms-key-disable-or-deletion': { tactics: ['TA0040'], techniques: ['T1485'] },
  's3-bucket-policy-changes': { tactics: ['TA0010'], techniques: ['T1537'] },
  'aws-config-changes': { tactics: ['TA0005'], techniques: ['T1562.001'] },
  'security-group-changes': { tactics: ['TA0005'], techniques: ['T1562.007'] },
  'nacl-changes': { tactics: ['TA0005'], techniques: ['T1562.007'] },
  'organizations-changes': { tactics: ['TA0005', 'TA0004'], techniques: ['T1666'] },
};

const cis = (c: Control): Control => ({ ...c, kind: 'cis', ...(CIS_ATTACK[c.id] ? { attack: CIS_ATTACK[c.id] } : {}) });

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
].map(cis);

export const CONTROL_IDS: readonly string[] = CATALOG.map((c) => c.id);

/** Where a catalog detection comes from (`kind`, which defaults to 'cis'). */
export const kindOf = (c: Control): DetectionKind => c.kind ?? 'cis';

const BY_ID: ReadonlyMap<string, Control> = new Map([...CATALOG, ...THREAT_CATALOG].map((c) => [c.id, c]));

/** The CIS control or threat detection with this id, or undefined. */
export function controlById(id: string): Control | undefined {
  return BY_ID.get(id);
}
