/** Quota preflight: each AWS limit at its boundary (exactly at it passes, one over is refused or warned). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../lib/app/build-app';
import { ConfigError, parseConfigText, parseConfigWithWarnings, formatPath } from '../../lib/config/load';
import { planEventBridge } from '../../lib/eventbridge/plan';
import { planDetections } from '../../lib/monitoring/plan';
import { planOrganization } from '../../lib/core/organization';
import { assessLimit, checkQuotas, countRegex, eventPatternSizes, rulesPerBus } from '../../lib/quotas/check';
import { ALL_LIMITS, LIMITS } from '../../lib/quotas/limits';
import { archivePolicyDocuments } from '../../lib/trail/archive-policies';
import { runCli, writeTemp } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

/** The config's errors as "path: message", or [] when it loads. */
function errors(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'test.yaml');
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
  }
}

function warnings(yaml: string): string[] {
  return parseConfigWithWarnings(yaml, 'test.yaml').warnings.map((p) => `${formatPath(p.path)}: ${p.message}`);
}

/** `n` custom detections, each a metric filter; `regex` of them match with a regular expression. */
function customDetections(n: number, regex = 0): string {
  if (n === 0) return '';
  const lines = Array.from({ length: n }, (_, i) =>
    i < regex ? `    - { id: custom-${i}, title: Custom ${i}, pattern: '{ $.eventName = %^Delete${i}% }' }` : `    - { id: custom-${i}, title: Custom ${i}, pattern: '{ $.eventName = "Event${i}" }' }`,
  );
  return `monitoring:\n  custom:\n${lines.join('\n')}\n`;
}

const catalogDetections = planDetections(undefined).detections.length;

