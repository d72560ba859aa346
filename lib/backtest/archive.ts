/**
 * CloudTrail archives as delivered: S3's `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz`
 * files of `{"Records":[...]}`, plus exports: LookupEvents output (`{"Events":[{"CloudTrailEvent":
 * "<json>"}]}`), CloudWatch Logs output of the trail's log group (`aws logs filter-log-events` /
 * `get-log-events`: `{"events":[{"message":"<json>"}]}`), a bare JSON array of records, one record,
 * or JSON Lines (`.jsonl`, or `jq -c` output of any of these: one document per line). One file is
 * read at a time (a CloudTrail file is at most a few MB), so an archive of any size streams through
 * bounded memory.
 *
 * Nothing is passed over silently: a file that cannot be decoded is a CorruptFileError; inside a
 * readable file, a record that cannot be read (a broken `CloudTrailEvent` or `message` string, a bad
 * JSON Lines line, an entry that is not an object) is listed with its position; a record without a
 * usable `eventTime` is kept and counted (it can match, but no alarm period holds it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { eventTimeMs } from './event-time';

export class CorruptFileError extends Error {}

/** A record inside a readable file that could not be read. */
export interface UnreadableRecord {
  /** Where in the file: `line 3`, `Events[2]`, `line 4, events[0]`. */
  readonly position: string;
  readonly error: string;
}

export interface ArchiveContents {
  /** The records to replay (those before `since` left out). */
  readonly records: unknown[];
  /** Each record's eventTime in epoch ms (NaN when it has no usable one), by index. */
  readonly times: number[];
  readonly unreadable: UnreadableRecord[];
  /** Records kept without a usable eventTime (missing, not a string, not a date). */
  readonly untimed: number;
  /** Records left out because their eventTime is before `since`. */
  readonly beforeSince: number;
}

/** The archive files under some paths, and how many were left out by --since without being read. */
export interface ArchiveListing {
  readonly files: string[];
  /** Files whose delivery day (from the S3 path) is wholly before --since. */
  readonly beforeSince: number;
  /** The newest delivery day among those files (YYYY-MM-DD). */
  readonly newestDayBeforeSince?: string;
}

const ARCHIVE_FILE = /\.json(\.gz)?$|\.jsonl(\.gz)?$/;
const JSON_LINES_FILE = /\.jsonl(\.gz)?$/;

/** Every archive file under the given paths (files or folders), sorted, digests skipped. */
export function listArchiveFiles(paths: readonly string[], since?: Date): string[] {
  return listArchive(paths, since).files;
}

/** listArchiveFiles, also counting the files --since left out (so "no files" is never said of old ones). */
export function listArchive(paths: readonly string[], since?: Date): ArchiveListing {
  const files: string[] = [];
  let beforeSince = 0;
  let newest: string | undefined;
  const visit = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name === 'CloudTrail-Digest' || name.startsWith('.')) continue; // digest files hold hashes, not events
        visit(path.join(p, name));
      }
    } else if (ARCHIVE_FILE.test(p)) {
      const day = since ? deliveryDay(p) : undefined;
      if (since && day && day.end <= since.getTime()) {
        beforeSince++;
        if (newest === undefined || day.text > newest) newest = day.text;
      } else {
        files.push(p);
      }
    }
  };
  for (const p of paths) visit(p);
  return { files, beforeSince, ...(newest ? { newestDayBeforeSince: newest } : {}) };
}

/** S3 delivery paths carry the day (…/YYYY/MM/DD/…): whole days before --since are skipped without reading them. */
function deliveryDay(file: string): { end: number; text: string } | undefined {
  const m = /[/\\](\d{4})[/\\](\d{2})[/\\](\d{2})[/\\][^/\\]+$/.exec(file);
  if (!m) return undefined;
  return { end: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1), text: `${m[1]}-${m[2]}-${m[3]}` };
}

/** Decode one archive file into CloudTrail records. Throws CorruptFileError on bad gzip/JSON/shape or an unreadable record. */
export function recordsOf(bytes: Buffer, name = ''): unknown[] {
  const read = readArchive(bytes, name);
  if (read.unreadable.length > 0) throw new CorruptFileError(`${read.unreadable[0].position}: ${read.unreadable[0].error}`);
  return read.records;
}

/** Where the records of a file go: `keep` the readable ones, list the `bad` ones. */
interface Sink {
  readonly keep: (record: unknown, position: string) => void;
  readonly bad: (position: string, error: string) => void;
}

/**
 * Decode one archive file (`name` tells JSON Lines by its extension). Throws CorruptFileError when
 * the file as a whole cannot be read; lists each unreadable record inside a readable one.
 */
