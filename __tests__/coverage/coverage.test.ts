/**
 * `trailwatch coverage`: the ATT&CK matrix of what a config enables and the path each detection
 * runs on, from the same plans the stacks are built from.
 */
import * as fs from 'fs';
import { computeCoverage, coverageMarkdown, type Coverage } from '../../lib/coverage/coverage';
import { TECHNIQUES } from '../../lib/coverage/attack';
import { parseConfigText } from '../../lib/config/load';
import { runCli } from '../support/cli';
import { minimalConfig } from '../support/configs';
import { EXAMPLE_CONFIG } from '../support/example';
import { planAll } from '../../lib/plan/plan';

const cell = (c: Coverage, tactic: string, technique: string) => c.tactics.find((t) => t.id === tactic)!.techniques.find((t) => t.id === technique)!;

describe('coverage of a config', () => {
  test('without monitoring.threats: CIS only, on both paths; the techniques only threats detect are gaps', () => {
    const c = computeCoverage(planAll(minimalConfig()));
    expect(cell(c, 'TA0005', 'T1562.008')).toMatchObject({ path: 'both', detections: [{ id: 'cloudtrail-config-changes', kind: 'cis', path: 'both' }] });
    expect(cell(c, 'TA0006', 'T1555.006')).toMatchObject({ path: 'none', detections: [] });
    expect(c.untagged).toEqual(['network-gateway-changes', 'route-table-changes', 'vpc-changes']);
  });

  test('the example: threat detections on the metric-filter path, CIS on both, known gaps explained', () => {
    const c = computeCoverage(planAll(parseConfigText(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'), 'trailwatch.yaml')));
    const exfil = cell(c, 'TA0010', 'T1537');
    expect(exfil.path).toBe('both');
    expect(exfil.detections).toEqual(
      expect.arrayContaining([
        { id: 's3-bucket-policy-changes', kind: 'cis', path: 'both' },
        { id: 'ebs-snapshot-shared', kind: 'threat', path: 'metric filter' },
      ]),
    );
    expect(cell(c, 'TA0006', 'T1555.006').path).toBe('metric filter');
    expect(cell(c, 'TA0009', 'T1530')).toMatchObject({ path: 'none', note: 'S3 data events' });
    expect(cell(c, 'TA0008', 'T1550.001').note).toMatch(/^detected under Defense Evasion/);
    expect(c.summary.techniques).toBe(TECHNIQUES.length);
    expect(c.summary.covered).toBeGreaterThanOrEqual(20);
  });

  test('threats.eventbridge: true puts the per-event threats on both paths, volume ones stay metric filters', () => {
    const c = computeCoverage(planAll(minimalConfig('monitoring:\n  threats: { eventbridge: true }\n')));
    expect(cell(c, 'TA0010', 'T1537').detections.find((d) => d.id === 'ami-shared')!.path).toBe('both');
    expect(cell(c, 'TA0006', 'T1555.006').detections.map((d) => d.path)).toEqual(['metric filter', 'metric filter']);
  });

  test('eventbridge disabled: every detection on the metric-filter path only; monitoring disabled but EventBridge on: EventBridge only', () => {
    expect(cell(computeCoverage(planAll(minimalConfig('eventbridge: { enabled: false }\n'))), 'TA0005', 'T1562.008').path).toBe('metric filter');
    expect(cell(computeCoverage(planAll(minimalConfig('monitoring: { enabled: false }\n'))), 'TA0005', 'T1562.008').path).toBe('EventBridge');
  });

  test('custom detections count where tagged with attack; untagged ones are listed apart', () => {
    const c = computeCoverage(
      planAll(minimalConfig(`monitoring:
  custom:
    - id: bucket-ransom-note
      title: Object named like a ransom note
      pattern: '{ $.requestParameters.key = "*README_RESTORE*" }'
      attack: { tactics: [TA0040], techniques: [T1486] }
    - id: untagged-one
      title: x
      pattern: '{ $.eventName = "DeleteBucket" }'
`)),
    );
    expect(cell(c, 'TA0040', 'T1486')).toMatchObject({ path: 'metric filter', detections: [{ id: 'bucket-ransom-note', kind: 'custom', path: 'metric filter' }] });
    expect(c.untagged).toContain('untagged-one');
  });

  test('a malformed ATT&CK id in a custom detection is refused with its place', () => {
    expect(() => minimalConfig("monitoring:\n  custom:\n    - { id: abc, title: x, pattern: '{ $.eventName = \"X\" }', attack: { tactics: [Impact], techniques: [T1486] } }\n")).toThrow(
      /monitoring\.custom\[0\]\.attack\.tactics\[0\]: expected an ATT&CK tactic id such as TA0005, got "Impact"/,
    );
  });
});

describe('trailwatch coverage', () => {
  test('--markdown prints the table with one row per tactic and technique', async () => {
    const r = await runCli(['coverage', '--config', EXAMPLE_CONFIG, '--markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('| Tactic | Technique | Detected by | Path |');
    expect(lines).toContain('| Exfiltration (TA0010) | T1537 Transfer Data to Cloud Account | s3-bucket-policy-changes (cis), ebs-snapshot-shared (threat), ami-shared (threat), rds-snapshot-shared (threat) | both |');
    expect(r.stdout).toBe(coverageMarkdown(computeCoverage(planAll(parseConfigText(fs.readFileSync(EXAMPLE_CONFIG, 'utf8'), 'trailwatch.yaml')))));
  });

  test('README shows the example\'s table exactly as the command prints it', async () => {
    const r = await runCli(['coverage', '--config', EXAMPLE_CONFIG, '--markdown']);
    const readme = fs.readFileSync(`${__dirname}/../../README.md`, 'utf8');
    expect(readme).toContain(r.stdout);
  });

  test('--json is the coverage object; --json with --markdown is refused', async () => {
    const r = await runCli(['coverage', '--config', EXAMPLE_CONFIG, '--json']);
    expect(JSON.parse(r.stdout).summary.techniques).toBe(TECHNIQUES.length);
    const bad = await runCli(['coverage', '--config', EXAMPLE_CONFIG, '--json', '--markdown']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--json cannot be used with --markdown: each chooses the output format; drop --markdown, or drop --json/);
    expect(bad.stdout).toBe('');
  });
});
