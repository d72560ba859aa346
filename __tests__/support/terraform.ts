/**
 * Runs the Terraform CLI against synthesized stacks, offline. The machines carry a filesystem
 * mirror of hashicorp/aws 5.100.0 but reach no registry, so we find the mirror and point Terraform
 * at it through a CLI config file (TF_CLI_CONFIG_FILE) — never by editing the generated code.
 * Without a mirror (a user's machine with internet) Terraform uses the registry as usual.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const MIRROR_CANDIDATES = ['/opt/tf-plugins', '/usr/share/terraform/plugins', path.join(os.homedir(), '.terraform.d/plugins')];

/** The folder above `registry.terraform.io/` that holds hashicorp/aws, or undefined. */
export function findProviderMirror(): string | undefined {
  const env = process.env.TRAILWATCH_TF_MIRROR;
  if (env) return env;
  for (const root of MIRROR_CANDIDATES) {
    if (fs.existsSync(path.join(root, 'registry.terraform.io/hashicorp/aws'))) return root;
  }
  try {
    const hit = execFileSync('find', ['/', '-xdev', '-name', 'terraform-provider-aws_v5.100.0*', '-print', '-quit'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    }).trim();
    const marker = `${path.sep}registry.terraform.io${path.sep}`;
    if (hit && hit.includes(marker)) return hit.slice(0, hit.indexOf(marker));
  } catch {
    /* no mirror: fall back to the registry */
  }
  return undefined;
}

let cachedEnv: NodeJS.ProcessEnv | undefined;

/** Environment for terraform: CLI config pointing at the mirror, shared plugin cache, no telemetry. */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (cachedEnv) return cachedEnv;
  const dir = path.join(os.tmpdir(), 'trailwatch-terraform');
  const cache = path.join(dir, 'plugin-cache');
  fs.mkdirSync(cache, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_PLUGIN_CACHE_DIR: cache, TF_INPUT: '0' };
  const mirror = findProviderMirror();
  if (mirror) {
    const rc = path.join(dir, 'mirror.tfrc');
    fs.writeFileSync(
      rc,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
    );
    env.TF_CLI_CONFIG_FILE = rc;
  }
  cachedEnv = env;
  return env;
}

/**
 * Environment for the cdktf CLI (`cdktf deploy` / `destroy`): terraformEnv()'s mirror, no telemetry
 * and no npm version check. Pass `--skip-provider-lock` as well: cdktf's provider-lock step calls
 * the registry. cdktf gets a plugin cache of its own (it keeps TF_PLUGIN_CACHE_DIR when set):
 * `terraform init` runs sharing one cache must not overlap, and cdktf runs its inits itself.
 */
export function cdktfEnv(): NodeJS.ProcessEnv {
  const cache = path.join(os.tmpdir(), 'trailwatch-terraform', 'plugin-cache-cdktf');
  fs.mkdirSync(cache, { recursive: true });
  return { ...terraformEnv(), TF_PLUGIN_CACHE_DIR: cache, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: 'true' };
}

export interface TerraformRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function terraform(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): TerraformRun {
  const r = spawnSync('terraform', args, { cwd, env: { ...terraformEnv(), ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `terraform init -backend=false && terraform validate -json`; returns the parsed validate result. */
export function initAndValidate(stackDir: string): { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[]; output: string } {
  const init = terraform(stackDir, ['init', '-backend=false', '-input=false', '-no-color']);
  if (init.status !== 0) return { valid: false, diagnostics: [{ severity: 'error', summary: 'terraform init failed', detail: init.stderr + init.stdout }], output: init.stderr };
  const v = terraform(stackDir, ['validate', '-json', '-no-color']);
  const parsed = JSON.parse(v.stdout) as { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] };
  return { ...parsed, output: v.stdout };
}

export interface CommandOptions {
  readonly cwd: string;
  /** Environment of the command (replaces process.env). */
  readonly env: NodeJS.ProcessEnv;
  /** The command (and its children) is stopped when it runs longer. */
  readonly timeoutMs: number;
  /** Written to the command's stdin, which is then closed. @default nothing */
  readonly input?: string;
}

export interface CommandRun extends TerraformRun {
  /** True when the command was stopped at its timeout. */
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/** Running commands' process groups, stopped by stopRunningCommands() (Ctrl-C, a failing harness). */
const runningGroups = new Set<ChildProcess>();

/** Processes listed in TRAILWATCH_E2E_PIDFILE: pid -> whether to signal its whole process group. */
const trackedPids = new Map<number, boolean>();

/**
 * Lists (or, with `running` false, unlists) a process the e2e harness started in the file named by
 * TRAILWATCH_E2E_PIDFILE, from which the e2e globalSetup's signal handler stops them: signal
 * handlers registered inside a jest test never run (its `process` is a copy). No-op without it.
 */
export function trackProcess(pid: number | undefined, running: boolean, group = false): void {
  const file = process.env.TRAILWATCH_E2E_PIDFILE;
  if (!file || pid === undefined) return;
  if (running) trackedPids.set(pid, group);
  else trackedPids.delete(pid);
  fs.writeFileSync(file, [...trackedPids].map(([p, g]) => `${p} ${g ? 'group' : 'process'}\n`).join(''));
}

/**
 * Runs a command asynchronously in its own process group, so that a timeout stops it together
 * with its children (terraform's provider plugins, cdktf's terraform): SIGTERM first (terraform
 * shuts down gracefully), SIGKILL 15 seconds later.
 */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    runningGroups.add(child);
    trackProcess(child.pid, true, true);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGTERM');
      killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 15_000);
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      runningGroups.delete(child);
      trackProcess(child.pid, false);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killer) clearTimeout(killer);
      runningGroups.delete(child);
      trackProcess(child.pid, false);
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Stops every command started by runCommand that is still running (their whole process groups). */
export function stopRunningCommands(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of runningGroups) signalGroup(child, signal);
}

/** `terraform <args>` with terraformEnv() plus `extraEnv`, stopped after `timeoutMs`. */
export function terraformAsync(cwd: string, args: readonly string[], timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runCommand('terraform', args, { cwd, env: { ...terraformEnv(), ...extraEnv }, timeoutMs });
}

/**
 * What Terraform itself reads from strings as they stand in a `.tf.json` file (templates evaluated,
 * `$${` / `%%{` unescaped): applies a configuration with one output and no provider, in a temp folder.
 */
export function terraformReads(jsonStrings: readonly string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-tf-reads-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ output: { v: { value: jsonStrings } } }));
    for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
      const r = terraform(dir, args);
      if (r.status !== 0) throw new Error(`terraform ${args[0]} failed: ${r.stderr}${r.stdout}`);
    }
    return JSON.parse(terraform(dir, ['output', '-json', 'v']).stdout) as string[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
