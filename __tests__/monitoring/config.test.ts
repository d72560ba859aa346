/**
 * `monitoring:` in trailwatch.yaml: paired good and bad configs. Bad ones fail in the config
 * loader, with the path, line:column and the fix, before anything is synthesized.
 */
import { planDetections } from '../../lib/monitoring/plan';
import { minimalConfig, refusal } from '../support/configs';

describe('no monitoring section: every control with the cis patterns', () => {
  test('fifteen detections, namespace CISBenchmark, CIS alarm defaults', () => {
    const plan = planDetections(minimalConfig().monitoring);
    expect(plan.enabled).toBe(true);
    expect(plan.detections).toHaveLength(15);
    expect(plan.namespace).toBe('CISBenchmark');
    expect(plan.detections.every((d) => d.patternSource === 'rendered')).toBe(true);
    expect(plan.detections[0].alarm).toMatchObject({
      name: 'trailwatch-unauthorized-api-calls',
      statistic: 'Sum',
      period: 300,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
      actionsEnabled: true,
    });
    expect(plan.detections[0].alarm.datapointsToAlarm).toBeUndefined();
  });
});

describe('pattern sets', () => {
  test('securityhub: the 14 graded controls use their exact strings, Organizations is rendered', () => {
    const plan = planDetections(minimalConfig('monitoring: { patternSet: securityhub }\n').monitoring);
    expect(plan.detections.filter((d) => d.patternSource === 'exact')).toHaveLength(14);
    expect(plan.detections.find((d) => d.id === 'organizations-changes')!.patternSource).toBe('rendered');
    expect(plan.detections.find((d) => d.id === 'unauthorized-api-calls')!.pattern).toBe('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}');
  });

  test('an unknown pattern set is refused with the choices', () => {
    expect(refusal('monitoring: { patternSet: cis-v3 }\n')).toEqual([expect.stringMatching(/^ {2}- monitoring\.patternSet: unknown pattern set "cis-v3"; expected one of cis, securityhub, both \(test\.yaml:10:27\)$/)]);
  });
});

