/**
 * What a Plan deploys, counted from the Terraform JSON synth would write (nothing is written): the
 * inventory `trailwatch estimate` prices. Loads cdktf: only estimate and synth --summary need it.
 */
import * as os from 'os';
import * as path from 'path';
import { inventoryOf, type StackInventory, type TfJson } from '../estimate/inventory';
import type { Plan } from '../plan/plan';
import { buildApp } from './build-app';

export function inventoryFromPlan(plan: Plan): StackInventory[] {
  // App needs an outdir; toTerraform() never writes to it.
  const { stacks } = buildApp(plan, { outdir: path.join(os.tmpdir(), 'trailwatch-estimate-unused') });
  return stacks.map((s) => inventoryOf({ name: s.account.stackName, accountId: s.account.accountId, role: s.account.role }, JSON.parse(JSON.stringify(s.toTerraform())) as TfJson));
}
