/** Test files leave no temporary folders behind (issue 12, item 19: /tmp/tw-rollout-* piled up). */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

test('the folders from writeTemp and tempDir are removed when the test file is done', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-leak-check-'));
  try {
    const list = path.join(tmp, 'made.txt');
    const r = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--rootDir', ROOT, '--roots', path.join(__dirname, 'fixtures'), '--testMatch', '**/temp-folders.fixture.ts', '--ci', '--cacheDirectory', path.join(tmp, 'jest-cache')],
      { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, TW_FIXTURE_LIST: list }, encoding: 'utf8' },
    );
    expect(r.stderr).toMatch(/1 passed/);
    const made = fs.readFileSync(list, 'utf8').split('\n');
    expect(made).toHaveLength(2);
    for (const p of made) expect(p.startsWith(tmp)).toBe(true); // made where this test looks
    expect(made.filter((p) => fs.existsSync(p))).toEqual([]);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('tw-'))).toEqual([]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 120_000);
