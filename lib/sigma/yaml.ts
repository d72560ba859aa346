/**
 * Reading Sigma YAML with positions: every node the converter looks at can be traced back to its
 * file:line:column, so a refusal names the exact construct.
 *
 * The files are read with js-yaml's event parser (`parseEvents`: a flat list of events with source
 * offsets), from which this builds the small tree the converter walks. Composing full `yaml`
 * documents (as the config loader does, for its comments and edits) cost five times as much, which
 * showed at every start with a hundred rules (issue 23). Values follow YAML 1.2's core schema, as
 * before; positions are the ones `yaml` gives (__tests__/sigma/yaml.test.ts compares both).
 */
import { LineCounter } from 'yaml';
import { boolCoreTag, EVENT_ID, floatCoreTag, getScalarValue, intCoreTag, NOT_RESOLVED, nullCoreTag, parseEvents, SCALAR_STYLE, strTag, YAMLException, type Event, type ScalarEvent, type ScalarTagDefinition } from 'js-yaml';

/** A refusal or a problem in a Sigma file, with the place and the construct. */
export class SigmaError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** The Sigma construct that cannot be converted (`userAgent|base64`, `count() by`, ...). */
    readonly construct: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${construct}: ${reason}`);
    this.name = 'SigmaError';
  }
}

/** A scalar: its YAML 1.2 core-schema value (a number for `10`, null for `~` or nothing). */
export interface Scalar {
  readonly kind: 'scalar';
  /** Offset of the node in the file (its opening quote, block indicator, or first character). */
  readonly offset: number;
  readonly value: string | number | boolean | null;
}
export interface Pair {
  /** Keys are scalars: the reader refuses a map or a list as a key. */
  readonly key: Scalar;
  readonly value: Node | null;
}
export interface YamlMap {
  readonly kind: 'map';
  readonly offset: number;
  readonly items: readonly Pair[];
}
export interface YamlSeq {
  readonly kind: 'seq';
  readonly offset: number;
  readonly items: readonly Node[];
}
export type Node = Scalar | YamlMap | YamlSeq;

export const isMap = (n: Node | null | undefined): n is YamlMap => n?.kind === 'map';
export const isSeq = (n: Node | null | undefined): n is YamlSeq => n?.kind === 'seq';
export const isScalar = (n: Node | null | undefined): n is Scalar => n?.kind === 'scalar';

/** A YAML file's documents, with a function giving the line and column of any node. */
export interface SigmaFile {
  readonly file: string;
  readonly documents: readonly Node[];
  /** Line and column (1-based) of a node (or the file's start). */
  readonly at: (node: Node | null | undefined) => { line: number; column: number };
  /** A SigmaError at a node. */
  readonly fail: (node: Node | null | undefined, construct: string, reason: string) => SigmaError;
}

export function readSigmaYaml(text: string, file: string): SigmaFile {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const position = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const at = (node: Node | null | undefined) => position(node?.offset ?? 0);
  const fail = (node: Node | null | undefined, construct: string, reason: string) => {
    const p = at(node);
    return new SigmaError(file, p.line, p.column, construct, reason);
  };
  const failAt = (offset: number, construct: string, reason: string) => {
    const p = position(offset);
    return new SigmaError(file, p.line, p.column, construct, reason);
  };
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file });
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    throw new SigmaError(file, (e.mark?.line ?? 0) + 1, (e.mark?.column ?? 0) + 1, 'YAML', e.reason);
  }
  const documents = new TreeBuilder(text, events, failAt).documents();
  if (documents.length === 0) throw new SigmaError(file, 1, 1, 'file', 'no Sigma rule in the file (it is empty)');
  return { file, documents, at, fail };
}

/** The core schema's implicit scalar types, in YAML 1.2's resolution order (anything else is text). */
const IMPLICIT: readonly ScalarTagDefinition<unknown>[] = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];
/** Tags a rule may write on a scalar (`!!str 10`); other tags are refused, not guessed. */
const EXPLICIT = new Map<string, ScalarTagDefinition<unknown>>([
  ['!!str', strTag],
  ['!!null', nullCoreTag],
  ['!!bool', boolCoreTag],
  ['!!int', intCoreTag],
  ['!!float', floatCoreTag],
]);

/** Events -> nodes, one document after another. */
class TreeBuilder {
  private i = 0;
  /** End of the last token read: an empty value or a block scalar's indicator is found after it. */
  private lastEnd = 0;

  constructor(
    private readonly text: string,
    private readonly events: readonly Event[],
    private readonly failAt: (offset: number, construct: string, reason: string) => SigmaError,
  ) {}

  documents(): Node[] {
    const out: Node[] = [];
    while (this.i < this.events.length) {
      this.expect(EVENT_ID.DOCUMENT);
      const empty = this.events[this.i].type === EVENT_ID.POP;
      const node = empty ? undefined : this.node('document');
      this.expect(EVENT_ID.POP);
      // an empty document (between `---` separators, or only comments) holds no rule
      if (node && !(node.kind === 'scalar' && node.offset < 0)) out.push(node);
    }
    return out;
  }

  private expect(type: number): void {
    const e = this.events[this.i++];
    if (e?.type !== type) throw new Error(`js-yaml event ${e?.type ?? 'end'} where ${type} was expected`); // a parser bug, not the rule's
  }

  private node(context: 'document' | 'key' | 'value' | 'item'): Node {
    const e = this.events[this.i++];
    switch (e.type) {
      case EVENT_ID.SCALAR:
        return this.scalar(e, context);
      case EVENT_ID.MAPPING: {
        this.collectionTag(e.tagStart, e.tagEnd, '!!map');
        this.lastEnd = e.start + 1;
        const items: Pair[] = [];
        while (this.events[this.i].type !== EVENT_ID.POP) {
          const key = this.node('key');
          if (key.kind !== 'scalar') throw this.failAt(key.offset, 'YAML', 'a key must be a single value (a map or a list as a key is not supported)');
          if (items.some((p) => p.key.value === key.value)) throw this.failAt(key.offset, 'YAML', 'Map keys must be unique');
          items.push({ key, value: this.node('value') });
        }
        this.i++;
        return { kind: 'map', offset: e.start, items };
      }
      case EVENT_ID.SEQUENCE: {
        this.collectionTag(e.tagStart, e.tagEnd, '!!seq');
        this.lastEnd = e.start + 1;
        const items: Node[] = [];
        while (this.events[this.i].type !== EVENT_ID.POP) items.push(this.node('item'));
        this.i++;
        return { kind: 'seq', offset: e.start, items };
      }
      case EVENT_ID.ALIAS:
        throw this.failAt(e.anchorStart - 1, 'YAML alias', 'aliases (*name) are not supported in Sigma rules: write the value out');
      default:
        throw new Error(`unexpected js-yaml event ${e.type}`); // a parser bug, not the rule's
    }
  }

  private collectionTag(start: number, end: number, expected: string): void {
    if (start === -1) return;
    const tag = this.text.slice(start, end);
    if (tag !== expected) throw this.failAt(start, `YAML tag ${tag}`, 'tags are not supported on maps and lists in Sigma rules');
  }

  private scalar(e: ScalarEvent, context: 'document' | 'key' | 'value' | 'item'): Scalar {
    const raw = getScalarValue(this.text, e);
    const props = Math.max(e.tagEnd, e.anchorEnd, this.lastEnd);
    let offset: number;
    if (e.valueStart === -1) {
      // nothing written: `yaml` places the null after the `:` of its key and the blanks following it
      offset = context === 'value' ? this.after(':', props) : context === 'document' ? -1 : props;
    } else if (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED) {
      offset = e.valueStart - 1; // the opening quote
      this.lastEnd = e.valueEnd + 1;
    } else if (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) {
      offset = this.blockIndicator(props, e.valueStart); // `|` or `>`, where `yaml` places block scalars
      this.lastEnd = e.valueEnd;
    } else {
      offset = e.valueStart;
      this.lastEnd = e.valueEnd;
    }
    return { kind: 'scalar', offset, value: this.value(e, raw, offset) };
  }

  private value(e: ScalarEvent, raw: string, offset: number): string | number | boolean | null {
    if (e.tagStart !== -1) {
      const tag = this.text.slice(e.tagStart, e.tagEnd);
      const def = EXPLICIT.get(tag);
      if (!def) throw this.failAt(e.tagStart, `YAML tag ${tag}`, `only the core tags ${[...EXPLICIT.keys()].join(', ')} are understood in Sigma rules`);
      const v = def.resolve(raw, true, def.tagName);
      if (v === NOT_RESOLVED) throw this.failAt(offset, `YAML tag ${tag}`, `${JSON.stringify(raw)} is not a ${tag.slice(2)}`);
      return v as string | number | boolean | null;
    }
    if (e.style !== SCALAR_STYLE.PLAIN) return raw;
    for (const def of IMPLICIT) {
      const v = def.resolve(raw, false, def.tagName);
      if (v !== NOT_RESOLVED) return v as number | boolean | null;
    }
    return raw;
  }

  /** After the first `indicator` from `from` on and the spaces after it, skipping blanks and comments (else `from`). */
  private after(indicator: string, from: number): number {
    const t = this.text;
    for (let j = from; j < t.length; j++) {
      const c = t[j];
      if (c === indicator) {
        let k = j + 1;
        while (t[k] === ' ' || t[k] === '\t') k++;
        return k;
      }
      if (c === '#') j = lineEnd(t, j);
      else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
    }
    return from;
  }

  /** The `|` or `>` of a block scalar whose text starts at `content`, outside comments. */
  private blockIndicator(from: number, content: number): number {
    const t = this.text;
    for (let j = from; j < content; j++) {
      const c = t[j];
      if (c === '|' || c === '>') return j;
      if (c === '#' && (j === 0 || /\s/.test(t[j - 1]))) j = Math.min(lineEnd(t, j), content);
    }
    return content;
  }
}

/** Offset of the newline ending the line that holds `from` (the text's length on the last line). */
function lineEnd(t: string, from: number): number {
  const i = t.indexOf('\n', from);
  return i === -1 ? t.length : i;
}

/** The value node of `key` in a map node, with its key node (for positions). */
export function entry(map: Node, key: string): { key: Node; value: Node | null } | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => p.key.value === key);
}

/** Every `key: value` pair of a map node, keys as strings. */
export function pairs(map: Node): { key: string; keyNode: Node; value: Node | null }[] {
  if (!isMap(map)) return [];
  return map.items.map((p) => ({ key: String(p.key.value), keyNode: p.key, value: p.value }));
}

/** A scalar's value as a string (numbers and booleans in their YAML text), or undefined. */
export function scalarText(node: Node | null | undefined): string | undefined {
  if (!node || !isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** A list of strings (or one string), or undefined when the node is neither. */
export function stringList(node: Node | null | undefined): string[] | undefined {
  if (!node) return undefined;
  if (isSeq(node)) {
    const out: string[] = [];
    for (const item of node.items) {
      const s = scalarText(item);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const s = scalarText(node);
  return s === undefined ? undefined : [s];
}
