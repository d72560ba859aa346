/**
 * `trailwatch estimate` prices per-key detections: each Contributor Insights rule per month and the
 * log events its rule matches, instead of a metric-filter metric.
 */
import { parseConfigText } from '../../lib/config/load';
import { inventoryFromPlan } from '../../lib/app/inventory';
import { estimate, type Estimate, type LineKind } from '../../lib/estimate/model';
import { planDetections } from '../../lib/monitoring/plan';
import { SMALL } from './small-config';
import { planAll } from '../../lib/plan/plan';

const cost = (e: Estimate, kind: LineKind) => e.accounts.find((a) => a.stack === 'management')!.lines.filter((l) => l.kind === kind).reduce((n, l) => n + l.usd, 0);

test('Contributor Insights rules: $0.50 a rule-month and $0.02 per million matched events; the metric-filter metrics only for the others', () => {
  const config = parseConfigText(`${SMALL}monitoring:\n  threats: {}\n`, 'small.yaml');
  const detections = planDetections(config.monitoring).detections;
  const rules = detections.filter((d) => d.contributorRule).length;
  expect(rules).toBe(4);
  const e = estimate({ plan: planAll(config), inventory: inventoryFromPlan(planAll(config)) });
  const filters = detections.length - rules;
  // 4 accounts x 2 matches a day x 30 days, the rules' share of the 4 + filters detections.
  const matched = 4 * 2 * 30 * (rules / (rules + filters));
  expect(cost(e, 'contributor-insights')).toBeCloseTo(rules * 0.5 + (matched / 1e6) * 0.02, 9);
  expect(cost(e, 'metrics')).toBeCloseTo(filters * 0.3, 9);
  expect(cost(e, 'alarms')).toBeCloseTo(detections.length * 0.1, 9);
  const without = parseConfigText(`${SMALL}monitoring:\n  threats: {}\n`.replace('threats: {}', 'threats:\n    detections:\n      secrets-harvesting: { alarm: { per: [] } }'), 'small.yaml');
  expect(cost(estimate({ plan: planAll(without), inventory: inventoryFromPlan(planAll(without)) }), 'contributor-insights')).toBeCloseTo(3 * 0.5 + ((4 * 2 * 30 * (3 / detections.length)) / 1e6) * 0.02, 9);
});
