/**
 * A backtest that could not read every file fails, unless the user allows it (issue 12, item 7):
 * a pipeline must not report "no alarms would have fired" over files it never read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeArchive } from '../support/archive';
import { runCli, tempDir } from '../support/cli';
import { MINIMAL_YAML } from '../support/configs';

function archiveWithBadFiles(bad: number) {
  const dir = tempDir('tw-skip-');
  const config = path.join(dir, 'tw.yaml');
  fs.writeFileSync(config, MINIMAL_YAML);
  const logs = path.join(dir, 'logs');
  const archive = writeArchive(logs, { events: 600, eventsPerFile: 200, seed: 11 });
  for (let i = 0; i < bad; i++) fs.writeFileSync(path.join(logs, `broken-${i}.json.gz`), 'not gzip');
  return { config, logs, archive };
}

describe('backtest with unreadable files', () => {
  test('exits 1, after the report, naming how many were skipped and how to allow them', async () => {
    const a = archiveWithBadFiles(2);
    const r = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^600 events in \d+ files \(2 skipped\)/);
    expect(r.stderr).toMatch(/skipped .*broken-0\.json\.gz/);
    expect(r.stderr).toMatch(/backtest: 2 of 5 files could not be read and were skipped \(--max-skipped 0\), so the report misses their events; fix or remove them, or accept that with --max-skipped 2/);
  });

  test('every file unreadable: exit 1', async () => {
    const dir = tempDir('tw-skip-');
    fs.writeFileSync(path.join(dir, 'tw.yaml'), MINIMAL_YAML);
    fs.writeFileSync(path.join(dir, 'a.json'), '{"Records": [');
    fs.writeFileSync(path.join(dir, 'b.json.gz'), 'x');
    const r = await runCli(['backtest', dir, '--config', path.join(dir, 'tw.yaml'), '--workers', '0', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ events: 0, skipped: 2, maxSkipped: 0 });
  });

  test('--max-skipped N allows up to N, and --json says which files and the allowance', async () => {
    const a = archiveWithBadFiles(2);
    const r = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '2', '--json', '--max-skipped', '2']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.skipped).toBe(2);
    expect(json.maxSkipped).toBe(2);
    expect(json.skippedFiles.map((s: { file: string }) => path.basename(s.file))).toEqual(['broken-0.json.gz', 'broken-1.json.gz']);
    expect(json.skippedFiles[0].error).toMatch(/gzip/);
    expect(json.events).toBe(600);

    const over = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '0', '--json', '--max-skipped', '1']);
    expect(over.code).toBe(1);
    expect(JSON.parse(over.stdout).maxSkipped).toBe(1);
  });

  test('nothing skipped: exit 0 and an empty list', async () => {
    const a = archiveWithBadFiles(0);
    const r = await runCli(['backtest', a.logs, '--config', a.config, '--workers', '0', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ skipped: 0, skippedFiles: [], maxSkipped: 0 });
  });
});
