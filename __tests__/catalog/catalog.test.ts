/**
 * The detection catalog: the controls as data, their rendered CloudWatch patterns, the exact
 * Security Hub strings, and every pattern evaluated (with the filter-pattern engine) against the
 * labelled CloudTrail records of __tests__/fixtures/cloudtrail-events.ts.
 */
import { CATALOG, cloudWatchPatternFor, CONTROL_IDS, controlById, detectionCondition, type PatternSet } from '../../lib/catalog';
import { compileFilterPattern, lintFilterPattern, type CompiledJsonPattern } from '../../lib/filter-pattern';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';

/**
 * Copied by hand from the AWS Security Hub User Guide, "Amazon CloudWatch controls", remediation
 * step "Copy the following pattern" of CloudWatch.1-14 (doc_source/cloudwatch-controls.md of
 * awsdocs/aws-security-hub-user-guide): kept apart from the catalog so a typo in either shows.
 */
const SECURITY_HUB_DOCUMENTED: Record<string, [string, string]> = {
  'CloudWatch.1': ['root-account-usage', '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'],
  'CloudWatch.2': ['unauthorized-api-calls', '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'],
  'CloudWatch.3': [
    'console-signin-without-mfa',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  ],
  'CloudWatch.4': [
    'iam-policy-changes',
    '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
  ],
  'CloudWatch.5': ['cloudtrail-config-changes', '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}'],
  'CloudWatch.6': ['console-auth-failures', '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'],
  'CloudWatch.7': ['kms-key-disable-or-deletion', '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}'],
  'CloudWatch.8': [
    's3-bucket-policy-changes',
    '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
  ],
  'CloudWatch.9': [
    'aws-config-changes',
    '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
  ],
  'CloudWatch.10': [
    'security-group-changes',
    '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
  ],
  'CloudWatch.11': [
    'nacl-changes',
    '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
  ],
  'CloudWatch.12': [
    'network-gateway-changes',
    '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
  ],
  'CloudWatch.13': [
    'route-table-changes',
    '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
  ],
  'CloudWatch.14': [
    'vpc-changes',
    '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
  ],
};

describe('the catalog as data', () => {
  test('fifteen controls in CIS order, 4.1-4.15 (v1.4.0 / v3.0.0) and 5.1-5.15 (v5.0.0)', () => {
    expect(CATALOG).toHaveLength(15);
    expect(CATALOG.map((c) => c.cis['v3.0.0'])).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    expect(CATALOG.map((c) => c.cis['v1.4.0'])).toEqual(Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    expect(CATALOG.map((c) => c.cis['v5.0.0'])).toEqual(Array.from({ length: 15 }, (_, i) => `5.${i + 1}`));
    // CIS v1.2.0 had 14 monitoring controls (3.1-3.14): no Organizations control.
    expect(CATALOG.map((c) => c.cis['v1.2.0'])).toEqual([...Array.from({ length: 14 }, (_, i) => `3.${i + 1}`), undefined]);
  });

  test('ids and metric names are unique; ids are lookup keys', () => {
    expect(new Set(CONTROL_IDS).size).toBe(15);
    expect(new Set(CATALOG.map((c) => c.metricName)).size).toBe(15);
    for (const id of CONTROL_IDS) expect(controlById(id)?.id).toBe(id);
    expect(controlById('root-usage')).toBeUndefined();
  });

  test('every control says what it detects as data: an event source, event names or conditions', () => {
    for (const c of CATALOG) {
      expect(c.detection.eventSource ?? c.detection.eventNames ?? c.detection.where).toBeDefined();
      expect(() => detectionCondition(c.detection)).not.toThrow();
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.rationale.length).toBeGreaterThan(20);
      expect(c.detailTypes.length).toBeGreaterThan(0);
    }
  });

  test('global-service controls are the IAM, sign-in and Organizations ones', () => {
    expect(CATALOG.filter((c) => c.globalService).map((c) => c.id)).toEqual([
      'console-signin-without-mfa',
      'iam-policy-changes',
      'console-auth-failures',
      'organizations-changes',
    ]);
  });

  test('sign-in controls need the console sign-in detail-type; root usage needs both', () => {
    expect(controlById('console-auth-failures')!.detailTypes).toEqual(['AWS Console Sign In via CloudTrail']);
    expect(controlById('root-account-usage')!.detailTypes).toEqual(['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail']);
    expect(controlById('vpc-changes')!.detailTypes).toEqual(['AWS API Call via CloudTrail']);
  });

  test('the Organizations list covers CancelHandshake, CreateOrganization and EnableAllFeatures', () => {
    expect(controlById('organizations-changes')!.detection.eventNames).toEqual(expect.arrayContaining(['CancelHandshake', 'CreateOrganization', 'EnableAllFeatures', 'LeaveOrganization']));
  });

  test('security group changes include ModifySecurityGroupRules (CIS v5.0.0)', () => {
    expect(controlById('security-group-changes')!.detection.eventNames).toContain('ModifySecurityGroupRules');
  });
});

