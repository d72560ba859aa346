#!/usr/bin/env node
/**
 * The AWS provider as the end-to-end tests give it to Terraform: this one long-lived process
 * (started by provider-mirror.ts) serves every provider instance Terraform starts during the run.
 * Terraform starts a bash launcher instead of terraform-provider-aws (provider-mirror.ts writes it
 * into a filesystem mirror); the launcher asks this daemon, over a loopback socket, for a go-plugin
 * gRPC server of its own, prints that server's handshake line and lives as long as the instance.
 *
 * Why: the e2e is CPU-bound on 2 cores, and three costs of the provider were most of it.
 *  1. hashicorp/aws 5.100 runs its SDK's InternalValidate (a self-check of ~1,500 resource schemas,
 *     3-5 CPU-seconds) on every ValidateProviderConfig call. Calls whose answer is a pure function of
 *     the request (schema, config validation) are answered from a memo keyed by the method and the
 *     request bytes. The two emulators of a run differ only in their loopback port, which every
 *     provider configuration names: the key masks it (`127.0.0.1:#####`) and the stored answer is
 *     given back with the asker's port, so both passes share one memo. ValidateProviderConfig
 *     (PrepareProviderConfig in protocol 5) is keyed by the configuration's shape instead: names,
 *     nesting, booleans and nulls kept, every string and number masked, so the 34 provider
 *     configurations of the example (accounts x regions) cost two or three self-checks, not 34.
 *     That answer is the diagnostics of the first configuration of the shape; Terraform uses only
 *     the diagnostics (it ignores PreparedConfig: internal/terraform/node_provider.go). The values
 *     themselves are checked where they matter: Configure always reaches the provider with the
 *     exact configuration, and the unit suite's `terraform validate` runs the real provider on
 *     every synthesized stack, in emulator mode too (__tests__/providers/emulator.test.ts).
 *  2. Every provider process pays ~1-1.4 CPU-seconds before it answers its first resource call
 *     (start-up and the muxed server's schema build), and Terraform starts one per provider
 *     configuration per graph walk: about 300 in a run. A real provider whose instance ended
 *     normally is kept and handed to a later instance in the same folder (relative paths, such as
 *     a Lambda's zip, resolve from the provider's working folder) when that instance sends Configure: the
 *     provider SDK supports being configured again (terraform-plugin-sdk's Provider.Configure logs
 *     "Previously configured provider being re-configured"; the plugin framework replaces its
 *     provider data), and Terraform configures a provider before any call that uses its
 *     configuration. An instance that makes such a call without having configured its provider
 *     gets a freshly started one; a provider that received Stop is never reused.
 *  3. A Node.js proxy process per instance cost ~0.4 CPU-seconds of its own; a bash launcher costs
 *     next to nothing.
 * Apart from ValidateProviderConfig's, Terraform gets every answer a provider gives, byte for byte
 * (the port put back).
 *
 * Usage: provider-daemon.js <real provider binary> <port file> <tls dir> <stats file>
 * It writes its control port into <port file>, exits when its stdin closes or on SIGTERM (stopping
 * every provider), and then writes its counters as JSON into <stats file>.
 */
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const readline = require('readline');
const grpc = require('@grpc/grpc-js');

const [real, portFile, tlsDir, statsFile] = process.argv.slice(2);
if (!real || !portFile || !tlsDir || !statsFile) {
  process.stderr.write('provider-daemon: usage: provider-daemon.js <provider binary> <port file> <tls dir> <stats file>\n');
  process.exit(1);
}

