/**
 * Which detections can match a read-only call that EventBridge withholds from `ENABLED` rules
 * (Describe*, Get*, List*: EventBridge User Guide, "Receiving read-only management events from AWS
 * services"). Derived from each control's condition tree, checked against the labelled events.
 */
import { canMatchWithheldReadOnlyCall, CATALOG, detectionCondition, isWithheldReadOnlyName } from '../../lib/catalog';
import { all, any, equals, notEquals, notExists, prefix, suffix, wildcard } from '../../lib/catalog/condition';
import { compileFilterPattern, type CompiledJsonPattern } from '../../lib/filter-pattern';
import { cloudWatchPatternFor } from '../../lib/catalog';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';

/** What each control means for read-only calls, decided by reading its definition. */
const EXPECTED: Record<string, boolean> = {
  'unauthorized-api-calls': true, // any denied call, Describe*/Get*/List* included
  'console-signin-without-mfa': false,
  'root-account-usage': true, // any call by root, ListBuckets included
  'iam-policy-changes': false,
  'cloudtrail-config-changes': false,
  'console-auth-failures': false,
  'kms-key-disable-or-deletion': false,
  's3-bucket-policy-changes': false,
  'aws-config-changes': false,
  'security-group-changes': false,
  'nacl-changes': false,
  'network-gateway-changes': false,
  'route-table-changes': false,
  'vpc-changes': false,
  'organizations-changes': false,
};

describe.each(CATALOG.map((c) => [c.id, c] as const))('%s', (id, control) => {
  const derived = canMatchWithheldReadOnlyCall(detectionCondition(control.detection));

  test('derivation matches the control definition', () => {
    expect(derived).toBe(EXPECTED[id]);
  });

  test('every labelled withheld read-only call it fires on is covered by the derivation', () => {
    const pattern = compileFilterPattern(cloudWatchPatternFor(control, 'cis')) as CompiledJsonPattern;
    const withheldHits = LABELLED_EVENTS.filter((e) => e.record.readOnly === true && isWithheldReadOnlyName(String(e.record.eventName)) && pattern.matchesEvent(e.record));
    if (withheldHits.length > 0) expect(derived).toBe(true);
    // The labelled events exercise the two controls that need the wider state.
    if (EXPECTED[id]) expect(withheldHits.length).toBeGreaterThan(0);
  });
});

describe('condition forms', () => {
  const can = canMatchWithheldReadOnlyCall;
  test('an eventName list decides by its names', () => {
    expect(can(equals(['eventName'], 'PutRolePolicy', 'DeleteRole'))).toBe(false);
    expect(can(equals(['eventName'], 'PutRolePolicy', 'GetRole'))).toBe(true);
  });
  test('prefixes and wildcards that could begin Describe/Get/List count', () => {
    expect(can(prefix(['eventName'], 'De'))).toBe(true);
    expect(can(prefix(['eventName'], 'GetObject'))).toBe(true);
    expect(can(prefix(['eventName'], 'Put'))).toBe(false);
    expect(can(wildcard(['eventName'], 'List*'))).toBe(true);
    expect(can(wildcard(['eventName'], 'Create*Policy'))).toBe(false);
    expect(can(wildcard(['eventName'], '*Policy'))).toBe(true);
  });
  test('exclusions, suffixes and other fields leave read-only calls possible; a missing eventName does not', () => {
    expect(can(notEquals(['eventName'], 'GetObject'))).toBe(true);
    expect(can(suffix(['eventName'], 'Policy'))).toBe(true);
    expect(can(equals(['errorCode'], 'AccessDenied'))).toBe(true);
    expect(can(notExists(['eventName']))).toBe(false);
  });
  test('all needs every part to allow it, any needs one', () => {
    expect(can(all(equals(['errorCode'], 'AccessDenied'), equals(['eventName'], 'PutObject')))).toBe(false);
    expect(can(any(equals(['eventName'], 'PutObject'), equals(['eventName'], 'ListBuckets')))).toBe(true);
  });
  test('STS GetFederationToken and GetSessionToken reach ENABLED rules despite their names', () => {
    expect(can(equals(['eventName'], 'GetSessionToken', 'GetFederationToken'))).toBe(false);
    expect(can(equals(['eventName'], 'GetSessionToken', 'GetCallerIdentity'))).toBe(true);
  });
});