describe('cis pattern set: rendered from the structured detection', () => {
  test('unauthorized API calls: the exclusions joined with && under explicit parentheses', () => {
    expect(cloudWatchPatternFor(controlById('unauthorized-api-calls')!, 'cis')).toBe(
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    );
  });

  test('root usage', () => {
    expect(cloudWatchPatternFor(controlById('root-account-usage')!, 'cis')).toBe(
      // A record without eventType (older event versions) is root usage too: the guard keeps it.
      '{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && (($.eventType NOT EXISTS) || ($.eventType != "AwsServiceEvent")) }',
    );
  });

  test('a change control: its event source and its names as one parenthesized alternative', () => {
    expect(cloudWatchPatternFor(controlById('kms-key-disable-or-deletion')!, 'cis')).toBe(
      '{ ($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion")) }',
    );
  });

  test.each(CATALOG.map((c) => [c.id]))('%s: parses, lints clean and fits CloudWatch\'s 1024 characters', (id) => {
    const p = cloudWatchPatternFor(controlById(id)!, 'cis');
    expect(lintFilterPattern(p)).toEqual([]);
    expect(p.length).toBeLessThanOrEqual(1024);
    expect(compileFilterPattern(p).kind).toBe('json');
  });
});

describe('securityhub pattern set: the exact strings Security Hub grades', () => {
  test('CloudWatch.1-14 each map to one control and emit the documented string byte for byte', () => {
    const graded = CATALOG.filter((c) => c.securityHubControl);
    expect(graded.map((c) => c.securityHubControl).sort()).toEqual(Object.keys(SECURITY_HUB_DOCUMENTED).sort());
    for (const [shc, [id, documented]] of Object.entries(SECURITY_HUB_DOCUMENTED)) {
      const c = controlById(id)!;
      expect(c.securityHubControl).toBe(shc);
      expect(cloudWatchPatternFor(c, 'securityhub')).toBe(documented);
    }
  });

  test('the Organizations control, which Security Hub does not grade, is rendered like cis', () => {
    const c = controlById('organizations-changes')!;
    expect(cloudWatchPatternFor(c, 'securityhub')).toBe(cloudWatchPatternFor(c, 'cis'));
  });

  test('the exact strings parse and pass the lint (no ambiguous mixing, no negation under ||)', () => {
    for (const [, documented] of Object.values(SECURITY_HUB_DOCUMENTED)) {
      expect(lintFilterPattern(documented).filter((f) => f.severity === 'error')).toEqual([]);
    }
  });
});

describe('the widely copied CIS pattern, and why trailwatch does not emit it', () => {
  const COPIED = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }';

  test('it matches almost every labelled record, successful calls included', () => {
    const copied = compileFilterPattern(COPIED) as CompiledJsonPattern;
    const hits = LABELLED_EVENTS.filter((e) => copied.matchesEvent(e.record));
    expect(hits.length).toBeGreaterThan(LABELLED_EVENTS.length * 0.9);
    expect(hits.map((e) => e.name)).toContain('successful DescribeInstances');
  });

  test('the lint refuses it: negation under ||', () => {
    expect(lintFilterPattern(COPIED).map((f) => f.rule)).toContain('negation-in-or');
  });

  test('trailwatch\'s pattern fires only on the labelled authorization failures', () => {
    const ours = compileFilterPattern(cloudWatchPatternFor(controlById('unauthorized-api-calls')!, 'cis')) as CompiledJsonPattern;
    const expected = LABELLED_EVENTS.filter((e) => e.fires.includes('unauthorized-api-calls')).map((e) => e.name);
    expect(LABELLED_EVENTS.filter((e) => ours.matchesEvent(e.record)).map((e) => e.name)).toEqual(expected);
  });
});

describe('labelled CloudTrail records: each pattern matches exactly the events its control describes', () => {
  const compiled = (set: PatternSet) => CATALOG.map((c) => ({ id: c.id, p: compileFilterPattern(cloudWatchPatternFor(c, set)) as CompiledJsonPattern }));
  const cis = compiled('cis');
  const sh = compiled('securityhub');
  const fired = (ps: typeof cis, record: object) => ps.filter(({ p }) => p.matchesEvent(record)).map(({ id }) => id).sort();

  test('every control fires on at least one record and is missed by at least one near-miss of its service', () => {
    for (const c of CATALOG) {
      expect(LABELLED_EVENTS.some((e) => e.fires.includes(c.id))).toBe(true);
      const source = c.detection.eventSource;
      if (source) expect(LABELLED_EVENTS.some((e) => (e.record as { eventSource: string }).eventSource === source && !e.fires.includes(c.id))).toBe(true);
    }
    expect(new Set(LABELLED_EVENTS.map((e) => e.name)).size).toBe(LABELLED_EVENTS.length);
  });

  test.each(LABELLED_EVENTS.map((e) => [e.name, e]))('cis: %s', (_name, e) => {
    expect(fired(cis, e.record)).toEqual([...e.fires].sort());
  });

  test.each(LABELLED_EVENTS.map((e) => [e.name, e]))('securityhub: %s', (_name, e) => {
    expect(fired(sh, e.record)).toEqual([...(e.securityHubFires ?? e.fires)].sort());
  });

  test('CloudWatch Logs receives records as JSON text: matching the text gives the same answers', () => {
    for (const e of LABELLED_EVENTS) {
      const text = JSON.stringify(e.record);
      expect(cis.filter(({ p }) => p.matches(text)).map(({ id }) => id).sort()).toEqual(fired(cis, e.record));
    }
  });
});
