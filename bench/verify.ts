/**
 * `npm run bench:verify -- --accounts N --regions R [--concurrency C]`: generates an organization
 * (bench/org-config.ts), plans it as `trailwatch verify` does (synth into a temporary folder), then
 * runs every check against the emulator named by TRAILWATCH_AWS_ENDPOINT (required: a local moto
 * server, e.g. `moto_server -p 5077`), counting the AWS calls. Prints one JSON line. Against an
 * emulator where nothing is deployed every check still makes its calls (each answers "not found").
 */
import { Command } from 'commander';
import { parseConfigText } from '../lib/config/load';
import { planOrganization } from '../lib/core/organization';
import { clientFactory, type ClientFactory } from '../lib/verify/aws';
import { planAccounts } from '../lib/verify/planned';
import { runVerify } from '../lib/verify/run';
import { verifySettings } from '../lib/verify/settings';
import { generateOrganizationYaml } from './org-config';
import { planAll } from '../lib/plan/plan';

const opts = new Command()
  .option('--accounts <n>', 'member accounts', '200')
  .option('--regions <n>', 'governed regions', '17')
  .option('--concurrency <n>', 'checks at once', '16')
  .parse()
  .opts<{ accounts: string; regions: string; concurrency: string }>();

async function main(): Promise<void> {
  if (!process.env.TRAILWATCH_AWS_ENDPOINT) throw new Error('set TRAILWATCH_AWS_ENDPOINT to a local emulator (moto_server -p 5077; TRAILWATCH_AWS_ENDPOINT=http://127.0.0.1:5077)');
  const config = parseConfigText(generateOrganizationYaml(Number(opts.accounts), Number(opts.regions)));
  const t0 = process.hrtime.bigint();
  const organization = planOrganization(config);
  const accounts = await planAccounts(planAll(config));
  const t1 = process.hrtime.bigint();
  const inner = clientFactory();
  let calls = 0;
  const counted = new WeakSet<object>();
  const factory: ClientFactory = {
    signIn: inner.signIn,
    clients: (plan, region) => {
      const set = inner.clients(plan, region);
      for (const client of Object.values(set)) {
        if (counted.has(client)) continue;
        counted.add(client);
        client.middlewareStack.add((next: (a: unknown) => unknown) => (args: unknown) => (calls++, next(args)) as never, { step: 'initialize', name: 'benchCount' });
      }
      return set;
    },
  };
  const result = await runVerify({ organization, accounts, factory, settings: verifySettings(config), concurrency: Number(opts.concurrency) });
  const t2 = process.hrtime.bigint();
  const s = (a: bigint, b: bigint) => Math.round(Number(b - a) / 1e7) / 100;
  process.stdout.write(
    JSON.stringify({
      accounts: accounts.length,
      accountRegions: accounts.reduce((n, a) => n + a.regions.length, 0),
      checks: result.runs.length,
      calls,
      concurrency: Number(opts.concurrency),
      planSeconds: s(t0, t1),
      verifySeconds: s(t1, t2),
      callsPerSecond: Math.round(calls / (Number(t2 - t1) / 1e9)),
      notChecked: result.findings.filter((f) => f.status === 'error').length,
    }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
