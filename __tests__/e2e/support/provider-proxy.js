#!/usr/bin/env node
/**
 * A go-plugin proxy in front of the AWS provider, used only by the end-to-end tests. Terraform
 * starts it instead of terraform-provider-aws (through the mirror made by provider-mirror.ts).
 *
 * Why: hashicorp/aws 5.100 runs its SDK's InternalValidate (a self-check of ~1,500 resource
 * schemas, 3-5 CPU-seconds) on every ValidateProviderConfig call, and Terraform starts one provider
 * process per provider configuration per graph walk (validate, plan, apply), each of which calls
 * it. On 2 cores that self-check, not Terraform or the emulator, was most of the e2e's time.
 *
 * What it does: it answers the calls whose answer is a pure function of the request (the schema,
 * config validation) from a memo shared by every proxy of the run, keyed by the provider binary,
 * the method and the exact request bytes; the first proxy to see a request asks the real provider
 * and stores the answer. Everything else (Configure, Read, Plan, Apply, ...) goes to the real
 * provider, which is started only when such a call arrives: a validate walk never starts one.
 * Terraform still gets every answer the provider gives, byte for byte; only repeats are saved.
 *
 * Usage (by Terraform): provider-proxy.js <real provider binary>. Environment:
 *   TRAILWATCH_PROVIDER_MEMO   folder of the shared memo (required)
 *   TRAILWATCH_PROXY_TLS       folder with cert.pem / key.pem for the proxy's TLS server (required)
 *   PLUGIN_CLIENT_CERT, TF_PLUGIN_MAGIC_COOKIE, ...  set by Terraform (go-plugin's handshake)
 */
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');

const real = process.argv[2];
const memoDir = process.env.TRAILWATCH_PROVIDER_MEMO;
const tlsDir = process.env.TRAILWATCH_PROXY_TLS;
if (!real || !memoDir || !tlsDir) {
  process.stderr.write('provider-proxy: usage: provider-proxy.js <provider binary> with TRAILWATCH_PROVIDER_MEMO and TRAILWATCH_PROXY_TLS set\n');
  process.exit(1);
}

/** Unbounded messages: the schema alone is tens of megabytes (Terraform's own limit is 256 MB). */
const MESSAGE_LIMITS = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
const identity = (b) => b;

/** tfplugin5 methods whose response depends on the request alone (no provider state). */
const PURE = new Set(['GetSchema', 'GetMetadata', 'GetResourceIdentitySchemas', 'GetFunctions', 'PrepareProviderConfig', 'ValidateResourceTypeConfig', 'ValidateDataSourceConfig', 'ValidateEphemeralResourceConfig']);
/** Every other unary tfplugin5 method (protocol 5.8, Terraform 1.11): forwarded. */
const FORWARDED = [
  'UpgradeResourceState',
  'UpgradeResourceIdentity',
  'Configure',
  'ReadResource',
  'PlanResourceChange',
  'ApplyResourceChange',
  'ImportResourceState',
  'MoveResourceState',
  'ReadDataSource',
  'OpenEphemeralResource',
  'RenewEphemeralResource',
  'CloseEphemeralResource',
  'CallFunction',
  'Stop',
];

// ---- the real provider, started on first need ------------------------------------------------
let child;
let upstream;
function provider() {
  if (upstream) return upstream;
  upstream = new Promise((resolve, reject) => {
    const env = { ...process.env };
    // Plain gRPC between proxy and provider: no client certificate, so go-plugin serves without TLS.
    delete env.PLUGIN_CLIENT_CERT;
    child = spawn(real, [], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!shuttingDown) {
        process.stderr.write(`provider-proxy: the provider exited (${signal ?? code})\n`);
        process.exit(1);
      }
    });
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      // CORE|APP|NETWORK|ADDRESS|PROTOCOL[|CERT]
      const [, , network, address, protocol] = line.trim().split('|');
      if (protocol !== 'grpc') return reject(new Error(`unexpected handshake from the provider: ${line}`));
      const target = network === 'unix' ? `unix:${address}` : address;
      resolve(new grpc.Client(target, grpc.credentials.createInsecure(), MESSAGE_LIMITS));
    });
  });
  return upstream;
}

