/**
 * The Sigma YAML reader (lib/sigma/yaml.ts, js-yaml's event parser) against the `yaml` library that
 * read Sigma files before: the same tree, the same YAML 1.2 core values and the same line:column for
 * every node, over the vendored SigmaHQ rules, SigmaHQ's CloudTrail set when it is beside the
 * checkout, hand-written edge cases and generated documents. Where the reader refuses what `yaml`
 * accepted (aliases, unknown tags), the refusal is tested for its place and reason.
 */
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, stringify, type Node as YamlNode, type ToStringOptions } from 'yaml';
import { readSigmaSources } from '../../lib/sigma';
import { readSigmaYaml, SigmaError, type Node } from '../../lib/sigma/yaml';

type Shape = { at: string; scalar: unknown } | { at: string; map: [Shape, Shape | null][] } | { at: string; seq: Shape[] };

/** What the `yaml` library composes (uniqueKeys, as the Sigma reader used it), with positions. */
function oracle(text: string): Shape[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  const shape = (n: YamlNode): Shape => {
    const p = lc.linePos(n.range![0]);
    const at = `${p.line}:${p.col}`;
    if (isScalar(n)) return { at, scalar: n.value };
    if (isMap(n)) return { at, map: n.items.map((i) => [shape(i.key as YamlNode), i.value === null ? null : shape(i.value as YamlNode)]) };
    if (isSeq(n)) return { at, seq: n.items.map((i) => shape(i as YamlNode)) };
    throw new Error(`unexpected node ${String(n)}`);
  };
  if (!Array.isArray(docs)) return [];
  for (const d of docs) if (d.errors.length > 0) throw d.errors[0];
  // An empty document (`---` right after `---`) is skipped: `yaml` gives it an empty null scalar,
  // which the reader before passed on (and the file was refused as not a map).
  const empty = (n: YamlNode | null) => n === null || (isScalar(n) && n.range![0] === n.range![1]);
  return docs.filter((d) => !empty(d.contents as YamlNode | null)).map((d) => shape(d.contents as YamlNode));
}

function read(text: string): Shape[] {
  const f = readSigmaYaml(text, 'rule.yml');
  const shape = (n: Node): Shape => {
    const p = f.at(n);
    const at = `${p.line}:${p.column}`;
    if (n.kind === 'scalar') return { at, scalar: n.value };
    if (n.kind === 'map') return { at, map: n.items.map((i) => [shape(i.key), i.value === null ? null : shape(i.value)]) };
    return { at, seq: n.items.map(shape) };
  };
  return f.documents.map(shape);
}

const refusal = (text: string): SigmaError => {
  try {
    readSigmaYaml(text, 'rule.yml');
  } catch (e) {
    if (e instanceof SigmaError) return e;
    throw e;
  }
  throw new Error('not refused');
};

const SHARED = [path.join(__dirname, '../../../shared/sigma-aws-cloudtrail'), path.join(__dirname, '../../../../shared/sigma-aws-cloudtrail')].find((d) => fs.existsSync(d));

