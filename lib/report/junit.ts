/**
 * JUnit XML, the test report every CI system reads (GitLab, Jenkins, Azure Pipelines, CircleCI, the
 * GitHub test-report actions): one <testsuite> of <testcase>s, a failing case holding a <failure>.
 * Small on purpose: the format is a handful of elements, so no XML library is needed, only escaping.
 */

export interface JUnitCase {
  /** Groups cases in CI views (e.g. `backtest.root-account-usage`). */
  readonly classname: string;
  readonly name: string;
  /** Set when the case failed: the one-line reason (attribute) and, optionally, the detail (body). */
  readonly failure?: { readonly message: string; readonly detail?: string };
  /** Printed with the case (e.g. a warning that did not fail it). */
  readonly output?: string;
}

export interface JUnitSuite {
  readonly name: string;
  /** Seconds the whole run took. */
  readonly seconds: number;
  readonly cases: readonly JUnitCase[];
}

export function renderJUnit(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const counts = `tests="${suite.cases.length}" failures="${failures}" errors="0" skipped="0" time="${suite.seconds.toFixed(3)}"`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xml(suite.name)}" ${counts}>`, `  <testsuite name="${xml(suite.name)}" ${counts}>`];
  for (const c of suite.cases) {
    const open = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="0"`;
    if (!c.failure && c.output === undefined) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (c.failure) lines.push(`      <failure message="${xml(c.failure.message)}" type="failure">${xml(c.failure.detail ?? c.failure.message)}</failure>`);
    if (c.output !== undefined) lines.push(`      <system-out>${xml(c.output)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}

/**
 * Text as XML character data or an attribute value: the five special characters escaped, and the
 * characters XML 1.0 cannot hold at all (control characters other than tab, LF and CR, lone
 * surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, so any message makes a well-formed document.
 */
export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`); // kept as written (a parser would turn them into spaces in an attribute)
}
