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
import { escapeStackText } from './terraform-text';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** The CloudWatch Logs group this stack's trail delivers to (created here or an existing one). */
export interface StackLogDelivery {
  /** Log group name; may be a Terraform token when looked up by prefix at plan time. */
  readonly logGroupName: string;
  /** Log group ARN (token), for policies. */
  readonly logGroupArn: string;
  readonly region: string;
  /** Provider of `region`: monitoring resources must use it. */
  readonly provider: AwsProvider;
}

export interface AccountStackProps {
  readonly plan: AccountPlan;
  readonly organization: OrganizationPlan;
}

export class AccountStack extends TerraformStack {
  readonly plan: AccountPlan;
  readonly organization: OrganizationPlan;
  readonly providers: RegionalProviders;
  /** Set by the trail feature when this stack owns (or attaches to) the trail's log group; read by monitoring. */
  logDelivery?: StackLogDelivery;

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

  /** Every string from text trailwatch did not write reaches Terraform escaped (terraform-text.ts). */
  override toTerraform(): any {
    escapeStackText(this);
    return super.toTerraform();
  }
}
