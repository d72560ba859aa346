/**
 * verify's report as one self-contained HTML file: inline CSS and SVG, no script, no font, no
 * image or link that would reach the network when it is opened. An account x region grid coloured
 * by the worst finding, the findings table, and the ATT&CK coverage of the detections that
 * verified as deployed.
 */
import type { Plan } from '../../plan/plan';
import { computeCoverage } from '../../coverage/coverage';
import { severityRank, type VerifyResult } from '../run';
import { SEVERITIES, type Finding } from '../types';
import { summaryLine } from './text';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Cell states, worst first, with their colours. */
export const CELL_COLOURS = {
  error: '#6b21a8',
  critical: '#b91c1c',
  high: '#ea580c',
  medium: '#ca8a04',
  low: '#2563eb',
  info: '#0891b2',
  clean: '#15803d',
  none: '#e5e7eb',
} as const;
export type CellState = keyof typeof CELL_COLOURS;

/** The worst state of the findings in one account and region ('clean' when none). */
export function cellState(findings: readonly Finding[]): CellState {
  if (findings.some((f) => f.status === 'error')) return 'error';
  if (findings.length === 0) return 'clean';
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity))[0].severity;
}

function grid(result: VerifyResult): string {
  const regions = [...new Set(result.accounts.flatMap((a) => a.regions))];
  const cellW = 112;
  const cellH = 28;
  const labelW = 190;
  const headH = 34;
  const width = labelW + regions.length * cellW + 4;
  const height = headH + result.accounts.length * cellH + 4;
  const parts: string[] = [];
  regions.forEach((r, i) => parts.push(`<text x="${labelW + i * cellW + cellW / 2}" y="22" text-anchor="middle" class="head">${esc(r)}</text>`));
  result.accounts.forEach((a, row) => {
    const y = headH + row * cellH;
    parts.push(`<text x="${labelW - 8}" y="${y + 18}" text-anchor="end" class="label">${esc(a.name)}</text>`);
    regions.forEach((r, col) => {
      const planned = a.regions.includes(r);
      const findings = result.findings.filter((f) => f.account === a.name && f.region === r);
      // A region whose checks could not run (the account was not entered) is "not checked", not clean.
      const notRun = result.runs.some((x) => x.account === a.name && x.region === r && x.status === 'error');
      const state: CellState = !planned ? 'none' : notRun ? 'error' : cellState(findings);
      const text = state === 'none' ? 'not governed' : state === 'clean' ? 'as planned' : `${findings.length} ${state === 'error' ? 'not checked' : state}`;
      parts.push(
        `<g class="cell" data-account="${esc(a.name)}" data-region="${esc(r)}" data-state="${state}" data-findings="${findings.length}">` +
          `<title>${esc(`${a.name} (${a.id}) ${r}: ${text}`)}</title>` +
          `<rect x="${labelW + col * cellW + 2}" y="${y + 2}" width="${cellW - 4}" height="${cellH - 4}" rx="4" fill="${CELL_COLOURS[state]}"/>` +
          `<text x="${labelW + col * cellW + cellW / 2}" y="${y + 18}" text-anchor="middle" class="${state === 'none' ? 'muted' : 'onfill'}">${esc(state === 'none' ? '-' : state === 'clean' ? 'ok' : state === 'error' ? 'not checked' : String(findings.length))}</text></g>`,
      );
    });
  });
  return `<svg id="grid" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="accounts by region, coloured by worst finding">${parts.join('')}</svg>`;
}

function legend(): string {
  return `<p class="legend">${(Object.keys(CELL_COLOURS) as CellState[])
    .map((s) => `<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${CELL_COLOURS[s]}"/></svg> ${s === 'error' ? 'not checked' : s === 'none' ? 'not governed' : s === 'clean' ? 'as planned' : s}</span>`)
    .join(' ')}</p>`;
}

function findingsTable(result: VerifyResult): string {
  if (result.findings.length === 0) return '<p id="no-findings">Everything is deployed as planned.</p>';
  const rows = result.findings.map(
    (f) =>
      `<tr class="finding" data-severity="${f.severity}" data-status="${f.status}"><td><span class="sev" style="background:${CELL_COLOURS[f.status === 'error' ? 'error' : f.severity]}">${f.status === 'error' ? 'not checked' : f.severity}</span></td><td>${esc(f.check)}</td><td>${esc(f.account)}<br><small>${f.accountId}</small></td><td>${esc(f.region)}</td><td>${esc(f.resource)}</td><td>${esc(f.expected)}</td><td>${esc(f.found)}</td><td>${esc(f.fix)}</td></tr>`,
  );
  return `<table id="findings"><thead><tr><th>Severity</th><th>Check</th><th>Account</th><th>Region</th><th>Resource</th><th>Expected</th><th>Found</th><th>Fix</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function coverageSection(result: VerifyResult, plan: Plan): string {
  const verified = new Set(result.detections.verified);
  const coverage = computeCoverage(plan);
  const rows: string[] = [];
  for (const tactic of coverage.tactics) {
    for (const t of tactic.techniques) {
      if (t.detections.length === 0) continue;
      const ok = t.detections.filter((d) => verified.has(d.id));
      const state = ok.length === t.detections.length ? 'verified' : ok.length > 0 ? 'partly' : 'unverified';
      rows.push(
        `<tr class="technique" data-state="${state}"><td>${esc(tactic.name)}</td><td>${esc(t.id)} ${esc(t.name)}</td><td>${t.detections
          .map((d) => `<span class="${verified.has(d.id) ? 'ok' : 'bad'}">${esc(d.id)}</span>`)
          .join(' ')}</td><td>${state}</td></tr>`,
      );
    }
  }
  return `<table id="coverage"><thead><tr><th>Tactic</th><th>Technique</th><th>Detections (green: verified as deployed)</th><th>State</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function verifyHtml(result: VerifyResult, plan: Plan): string {
  const counts = SEVERITIES.map((s) => [s, result.findings.filter((f) => f.status === 'fail' && f.severity === s).length] as const).filter(([, n]) => n > 0);
  const errors = result.findings.filter((f) => f.status === 'error').length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>trailwatch verify: ${esc(result.organizationId)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#111827;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #d1d5db;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f4f6}.sev{color:#fff;border-radius:3px;padding:1px 5px;white-space:nowrap}
svg text{font-size:12px;font-family:inherit}.head{font-weight:600}.label{fill:#111827}.onfill{fill:#fff;font-weight:600}.muted{fill:#6b7280}
.legend span{margin-right:12px;white-space:nowrap}.ok{color:#15803d}.bad{color:#b91c1c;text-decoration:line-through}
</style></head><body>
<h1>trailwatch verify: ${esc(result.organizationId)}</h1>
<p id="summary">${esc(summaryLine(result).replace(/^verify: /, ''))}. Checked at ${esc(result.checkedAt)}.${counts.length + errors > 0 ? ` By severity: ${[...counts.map(([s, n]) => `${s} ${n}`), ...(errors ? [`not checked ${errors}`] : [])].join(', ')}.` : ''}</p>
<h2>Accounts by region</h2>
${grid(result)}
${legend()}
<h2>Findings</h2>
${findingsTable(result)}
<h2>ATT&amp;CK coverage of the verified detections</h2>
<p>${result.detections.verified.length} of ${result.detections.planned.length} planned detections verified as deployed in every account and region that plans them.</p>
${coverageSection(result, plan)}
</body></html>
`;
}
