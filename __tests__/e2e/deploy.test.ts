/**
 * End to end against an AWS emulator (`npm run test:e2e`): moto's server on free loopback ports,
 * the example synthesized with TRAILWATCH_AWS_ENDPOINT pointing at it, then
 *
 *  1. the API checks proven on a fixture stack (they see what exists, report tampering, see deletion);
 *  2. every stack of the example, in the manifest's dependency order: terraform init, apply, and a
 *     second `plan -detailed-exitcode` that must report no changes; the AWS API (boto3) shows every
 *     checked resource as declared; destroy in reverse order leaves nothing behind;
 *  3. the same through the real client: `cdktf deploy '*'`, the API checks, `cdktf destroy '*'`.
 *
 * Pass 3 runs against an emulator of its own, started with the run and carried out while passes 1
 * and 2 run (Terraform spends much of its time waiting on the provider's consistency pollers); its
 * tests then assert what it recorded. Everything (synth output, Terraform working folders, state,
 * logs) lives in one temp folder, removed at the end (TRAILWATCH_E2E_KEEP=1 keeps it). The
 * emulators always stop.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EMULATED_SERVICES, EMULATOR_ENDPOINT_ENV } from '../../lib/providers/emulator';
import { EXAMPLE_CONFIG, synthConfigFile, type SynthOutput } from '../support/example';
import { cdktfEnv, runCommand, stopRunningCommands } from '../support/terraform';
import { accountRoles, callAws, probeThroughApi, type DeployedStack, type ProbeOutcome } from './support/api-checks';
import { startEmulator, type Emulator } from './support/emulator';
import { FIXTURE, FIXTURE_ACCOUNT, FIXTURE_REGION, FIXTURE_STACK, synthFixture } from './support/fixture';
import { allowDestroy, assertEmulated, deploymentOrder, inDependencyOrder, planSummary, readManifest, stackSteps, step, timings, TIMEOUTS } from './support/stacks';

const ROOT = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-'));
const logs = path.join(work, 'logs');
/** Belt and braces: whatever a provider or boto3 might fall back to is fake too. */
const FAKE_AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '' };

/** Emulator of the fixture and the terraform pass. */
let emulator: Emulator;
/** Emulator of the cdktf pass, which runs alongside. */
let cdktfEmulator: Emulator;
let cdktfRun: Promise<CdktfPass>;
const started = Date.now();

beforeAll(async () => {
  [emulator, cdktfEmulator] = await Promise.all([startEmulator(path.join(work, 'moto.log')), startEmulator(path.join(work, 'moto-cdktf.log'))]);
  cdktfRun = cdktfPass(cdktfEmulator);
}, 90_000);

afterAll(async () => {
  stopRunningCommands();
  await Promise.all([emulator?.stop(), cdktfEmulator?.stop()]);
  const total = Math.round((Date.now() - started) / 1000);
  process.stderr.write(
    `trailwatch e2e: ${total}s in all; slowest commands:\n` +
      [...timings]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 12)
        .map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)}s  ${t.label}`)
        .join('\n') +
      '\n',
  );
  if (process.env.TRAILWATCH_E2E_KEEP) process.stderr.write(`trailwatch e2e: kept ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

/** Runs `fn` with TRAILWATCH_AWS_ENDPOINT set (synthesis reads it). */
function withEmulatorEnv<T>(fn: () => T): T {
  const saved = process.env[EMULATOR_ENDPOINT_ENV];
  process.env[EMULATOR_ENDPOINT_ENV] = emulator.endpoint;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[EMULATOR_ENDPOINT_ENV];
    else process.env[EMULATOR_ENDPOINT_ENV] = saved;
  }
}

const broken = (outcomes: readonly ProbeOutcome[]) => outcomes.filter((o) => !o.exists || o.differences.length > 0);

