/**
 * Credential access (ATT&CK TA0006): secrets read in bulk, and passwords guessed. Reading one secret
 * is what every application does at start-up, so these alarm on volume; where the volume of one
 * principal is what matters (one stolen role reading many secrets, many failed sign-ins of one
 * user) they count per principal with a Contributor Insights rule (`alarm.per`), so a deploy
 * restarting many tasks at once (many principals, a few reads each) stays quiet. Workload roles that
 * read secrets all day still belong in `exclude.identities`. Stratus
 * aws.credential-access.secretsmanager-retrieve-secrets, secretsmanager-batch-retrieve-secrets,
 * ssm-retrieve-securestring-parameters, ec2-get-password-data.
 */
import { equals, isTrue } from '../condition';
import type { Control } from '../types';
import { APP, apiCall, assumedRole, sample, SAMPLE_ACCOUNT } from './sample-records';

const CREDENTIAL_ACCESS = ['TA0006'];

/** secrets-harvesting: reads by one principal in 5 minutes (tuned with backtest, README "Noise on ordinary activity"). */
export const SECRETS_PER_PRINCIPAL = 10;

/**
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html and
 * API_BatchGetSecretValue.html. Get* calls: EventBridge rules for this need the
 * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS state (lib/catalog/read-only.ts).
 */
