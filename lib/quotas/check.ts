/**
 * Quota preflight: counts what the config would deploy (from the same plans the stacks are built
 * from: planDetections, planEventBridge, the archive policies) against the AWS limits in limits.ts.
 * A hard limit reached is a config error; a default quota reached is a warning naming the quota and
 * how to raise it. Counting the plans, not a fixed catalog size, covers every detection a catalog
 * or Sigma rule adds. Pure; the config loader reports the results with line:column.
 */
import type { ConfigProblem, PathSegment } from '../core/problems';
import type { OrganizationPlan } from '../core/organization';
import { accountRules, placedRules, type EventBridgePlan, type EventBridgeSections } from '../eventbridge/plan';
import { parseFilterPattern } from '../filter-pattern';
import type { Plan } from '../plan/plan';
import { archivePolicyDocuments } from '../trail/archive-policies';
import { logGroupName, trailLocations, trailMode } from '../trail/plan';
import { LIMITS, type AwsLimit } from './limits';

export interface QuotaReport {
  /** Hard limits reached: the config is refused. */
  readonly problems: readonly ConfigProblem[];
  /** Default quotas reached: allowed, once the quota is raised. */
  readonly warnings: readonly ConfigProblem[];
}

/**
 * One limit against one count: undefined at or under the limit. `where` names what is counted
 * ("the trail's log group aws-cloudtrail-logs/trailwatch"), `fix` what to change in the config.
 */
export function assessLimit(limit: AwsLimit, reached: number, path: readonly PathSegment[], where: string, fix: string): { severity: 'error' | 'warning'; problem: ConfigProblem } | undefined {
  if (reached <= limit.limit) return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  const unit = limit.unit ? ` ${limit.unit}` : '';
  if (limit.kind === 'hard') {
    return {
      severity: 'error',
      problem: { path, message: `${where} would reach ${n(reached)}${unit}; ${limit.service} allows at most ${n(limit.limit)} ${limit.what} (${limit.source}): ${fix}` },
    };
  }
  return {
    severity: 'warning',
    problem: {
      path,
      message: `${where} would reach ${n(reached)}${unit}, over the default ${limit.service} quota of ${n(limit.limit)} ${limit.what} (${limit.source}); raise it before deploying: ${limit.raise}; or ${fix}`,
    },
  };
}

export function checkQuotas(plan: Plan): QuotaReport {
  const config = plan.config;
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const add = (r: ReturnType<typeof assessLimit>) => {
    if (r) (r.severity === 'error' ? problems : warnings).push(r.problem);
  };
  const org = plan.organization;
  monitoringQuotas(plan, add);
  eventbridgeQuotas(org, plan.eventbridge, add);
  trailQuotas(org, plan.query, add);
  const subscriptions = config.alerting?.subscriptions?.length ?? 0;
  add(assessLimit(LIMITS.subscriptionsPerTopic, subscriptions, ['alerting', 'subscriptions'], 'the alert topic\'s subscriptions', 'subscribe a distribution list or a queue instead of each address'));
  const reserved = config.eventbridge?.responder?.enabled === true ? config.eventbridge.responder.reservedConcurrency : undefined;
  if (reserved !== undefined) {
    // Lambda refuses a reservation that leaves fewer than 100 unreserved executions; the account's quota is not in the config.
    warnings.push({
      path: ['eventbridge', 'responder', 'reservedConcurrency'],
      message:
        `reserves ${reserved} concurrent executions in every account with a responder: Lambda refuses the reservation unless the account's concurrent executions quota is at least ${reserved + LIMITS.lambdaConcurrency.limit} ` +
        `(${LIMITS.lambdaConcurrency.limit} must stay unreserved; ${LIMITS.lambdaConcurrency.source}); check, and raise it if needed: ${LIMITS.lambdaConcurrency.raise}; or remove reservedConcurrency`,
    });
  }
  return { problems, warnings };
}

type Add = (r: ReturnType<typeof assessLimit>) => void;

/** Every stack with a log group gets the same filters, so one log group stands for all. */
function monitoringQuotas({ config, detections: plan }: Plan, add: Add): void {
  if (!plan.enabled) return;
  const existing = trailMode(config) === 'existing';
  const group = existing
    ? `the existing log group ${config.trail?.existing?.logGroupName ?? `${config.trail?.existing?.logGroupNamePrefix ?? ''}*`} (its other metric filters count too)`
    : `the trail's log group ${logGroupName(config)}`;
  const disable = 'disable detections under monitoring.controls (enabled: false) or remove custom detections';
  // Per-key detections are Contributor Insights rules instead of metric filters.
  const rules = plan.detections.filter((d) => d.contributorRule).length;
  add(assessLimit(LIMITS.metricFiltersPerLogGroup, plan.detections.length - rules, ['monitoring'], `the metric filters on ${group}`, disable));
  add(assessLimit(LIMITS.contributorInsightsRules, rules, ['monitoring'], `the Contributor Insights rules of the per-key detections (alarm.per) on ${group}`, 'count fewer detections per key (remove alarm.per), or disable some'));
  // Two per pattern is the lint's (too-many-regexes); five per log group needs every pattern at once.
  const total = plan.detections.reduce((n, d) => n + countRegex(d.pattern), 0);
  add(assessLimit(LIMITS.regexPerLogGroup, total, ['monitoring'], `the regular expressions in the filter patterns on ${group}`, `use wildcards (*) instead, or ${disable} that use them`));
}

