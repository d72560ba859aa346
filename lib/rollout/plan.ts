/**
 * The rollout of an organization: ordered waves of account stacks, from `rollout.waves` or, without
 * that section, the default order: core accounts as their dependencies need, then members (see defaultWaves).
 */
import type { Plan } from '../plan/plan';
import { deployDependencies } from './dependencies';
import { assignWaves, defaultWaves } from './waves';

export interface RolloutWave {
  /** 1-based position: the pipeline deploys wave 1 first. */
  readonly index: number;
  /** Stack (= account) names, in stack order. Never empty. */
  readonly stacks: readonly string[];
}

export interface RolloutPlan {
  readonly waves: readonly RolloutWave[];
  /** True when the waves come from `rollout.waves`; false for the default order. */
  readonly configured: boolean;
}

/** Waves of a validated config. A `*` wave that catches no account is left out. */
export function planRollout(plan: Plan): RolloutPlan {
  const org = plan.organization;
  const stackNames = org.accounts.map((a) => a.stackName);
  const spec = org.config.rollout?.waves;
  let waves: readonly (readonly string[])[];
  if (spec === undefined) {
    waves = defaultWaves(org.accounts, deployDependencies(plan));
  } else {
    const assignment = assignWaves(spec, stackNames);
    // The config loader reports these with their position; reaching here means it was bypassed.
    if (assignment.problems.length > 0) throw new Error(`invalid rollout.waves: ${assignment.problems.map((p) => p.message).join('; ')}`);
    waves = assignment.waves;
  }
  return {
    waves: waves.filter((stacks) => stacks.length > 0).map((stacks, i) => ({ index: i + 1, stacks })),
    configured: spec !== undefined,
  };
}
