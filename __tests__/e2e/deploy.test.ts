/**
 * End to end against an AWS emulator (`npm run test:e2e`): moto's server, made as strict as AWS
 * where trailwatch depends on it (moto_launcher.py), on free loopback ports, with the example
 * synthesized with TRAILWATCH_AWS_ENDPOINT pointing at it. Two emulators, two passes side by side
 * (much of a deploy is the provider's own consistency waits, e.g. ~55 s per S3 lifecycle rule set,
 * so the passes overlap well on 2 cores):
 *
 *  A. the README's single command from empty state, `cdktf deploy '*' --auto-approve`, then every
 *     stack's `plan -detailed-exitcode` must report no changes (it converges) and the AWS API must
 *     show every checked resource as declared;
 *  B. first the API checks proven on a fixture stack (they see what exists, report tampering, see
 *     deletion); then stack by stack with terraform, in the manifest's dependency order: init,
 *     apply, a second `plan -detailed-exitcode` that must report no changes, the API checks, and
 *     destroy in reverse order, after which nothing checked may be left.
 *
 * Before each pass the harness sets up what the README lists as prerequisites of an organization
 * trail: the organization (all features, the example's id) with trusted access for CloudTrail.
 * Terraform gets the AWS provider from provider-daemon.js (see provider-mirror.ts): the same
 * provider binary, with repeated schema and validation calls answered from a memo and real
 * providers reused from one graph walk to the next. Everything (synth
 * output, Terraform working folders, state, logs) lives in one temp folder, removed at the end
 * (TRAILWATCH_E2E_KEEP=1 keeps it). The emulators always stop. The run prints every step's duration.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EMULATED_SERVICES, EMULATOR_ENDPOINT_ENV } from '../../lib/providers/emulator';
import { loadConfigFile } from '../../lib/config/load';
import { planOrganization } from '../../lib/core/organization';
import { planQuery } from '../../lib/query/plan';
import { clientFactory } from '../../lib/verify/aws';
import { planAccounts, resourcesOf } from '../../lib/verify/planned';
import { exitCode, runVerify } from '../../lib/verify/run';
import { verifySettings } from '../../lib/verify/settings';
import type { Finding } from '../../lib/verify/types';

type Json = Record<string, any>;
import { EXAMPLE_CONFIG, synthConfigFile, type SynthOutput } from '../support/example';
import { cdktfEnv, runCommand, stopRunningCommands } from '../support/terraform';
import { accountRoles, callAws, probeThroughApi, type DeployedStack, type ProbeOutcome } from './support/api-checks';
import { startEmulator, type Emulator } from './support/emulator';
import { FIXTURE, FIXTURE_ACCOUNT, FIXTURE_REGION, FIXTURE_STACK, synthFixture } from './support/fixture';
import { proxiedProviderEnv, startProviderDaemon, type ProviderDaemon } from './support/provider-mirror';
import { allowDestroy, assertEmulated, deploymentOrder, inDependencyOrder, planSummary, readManifest, stackSteps, step, timings, TIMEOUTS } from './support/stacks';
import { planAll } from '../../lib/plan/plan';

const ROOT = path.join(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-'));
const logs = path.join(work, 'logs');
/** Belt and braces: whatever a provider or boto3 might fall back to is fake too. */
const FAKE_AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '' };
/** The provider served by provider-daemon.js (empty with TRAILWATCH_E2E_DIRECT_PROVIDER=1). */
const PROVIDER_ENV = proxiedProviderEnv(work);
/**
 * Environment of every terraform step: fake credentials, the proxied provider, and a lazier Go
 * garbage collector for terraform and the provider (GOGC=400: a third less CPU per provider
 * process, for ~30% more memory; the machines have plenty).
 */
const TF_ENV = { ...FAKE_AWS_ENV, ...PROVIDER_ENV, GOGC: '400' };

