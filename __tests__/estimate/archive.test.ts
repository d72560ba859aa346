/**
 * The archive lifecycle as S3 applies it (README "Cost estimate", archive): log files under 128 KB
 * are not transitioned unless transitionDefaultMinimumObjectSize says varies_by_storage_class (then
 * only to GLACIER and DEEP_ARCHIVE); each transitioned file is one request per transition; GLACIER
 * and DEEP_ARCHIVE add 32 KB at their rate and 8 KB at STANDARD's per object. Computed by hand.
 */
import { parseConfigText } from '../../lib/config/load';
import { sizeGroups } from '../../lib/estimate/archive';
import { inventoryFromPlan } from '../../lib/app/inventory';
import { estimate, type Estimate } from '../../lib/estimate/model';
import { planAll } from '../../lib/plan/plan';

// One account governed in one region: 368,640 data events a day of 1,024 bytes, gzip to a tenth:
// 37,748,736 bytes a day in 288 log files = 131,072 bytes (128 KB) a file on average.
const yaml = (minimum: string) => `organization:
  id: o-a1b2c3d4e5
  homeRegion: us-east-1
  regions: [us-east-1]
  managementAccount: { id: "111111111111", name: management }
  logArchiveAccount: { id: "222222222222", name: log-archive }
accounts: []
trail:
  dataEvents: { s3: all }
  insights: []
  archive:
    lifecycle:
      transitions: [{ days: 90, storageClass: GLACIER_IR }, { days: 180, storageClass: DEEP_ARCHIVE }]
      expirationDays: 365
${minimum}
estimate:
  compressionRatio: 0.1
  defaults: { managementEventsPerDay: 0, s3DataEventsPerDay: 368640, eventBytes: 1024 }
  accounts:
    log-archive: { s3DataEventsPerDay: 0 }
`;
const run = (minimum: string): Estimate => {
  const config = parseConfigText(yaml(minimum), 'archive.yaml');
  return estimate({ plan: planAll(config), inventory: inventoryFromPlan(planAll(config)) });
};
const lines = (e: Estimate, kind: 's3-storage' | 's3-requests') => e.accounts.find((a) => a.stack === 'log-archive')!.lines.filter((l) => l.kind === kind && l.from === 'management');
const sum = (ls: { usd: number }[]) => ls.reduce((n, l) => n + l.usd, 0);

const GB_DAY = 37_748_736 / 1e9;
const FILES_DAY = 288;
const FILES = FILES_DAY * 30;
// Exponential sizes around a 128 KB mean: e^-1 of the files, 2e^-1 of the bytes are 128 KB or more.
const LARGE_FILES = Math.exp(-1);
const LARGE_BYTES = 2 * Math.exp(-1);
const STD = 0.023;
const IR = 0.004;
const DA = 0.00099;
const overhead = (objects: number, rate: number) => ((objects * 32 * 1024) / 1e9) * rate + ((objects * 8 * 1024) / 1e9) * STD;

test('size groups: the share of files and bytes at or over 128 KB for a mean file size', () => {
  const [small, large] = sizeGroups(128 * 1024);
  expect(large.fileShare).toBeCloseTo(LARGE_FILES, 12);
  expect(large.byteShare).toBeCloseTo(LARGE_BYTES, 12);
  expect(small.fileShare + large.fileShare).toBeCloseTo(1, 12);
  expect(sizeGroups(0)[1].fileShare).toBe(0);
});

describe('all_storage_classes_128K (the default)', () => {
  const e = run('');

  test('files under 128 KB stay in STANDARD the whole year; larger ones move to GLACIER_IR, then DEEP_ARCHIVE with per-object overhead', () => {
    const expected =
      GB_DAY * (1 - LARGE_BYTES) * 365 * STD + // small files: STANDARD, days 0-365
      GB_DAY * LARGE_BYTES * (90 * STD + 90 * IR + 185 * DA) + // large files through the lifecycle
      overhead(FILES_DAY * LARGE_FILES * 185, DA); // their DEEP_ARCHIVE objects
    expect(sum(lines(e, 's3-storage'))).toBeCloseTo(expected, 12);
  });

  test('transition requests only for the files that move: one per file per transition', () => {
    const transitions = lines(e, 's3-requests').filter((l) => l.unit.startsWith('transitions'));
    expect(transitions.map((l) => [l.unit, l.quantity])).toEqual([
      ['transitions to GLACIER_IR', expect.closeTo(FILES * LARGE_FILES, 6)],
      ['transitions to DEEP_ARCHIVE', expect.closeTo(FILES * LARGE_FILES, 6)],
    ]);
    expect(sum(transitions)).toBeCloseTo((FILES * LARGE_FILES / 1000) * (0.02 + 0.05), 12);
  });

  test('the note says how much of the archive the transitions move', () => {
    expect(e.notes).toContainEqual('archive lifecycle (all_storage_classes_128K): S3 transitions no log file under 128 KB; mean log file 128 KB (36.8% of files, 73.6% of bytes at 128 KB or more) in management');
  });
});

describe('varies_by_storage_class', () => {
  const e = run('      transitionDefaultMinimumObjectSize: varies_by_storage_class');

  test('small files skip GLACIER_IR (128 KB minimum) but go to DEEP_ARCHIVE, each paying the 40 KB overhead', () => {
    const expected =
      GB_DAY * (1 - LARGE_BYTES) * (180 * STD + 185 * DA) +
      overhead(FILES_DAY * (1 - LARGE_FILES) * 185, DA) +
      GB_DAY * LARGE_BYTES * (90 * STD + 90 * IR + 185 * DA) +
      overhead(FILES_DAY * LARGE_FILES * 185, DA);
    expect(sum(lines(e, 's3-storage'))).toBeCloseTo(expected, 12);
    const transitions = lines(e, 's3-requests').filter((l) => l.unit.startsWith('transitions'));
    expect(sum(transitions)).toBeCloseTo((FILES * LARGE_FILES / 1000) * 0.02 + (FILES / 1000) * 0.05, 12);
  });
});