function call(client, method, request) {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(method, identity, identity, request, new grpc.Metadata(), {}, (err, response) => (err ? reject(err) : resolve(response))),
  );
}

// ---- memo ---------------------------------------------------------------------------------------
const binaryKey = (() => {
  const st = fs.statSync(real);
  return `${fs.realpathSync(real)}:${st.size}:${st.mtimeMs}`;
})();

async function memoized(method, request) {
  const key = crypto.createHash('sha256').update(binaryKey).update('\0').update(method).update('\0').update(request).digest('hex');
  const file = path.join(memoDir, `${key}.bin`);
  try {
    return fs.readFileSync(file);
  } catch {
    /* first time: ask the provider */
  }
  const response = await call(await provider(), method, request);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, response);
  fs.renameSync(tmp, file); // atomic: a concurrent reader sees all or nothing
  return response;
}

// ---- the server Terraform talks to --------------------------------------------------------------
let shuttingDown = false;
const server = new grpc.Server(MESSAGE_LIMITS);

function unary(fullName, handle) {
  server.register(
    fullName,
    (callObj, callback) =>
      handle(callObj.request).then(
        (r) => callback(null, r),
        (e) => callback({ code: e.code ?? grpc.status.UNKNOWN, details: e.details ?? String(e.message ?? e) }),
      ),
    identity,
    identity,
    'unary',
  );
}

for (const m of PURE) unary(`/tfplugin5.Provider/${m}`, (req) => memoized(`/tfplugin5.Provider/${m}`, req));
for (const m of FORWARDED) {
  const method = `/tfplugin5.Provider/${m}`;
  // Stop before the provider ever started has nothing to stop: an empty Stop.Response.
  unary(method, async (req) => (m === 'Stop' && !upstream ? Buffer.alloc(0) : call(await provider(), method, req)));
}

// go-plugin's own services.
// Health: SERVING (field 1 = 1), answered here so that a health check does not start the provider.
unary('/grpc.health.v1.Health/Check', async () => Buffer.from([0x08, 0x01]));
// Controller.Shutdown: stop the provider (gracefully, as go-plugin would), then exit.
unary('/plugin.GRPCController/Shutdown', async () => {
  setImmediate(shutdown);
  return Buffer.alloc(0);
});
// Broker: the AWS provider brokers nothing; hold the stream open until Terraform closes it.
server.register('/plugin.GRPCBroker/StartStream', (stream) => stream.on('end', () => stream.end()).on('error', () => {}).on('data', () => {}), identity, identity, 'bidi');
// Stdio: go-plugin falls back to plain stderr when this is unimplemented (the provider's stderr is ours).
server.register('/plugin.GRPCStdio/StreamStdio', (stream) => stream.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'stdio over the proxy' }), identity, identity, 'serverStream');

async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  if (upstream && child && child.exitCode === null) {
    try {
      await Promise.race([call(await upstream, '/plugin.GRPCController/Shutdown', Buffer.alloc(0)), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      /* it may already be gone */
    }
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  server.forceShutdown();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => shutdown());
process.on('exit', () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

// go-plugin's automatic mutual TLS: Terraform's certificate in PLUGIN_CLIENT_CERT is the only client
// accepted; ours goes back on the handshake line (DER, base64 without padding), valid for localhost.
const clientCert = process.env.PLUGIN_CLIENT_CERT;
const certPem = fs.readFileSync(path.join(tlsDir, 'cert.pem'));
const credentials = clientCert
  ? grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ cert_chain: certPem, private_key: fs.readFileSync(path.join(tlsDir, 'key.pem')) }], true)
  : grpc.ServerCredentials.createInsecure();
server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
  if (err) {
    process.stderr.write(`provider-proxy: cannot listen: ${err.message}\n`);
    process.exit(1);
  }
  const der = new crypto.X509Certificate(certPem).raw.toString('base64').replace(/=+$/, '');
  // Core protocol 1, provider protocol 5: the only one the real provider (_x5) speaks.
  process.stdout.write(`1|5|tcp|127.0.0.1:${port}|grpc${clientCert ? `|${der}` : ''}\n`);
});
