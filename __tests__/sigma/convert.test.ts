/**
 * Sigma -> condition tree: each construct the converter accepts, and the refusals, with the place
 * they name. Rules are inline (with made-up UUIDs) or the vendored SigmaHQ ones (vendor/sigma).
 */
import * as path from 'path';
import { detectionCondition, renderCloudWatchPattern } from '../../lib/catalog';
import { renderEventBridgeDetail } from '../../lib/catalog/render/eventbridge';
import { planDetections } from '../../lib/monitoring/plan';
import { convertSigma, convertSigmaStrict, readSigmaSources, renderSigma, SigmaError, type SigmaConversion } from '../../lib/sigma';

const VENDOR = path.join(__dirname, '../../vendor/sigma');

/** A base rule (secret reads) that correlations name, and the document separator after it. */
const SECRET_READS = `title: Base
id: 22222222-2222-3333-4444-555555555555
name: secret_reads
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventSource: secretsmanager.amazonaws.com
        eventName: GetSecretValue
    condition: selection
---
`;

const rule = (detection: string, extra = '') => `title: Test rule
id: 11111111-2222-3333-4444-555555555555
author: Test Author
references:
    - https://example.com/ref
tags:
    - attack.persistence
    - attack.t1098.001
logsource:
    product: aws
    service: cloudtrail
${extra}detection:
${detection}
level: high
`;

const one = (text: string, file = 'test.yml'): SigmaConversion => convertSigmaStrict([{ file, text }])[0];
const cw = (text: string) => renderCloudWatchPattern(detectionCondition(one(text).control.detection));
const refusal = (text: string, file = 'test.yml'): SigmaError => {
  const r = convertSigma([{ file, text }])[0];
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.conversion.control.detection)}`);
  return r.error;
};

describe('constructs', () => {
  test('field equality, lists and modifiers', () => {
    expect(
      cw(rule(`    selection:
        eventSource: iam.amazonaws.com
        eventName:
            - CreateUser
            - CreateAccessKey
        userAgent|contains: 'S3 Browser'
        requestParameters.userName|startswith: 'svc-'
        errorMessage|endswith: 'denied'
    condition: selection`)),
    ).toBe(
      '{ ($.eventSource = "iam.amazonaws.com") && (($.eventName = "CreateUser") || ($.eventName = "CreateAccessKey")) && ($.userAgent = "*S3 Browser*") && ($.requestParameters.userName = "svc-*") && ($.errorMessage = "*denied") }',
    );
  });

  test('|all: every value must hold; wildcards in values; null is "not set"', () => {
    const c = one(
      rule(`    selection:
        userAgent|contains|all:
            - 'aws-cli'
            - 'exec-env'
        userIdentity.arn: 'arn:aws:sts::*:assumed-role/Ops*'
        errorCode: null
    condition: selection`),
    );
    expect(detectionCondition(c.control.detection)).toEqual({
      all: [
        { field: ['userAgent'], op: 'wildcard', values: ['*aws-cli*'] },
        { field: ['userAgent'], op: 'wildcard', values: ['*exec-env*'] },
        { field: ['userIdentity', 'arn'], op: 'wildcard', values: ['arn:aws:sts::*:assumed-role/Ops*'] },
        { field: ['errorCode'], op: 'notExists' },
      ],
    });
  });

  test('|exists and |re', () => {
    expect(
      cw(rule(`    selection:
        requestParameters.policyDocument|exists: true
        userIdentity.invokedBy|exists: false
        userIdentity.arn|re: '^arn:aws:sts::[0-9]+:assumed-role/aws:.+'
    condition: selection`)),
    ).toBe('{ ($.requestParameters.policyDocument = "*") && ($.userIdentity.invokedBy NOT EXISTS) && ($.userIdentity.arn = %^arn:aws:sts::[0-9]+:assumed-role/aws:.+%) }');
  });

  test('1 of / all of with wildcards, not, and/or with parentheses', () => {
    const c = one(
      rule(`    sel_a:
        eventName: DeleteTrail
    sel_b:
        eventName: StopLogging
    src:
        eventSource: cloudtrail.amazonaws.com
    filter_admin:
        userIdentity.type: Root
    condition: (1 of sel_* and src) and not filter_admin or all of sel_a`),
    );
    expect(detectionCondition(c.control.detection)).toEqual({
      any: [
        {
          all: [
            { any: [{ field: ['eventName'], op: 'equals', values: ['DeleteTrail'] }, { field: ['eventName'], op: 'equals', values: ['StopLogging'] }] },
            { field: ['eventSource'], op: 'equals', values: ['cloudtrail.amazonaws.com'] },
            // userIdentity.type may be absent: Sigma's `not` holds there too.
            { any: [{ field: ['userIdentity', 'type'], op: 'notExists' }, { field: ['userIdentity', 'type'], op: 'notEquals', values: ['Root'] }] },
          ],
        },
        { field: ['eventName'], op: 'equals', values: ['DeleteTrail'] },
      ],
    });
  });

  test('a list of maps is an OR; `1 of them` takes every identifier', () => {
    const c = one(
      rule(`    selection:
        - eventName: A1
        - eventSource: s3.amazonaws.com
    other:
        eventName: B2
    condition: 1 of them`),
    );
    expect(renderEventBridgeDetail(detectionCondition(c.control.detection))).toEqual({
      $or: [{ eventName: ['A1', 'B2'] }, { eventSource: ['s3.amazonaws.com'] }],
    });
  });

  test('count() > N over the timeframe becomes the alarm threshold and period', () => {
    const c = one(
      rule(
        `    selection:
        eventName: list*
    timeframe: 10m
    condition: selection | count() > 50`,
      ),
    );
    expect(c.control.alarm).toEqual({ threshold: 51, period: 600, evaluationPeriods: 1 });
    // eventName values are PascalCase in CloudTrail: Sigma's case-insensitive list* is List*.
    expect(renderCloudWatchPattern(detectionCondition(c.control.detection))).toBe('{ ($.eventName = "List*") }');
  });

  test('count() by field: a count per value, rendered as a Contributor Insights rule (aws_macic_evasion)', () => {
    const [c] = convertSigmaStrict(readSigmaSources(['aws_macic_evasion.yml'], VENDOR));
    expect(c.control.alarm).toEqual({ threshold: 6, period: 600, evaluationPeriods: 1, per: ['sourceIPAddress'] });
    const r = renderSigma(c, 'cloudwatch');
    expect(r).toMatchObject({ contributorInsights: { keys: ['$.sourceIPAddress'], filters: [{ Match: '$.eventName', In: expect.arrayContaining(['DisableMacie', 'ArchiveFindings']) }] } });
    // A count rule never becomes an EventBridge rule.
    expect(() => renderSigma(c, 'eventbridge')).toThrow(/counts matches per sourceIPAddress/);
    // Deployed through monitoring.sigma it is a per-key detection: a Contributor Insights rule, keyed by the source IP.
    const plan = planDetections({ sigma: [path.join(VENDOR, 'aws_macic_evasion.yml')] });
    expect(plan.problems).toEqual([]);
    expect(plan.detections.find((d) => d.kind === 'sigma')!.contributorRule!.keys).toEqual(['$.sourceIPAddress']);
  });

  test('an event_count correlation with group-by counts per value; more than 4 fields are refused', () => {
    const text = (groupBy: string) => `${SECRET_READS}title: Many secret reads by one principal
