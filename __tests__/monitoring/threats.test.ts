/**
 * `monitoring.threats` in trailwatch.yaml: off without the key, the whole threat catalog with it,
 * per-detection overrides like `monitoring.controls`, and EventBridge rules only on request.
 */
import { THREAT_CATALOG } from '../../lib/catalog';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { planDetections } from '../../lib/monitoring/plan';
import { minimalConfig, refusal } from '../support/configs';

const ids = (yaml: string) => planDetections(minimalConfig(yaml).monitoring).detections.map((d) => d.id);

describe('monitoring.threats', () => {
  test('a config without the key gets the CIS controls only (an upgrade adds no alarms)', () => {
    expect(ids('')).toHaveLength(15);
    expect(ids('monitoring: { patternSet: cis }\n')).toHaveLength(15);
  });

  test('threats: {} adds every threat detection after the CIS controls, kind threat', () => {
    const plan = planDetections(minimalConfig('monitoring:\n  threats: {}\n').monitoring);
    expect(plan.detections.map((d) => d.id)).toEqual([...plan.detections.slice(0, 15).map((d) => d.id), ...THREAT_CATALOG.map((c) => c.id)]);
    expect(plan.detections.slice(15).every((d) => d.kind === 'threat' && d.patternSource === 'rendered')).toBe(true);
    const secrets = plan.detections.find((d) => d.id === 'secrets-harvesting')!;
    expect(secrets.alarm).toMatchObject({ threshold: 10, period: 300, per: ['userIdentity.arn'], name: 'trailwatch-secrets-harvesting' });
    expect(secrets.alarm.description).toMatch(/^Secrets Manager secrets read in bulk\. MITRE ATT&CK T1555\.006\. /);
  });

  test('enabled: false turns the catalog off; one detection can be disabled', () => {
    expect(ids('monitoring:\n  threats: { enabled: false }\n')).toHaveLength(15);
    const some = ids('monitoring:\n  threats:\n    detections:\n      ssm-start-session: { enabled: false }\n');
    expect(some).toHaveLength(15 + THREAT_CATALOG.length - 1);
    expect(some).not.toContain('ssm-start-session');
  });

  test('per-detection thresholds beat the catalog\'s, and the catalog\'s beat alarmDefaults', () => {
    const plan = planDetections(
      minimalConfig('monitoring:\n  alarmDefaults: { threshold: 2 }\n  threats:\n    detections:\n      secrets-harvesting: { alarm: { threshold: 200, period: 600 } }\n').monitoring,
    );
    const by = (id: string) => plan.detections.find((d) => d.id === id)!.alarm;
    expect(by('secrets-harvesting')).toMatchObject({ threshold: 200, period: 600 });
    expect(by('ssm-parameter-harvesting').threshold).toBe(100);
    expect(by('guardduty-impaired').threshold).toBe(2);
  });

  test('exclusions join the rendered pattern', () => {
    const plan = planDetections(minimalConfig("monitoring:\n  threats:\n    detections:\n      ssm-send-command: { exclude: { sourceIps: [ssm.amazonaws.com] } }\n").monitoring);
    expect(plan.detections.find((d) => d.id === 'ssm-send-command')!.pattern).toBe(
      '{ ($.eventSource = "ssm.amazonaws.com") && ($.eventName = "SendCommand") && ($.sourceIPAddress != "ssm.amazonaws.com") }',
    );
  });

  test('an unknown id is refused with its place and the nearest id', () => {
    const [line] = refusal('monitoring:\n  threats:\n    detections:\n      secret-harvesting: { enabled: false }\n');
    expect(line).toMatch(/monitoring\.threats\.detections\["secret-harvesting"\]: unknown threat detection id "secret-harvesting"; did you mean "secrets-harvesting"\?.*\(test\.yaml:13:\d+\)$/);
  });

  test('a custom detection cannot take a threat id', () => {
    const lines = refusal('monitoring:\n  custom:\n    - { id: ssm-send-command, title: x, pattern: \'{ $.eventName = "SendCommand" }\' }\n');
    expect(lines.join('\n')).toMatch(/monitoring\.custom\[0\]\.id: "ssm-send-command" is a threat detection id/);
  });

  test('EventBridge rules for threats only with threats.eventbridge: true, with the rule state each needs', () => {
    const off = planEventBridge(minimalConfig('monitoring:\n  threats: {}\n'));
    expect(off.detections.map((d) => d.control.id)).toHaveLength(15);
    const on = planEventBridge(minimalConfig('monitoring:\n  threats: { eventbridge: true }\n'));
    const volume = THREAT_CATALOG.filter((c) => (c.alarm?.threshold ?? 1) > 1).map((c) => c.id);
    expect(volume).toEqual(['secrets-harvesting', 'ssm-parameter-harvesting', 'ec2-password-data-retrieved', 'console-login-failures-per-user', 'iam-enumeration']);
    expect(on.detections).toHaveLength(15 + THREAT_CATALOG.length - volume.length);
    const snapshot = on.detections.find((d) => d.control.id === 'ebs-snapshot-shared')!;
    expect(snapshot.state).toBe('ENABLED');
    expect(snapshot.pattern.detail).toEqual({ eventSource: ['ec2.amazonaws.com'], eventName: ['ModifySnapshotAttribute'] });
  });

  test('volume detections stay metric filters even with eventbridge: true (a rule cannot count), said in a warning; threshold 1 brings the rule back', () => {
    const on = planEventBridge(minimalConfig('monitoring:\n  threats: { eventbridge: true }\n'));
    expect(on.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^ssm-parameter-harvesting runs as a metric filter only, not as an EventBridge rule: its alarm needs at least 100 matching events in 300 s; an EventBridge rule acts on every single matching event and cannot count/));
    const one = planEventBridge(minimalConfig('monitoring:\n  threats:\n    eventbridge: true\n    detections:\n      ssm-parameter-harvesting: { alarm: { threshold: 1 } }\n'));
    expect(one.detections.find((d) => d.control.id === 'ssm-parameter-harvesting')!.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    // A per-key detection counts at any threshold: secrets-harvesting (per principal) stays off EventBridge at 1.
    const perKey = planEventBridge(minimalConfig('monitoring:\n  threats:\n    eventbridge: true\n    detections:\n      secrets-harvesting: { alarm: { threshold: 1 } }\n'));
    expect(perKey.detections.map((d) => d.control.id)).not.toContain('secrets-harvesting');
  });
});
