/**
 * The one Plan of a command: every concern's planner run once over the validated config, in the
 * order their inputs need (organization -> detections -> EventBridge; trail -> query). Stacks are
 * built from it, and validate, lint, quotas, rollout, estimate, coverage and backtest read it:
 * nothing downstream plans again. The config loader (lib/config/load.ts) builds it while checking
 * the config, so a command that loaded a config has its Plan.
 */
import { DEFAULT_BACKEND, type BackendConfig } from '../backend/schema';
import { planOrganization, type OrganizationPlan } from '../core/organization';
import type { EstimateConfig } from '../estimate/schema';
import { planEventBridge, type EventBridgePlan, type EventBridgeSections } from '../eventbridge/plan';
import { planDetections, type MonitoringPlan } from '../monitoring/plan';
import { planQuery, type QueryPlan } from '../query/plan';
import type { RolloutConfig } from '../rollout/schema';
import type { VerifyConfig } from '../verify/schema';

/** Every section a Plan reads: the composed config (lib/config/schema.ts) is one. */
export interface PlanSections extends EventBridgeSections {
  readonly backend?: BackendConfig;
  readonly rollout?: RolloutConfig;
  readonly estimate?: EstimateConfig;
  readonly verify?: VerifyConfig;
  readonly acknowledge?: readonly string[];
}

export interface Plan<C extends PlanSections = PlanSections> {
  /** The validated config the Plan was made from (each concern reads only its own section of it). */
  readonly config: C;
  /** Stacks: one per account, with roles, regions, access and tags. */
  readonly organization: OrganizationPlan<C>;
  /** The state backend, default applied. */
  readonly backend: BackendConfig;
  /** Metric filters and alarms (and Contributor Insights rules) of the monitoring section. */
  readonly detections: MonitoringPlan;
  /** EventBridge detections, routing, Insights and responder. */
  readonly eventbridge: EventBridgePlan;
  /** The Athena archive query resources, when `trail.archive.query` asks for them. */
  readonly query: QueryPlan | undefined;
}

/**
 * Plans `config`. `reuse.detections`: the detections of a Plan of the same `monitoring:` section
 * (a synth template's prototype differs from the command's config only in one account).
 */
export function planAll<C extends PlanSections>(config: C, reuse: { readonly detections?: MonitoringPlan } = {}): Plan<C> {
  const organization = planOrganization(config);
  const detections = reuse.detections ?? planDetections(config.monitoring);
  return {
    config,
    organization,
    backend: config.backend ?? DEFAULT_BACKEND,
    detections,
    eventbridge: planEventBridge(config, detections),
    query: planQuery(organization),
  };
}
