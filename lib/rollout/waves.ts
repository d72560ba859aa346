/**
 * Staged rollout: which account stacks deploy in which wave. A pipeline deploys wave 1, then
 * wave 2, ..., and stops at the first failed wave, so a bad change reaches a few accounts first.
 * Pure: stack names in, waves (or problems) out; the config layer reports the problems with
 * their position in trailwatch.yaml.
 */
import type { AccountPlan } from '../core/organization';
import type { DeployDependency } from './dependencies';
import { isGlob, listNames, matchNames, noMatchHint, REST_PATTERN } from './patterns';

/** Waves as written in `rollout.waves`: each a list of account names or globs. */
export type WaveSpec = readonly (readonly string[])[];

export interface WaveProblem {
  /** Path inside `rollout.waves`: `[wave, entry]`, or `[]` for the waves as a whole. */
  readonly path: readonly number[];
  readonly message: string;
}

export interface WaveAssignment {
  /** Stacks of each wave (same length and order as the spec), each in stack order. */
  readonly waves: readonly (readonly string[])[];
  readonly problems: readonly WaveProblem[];
}

interface Claim {
  readonly wave: number;
  readonly pattern: string;
}

/**
 * Assign every stack to exactly one wave. A pattern that matches nothing, a stack matched by
 * two waves, a `*` before the last wave and (without a final `*`) a stack in no wave are problems.
 * Overlaps inside one wave are harmless (the stack deploys once, in that wave).
 */
export function assignWaves(spec: WaveSpec, stackNames: readonly string[]): WaveAssignment {
  const problems: WaveProblem[] = [];
  const claims = new Map<string, Claim>();
  const last = spec.length - 1;
  let restInLastWave = false;
  let restMisplaced = false;

  spec.forEach((wave, w) => {
    wave.forEach((pattern, e) => {
      if (pattern === REST_PATTERN) {
        if (w === last) {
          restInLastWave = true;
        } else {
          restMisplaced = true;
          problems.push({
            path: [w, e],
            message: `"*" takes every account that no earlier wave lists, so only the last wave may use it; move it into a final wave of its own (this is wave ${w + 1} of ${spec.length})`,
          });
        }
        return;
      }
      const matches = matchNames(pattern, stackNames);
      const entry: Claim = { wave: w, pattern };
      if (matches.length === 0) {
        const what = isGlob(pattern) ? `the glob ${JSON.stringify(pattern)} matches no account` : `no account is named ${JSON.stringify(pattern)}`;
        problems.push({ path: [w, e], message: `${what}${noMatchHint(pattern, stackNames)}` });
        return;
      }
      // Stacks already claimed by an earlier wave, grouped by the entry that claimed them.
      const conflicts = new Map<Claim, string[]>();
      for (const stack of matches) {
        const claim = claims.get(stack);
        if (claim === undefined) claims.set(stack, entry);
        else if (claim.wave !== w) conflicts.set(claim, [...(conflicts.get(claim) ?? []), stack]);
      }
      for (const [claim, stacks] of conflicts) {
        const who = stacks.length === 1 ? `account ${JSON.stringify(stacks[0])} is` : `accounts ${listNames(stacks)} are`;
        problems.push({
          path: [w, e],
          message:
            `${who} in wave ${claim.wave + 1} (via ${JSON.stringify(claim.pattern)}) and again in wave ${w + 1} (via ${JSON.stringify(pattern)}); ` +
            `each account deploys in exactly one wave: remove ${stacks.length === 1 ? 'it' : 'them'} from one of the two${isGlob(pattern) || isGlob(claim.pattern) ? ' or narrow the glob' : ''}`,
        });
      }
    });
  });

  const unclaimed = stackNames.filter((s) => !claims.has(s));
  // A misplaced "*" already has its own problem; listing every account it was meant to catch adds noise.
  if (!restInLastWave && !restMisplaced && unclaimed.length > 0) {
    const who = unclaimed.length === 1 ? `account ${JSON.stringify(unclaimed[0])} is` : `accounts ${listNames(unclaimed)} are`;
    problems.push({
      path: [],
      message: `${who} in no wave; add ${unclaimed.length === 1 ? 'it' : 'them'} to a wave, or end with a wave ['*'] that takes every account no earlier wave lists`,
    });
  }

  const waves = spec.map((_, w) => stackNames.filter((s) => (claims.has(s) ? claims.get(s)!.wave === w : w === last && restInLastWave)));
  return { waves, problems };
}

/**
 * The order without a `rollout` section: core accounts first, in the order their dependencies
 * need (see dependencies.ts), then every member account in one last wave, so a change reaches
 * the many members only after the few core stacks applied. With the defaults (organization trail,
 * central EventBridge routing): security (its bus receives every account's detections), then the
 * log archive (every trail writes into it), then management (the organization trail). A core
 * stack deploys in the wave after the last core stack it needs; empty waves are left out.
 */
export function defaultWaves(accounts: readonly Pick<AccountPlan, 'stackName' | 'role'>[], dependencies: readonly Pick<DeployDependency, 'stack' | 'dependsOn'>[]): string[][] {
  const core = accounts.filter((a) => a.role !== 'member').map((a) => a.stackName);
  const isCore = new Set(core);
  const depth = new Map<string, number>();
  // Dependencies are acyclic (deployDependencies never closes a cycle), so this terminates.
  const depthOf = (stack: string): number => {
    const known = depth.get(stack);
    if (known !== undefined) return known;
    const needed = dependencies.filter((d) => d.stack === stack && isCore.has(d.dependsOn)).map((d) => depthOf(d.dependsOn) + 1);
    const d = Math.max(0, ...needed);
    depth.set(stack, d);
    return d;
  };
  const waves: string[][] = [];
  for (const stack of core) (waves[depthOf(stack)] ??= []).push(stack);
  waves.push(accounts.filter((a) => a.role === 'member').map((a) => a.stackName));
  return waves.filter((w) => w !== undefined && w.length > 0);
}
