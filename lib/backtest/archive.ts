/**
 * CloudTrail archives as delivered: S3's `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`
 * files of `{"Records":[...]}`, plus exports: LookupEvents output (`{"Events":[{"CloudTrailEvent":
 * "<json>"}]}`), a bare JSON array of records, or JSON Lines. One file is read at a time (a
 * CloudTrail file is at most a few MB), so an archive of any size streams through bounded memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';

export class CorruptFileError extends Error {}

/** Every archive file under the given paths (files or folders), sorted, digests skipped. */
export function listArchiveFiles(paths: readonly string[], since?: Date): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name === 'CloudTrail-Digest' || name.startsWith('.')) continue; // digest files hold hashes, not events
        visit(path.join(p, name));
      }
    } else if (/\.json(\.gz)?$|\.jsonl(\.gz)?$/.test(p) && !(since && deliveredBefore(p, since))) {
      out.push(p);
    }
  };
  for (const p of paths) visit(p);
  return out;
}

/** S3 delivery paths carry the day (…/YYYY/MM/DD/…): skip whole days before --since without reading them. */
function deliveredBefore(file: string, since: Date): boolean {
  const m = /[/\\](\d{4})[/\\](\d{2})[/\\](\d{2})[/\\][^/\\]+$/.exec(file);
  if (!m) return false;
  const dayEnd = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return dayEnd <= since.getTime();
}

/** Decode one archive file into CloudTrail records. Throws CorruptFileError on bad gzip/JSON/shape. */
export function recordsOf(bytes: Buffer): unknown[] {
  let text: string;
  try {
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new CorruptFileError(`not a readable gzip file (${(e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // JSON Lines: one record per line.
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length > 1) {
      try {
        return lines.map((l) => JSON.parse(l) as unknown);
      } catch {
        /* fall through to the original error */
      }
    }
    throw new CorruptFileError(`not valid JSON (${(e as Error).message})`);
  }
  if (Array.isArray(doc)) return doc;
  if (doc !== null && typeof doc === 'object') {
    const o = doc as { Records?: unknown; Events?: unknown };
    if (Array.isArray(o.Records)) return o.Records;
    if (Array.isArray(o.Events)) {
      return o.Events.map((e) => {
        const raw = (e as { CloudTrailEvent?: unknown }).CloudTrailEvent;
        if (typeof raw !== 'string') throw new CorruptFileError('a LookupEvents entry has no CloudTrailEvent string');
        return JSON.parse(raw) as unknown;
      });
    }
  }
  throw new CorruptFileError('expected {"Records": [...]}, a LookupEvents export {"Events": [...]}, or an array of records');
}
