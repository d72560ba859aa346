/**
 * Plan -> cdktf App with one AccountStack per (selected) account, each depending on
 * the stacks it must deploy after (lib/rollout/dependencies.ts).
 */
import { App } from 'cdktf';
import type { AccountPlan } from '../core/organization';
import type { Plan } from '../plan/plan';
import { manifestDependencies } from '../rollout/dependencies';
import { AccountStack } from '../stacks/account-stack';
import { disableTokenStackTraces } from './token-stack-traces';

export interface BuildAppOptions {
  /** Where App.synth() writes. */
  readonly outdir: string;
  /** Only build stacks whose plan passes this filter. @default every account */
  readonly selectStack?: (plan: AccountPlan) => boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: readonly AccountStack[];
}

export function buildApp(plan: Plan, options: BuildAppOptions): BuiltApp {
  disableTokenStackTraces();
  // skipValidation: trailwatch validates its config itself; cdktf's construct validation adds nothing here.
  const app = new App({ outdir: options.outdir, skipValidation: true });
  const stacks = plan.organization.accounts.filter((a) => options.selectStack?.(a) ?? true).map((account) => new AccountStack(app, { account, plan }));
  // Deploy order into manifest.json (cdktf deploy follows it); parallel-synth.ts writes the same list.
  const byName = new Map(stacks.map((s) => [s.account.stackName, s]));
  for (const [name, needs] of manifestDependencies(plan, [...byName.keys()])) {
    for (const n of needs) byName.get(name)!.addDependency(byName.get(n)!);
  }
  return { app, stacks };
}
