/**
 * `samples:` on a custom detection: labelled CloudTrail records its final pattern (exclusions
 * included) must match or leave alone. A mismatch refuses the config at the sample's line, so
 * `trailwatch lint` (and synth) fail; passing samples are listed by lint.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';

const CUSTOM = `monitoring:
  custom:
    - id: bucket-deleted
      title: S3 bucket deleted
      pattern: '{ ($.eventSource = "s3.amazonaws.com") && ($.eventName = "DeleteBucket") }'
      exclude:
        identities: ['arn:aws:sts::*:assumed-role/ci-deployer/*']
      samples:
        fires:
          - { eventSource: s3.amazonaws.com, eventName: DeleteBucket, userIdentity: { type: AssumedRole, arn: 'arn:aws:sts::444444444444:assumed-role/admin/alice' } }
        quiet:
          - { eventSource: s3.amazonaws.com, eventName: DeleteBucket, userIdentity: { type: AssumedRole, arn: 'arn:aws:sts::444444444444:assumed-role/ci-deployer/run-1' } }
          - { eventSource: s3.amazonaws.com, eventName: CreateBucket, userIdentity: { type: AssumedRole, arn: 'arn:aws:sts::444444444444:assumed-role/admin/alice' } }
`;

function write(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-samples-'));
  const file = path.join(dir, 'tw.yaml');
  fs.writeFileSync(file, MINIMAL_YAML + yaml);
  return file;
}

describe('samples of custom detections', () => {
  test('samples that hold are run and listed by lint, exclusions included', async () => {
    const r = await runCli(['lint', '--config', write(CUSTOM)]);
    expect(r.stderr).not.toMatch(/samples/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bucket-deleted: samples: 1 firing and 2 quiet, each as labelled\n');
  });

  test('a firing sample the pattern misses, and a quiet one it matches, are refused at their lines', async () => {
    // The exclusion makes the first sample quiet; the CreateBucket "quiet" sample relabelled as firing.
    const broken = CUSTOM.replace("assumed-role/admin/alice' } }\n        quiet:", "assumed-role/ci-deployer/x' } }\n        quiet:").replace(
      "          - { eventSource: s3.amazonaws.com, eventName: CreateBucket",
      "          - { eventSource: s3.amazonaws.com, eventName: DeleteBucket",
    );
    const r = await runCli(['lint', '--config', write(broken)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/monitoring\.custom\[0\]\.samples\.fires\[0\]: the pattern does not match this sample it must fire on \(eventName "DeleteBucket"\).*\(tw\.yaml:19:13\)/);
    expect(r.stderr).toMatch(/monitoring\.custom\[0\]\.samples\.quiet\[1\]: the pattern matches this sample it must stay quiet on .*\(tw\.yaml:22:13\)/);
    expect(r.stdout).toBe('');
  });

  test('a sample that is not a mapping is refused by the schema', async () => {
    const r = await runCli(['lint', '--config', write(CUSTOM.replace('        quiet:\n', '        quiet:\n          - DeleteBucket\n'))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/monitoring\.custom\[0\]\.samples\.quiet\[0\]: expected a CloudTrail record/);
  });
});