id: 44444444-2222-3333-4444-555555555555
correlation:
    type: event_count
    rules:
        - secret_reads
    group-by: ${groupBy}
    timespan: 5m
    condition:
        gte: 12
`;
    const [c] = convertSigmaStrict([{ file: 'corr.yml', text: text('[userIdentity.arn]') }]);
    expect(c.control.alarm).toEqual({ threshold: 12, period: 300, evaluationPeriods: 1, per: ['userIdentity.arn'] });
    const e = convertSigma([{ file: 'corr.yml', text: text('[userIdentity.arn, sourceIPAddress, userAgent, awsRegion, eventName]') }])[0];
    expect(e.ok ? undefined : e.error.reason).toMatch(/groups by at most 4 keys/);
  });

  test('a Sigma correlation (event_count, gte) over a base rule in another document', () => {
    const text = `${SECRET_READS}title: Many secret reads
id: 33333333-2222-3333-4444-555555555555
author: Corr Author
tags:
    - attack.credential-access
    - attack.t1555.006
correlation:
    type: event_count
    rules:
        - secret_reads
    timespan: 1h
    condition:
        gte: 20
`;
    const results = convertSigmaStrict([{ file: 'corr.yml', text }]);
    expect(results).toHaveLength(1); // the base rule is not a detection of its own
    const c = results[0];
    expect(c.control.id).toBe('sigma-33333333-2222-3333-4444-555555555555');
    expect(c.control.alarm).toEqual({ threshold: 20, period: 3600, evaluationPeriods: 1 });
    expect(c.control.attack).toEqual({ tactics: ['TA0006'], techniques: ['T1555.006'] });
    expect(renderCloudWatchPattern(detectionCondition(c.control.detection))).toBe('{ ($.eventSource = "secretsmanager.amazonaws.com") && ($.eventName = "GetSecretValue") }');
  });

  test('metadata: id, title, author, references and ATT&CK ids reach the detection and its description', () => {
    const c = one(rule(`    selection:\n        eventName: CreateUser\n    condition: selection`));
    expect(c.control).toMatchObject({ id: 'sigma-11111111-2222-3333-4444-555555555555', title: 'Test rule', kind: 'sigma', severity: 'high', attack: { tactics: ['TA0003'], techniques: ['T1098.001'] } });
    expect(c.sigma).toMatchObject({ author: 'Test Author', references: ['https://example.com/ref'] });
    expect(c.description).toContain('Sigma rule 11111111-2222-3333-4444-555555555555 by Test Author');
    expect(c.description).toContain('ATT&CK: T1098.001, TA0003');
    expect(c.description).toContain('References: https://example.com/ref');
  });

  test('case: free-text fields warn, MFAUsed matches both AWS spellings, |cased silences the warning', () => {
    const c = one(rule(`    selection:\n        userAgent|contains: 'TruffleHog'\n        additionalEventData.MFAUsed: 'no'\n    condition: selection`));
    expect(c.warnings).toEqual([expect.stringMatching(/^test\.yml:14:9: userAgent is compared case-sensitively/)]);
    expect(detectionCondition(c.control.detection)).toMatchObject({ all: [{}, { field: ['additionalEventData', 'MFAUsed'], op: 'equals', values: ['No', 'NO'] }] });
    expect(one(rule(`    selection:\n        userAgent|contains|cased: 'TruffleHog'\n    condition: selection`)).warnings).toEqual([]);
  });
});

test("'true' / 'false' match the text and the JSON boolean CloudTrail may hold; their negation is refused", () => {
  expect(cw(rule(`    selection:\n        requestParameters.enable: 'false'\n    condition: selection`))).toBe(
    '{ ($.requestParameters.enable = "false") || ($.requestParameters.enable IS FALSE) }',
  );
  expect(one(rule(`    selection:\n        responseElements.publiclyAccessible: true\n    condition: selection`)).warnings).toEqual([]);
  const e = refusal(rule(`    a:\n        eventName: X\n    b:\n        requestParameters.enable: true\n    condition: a and not b`));
  expect({ construct: e.construct, line: e.line }).toEqual({ construct: 'not', line: 17 });
  expect(e.reason).toMatch(/not of requestParameters\.enable: true cannot be expressed/);
});

describe('refusals name the file, line, column and construct', () => {
  test.each([
    ['fieldref', `    selection:\n        eventName: UpdateLoginProfile\n    filter:\n        userIdentity.arn|fieldref: requestParameters.userName\n    condition: selection and not filter`, 16, 'userIdentity.arn|fieldref', /comparing one field with another/],
    ['a whole object', `    selection:\n        requestParameters|contains: Suspended\n    condition: selection`, 14, 'requestParameters', /an object in CloudTrail records/],
    ['a field CloudTrail does not have', `    selection:\n        status: success\n    condition: selection`, 14, 'status', /not a field of CloudTrail records/],
    ['keywords', `    keywords:\n        - 'evil'\n    condition: keywords`, 14, 'keywords', /keyword search/],
    ['count by, of a detection Contributor Insights cannot filter', `    selection:\n        userAgent|re: 'ab.*'\n    timeframe: 5m\n    condition: selection | count() by sourceIPAddress > 5`, 16, '| count() by sourceIPAddress', /a count per value is a Contributor Insights rule, whose filters cannot express this detection: .*no regular expressions/],
    ['count by a field CloudTrail does not have', `    selection:\n        eventName: X\n    timeframe: 5m\n    condition: selection | count() by clientIp > 5`, 16, '| count() by clientIp', /cannot count per clientIp: clientIp is not a field of CloudTrail records/],
    ['near', `    a:\n        eventName: X\n    b:\n        eventName: Y\n    condition: a | near b`, 17, '| near', /temporal correlation/],
    ['a timeframe without a count', `    a:\n        eventName: X\n    timeframe: 5m\n    condition: a`, 15, 'timeframe', /without an aggregation/],
    ['two events in one record', `    a:\n        eventName: X\n    b:\n        eventName: Y\n    condition: a and b`, 17, 'condition', /never matches/],
    ['a regex CloudWatch cannot run', `    a:\n        userAgent|re: '(evil|bad)'\n    condition: a`, 14, "userAgent|re: (evil|bad)", /the character "\("/],
    ['a ? wildcard', `    a:\n        eventName: 'Get?'\n    condition: a`, 14, 'eventName: Get?', /single-character wildcard/],
    ['an unknown identifier', `    a:\n        eventName: X\n    condition: a and b`, 15, 'b', /no search identifier "b"/],
  ])('%s', (_name, detection, line, construct, reason) => {
    const e = refusal(rule(detection), 'rules/x.yml');
    expect({ file: e.file, line: e.line, construct: e.construct }).toEqual({ file: 'rules/x.yml', line, construct });
    expect(e.reason).toMatch(reason);
    expect(e.message).toMatch(new RegExp(`^rules/x\\.yml:${line}:\\d+: `));
  });

  test('two rules with one id: the second is refused, naming the first (the id names the filter and alarm)', () => {
    const text = rule(`    a:\n        eventName: X\n    condition: a`);
    const results = convertSigma([
      { file: 'one.yml', text },
      { file: 'two.yml', text },
    ]);
    expect(results[0].ok).toBe(true);
    expect(results[1].ok ? undefined : results[1].error.message).toMatch(/^two\.yml:2:5: id: the rule id 11111111-2222-3333-4444-555555555555 is also the id of a rule in one\.yml:1/);
  });

  test('another logsource is refused at the logsource', () => {
    const e = refusal(rule(`    a:\n        eventName: X\n    condition: a`).replace('service: cloudtrail', 'service: guardduty'));
    expect(e.construct).toBe('logsource product: aws, service: guardduty');
    expect(e.line).toBe(10);
  });

  test('a YAML syntax error is reported with its place', () => {
    const e = refusal('title: x\nid: [unclosed\n');
    expect(e.construct).toBe('YAML');
    expect(e.line).toBeGreaterThanOrEqual(2);
  });

  test('the vendored SigmaHQ rules that cannot be expressed are refused whole, with the reason', () => {
    const results = convertSigma(readSigmaSources([VENDOR], VENDOR));
    const refused = Object.fromEntries(results.filter((r) => !r.ok).map((r) => [(r as { error: SigmaError }).error.file, (r as { error: SigmaError }).error.construct]));
    expect(refused).toEqual({
      'aws_disable_bucket_versioning.yml': 'requestParameters',
      'aws_lambda_function_created_or_invoked.yml': '| near',
      'aws_update_login_profile.yml': 'userIdentity.arn|fieldref',
    });
    expect(results.filter((r) => r.ok)).toHaveLength(11);
  });
});

describe('rendering a converted rule', () => {
  test('EventBridge refuses a regex rule (it has none) while CloudWatch and SQL render it', () => {
    const [c] = convertSigmaStrict(readSigmaSources(['aws_cloudtrail_imds_malicious_usage.yml'], VENDOR));
    expect(renderSigma(c, 'cloudwatch')).toMatchObject({ pattern: expect.stringContaining('%.+:assumed-role/aws:.+%') });
    expect(renderSigma(c, 'sql')).toMatchObject({ query: expect.stringContaining("regexp_like(useridentity.arn, '.+:assumed-role/aws:.+')") });
    expect(() => renderSigma(c, 'eventbridge')).toThrow(/aws_cloudtrail_imds_malicious_usage\.yml:1:1: detection \(as eventbridge\): regex on userIdentity\.arn.*no regular expressions/);
  });
});

describe('what CloudWatch would refuse is refused at conversion', () => {
  test('a pattern over 1,024 characters', () => {
    const names = Array.from({ length: 40 }, (_, i) => `            - SomeRatherLongApiActionName${i}`).join('\n');
    const [c] = convertSigmaStrict([{ file: 'long.yml', text: rule(`    selection:\n        eventName:\n${names}\n    condition: selection`) }]);
    expect(() => renderSigma(c, 'cloudwatch')).toThrow(/^long\.yml:1:1: detection \(as cloudwatch\): the CloudWatch filter pattern is refused \(too-long\)/);
    expect(renderSigma(c, 'eventbridge')).toMatchObject({ target: 'eventbridge' });
  });

  test('more than 2 regexes in one pattern', () => {
    const [c] = convertSigmaStrict([{ file: 're.yml', text: rule(`    selection:\n        userAgent|re:\n            - '^a'\n            - '^b'\n            - '^c'\n    condition: selection`) }]);
    expect(() => renderSigma(c, 'cloudwatch')).toThrow(/re\.yml:1:1: detection \(as cloudwatch\): the CloudWatch filter pattern is refused \(syntax\).*regex/);
  });
});
