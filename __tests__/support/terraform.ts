/**
 * Runs the Terraform CLI against synthesized stacks, offline. The machines carry a filesystem
 * mirror of hashicorp/aws 5.100.0 but reach no registry, so we find the mirror and point Terraform
 * at it through a CLI config file (TF_CLI_CONFIG_FILE) — never by editing the generated code.
 * Without a mirror (a user's machine with internet) Terraform uses the registry as usual.
 */
import { execFileSync, spawnSync } from 'child_process';
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