/** An emulator's last server error (moto answers 500 with a Python traceback in its log), for failure messages. */
function motoErrors(emu: Emulator = emulator): string {
  const lines = fs.readFileSync(emu.logFile, 'utf8').split('\n');
  const errors = lines.filter((l) => /" 5\d\d -$/.test(l)).length;
  if (errors === 0) return `(moto answered no 5xx; log: ${emu.logFile})`;
  const last = lines.lastIndexOf('Traceback (most recent call last):');
  return `(moto answered ${errors} requests with 5xx; log: ${emu.logFile}; last error:\n${last < 0 ? '' : lines.slice(last).filter((l) => !/^127\.0\.0\.1 /.test(l)).slice(-6).join('\n')})`;
}

/** What the cdktf pass did: every step's error, if any, and what the API showed after each. */
interface CdktfPass {
  readonly deployError?: Error;
  readonly deployed: readonly DeployedStack[];
  readonly afterDeploy?: { readonly outcomes: readonly ProbeOutcome[]; readonly problems: readonly string[] };
  readonly destroyError?: Error;
  readonly afterDestroy?: readonly ProbeOutcome[];
}

/**
 * `cdktf deploy '*'`, the API checks, `cdktf destroy '*'`, the API checks again, in a project
 * folder of its own (its local state lands in its terraform-state/) whose app synthesizes the
 * example. Never rejects: the tests assert what it records.
 */
async function cdktfPass(emu: Emulator): Promise<CdktfPass> {
  const project = path.join(work, 'cdktf-project');
  const outdir = path.join(project, 'cdktf.out');
  const env = {
    ...cdktfEnv(),
    ...FAKE_AWS_ENV,
    [EMULATOR_ENDPOINT_ENV]: emu.endpoint,
    FORCE_COLOR: '0',
    CI: '1',
    // cdktf runs `terraform destroy`; the state is the one deploy just wrote, so skip re-reading every resource.
    TF_CLI_ARGS_destroy: '-refresh=false',
  };
  const cdktf = (label: string, args: string[]) =>
    step(logs, label, () => runCommand(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), args, { cwd: project, env, timeoutMs: TIMEOUTS.cdktf })).catch((e: Error) =>
      Promise.reject(new Error(`${e.message}\n${motoErrors(emu)}`)),
    );
  const result: { -readonly [K in keyof CdktfPass]: CdktfPass[K] } = { deployed: [] };
  try {
    fs.mkdirSync(project, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    const app = [process.execPath, path.join(ROOT, 'bin', 'trailwatch.js'), 'synth', '--config', EXAMPLE_CONFIG].map((a) => JSON.stringify(a)).join(' ');
    fs.writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ ...config, app, output: 'cdktf.out' }, null, 2));
    await cdktf('cdktf deploy', ['deploy', '*', '--auto-approve', '--skip-provider-lock', '--no-color']);
  } catch (e) {
    result.deployError = e as Error;
  }
  try {
    // Whatever was deployed, even in part, is what gets checked and destroyed.
    if (!fs.existsSync(path.join(outdir, 'manifest.json'))) return result;
    const deployed: DeployedStack[] = [];
    for (const stack of Object.keys(readManifest(outdir))) {
      const dir = path.join(outdir, 'stacks', stack);
      const s = stackSteps(dir, `cdktf ${stack}`, logs, FAKE_AWS_ENV);
      assertEmulated(stack, s.json(), emu.endpoint, EMULATED_SERVICES);
      // A stack cdktf never reached has no working folder, hence no state.
      deployed.push({ name: stack, tfJson: s.json(), state: fs.existsSync(path.join(dir, '.terraform')) ? await s.state() : null });
    }
    result.deployed = deployed;
    result.afterDeploy = await probeThroughApi(emu.endpoint, deployed);
    // --skip-synth: destroy the working copy the harness made destroyable (a synth would restore the protection).
    for (const d of deployed) if (d.state) await allowDestroy(path.join(outdir, 'stacks', d.name), `cdktf ${d.name}`, logs, FAKE_AWS_ENV);
    await cdktf('cdktf destroy', ['destroy', '*', '--auto-approve', '--skip-provider-lock', '--skip-synth', '--no-color']);
  } catch (e) {
    result.destroyError ??= e as Error;
  }
  try {
    result.afterDestroy = (await probeThroughApi(emu.endpoint, result.deployed)).outcomes;
  } catch (e) {
    result.destroyError ??= e as Error;
  }
  return result;
}

