import { compileFilterPattern, LINT_RULES, lintFilterPattern, parseFilterPattern, type LintFinding } from '../../lib/filter-pattern';

const byRule = (pattern: string, rule: string): LintFinding[] => lintFilterPattern(pattern).filter((f) => f.rule === rule);

// The widely copied CIS "unauthorized API calls" pattern: the two != are operands of ||, so it matches
// nearly every event.
const CIS_DEFECT =
  '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }';
const CIS_CORRECTED =
  '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }';

describe('the CIS unauthorized-API-calls pattern', () => {
  test('the defective pattern gets one negation-in-or error per negated operand, pointing at it', () => {
    expect(lintFilterPattern(CIS_DEFECT)).toEqual([
      {
        severity: 'error',
        rule: 'negation-in-or',
        column: CIS_DEFECT.indexOf('$.sourceIPAddress') + 1,
        message:
          '$.sourceIPAddress != delivery.logs.amazonaws.com at column 83 is an operand of "||": it is true for almost every event, so the whole "||" matches almost everything. Combine negations with "&&", e.g. (A || B) && $.sourceIPAddress != delivery.logs.amazonaws.com',
      },
      {
        severity: 'error',
        rule: 'negation-in-or',
        column: CIS_DEFECT.indexOf('$.eventName') + 1,
        message: expect.stringContaining('$.eventName != HeadBucket at column 137 is an operand of "||"'),
      },
    ]);
  });

  test('and it really does match an unrelated, successful event (the defect the rule reports)', () => {
    const benign = JSON.stringify({ eventName: 'DescribeInstances', sourceIPAddress: '10.0.0.1' });
    expect(compileFilterPattern(CIS_DEFECT).matches(benign)).toBe(true);
    expect(compileFilterPattern(CIS_CORRECTED).matches(benign)).toBe(false);
  });

  test('the corrected pattern is clean', () => {
    expect(lintFilterPattern(CIS_CORRECTED)).toEqual([]);
  });
});

describe('clean real-world CloudTrail patterns (CIS AWS Foundations metric filters)', () => {
  test.each([
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    '{ ($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy")) }',
  ])('%s', (pattern) => expect(lintFilterPattern(pattern)).toEqual([]));
});

describe('syntax', () => {
  test('non-compliant: an unparsable pattern is one error carrying the parser column', () => {
    expect(lintFilterPattern('{ $.eventName = A && && $.b = 2 }')).toEqual([
      {
        severity: 'error',
        rule: 'syntax',
        message: 'unexpected "&&" at column 22: expected a selector like $.eventName',
        column: 22,
      },
    ]);
  });

  test('compliant: a parsable pattern has no syntax finding', () => {
    expect(byRule('{ $.eventName = A && $.eventSource = B }', 'syntax')).toEqual([]);
  });
});

describe('ambiguous-precedence', () => {
  test('non-compliant: || and && at one level', () => {
    const pattern = '{ $.eventName = A || $.eventName = B && $.eventSource = C }';
    expect(byRule(pattern, 'ambiguous-precedence')).toEqual([
      {
        severity: 'error',
        rule: 'ambiguous-precedence',
        column: pattern.indexOf('&&') + 1,
        message:
          '"&&" at column 38 and "||" are mixed without parentheses; && binds tighter, so this reads as $.eventName = A || ($.eventName = B && $.eventSource = C). Add parentheses to say which grouping you mean',
      },
    ]);
  });

  test('non-compliant: also inside a group', () => {
    expect(byRule('{ $.eventSource = S && ($.eventName = A && $.errorCode = E || $.eventName = B) }', 'ambiguous-precedence')).toHaveLength(1);
  });

  test.each([
    '{ $.eventName = A || ($.eventName = B && $.eventSource = C) }',
    '{ ($.eventName = A || $.eventName = B) && $.eventSource = C }',
    '{ $.eventName = A || $.eventName = B || $.eventName = C }',
    '{ $.eventName = A && $.eventSource = B && $.awsRegion = C }',
  ])('compliant: %s', (pattern) => expect(byRule(pattern, 'ambiguous-precedence')).toEqual([]));
});

