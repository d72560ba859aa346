/**
 * Config -> plan -> cdktf App with one AccountStack per (selected) account, each depending on
 * the stacks it must deploy after (lib/rollout/dependencies.ts).
 */
import { App } from 'cdktf';
import type { ParsedConfig } from '../config/schema';
import { planOrganization, type AccountPlan, type OrganizationPlan } from '../plan/account-plan';
import { manifestDependencies } from '../rollout/dependencies';
import { AccountStack } from '../stacks/account-stack';
import { STACK_FEATURES } from '../stacks/features';
import { disableTokenStackTraces } from './token-stack-traces';

export interface BuildAppOptions {
  /** Where App.synth() writes. */
  readonly outdir: string;
  /** Only build stacks whose plan passes this filter. @default every account */
  readonly selectStack?: (plan: AccountPlan) => boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly organization: OrganizationPlan;
  readonly stacks: readonly AccountStack[];
}

export function buildApp(config: ParsedConfig, options: BuildAppOptions): BuiltApp {
  disableTokenStackTraces();
  const organization = planOrganization(config);
  // skipValidation: trailwatch validates its config itself; cdktf's construct validation adds nothing here.
  const app = new App({ outdir: options.outdir, skipValidation: true });
  const stacks = organization.accounts
    .filter((p) => options.selectStack?.(p) ?? true)
    .map((plan) => {
      const stack = new AccountStack(app, { plan, organization });
      for (const feature of STACK_FEATURES) feature(stack);
      return stack;
    });
  // Deploy order into manifest.json (cdktf deploy follows it); parallel-synth.ts writes the same list.
  const byName = new Map(stacks.map((s) => [s.plan.stackName, s]));
  for (const [name, needs] of manifestDependencies(organization, [...byName.keys()])) {
    for (const n of needs) byName.get(name)!.addDependency(byName.get(n)!);
  }
  return { app, organization, stacks };
}
