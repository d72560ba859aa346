/**
 * Reading Sigma YAML with positions: every node the converter looks at can be traced back to its
 * file:line:column, so a refusal names the exact construct.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node, type Pair } from 'yaml';

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
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (node: Node | null | undefined, construct: string, reason: string) => {
    const p = at(node);
    return new SigmaError(file, p.line, p.column, construct, reason);
  };
  if (!Array.isArray(docs)) throw new SigmaError(file, 1, 1, 'file', 'not a YAML stream');
  const documents: Node[] = [];
  for (const d of docs) {
    const err = d.errors[0];
    if (err) {
      const p = lineCounter.linePos(err.pos[0]);
      throw new SigmaError(file, p.line, p.col, 'YAML', err.message.split('\n')[0]);
    }
    if (d.contents === null) continue; // an empty document between `---` separators
    documents.push(d.contents as Node);
  }
  if (documents.length === 0) throw new SigmaError(file, 1, 1, 'file', 'no Sigma rule in the file (it is empty)');
  return { file, documents, at, fail };
}

/** The value node of `key` in a map node, with its key node (for positions). */
export function entry(map: Node, key: string): { key: Node; value: Node | null } | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node | null> | undefined;
  return pair ? { key: pair.key, value: pair.value } : undefined;
}

/** Every `key: value` pair of a map node, keys as strings. */
export function pairs(map: Node): { key: string; keyNode: Node; value: Node | null }[] {
  if (!isMap(map)) return [];
  return map.items.map((p) => ({ key: String(isScalar(p.key) ? p.key.value : p.key), keyNode: p.key as Node, value: p.value as Node | null }));
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
      const s = scalarText(item as Node);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }
  const s = scalarText(node);
  return s === undefined ? undefined : [s];
}

export { isMap, isScalar, isSeq };
export type { Node };