export function readArchive(bytes: Buffer, name = '', sinceMs?: number): ArchiveContents {
  let text: string;
  try {
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new CorruptFileError(`not a readable gzip file (${(e as Error).message})`);
  }
  const out = { records: [] as unknown[], times: [] as number[], unreadable: [] as UnreadableRecord[], untimed: 0, beforeSince: 0 };
  const bad = (position: string, error: string) => void out.unreadable.push({ position, error });
  const keep = (r: unknown, position: string) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      bad(position, `expected a CloudTrail record (a JSON object), got ${r === null ? 'null' : Array.isArray(r) ? 'a list' : typeof r}`);
      return;
    }
    const time = (r as { eventTime?: unknown }).eventTime;
    const ms = typeof time === 'string' ? eventTimeMs(time) : NaN;
    if (Number.isNaN(ms)) out.untimed++;
    else if (sinceMs !== undefined && ms < sinceMs) {
      out.beforeSince++;
      return;
    }
    out.records.push(r);
    out.times.push(ms);
  };
  const sink: Sink = { keep, bad };

  if (JSON_LINES_FILE.test(name)) {
    readLines(text, sink);
    return out;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // `jq -c` output saved as .json: one document per line, the first of them valid on its own.
    if (!firstLineIsJson(text)) throw new CorruptFileError(`not valid JSON (${jsonErrorAt(text, e as Error)})`);
    readLines(text, sink);
    return out;
  }
  if (!readDocument(doc, '', sink, false)) {
    throw new CorruptFileError('expected {"Records": [...]}, a LookupEvents export {"Events": [...]}, a CloudWatch Logs export {"events": [...]}, an array of records or one record');
  }
  return out;
}

/** JSON Lines: each line one document (a record, or any container readDocument knows). */
function readLines(text: string, sink: Sink): void {
  let readable = 0;
  let firstError: UnreadableRecord | undefined;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const position = `line ${i + 1}`;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      const error = `not valid JSON (${(e as Error).message.replace(/ in JSON at position \d+$/, '')})`;
      firstError ??= { position, error };
      sink.bad(position, error);
      return;
    }
    readable++;
    readDocument(doc, position, sink, true);
  });
  if (readable === 0 && firstError) throw new CorruptFileError(`no line is valid JSON (${firstError.position}: ${firstError.error})`);
}

/**
 * Hands the records of one JSON document to the sink. A lone object that is no container is one
 * record on a JSON Lines line, or when it has a CloudTrail record's eventVersion / eventName;
 * returns false for a document of no known shape.
 */
function readDocument(doc: unknown, at: string, sink: Sink, line: boolean): boolean {
  const where = (p: string) => (at ? `${at}, ${p}` : p);
  if (Array.isArray(doc)) {
    doc.forEach((r, i) => sink.keep(r, where(`[${i}]`)));
    return true;
  }
  if (doc === null || typeof doc !== 'object') {
    if (line) sink.keep(doc, at);
    return line;
  }
  const o = doc as { Records?: unknown; Events?: unknown; events?: unknown; eventVersion?: unknown; eventName?: unknown };
  if (Array.isArray(o.Records)) {
    o.Records.forEach((r, i) => sink.keep(r, where(`Records[${i}]`)));
    return true;
  }
  // LookupEvents: each entry's CloudTrailEvent is the record as a JSON string.
  if (Array.isArray(o.Events)) {
    o.Events.forEach((e, i) => readEmbedded(e, 'CloudTrailEvent', where(`Events[${i}]`), sink));
    return true;
  }
  // CloudWatch Logs FilterLogEvents / GetLogEvents: each event's message is the record CloudTrail sent.
  if (Array.isArray(o.events)) {
    o.events.forEach((e, i) => readEmbedded(e, 'message', where(`events[${i}]`), sink));
    return true;
  }
  if (line || typeof o.eventVersion === 'string' || typeof o.eventName === 'string') {
    sink.keep(doc, at || 'the record');
    return true;
  }
  return false;
}

/** An export entry whose `key` holds the record as JSON text. */
function readEmbedded(entry: unknown, key: string, position: string, sink: Sink): void {
  const raw = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[key] : undefined;
  if (typeof raw !== 'string') {
    sink.bad(position, `has no ${key} string`);
    return;
  }
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch (e) {
    sink.bad(position, `its ${key} is not valid JSON (${jsonErrorAt(raw, e as Error)})`);
    return;
  }
  sink.keep(record, position);
}

function firstLineIsJson(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '');
  if (first === undefined || first.trim() === text.trim()) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** JSON.parse's message with its byte position turned into a line and column. */
function jsonErrorAt(text: string, e: Error): string {
  const m = / in JSON at position (\d+)$/.exec(e.message);
  const offset = m ? Number(m[1]) : /end of JSON input/.test(e.message) ? text.length : undefined;
  const message = e.message.replace(/ in JSON at position \d+$/, '');
  if (offset === undefined) return message;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${message} at line ${line} column ${offset - before.lastIndexOf('\n')}`;
}