describe('the API checks, on a fixture stack with one resource of each kind', () => {
  let stackDir: string;
  let steps: ReturnType<typeof stackSteps>;
  let deployed: DeployedStack;

  beforeAll(async () => {
    await emulator.reset();
    stackDir = withEmulatorEnv(() => synthFixture(path.join(work, 'fixture', 'cdktf.out')));
    steps = stackSteps(stackDir, FIXTURE_STACK, logs, FAKE_AWS_ENV);
    assertEmulated(FIXTURE_STACK, steps.json(), emulator.endpoint, EMULATED_SERVICES);
  });

  test('it applies (CloudTrail StartLogging by ARN included), and a second plan reports no changes', async () => {
    await steps.init();
    await steps.apply();
    const plan = await steps.plan();
    expect({ exitCode: plan.status, changes: plan.status === 0 ? '' : planSummary(plan) }).toEqual({ exitCode: 0, changes: '' });
    deployed = { name: FIXTURE_STACK, tfJson: steps.json(), state: await steps.state() };
  }, 600_000);

  test('every resource exists through the API as the state has it', async () => {
    const { outcomes, problems } = await probeThroughApi(emulator.endpoint, [deployed]);
    expect(problems).toEqual([]);
    expect(broken(outcomes)).toEqual([]);
    // One probe per resource of a checked type: nothing silently skipped.
    expect(outcomes.map((o) => o.address).sort()).toEqual(
      [
        'aws_cloudtrail.trail',
        'aws_cloudtrail.quiet-trail',
        'aws_cloudwatch_event_rule.rule',
        'aws_cloudwatch_event_target.target',
        'aws_cloudwatch_log_group.log-group',
        'aws_cloudwatch_log_metric_filter.filter',
        'aws_cloudwatch_metric_alarm.alarm',
        'aws_s3_bucket.bucket',
        'aws_sns_topic.topic',
        'aws_sns_topic_subscription.email',
      ]
        .map((a) => `${FIXTURE_STACK} ${a}`)
        .sort(),
    );
  }, 120_000);

  test('changes made out of band show up in the API checks and as a plan with changes', async () => {
    const at = { account: FIXTURE_ACCOUNT, region: FIXTURE_REGION };
    const trailArn = `arn:aws:cloudtrail:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:trail/${FIXTURE.trail}`;
    const tampering = await callAws(emulator.endpoint, accountRoles([deployed]), [
      { ...at, service: 'cloudtrail', operation: 'stop_logging', params: { Name: trailArn } },
      { ...at, service: 'cloudwatch', operation: 'delete_alarms', params: { AlarmNames: [FIXTURE.alarm] } },
      {
        ...at,
        service: 'events',
        operation: 'put_targets',
        params: {
          Rule: FIXTURE.rule,
          Targets: [
            {
              Id: FIXTURE.targetId,
              Arn: `arn:aws:sns:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:e2e-alerts`,
              InputTransformer: { InputPathsMap: { insight: '$.detail.insightDetails.insightType' }, InputTemplate: '"changed <insight>"' },
            },
          ],
        },
      },
    ]);
    expect(tampering.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'ok']);

    const { outcomes } = await probeThroughApi(emulator.endpoint, [deployed]);
    const byAddress = Object.fromEntries(outcomes.map((o) => [o.address.split(' ')[1], o]));
    expect(byAddress['aws_cloudtrail.trail'].differences).toEqual(['IsLogging is false, expected true']);
    expect(byAddress['aws_cloudwatch_metric_alarm.alarm'].exists).toBe(false);
    expect(byAddress['aws_cloudwatch_event_target.target'].differences).toEqual([
      'InputTransformer.InputPathsMap is {"insight":"$.detail.insightDetails.insightType"}, expected {"account":"$.account","insight":"$.detail.insightDetails.insightType"}',
      'InputTransformer.InputTemplate is "\\"changed <insight>\\"", expected "\\"CloudTrail Insight <insight> in account <account>\\""',
    ]);
    expect(broken(outcomes).map((o) => o.address.split(' ')[1]).sort()).toEqual(['aws_cloudtrail.trail', 'aws_cloudwatch_event_target.target', 'aws_cloudwatch_metric_alarm.alarm']);

    const plan = await steps.plan('plan after tampering');
    expect(plan.status).toBe(2);
    expect(planSummary(plan)).toMatch(/aws_cloudwatch_metric_alarm\.alarm will be created/);
    expect(planSummary(plan)).toMatch(/aws_cloudwatch_event_target\.target will be updated in-place/);
  }, 600_000);

  test('destroy removes every resource; the API checks see none left', async () => {
    await steps.destroy();
    const { outcomes } = await probeThroughApi(emulator.endpoint, [deployed]);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.exists).map((o) => o.address)).toEqual([]);
  }, 600_000);
});