/** Regular expressions (`%...%`) in a filter pattern, counted on its syntax tree. */
export function countRegex(pattern: string): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      if ((v as { type?: unknown }).type === 'regex') n++;
      Object.values(v).forEach(walk);
    }
  };
  try {
    walk(parseFilterPattern(pattern));
  } catch {
    return 0; // an unparsable pattern is reported by the monitoring plan itself
  }
  return n;
}

/**
 * Rules per bus, as the EventBridge feature places them (accountRules in lib/eventbridge/plan.ts,
 * which the feature builds its rules from): per account, region and bus (the default bus, or the central bus).
 */
export function rulesPerBus(org: OrganizationPlan<EventBridgeSections>, plan: EventBridgePlan): { account: string; region: string; busName: string; bus: string; rules: number; wildcardRules: number }[] {
  // A plan with problems is refused by the config loader (they say why): there is no placement to count.
  if (!plan.enabled || plan.problems.length > 0) return [];
  // Rendered once per detection, not once per bus: a wide organization has thousands of buses.
  const wildcards = new Set(plan.detections.filter((d) => JSON.stringify(d.pattern).includes('"wildcard"')));
  const out: { account: string; region: string; busName: string; bus: string; rules: number; wildcardRules: number }[] = [];
  for (const account of org.accounts) {
    const perBus = new Map<string, (typeof out)[number]>();
    for (const rule of placedRules(accountRules(org, account, plan), plan)) {
      const key = `${rule.region} ${rule.bus}`;
      let b = perBus.get(key);
      if (!b) {
        const bus = rule.bus === 'default' ? `the default event bus of ${account.stackName} in ${rule.region}` : `the central bus ${rule.bus} of ${account.stackName} in ${rule.region}`;
        b = { account: account.stackName, region: rule.region, busName: rule.bus, bus, rules: 0, wildcardRules: 0 };
        perBus.set(key, b);
        out.push(b);
      }
      b.rules++;
      if (rule.detection && wildcards.has(rule.detection)) b.wildcardRules++;
    }
  }
  return out;
}

function eventbridgeQuotas(org: OrganizationPlan<EventBridgeSections>, plan: EventBridgePlan, add: Add): void {
  if (!plan.enabled) return;
  const fix = 'disable controls under monitoring.controls, or set eventbridge.enabled: false';
  const buses = rulesPerBus(org, plan);
  // One problem per limit, at the busiest bus (the others are named by count): a wide organization would otherwise print hundreds.
  for (const [limit, count] of [
    [LIMITS.rulesPerBus, (b: (typeof buses)[number]) => b.rules],
    [LIMITS.wildcardRulesPerBus, (b: (typeof buses)[number]) => b.wildcardRules],
  ] as const) {
    const over = buses.filter((b) => count(b) > limit.limit).sort((a, b) => count(b) - count(a));
    if (over.length === 0) continue;
    const more = over.length > 1 ? ` (and ${over.length - 1} more bus${over.length === 2 ? '' : 'es'})` : '';
    add(assessLimit(limit, count(over[0]), ['eventbridge'], `the ${limit === LIMITS.rulesPerBus ? 'trailwatch rules (rules you already have count too)' : 'wildcard rules'} on ${over[0].bus}${more}`, fix));
  }
  eventPatternSizes(plan).forEach(add);
}

/** Each rule's event pattern against the size quota, measured as it is rendered into the rule. */
export function eventPatternSizes(plan: Pick<EventBridgePlan, 'detections'>): ReturnType<typeof assessLimit>[] {
  return plan.detections.map((d) =>
    assessLimit(LIMITS.eventPatternSize, JSON.stringify(d.pattern).length, ['monitoring', 'controls', d.control.id], `the event pattern of ${d.ruleName}`, `shorten its exclusions (monitoring.controls.${d.control.id}.exclude) or disable the control`),
  );
}

function trailQuotas(org: OrganizationPlan<EventBridgeSections>, query: Plan['query'], add: Add): void {
  const mode = trailMode(org.config);
  if (mode === 'existing') return;
  const perRegion = new Map<string, number>();
  for (const t of trailLocations(org)) perRegion.set(`${t.stackName} in ${t.region}`, (perRegion.get(`${t.stackName} in ${t.region}`) ?? 0) + 1);
  for (const [where, n] of perRegion) add(assessLimit(LIMITS.trailsPerRegion, n, ['trail', 'mode'], `the trails of ${where}`, 'use mode: organization'));

  const { bucketPolicy, keyPolicy } = archivePolicyDocuments(org, query);
  const bucketBytes = Buffer.byteLength(bucketPolicy, 'utf8');
  const keyBytes = Buffer.byteLength(keyPolicy, 'utf8');
  const accounts = org.accounts.length;
  const whom = mode === 'account' ? `mode: account names each of the ${accounts} accounts' trails in` : 'the readers and trails named in';
  const fix = mode === 'account' ? 'use mode: organization (one trail covers every account)' : 'name fewer trail.archive.readerAccounts';
  const path = mode === 'account' ? ['trail', 'mode'] : ['trail', 'archive', 'readerAccounts'];
  add(assessLimit(LIMITS.bucketPolicySize, bucketBytes, path, `${whom} the archive bucket policy, which`, fix));
  add(assessLimit(LIMITS.keyPolicySize, keyBytes, path, `${whom} the archive key policy, which`, fix));
}
