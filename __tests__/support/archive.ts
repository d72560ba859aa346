/**
 * Writes a synthetic CloudTrail archive in S3 delivery layout
 * (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<ts>_<id>.json.gz),
 * sampled from the labelled events, and returns the independent count: how many records of each
 * control's label it wrote. Used by the backtest tests and `npm run bench:backtest`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { LABELLED_EVENTS } from '../fixtures/cloudtrail-events';
import { seededRandom as rng } from '../../scripts/seeded-random';

export interface ArchiveSpec {
  readonly events: number;
  /** @default 500 */
  readonly eventsPerFile?: number;
  /** Share of records sampled from events that fire some control. @default 0.2 */
  readonly firingShare?: number;
  /** @default 2026-10-01T00:00:00Z */
  readonly start?: string;
  /** Days the events spread over. @default 30 */
  readonly days?: number;
  readonly seed?: number;
}

export interface WrittenArchive {
  readonly files: string[];
  readonly events: number;
  /** control id -> records written whose label says it fires */
  readonly expected: Record<string, number>;
}

export function writeArchive(root: string, spec: ArchiveSpec): WrittenArchive {
  const random = rng(spec.seed ?? 1);
  const perFile = spec.eventsPerFile ?? 500;
  const firingShare = spec.firingShare ?? 0.2;
  const start = Date.parse(spec.start ?? '2026-10-01T00:00:00Z');
  const span = (spec.days ?? 30) * 86400_000;
  const firing = LABELLED_EVENTS.filter((e) => e.fires.length > 0);
  const quiet = LABELLED_EVENTS.filter((e) => e.fires.length === 0);
  const expected: Record<string, number> = {};
  const files: string[] = [];
  let written = 0;
  let fileNo = 0;
  while (written < spec.events) {
    const n = Math.min(perFile, spec.events - written);
    const fileTime = start + Math.floor(random() * span);
    const region = ['us-east-1', 'eu-west-1', 'eu-central-1'][fileNo % 3];
    const records = [];
    for (let i = 0; i < n; i++) {
      const pool = random() < firingShare ? firing : quiet;
      const e = pool[Math.floor(random() * pool.length)];
      for (const id of e.fires) expected[id] = (expected[id] ?? 0) + 1;
      records.push({ ...e.record, eventTime: new Date(fileTime + Math.floor(random() * 300_000)).toISOString().replace(/\.\d{3}Z$/, 'Z'), eventID: `00000000-0000-4000-8000-${String(written + i).padStart(12, '0')}` });
    }
    const d = new Date(fileTime);
    const day = path.join(String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0'));
    const dir = path.join(root, 'AWSLogs', '444444444444', 'CloudTrail', region, day);
    fs.mkdirSync(dir, { recursive: true });
    const stamp = d.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
    const file = path.join(dir, `444444444444_CloudTrail_${region}_${stamp}_${String(fileNo).padStart(6, '0')}.json.gz`);
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records }), { level: 1 }));
    files.push(file);
    written += n;
    fileNo++;
  }
  return { files, events: written, expected };
}
