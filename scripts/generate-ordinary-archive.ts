/**
 * Writes a CloudTrail archive of ordinary activity (scripts/ordinary-activity.ts) in S3 delivery
 * layout, AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<id>.json.gz,
 * one file per account, region and hour. `trailwatch backtest` then shows how often each detection
 * would have alarmed on a normal fortnight.
 *
 *   npm run archive:ordinary -- --out /tmp/ordinary [--days 14] [--seed 13] [--start 2026-11-02] [--with-attacks]
 *
 * --with-attacks also writes every threat detection's positive samples (one Stratus-style
 * detonation each, on the third day from 13:00 UTC, a minute apart; volume detections get a burst
 * of 100, or of their threshold when it is higher), so the same backtest shows each of them firing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { THREAT_CATALOG } from '../lib/catalog';
import { ordinaryActivity } from './ordinary-activity';

interface Args {
  out: string;
  days: number;
  seed: number;
  start: string;
  withAttacks: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Partial<Args> = { days: 14, seed: 13, start: '2026-11-02', withAttacks: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === '--out') a.out = value();
    else if (flag === '--days') a.days = whole(flag, value());
    else if (flag === '--seed') a.seed = whole(flag, value());
    else if (flag === '--start') {
      a.start = value();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(a.start) || Number.isNaN(Date.parse(a.start))) fail(`--start: expected a date YYYY-MM-DD, got ${a.start}`);
    } else if (flag === '--with-attacks') a.withAttacks = true;
    else fail(`unknown option ${flag}; usage: --out DIR [--days N] [--seed N] [--start YYYY-MM-DD] [--with-attacks]`);
  }
  if (!a.out) fail('--out DIR is required (the folder to write AWSLogs/ into)');
  return a as Args;
}

function whole(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) fail(`${flag}: expected a whole number of at least 1, got ${v}`);
  return Number(v);
}

function fail(message: string): never {
  process.stderr.write(`generate-ordinary-archive: ${message}\n`);
  process.exit(2);
}

function fileFor(out: string, account: string, region: string, hour: number, n: number): string {
  const iso = new Date(hour).toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const stamp = `${y}${m}${d}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  return path.join(out, 'AWSLogs', account, 'CloudTrail', region, y, m, d, `${account}_CloudTrail_${region}_${stamp}_${String(n).padStart(4, '0')}.json.gz`);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (fs.existsSync(path.join(args.out, 'AWSLogs'))) fail(`${path.join(args.out, 'AWSLogs')} exists; give an empty folder so old files do not mix in`);
  let files = 0;
  let events = 0;
  const write = (account: string, region: string, hour: number, records: readonly unknown[]) => {
    const file = fileFor(args.out, account, region, hour, files);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
    files++;
    events += records.length;
  };
  for (const b of ordinaryActivity({ days: args.days, seed: args.seed, start: args.start })) write(b.account, b.region, b.hour, b.records);
  if (args.withAttacks) {
    const t0 = Date.parse(`${args.start}T00:00:00Z`) + (2 * 24 + 13) * 3_600_000;
    // A volume detection's detonation is a burst: its sample 100 times (or threshold times) in one minute.
    const records = THREAT_CATALOG.flatMap((c, i) =>
      (c.samples?.fires ?? []).flatMap((s) => Array.from({ length: (c.alarm?.threshold ?? 1) > 1 ? Math.max(100, c.alarm?.threshold ?? 1) : 1 }, () => ({ ...s.record, eventTime: new Date(t0 + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') }))),
    );
    write('444444444444', 'eu-west-1', t0, records);
  }
  process.stdout.write(`wrote ${events} events in ${files} files under ${path.join(args.out, 'AWSLogs')} (${args.days} days from ${args.start}, seed ${args.seed}${args.withAttacks ? ', with attacks' : ''})\n`);
}

main();
