/**
 * One TerraformStack per account: account fan-out lives in stacks, region fan-out in the stack's
 * providers. Features (trail, archive, monitoring, ...) are added by the builders in features.ts,
 * each reading only the plan.
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addStateBackend } from '../backend/state-backend';
import type { AccountPlan, OrganizationPlan } from '../plan/account-plan';
import { RegionalProviders } from '../providers/regional-providers';

export interface AccountStackProps {
  readonly plan: AccountPlan;
  readonly organization: OrganizationPlan;
}

export class AccountStack extends TerraformStack {
  readonly plan: AccountPlan;
  readonly organization: OrganizationPlan;
  readonly providers: RegionalProviders;

  constructor(scope: Construct, props: AccountStackProps) {
    super(scope, props.plan.stackName);
    this.plan = props.plan;
    this.organization = props.organization;
    addStateBackend(this, props.plan.stackName, props.organization.backend);
    this.providers = new RegionalProviders(this, 'providers', {
      accountId: props.plan.accountId,
      regions: props.plan.regions,
      primaryRegion: props.plan.primaryRegion,
      access: props.plan.access,
      tags: props.plan.tags,
    });
  }
}