/** Emulator of the fixture and the terraform pass (B). */
let emulator: Emulator;
/** Emulator of the cdktf pass (A), which runs alongside. */
let cdktfEmulator: Emulator;
let cdktfRun: Promise<CdktfPass>;
let providerDaemon: ProviderDaemon | undefined;
const started = Date.now();

beforeAll(async () => {
  // The example's organization id: the emulators hand it to the organization prepareOrganization creates.
  const env = { TRAILWATCH_MOTO_ORGANIZATION_ID: loadConfigFile(EXAMPLE_CONFIG).organization.id };
  [emulator, cdktfEmulator, providerDaemon] = await Promise.all([
    startEmulator(path.join(work, 'moto.log'), env),
    startEmulator(path.join(work, 'moto-cdktf.log'), env),
    startProviderDaemon(work, TF_ENV),
  ]);
  cdktfRun = cdktfPass(cdktfEmulator);
}, 90_000);

afterAll(async () => {
  stopRunningCommands();
  const [daemon] = await Promise.all([providerDaemon?.stop(), emulator?.stop(), cdktfEmulator?.stop()]);
  const total = Math.round((Date.now() - started) / 1000);
  process.stderr.write(
    `trailwatch e2e: ${total}s in all; every step:\n` +
      timings.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)}s  ${t.label}`).join('\n') +
      '\n' +
      (daemon
        ? `trailwatch e2e: provider daemon: ${daemon.instances} provider instances for Terraform, ${daemon.providersStarted} real providers started ` +
          `(${daemon.providerCpuSeconds.toFixed(0)} CPU-s), ${daemon.providersReused} reused; memo ${daemon.memoHits} hits, ${daemon.memoMisses} misses; ` +
          `the daemon itself ${daemon.daemonCpuSeconds.toFixed(0)} CPU-s\n`
        : ''),
  );
  if (process.env.TRAILWATCH_E2E_KEEP) process.stderr.write(`trailwatch e2e: kept ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

/** Runs `fn` with TRAILWATCH_AWS_ENDPOINT set (synthesis reads it). */
function withEmulatorEnv<T>(fn: () => T, emu: Emulator = emulator): T {
  const saved = process.env[EMULATOR_ENDPOINT_ENV];
  process.env[EMULATOR_ENDPOINT_ENV] = emu.endpoint;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[EMULATOR_ENDPOINT_ENV];
    else process.env[EMULATOR_ENDPOINT_ENV] = saved;
  }
}

const broken = (outcomes: readonly ProbeOutcome[]) => outcomes.filter((o) => !o.exists || o.differences.length > 0);

