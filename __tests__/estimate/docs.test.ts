/** README's price and default-volume tables say what lib/estimate uses. */
import * as fs from 'fs';
import * as path from 'path';
import { ESTIMATE_DEFAULTS } from '../../lib/estimate/schema';
import { PRICES, PRICES_READ } from '../../lib/estimate/prices';

const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const section = (title: string) => readme.slice(readme.indexOf(`## ${title}`), readme.indexOf('\n## ', readme.indexOf(`## ${title}`) + 3));

test('the price table gives the date the prices were read and every source', () => {
  const cost = section('Cost estimate');
  expect(cost).toContain(`read ${PRICES_READ}`);
  for (const p of Object.values(PRICES)) {
    expect(cost).toContain(p.source.split(' ')[0]);
    expect(cost).toContain(`$${p.usd < 0.01 ? p.usd : p.usd.toFixed(2)}`);
  }
});

test('the volumes table gives every default the estimate assumes', () => {
  const cost = section('Cost estimate');
  for (const [key, value] of Object.entries(ESTIMATE_DEFAULTS)) {
    const row = cost.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${key}\``));
    expect(row).toBeDefined();
    expect(row).toContain(value.toLocaleString('en-US'));
  }
});

test('the README section the estimate footer sends readers to exists', () => {
  const { renderText } = require('../../lib/estimate/render') as typeof import('../../lib/estimate/render');
  const footer = renderText({ currency: 'USD', pricesRead: PRICES_READ, regionalPricesRead: PRICES_READ, accounts: [], usd: 0, drivers: [], notes: [] }).trim().split('\n').pop()!;
  const named = /README "([^"]+)"/.exec(footer)![1];
  expect(readme).toMatch(new RegExp(`^## ${named}$`, 'm'));
});
