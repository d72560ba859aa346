/**
 * Deploy-order dependencies between account stacks. Stacks share no Terraform state, so nothing
 * stops a pipeline from deploying them in the wrong order: these are the pairs whose first deploy
 * fails unless the other stack was deployed in an earlier wave.
 */
import type { OrganizationPlan } from '../plan/account-plan';
import { holdsArchive, trailLocations } from '../trail/plan';
import { listNames } from './patterns';

export interface DeployDependency {
  /** The stack that must deploy later. */
  readonly stack: string;
  /** The stack that must already be deployed. */
  readonly dependsOn: string;
  /** Why, as a clause: "its trail writes into ...". */
  readonly reason: string;
}

/**
 * Every trail delivers into the log archive (bucket and KMS key): CloudTrail refuses to create a
 * trail whose bucket policy does not admit it yet, so each trail's stack deploys after the archive's.
 */
export function deployDependencies(org: OrganizationPlan): DeployDependency[] {
  const archive = org.accounts.find((a) => holdsArchive(org, a));
  if (archive === undefined) return [];
  return trailLocations(org)
    .filter((t) => t.stackName !== archive.stackName)
    .map((t) => ({ stack: t.stackName, dependsOn: archive.stackName, reason: `its trail writes into the log archive (bucket and KMS key) in ${archive.stackName}` }));
}

export interface OrderProblem {
  /** 0-based wave of the stacks that deploy too early. */
  readonly wave: number;
  readonly message: string;
}

/** Dependencies the waves break: a stack in the same wave as, or an earlier wave than, what it needs. */
export function orderProblems(waves: readonly (readonly string[])[], dependencies: readonly DeployDependency[]): OrderProblem[] {
  const waveOf = new Map<string, number>();
  waves.forEach((stacks, w) => stacks.forEach((s) => waveOf.set(s, w)));
  // Group by (wave of the early stacks, what they need) so a glob wave of 200 members gives one line.
  const groups = new Map<string, { wave: number; needed: DeployDependency; stacks: string[] }>();
  for (const d of dependencies) {
    const w = waveOf.get(d.stack);
    const needed = waveOf.get(d.dependsOn);
    if (w === undefined || needed === undefined || w > needed) continue;
    const key = `${w} ${d.dependsOn}`;
    const g = groups.get(key) ?? { wave: w, needed: d, stacks: [] };
    g.stacks.push(d.stack);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ wave, needed, stacks }) => {
    const neededWave = waveOf.get(needed.dependsOn)!;
    const when = neededWave === wave ? `in the same wave ${wave + 1} as ${needed.dependsOn} (in parallel)` : `in wave ${wave + 1}, before ${needed.dependsOn} in wave ${neededWave + 1}`;
    const who = stacks.length === 1 ? stacks[0] : listNames(stacks);
    const reason = stacks.length === 1 ? needed.reason : needed.reason.replace(/^its /, 'each one\'s ');
    return {
      wave,
      message: `${who} deploy${stacks.length === 1 ? 's' : ''} ${when}, but ${reason}: a first deploy fails until ${needed.dependsOn} is deployed; move ${needed.dependsOn} to an earlier wave`,
    };
  });
}
