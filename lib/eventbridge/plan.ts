/**
 * Plan: which catalog controls become EventBridge rules, in which regions and with which rule
 * state, routed where. Pure; the config loader reports its problems (with line:column) before any
 * stack is built, and the result is cached per config object because every account stack asks for it.
 */
import { all, CATALOG, detectionCondition, ruleStateFor, THREAT_CATALOG, type Control } from '../catalog';
import { alarmCountsEvents, eventBridgeDetailTypes, EventBridgeInexpressible, matchesConsoleSignIn, renderEventBridgeDetail, type EventBridgePattern } from '../catalog/render/eventbridge';
import type { ConfigProblem } from '../core/problems';
import { GLOBAL_SERVICE_REGION } from '../core/regions';
import { planDetections, type DetectionPlan, type MonitoringPlan } from '../monitoring/plan';
import type { MonitoringConfig } from '../monitoring/schema';
import type { AlertingConfig } from '../alerting/schema';
import type { TrailSections } from '../trail/schema';
import { DEFAULT_SIGN_IN_REGIONS, type EventBridgeConfig } from './schema';
import type { AccountPlan, OrganizationPlan } from '../core/organization';
import { logDeliveryFor, trailLocationFor, trailLocations, trailMode, type TrailLocation } from '../trail/plan';
import { DEFAULT_RETENTION_DAYS } from '../core/retention';
import { NAME_PREFIX } from '../core/names';

export const DEFAULT_BUS_NAME = 'trailwatch-detections';
export const FORWARDER_ROLE_NAME = 'trailwatch-detections-forwarder';
/** Rule names: the prefix every trailwatch resource name starts with. */
export const RULE_PREFIX = NAME_PREFIX;
/** Name of the Insights rules (the alerting one and the forwarders, each in its own region). */
export const INSIGHTS_RULE_NAME = 'trailwatch-cloudtrail-insights';

export { DEFAULT_SIGN_IN_REGIONS } from './schema';

/**
 * `ENABLED` rules never receive read-only management events named Describe*, Get* or List*; the
 * other state receives everything (see lib/catalog/read-only.ts for the sources).
 */
export type DetectionRuleState = 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface EventBridgeDetection {
  readonly control: Control;
  readonly ruleName: string;
  /** Event pattern, exclusions included. */
  readonly pattern: EventBridgePattern;
  /** Derived from the detection: the wider state only where it can match a withheld read-only call. */
  readonly state: DetectionRuleState;
}

