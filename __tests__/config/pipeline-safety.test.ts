/**
 * Issue 12, items 10, 11, 12, 15 and 17: what `validate` tells a pipeline about a config. Each
 * test fails on the behaviour the issue describes and asserts what the user sees.
 */
import { parseConfigText, parseConfigWithWarnings } from '../../lib/config/load';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, writeTemp } from '../support/cli';
import { MINIMAL_YAML, problemsOf as problemsOfConfig } from '../support/configs';

const problemsOf = (yaml: string) => problemsOfConfig(yaml, 'tw.yaml');

const warningsOf = (yaml: string) => parseConfigWithWarnings(yaml, 'tw.yaml').warnings.map((w) => `${w.path.join('.')}: ${w.message}`);

describe('every problem is reported at once (item 12)', () => {
  test('a semantic problem in monitoring is reported with a schema error in organization', () => {
    const problems = problemsOf(
      MINIMAL_YAML.replace('regions: [us-east-1, eu-west-1]', 'regions: [us-east-1, eu-west-9]') +
        'monitoring:\n  controls:\n    root-account-usage:\n      alarm: { evaluationPeriods: 2, datapointsToAlarm: 3 }\n',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^organization\.regions\[1\]: unknown region "eu-west-9".*\(tw\.yaml:4:24\)$/),
      'monitoring.controls["root-account-usage"].alarm.datapointsToAlarm: datapointsToAlarm 3 is more than evaluationPeriods 2 for root-account-usage; lower it or raise evaluationPeriods (tw.yaml:13:57)',
    ]);
  });

  test('a semantic problem in trail is reported with a schema error in another section', () => {
    const problems = problemsOf(MINIMAL_YAML + 'alerting: { topicName: "bad name" }\ntrail:\n  snsTopicName: x\n');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^alerting\.topicName: expected a topic name/);
    expect(problems[1]).toMatch(/^trail\.snsTopicName: names a topic but snsNotification is not true.*\(tw\.yaml:12:17\)$/);
  });

  test('no made-up problems: a bad account does not make rollout globs or reader accounts look unmatched', () => {
    const yaml =
      MINIMAL_YAML.replace('{ id: "444444444444", name: prod-app }', '{ id: "44", name: prod-app }') +
      "rollout:\n  waves: [[log-archive], [management], ['prod-*', dev-app]]\ntrail:\n  archive: { readerAccounts: [prod-app] }\n";
    expect(problemsOf(yaml)).toEqual(['accounts[0].id: expected 12 digits, got "44" (tw.yaml:8:11)']);
  });

  test('checks never crash on partially invalid input (values of the wrong type everywhere)', () => {
    const yaml =
      MINIMAL_YAML +
      'monitoring: { controls: { root-account-usage: { alarm: { period: "x", evaluationPeriods: -1 } } }, custom: [{ id: 7 }] }\n' +
      'trail: { archive: { lifecycle: { transitions: [{ days: "x" }] } }, dataEvents: { s3: 3 } }\neventbridge: { responder: 4 }\n';
    expect(problemsOf(yaml).length).toBeGreaterThanOrEqual(5);
  });
});

