/**
 * Plan: which catalog controls become EventBridge rules, in which regions, routed where. Pure; the
 * config loader reports its problems (with line:column) before any stack is built, and the result
 * is cached per config object because every account stack asks for it.
 */
import { all, CATALOG, detectionCondition, type Control } from '../catalog';
import { renderEventBridgeDetail, type EventBridgePattern } from '../catalog/render/eventbridge';
import type { ConfigProblem } from '../config/load';
import { GLOBAL_SERVICE_REGION } from '../config/regions';
import type { ParsedConfig } from '../config/schema';
import { exclusionCondition, planDetections } from '../monitoring/plan';

export const DEFAULT_BUS_NAME = 'trailwatch-detections';
export const FORWARDER_ROLE_NAME = 'trailwatch-detections-forwarder';
export const RULE_PREFIX = 'trailwatch-';

export interface EventBridgeDetection {
  readonly control: Control;
  readonly ruleName: string;
  /** Event pattern, exclusions included. */
  readonly pattern: EventBridgePattern;
}

export interface EventBridgePlan {
  readonly enabled: boolean;
  readonly target: 'central' | 'local';
  readonly busName: string;
  readonly detections: readonly EventBridgeDetection[];
  readonly insights: { readonly enabled: boolean; readonly onlyStart: boolean };
  readonly responder?: { readonly destructiveMultiplier: number; readonly minimumMultiplier?: number; readonly reservedConcurrency: number; readonly logRetentionDays: number };
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

const cache = new WeakMap<ParsedConfig, EventBridgePlan>();

export function planEventBridge(config: ParsedConfig): EventBridgePlan {
  const hit = cache.get(config);
  if (hit) return hit;
  const plan = computePlan(config);
  cache.set(config, plan);
  return plan;
}

/** The detections with a rule in `region`: global-service controls only where their events arrive. */
export function detectionsInRegion(plan: EventBridgePlan, region: string): readonly EventBridgeDetection[] {
  return plan.detections.filter((d) => !d.control.globalService || region === GLOBAL_SERVICE_REGION);
}

function computePlan(config: ParsedConfig): EventBridgePlan {
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

  const monitoring = planDetections(config.monitoring);
  const controls = config.monitoring?.controls ?? {};
  const detections: EventBridgeDetection[] = [];
  for (const d of monitoring.detections) {
    if (!d.control) {
      warnings.push({ path: ['monitoring', 'custom'], message: `custom detection ${d.id} is a filter pattern only; it runs as a metric filter, not as an EventBridge rule` });
      continue;
    }
    if (d.patternSource === 'override') {
      warnings.push({
        path: ['monitoring', 'controls', d.id, 'pattern'],
        message: `a pattern override applies to the metric filter only; the EventBridge rules of ${d.id} keep the catalog detection`,
      });
    }
    const ex = exclusionCondition((controls as Record<string, { exclude?: Parameters<typeof exclusionCondition>[0] }>)[d.id]?.exclude);
    const condition = detectionCondition(d.control.detection);
    try {
      detections.push({
        control: d.control,
        ruleName: `${RULE_PREFIX}${d.control.id}`,
        pattern: { 'detail-type': [...d.control.detailTypes], detail: renderEventBridgeDetail(ex ? all(condition, ex) : condition) },
      });
    } catch (e) {
      problems.push({ path: ['monitoring', 'controls', d.id, 'exclude'], message: `cannot be expressed as an EventBridge pattern: ${(e as Error).message}` });
    }
  }
  // Keep catalog order regardless of how monitoring ordered them.
  detections.sort((a, b) => CATALOG.indexOf(a.control) - CATALOG.indexOf(b.control));

  const enabled = eb.enabled !== false;
  if (enabled && detections.some((d) => d.control.globalService)) {
    config.accounts.forEach((a, i) => {
      if (a.regions && !a.regions.includes(GLOBAL_SERVICE_REGION)) {
        warnings.push({
          path: ['accounts', i, 'regions'],
          message: `${a.name} does not govern ${GLOBAL_SERVICE_REGION}, where IAM, console sign-in and Organizations events arrive: its global-service detections get no EventBridge rule`,
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
    insights: { enabled: eb.insights?.enabled !== false, onlyStart: eb.insights?.onlyStart === true },
    ...(r?.enabled === true
      ? {
          responder: {
            destructiveMultiplier: r.destructiveMultiplier ?? 50,
            ...(r.minimumMultiplier !== undefined ? { minimumMultiplier: r.minimumMultiplier } : {}),
            reservedConcurrency: r.reservedConcurrency ?? 2,
            logRetentionDays: r.logRetentionDays ?? 365,
          },
        }
      : {}),
    problems,
    warnings,
  };
}