describe('Sigma YAML reader: the same tree and places as the yaml library', () => {
  test('every vendored SigmaHQ rule file', () => {
    const sources = readSigmaSources([path.join(__dirname, '../../vendor/sigma')]);
    expect(sources.length).toBeGreaterThanOrEqual(14);
    for (const s of sources) expect({ file: s.file, tree: read(s.text) }).toEqual({ file: s.file, tree: oracle(s.text) });
  });

  (SHARED ? test : test.skip)("every file of SigmaHQ's CloudTrail set beside the checkout (../shared)", () => {
    const sources = readSigmaSources([SHARED!]);
    expect(sources.length).toBeGreaterThan(50);
    for (const s of sources) expect({ file: s.file, tree: read(s.text) }).toEqual({ file: s.file, tree: oracle(s.text) });
  });

  test('quoting, block scalars, empty values, flow collections, comments, numbers and several documents', () => {
    const text = [
      '# a comment first',
      '---',
      'title: "Quoted: title" # trailing',
      "id: 'single ''quoted'''",
      'description: |',
      '    two',
      '    lines',
      'notes: >- # folded, with a | in the comment',
      '    folded',
      '    text',
      'empty:',
      'emptyWithComment:   # nothing here',
      'tilde: ~',
      'numbers: [10, 0x1F, 0o17, 1.5, -3, .inf, 1_000, 1e3, +12, 010]',
      'booleans: {a: true, b: True, c: FALSE, d: yes, e: no}',
      'nulls: [null, Null, NULL, ~]',
      'detection:',
      '  selection:',
      '    eventName:',
      '      - "A"',
      '      - B # comment',
      "      - 'C'",
      '      - |',
      '        block item',
      '    "quoted key": x',
      '    anchored: &a value',
      '    tagged: !!str 12',
      '  condition: selection',
      '---',
      '---',
      '- second document',
      '- {flow: map, with: [a, b]}',
      '',
    ].join('\n');
    const tree = read(text);
    expect(tree).toEqual(oracle(text));
    expect(tree).toHaveLength(2);
  });

  test('CRLF line endings and characters outside the BMP keep their places', () => {
    const text = 'title: "😀 emoji"\r\nid: x\r\ndetection:\r\n  sel:\r\n    userAgent: "😀😀"\r\n    eventName: Y\r\n';
    expect(read(text)).toEqual(oracle(text));
  });

  test('a byte-order mark, a %YAML directive and documents ended with ...', () => {
    for (const text of ['\uFEFFtitle: x\nid: y\n', '%YAML 1.2\n---\ntitle: x\n...\n', 'title: x\n...\n---\ntitle: y\n']) {
      expect(read(text)).toEqual(oracle(text));
    }
  });

  test('generated documents, written in block and flow style with every string style', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.|-]{0,12}$/);
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('true', 'null', '10', '0x1F', '1.5', '-0', '.nan', 'a: b', '#x', '- y', "it's", '"q"', ''),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      list: fc.array(tie('value'), { maxLength: 4 }),
    }));
    const options = fc.record({
      collectionStyle: fc.constantFrom('block', 'flow', 'any'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      indent: fc.integer({ min: 2, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 }), options, (docs, o) => {
        const text = docs.map((d) => stringify(d, o as ToStringOptions)).join('---\n');
        expect(read(text)).toEqual(oracle(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Sigma YAML reader: refusals name the place', () => {
  test('a repeated key, at the second one', () => {
    const e = refusal('title: a\ndetection:\n  sel:\n    eventName: A\n    eventName: B\n');
    expect([e.line, e.column, e.construct, e.reason]).toEqual([5, 5, 'YAML', 'Map keys must be unique']);
  });

  test('a syntax error, at its line', () => {
    const e = refusal('title: x\nid: [unclosed\n');
    expect(e.construct).toBe('YAML');
    expect(e.line).toBeGreaterThanOrEqual(2);
    expect(e.message).toMatch(/^rule\.yml:\d+:\d+: YAML: /);
  });

  test('an alias, at the alias: the value must be written out', () => {
    const e = refusal('title: x\nlist: &l [a]\nother: *l\n');
    expect([e.line, e.column, e.construct]).toEqual([3, 8, 'YAML alias']);
  });

  test('an unknown tag, at the tag', () => {
    const e = refusal('title: !custom x\n');
    expect([e.line, e.column, e.construct]).toEqual([1, 8, 'YAML tag !custom']);
    expect(refusal('n: !!int ten\n').reason).toBe('"ten" is not a int');
  });

  test('a map as a key', () => {
    expect(refusal('? {a: b}\n: c\n').reason).toMatch(/a key must be a single value/);
  });

  test('a file of comments only holds no rule', () => {
    expect(refusal('# nothing\n---\n').reason).toBe('no Sigma rule in the file (it is empty)');
  });
});
