/**
 * The provider the end-to-end tests give Terraform: hashicorp/aws 5.100.0 from the machine's
 * mirror, served by provider-daemon.js (one process for the whole run: a memo of schema and
 * validation answers, and real providers kept for reuse; see that file for why). Terraform and
 * cdktf install it from a filesystem mirror of its own, like any provider: the "provider binary"
 * there is a bash launcher that asks the daemon for a server. Nothing in the synthesized stacks
 * changes.
 *
 * TRAILWATCH_E2E_DIRECT_PROVIDER=1 runs the e2e against the real provider binary instead (slower,
 * for comparison or to rule the daemon out).
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { findProviderMirror, trackProcess } from '../../support/terraform';

const PROVIDER = path.join('registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64', 'terraform-provider-aws_v5.100.0_x5');
const DAEMON = path.join(__dirname, 'provider-daemon.js');

/** Whether the e2e uses the daemon (the default). */
export const DAEMON_ENABLED = process.env.TRAILWATCH_E2E_DIRECT_PROVIDER !== '1';

/** The daemon's files under the run's folder. */
const files = (dir: string) => ({
  root: path.join(dir, 'proxied-mirror'),
  tls: path.join(dir, 'proxy-tls'),
  port: path.join(dir, 'provider-daemon.port'),
  stats: path.join(dir, 'provider-daemon.json'),
  log: path.join(dir, 'provider-daemon.log'),
  rc: path.join(dir, 'proxied-mirror.tfrc'),
  cache: path.join(dir, 'plugin-cache'),
});

function realProvider(): string {
  const mirror = findProviderMirror();
  const real = mirror && path.join(mirror, PROVIDER);
  if (!real || !fs.existsSync(real)) throw new Error(`the e2e needs the hashicorp/aws 5.100.0 mirror (${PROVIDER} under TRAILWATCH_TF_MIRROR or a known mirror folder); none found`);
  return real;
}

/**
 * Creates, under `dir`, the mirror with its launcher, its CLI config, a plugin cache and the TLS key
 * pair of the daemon's servers, and returns the environment that points Terraform at them (to
 * merge over terraformEnv() / cdktfEnv()). Empty when the daemon is disabled. Start the daemon
 * with startProviderDaemon(dir) before running Terraform.
 */
export function proxiedProviderEnv(dir: string): NodeJS.ProcessEnv {
  if (!DAEMON_ENABLED) return {};
  realProvider();
  const f = files(dir);
  const launcher = path.join(f.root, PROVIDER);
  fs.mkdirSync(path.dirname(launcher), { recursive: true });
  // go-plugin starts this as the provider: it prints the handshake of a server the daemon opens for
  // it and stays until the daemon closes the connection (the instance shut down). Pure bash: no
  // process of its own beyond the shell.
  fs.writeFileSync(
    launcher,
    [
      '#!/bin/bash',
      '# The AWS provider of the trailwatch e2e: a server of provider-daemon.js (see provider-mirror.ts).',
      `read -r port < ${JSON.stringify(f.port)} || { echo "trailwatch e2e: the provider daemon is not running" >&2; exit 1; }`,
      'exec 3<>"/dev/tcp/127.0.0.1/$port" || { echo "trailwatch e2e: cannot reach the provider daemon on port $port" >&2; exit 1; }',
      String.raw`printf '%s\n%s\n' "$PWD" "$${'{'}PLUGIN_CLIENT_CERT//$'\n'/\\n}" >&3`,
      'IFS= read -r line <&3 || { echo "trailwatch e2e: the provider daemon closed the connection" >&2; exit 1; }',
      'case $line in error:*) echo "$line" >&2; exit 1 ;; esac',
      String.raw`printf '%s\n' "$line"`,
      'while IFS= read -r _ <&3; do :; done',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );

  // go-plugin's mutual TLS wants the plugin's certificate valid for "localhost".
  fs.mkdirSync(f.tls, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'extendedKeyUsage=serverAuth', '-addext', 'keyUsage=digitalSignature,keyCertSign',
      '-keyout', path.join(f.tls, 'key.pem'), '-out', path.join(f.tls, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );

  fs.mkdirSync(f.cache, { recursive: true });
  fs.writeFileSync(
    f.rc,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(f.root)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
  );
  return { TF_CLI_CONFIG_FILE: f.rc, TF_PLUGIN_CACHE_DIR: f.cache };
}

/** What the daemon did, written when it stops. */
export interface ProviderDaemonStats {
  readonly instances: number;
  readonly providersStarted: number;
  readonly providersReused: number;
  readonly providerCpuSeconds: number;
  readonly daemonCpuSeconds: number;
  readonly memoHits: number;
  readonly memoMisses: number;
}

export interface ProviderDaemon {
  /** Stops the daemon and every provider it runs; its counters (null when it wrote none). */
  stop(): Promise<ProviderDaemonStats | null>;
}

/**
 * Starts provider-daemon.js for the mirror proxiedProviderEnv(dir) made; `env` (fake credentials,
 * GOGC) is what the real providers run with. Its output goes to <dir>/provider-daemon.log.
 */
export async function startProviderDaemon(dir: string, env: NodeJS.ProcessEnv): Promise<ProviderDaemon> {
  if (!DAEMON_ENABLED) return { stop: async () => null };
  const f = files(dir);
  const log = fs.openSync(f.log, 'a');
  // stdin stays a pipe we never close: the daemon exits on EOF, i.e. when this process is gone.
  const child = spawn(process.execPath, [DAEMON, realProvider(), f.port, f.tls, f.stats], { stdio: ['pipe', 'pipe', log], env: { ...process.env, ...env } });
  fs.closeSync(log);
  trackProcess(child.pid, true);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (trackProcess(child.pid, false), resolve())));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the provider daemon did not start within 30 s; see ${f.log}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the provider daemon exited with ${code}; see ${f.log}`)));
    readline.createInterface({ input: child.stdout! }).once('line', () => (clearTimeout(timer), resolve()));
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      try {
        return JSON.parse(fs.readFileSync(f.stats, 'utf8')) as ProviderDaemonStats;
      } catch {
        return null;
      }
    },
  };
}
