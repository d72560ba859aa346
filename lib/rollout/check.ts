/**
 * Checks of the `rollout:` section against the organization: every account in exactly one wave,
 * and (a warning) no wave before a stack it needs.
 */
import { accountNames, type OrganizationConfig } from '../core/organization';
import type { Plan } from '../plan/plan';
import type { ConfigProblem } from '../core/problems';
import { deployDependencies, orderProblems } from './dependencies';
import type { RolloutConfig } from './schema';
import { assignWaves } from './waves';

export function rolloutProblems(config: OrganizationConfig & { readonly rollout?: RolloutConfig }): ConfigProblem[] {
  const waves = config.rollout?.waves;
  if (waves === undefined) return [];
  // Stack names are the account names; duplicates are reported elsewhere.
  return assignWaves(waves, accountNames(config)).problems.map((p) => ({ path: ['rollout', 'waves', ...p.path], message: p.message }));
}

/** Waves that deploy a stack before (or beside) a stack it needs: allowed, but the first deploy fails. */
export function rolloutWarnings(plan: Plan): ConfigProblem[] {
  const waves = plan.config.rollout?.waves;
  if (waves === undefined) return [];
  const { waves: assigned, problems } = assignWaves(waves, plan.organization.accounts.map((a) => a.stackName));
  if (problems.length > 0) return [];
  return orderProblems(assigned, deployDependencies(plan)).map((p) => ({ path: ['rollout', 'waves', p.wave], message: p.message }));
}
