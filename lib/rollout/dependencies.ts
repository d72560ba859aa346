/**
 * Deploy-order dependencies between account stacks. Stacks share no Terraform state, so nothing
 * but this list orders them: it goes into cdktf.out/manifest.json (so `cdktf deploy '*'` deploys a
 * stack only after the stacks it needs), orders the default rollout waves, and checks configured
 * waves. One list for all three, so the manifest and `trailwatch rollout` cannot disagree.
 */
import type { OrganizationPlan } from '../core/organization';
import type { Plan } from '../plan/plan';
import type { TrailSections } from '../trail/schema';
import { holdsArchive, trailLocations } from '../trail/plan';
import { listNames } from './patterns';

export interface DeployDependency {
  /** The stack that must deploy later. */
  readonly stack: string;
  /** The stack that must already be deployed. */
  readonly dependsOn: string;
  /** Why, as a clause: "its trail writes into ...". */
  readonly reason: string;
  /** What goes wrong when `stack` deploys first, as a clause: "a first deploy fails until ... is deployed". */
  readonly consequence: string;
}

/**
 * Every dependency, in stack order per kind:
 * - trail owners need the log archive: CloudTrail refuses a trail whose bucket policy or key does
 *   not admit it yet, and the trail's plan looks the archive key up (DescribeKey) to get its ARN;
 * - with `eventbridge.target: central`, every stack whose rules forward to the security account's
 *   bus needs the security stack: EventBridge does not retry delivery to a target that does not
 *   exist or refuses it, so detections forwarded before the bus (and its policy) exist are lost.
 * - with `trail.archive.query` in another account than the log archive, the log archive needs the
 *   querying stack: its bucket and key policies name the query role, and S3 and KMS refuse a policy
 *   naming a role that does not exist.
 * A forwarding or query dependency that would close a cycle is left out (mode: account, where
 * security's own trail needs the archive): the trail's is the one whose first deploy fails.
 */
export function deployDependencies(plan: Plan): DeployDependency[] {
  const out = trailDependencies(plan.organization);
  for (const d of [...centralBusDependencies(plan), ...queryDependencies(plan)]) if (!needs(out, d.dependsOn, d.stack)) out.push(d);
  return out;
}

function trailDependencies(org: OrganizationPlan<TrailSections>): DeployDependency[] {
  const archive = org.accounts.find((a) => holdsArchive(org, a));
  if (archive === undefined) return [];
  return trailLocations(org)
    .filter((t) => t.stackName !== archive.stackName)
    .map((t) => ({
      stack: t.stackName,
      dependsOn: archive.stackName,
      reason: `its trail writes into the log archive (bucket and KMS key) in ${archive.stackName}`,
      consequence: `a first deploy fails until ${archive.stackName} is deployed`,
    }));
}

function centralBusDependencies({ organization: org, eventbridge: plan }: Plan): DeployDependency[] {
  const security = org.accounts.find((a) => a.role === 'security');
  if (!plan.enabled || plan.target !== 'central' || plan.detections.length === 0 || security === undefined) return [];
  return org.accounts
    .filter((a) => a !== security)
    .map((a) => ({
      stack: a.stackName,
      dependsOn: security.stackName,
      reason: `its EventBridge rules forward detections to the central bus ${plan.busName} in ${security.stackName}`,
      consequence: `detections forwarded before ${security.stackName} is deployed are lost`,
    }));
}

function queryDependencies({ organization: org, query: q }: Plan): DeployDependency[] {
  const archive = org.accounts.find((a) => holdsArchive(org, a));
  if (!q || !archive || archive.stackName === q.stackName) return [];
  return [
    {
      stack: archive.stackName,
      dependsOn: q.stackName,
      reason: `its archive bucket and key policies name the Athena query role ${q.roleName} of ${q.stackName}`,
      consequence: `S3 and KMS refuse those policies until ${q.stackName} is deployed`,
    },
  ];
}

/** Whether `from` needs `to`, directly or through other dependencies. */
function needs(deps: readonly DeployDependency[], from: string, to: string, seen = new Set<string>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return deps.some((d) => d.stack === from && needs(deps, d.dependsOn, to, seen));
}

/**
 * The `dependencies` of each stack's manifest entry: what it needs, among `stacks` (a stack
 * synthesized alone names nothing it cannot be deployed with). Every stack of `stacks` has an entry.
 */
export function manifestDependencies(plan: Plan, stacks: readonly string[]): Map<string, string[]> {
  const present = new Set(stacks);
  const out = new Map(stacks.map((s) => [s, [] as string[]]));
  for (const d of deployDependencies(plan)) {
    const list = out.get(d.stack);
    if (list && present.has(d.dependsOn) && !list.includes(d.dependsOn)) list.push(d.dependsOn);
  }
  return out;
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
  // Group by (wave of the early stacks, what they need, why) so a glob wave of 200 members gives one line.
  const groups = new Map<string, { wave: number; needed: DeployDependency; stacks: string[] }>();
  for (const d of dependencies) {
    const w = waveOf.get(d.stack);
    const needed = waveOf.get(d.dependsOn);
    if (w === undefined || needed === undefined || w > needed) continue;
    const key = `${w} ${d.dependsOn} ${d.reason}`;
    const g = groups.get(key) ?? { wave: w, needed: d, stacks: [] };
    g.stacks.push(d.stack);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ wave, needed, stacks }) => {
    const neededWave = waveOf.get(needed.dependsOn)!;
    const when = neededWave === wave ? `in the same wave ${wave + 1} as ${needed.dependsOn} (in parallel)` : `in wave ${wave + 1}, before ${needed.dependsOn} in wave ${neededWave + 1}`;
    const who = stacks.length === 1 ? stacks[0] : listNames(stacks);
    return {
      wave,
      message: `${who} deploy${stacks.length === 1 ? 's' : ''} ${when}, but ${reasonFor(needed, stacks.length)}: ${needed.consequence}; move ${needed.dependsOn} to an earlier wave`,
    };
  });
}

/** The reason of a dependency shared by `count` stacks: "its trail ..." or "each one's trail ...". */
export function reasonFor(d: DeployDependency, count: number): string {
  return count === 1 ? d.reason : d.reason.replace(/^its /, "each one's ");
}
