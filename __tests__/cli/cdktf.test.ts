/**
 * Run by cdktf (`cdktf synth|list|diff|deploy` run the app of cdktf.json), trailwatch keeps quiet
 * on success (issue 12, item 13): cdktf shows whatever its app writes on stderr as a red [ERROR]
 * line. Errors still go to stderr, which cdktf shows.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'trailwatch.js');

/** What @cdktf/cli-core (synth-stack.ts) sets for the app it runs. */
const CDKTF_ENV = { CDKTF_CONTEXT_JSON: '{}', CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true', SYNTH_HCL_OUTPUT: 'false' };

function project(yaml = MINIMAL_YAML) {
  const dir = tempDir('tw-cdktf-');
  fs.writeFileSync(path.join(dir, 'tw.yaml'), yaml);
  return dir;
}

test('as cdktf runs it, a successful synth prints nothing', () => {
  const dir = project();
  const r = spawnSync(process.execPath, [BIN, 'synth', '--config', 'tw.yaml'], {
    cwd: dir,
    env: { ...process.env, ...CDKTF_ENV, CDKTF_OUTDIR: path.join(dir, 'cdktf.out') },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('');
  expect(fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['dev-app', 'log-archive', 'management', 'prod-app']);
}, 60_000);

test('as cdktf runs it, errors are still printed', () => {
  const dir = project(MINIMAL_YAML.replace('"444444444444"', '"4"'));
  const r = spawnSync(process.execPath, [BIN, 'synth', '--config', 'tw.yaml'], {
    cwd: dir,
    env: { ...process.env, ...CDKTF_ENV, CDKTF_OUTDIR: path.join(dir, 'cdktf.out') },
    encoding: 'utf8',
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/accounts\[0\]\.id: expected 12 digits, got "4"/);
}, 60_000);

test('`cdktf synth` shows no trailwatch line among its errors', () => {
  const dir = project();
  const app = [process.execPath, BIN, 'synth', '--config', path.join(dir, 'tw.yaml')].map((a) => JSON.stringify(a)).join(' ');
  fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app, sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }));
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--no-color'], {
    cwd: dir,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  expect(r.stdout + r.stderr).toMatch(/Generated Terraform code for the stacks/);
  expect(r.stdout + r.stderr).not.toMatch(/trailwatch:/);
}, 180_000);
