/**
 * Text from Sigma rules reaches Terraform escaped (lib/stacks/terraform-text.ts): the example,
 * synthesized with every SigmaHQ CloudTrail rule the converter accepts (vendor/sigma and
 * vendor/sigma-cloudtrail), passes `terraform validate`, and Terraform reads back exactly the
 * pattern trailwatch rendered, which still matches what it matched before.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileFilterPattern } from '../../lib/filter-pattern';
import { convertSigma, readSigmaSources, renderSigma } from '../../lib/sigma';
import { tempDir } from '../support/cli';
import { EXAMPLE_CONFIG, synthConfigFile } from '../support/example';
import { initAndValidate, terraformReads } from '../support/terraform';

const ROOT = path.join(__dirname, '../..');
const FOLDERS = [path.join(ROOT, 'vendor/sigma'), path.join(ROOT, 'vendor/sigma-cloudtrail')];

/** Every vendored rule that converts and renders as a CloudWatch filter pattern (what monitoring.sigma deploys). */
const accepted = convertSigma(readSigmaSources(FOLDERS, ROOT)).flatMap((r) => {
  if (!r.ok) return [];
  try {
    return [{ file: path.join(ROOT, r.conversion.sigma.file), pattern: (renderSigma(r.conversion, 'cloudwatch') as { pattern: string }).pattern, conversion: r.conversion }];
  } catch {
    return [];
  }
});

function exampleWithSigma(): string {
  const dir = tempDir('tw-sigma-validate-');
  const example = fs.readFileSync(EXAMPLE_CONFIG, 'utf8');
  const sigma = `monitoring:\n  sigma:\n${accepted.map((a) => `    - ${JSON.stringify(a.file)}\n`).join('')}`;
  expect(example).toMatch(/^monitoring:\n/m);
  fs.writeFileSync(path.join(dir, 'trailwatch.yaml'), example.replace(/^monitoring:\n/m, sigma).replace(/^# yaml-language-server.*\n/, ''));
  return path.join(dir, 'trailwatch.yaml');
}

const out = synthConfigFile(exampleWithSigma());
const filtersOf = (stack: string): Record<string, { name: string; pattern: string }> => out.json(stack).resource?.aws_cloudwatch_log_metric_filter ?? {};
const withSigma = out.stacks.filter((s) => Object.values(filtersOf(s)).some((f) => f.name.startsWith('trailwatch-sigma-')));

test('most of SigmaHQ\'s CloudTrail rules are accepted, the ${...} one among them', () => {
  expect(accepted.length).toBeGreaterThanOrEqual(50);
  expect(accepted.map((a) => path.basename(a.file))).toContain('aws_console_getsignintoken.yml');
  expect(withSigma.length).toBeGreaterThanOrEqual(1);
});

test.each(withSigma.map((s) => [s]))('terraform validate accepts stack %s with every accepted Sigma rule', (stack) => {
  const result = initAndValidate(out.stackDir(stack));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.valid).toBe(true);
});

test('Terraform reads back exactly the rendered patterns, and the ${project.version} filter still matches its user agent', () => {
  const filters = Object.values(filtersOf(withSigma[0])).filter((f) => f.name.startsWith('trailwatch-sigma-'));
  const read = terraformReads(filters.map((f) => f.pattern));
  const rendered = new Set(accepted.map((a) => a.pattern));
  for (const r of read) expect(rendered).toContain(r);

  const i = read.findIndex((p) => p.includes('Jersey/${project.version}'));
  expect(i).toBeGreaterThanOrEqual(0);
  expect(filters[i].pattern).toContain('Jersey/$${project.version}');
  const filter = compileFilterPattern(read[i]);
  const event = (userAgent: string) => ({ eventVersion: '1.08', eventSource: 'signin.amazonaws.com', eventName: 'GetSigninToken', userAgent, userIdentity: { type: 'IAMUser' } });
  expect(filter.matchesEvent(event('Jersey/${project.version} (HttpUrlConnection 17.0.9)'))).toBe(false);
  expect(filter.matchesEvent(event('aws_consoler/1.0'))).toBe(true);
});