describe('assessLimit: every limit at its boundary', () => {
  test.each(ALL_LIMITS.map((l) => [l.id, l] as const))('%s', (_, limit) => {
    expect(assessLimit(limit, limit.limit, ['x'], 'the thing', 'do less')).toBeUndefined();
    const over = assessLimit(limit, limit.limit + 1, ['x'], 'the thing', 'do less')!;
    expect(over.severity).toBe(limit.kind === 'hard' ? 'error' : 'warning');
    // The message names the number reached, the limit, where AWS says so, and the fix.
    expect(over.problem.message).toContain((limit.limit + 1).toLocaleString('en-US'));
    expect(over.problem.message).toContain(limit.limit.toLocaleString('en-US'));
    expect(over.problem.message).toContain(limit.source);
    expect(over.problem.message).toContain('do less');
    if (limit.kind === 'default') expect(over.problem.message).toContain(limit.raise!);
  });

  test('every limit cites an AWS documentation page', () => {
    for (const l of ALL_LIMITS) expect(l.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});

describe('metric filters per log group (100, hard)', () => {
  test('100 filters load; the 101st is refused with the limit, the count and the fix', () => {
    const room = LIMITS.metricFiltersPerLogGroup.limit - catalogDetections;
    expect(errors(MINIMAL_YAML + customDetections(room))).toEqual([]);
    const over = errors(MINIMAL_YAML + customDetections(room + 1));
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(/^monitoring: the metric filters on the trail's log group aws-cloudtrail-logs\/trailwatch would reach 101; CloudWatch Logs allows at most 100 metric filters per log group/);
    expect(over[0]).toContain('disable detections under monitoring.controls');
  });

  test('counts the planned detections: disabled controls leave room', () => {
    const room = LIMITS.metricFiltersPerLogGroup.limit - catalogDetections;
    const first = planDetections(undefined).detections[0].id;
    expect(errors(MINIMAL_YAML + customDetections(room + 1).replace('monitoring:\n', `monitoring:\n  controls:\n    ${first}: { enabled: false }\n`))).toEqual([]);
  });
});

describe('regular expressions in filter patterns (2 per filter, 5 per log group, hard)', () => {
  test('counts %regex% on the syntax tree', () => {
    expect(countRegex('{ $.eventName = %^Delete% || $.eventSource = %s3% }')).toBe(2);
    expect(countRegex('{ $.eventName = "%notaregex" }')).toBe(0);
    expect(countRegex('%ERROR%')).toBe(1);
  });

  test('5 regex filters load; a 6th is refused', () => {
    expect(errors(MINIMAL_YAML + customDetections(5, 5))).toEqual([]);
    const over = errors(MINIMAL_YAML + customDetections(6, 6));
    expect(over).toEqual([expect.stringMatching(/^monitoring: the regular expressions in the filter patterns on the trail's log group .* would reach 6; CloudWatch Logs allows at most 5 regular expressions/)]);
  });

  test('3 in one pattern are the lint\'s to refuse (too-many-regexes), at the detection', () => {
    const three = `monitoring:\n  custom:\n    - { id: three, title: Three, pattern: '{ $.eventName = %^A% || $.eventName = %^B% || $.eventName = %^C% }' }\n`;
    expect(errors(MINIMAL_YAML + three)).toEqual([expect.stringMatching(/^monitoring\.custom\[0\]\.pattern: .*too many regexes/)]);
  });
});

describe('EventBridge rules per bus (300 default quota, 30 wildcard rules hard)', () => {
  const config = parseConfigText(MINIMAL_YAML.replace('accounts:', '  securityAccount: { id: "333333333333", name: security }\naccounts:'), 'test.yaml');

  test('counts the rules the feature places: per account and region, and on the central bus', () => {
    const plan = planEventBridge(config);
    const buses = rulesPerBus(planOrganization(config), plan);
    const central = buses.find((b) => b.bus.startsWith('the central bus'))!;
    expect(central.rules).toBe(plan.detections.length + 1); // one per control + Insights
    // dev-app governs eu-west-1 only: no IAM/Organizations rule there (those live in us-east-1).
    const devEu = buses.find((b) => b.bus === 'the default event bus of dev-app in eu-west-1')!;
    expect(devEu.rules).toBeLessThan(plan.detections.length + 1);
    expect(buses.every((b) => b.wildcardRules === 0)).toBe(true);
  });

  test('an exclusion with * makes a wildcard rule, counted per bus', () => {
    const first = planDetections(undefined).detections.find((d) => !d.control?.globalService)!.id;
    const c = parseConfigText(MINIMAL_YAML + `monitoring:\n  controls:\n    ${first}:\n      exclude: { identities: ['arn:aws:sts::*:assumed-role/ci/*'] }\n`, 'test.yaml');
    const buses = rulesPerBus(planOrganization(c), planEventBridge(c));
    expect(buses.find((b) => b.bus === 'the default event bus of prod-app in us-east-1')!.wildcardRules).toBe(1);
  });

  test('the default quota warns past 300 and names how to raise it; 30 wildcard rules are a hard limit', () => {
    expect(assessLimit(LIMITS.rulesPerBus, 300, ['eventbridge'], 'rules', 'fewer')).toBeUndefined();
    expect(assessLimit(LIMITS.rulesPerBus, 301, ['eventbridge'], 'rules', 'fewer')).toMatchObject({ severity: 'warning', problem: { message: expect.stringContaining('L-244521F2') } });
    expect(assessLimit(LIMITS.wildcardRulesPerBus, 31, ['eventbridge'], 'rules', 'fewer')!.severity).toBe('error');
  });
});

describe('event pattern size (2048 characters, default quota)', () => {
  // Today's exclusions hit the metric filter's 1024 characters first; catalog and Sigma rules with long patterns would not.
  const plan = planEventBridge(parseConfigText(MINIMAL_YAML, 'test.yaml'));
  const sized = (chars: number) => {
    const d = plan.detections[0];
    const padding = chars - JSON.stringify({ ...d.pattern, x: '' }).length;
    return { detections: [{ ...d, pattern: { ...d.pattern, x: 'a'.repeat(padding) } as typeof d.pattern }] };
  };

  test('a pattern of exactly 2048 characters fits; 2049 warns at the control, naming the quota', () => {
    expect(JSON.stringify(sized(2048).detections[0].pattern)).toHaveLength(2048);
    expect(eventPatternSizes(sized(2048))).toEqual([undefined]);
    const [w] = eventPatternSizes(sized(2049));
    expect(w!.severity).toBe('warning');
    expect(w!.problem.path).toEqual(['monitoring', 'controls', plan.detections[0].control.id]);
    expect(w!.problem.message).toMatch(/would reach 2,049 characters, over the default EventBridge quota of 2,048 .*Event pattern size" \(L-664C5505\)/);
  });

  test('the catalog patterns fit', () => {
    expect(warnings(MINIMAL_YAML).filter((w) => w.includes('event pattern'))).toEqual([]);
  });
});

describe('archive bucket policy (20 KB) and key policy (32 KB), hard', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => `  - { id: "${String(600000000000 + i)}", name: member-${i} }\n`).join('');
  const yaml = (n: number) => `${MINIMAL_YAML}${members(n)}trail: { mode: account }\n`;
  // Measured without the checks (an over-limit config does not load).
  const bytes = (n: number) => {
    const c = parseConfigText(MINIMAL_YAML + members(n), 'x.yaml');
    return Buffer.byteLength(archivePolicyDocuments(planOrganization({ ...c, trail: { mode: 'account' } })).bucketPolicy);
  };

  test('measures the policy exactly as synthesized and refuses the first account that passes 20,480 bytes', () => {
    // The largest organization that fits: found by measuring (the policy grows with every account).
    let n = 50;
    while (bytes(n + 1) <= LIMITS.bucketPolicySize.limit) n++;
    expect(errors(yaml(n))).toEqual([]);
    const over = errors(yaml(n + 1));
    expect(over).toEqual([
      expect.stringMatching(new RegExp(`^trail\\.mode: mode: account names each of the ${n + 1 + 4} accounts' trails in the archive bucket policy, which would reach [\\d,]+ bytes; S3 allows at most 20,480 bytes .*use mode: organization`)),
    ]);
  });

  test('the measured documents are the synthesized ones, byte for byte (example config)', () => {
    const c = parseConfigText(fs.readFileSync(path.join(__dirname, '../../trailwatch.yaml'), 'utf8'), 'trailwatch.yaml');
    const docs = archivePolicyDocuments(planOrganization(c));
    const { stacks } = buildApp(planAll(c), { outdir: path.join(os.tmpdir(), 'tw-quotas-unused') });
    const json = JSON.parse(JSON.stringify(stacks.find((s) => s.account.role === 'log-archive')!.toTerraform())) as { resource: Record<string, Record<string, { policy?: string }>> };
    expect(Object.values(json.resource.aws_s3_bucket_policy).map((p) => p.policy)).toContain(docs.bucketPolicy);
    expect(Object.values(json.resource.aws_kms_key).map((k) => k.policy)).toEqual([docs.keyPolicy]);
  });

  test('an organization trail keeps both policies small', () => {
    const org = planOrganization(parseConfigText(MINIMAL_YAML + members(500), 'test.yaml'));
    const docs = archivePolicyDocuments(org);
    expect(Buffer.byteLength(docs.bucketPolicy)).toBeLessThan(4096);
    expect(Buffer.byteLength(docs.keyPolicy)).toBeLessThan(4096);
  });
});

describe('Lambda concurrency (default quota)', () => {
  test('a reservation warns that the account must keep 100 executions unreserved; none, no warning', () => {
    const base = MINIMAL_YAML.replace('accounts:', '  securityAccount: { id: "333333333333", name: security }\naccounts:');
    expect(warnings(base + 'eventbridge: { responder: { enabled: true } }\n').filter((w) => w.includes('reservedConcurrency'))).toEqual([]);
    const w = warnings(base + 'eventbridge: { responder: { enabled: true, reservedConcurrency: 20 } }\n');
    expect(w).toContainEqual(expect.stringMatching(/^eventbridge\.responder\.reservedConcurrency: reserves 20 concurrent executions .* at least 120 /));
  });
});

test('checkQuotas finds nothing in the bundled example', () => {
  const c = parseConfigText(fs.readFileSync(path.join(__dirname, '../../trailwatch.yaml'), 'utf8'), 'trailwatch.yaml');
  expect(checkQuotas(planAll(c))).toEqual({ problems: [], warnings: [] });
});

test('validate reports a quota error with its path and exits 1', async () => {
  const room = LIMITS.metricFiltersPerLogGroup.limit - catalogDetections;
  const file = writeTemp('trailwatch.yaml', MINIMAL_YAML + customDetections(room + 1));
  const r = await runCli(['validate', '--config', file, '--json']);
  expect(r.code).toBe(1);
  const json = JSON.parse(r.stdout) as { problems: { severity: string; path: string; line?: number; message: string }[] };
  expect(json.problems).toEqual([expect.objectContaining({ severity: 'error', path: 'monitoring', line: expect.any(Number), message: expect.stringContaining('would reach 101') })]);
});

test('synth refuses the same config and writes nothing', async () => {
  const room = LIMITS.metricFiltersPerLogGroup.limit - catalogDetections;
  const file = writeTemp('trailwatch.yaml', MINIMAL_YAML + customDetections(room + 1));
  const out = path.join(path.dirname(file), 'out');
  const r = await runCli(['synth', '--config', file, '--out', out]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/1 problem in the configuration; nothing was written:\n {2}- monitoring: the metric filters on .* would reach 101; CloudWatch Logs allows at most 100 .*\(trailwatch\.yaml:\d+:\d+\)/);
  expect(fs.existsSync(out)).toBe(false);
});
