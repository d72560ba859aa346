/** verify's reports (HTML, JUnit, Markdown, JSON) and the ATT&CK Navigator layers, on a result with seeded faults. */
import * as fs from 'fs';
import * as path from 'path';
import { computeCoverage } from '../../lib/coverage/coverage';
import { navigatorLayer } from '../../lib/coverage/navigator';
import type { ParsedConfig } from '../../lib/config/schema';
import { verifyHtml } from '../../lib/verify/report/html';
import { verifyJunit } from '../../lib/verify/report/junit';
import { verifyMarkdown, verifyText } from '../../lib/verify/report/text';
import type { VerifyResult } from '../../lib/verify/run';
import { runCli, tempDir } from '../support/cli';
import { EXAMPLE_CONFIG } from '../support/example';
import { seededResult } from './seeded';
import { planAll } from '../../lib/plan/plan';

let config: ParsedConfig;
let result: VerifyResult;
beforeAll(async () => {
  ({ config, result } = await seededResult());
});

describe('HTML', () => {
  it('is self-contained: no script, no external resource, a CSP that forbids any fetch', () => {
    const html = verifyHtml(result, planAll(config));
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i);
  });
  it('colours each account x region cell by its worst finding', () => {
    const html = verifyHtml(result, planAll(config));
    const cell = (account: string, region: string) => new RegExp(`data-account="${account}" data-region="${region}" data-state="([a-z]+)"`).exec(html)?.[1];
    expect(cell('prod-web', 'eu-west-1')).toBe('high');
    expect(cell('management', 'us-east-1')).toBe('high');
    expect(cell('prod-payments', 'us-east-1')).toBe('error');
    // Every region of the account it could not enter is "not checked", not only the one the finding names.
    expect(cell('prod-payments', 'eu-central-1')).toBe('error');
    expect(cell('prod-web', 'us-east-1')).toBe('clean');
    expect(cell('dev-sandbox', 'eu-west-1')).toBe('none');
  });
  it('lists the findings and the ATT&CK coverage, leaving out detections that did not verify', () => {
    const html = verifyHtml(result, planAll(config));
    expect(html).toContain('PendingConfirmation: SNS delivers nothing to it');
    expect((html.match(/<tr class="finding"/g) ?? []).length).toBe(result.findings.length);
    expect(html).toMatch(/<span class="bad">cloudtrail-config-changes<\/span>/);
    // Metric-filter-only threat detections run in management alone, which verified; every detection with
    // rules in prod-payments (not entered) is unverified.
    expect(html).toMatch(/<span class="ok">ec2-user-data-modified<\/span>/);
    expect(html).toMatch(/<span class="bad">root-account-usage<\/span>/);
  });
});

describe('JUnit', () => {
  it('has one test case per check, account and region: failures for findings, errors for the account it could not enter', () => {
    const xml = verifyJunit(result);
    expect(xml).toMatch(new RegExp(`<testsuites name="trailwatch verify o-a1b2c3d4e5" tests="${result.runs.length}" failures="2" errors="\\d+">`));
    expect(xml).toContain('<testsuite name="prod-payments (444444444444)"');
    expect(xml).toMatch(/<testcase classname="trailwatch.verify.prod-web" name="eventbridge-rules eu-west-1"><failure message="1 finding\(s\)">high rule trailwatch-cloudtrail-config-changes: expected state ENABLED; found state DISABLED/);
    expect(xml).toContain('<testcase classname="trailwatch.verify.prod-payments" name="eventbridge-rules us-east-1"><error message="could not check this account: AccessDenied: not authorized to perform: sts:AssumeRole"/>');
    expect(xml).toMatch(/<testcase classname="trailwatch.verify.prod-web" name="eventbridge-rules us-east-1"><\/testcase>/);
  });
});

describe('text and Markdown', () => {
  it('give each finding with its expected, found and fix', () => {
    expect(verifyText(result)).toContain('HIGH eventbridge-rules prod-web (555555555555) eu-west-1: rule trailwatch-cloudtrail-config-changes\n  expected: state ENABLED\n  found:    state DISABLED');
    expect(verifyMarkdown(result)).toContain('| high | fail | alerting-subscriptions | management (111111111111) | us-east-1 | subscription email:security-alerts@example.com | confirmed |');
    expect(verifyMarkdown(result)).toContain('| high | not checked | access | prod-payments (444444444444) |');
  });
});

describe('ATT&CK Navigator layer', () => {
  it('is a layer format 4.5 file scored by the detections covering each technique', () => {
    const layer = navigatorLayer(computeCoverage(planAll(config)), { name: 'x', description: 'y' });
    expect(layer.versions.layer).toBe('4.5');
    expect(layer.domain).toBe('enterprise-attack');
    const t = layer.techniques.find((x) => x.techniqueID === 'T1078.004' && x.tactic === 'initial-access')!;
    expect(t.score).toBe(2);
    expect(t.comment).toContain('root-account-usage');
    expect(layer.gradient.maxValue).toBe(Math.max(...layer.techniques.map((x) => x.score)));
  });
  it('counts only verified detections when verify writes it', () => {
    const all = navigatorLayer(computeCoverage(planAll(config)), { name: 'x', description: 'y' });
    const verified = navigatorLayer(computeCoverage(planAll(config)), { name: 'x', description: 'y', only: new Set(result.detections.verified) });
    const score = (l: typeof all, id: string) => l.techniques.filter((t) => t.techniqueID === id).reduce((n, t) => n + t.score, 0);
    const vpc = computeCoverage(planAll(config)).tactics.flatMap((t) => t.techniques).find((t) => t.detections.some((d) => d.id === 'cloudtrail-config-changes'));
    expect(vpc).toBeDefined();
    expect(score(verified, vpc!.id)).toBeLessThan(score(all, vpc!.id));
  });
  it('trailwatch coverage --navigator writes it; a folder as the file is refused with nothing written', async () => {
    const dir = tempDir('tw-nav-');
    const file = path.join(dir, 'layer.json');
    const r = await runCli(['coverage', '-c', EXAMPLE_CONFIG, '--navigator', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).versions.layer).toBe('4.5');
    const bad = await runCli(['coverage', '-c', EXAMPLE_CONFIG, '--navigator', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`--navigator ${dir}: is a folder; give a file name`);
  });
});