describe('negation-in-or', () => {
  test.each([
    ['{ $.eventName = A || $.errorCode NOT EXISTS }', '$.errorCode NOT EXISTS'],
    ['{ ((($.eventName != A))) || $.eventName = B }', '$.eventName != A'],
    ['{ $.eventSource = S && ($.eventName = A || $.userAgent != "console.amazonaws.com") }', '$.userAgent != console.amazonaws.com'],
  ])('non-compliant: %s', (pattern, operand) => {
    const findings = byRule(pattern, 'negation-in-or');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].column).toBe(pattern.indexOf(operand.slice(0, 8)) + 1);
    expect(findings[0].message).toContain(`${operand} at column ${findings[0].column} is an operand of "||"`);
  });

  test('non-compliant: space-delimited alternatives of negations', () => {
    const pattern = '[w1 != ERROR || w1 != WARN, w2]';
    expect(byRule(pattern, 'negation-in-or').map((f) => f.column)).toEqual([2, 17]);
  });

  test.each([
    '{ $.eventName != A && $.eventName != B }',
    '{ ($.eventName = A || $.eventName = B) && $.errorCode NOT EXISTS }',
    '{ ($.eventName != A && $.eventSource = S) || $.eventName = B }', // under &&, not directly under ||
    '[w1 != ERROR && w1 != WARN, w2]',
    'ERROR -Exiting',
    // "absent or different": the complement of `$.eventType = "AwsServiceEvent"` (Sigma's `not`, lib/sigma).
    '{ $.userIdentity.type = "Root" && (($.eventType NOT EXISTS) || ($.eventType != "AwsServiceEvent")) }',
    '{ ($.userAgent NOT EXISTS) || (($.userAgent != "a*") && ($.userAgent != "b")) }',
  ])('compliant: %s', (pattern) => expect(byRule(pattern, 'negation-in-or')).toEqual([]));

  test('non-compliant: a NOT EXISTS guard next to a negation of another field is still reported', () => {
    expect(byRule('{ ($.eventType NOT EXISTS) || ($.userAgent != "x") }', 'negation-in-or').map((f) => f.column)).toEqual([4, 32]);
  });
});

describe('unknown-cloudtrail-field', () => {
  test.each([
    ['{ $.eventname = ConsoleLogin }', '$.eventname at column 3: "eventname" is not a top-level field of CloudTrail records (did you mean "eventName"?)'],
    ['{ $.recipientAccountID = 123456789012 }', '$.recipientAccountID at column 3: "recipientAccountID" is not a top-level field of CloudTrail records (did you mean "recipientAccountId"?)'],
    ['{ $.eventName = X && $.detail.state NOT EXISTS }', '$.detail.state at column 22: "detail" is not a top-level field of CloudTrail records'],
  ])('non-compliant: %s', (pattern, message) => {
    expect(byRule(pattern, 'unknown-cloudtrail-field')).toEqual([{ severity: 'error', rule: 'unknown-cloudtrail-field', message, column: pattern.indexOf(message.split(' ')[0]) + 1, acknowledgeable: true }]);
  });

  test.each([
    '{ $.userIdentity.sessionContext.sessionIssuer.userName = admin }',
    '{ $.requestParameters.bucketName = "x" && $.tlsDetails.tlsVersion = "TLSv1" && $.eventContext NOT EXISTS }',
    '[detail, state]', // not JSON: the rule does not apply
    'detail',
  ])('compliant: %s', (pattern) => expect(byRule(pattern, 'unknown-cloudtrail-field')).toEqual([]));
});

describe('too-long', () => {
  test('non-compliant: 1025 characters', () => {
    expect(byRule('A'.repeat(1025), 'too-long')).toEqual([
      { severity: 'error', rule: 'too-long', message: 'pattern is 1025 characters; CloudWatch Logs accepts at most 1024', column: 1025 },
    ]);
  });

  test('compliant: exactly 1024 characters', () => {
    expect(lintFilterPattern('A'.repeat(1024))).toEqual([]);
  });
});

describe('the rule set', () => {
  test('each rule is a pure function of the context: same input, same findings, no shared state', () => {
    const ctx = { pattern: CIS_DEFECT, parsed: { ok: true as const, ast: parseFilterPattern(CIS_DEFECT) } };
    for (const rule of LINT_RULES) expect(rule.check(ctx)).toEqual(rule.check(ctx));
    expect(LINT_RULES.map((r) => r.id)).toEqual(['too-long', 'syntax', 'ambiguous-precedence', 'negation-in-or', 'unknown-cloudtrail-field']);
  });

  test('findings from several rules come back ordered by column', () => {
    const findings = lintFilterPattern('{ $.foo != 1 || $.eventName = A && $.bar = 2 }');
    expect(findings.map((f) => [f.rule, f.column])).toEqual([
      ['negation-in-or', 3],
      ['unknown-cloudtrail-field', 3],
      ['ambiguous-precedence', 33],
      ['unknown-cloudtrail-field', 36],
    ]);
  });
});