describe('per-control overrides', () => {
  test('enabled: false drops the control', () => {
    const plan = planDetections(minimalConfig('monitoring:\n  controls:\n    vpc-changes: { enabled: false }\n').monitoring);
    expect(plan.detections.map((d) => d.id)).not.toContain('vpc-changes');
    expect(plan.detections).toHaveLength(14);
  });

  test('an unknown control id: did-you-mean and the valid ids, with its line', () => {
    const [line] = refusal('monitoring:\n  controls:\n    root-acount-usage: { enabled: false }\n');
    expect(line).toMatch(/^ {2}- monitoring\.controls\["root-acount-usage"\]: unknown control id "root-acount-usage"; did you mean "root-account-usage"\? Valid ids: unauthorized-api-calls, .*organizations-changes \(test\.yaml:12:24\)$/);
  });

  test('a pattern override replaces the rendered pattern', () => {
    const plan = planDetections(minimalConfig(`monitoring:\n  controls:\n    cloudtrail-config-changes:\n      pattern: '{ ($.eventSource = "cloudtrail.amazonaws.com") && ($.eventName = "StopLogging") }'\n`).monitoring);
    const d = plan.detections.find((x) => x.id === 'cloudtrail-config-changes')!;
    expect(d.pattern).toBe('{ ($.eventSource = "cloudtrail.amazonaws.com") && ($.eventName = "StopLogging") }');
    expect(d.patternSource).toBe('override');
  });

  test.each([
    ['does not parse', `'{ ($.eventName = "StopLogging" }'`, /\(syntax\): .*; pattern: \{ \(\$\.eventName = "StopLogging" \}/],
    ['mixes && and || without parentheses', `'{ $.eventName = "A" || $.eventName = "B" && $.errorCode = "C" }'`, /\(ambiguous-precedence\): "&&" at column \d+ and "\|\|" are mixed/],
    ['negates under ||', `'{ ($.errorCode = "AccessDenied*") || ($.eventName != "HeadBucket") }'`, /\(negation-in-or\): \$\.eventName != HeadBucket/],
  ])('an override that %s is refused, naming the control and the text', (_what, pattern, expected) => {
    const [line] = refusal(`monitoring:\n  controls:\n    unauthorized-api-calls:\n      pattern: ${pattern}\n`);
    expect(line).toMatch(/^ {2}- monitoring\.controls\["unauthorized-api-calls"\]\.pattern: the pattern of unauthorized-api-calls is refused /);
    expect(line).toMatch(expected);
    expect(line).toMatch(/\(test\.yaml:13:16\)$/);
  });

  test('a pattern longer than CloudWatch accepts is refused', () => {
    const long = `{ ${Array.from({ length: 60 }, (_, i) => `($.eventName = "SomeLongEventName${i}")`).join(' || ')} }`;
    const [line] = refusal(`monitoring:\n  controls:\n    vpc-changes:\n      pattern: '${long}'\n`);
    expect(line).toMatch(/the pattern of vpc-changes is refused \(too-long\)/);
  });

  test('per-control alarm arguments win over monitoring.alarmDefaults, which win over the CIS defaults', () => {
    const plan = planDetections(
      minimalConfig(
        'monitoring:\n  alarmDefaults: { period: 60, treatMissingData: missing }\n  controls:\n    console-auth-failures:\n      alarm: { threshold: 3, evaluationPeriods: 5, datapointsToAlarm: 2, name: brute-force, description: Many failed sign-ins }\n',
      ).monitoring,
    );
    const auth = plan.detections.find((d) => d.id === 'console-auth-failures')!.alarm;
    expect(auth).toEqual({
      name: 'brute-force',
      description: 'Many failed sign-ins',
      statistic: 'Sum',
      period: 60,
      threshold: 3,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
      actionsEnabled: true,
    });
    const root = plan.detections.find((d) => d.id === 'root-account-usage')!.alarm;
    expect([root.period, root.threshold, root.treatMissingData]).toEqual([60, 1, 'missing']);
  });

  test.each([
    ['a period that is not a multiple of 60', 'alarm: { period: 90 }', /alarm\.period: expected a multiple of 60 seconds, got 90/],
    ['a period under a minute', 'alarm: { period: 10 }', /alarm\.period: expected at least 60 seconds/],
    ['an unknown statistic', 'alarm: { statistic: Total }', /alarm\.statistic: unknown statistic "Total"; expected one of SampleCount, Average, Sum, Minimum, Maximum/],
    ['an unknown treatMissingData', 'alarm: { treatMissingData: zero }', /alarm\.treatMissingData: unknown treatMissingData "zero"/],
    ['datapointsToAlarm above evaluationPeriods', 'alarm: { datapointsToAlarm: 3 }', /alarm\.datapointsToAlarm: datapointsToAlarm 3 is more than evaluationPeriods 1 for root-account-usage/],
    ['an unknown alarm key', 'alarm: { treshold: 2 }', /alarm\.treshold: unknown key "treshold": did you mean "threshold"\?/],
  ])('%s is refused', (_what, yaml, expected) => {
    expect(refusal(`monitoring:\n  controls:\n    root-account-usage:\n      ${yaml}\n`).join('\n')).toMatch(expected);
  });

  test('two detections with one alarm name, or one metric name, are refused', () => {
    const lines = refusal('monitoring:\n  controls:\n    vpc-changes: { alarm: { name: network }, metricName: Net }\n    nacl-changes: { alarm: { name: network }, metricName: Net }\n');
    expect(lines.join('\n')).toMatch(/alarm name "network" of vpc-changes is already used by nacl-changes/);
    expect(lines.join('\n')).toMatch(/metric name "Net" of vpc-changes is already used by nacl-changes; give each detection its own \(two filters publishing one metric/);
  });

  test('a reserved AWS/ namespace is refused', () => {
    expect(refusal('monitoring: { namespace: AWS/Logs }\n').join('\n')).toMatch(/monitoring\.namespace: namespaces starting with AWS\/ are reserved/);
  });
});

describe('exclusions', () => {
  const yaml = (values: string) => `monitoring:\n  controls:\n    unauthorized-api-calls:\n      exclude:\n${values}`;

  test('rendered as extra && clauses after the control\'s own conditions; * values as wildcards', () => {
    const plan = planDetections(minimalConfig(yaml(`        identities: ['arn:aws:sts::*:assumed-role/ReadOnly/*', 'arn:aws:iam::111111111111:user/auditor']\n        userAgents: [console.amazonaws.com]\n`)).monitoring);
    expect(plan.detections[0].pattern).toBe(
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") && (($.userIdentity.arn NOT EXISTS) || (($.userIdentity.arn != "arn:aws:sts::*:assumed-role/ReadOnly/*") && ($.userIdentity.arn != "arn:aws:iam::111111111111:user/auditor"))) && (($.userAgent NOT EXISTS) || ($.userAgent != "console.amazonaws.com")) }',
    );
  });

  test('every kind of exclusion, on a change control', () => {
    const plan = planDetections(
      minimalConfig(`monitoring:\n  controls:\n    kms-key-disable-or-deletion:\n      exclude:\n        sourceIps: ['10.1.*']\n        eventNames: [DisableKey]\n        userAgents: ['*Terraform*']\n`).monitoring,
    );
    expect(plan.detections.find((d) => d.id === 'kms-key-disable-or-deletion')!.pattern).toBe(
      '{ ($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion")) && ($.eventName != "DisableKey") && ($.sourceIPAddress != "10.1.*") && (($.userAgent NOT EXISTS) || ($.userAgent != "*Terraform*")) }',
    );
  });

  test('with patternSet securityhub: the exact string stays intact inside the result, and trailwatch warns', () => {
    const config = minimalConfig(`monitoring:\n  patternSet: securityhub\n  controls:\n    unauthorized-api-calls:\n      exclude: { eventNames: [GetAccountSummary] }\n`);
    const d = planDetections(config.monitoring).detections[0];
    expect(d.pattern).toBe('{ (($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")) && ($.eventName != "GetAccountSummary") }');
    expect(planDetections(config.monitoring).warnings).toEqual([
      { path: ['monitoring', 'controls', 'unauthorized-api-calls', 'exclude'], message: expect.stringMatching(/change the exact pattern Security Hub CloudWatch\.2 requires/) },
    ]);
  });

  test('the cis set with exclusions, or a securityhub override equal to the exact string, gives no warning', () => {
    expect(planDetections(minimalConfig(yaml(`        eventNames: [GetAccountSummary]\n`)).monitoring).warnings).toEqual([]);
    expect(planDetections(minimalConfig(`monitoring:\n  patternSet: securityhub\n  controls:\n    console-auth-failures:\n      pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'\n`).monitoring).warnings).toEqual([]);
  });

  test.each([
    ['an identity that is not an ARN', `        identities: [ReadOnly]\n`, /identities\[0\]: expected an IAM or STS ARN/],
    ['a value with a double quote', `        userAgents: ['curl "x"']\n`, /userAgents\[0\]: must not contain a double quote/],
    ['an empty list', `        eventNames: []\n`, /eventNames: expected at least one value \(or remove the key\)/],
    ['an unknown kind of exclusion', `        principals: [x]\n`, /exclude\.principals: unknown key "principals"; allowed keys: identities, eventNames, sourceIps, userAgents/],
  ])('%s is refused', (_what, values, expected) => {
    expect(refusal(yaml(values)).join('\n')).toMatch(expected);
  });
});

describe('custom detections', () => {
  const custom = (body: string) => `monitoring:\n  custom:\n${body}`;

  test('synthesized after the catalog, with a PascalCase metric name and medium severity by default', () => {
    const plan = planDetections(
      minimalConfig(custom(`    - id: access-key-created\n      title: IAM access key created\n      pattern: '{ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "CreateAccessKey") }'\n      alarm: { threshold: 2 }\n`)).monitoring,
    );
    const d = plan.detections[15];
    expect(d).toMatchObject({ id: 'access-key-created', metricName: 'AccessKeyCreated', severity: 'medium', patternSource: 'custom', filterName: 'trailwatch-access-key-created' });
    expect(d.alarm).toMatchObject({ threshold: 2, name: 'trailwatch-access-key-created', description: 'IAM access key created' });
  });

  test('custom detections take exclusions too', () => {
    const plan = planDetections(
      minimalConfig(custom(`    - id: access-key-created\n      title: IAM access key created\n      pattern: '{ $.eventName = "CreateAccessKey" }'\n      exclude: { identities: ['arn:aws:iam::111111111111:user/rotator'] }\n`)).monitoring,
    );
    expect(plan.detections[15].pattern).toBe('{ ($.eventName = "CreateAccessKey") && (($.userIdentity.arn NOT EXISTS) || ($.userIdentity.arn != "arn:aws:iam::111111111111:user/rotator")) }');
  });

  test.each([
    ['a catalog id', `    - { id: vpc-changes, title: t, pattern: '{ $.eventName = "x" }' }\n`, /custom\[0\]\.id: "vpc-changes" is a catalog control id; .*monitoring\.controls\.vpc-changes/],
    ['a duplicate id', `    - { id: my-one, title: t, pattern: '{ $.eventName = "x" }' }\n    - { id: my-one, title: u, pattern: '{ $.eventName = "y" }' }\n`, /custom\[1\]\.id: "my-one" is already the id of custom\[0\]/],
    ['an unparsable pattern', `    - { id: my-one, title: t, pattern: '{ $.eventName = ' }\n`, /custom\[0\]\.pattern: the pattern of my-one is refused \(syntax\)/],
    ['a missing pattern', `    - { id: my-one, title: t }\n`, /custom\[0\]\.pattern: /],
    ['an id with upper case', `    - { id: MyOne, title: t, pattern: '{ $.eventName = "x" }' }\n`, /custom\[0\]\.id: expected an id of lower-case letters/],
  ])('%s is refused', (_what, body, expected) => {
    expect(refusal(custom(body)).join('\n')).toMatch(expected);
  });

  test('a pattern on a field CloudTrail never writes is an error (its alarm could never fire), naming the acknowledge path', () => {
    expect(refusal(custom(`    - { id: my-one, title: t, pattern: '{ $.evnetName = "CreateUser" }' }\n`))).toEqual([
      expect.stringMatching(
        /^ {2}- monitoring\.custom\[0\]\.pattern: the pattern of my-one: \$\.evnetName at column 3: "evnetName" is not a top-level field of CloudTrail records \(did you mean "eventName"\?\): the alarm could never fire; fix the field, or, if CloudTrail does write it, list monitoring\.custom\[0\]\.pattern under acknowledge: \(test\.yaml:\d+:\d+\)$/,
      ),
    ]);
  });

  test('acknowledged for its detection, the pattern is planned, with no warning', () => {
    const config = minimalConfig(custom(`    - { id: my-one, title: t, pattern: '{ $.evnetName = "CreateUser" }' }\n`) + "acknowledge: ['monitoring.custom[0].pattern']\n");
    expect(planDetections(config.monitoring).detections.map((d) => d.id)).toContain('my-one');
    expect(planDetections(config.monitoring).warnings).toEqual([]);
  });

  test('samples that repeat the typo do not count as labelled', () => {
    const body = `    - id: my-one\n      title: t\n      pattern: '{ $.evnetName = "CreateUser" }'\n      samples:\n        fires: [{ evnetName: CreateUser }]\n`;
    const lines = refusal(custom(body) + "acknowledge: ['monitoring.custom[0].pattern']\n");
    expect(lines).toEqual([expect.stringMatching(/monitoring\.custom\[0\]\.samples\.fires\[0\]: "evnetName" is not a top-level field of CloudTrail records \(did you mean "eventName"\?\), so this sample is not a CloudTrail record and does not count as labelled/)]);
  });
});

test('monitoring.enabled false keeps the plan but turns the feature off', () => {
  expect(planDetections(minimalConfig('monitoring: { enabled: false }\n').monitoring).enabled).toBe(false);
});