export const secretsHarvesting: Control = {
  id: 'secrets-harvesting',
  kind: 'threat',
  title: 'Secrets Manager secrets read in bulk',
  cis: {},
  rationale: 'An attacker with a foothold lists and reads every secret it can; one identity reading many secrets in minutes is rarely an application.',
  severity: 'high',
  attack: { tactics: CREDENTIAL_ACCESS, techniques: ['T1555.006'] },
  falsePositives: ['applications that read secrets without caching (exclude their roles)', 'secret rotation Lambdas', 'deploy pipelines rendering configuration'],
  detection: { eventSource: 'secretsmanager.amazonaws.com', eventNames: ['GetSecretValue', 'BatchGetSecretValue'] },
  // Per principal: one identity reading SECRETS_PER_PRINCIPAL secrets in 5 minutes, whatever the rest of the organization does.
  alarm: { threshold: SECRETS_PER_PRINCIPAL, period: 300, per: ['userIdentity.arn'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SecretsHarvesting',
  samples: {
    fires: [
      sample('GetSecretValue', { eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', readOnly: true, requestParameters: { secretId: 'prod/payments/db' } }),
      sample('BatchGetSecretValue by filter', { eventSource: 'secretsmanager.amazonaws.com', eventName: 'BatchGetSecretValue', readOnly: true, userIdentity: assumedRole('payments-api', 'stolen'), requestParameters: { filters: [{ key: 'name', values: ['prod/'] }] } }),
    ],
    quiet: [sample('DescribeSecret', { eventSource: 'secretsmanager.amazonaws.com', eventName: 'DescribeSecret', readOnly: true, userIdentity: APP, requestParameters: { secretId: 'prod/payments/db' } }, 'metadata only, no secret value')],
  },
};

/**
 * SecureString parameters are read decrypted with GetParameter(s)/GetParametersByPath and
 * `WithDecryption: true` (CloudTrail records it as the JSON boolean `requestParameters.withDecryption`);
 * reads without it return SecureString values encrypted and do not count.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html
 */
export const ssmParameterHarvesting: Control = {
  id: 'ssm-parameter-harvesting',
  kind: 'threat',
  title: 'SSM Parameter Store parameters read decrypted in bulk',
  cis: {},
  rationale: 'Parameter Store holds SecureString credentials next to plain configuration; a burst of reads by one caller is how they are harvested.',
  severity: 'medium',
  attack: { tactics: CREDENTIAL_ACCESS, techniques: ['T1555.006'] },
  falsePositives: ['applications and ECS/Lambda start-ups loading configuration (exclude their roles)', 'Terraform plans refreshing parameters'],
  detection: { eventSource: 'ssm.amazonaws.com', eventNames: ['GetParameter', 'GetParameters', 'GetParametersByPath'], where: isTrue(['requestParameters', 'withDecryption']) },
  alarm: { threshold: 100, period: 300 },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SsmParameterHarvesting',
  samples: {
    fires: [sample('GetParameters with decryption', { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', readOnly: true, requestParameters: { names: ['/prod/payments/db-password'], withDecryption: true } })],
    quiet: [
      sample('PutParameter', { eventSource: 'ssm.amazonaws.com', eventName: 'PutParameter', requestParameters: { name: '/prod/payments/feature-x', type: 'String', overwrite: true } }),
      sample('GetParameters without decryption', { eventSource: 'ssm.amazonaws.com', eventName: 'GetParameters', readOnly: true, userIdentity: APP, requestParameters: { names: ['/prod/payments/feature-x'], withDecryption: false } }, 'plain configuration: no SecureString value leaves encrypted'),
    ],
  },
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetPasswordData.html */
export const ec2PasswordDataRetrieved: Control = {
  id: 'ec2-password-data-retrieved',
  kind: 'threat',
  title: 'EC2 Windows administrator password data retrieved repeatedly',
  cis: {},
  rationale: 'GetPasswordData returns the encrypted Windows administrator password; calling it across many instances is credential harvesting.',
  severity: 'medium',
  attack: { tactics: CREDENTIAL_ACCESS, techniques: ['T1552'] },
  falsePositives: ['an administrator opening RDP to a few new instances'],
  detection: { eventSource: 'ec2.amazonaws.com', eventNames: ['GetPasswordData'] },
  alarm: { threshold: 5, period: 300, per: ['userIdentity.arn'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'Ec2PasswordDataRetrieved',
  samples: {
    fires: [sample('GetPasswordData', { eventSource: 'ec2.amazonaws.com', eventName: 'GetPasswordData', readOnly: true, requestParameters: { instanceId: 'i-0123456789abcdef0' } })],
    quiet: [sample('GetConsoleOutput', { eventSource: 'ec2.amazonaws.com', eventName: 'GetConsoleOutput', readOnly: true, requestParameters: { instanceId: 'i-0123456789abcdef0' } })],
  },
};

/**
 * Failed console sign-ins of one IAM user: password guessing against that user. CloudTrail records
 * a failed sign-in as ConsoleLogin with `errorMessage` "Failed authentication" and the user's
 * `userIdentity.accountId` and `userName` (no ARN: the user is not authenticated). CIS 4.6
 * (console-auth-failures) counts the failures of everyone together; this counts per user.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
 */
export const consoleLoginFailuresPerUser: Control = {
  id: 'console-login-failures-per-user',
  kind: 'threat',
  title: 'Repeated failed console sign-ins of one IAM user',
  cis: {},
  rationale: 'Several wrong passwords for one user in minutes is guessing (or a stuffed credential list), not a typo.',
  severity: 'medium',
  attack: { tactics: CREDENTIAL_ACCESS, techniques: ['T1110.001'] },
  falsePositives: ['a user with a stale password saved in a browser retrying'],
  detection: { eventSource: 'signin.amazonaws.com', eventNames: ['ConsoleLogin'], where: equals(['errorMessage'], 'Failed authentication') },
  alarm: { threshold: 5, period: 300, per: ['userIdentity.accountId', 'userIdentity.userName'] },
  globalService: true,
  detailTypes: ['AWS Console Sign In via CloudTrail'],
  metricName: 'ConsoleLoginFailuresPerUser',
  samples: {
    fires: [{ name: 'failed password for an IAM user', record: consoleLogin('Failed authentication') }],
    quiet: [{ name: 'a successful sign-in', record: consoleLogin(undefined) }],
  },
};

function consoleLogin(errorMessage: string | undefined): Record<string, unknown> {
  const r = apiCall({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', region: 'us-east-1', userIdentity: { type: 'IAMUser', principalId: 'AIDAQRSTUVWXYZEXAMPLE', accountId: SAMPLE_ACCOUNT, accessKeyId: '', userName: 'bob' } });
  return {
    ...r,
    eventType: 'AwsConsoleSignIn',
    requestParameters: null,
    responseElements: { ConsoleLogin: errorMessage === undefined ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' },
    ...(errorMessage !== undefined ? { errorMessage } : {}),
  };
}

export const CREDENTIAL_ACCESS_DETECTIONS: readonly Control[] = [secretsHarvesting, ssmParameterHarvesting, ec2PasswordDataRetrieved, consoleLoginFailuresPerUser];
