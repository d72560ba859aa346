/**
 * The threat catalog as data: ids and metric names that cannot clash with the CIS controls,
 * well-formed ATT&CK ids, samples of both kinds, patterns CloudWatch accepts, and every technique
 * issue 13 lists mapped to a detection.
 */
import { CATALOG, CLOUDWATCH_PATTERN_MAX_LENGTH, cloudWatchPatternFor, controlById, detectionCondition, THREAT_CATALOG, THREAT_IDS } from '../../lib/catalog';
import { ruleStateFor } from '../../lib/eventbridge/plan';
import { lintFilterPattern } from '../../lib/filter-pattern';

const ALL = [...CATALOG, ...THREAT_CATALOG];

describe('threat catalog data', () => {
  test('ids and metric names are unique across CIS and threat detections, ids are kebab-case', () => {
    expect(new Set(ALL.map((c) => c.id)).size).toBe(ALL.length);
    expect(new Set(ALL.map((c) => c.metricName)).size).toBe(ALL.length);
    for (const id of THREAT_IDS) expect(id).toMatch(/^[a-z][a-z0-9-]{1,62}[a-z0-9]$/);
  });

  test.each(THREAT_CATALOG.map((c) => [c.id, c] as const))('%s: kind, ATT&CK ids, false positives, samples, a pattern CloudWatch accepts', (_id, c) => {
    expect(c.kind).toBe('threat');
    expect(c.attack!.tactics.length).toBeGreaterThan(0);
    for (const t of c.attack!.tactics) expect(t).toMatch(/^TA\d{4}$/);
    expect(c.attack!.techniques.length).toBeGreaterThan(0);
    for (const t of c.attack!.techniques) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(c.falsePositives!.length).toBeGreaterThan(0);
    expect(c.samples!.fires.length).toBeGreaterThan(0);
    expect(c.samples!.quiet.length).toBeGreaterThan(0);
    const pattern = cloudWatchPatternFor(c, 'cis');
    expect(pattern.length).toBeLessThanOrEqual(CLOUDWATCH_PATTERN_MAX_LENGTH);
    expect(lintFilterPattern(pattern).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('CIS controls keep kind cis; the ones tied to a technique carry its ATT&CK ids', () => {
    for (const c of CATALOG) expect(c.kind).toBe('cis');
    expect(controlById('cloudtrail-config-changes')!.attack).toEqual({ tactics: ['TA0005'], techniques: ['T1562.008'] });
    expect(controlById('vpc-changes')!.attack).toBeUndefined();
  });

  test('routine read calls alarm on volume, not on every call', () => {
    for (const id of ['secrets-harvesting', 'ssm-parameter-harvesting', 'ec2-password-data-retrieved']) expect(controlById(id)!.alarm!.threshold).toBeGreaterThan(1);
  });

  test('EventBridge rule state: Get* harvesting needs the wider state, GetFederationToken reaches ENABLED rules', () => {
    expect(ruleStateFor(detectionCondition(controlById('secrets-harvesting')!.detection))).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(ruleStateFor(detectionCondition(controlById('sts-federation-token')!.detection))).toBe('ENABLED');
    expect(ruleStateFor(detectionCondition(controlById('ebs-snapshot-shared')!.detection))).toBe('ENABLED');
  });

  // Issue 13's list (Stratus Red Team AWS techniques plus defense impairment) -> the detection that covers it.
  test.each([
    ['CloudTrail event-selector tampering', 'cloudtrail-event-selector-tampering', 'PutEventSelectors'],
    ['flow-log deletion', 'vpc-flow-logs-deleted', 'DeleteFlowLogs'],
    ['Route 53 Resolver query-log deletion', 'resolver-query-logging-deleted', 'DeleteResolverQueryLogConfig'],
    ['EBS snapshot sharing', 'ebs-snapshot-shared', 'ModifySnapshotAttribute'],
    ['AMI sharing', 'ami-shared', 'ModifyImageAttribute'],
    ['RDS snapshot sharing', 'rds-snapshot-shared', 'ModifyDBSnapshotAttribute'],
    ['admin user created', 'iam-user-created', 'CreateUser'],
    ['access keys for other users', 'iam-access-key-created', 'CreateAccessKey'],
    ['login profiles for other users', 'iam-login-profile-changed', 'CreateLoginProfile'],
    ['trust-policy backdoor', 'iam-role-trust-policy-changed', 'UpdateAssumeRolePolicy'],
    ['Lambda public AddPermission', 'lambda-cross-account-permission', 'AddPermission20150331v2'],
    ['Lambda code overwrite', 'lambda-code-changed', 'UpdateFunctionCode20150331v2'],
    ['Roles Anywhere trust anchor', 'rolesanywhere-trust-anchor', 'CreateTrustAnchor'],
    ['GetFederationToken', 'sts-federation-token', 'GetFederationToken'],
    ['SSM SendCommand', 'ssm-send-command', 'SendCommand'],
    ['SSM StartSession', 'ssm-start-session', 'StartSession'],
    ['EC2 Instance Connect key', 'ec2-instance-connect-key', 'SendSSHPublicKey'],
    ['serial console key', 'ec2-instance-connect-key', 'SendSerialConsoleSSHPublicKey'],
    ['user-data change', 'ec2-user-data-modified', 'ModifyInstanceAttribute'],
    ['secret harvesting', 'secrets-harvesting', 'GetSecretValue'],
    ['SecureString parameter harvesting', 'ssm-parameter-harvesting', 'GetParameters'],
    ['GuardDuty disabled', 'guardduty-impaired', 'DeleteDetector'],
    ['Security Hub disabled', 'securityhub-disabled', 'DisableSecurityHub'],
    ['Config disabled', 'config-recording-stopped', 'StopConfigurationRecorder'],
    ['Access Analyzer deleted', 'access-analyzer-impaired', 'DeleteAnalyzer'],
    ['CloudTrail Lake deleted', 'cloudtrail-lake-stopped', 'DeleteEventDataStore'],
  ])('%s: %s fires on a sample %s', (_what, id, eventName) => {
    const c = controlById(id)!;
    expect(c.samples!.fires.map((s) => s.record.eventName)).toContain(eventName);
  });
});