describe('the example, stack by stack with terraform, in dependency order', () => {
  let out: SynthOutput;
  /** Stacks applied with a clean second plan, and their state. */
  const deployed: DeployedStack[] = [];
  /** Stacks initialized (applied, or tried): the ones to destroy. */
  const attempted: string[] = [];
  const steps = (stack: string) => stackSteps(out.stackDir(stack), stack, logs, FAKE_AWS_ENV);

  beforeAll(async () => {
    await emulator.reset();
    // synthConfigFile writes into a fresh temp project: the local state lands in its terraform-state/.
    out = synthConfigFile(EXAMPLE_CONFIG, { [EMULATOR_ENDPOINT_ENV]: emulator.endpoint });
    for (const stack of out.stacks) assertEmulated(stack, out.json(stack), emulator.endpoint, EMULATED_SERVICES);
  });

  afterAll(() => {
    if (out && !process.env.TRAILWATCH_E2E_KEEP) fs.rmSync(path.dirname(out.outdir), { recursive: true, force: true });
  });

  test('the manifest lists every stack, each after the stacks it depends on', () => {
    const manifest = readManifest(out.outdir);
    const order = deploymentOrder(out.outdir);
    expect([...order].sort()).toEqual([...out.stacks].sort());
    const misplaced = order.flatMap((stack, i) => (manifest[stack].dependencies ?? []).filter((dep) => order.indexOf(dep) > i).map((dep) => `${stack} before ${dep}`));
    expect(misplaced).toEqual([]);
  });

  test('each stack: init, apply, then plan -detailed-exitcode reports no changes', async () => {
    // Every init first, one at a time: an init rewrites the shared plugin cache's entry, which breaks
    // a terraform run reading it at that moment.
    const failures: string[] = [];
    for (const stack of deploymentOrder(out.outdir)) {
      await steps(stack)
        .init()
        .then(() => attempted.push(stack))
        .catch((e: Error) => failures.push(e.message));
    }
    const applied = await inDependencyOrder(out.outdir, async (stack) => {
      const s = steps(stack);
      await s.apply().catch((e: Error) => Promise.reject(new Error(`${e.message}\n${motoErrors()}`)));
      const plan = await s.plan();
      if (plan.status !== 0) throw new Error(`${stack}: the plan after apply is not empty:\n${planSummary(plan)}`);
      deployed.push({ name: stack, tfJson: out.json(stack), state: await s.state() });
    }, { only: attempted });
    expect([...failures, ...applied.failures]).toEqual([]);
    expect(deployed.map((d) => d.name).sort()).toEqual([...out.stacks].sort());
  }, 14 * 60_000);

  test('the AWS API shows every checked resource of every stack as declared', async () => {
    expect(deployed.length).toBeGreaterThan(0);
    const { outcomes, problems } = await probeThroughApi(emulator.endpoint, deployed);
    expect(problems).toEqual([]);
    expect(broken(outcomes)).toEqual([]);
  }, 300_000);

  test('destroy in reverse dependency order; nothing checked is left', async () => {
    expect(attempted.length).toBeGreaterThan(0);
    // Every stack tried, including one whose apply failed halfway: what it created must go too.
    const before: DeployedStack[] = [];
    const { failures } = await inDependencyOrder(
      out.outdir,
      async (stack) => {
        before.push({ name: stack, tfJson: out.json(stack), state: await steps(stack).state() });
        await allowDestroy(out.stackDir(stack), stack, logs, FAKE_AWS_ENV);
        await steps(stack)
          .destroy()
          .catch((e: Error) => Promise.reject(new Error(`${e.message}\n${motoErrors()}`)));
      },
      { reverse: true, only: attempted },
    );
    expect(failures).toEqual([]);
    const { outcomes } = await probeThroughApi(emulator.endpoint, before);
    expect(outcomes.filter((o) => o.exists).map((o) => o.address)).toEqual([]);
  }, 14 * 60_000);
});

describe("the example through the real client: cdktf deploy '*' and cdktf destroy '*' (alongside, on an emulator of its own)", () => {
  let pass: CdktfPass;

  beforeAll(async () => {
    pass = await cdktfRun;
  }, 14 * 60_000);

  test('cdktf deploy applies every stack', () => {
    expect(pass.deployError?.message).toBeUndefined();
    expect(pass.deployed.length).toBeGreaterThan(0);
    expect(pass.deployed.filter((d) => d.state === null).map((d) => d.name)).toEqual([]);
  });

  test('the AWS API shows every checked resource as declared', () => {
    expect(pass.afterDeploy?.problems).toEqual([]);
    expect(broken(pass.afterDeploy?.outcomes ?? [])).toEqual([]);
  });

  test('cdktf destroy removes every checked resource', () => {
    expect(pass.destroyError?.message).toBeUndefined();
    expect(pass.afterDestroy?.filter((o) => o.exists).map((o) => o.address)).toEqual([]);
  });
});
