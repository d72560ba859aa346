/**
 * What the archive's S3 lifecycle really does with CloudTrail log files, by size: which files move
 * to which storage class, how many transition requests that makes, and the per-object overhead the
 * archive classes add. README "Cost estimate" (archive) and "Trail" (small log files) cite AWS.
 *
 * - `all_storage_classes_128K` (S3's default since September 2024, and trailwatch's): no object
 *   under 128 KB transitions; `varies_by_storage_class`: objects under 128 KB move to GLACIER and
 *   DEEP_ARCHIVE only (the other classes keep the 128 KB minimum).
 * - GLACIER and DEEP_ARCHIVE add 40 KB per object: 32 KB billed at the class's rate, 8 KB at
 *   STANDARD's.
 * - One transition request per object per transition.
 *
 * File sizes: the estimate knows the mean size of an account's log files (its gzip bytes a day over
 * its files a day), not their spread. It takes sizes as exponentially distributed around that mean
 * (an assumption: many small files, a few large ones; a measured public archive had 44% of its
 * CloudTrail files under 1,000 bytes), so the share of files at or over 128 KB is e^(-128 KB/mean)
 * and their share of the bytes (1 + 128 KB/mean) e^(-128 KB/mean).
 */
import type { TransitionMinimumSize } from '../trail/schema';

/** S3's default minimum object size for lifecycle transitions. */
export const TRANSITION_MINIMUM_BYTES = 128 * 1024;
/** Per-object overhead in GLACIER and DEEP_ARCHIVE: billed at the archive class's rate, and at STANDARD's. */
export const ARCHIVE_OVERHEAD_BYTES = { archiveClass: 32 * 1024, standard: 8 * 1024 } as const;
/** Classes that keep per-object archive overhead (and that `varies_by_storage_class` moves small objects to). */
export const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export interface SizeGroup {
  /** `small`: under 128 KB; `large`: 128 KB or more. */
  readonly name: 'small' | 'large';
  /** Share of the log files. */
  readonly fileShare: number;
  /** Share of the bytes. */
  readonly byteShare: number;
}

/** The log files under and at-or-over 128 KB, for files of `meanBytes` on average (exponential sizes). */
export function sizeGroups(meanBytes: number): readonly [SizeGroup, SizeGroup] {
  const x = meanBytes > 0 ? TRANSITION_MINIMUM_BYTES / meanBytes : Infinity;
  const files = Math.exp(-x);
  const bytes = x === Infinity ? 0 : (1 + x) * Math.exp(-x);
  return [
    { name: 'small', fileShare: 1 - files, byteShare: 1 - bytes },
    { name: 'large', fileShare: files, byteShare: bytes },
  ];
}

export interface Stage {
  readonly storageClass: string;
  readonly from: number;
  readonly until: number;
}

export interface GroupPath {
  /** Where the group's files are stored, day ranges merged by class. */
  readonly stages: readonly Stage[];
  /** Storage classes the group's files are moved to (one transition request each per file). */
  readonly transitionsTo: readonly string[];
}

/**
 * The storage classes one size group goes through from day 0 to `end` (expiration, or the horizon
 * for `never`). A transition the group is not eligible for leaves it where it is.
 */
export function groupPath(group: SizeGroup['name'], transitions: readonly { days: number; storageClass: string }[], end: number, minimum: TransitionMinimumSize): GroupPath {
  const eligible = (cls: string) => group === 'large' || (minimum === 'varies_by_storage_class' && ARCHIVE_CLASSES.has(cls));
  const moves = transitions.filter((t) => t.days < end && eligible(t.storageClass));
  const points = [{ storageClass: 'STANDARD', from: 0 }, ...moves.map((t) => ({ storageClass: t.storageClass, from: t.days }))];
  const stages = points.map((p, i) => ({ storageClass: p.storageClass, from: p.from, until: Math.min(end, points[i + 1]?.from ?? end) })).filter((s) => s.until > s.from);
  return { stages, transitionsTo: moves.map((t) => t.storageClass) };
}
