/**
 * The provider the end-to-end tests give Terraform: hashicorp/aws 5.100.0 from the machine's
 * mirror, behind provider-proxy.js (which answers repeated schema and validation calls from a memo
 * and starts the real provider only for calls that need it; see that file for why). Terraform and
 * cdktf install it from a filesystem mirror of its own, like any provider: nothing in the
 * synthesized stacks changes.
 *
 * TRAILWATCH_E2E_DIRECT_PROVIDER=1 runs the e2e against the real provider binary instead (slower,
 * for comparison or to rule the proxy out).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findProviderMirror } from '../../support/terraform';

const PROVIDER = path.join('registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64', 'terraform-provider-aws_v5.100.0_x5');
const PROXY = path.join(__dirname, 'provider-proxy.js');

/** Whether the e2e uses the proxy (the default). */
export const PROXY_ENABLED = process.env.TRAILWATCH_E2E_DIRECT_PROVIDER !== '1';

/**
 * Creates, under `dir`, the proxied mirror, its CLI config, a plugin cache, the TLS key pair of the
 * proxy's server and the shared memo, and returns the environment that points Terraform at them
 * (to merge over terraformEnv() / cdktfEnv()). Empty when the proxy is disabled.
 */
export function proxiedProviderEnv(dir: string): NodeJS.ProcessEnv {
  if (!PROXY_ENABLED) return {};
  const mirror = findProviderMirror();
  const real = mirror && path.join(mirror, PROVIDER);
  if (!real || !fs.existsSync(real)) throw new Error(`the e2e needs the hashicorp/aws 5.100.0 mirror (${PROVIDER} under TRAILWATCH_TF_MIRROR or a known mirror folder); none found`);

  const root = path.join(dir, 'proxied-mirror');
  const binary = path.join(root, PROVIDER);
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  fs.writeFileSync(binary, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(PROXY)} ${JSON.stringify(real)}\n`, { mode: 0o755 });

  // go-plugin's mutual TLS wants the plugin's certificate valid for "localhost".
  const tls = path.join(dir, 'proxy-tls');
  fs.mkdirSync(tls, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'extendedKeyUsage=serverAuth', '-addext', 'keyUsage=digitalSignature,keyCertSign',
      '-keyout', path.join(tls, 'key.pem'), '-out', path.join(tls, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );

  const memo = path.join(dir, 'provider-memo');
  const cache = path.join(dir, 'plugin-cache');
  fs.mkdirSync(memo, { recursive: true });
  fs.mkdirSync(cache, { recursive: true });
  const rc = path.join(dir, 'proxied-mirror.tfrc');
  fs.writeFileSync(
    rc,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(root)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
  );
  return { TF_CLI_CONFIG_FILE: rc, TF_PLUGIN_CACHE_DIR: cache, TRAILWATCH_PROVIDER_MEMO: memo, TRAILWATCH_PROXY_TLS: tls };
}
