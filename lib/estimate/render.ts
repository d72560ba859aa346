/** Estimate -> text (terminal), Markdown (a pull request comment) or JSON (pipelines). */
import { KIND_TITLES, type Estimate, type LineItem } from './model';


export const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const qty = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toLocaleString('en-US'));
const header = (e: Estimate) =>
  `Estimated monthly cost (USD, AWS list prices in us-east-1 read ${e.pricesRead} x each service's regional ratio read ${e.regionalPricesRead}; 30-day month; free tiers not deducted)`;

export function renderText(e: Estimate): string {
  const out: string[] = [header(e), ''];
  for (const a of e.accounts) {
    out.push(`${a.stack} (${a.accountId}, ${a.role}): ${usd(a.usd)} a month  [${a.resources} resources, ${a.detections} detections, ${a.rules} rules, ${a.regions.length} regions; volumes: ${a.volume?.source ?? 'n/a'}]`);
    const sample = a.volume?.sample;
    if (sample) {
      const top = Object.entries(a.volume!.detectionShares ?? {}).filter(([, x]) => x > 0).sort((x, y) => y[1] - x[1]).slice(0, 3);
      const regions = Object.entries(sample.eventsPerDayByRegion).map(([r, n]) => `${r} ${qty(n)}`).join(', ');
      out.push(`  sample: ${sample.events.toLocaleString('en-US')} events over ${sample.days} day${sample.days === 1 ? '' : 's'} (a day: ${regions})${top.length > 0 ? `; matched most: ${top.map(([id, x]) => `${id} ${(x * 100).toFixed(2)}%`).join(', ')}` : ''}`);
    }
    for (const g of grouped(a.lines)) {
      const f = g.regionFactor === 1 ? '' : ` x ${g.regionFactor} (region)`;
      const from = g.count > 1 ? ` (${g.count} items)` : '';
      out.push(`  ${usd(g.usd).padStart(12)}  ${g.title}${from}: ${qty(g.quantity)} ${g.unit} @ ${unitPrice(g.price, g.per)}${f}`);
    }
  }
  out.push('', `Organization total: ${usd(e.usd)} a month (${e.accounts.length} account stacks)`, '', 'Top cost drivers:');
  e.drivers.forEach((d, i) => out.push(`  ${i + 1}. ${d.title}: ${usd(d.usd)} (${Math.round(d.share * 100)}%): ${d.reduce}`));
  for (const n of e.notes) out.push(`note: ${n}`);
  out.push('Every line item: --json or --markdown. Prices, sources and defaults: README "Cost estimate"; volumes: --archive <sample> or estimate: in the config.');
  return out.join('\n') + '\n';
}

/** A unit price as written on AWS's pages: "free", "$0.50 each", "$0.10 per 100,000", "$0.00099 each". */
export function unitPrice(price: number, per: number): string {
  if (price === 0) return 'free';
  const p = Number.isInteger(Math.round(price * 1e6) / 1e4) ? usd(price) : `$${price}`;
  return per === 1 ? `${p} each` : `${p} per ${per.toLocaleString('en-US')}`;
}

/** Lines of one account summed by charge (same kind, unit and price): one row for the data events of every account, say. */
function grouped(lines: readonly LineItem[]): { title: string; unit: string; price: number; per: number; regionFactor: number; quantity: number; usd: number; count: number }[] {
  const out = new Map<string, { title: string; unit: string; price: number; per: number; regionFactor: number; quantity: number; usd: number; count: number }>();
  for (const l of lines) {
    const key = `${l.kind}|${l.unit}|${l.price}|${l.regionFactor}`;
    const g = out.get(key);
    if (g) {
      g.quantity += l.quantity;
      g.usd += l.usd;
      g.count++;
      g.title = `${KIND_TITLES[l.kind]}`;
    } else out.set(key, { title: l.title, unit: l.unit, price: l.price, per: l.per, regionFactor: l.regionFactor, quantity: l.quantity, usd: l.usd, count: 1 });
  }
  return [...out.values()].sort((a, b) => b.usd - a.usd);
}

export function renderMarkdown(e: Estimate): string {
  const out: string[] = [`### trailwatch estimate: ${usd(e.usd)} a month`, '', header(e), '', '| account stack | resources | detections | rules | regions | monthly |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const a of e.accounts) out.push(`| ${a.stack} | ${a.resources} | ${a.detections} | ${a.rules} | ${a.regions.length} | ${usd(a.usd)} |`);
  out.push(`| **total** | ${sum(e, 'resources')} | ${sum(e, 'detections')} | ${sum(e, 'rules')} | | **${usd(e.usd)}** |`, '', '**Top cost drivers**', '');
  e.drivers.forEach((d, i) => out.push(`${i + 1}. ${d.title}: ${usd(d.usd)} (${Math.round(d.share * 100)}%). ${d.reduce}`));
  out.push('', '<details><summary>Line items</summary>', '', '| account stack | line item | quantity | monthly |', '| --- | --- | ---: | ---: |');
  for (const a of e.accounts) for (const l of a.lines) out.push(`| ${a.stack} | ${l.title} | ${qty(l.quantity)} ${l.unit} @ ${unitPrice(l.price, l.per)}${l.regionFactor === 1 ? '' : ` x ${l.regionFactor}`} | ${usd(l.usd)} |`);
  out.push('', '</details>');
  for (const n of e.notes) out.push('', `> ${n}`);
  return out.join('\n') + '\n';
}

export function renderJson(e: Estimate): string {
  return JSON.stringify(e, null, 2) + '\n';
}

function sum(e: Estimate, key: 'resources' | 'detections' | 'rules'): number {
  return e.accounts.reduce((n, a) => n + a[key], 0);
}
