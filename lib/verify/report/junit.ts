/** verify's runs as JUnit XML: one test case per check, account and region; a finding fails it, a check that could not run errors it. */
import type { VerifyResult } from '../run';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function verifyJunit(result: VerifyResult): string {
  const byAccount = new Map<string, VerifyResult['runs'][number][]>();
  for (const r of result.runs) byAccount.set(r.account, [...(byAccount.get(r.account) ?? []), r]);
  const suites: string[] = [];
  for (const account of result.accounts) {
    const runs = byAccount.get(account.name) ?? [];
    const access = result.findings.find((f) => f.check === 'access' && f.account === account.name);
    const cases = runs.map((r) => {
      const findings = result.findings.filter((f) => f.check === r.check && f.account === r.account && f.region === r.region);
      const name = `${r.check} ${r.region}`;
      const body =
        r.status === 'pass'
          ? ''
          : r.status === 'error'
            ? `<error message="${xml(access ? access.found : (findings[0]?.found ?? 'could not check'))}"/>`
            : `<failure message="${xml(`${findings.length} finding(s)`)}">${xml(findings.map((f) => `${f.severity} ${f.resource}: expected ${f.expected}; found ${f.found}; fix: ${f.fix}`).join('\n'))}</failure>`;
      return `    <testcase classname="trailwatch.verify.${xml(account.name)}" name="${xml(name)}">${body}</testcase>`;
    });
    const failures = runs.filter((r) => r.status === 'fail').length;
    const errors = runs.filter((r) => r.status === 'error').length;
    suites.push(`  <testsuite name="${xml(`${account.name} (${account.id})`)}" tests="${runs.length}" failures="${failures}" errors="${errors}" timestamp="${result.checkedAt}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const orgFailures = result.runs.filter((r) => r.status === 'fail').length;
  const orgErrors = result.runs.filter((r) => r.status === 'error').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="trailwatch verify ${xml(result.organizationId)}" tests="${result.runs.length}" failures="${orgFailures}" errors="${orgErrors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
