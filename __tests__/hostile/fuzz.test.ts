/**
 * Hostile configs: thousands of random and mutated configs. trailwatch must either synthesize
 * output that keeps the safety invariants, or refuse with a clear ConfigError — never crash with a
 * stack trace. (That a refusal writes nothing is proven for the CLI in __tests__/cli.test.ts.)
 */
import { Testing } from 'cdktf';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { buildApp } from '../../lib/app/build-app';
import { ConfigError, loadConfigFile, parseConfigText } from '../../lib/config/load';
import { UserError } from '../../lib/core/errors';
import { parse } from 'yaml';
import { safetyViolations } from '../support/safety';
import { planAll } from '../../lib/plan/plan';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/**
 * The bundled example (every section, so mutations reach every part of the schema), cut to one
 * governed region and one member so that 2,000 cases synthesize in well under a minute.
 */
const BASE = (() => {
  const example = parse(fs.readFileSync(path.join(__dirname, '../../trailwatch.yaml'), 'utf8'));
  example.organization.regions = [example.organization.homeRegion];
  example.accounts = example.accounts.slice(0, 1).map((a: Record<string, unknown>) => ({ ...a, regions: undefined }));
  delete example.rollout; // its waves name the members cut above
  return JSON.parse(JSON.stringify(example)) as Json;
})();

function allPaths(v: Json, p: Path = []): Path[] {
  const here: Path[] = [p];
  if (Array.isArray(v)) return here.concat(...v.map((x, i) => allPaths(x, [...p, i])));
  if (v !== null && typeof v === 'object') return here.concat(...Object.entries(v).map(([k, x]) => allPaths(x, [...p, k])));
  return here;
}
const PATHS = allPaths(BASE);

const NASTY_STRINGS = [
  '${file("/etc/passwd")}',
  'x${var.a}',
  '%{ for x in y }',
  '__proto__',
  'constructor',
  '',
  ' ',
  '0'.repeat(5000),
  '111111111111',
  '0',
  'us-east-1',
  'mars-1',
  'o-a1b2c3d4e5',
  'arn:aws:iam::*:role/*',
  '"quoted"',
  'line\nbreak',
  '\u0000',
  '🙂',
  '*',
  '{ $.eventName = "x" }',
];

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), leaf, { maxKeys: 3 }) },
);

type Mutation = { op: 'set'; at: number; v: Json } | { op: 'delete'; at: number } | { op: 'addKey'; at: number; key: string; v: Json } | { op: 'dup'; at: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(PATHS.length - 1), v: value }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(PATHS.length - 1) }),
  fc.record({
    op: fc.constant('addKey' as const),
    at: fc.nat(PATHS.length - 1),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'regoins', '${x}', 'enabled'), fc.string({ maxLength: 10 })),
    v: value,
  }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(PATHS.length - 1) }),
);

function apply(base: Json, muts: Mutation[]): Json {
  const doc = structuredClone(base);
  for (const m of muts) {
    const p = PATHS[m.at];
    if (p.length === 0) continue;
    let parent: any = doc;
    for (const seg of p.slice(0, -1)) {
      parent = parent?.[seg];
      if (parent === null || typeof parent !== 'object') break;
    }
    if (parent === null || typeof parent !== 'object') continue;
    const last = p[p.length - 1];
    if (m.op === 'set') parent[last] = m.v;
    else if (m.op === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
    else if (m.op === 'dup' && Array.isArray(parent) && parent[Number(last)] !== undefined) parent.push(structuredClone(parent[Number(last)]));
    else if (m.op === 'addKey') {
      const target = parent[last];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.v, enumerable: true, writable: true, configurable: true });
    }
  }
  return doc;
}

/** A refusal must be a ConfigError whose every line is "path: message (file:line:col)" or "path: message". */
function expectClearRefusal(e: unknown): void {
  if (!(e instanceof ConfigError)) throw e;
  const lines = e.message.split('\n');
  expect(lines[0]).toMatch(/^fuzz\.yaml: \d+ problems? in the configuration:$/);
  for (const l of lines.slice(1)) expect(l).toMatch(/^ {2}- \S.*: \S.*$/);
  expect(e.message).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

let accepted = 0;
let refused = 0;

function check(text: string): void {
  let config;
  try {
    config = parseConfigText(text, 'fuzz.yaml');
  } catch (e) {
    refused++;
    expectClearRefusal(e);
    return;
  }
  accepted++;
  const { stacks } = buildApp(planAll(config), { outdir: Testing.app().outdir });
  const out = Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
  // Accepted: every Terraform template sequence from the config reaches Terraform escaped ($${, %%{).
  const templated = Object.values(out).map((json) => ({ ...json, terraform: undefined }));
  expect(JSON.stringify(templated)).not.toMatch(/(?<![$%])(\$\{(file\(|var\.a\})|%\{ for)/);
  expect(safetyViolations(config, out)).toEqual([]);
}

describe('hostile configs', () => {
  afterAll(() => {
    // Visible in the test log: how the cases split (a fuzzer that only produced refusals would prove little).
    process.stderr.write(`fuzz: ${accepted} configs synthesized, ${refused} refused\n`);
  });

  test('mutated example configs: safe output or a clear refusal (2,000 cases)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
        check(stringify(apply(BASE, muts)));
      }),
      { numRuns: 2000, seed: Number(process.env.FUZZ_SEED ?? 20261121) },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  test('the safety invariants catch unsafe output (so a passing fuzz run means something)', () => {
    const config = parseConfigText(stringify(BASE), 'fuzz.yaml');
    const { stacks } = buildApp(planAll(config), { outdir: Testing.app().outdir });
    const out: Record<string, any> = Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
    expect(safetyViolations(config, out)).toEqual([]);
    const trail = Object.values(out.management.resource.aws_cloudtrail)[0] as Record<string, unknown>;
    delete trail.kms_key_id;
    trail.is_multi_region_trail = false;
    const pab = Object.values(out['log-archive'].resource.aws_s3_bucket_public_access_block)[0] as Record<string, unknown>;
    pab.block_public_policy = false;
    const alarm = Object.values(out.management.resource.aws_cloudwatch_metric_alarm)[0] as Record<string, unknown>;
    alarm.metric_name = 'UnauthorizedAPICalls';
    const v = safetyViolations(config, out).join('\n');
    expect(v).toMatch(/is not KMS-encrypted/);
    expect(v).toMatch(/^multi-region: /m);
    expect(v).toMatch(/does not set block_public_policy/);
    expect(v).toMatch(/metric_name "UnauthorizedAPICalls" is not a reference/);
  });

  test('random text and random bytes are refused clearly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        try {
          parseConfigText(text, 'fuzz.yaml');
        } catch (e) {
          expectClearRefusal(e);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('non-UTF-8 files, huge files and alias bombs are refused without running away', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-hostile-'));
    const write = (name: string, data: string | Buffer) => (fs.writeFileSync(path.join(dir, name), data), path.join(dir, name));
    const cases: [string, RegExp][] = [
      [write('latin1.yaml', Buffer.from('organization:\n  id: caf\xe9\n', 'latin1')), /not valid UTF-8/],
      [write('huge.yaml', Buffer.alloc(17 * 1024 * 1024, 'a')), /larger than the \d+-byte limit/],
      [write('bomb.yaml', 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n'), /alias/i],
      [write('deep.yaml', '['.repeat(5000) + ']'.repeat(5000)), /./],
    ];
    for (const [file, expected] of cases) {
      const started = Date.now();
      let error: unknown;
      try {
        loadConfigFile(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(expected);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