describe('configs that passed validate and failed later are refused (item 10)', () => {
  test.each([
    ['eventbridge:\n  responder: { enabled: true, logRetentionDays: 42 }\n', /^eventbridge\.responder\.logRetentionDays: expected one of the retention periods CloudWatch Logs accepts \(0, 1, 3, 5, 7, 14, .*\), got 42 \(tw\.yaml:11:49\)$/],
    ["backend: { type: cloud, organization: acme, hostname: 'https://tfe.example/' }\n", /^backend\.hostname: expected a host name such as tfe\.example\.com \(no https:\/\/, no path\), got "https:\/\/tfe\.example\/"; write tfe\.example \(tw\.yaml:10:55\)$/],
    ['tags: { "aws:team": x }\n', /^tags\["aws:team"\]: tag keys starting with aws: are reserved for AWS, got "aws:team" \(tw\.yaml:10:9\)$/],
    ['tags: { Team: "a|b" }\n', /^tags\.Team: expected a tag value of letters, digits, spaces and _ \. : \/ = \+ - @ \(what AWS accepts\), got "a\|b" \(tw\.yaml:10:15\)$/],
    [
      'monitoring:\n  alarmDefaults: { period: 600, evaluationPeriods: 145 }\n',
      /^monitoring\.alarmDefaults\.evaluationPeriods: period 600 s x evaluationPeriods 145 = 87000 s; CloudWatch allows at most 86400 s \(1 day for periods under an hour\): lower evaluationPeriods to 144 or less, or use a period of 3600 or more \(tw\.yaml:11:52\)$/,
    ],
    ['monitoring:\n  controls:\n    root-account-usage: { alarm: { period: 3600, evaluationPeriods: 169 } }\n', /alarm\.evaluationPeriods: period 3600 s x evaluationPeriods 169 = 608400 s for root-account-usage; CloudWatch allows at most 604800 s \(7 days\)/],
  ])('%s', (tail, expected) => {
    expect(problemsOf(MINIMAL_YAML + tail)).toContainEqual(expect.stringMatching(expected));
  });

  test('the limits themselves are accepted', () => {
    expect(() =>
      parseConfigText(
        MINIMAL_YAML +
          "backend: { type: cloud, organization: acme, hostname: 'tfe.example.com:8443' }\ntags: { 'Cost Center': 'a b_c.d:e/f=g+h-i@j' }\n" +
          'eventbridge:\n  responder: { enabled: true, logRetentionDays: 731 }\n' +
          'monitoring:\n  alarmDefaults: { period: 600, evaluationPeriods: 144 }\n  controls:\n    root-account-usage: { alarm: { period: 3600, evaluationPeriods: 168 } }\n',
      ),
    ).not.toThrow();
  });
});

describe('blind detections and contradictions are warned about, with the path (item 11)', () => {
  test.each(['ReadOnly', 'None'])('trail.managementEvents.readWriteType: %s with the CIS alarms deployed', (rw) => {
    const tail = `trail:\n  managementEvents: { readWriteType: ${rw} }\n  insights: []\n${rw === 'None' ? '  dataEvents: { s3: [my-bucket] }\n  selectorStyle: advanced\n' : ''}`;
    expect(warningsOf(MINIMAL_YAML + tail)).toContainEqual(
      expect.stringMatching(new RegExp(`^trail\\.managementEvents\\.readWriteType: the trail logs (no|only read-only) management events, but 15 CIS alarms \\(unauthorized-api-calls, .*\\) look for write calls and failed calls: they would never fire`)),
    );
  });

  test('no blind-detection warning with WriteOnly, or when monitoring is off', () => {
    expect(warningsOf(MINIMAL_YAML + 'trail:\n  managementEvents: { readWriteType: WriteOnly }\n  insights: []\n')).toEqual([]);
    expect(warningsOf(MINIMAL_YAML + 'trail:\n  managementEvents: { readWriteType: ReadOnly }\n  insights: []\nmonitoring: { enabled: false }\n')).toEqual([]);
  });

  test('eventbridge.enabled: false with responder.enabled: true', () => {
    expect(warningsOf(MINIMAL_YAML + 'eventbridge:\n  enabled: false\n  responder: { enabled: true }\n')).toEqual([
      'eventbridge.responder.enabled: the responder is not deployed because eventbridge.enabled is false (it runs on the Insights rules of EventBridge); set eventbridge.enabled: true, or remove the responder',
    ]);
  });

  test('monitoring.enabled: false with controls and custom set', () => {
    const w = warningsOf(MINIMAL_YAML + "monitoring:\n  enabled: false\n  controls: { root-account-usage: { enabled: false } }\n  custom: [{ id: my-alarm, title: Mine, pattern: '{ $.eventName = X }' }]\n");
    expect(w).toContainEqual(expect.stringMatching(/^monitoring\.controls: has no effect with monitoring\.enabled: false/));
    expect(w).toContainEqual(expect.stringMatching(/^monitoring\.custom: has no effect with monitoring\.enabled: false/));
  });
});

