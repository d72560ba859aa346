/**
 * The verify HTML report in a real headless Chromium (Debian's `chromium` package, driven by
 * playwright-core): it renders with no console error and no network request, and the grid shows
 * the seeded findings. A screenshot is kept in test-artifacts/ (git-ignored).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext } from 'playwright-core';
import { verifyHtml } from '../../lib/verify/report/html';
import { seededResult } from './seeded';
import { planAll } from '../../lib/plan/plan';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '../../test-artifacts');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let context: BrowserContext;
let work: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), as .ci/run does`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-chromium-'));
  // A fresh profile per run (--user-data-dir): nothing from an earlier run or another user.
  context = await chromium.launchPersistentContext(path.join(work, 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the report renders with no console error and no request, and the grid shows the seeded findings', async () => {
  const { config, result } = await seededResult();
  const file = path.join(work, 'verify.html');
  fs.writeFileSync(file, verifyHtml(result, planAll(config)));
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => r.url() !== `file://${file}` && requests.push(r.url()));
  await page.goto(`file://${file}`, { waitUntil: 'load' });

  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
  const cell = page.locator('#grid g.cell[data-account="prod-web"][data-region="eu-west-1"]');
  expect(await cell.getAttribute('data-state')).toBe('high');
  // Drawn, and in the colour of its worst finding.
  const rect = cell.locator('rect');
  expect(await rect.evaluate((r) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(r).fill)).toBe('rgb(234, 88, 12)');
  expect((await rect.boundingBox())!.width).toBeGreaterThan(50);
  expect(await page.locator('#grid g.cell[data-account="prod-payments"][data-state="error"]').count()).toBe(result.accounts.find((a) => a.name === 'prod-payments')!.regions.length);
  expect(await page.locator('#grid g.cell[data-state="clean"]').count()).toBeGreaterThan(5);
  expect(await page.locator('#findings tr.finding').count()).toBe(result.findings.length);
  expect(await page.locator('#findings').innerText()).toContain('PendingConfirmation');
  expect(await page.locator('#coverage tr.technique').count()).toBeGreaterThan(10);

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const shot = path.join(ARTIFACTS, 'verify-report.png');
  await page.screenshot({ path: shot, fullPage: true });
  expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
});
