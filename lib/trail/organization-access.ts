/**
 * What an organization trail needs from AWS Organizations: all features enabled and trusted
 * access for CloudTrail (`cloudtrail.amazonaws.com`). Without them CreateTrail with
 * IsOrganizationTrail fails (OrganizationNotInAllFeaturesModeException or CloudTrailAccessNotEnabledException) after the rest of the stack
 * was applied. In the management account's stack, home region.
 *
 * - Check (default): the organization is read at plan time and the trail gets preconditions, so
 *   the plan fails, naming the command that fixes it, before anything is changed.
 * - Manage (`trail.trustedAccess.manage`): the organization itself (aws_organizations_organization,
 *   imported by its id) with the complete list of service principals. That resource owns the
 *   organization's whole trusted-access list: a principal left out loses trusted access on apply.
 *   A precondition refuses a list that leaves out any principal enabled today, policy types are
 *   left alone (ignore_changes), and prevent_destroy stops a destroy (DeleteOrganization).
 */
import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { OrganizationsOrganization } from '@cdktf/provider-aws/lib/organizations-organization';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, Op, type ITerraformDependable, type Precondition } from 'cdktf';
import { Construct } from 'constructs';
import { CLOUDTRAIL_PRINCIPAL } from '../core/policy';

export const ENABLE_ALL_FEATURES_COMMAND = 'aws organizations enable-all-features';
export const ENABLE_TRUSTED_ACCESS_COMMAND = `aws organizations enable-aws-service-access --service-principal ${CLOUDTRAIL_PRINCIPAL}`;

export interface OrganizationTrustedAccessProps {
  /** Provider of the management account (home region). */
  readonly provider: AwsProvider;
  /** Id of the organization (`o-...`): the managed organization is imported by it. */
  readonly organizationId: string;
  /**
   * Manage trusted access with this complete list of service principals (must include
   * cloudtrail.amazonaws.com); it replaces the organization's list.
   * @default none: check trusted access at plan time, change nothing
   */
  readonly servicePrincipals?: readonly string[];
}

export class OrganizationTrustedAccess extends Construct {
  /** Preconditions for the organization trail (empty when trusted access is managed here). */
  readonly trailPreconditions: readonly Precondition[];
  /** What the trail must wait for: the managed organization, if any. */
  readonly readyForTrail: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OrganizationTrustedAccessProps) {
    super(scope, id);
    const provider = props.provider;
    const current = new DataAwsOrganizationsOrganization(this, 'organization', { provider });
    const allFeatures: Precondition = {
      condition: Op.eq(current.featureSet, 'ALL'),
      errorMessage:
        `trailwatch: AWS Organizations must have all features enabled for an organization trail (CloudTrail refuses it otherwise: OrganizationNotInAllFeaturesModeException). ` +
        `With management account credentials run \`${ENABLE_ALL_FEATURES_COMMAND}\` (every member account then accepts the handshake), then \`${ENABLE_TRUSTED_ACCESS_COMMAND}\`.`,
    };

    if (props.servicePrincipals === undefined) {
      this.trailPreconditions = [
        allFeatures,
        {
          // Without all features the data source lists no principals: the first precondition says what to do.
          condition: Op.or(Op.neq(current.featureSet, 'ALL'), Fn.contains(current.awsServiceAccessPrincipals, CLOUDTRAIL_PRINCIPAL)),
          errorMessage:
            `trailwatch: CloudTrail has no trusted access in AWS Organizations, so CloudTrail refuses the organization trail (CloudTrailAccessNotEnabledException). ` +
            `With management account credentials run \`${ENABLE_TRUSTED_ACCESS_COMMAND}\`, or let trailwatch manage it (trail.trustedAccess.manage: true).`,
        },
      ];
      this.readyForTrail = [];
      return;
    }

    if (!props.servicePrincipals.includes(CLOUDTRAIL_PRINCIPAL)) {
      throw new Error(`trusted access: servicePrincipals must include ${CLOUDTRAIL_PRINCIPAL}, got ${props.servicePrincipals.join(', ')}`);
    }
    const wanted = [...new Set(props.servicePrincipals)].sort();
    const dropped = Fn.setsubtract(current.awsServiceAccessPrincipals, wanted);
    const managed = new OrganizationsOrganization(this, 'managed', {
      provider,
      featureSet: 'ALL',
      awsServiceAccessPrincipals: wanted,
      lifecycle: {
        preventDestroy: true,
        // Policy types (SCPs, tag policies, ...) are not trailwatch's: an unset list would disable them all.
        ignoreChanges: ['enabled_policy_types'],
        precondition: [
          allFeatures,
          {
            // `< 1`, not `== 0`: cdktf 0.21 renders a literal 0 operand as undefined.
            condition: Op.lt(Fn.lengthOf(dropped), 1),
            errorMessage:
              `trailwatch: trail.trustedAccess.servicePrincipals leaves out principals that have trusted access in the organization today (${Fn.join(', ', Fn.tolist(dropped))}); ` +
              `applying would disable trusted access for them. Add them to the list (aws organizations list-aws-service-access-for-organization lists them all).`,
          },
        ],
      },
    });
    managed.importFrom(props.organizationId, provider);
    this.trailPreconditions = [];
    this.readyForTrail = [managed];
  }
}
