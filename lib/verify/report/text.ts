/** verify's findings as a terminal report and as Markdown. */
import type { Finding } from '../types';
import type { VerifyResult } from '../run';

const where = (f: Finding) => `${f.account} (${f.accountId}) ${f.region}`;

export function summaryLine(result: VerifyResult): string {
  const failed = result.findings.filter((f) => f.status === 'fail').length;
  const errors = result.findings.filter((f) => f.status === 'error').length;
  const regions = result.accounts.reduce((n, a) => n + a.regions.length, 0);
  const state = errors > 0 ? `could not check ${errors}` : failed > 0 ? 'findings' : 'as planned';
  return `verify: ${state}: ${failed} finding(s), ${errors} not checked; ${result.runs.length} checks over ${result.accounts.length} account(s) and ${regions} account-region(s); ${result.detections.verified.length} of ${result.detections.planned.length} detections verified`;
}

export function verifyText(result: VerifyResult): string {
  const lines = result.findings.map((f) =>
    [`${f.status === 'error' ? 'NOT CHECKED' : f.severity.toUpperCase()} ${f.check} ${where(f)}: ${f.resource}`, `  expected: ${f.expected}`, `  found:    ${f.found}`, ...(f.fix ? [`  fix:      ${f.fix}`] : [])].join('\n'),
  );
  return [...lines, summaryLine(result)].join('\n') + '\n';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function verifyMarkdown(result: VerifyResult): string {
  const out = [`# trailwatch verify: ${result.organizationId}`, '', `Checked at ${result.checkedAt}. ${summaryLine(result).replace(/^verify: /, '')}.`, ''];
  if (result.findings.length === 0) out.push('Everything is deployed as planned.');
  else {
    out.push('| Severity | Status | Check | Account | Region | Resource | Expected | Found | Fix |', '|---|---|---|---|---|---|---|---|---|');
    for (const f of result.findings) {
      out.push(`| ${f.severity} | ${f.status === 'error' ? 'not checked' : 'fail'} | ${f.check} | ${cell(f.account)} (${f.accountId}) | ${f.region} | ${cell(f.resource)} | ${cell(f.expected)} | ${cell(f.found)} | ${cell(f.fix)} |`);
    }
  }
  return out.join('\n') + '\n';
}