describe('wording (item 15)', () => {
  test('an unknown key of one backend type lists that type\'s keys, not "did you mean" the same key', () => {
    const [p] = problemsOf(MINIMAL_YAML + 'backend: { type: s3, organization: x, bucket: my-bucket, region: us-east-1 }\n');
    expect(p).toBe('backend.organization: unknown key "organization"; allowed keys: type, bucket, region, keyPrefix, dynamodbTable, useLockfile, roleArn (tw.yaml:10:22)');
  });

  test('YAML merge keys are supported', () => {
    const c = parseConfigText(
      MINIMAL_YAML + 'x-alarm: &alarm { evaluationPeriods: 3, datapointsToAlarm: 2 }\n'.replace('x-alarm: ', '# ') +
        'monitoring:\n  alarmDefaults: &defaults { evaluationPeriods: 3, datapointsToAlarm: 2 }\n  controls:\n    root-account-usage:\n      alarm:\n        <<: *defaults\n        threshold: 5\n',
    );
    expect(c.monitoring?.controls?.['root-account-usage'].alarm).toEqual({ evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 5 });
  });

  describe('merge keys next to a typo, and top-level x- extension keys (issue 18)', () => {
    const ANCHOR = 'x-alarm: &alarm\n  evaluationPeriods: 3\n  datapointsToAlarm: 2\n';
    const merged = (alarm: string) => `${ANCHOR}${MINIMAL_YAML}monitoring:\n  controls:\n    root-account-usage:\n      alarm:\n        <<: *alarm\n${alarm}`;

    test('an anchor under a top-level x- key is merged, and the x- key itself is ignored', () => {
      const c = parseConfigText(merged('        threshold: 5\n'));
      expect(c.monitoring?.controls?.['root-account-usage'].alarm).toEqual({ evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 5 });
      expect(c).not.toHaveProperty('x-alarm');
    });

    test('a typo next to a merge key is reported with its line, not a crash', () => {
      expect(problemsOf(merged('        treshold: 5\n'))).toEqual([
        'monitoring.controls["root-account-usage"].alarm.treshold: unknown key "treshold": did you mean "threshold"? (tw.yaml:18:9)',
      ]);
    });

    test('a typo inside the anchored block is reported where it is written', () => {
      const text = merged('        threshold: 5\n').replace('  datapointsToAlarm: 2', '  datapointsToAlarms: 2');
      expect(problemsOf(text)).toEqual([expect.stringMatching(/alarm\.datapointsToAlarms: unknown key "datapointsToAlarms": did you mean "datapointsToAlarm"\? \(tw\.yaml:3:3\)$/)]);
    });

    test('validate and synth print the problem, without a stack trace', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-merge-'));
      fs.writeFileSync(path.join(dir, 'tw.yaml'), merged('        treshold: 5\n'));
      for (const args of [['validate'], ['synth', '--out', path.join(dir, 'out')]]) {
        const r = await runCli([...args, '--config', path.join(dir, 'tw.yaml')]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/treshold: unknown key "treshold": did you mean "threshold"\? \(tw\.yaml:18:9\)/);
        expect(r.stderr).not.toMatch(/Merge sources|\n\s+at /);
      }
    });
  });

  test('no raw zod wording', () => {
    const problems = problemsOf(MINIMAL_YAML + `alerting: { displayName: ${'x'.repeat(101)}, subscriptions: foo }\n`).join('\n');
    expect(problems).not.toMatch(/Invalid input|Too big|Invalid key in record|received/);
    expect(problems).toContain('alerting.displayName: expected at most 100 characters, got 101');
    expect(problems).toContain('alerting.subscriptions: expected a list, got "foo"');
    expect(problemsOf(MINIMAL_YAML + 'tags: { "a|b": x }\n')).toEqual([expect.stringMatching(/^tags\["a\|b"\]: expected a tag key of letters, digits, spaces/)]);
  });

  test('an empty accounts: is no accounts', () => {
    const c = parseConfigText(MINIMAL_YAML.replace(/accounts:[\s\S]*$/, 'accounts:\n  # none yet\n'));
    expect(c.accounts).toEqual([]);
  });

  test('an alarm-name clash is reported where the file sets the name', () => {
    const yaml = MINIMAL_YAML + "monitoring:\n  custom:\n    - { id: my-alarm, title: Mine, pattern: '{ $.eventName = X }', alarm: { name: trailwatch-root-account-usage } }\n";
    expect(problemsOf(yaml)).toEqual([
      'monitoring.custom[0].alarm.name: alarm name "trailwatch-root-account-usage" of my-alarm is already used by root-account-usage; give each detection its own (tw.yaml:12:83)',
    ]);
    const yaml2 = MINIMAL_YAML + "monitoring:\n  controls:\n    root-account-usage: { alarm: { name: trailwatch-my-alarm } }\n  custom:\n    - { id: my-alarm, title: Mine, pattern: '{ $.eventName = X }' }\n";
    expect(problemsOf(yaml2)[0]).toMatch(/^monitoring\.controls\["root-account-usage"\]\.alarm\.name: alarm name "trailwatch-my-alarm" of my-alarm is already used by root-account-usage.*\(tw\.yaml:12:42\)$/);
  });

  test('a region listed twice is named, at the second entry', () => {
    expect(problemsOf(MINIMAL_YAML.replace('[us-east-1, eu-west-1]', '[us-east-1, eu-west-1, us-east-1]'))).toEqual([
      'organization.regions[2]: us-east-1 is already listed (entry 1); list each region once (tw.yaml:4:35)',
    ]);
  });

  test('period: 45 gives one message', () => {
    expect(problemsOf(MINIMAL_YAML + 'monitoring:\n  alarmDefaults: { period: 45 }\n')).toEqual([
      'monitoring.alarmDefaults.period: expected at least 60 seconds: metric filter metrics have 1-minute resolution (tw.yaml:11:28)',
    ]);
  });

  test('validate and lint do not say "nothing was written"; synth does', async () => {
    const file = writeTemp('tw.yaml', MINIMAL_YAML + 'monitoring:\n  alarmDefaults: { period: 45 }\n');
    for (const args of [['validate'], ['lint']]) {
      const r = await runCli([...args, '-c', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('tw.yaml: 1 problem in the configuration:\n');
      expect(r.stderr).not.toContain('nothing was written');
    }
    const r = await runCli(['synth', '-c', file, '--out', `${file}.out`]);
    expect(r.stderr).toContain('tw.yaml: 1 problem in the configuration; nothing was written:\n');
  });
});

describe('validate for pipelines (item 17)', () => {
  const WARNED = MINIMAL_YAML + 'eventbridge:\n  enabled: false\n  responder: { enabled: true }\n';

  test('--json lists errors with path, line, column and severity, and exits 1', async () => {
    const r = await runCli(['validate', '--json', '-c', writeTemp('tw.yaml', MINIMAL_YAML + 'monitoring:\n  alarmDefaults: { period: 45 }\n')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      file: expect.stringMatching(/tw\.yaml$/),
      valid: false,
      problems: [{ severity: 'error', path: 'monitoring.alarmDefaults.period', line: 11, column: 28, message: expect.stringMatching(/^expected at least 60 seconds/) }],
    });
  });

  test('--json reports warnings as warnings of a valid config, and prints nothing else', async () => {
    const r = await runCli(['validate', '--json', '-c', writeTemp('tw.yaml', WARNED)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      file: expect.any(String),
      valid: true,
      problems: [{ severity: 'warning', path: 'eventbridge.responder.enabled', line: 12, column: 25, message: expect.stringMatching(/^the responder is not deployed/) }],
    });
  });

  test('--strict fails on a warning; without it the warning is printed and validate passes', async () => {
    const file = writeTemp('tw.yaml', WARNED);
    const loose = await runCli(['validate', '-c', file]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toMatch(/^trailwatch: warning: eventbridge\.responder\.enabled: the responder is not deployed/);
    const strict = await runCli(['validate', '--strict', '-c', file]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/tw\.yaml: 1 problem in the configuration; --strict: a warning counts as an error .*:\n {2}- eventbridge\.responder\.enabled: the responder is not deployed.*\(tw\.yaml:12:25\)\n$/);
    const json = await runCli(['validate', '--json', '--strict', '-c', file]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems[0]).toMatchObject({ severity: 'error', path: 'eventbridge.responder.enabled' });
  });

  test('each custom detection warns at its own path, so acknowledging one leaves the other', () => {
    const custom = "monitoring:\n  custom:\n    - { id: one-alarm, title: One, pattern: '{ $.eventName = X }' }\n    - { id: two-alarm, title: Two, pattern: '{ $.eventName = Y }' }\n";
    expect(warningsOf(MINIMAL_YAML + custom).map((w) => w.split(':')[0])).toEqual(['monitoring.custom.0', 'monitoring.custom.1']);
    expect(warningsOf(MINIMAL_YAML + custom + "acknowledge: ['monitoring.custom[0]']\n")).toEqual([
      'monitoring.custom.1: custom detection two-alarm is a filter pattern only; it runs as a metric filter, not as an EventBridge rule',
    ]);
  });

  test('acknowledge: [path] silences a known warning, also under --strict', async () => {
    const file = writeTemp('tw.yaml', WARNED + 'acknowledge: [eventbridge.responder.enabled]\n');
    const r = await runCli(['validate', '--strict', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
