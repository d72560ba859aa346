/**
 * Comparing what AWS returns with what the stack plans, where AWS may write the same thing another
 * way: JSON documents (key order), IAM policies (a one-element list is its element, `"*"` is
 * `{"AWS": "*"}`, statement order), and the ARN or name of a resource.
 */

/** JSON with object keys sorted, for comparing documents whatever their key order. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(value));
}

/** Parses a JSON document; undefined when it is not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** True when both texts are the same JSON document (key order aside). */
export function sameJson(a: string | undefined, b: string | undefined): boolean {
  const x = parseJson(a);
  const y = parseJson(b);
  return x !== undefined && y !== undefined && canonicalJson(x) === canonicalJson(y);
}

function normalizePolicyValue(key: string, v: unknown): unknown {
  if (key === 'Principal' && v === '*') return { AWS: '*' };
  if (Array.isArray(v)) {
    const items = v.map((x) => normalizePolicyValue('', x));
    return items.length === 1 ? items[0] : items.map((x) => canonicalJson(x)).sort().map((x) => JSON.parse(x) as unknown);
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizePolicyValue(k, x)]));
  return v;
}

interface Statement {
  readonly Sid?: string;
  readonly [key: string]: unknown;
}

const statementsOf = (policy: unknown): Statement[] => {
  const s = (policy as { Statement?: unknown } | undefined)?.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []) as Statement[];
};

/**
 * The planned statements (by Sid) the deployed policy lacks or holds differently: empty when the
 * deployed policy grants exactly what was planned for each of them. Statements added by hand beside
 * them are not reported (an account may add its own).
 */
export function missingStatements(planned: string, deployed: string | undefined): string[] {
  const want = statementsOf(parseJson(planned));
  const have = statementsOf(parseJson(deployed)).map((s) => canonicalJson(normalizePolicyValue('', s)));
  return want.flatMap((s, i) => (have.includes(canonicalJson(normalizePolicyValue('', s))) ? [] : [s.Sid ?? `statement ${i + 1}`]));
}

/** Short text of a value for a finding's expected/found columns. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