/** The emulator's server errors (moto answers 500 with a Python traceback in its log), for failure messages. */
function motoErrors(emu: Emulator = emulator): string {
  const lines = fs.readFileSync(emu.logFile, 'utf8').split('\n');
  const errors = lines.filter((l) => /" 5\d\d -$/.test(l)).length;
  if (errors === 0) return `(moto answered no 5xx; log: ${emu.logFile})`;
  const last = lines.lastIndexOf('Traceback (most recent call last):');
  return `(moto answered ${errors} requests with 5xx; log: ${emu.logFile}; last error:\n${last < 0 ? '' : lines.slice(last).filter((l) => !/^127\.0\.0\.1 /.test(l)).slice(-6).join('\n')})`;
}

/**
 * What the README asks of an organization before its first deploy, done in the emulator: the
 * organization, with all features, created by the management account, and trusted access for
 * CloudTrail (`aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com`).
 */
async function prepareOrganization(out: SynthOutput, emu: Emulator = emulator): Promise<void> {
  const config = loadConfigFile(EXAMPLE_CONFIG);
  const management = config.organization.managementAccount.id;
  const roles = accountRoles(out.stacks.map((s) => ({ name: s, tfJson: out.json(s), state: null })));
  const at = { account: management, region: config.organization.homeRegion, service: 'organizations' };
  const results = await callAws(emu.endpoint, roles, [
    { ...at, operation: 'create_organization', params: { FeatureSet: 'ALL' } },
    { ...at, operation: 'enable_aws_service_access', params: { ServicePrincipal: 'cloudtrail.amazonaws.com' } },
    { ...at, operation: 'describe_organization', params: {} },
  ]);
  const failed = results.filter((r) => r.error).map((r) => `${r.error!.code}: ${r.error!.message}`);
  if (failed.length > 0) throw new Error(`setting up the organization in the emulator failed: ${failed.join('; ')}`);
  const id = results[2].result?.Organization?.Id;
  if (id !== config.organization.id) throw new Error(`the emulator's organization is ${id}, the example's ${config.organization.id}`);
}

describe('pass B, first: the API checks, on a fixture stack with one resource of each kind', () => {
  let stackDir: string;
  let steps: ReturnType<typeof stackSteps>;
  let deployed: DeployedStack;

  beforeAll(async () => {
    await emulator.reset();
    stackDir = withEmulatorEnv(() => synthFixture(path.join(work, 'fixture', 'cdktf.out')));
    steps = stackSteps(stackDir, FIXTURE_STACK, logs, TF_ENV);
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

/** Each stack's Terraform state (null for a stack the deploy never reached). */
async function statesOf(out: SynthOutput, label: string): Promise<DeployedStack[]> {
  const deployed: DeployedStack[] = [];
  for (const stack of out.stacks) {
    const dir = out.stackDir(stack);
    const s = stackSteps(dir, `${label} ${stack}`, logs, TF_ENV);
    deployed.push({ name: stack, tfJson: out.json(stack), state: fs.existsSync(path.join(dir, '.terraform')) ? await s.state() : null });
  }
  return deployed;
}

/** What pass A did; every step's error, if any. */
interface CdktfPass {
  readonly error?: Error;
  readonly deployed: readonly DeployedStack[];
  /** `stack: planned changes` for every stack whose plan after the deploy was not empty. */
  readonly notConverged?: readonly string[];
  readonly api?: { readonly outcomes: readonly ProbeOutcome[]; readonly problems: readonly string[] };
}

/**
 * Pass A, in a project folder of its own whose cdktf app synthesizes the example (its local state
 * lands in its terraform-state/): the organization prerequisites, `cdktf deploy '*'`, a plan per
 * stack, the API checks. Never rejects: the tests assert what it records.
 */
async function cdktfPass(emu: Emulator): Promise<CdktfPass> {
  const project = path.join(work, 'cdktf-project');
  const outdir = path.join(project, 'cdktf.out');
  const cache = path.join(work, 'plugin-cache-cdktf');
  const env = {
    ...cdktfEnv(),
    ...TF_ENV,
    // cdktf runs its inits side by side: a plugin cache of its own.
    TF_PLUGIN_CACHE_DIR: cache,
    [EMULATOR_ENDPOINT_ENV]: emu.endpoint,
    FORCE_COLOR: '0',
    CI: '1',
  };
  const result: { -readonly [K in keyof CdktfPass]: CdktfPass[K] } = { deployed: [] };
  try {
    fs.mkdirSync(cache, { recursive: true });
    fs.mkdirSync(project, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    const app = [process.execPath, path.join(ROOT, 'bin', 'trailwatch.js'), 'synth', '--config', EXAMPLE_CONFIG].map((a) => JSON.stringify(a)).join(' ');
    fs.writeFileSync(path.join(project, 'cdktf.json'), JSON.stringify({ ...config, app, output: 'cdktf.out' }, null, 2));
    // The organization prerequisites need the stacks' roles: a synth of the same example tells them.
    const preview = withEmulatorEnv(() => synthConfigFile(EXAMPLE_CONFIG), emu);
    await prepareOrganization(preview, emu);
    fs.rmSync(path.dirname(preview.outdir), { recursive: true, force: true });
    // --skip-provider-lock: cdktf's lock step calls the registry, which these machines cannot reach.
    await step(logs, "cdktf deploy '*'", () =>
      runCommand(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['deploy', '*', '--auto-approve', '--skip-provider-lock', '--no-color'], { cwd: project, env, timeoutMs: TIMEOUTS.cdktf }),
    ).catch((e: Error) => Promise.reject(new Error(`${e.message}\n${motoErrors(emu)}`)));
  } catch (e) {
    result.error = e as Error;
  }
  try {
    // Whatever was deployed, even in part, is what gets checked.
    if (!fs.existsSync(path.join(outdir, 'manifest.json'))) return result;
    const stacks = Object.keys(readManifest(outdir));
    const out: SynthOutput = {
      outdir,
      stacks,
      stackDir: (s) => path.join(outdir, 'stacks', s),
      json: (s) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')),
    };
    for (const stack of stacks) assertEmulated(stack, out.json(stack), emu.endpoint, EMULATED_SERVICES);
    result.deployed = await statesOf(out, 'cdktf');
    const notConverged: string[] = [];
    await inDependencyOrder(outdir, async (stack) => {
      if (!result.deployed.find((d) => d.name === stack)?.state) return;
      const plan = await stackSteps(out.stackDir(stack), `cdktf ${stack}`, logs, TF_ENV).plan();
      if (plan.status !== 0) notConverged.push(`${stack}:\n${planSummary(plan)}`);
    });
    result.notConverged = notConverged;
    result.api = await probeThroughApi(emu.endpoint, result.deployed);
  } catch (e) {
    result.error ??= e as Error;
  }
  return result;
}

describe('pass B: the example, stack by stack with terraform, in dependency order', () => {
  let out: SynthOutput;
  /** Stacks applied with a clean second plan, and their state. */
  const deployed: DeployedStack[] = [];
  /** Stacks initialized (applied, or tried): the ones to destroy. */
  const attempted: string[] = [];
  const steps = (stack: string) => stackSteps(out.stackDir(stack), stack, logs, TF_ENV);

  beforeAll(async () => {
    await emulator.reset();
    // synthConfigFile writes into a fresh temp project: the local state lands in its terraform-state/.
    out = synthConfigFile(EXAMPLE_CONFIG, { [EMULATOR_ENDPOINT_ENV]: emulator.endpoint });
    for (const stack of out.stacks) assertEmulated(stack, out.json(stack), emulator.endpoint, EMULATED_SERVICES);
    await prepareOrganization(out);
  }, 120_000);

  afterAll(() => {
    if (out && !process.env.TRAILWATCH_E2E_KEEP) fs.rmSync(path.dirname(out.outdir), { recursive: true, force: true });
  });

  test('the manifest lists every stack, each after the stacks it depends on', () => {
    const manifest = readManifest(out.outdir);
    const order = deploymentOrder(out.outdir);
    expect([...order].sort()).toEqual([...out.stacks].sort());
    const misplaced = order.flatMap((stack, i) => (manifest[stack].dependencies ?? []).filter((dep) => order.indexOf(dep) > i).map((dep) => `${stack} before ${dep}`));
    expect(misplaced).toEqual([]);
    // The organization trail writes into the log archive: its stack must wait for it.
    expect(manifest.management.dependencies).toContain('log-archive');
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
    // A stack's dependents need its apply, not its second plan: that plan runs alongside them.
    const plans: Promise<void>[] = [];
    const applied = await inDependencyOrder(
      out.outdir,
      async (stack) => {
        const s = steps(stack);
        await s.apply().catch((e: Error) => Promise.reject(new Error(`${e.message}\n${motoErrors()}`)));
        plans.push(
          (async () => {
            const plan = await s.plan();
            if (plan.status !== 0) throw new Error(`${stack}: the plan after apply is not empty:\n${planSummary(plan)}`);
            deployed.push({ name: stack, tfJson: out.json(stack), state: await s.state() });
          })().catch((e: Error) => void failures.push(e.message)),
        );
      },
      { only: attempted },
    );
    await Promise.all(plans);
    expect([...failures, ...applied.failures]).toEqual([]);
    expect(deployed.map((d) => d.name).sort()).toEqual([...out.stacks].sort());
  }, 14 * 60_000);

  test('the AWS API shows every checked resource of every stack as declared', async () => {
    expect(deployed.length).toBeGreaterThan(0);
    const { outcomes, problems } = await probeThroughApi(emulator.endpoint, deployed);
    expect(problems).toEqual([]);
    expect(broken(outcomes)).toEqual([]);
  }, 300_000);

  test('the archive query (trail.archive.query): table with the planned projection and location template, a workgroup enforcing its cutoff, every saved query', async () => {
    const organization = planOrganization(loadConfigFile(EXAMPLE_CONFIG));
    const query = planQuery(organization)!;
    const stack = deployed.find((d) => d.name === query.stackName)!;
    const at = { account: query.accountId, region: query.region };
    const [table, workgroup, listed] = await callAws(emulator.endpoint, accountRoles(deployed), [
      { ...at, service: 'glue', operation: 'get_table', params: { DatabaseName: query.database, Name: query.table } },
      { ...at, service: 'athena', operation: 'get_work_group', params: { WorkGroup: query.workgroup } },
      { ...at, service: 'athena', operation: 'list_named_queries', params: { WorkGroup: query.workgroup, MaxResults: 50 } },
    ]);
    // The template reaches Glue as the literal ${...} placeholders Athena substitutes (not Terraform's interpolation).
    expect(table.result?.Table?.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.account.values': query.accountIds.join(','),
      'projection.region.values': query.regions.join(','),
      'projection.timestamp.type': 'date',
      'projection.timestamp.range': `${query.firstDay},NOW`,
      'storage.location.template': `s3://${query.archiveBucket}/AWSLogs/${organization.config.organization.id}/\${account}/CloudTrail/\${region}/\${timestamp}`,
    });
    expect(workgroup.result?.WorkGroup?.Configuration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: query.bytesScannedCutoffPerQuery,
      PublishCloudWatchMetricsEnabled: true,
      ResultConfiguration: { OutputLocation: `s3://${query.resultsBucketName}/results/` },
    });
    const plannedQueries = Object.values(stack.tfJson.resource.aws_athena_named_query as Record<string, { name: string }>).map((q) => q.name);
    expect(plannedQueries).toEqual(expect.arrayContaining(['trailwatch-hunt-top-denied-callers', 'trailwatch-hunt-console-signin-without-mfa', 'trailwatch-hunt-new-access-keys']));
    expect(listed.result?.NamedQueryIds).toHaveLength(plannedQueries.length);
    // The generic API checks cover each of them (name, database, workgroup, SQL), the results bucket and the query role.
    const { outcomes } = await probeThroughApi(emulator.endpoint, [stack]);
    const ofType = (type: string) => outcomes.filter((o) => o.address.startsWith(`${stack.name} ${type}.`));
    expect(['aws_glue_catalog_database', 'aws_glue_catalog_table', 'aws_athena_workgroup', 'aws_athena_named_query'].map((t) => ofType(t).length)).toEqual([1, 1, 1, plannedQueries.length]);
    expect(broken(outcomes)).toEqual([]);
    const declared = (type: string) => Object.values((stack.tfJson.resource[type] ?? {}) as Record<string, Json>);
    expect(declared('aws_s3_bucket').map((b) => b.bucket)).toContain(query.resultsBucketName);
    expect(declared('aws_iam_role').map((r) => r.name)).toContain(query.roleName);
  }, 120_000);

  // Unrun when written (issue 21): the coordinator runs the e2e suite. Reuses the deployed example, no new deploy.
  test('trailwatch verify: the deployed example is as planned; each fault made out of band is named', async () => {
    expect(deployed.map((d) => d.name).sort()).toEqual([...out.stacks].sort());
    const config = loadConfigFile(EXAMPLE_CONFIG);
    const organization = planOrganization(config);
    const accounts = await planAccounts(planAll(config));
    const factory = clientFactory({ env: { ...process.env, [EMULATOR_ENDPOINT_ENV]: emulator.endpoint } });
    const verify = (stacks?: readonly string[]) =>
      runVerify({ organization, accounts: stacks ? accounts.filter((a) => stacks.includes(a.plan.stackName)) : accounts, factory, settings: verifySettings(config) });
    const text = (f: Finding) => `${f.status} ${f.check} ${f.account} ${f.region} ${f.resource}: expected ${f.expected}; found ${f.found}`;
    // What moto cannot do: its organization holds the management account only (it gives created
    // accounts random ids), and it delivers no log or digest file to the archive.
    const emulatorGap = (f: Finding) =>
      (f.check === 'organization-accounts' && f.found === 'not in the organization') || (f.check === 'archive-digest' && f.found === 'none today or yesterday');

    const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      const result = await run();
      timings.push({ label, ms: Date.now() - t });
      return result;
    };
    const clean = await timed('verify: the deployed example', () => verify());
    expect(clean.findings.filter((f) => !emulatorGap(f)).map(text)).toEqual([]);
    expect(clean.findings.filter((f) => f.check === 'organization-accounts').map((f) => f.resource.split(' ')[1]).sort()).toEqual(
      organization.accounts.filter((a) => a.role !== 'management').map((a) => a.accountId).sort(),
    );
    expect(clean.detections.verified).toEqual(clean.detections.planned);

    const management = accounts.find((a) => a.plan.role === 'management')!;
    const home = organization.homeRegion;
    const filter = resourcesOf(management, 'aws_cloudwatch_log_metric_filter', home)[0].values as Record<string, any>;
    const alarm = String(resourcesOf(management, 'aws_cloudwatch_metric_alarm', home)[0].values.alarm_name);
    const rule = String(resourcesOf(management, 'aws_cloudwatch_event_rule', home).find((r) => r.values.state === 'ENABLED' && r.values.event_bus_name === undefined)!.values.name);
    const trail = String(resourcesOf(management, 'aws_cloudtrail', home)[0].values.name);
    const subscription = resourcesOf(management, 'aws_sns_topic_subscription', home)[0].values as Record<string, string>;
    const at = { account: management.plan.accountId, region: home };
    const tampering = await callAws(emulator.endpoint, accountRoles(deployed), [
      {
        ...at,
        service: 'logs',
        operation: 'put_metric_filter',
        params: {
          logGroupName: filter.log_group_name,
          filterName: filter.name,
          filterPattern: '{ $.eventName = "Tampered" }',
          metricTransformations: [{ metricName: filter.metric_transformation.name, metricNamespace: filter.metric_transformation.namespace, metricValue: filter.metric_transformation.value }],
        },
      },
      { ...at, service: 'cloudwatch', operation: 'disable_alarm_actions', params: { AlarmNames: [alarm] } },
      { ...at, service: 'events', operation: 'disable_rule', params: { Name: rule } },
      // By name: moto fails StopLogging by ARN (the launcher patches the provider's calls, not this one).
      { ...at, service: 'cloudtrail', operation: 'stop_logging', params: { Name: trail } },
      { ...at, service: 'organizations', operation: 'create_account', params: { Email: 'shadow-it@example.com', AccountName: 'shadow-it' } },
      // The emulator reports a delivery error for a trail tagged so (moto_launcher.py, fault_cloudtrail_delivery_errors).
      {
        ...at,
        service: 'cloudtrail',
        operation: 'add_tags',
        params: { ResourceId: `arn:aws:cloudtrail:${home}:${management.plan.accountId}:trail/${trail}`, TagsList: [{ Key: 'trailwatch-emulator:LatestDeliveryError', Value: 'AccessDenied' }] },
      },
      // Listed as PendingConfirmation for a topic tagged so (fault_sns_pending_confirmation).
      { ...at, service: 'sns', operation: 'tag_resource', params: { ResourceArn: subscription.topic_arn, Tags: [{ Key: 'trailwatch-emulator:PendingConfirmation', Value: subscription.endpoint }] } },
    ]);
    expect(tampering.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);

    const tampered = await timed('verify: management after tampering', () => verify(['management']));
    const named = tampered.findings.filter((f) => !emulatorGap(f));
    expect(named.map((f) => `${f.check} ${f.resource}`)).toEqual(
      expect.arrayContaining([
        `detection-filters metric filter ${filter.name}`,
        `detection-alarms alarm ${alarm}`,
        `eventbridge-rules rule ${rule}`,
        `trail-logging trail ${trail}`,
        `alerting-subscriptions subscription ${subscription.protocol}:${subscription.endpoint}`,
      ]),
    );
    expect(named.find((f) => f.check === 'detection-filters')!.found).toBe('{ $.eventName = "Tampered" }');
    expect(named.find((f) => f.check === 'detection-alarms')!.found).toBe('actions disabled: it notifies nobody');
    expect(named.find((f) => f.check === 'eventbridge-rules')!.found).toBe('state DISABLED');
    expect(named.filter((f) => f.check === 'trail-logging').map((f) => f.found)).toEqual(expect.arrayContaining([expect.stringMatching(/^logging stopped/), 'S3 delivery fails: AccessDenied']));
    expect(named.filter((f) => f.check === 'organization-accounts').map((f) => f.resource)).toEqual([expect.stringMatching(/^account \d{12} \(shadow-it\)$/)]);
    expect(exitCode(tampered)).toBe(1);

    // Access denied in one account: the emulator refuses AssumeRole for this session name (fault_sts_access_denied).
    const payments = accounts.find((a) => a.plan.stackName === 'prod-payments')!;
    const denied = { ...payments, plan: { ...payments.plan, access: { ...payments.plan.access, sessionName: 'trailwatch-e2e-denied' } } };
    const refused = await timed('verify: an account that refuses the role', () =>
      runVerify({ organization, accounts: [denied], factory: clientFactory({ env: { ...process.env, [EMULATOR_ENDPOINT_ENV]: emulator.endpoint } }), settings: verifySettings(config) }),
    );
    expect(exitCode(refused)).toBe(2);
    expect(refused.findings).toEqual([expect.objectContaining({ check: 'access', status: 'error', account: 'prod-payments', found: expect.stringContaining('AccessDenied') })]);
    expect(refused.runs.length).toBeGreaterThan(0);
    expect(refused.runs.every((r) => r.status === 'error')).toBe(true);
  }, 300_000);

  test('destroy in reverse dependency order; nothing checked is left', async () => {
    expect(attempted.length).toBeGreaterThan(0);
    // Every stack tried, including one whose apply failed halfway: what it created must go too.
    const before: DeployedStack[] = [];
    const { failures } = await inDependencyOrder(
      out.outdir,
      async (stack) => {
        before.push({ name: stack, tfJson: out.json(stack), state: await steps(stack).state() });
        await allowDestroy(out.stackDir(stack), stack, logs, TF_ENV);
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

// Last: pass A runs in the background from the start; its results are asserted once pass B is done.
describe("pass A: the README's single command, cdktf deploy '*', from empty state (alongside, on an emulator of its own)", () => {
  let pass: CdktfPass;

  beforeAll(async () => {
    pass = await cdktfRun;
  }, 14 * 60_000);

  test('cdktf deploy applies every stack, each after the stacks it depends on', () => {
    expect(pass.error?.message).toBeUndefined();
    expect(pass.deployed.length).toBeGreaterThan(0);
    expect(pass.deployed.filter((d) => d.state === null).map((d) => d.name)).toEqual([]);
  });

  test('it converges: every stack plans no changes right after the deploy', () => {
    expect(pass.notConverged).toEqual([]);
  });

  test('the AWS API shows every checked resource as declared', () => {
    expect(pass.api?.problems).toEqual([]);
    expect(pass.api?.outcomes.length).toBeGreaterThan(0);
    expect(broken(pass.api?.outcomes ?? [])).toEqual([]);
  });
});
