/**
 * `mode: existing`: the log group an existing trail (Control Tower's, another team's) delivers to,
 * looked up at plan time. By exact name, or by a name prefix for generated names; a prefix must
 * match exactly one group, which a postcondition enforces when Terraform plans.
 */
import { DataAwsCloudwatchLogGroup } from '@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group';
import { DataAwsCloudwatchLogGroups } from '@cdktf/provider-aws/lib/data-aws-cloudwatch-log-groups';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { terraformExpression } from '../text/terraform-expression';

export interface ExistingLogGroupProps {
  /** Provider of the log group's account and region. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** Exact name of the group. Give this or `logGroupNamePrefix`. @default none */
  readonly logGroupName?: string;
  /** Prefix matching exactly one group's name. @default none */
  readonly logGroupNamePrefix?: string;
}

export class ExistingLogGroup extends Construct {
  /** Name of the group (a token when found by prefix). */
  readonly logGroupName: string;
  /** The group's name as a reference to the data source that found it: dependents wait for the lookup. */
  readonly logGroupNameReference: string;
  /** ARN of the group, without the `:*` suffix (a token). */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: ExistingLogGroupProps) {
    super(scope, id);
    if ((props.logGroupName === undefined) === (props.logGroupNamePrefix === undefined)) {
      throw new Error('existing log group: pass exactly one of logGroupName or logGroupNamePrefix');
    }
    if (props.logGroupName !== undefined) {
      // The data source fails the plan if the group does not exist: a typo is caught before anything attaches to it.
      const group = new DataAwsCloudwatchLogGroup(this, 'log-group', { provider: props.provider, name: props.logGroupName });
      this.logGroupName = props.logGroupName;
      this.logGroupNameReference = group.name;
      this.logGroupArn = group.arn;
      return;
    }
    const prefix = props.logGroupNamePrefix!;
    const groups = new DataAwsCloudwatchLogGroups(this, 'log-groups', {
      provider: props.provider,
      logGroupNamePrefix: prefix,
      lifecycle: {
        postcondition: [
          {
            condition: terraformExpression('${length(self.log_group_names) == 1}'),
            errorMessage: `trailwatch: trail.existing.logGroupNamePrefix "${prefix}" must match exactly one CloudWatch Logs group in ${props.region}; make the prefix longer or use trail.existing.logGroupName.`,
          },
        ],
      },
    });
    this.logGroupName = Fn.element(Fn.tolist(groups.logGroupNames), 0);
    this.logGroupNameReference = this.logGroupName;
    this.logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${this.logGroupName}`;
  }
}