/** Unbounded messages: the schema alone is tens of megabytes (Terraform's own limit is 256 MB). */
const MESSAGE_LIMITS = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
const identity = (b) => b;
/** go-plugin's handshake for Terraform providers (Terraform sets the same for the plugins it starts). */
const PLUGIN_ENV = { TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2', PLUGIN_PROTOCOL_VERSIONS: '5' };
/** Errors only: the provider's own default is a trace line per call, which Terraform would filter. */
const QUIET = Object.fromEntries(['TF_LOG', 'TF_LOG_PROVIDER', 'TF_LOG_SDK', 'TF_LOG_SDK_PROTO', 'TF_LOG_SDK_MUX', 'TF_LOG_SDK_HELPER_SCHEMA', 'TF_LOG_SDK_FRAMEWORK', 'TF_LOG_PROVIDER_AWS'].map((k) => [k, 'ERROR']));
/**
 * The real providers' environment. Without AWS_CA_BUNDLE: with it, the provider wraps a shared HTTP
 * client on Configure and fails the next Configure of the same process ("unable to add custom RootCAs
 * HTTPClient"); the emulators speak plain HTTP on loopback, so no CA bundle is needed.
 */
const PROVIDER_ENV = { ...process.env, ...PLUGIN_ENV, ...QUIET, GOMEMLIMIT: '300MiB' };
delete PROVIDER_ENV.AWS_CA_BUNDLE;
/**
 * Idle providers kept for reuse: a Terraform command's walks (validate, plan, apply) follow each
 * other, so a folder's providers are back in the pool just before its next walk asks for them; one
 * idle longer than IDLE_MS is no longer wanted. Each holds ~300 MB (GOMEMLIMIT below).
 */
const MAX_IDLE = 24;
const IDLE_MS = 20_000;

/** tfplugin5 methods whose response depends on the request alone (no provider state). */
const PURE = ['GetSchema', 'GetMetadata', 'GetResourceIdentitySchemas', 'GetFunctions', 'PrepareProviderConfig', 'ValidateResourceTypeConfig', 'ValidateDataSourceConfig', 'ValidateEphemeralResourceConfig'];
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

const stats = { instances: 0, providersStarted: 0, providersReused: 0, providerCpuSeconds: 0, daemonCpuSeconds: 0, memoHits: 0, memoMisses: 0, calls: {} };

// ---- real providers -----------------------------------------------------------------------------
let shuttingDown = false;
const live = new Set();
/** Idle providers, oldest first; one is handed out only to an instance in the same folder. */
const idle = [];

class RealProvider {
  /** `cwd`: Terraform's working folder, where the provider resolves relative paths (a Lambda's zip). */
  constructor(cwd) {
    this.cwd = cwd;
    stats.providersStarted++;
    live.add(this);
    /** The instance whose Configure it last answered (null: never configured). */
    this.configuredBy = null;
    /** Got Stop, died, or failed: never handed out again. */
    this.spent = false;
    // Plain gRPC between daemon and provider: no client certificate, so go-plugin serves without TLS.
    this.child = spawn(real, [], { cwd, env: PROVIDER_ENV, stdio: ['ignore', 'pipe', 'inherit'] });
    this.client = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code, signal) => {
        this.spent = true;
        live.delete(this);
        if (!this.killed && !shuttingDown) process.stderr.write(`provider-daemon: a provider exited (${signal ?? code})\n`);
        reject(new Error(`the provider exited (${signal ?? code})`));
      });
      readline.createInterface({ input: this.child.stdout }).once('line', (line) => {
        // CORE|APP|NETWORK|ADDRESS|PROTOCOL[|CERT]
        const [, , network, address, protocol] = line.trim().split('|');
        if (protocol !== 'grpc') return reject(new Error(`unexpected handshake from the provider: ${line}`));
        resolve(new grpc.Client(network === 'unix' ? `unix:${address}` : address, grpc.credentials.createInsecure(), MESSAGE_LIMITS));
      });
    });
    this.client.catch(() => {});
  }

  async call(method, request) {
    const client = await this.client;
    return new Promise((resolve, reject) =>
      client.makeUnaryRequest(method, identity, identity, request, new grpc.Metadata(), {}, (err, response) => (err ? reject(err) : resolve(response))),
    );
  }

  kill() {
    if (this.killed) return;
    this.killed = true;
    this.spent = true;
    try {
      const f = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      stats.providerCpuSeconds += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* already gone */
    }
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    live.delete(this);
  }
}

function idleProvider(cwd) {
  for (let i = idle.length - 1; i >= 0; i--) {
    if (idle[i].cwd !== cwd || idle[i].spent) continue;
    const [p] = idle.splice(i, 1);
    stats.providersReused++;
    return p;
  }
  return new RealProvider(cwd);
}

setInterval(() => {
  while (idle.length > 0 && Date.now() - idle[0].idleSince > IDLE_MS) idle.shift().kill();
}, 5_000).unref();

// ---- memo, shared by every instance ------------------------------------------------------------
const memo = new Map();
const LOOPBACK = /127\.0\.0\.1:(\d+)/g;