export interface EventBridgePlan {
  readonly enabled: boolean;
  readonly target: 'central' | 'local';
  readonly busName: string;
  readonly detections: readonly EventBridgeDetection[];
  /** Regions beyond the governed ones that get the console sign-in rules (eventbridge.signInRegions). */
  readonly signInRegions: readonly string[];
  readonly insights: { readonly enabled: boolean; readonly onlyStart: boolean };
  readonly responder?: {
    readonly destructiveMultiplier: number;
    readonly minimumMultiplier?: number;
    /** undefined: no reservation (the function uses the account's unreserved pool). */
    readonly reservedConcurrency?: number;
    readonly logRetentionDays: number;
  };
  /** monitoring makes metric filters and alarms (the alert topic then sits next to the log group). */
  readonly alarmsEnabled: boolean;
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

/** What the EventBridge concern reads of the config: the trail it follows, the detections it renders, where they alert. */
export interface EventBridgeSections extends TrailSections {
  readonly monitoring?: MonitoringConfig;
  readonly alerting?: AlertingConfig;
  readonly eventbridge?: EventBridgeConfig;
}

/** The EventBridge plan, from the detections the command planned (lib/plan plans them once). */
export function planEventBridge(config: EventBridgeSections, monitoring: MonitoringPlan = planDetections(config.monitoring)): EventBridgePlan {
  return computePlan(config, monitoring);
}

export { ruleStateFor };

/**
 * The regions of one control's rules in a stack that governs `governed`:
 * - console sign-in controls: every governed region (Regional console endpoints) and the sign-in regions;
 * - other global-service controls (IAM, Organizations API calls): us-east-1, if the stack deploys there;
 * - every other control: the governed regions.
 */
export function regionsForControl(control: Control, governed: readonly string[], signInRegions: readonly string[]): string[] {
  const deployed = unique([...governed, ...signInRegions]);
  if (matchesConsoleSignIn(control)) return deployed;
  if (control.globalService) return deployed.includes(GLOBAL_SERVICE_REGION) ? [GLOBAL_SERVICE_REGION] : [];
  return [...governed];
}

/** Region -> the detections with a rule there, governed regions first, then the extra sign-in regions. */
export function detectionsByRegion(plan: EventBridgePlan, governed: readonly string[]): Map<string, EventBridgeDetection[]> {
  const out = new Map<string, EventBridgeDetection[]>(unique([...governed, ...plan.signInRegions]).map((r) => [r, []]));
  for (const d of plan.detections) for (const r of regionsForControl(d.control, governed, plan.signInRegions)) out.get(r)!.push(d);
  for (const [r, ds] of out) if (ds.length === 0) out.delete(r);
  return out;
}

function computePlan(config: EventBridgeSections, monitoring: MonitoringPlan): EventBridgePlan {
  const eb = config.eventbridge ?? {};
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const security = config.organization.securityAccount;
  const target = eb.target ?? (security ? 'central' : 'local');
  if (target === 'central' && !security) {
    problems.push({ path: ['eventbridge', 'target'], message: 'central routing needs organization.securityAccount (the account that holds the central bus); add it or use target: local' });
  }
  if (eb.responder?.minimumMultiplier !== undefined && eb.responder.enabled !== true) {
    problems.push({ path: ['eventbridge', 'responder', 'minimumMultiplier'], message: 'needs the responder (eventbridge.responder.enabled: true): only it can compute a multiplier' });
  }

  // Threat detections run on the metric-filter path; as rules in every account and region only on
  // request (monitoring.threats.eventbridge), since that multiplies rules by accounts x regions.
  const threatRules = config.monitoring?.threats?.eventbridge === true;
  const detections: EventBridgeDetection[] = [];
  for (const d of monitoring.detections) {
    const eligible = eventBridgeEligibility(d, config, threatRules);
    if (eligible !== true) {
      if (eligible) warnings.push(eligible);
      continue;
    }
    const control = d.control!;
    const settingsPath = detectionSettingsPath(d);
    if (d.patternSource === 'override') {
      warnings.push({
        path: [...settingsPath, 'pattern'],
        message: `a pattern override applies to the metric filter only; the EventBridge rules of ${d.id} keep the catalog detection`,
      });
    }
    const ex = d.exclusions;
    const condition = ex ? all(detectionCondition(control.detection), ex) : detectionCondition(control.detection);
    try {
      detections.push({
        control,
        ruleName: `${RULE_PREFIX}${control.id}`,
        pattern: { 'detail-type': eventBridgeDetailTypes(control), detail: renderEventBridgeDetail(condition) },
        state: ruleStateFor(condition),
      });
    } catch (e) {
      // Inexpressible in EventBridge's documented forms: the metric filter still alerts, so the
      // detection stays off EventBridge with a warning; anything else is a config error.
      if (e instanceof EventBridgeInexpressible) {
        warnings.push({ path: [...settingsPath, 'exclude'], message: `kept off EventBridge (metric filter only): ${e.message}` });
      } else {
        problems.push({ path: [...settingsPath, 'exclude'], message: `cannot be expressed as an EventBridge pattern: ${(e as Error).message}` });
      }
    }
  }
  // Keep catalog order (CIS, then threats) regardless of how monitoring ordered them.
  const order = [...CATALOG, ...THREAT_CATALOG];
  detections.sort((a, b) => order.indexOf(a.control) - order.indexOf(b.control));

  const signInRegions = eb.signInRegions ?? DEFAULT_SIGN_IN_REGIONS;
  const enabled = eb.enabled !== false;
  if (enabled && detections.some((d) => d.control.globalService && !matchesConsoleSignIn(d.control)) && !signInRegions.includes(GLOBAL_SERVICE_REGION)) {
    if (!config.organization.regions.includes(GLOBAL_SERVICE_REGION)) {
      warnings.push({
        path: ['organization', 'regions'],
        message: `the governed regions leave out ${GLOBAL_SERVICE_REGION}, where IAM and Organizations events arrive, and eventbridge.signInRegions leaves it out: accounts without their own regions get no EventBridge rule for IAM and Organizations`,
      });
    }
    config.accounts.forEach((a, i) => {
      if (a.regions && !a.regions.includes(GLOBAL_SERVICE_REGION)) {
        warnings.push({
          path: ['accounts', i, 'regions'],
          message: `${a.name} does not govern ${GLOBAL_SERVICE_REGION}, where IAM and Organizations events arrive, and eventbridge.signInRegions leaves it out: its IAM and Organizations detections get no EventBridge rule`,
        });
      }
    });
  }

  const r = eb.responder;
  return {
    enabled,
    target,
    busName: eb.busName ?? DEFAULT_BUS_NAME,
    detections,
    signInRegions,
    insights: { enabled: eb.insights?.enabled !== false, onlyStart: eb.insights?.onlyStart === true },
    ...(r?.enabled === true
      ? {
          responder: {
            destructiveMultiplier: r.destructiveMultiplier ?? 50,
            ...(r.minimumMultiplier !== undefined ? { minimumMultiplier: r.minimumMultiplier } : {}),
            ...(r.reservedConcurrency !== undefined ? { reservedConcurrency: r.reservedConcurrency } : {}),
            logRetentionDays: r.logRetentionDays ?? DEFAULT_RETENTION_DAYS,
          },
        }
      : {}),
    alarmsEnabled: monitoring.enabled,
    problems,
    warnings,
  };
}

function detectionSettingsPath(d: DetectionPlan): (string | number)[] {
  return d.kind === 'threat' ? ['monitoring', 'threats', 'detections', d.id] : ['monitoring', 'controls', d.id];
}

/**
 * Whether a detection becomes per-account EventBridge rules: true, or the warning that says why not
 * (undefined: not, and nothing to say). The one place that decides it, for every kind of detection:
 * - a detection whose alarm counts (catalogue, config or Sigma threshold above 1, or M of N with
 *   M > 1) never does: a rule would alert on every single event (alarmCountsEvents);
 * - custom detections are filter patterns only (no catalog condition to render);
 * - Sigma rules (monitoring.sigma) run as metric filters only (documented, no warning);
 * - threat detections only with monitoring.threats.eventbridge.
 * The warning sits where the config sets what causes it, so `acknowledge` can name it.
 */
export function eventBridgeEligibility(d: DetectionPlan, config: EventBridgeSections, threatRules: boolean): true | ConfigProblem | undefined {
  // A Security Hub copy (patternSet: both) is its control's second filter; the rule comes from the intent detection.
  if (d.securityHubCopy || d.kind === 'sigma' || (d.kind === 'threat' && !threatRules)) return undefined;
  const customIndex = d.kind === 'custom' ? (config.monitoring?.custom ?? []).findIndex((c) => c.id === d.id) : -1;
  const counts = alarmCountsEvents(d.alarm);
  if (counts) {
    const m = config.monitoring;
    const own = d.kind === 'custom' ? undefined : d.kind === 'threat' ? m?.threats?.detections?.[d.id]?.alarm : m?.controls?.[d.id]?.alarm;
    const path =
      d.kind === 'custom'
        ? ['monitoring', 'custom', customIndex]
        : own !== undefined
          ? [...detectionSettingsPath(d), 'alarm']
          : d.kind === 'threat'
            ? ['monitoring', 'threats', 'eventbridge']
            : ['monitoring', 'alarmDefaults'];
    return { path, message: `${d.id} runs as a ${d.contributorRule ? 'Contributor Insights rule' : 'metric filter'} only, not as an EventBridge rule: ${counts}, so it would alert on each event the alarm tolerates` };
  }
  if (!d.control) return { path: ['monitoring', 'custom', customIndex], message: `custom detection ${d.id} is a filter pattern only; it runs as a metric filter, not as an EventBridge rule` };
  return true;
}

// ---- Placement ----------------------------------------------------------------------------
/*
 * Which EventBridge rules one account's stack gets, in which region and on which bus: the one
 * answer that the feature (./feature.ts) builds its rules from and the quota check counts, so the
 * two cannot disagree. Pure: it reads the organization plan and the EventBridge plan only.
 *
 * - Detections: per region (detectionsByRegion); with `target: local` the aggregation region (the
 *   alert topic's) gets every control placed anywhere in the stack and alerts the topic, the other
 *   regions forward to its default bus; with `target: central` every region forwards to the central bus.
 * - Central bus (security account, `target: central`): one rule per detection, and one for the
 *   Insights that member accounts forward (organization trail with Insights).
 * - Insights: where the covering trail's Insights arise (every watched region of a multi-region
 *   trail, only the trail's region otherwise); the alerting rule in one region, forwarders elsewhere.
 */

/** The organization and account plans, as the trail plan takes them (a feature does not import the plan layer). */
type OrgPlan = OrganizationPlan<EventBridgeSections>;
type AccountPlanOf = AccountPlan;

export interface RegionalDetections {
  readonly region: string;
  readonly detections: readonly EventBridgeDetection[];
  /** The rules alert the stack's topic directly (the aggregation region of `target: local`); else they forward. */
  readonly alertsTopic: boolean;
}

/** Where this stack's Insights rules go and where they alert. */
export interface InsightsPlacement {
  /** Regions with an Insights rule. */
  readonly regions: readonly string[];
  /** Region of the alerting rule (`insights`); undefined: every region forwards (central routing of a member). */
  readonly alertRegion?: string;
  /** Bus the other regions forward to. */
  readonly busArn: string;
  /** This stack owns the trail: the responder runs next to the alerting rule. */
  readonly owner: boolean;
}

export interface AccountRules {
  /** Region of the stack's alert topic with `target: local` (monitoring's, else the primary region). */
  readonly topicRegion?: string;
  /** Bus the detections of other regions forward to. */
  readonly detectionsBusArn: string;
  readonly regional: readonly RegionalDetections[];
  /** The security account's central bus and its rules (`target: central`). */
  readonly central?: { readonly region: string; readonly detections: readonly EventBridgeDetection[]; readonly insights: boolean };
  readonly insights?: InsightsPlacement;
}

/** One EventBridge rule as synthesized: region, bus (`default` or the central bus's name), name. */
export interface PlacedRule {
  readonly region: string;
  readonly bus: string;
  readonly ruleName: string;
  /** The detection the rule matches (undefined: an Insights rule). */
  readonly detection?: EventBridgeDetection;
}

export function defaultBusArn(region: string, accountId: string): string {
  return `arn:aws:events:${region}:${accountId}:event-bus/default`;
}

export function centralBusArn(org: OrgPlan, plan: EventBridgePlan): string {
  const security = org.config.organization.securityAccount!;
  return `arn:aws:events:${org.homeRegion}:${security.id}:event-bus/${plan.busName}`;
}

/**
 * Region of the stack's alert topic: monitoring makes it next to the log group it watches (the
 * stack with the log delivery, detections enabled); otherwise EventBridge makes it in the primary region.
 */
export function alertTopicRegion(org: OrgPlan, account: AccountPlanOf, plan: Pick<EventBridgePlan, 'alarmsEnabled'>): string {
  const delivery = logDeliveryFor(org, account);
  return delivery && plan.alarmsEnabled ? delivery.region : account.primaryRegion;
}

/** The rules of one account's stack (an empty placement when EventBridge is off). */
export function accountRules(org: OrgPlan, account: AccountPlanOf, plan: EventBridgePlan): AccountRules {
  const local = plan.target === 'local' ? alertTopicRegion(org, account, plan) : undefined;
  const detectionsBusArn = local !== undefined ? defaultBusArn(local, account.accountId) : centralBusArn(org, plan);
  if (!plan.enabled) return { detectionsBusArn, regional: [] };

  const byRegion = detectionsByRegion(plan, account.regions);
  const regions = [...byRegion.keys()];
  if (local !== undefined && !byRegion.has(local) && regions.length > 0) regions.push(local);
  // The aggregation region catches what every other region forwards: it needs every control placed anywhere.
  const anywhere = new Set([...byRegion.values()].flat().map((d) => d.control.id));
  const regional = regions.map((region) =>
    region === local ? { region, detections: plan.detections.filter((d) => anywhere.has(d.control.id)), alertsTopic: true } : { region, detections: byRegion.get(region) ?? [], alertsTopic: false },
  );

  const insights = insightsPlacement(org, account, plan, local, [...new Set([...account.regions, ...byRegion.keys()])]);
  const central =
    plan.target === 'central' && account.role === 'security'
      ? { region: org.homeRegion, detections: plan.detections, insights: trailMode(org.config) === 'organization' && coveringTrail(org, account, plan) !== undefined }
      : undefined;
  return { ...(local !== undefined ? { topicRegion: local } : {}), detectionsBusArn, regional, ...(central ? { central } : {}), ...(insights ? { insights } : {}) };
}

/** Every rule of the placement, with its region and bus: what the quota check counts. */
export function placedRules(rules: AccountRules, plan: EventBridgePlan): PlacedRule[] {
  const out: PlacedRule[] = [];
  for (const r of rules.regional) for (const d of r.detections) out.push({ region: r.region, bus: 'default', ruleName: d.ruleName, detection: d });
  if (rules.central) {
    for (const d of rules.central.detections) out.push({ region: rules.central.region, bus: plan.busName, ruleName: d.ruleName, detection: d });
    if (rules.central.insights) out.push({ region: rules.central.region, bus: plan.busName, ruleName: INSIGHTS_RULE_NAME });
  }
  const at = rules.insights;
  if (at) {
    if (at.alertRegion !== undefined) out.push({ region: at.alertRegion, bus: 'default', ruleName: INSIGHTS_RULE_NAME });
    for (const region of at.regions) if (region !== at.alertRegion) out.push({ region, bus: 'default', ruleName: INSIGHTS_RULE_NAME });
  }
  return out;
}

/** The trail whose Insights cover this account, or undefined (no trail of ours, or Insights off). */
function coveringTrail(org: OrgPlan, account: AccountPlanOf, plan: EventBridgePlan): { trail: TrailLocation; owner: boolean } | undefined {
  const t = org.config.trail;
  if (!plan.insights.enabled || (t?.insights !== undefined && t.insights.length === 0)) return undefined;
  const own = trailLocationFor(org, account);
  if (own) return { trail: own, owner: true };
  // An organization trail logs (and analyzes) every member account too.
  if (trailMode(org.config) === 'organization') {
    const first = trailLocations(org)[0];
    if (first) return { trail: first, owner: false };
  }
  return undefined;
}

/**
 * Insights events arise in the region of the management events they analyze (CloudTrail User
 * Guide, "Working with CloudTrail Insights"): a multi-region trail's Insights cover every region
 * the stack watches, a single-region trail's only its own region.
 */
function insightsPlacement(org: OrgPlan, account: AccountPlanOf, plan: EventBridgePlan, local: string | undefined, watched: readonly string[]): InsightsPlacement | undefined {
  const covering = coveringTrail(org, account, plan);
  if (!covering) return undefined;
  const { trail, owner } = covering;
  const regions = org.config.trail?.multiRegion === false ? watched.filter((r) => r === trail.region) : [...watched];
  if (regions.length === 0) return undefined;
  if (owner) return { regions, alertRegion: trail.region, busArn: defaultBusArn(trail.region, account.accountId), owner };
  if (plan.target === 'central') return { regions, busArn: centralBusArn(org, plan), owner };
  return { regions, alertRegion: local!, busArn: defaultBusArn(local!, account.accountId), owner };
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