/** The request with the emulator's port masked, and that port (null when it names none or several). */
function maskPort(request) {
  const text = request.toString('latin1');
  const ports = new Set(Array.from(text.matchAll(LOOPBACK), (m) => m[1]));
  if (ports.size !== 1) return { masked: request, port: null };
  const [port] = ports;
  return { masked: Buffer.from(text.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${'#'.repeat(port.length)}`), 'latin1'), port };
}

const swapPort = (bytes, from, to) => Buffer.from(bytes.toString('latin1').replaceAll(`127.0.0.1:${from}`, `127.0.0.1:${to}`), 'latin1');

/**
 * The shape of a provider configuration in a PrepareProviderConfig request (protobuf field 1, a
 * DynamicValue whose field 1 is msgpack): attribute names, booleans, nulls, unknowns and nesting
 * kept, every string and number masked. null when the request is not of that form.
 */
function configShape(request) {
  try {
    let i = 0;
    const varint = (buf) => {
      let n = 0;
      for (let shift = 0; ; shift += 7) {
        const b = buf[i++];
        n += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) return n;
      }
    };
    const field = (buf, want) => {
      while (i < buf.length) {
        const tag = varint(buf);
        if ((tag & 7) !== 2) return null;
        const len = varint(buf);
        if (tag >> 3 === want) return buf.subarray(i, (i += len));
        i += len;
      }
      return null;
    };
    const dynamic = field(request, 1);
    if (!dynamic) return null;
    i = 0;
    const msgpack = field(dynamic, 1);
    return msgpack && msgpackShape(msgpack);
  } catch {
    return null;
  }
}

function msgpackShape(buf) {
  let i = 0;
  const out = [];
  const uint = (n) => {
    const v = n === 1 ? buf.readUInt8(i) : n === 2 ? buf.readUInt16BE(i) : buf.readUInt32BE(i);
    i += n;
    return v;
  };
  const skip = (n, mark) => ((i += n), out.push(mark));
  const str = (n, asKey) => {
    out.push(asKey ? JSON.stringify(buf.toString('utf8', i, i + n)) : 's');
    i += n;
  };
  const seq = (n, open, close, pairs) => {
    out.push(open);
    for (let k = 0; k < n; k++) {
      if (pairs) walk(true);
      walk(false);
    }
    out.push(close);
  };
  const ext = (n) => {
    out.push(`x${buf[i]}`); // cty's unknown value is extension type 0
    i += 1 + n;
  };
  function walk(asKey) {
    const b = buf[i++];
    if (b <= 0x7f || b >= 0xe0) return out.push('n');
    if (b <= 0x8f) return seq(b & 0x0f, '{', '}', true);
    if (b <= 0x9f) return seq(b & 0x0f, '[', ']', false);
    if (b <= 0xbf) return str(b & 0x1f, asKey);
    switch (b) {
      case 0xc0: return out.push('z');
      case 0xc2: return out.push('f');
      case 0xc3: return out.push('t');
      case 0xc4: case 0xc5: case 0xc6: return skip(uint(1 << (b - 0xc4)), 'b');
      case 0xc7: case 0xc8: case 0xc9: return ext(uint(1 << (b - 0xc7)));
      case 0xca: return skip(4, 'n');
      case 0xcb: return skip(8, 'n');
      case 0xcc: case 0xcd: case 0xce: case 0xcf: return skip(1 << (b - 0xcc), 'n');
      case 0xd0: case 0xd1: case 0xd2: case 0xd3: return skip(1 << (b - 0xd0), 'n');
      case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: return ext(1 << (b - 0xd4));
      case 0xd9: case 0xda: case 0xdb: return str(uint(1 << (b - 0xd9)), asKey);
      case 0xdc: case 0xdd: return seq(uint(b === 0xdc ? 2 : 4), '[', ']', false);
      case 0xde: case 0xdf: return seq(uint(b === 0xde ? 2 : 4), '{', '}', true);
    }
    throw new Error(`msgpack: unknown type 0x${b.toString(16)}`);
  }
  walk(false);
  if (i !== buf.length) throw new Error('msgpack: trailing bytes');
  return out.join(' ');
}

async function memoized(instance, method, request) {
  const name = method.slice(method.lastIndexOf('/') + 1);
  stats.calls[name] = (stats.calls[name] ?? 0) + 1;
  const { masked, port } = maskPort(request);
  // Provider configurations of one shape get one validation (see the header: 1.).
  const shape = name === 'PrepareProviderConfig' ? configShape(request) : null;
  const key = crypto.createHash('sha256').update(method).update('\0').update(shape === null ? masked : `shape:${shape}`).digest('hex');
  let entry = memo.get(key);
  if (entry) stats.memoHits++;
  else {
    stats.memoMisses++;
    // Stored with the port masked; concurrent askers of the same request wait for the first answer.
    entry = instance
      .provider('pure')
      .then((p) => p.call(method, request))
      .then((response) => (port ? swapPort(response, port, '#'.repeat(port.length)) : response));
    memo.set(key, entry);
    entry.catch(() => memo.delete(key));
  }
  const response = await entry;
  return port ? swapPort(response, '#'.repeat(port.length), port) : response;
}

// ---- one provider instance, as Terraform sees it -----------------------------------------------
const certPem = fs.readFileSync(path.join(tlsDir, 'cert.pem'));
const keyPem = fs.readFileSync(path.join(tlsDir, 'key.pem'));
const certDer = new crypto.X509Certificate(certPem).raw.toString('base64').replace(/=+$/, '');

class Instance {
  constructor(socket, cwd) {
    stats.instances++;
    this.socket = socket;
    this.cwd = cwd;
    this.real = null;
    this.closed = false;
    this.server = new grpc.Server(MESSAGE_LIMITS);
    for (const m of PURE) this.unary(`/tfplugin5.Provider/${m}`, (req) => memoized(this, `/tfplugin5.Provider/${m}`, req));
    for (const m of FORWARDED) this.unary(`/tfplugin5.Provider/${m}`, (req) => this.forward(m, req));
    // go-plugin's own services. Health: SERVING (field 1 = 1).
    this.unary('/grpc.health.v1.Health/Check', async () => Buffer.from([0x08, 0x01]));
    this.unary('/plugin.GRPCController/Shutdown', async () => {
      setImmediate(() => this.close());
      return Buffer.alloc(0);
    });
    // Broker: the AWS provider brokers nothing; hold the stream open until Terraform closes it.
    this.server.register('/plugin.GRPCBroker/StartStream', (s) => s.on('end', () => s.end()).on('error', () => {}).on('data', () => {}), identity, identity, 'bidi');
    // Stdio: go-plugin falls back to plain stderr when this is unimplemented.
    this.server.register('/plugin.GRPCStdio/StreamStdio', (s) => s.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'no stdio' }), identity, identity, 'serverStream');
  }

  unary(name, handle) {
    this.server.register(
      name,
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

  /**
   * The real provider for a call: `pure` and `Configure` take whatever provider the instance has, or
   * an idle one; any other call needs a provider this instance configured (or one never
   * configured), else the instance gets a fresh one.
   */
  async provider(kind) {
    if (this.real && !this.real.spent) {
      if (kind === 'pure' || kind === 'Configure' || this.real.configuredBy === this || this.real.configuredBy === null) return this.real;
      this.release();
      this.real = new RealProvider(this.cwd);
      return this.real;
    }
    this.real = kind === 'pure' || kind === 'Configure' ? idleProvider(this.cwd) : new RealProvider(this.cwd);
    return this.real;
  }

  async forward(method, request) {
    // Stop before any provider started has nothing to stop: an empty Stop.Response.
    if (method === 'Stop') {
      if (!this.real) return Buffer.alloc(0);
      this.real.spent = true;
      return this.real.call(`/tfplugin5.Provider/${method}`, request);
    }
    const p = await this.provider(method === 'Configure' ? 'Configure' : 'stateful');
    const response = await p.call(`/tfplugin5.Provider/${method}`, request);
    if (method === 'Configure') p.configuredBy = this;
    return response;
  }

  release() {
    const p = this.real;
    this.real = null;
    if (!p) return;
    if (p.spent || shuttingDown) return p.kill();
    p.idleSince = Date.now();
    idle.push(p);
    if (idle.length > MAX_IDLE) idle.shift().kill();
  }

  listen(clientCert) {
    const credentials = clientCert
      ? grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ cert_chain: certPem, private_key: keyPem }], true)
      : grpc.ServerCredentials.createInsecure();
    this.server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
      if (err) {
        this.socket.end(`error: provider-daemon cannot listen: ${err.message}\n`);
        return this.close();
      }
      // Core protocol 1, provider protocol 5: the only one the real provider (_x5) speaks.
      this.socket.write(`1|5|tcp|127.0.0.1:${port}|grpc${clientCert ? `|${certDer}` : ''}\n`);
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.server.forceShutdown();
    this.release();
    this.socket.end();
  }
}

// ---- the control socket the launchers connect to ---------------------------------------------
const control = net.createServer((socket) => {
  socket.on('error', () => {});
  let buffered = '';
  let instance;
  socket.on('data', (chunk) => {
    if (instance) return;
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    if (lines.length < 3) return;
    // The launcher sends its working folder (Terraform's), then Terraform's client certificate
    // (PLUGIN_CLIENT_CERT) with newlines as \n.
    const [cwd, cert] = lines;
    const clientCert = cert.replace(/\\n/g, '\n');
    instance = new Instance(socket, cwd);
    instance.listen(clientCert.trim() === '' ? '' : clientCert);
  });
  // The launcher is gone (Terraform killed it, or it exited after Shutdown): so is its instance.
  socket.on('close', () => instance?.close());
});

function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const p of [...live]) p.kill();
  const cpu = process.cpuUsage();
  stats.daemonCpuSeconds = (cpu.user + cpu.system) / 1e6;
  try {
    fs.writeFileSync(statsFile, JSON.stringify(stats));
  } catch {
    /* the run's folder may be gone */
  }
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, shutdown);
process.stdin.on('end', shutdown).on('error', shutdown).resume();
process.on('exit', () => {
  for (const p of live) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

control.listen(0, '127.0.0.1', () => {
  const tmp = `${portFile}.tmp`;
  fs.writeFileSync(tmp, `${control.address().port}\n`);
  fs.renameSync(tmp, portFile);
  process.stdout.write(`${control.address().port}\n`);
});
