/**
 * Credential access (ATT&CK TA0006): secrets read in bulk. Reading one secret is what every
 * application does at start-up, so these alarm on volume (a threshold over a period, per account
 * and region, since a metric filter counts every match in the log group), and workload roles that
 * read secrets all day belong in `exclude.identities`. Stratus
 * aws.credential-access.secretsmanager-retrieve-secrets, secretsmanager-batch-retrieve-secrets,
 * ssm-retrieve-securestring-parameters, ec2-get-password-data.
 */
import { isTrue } from '../condition';
import type { Control } from '../types';
import { APP, sample } from './sample-records';

const CREDENTIAL_ACCESS = ['TA0006'];

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
  alarm: { threshold: 20, period: 300 },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SecretsHarvesting',
  samples: {
    fires: [sample('GetSecretValue', { eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', readOnly: true, requestParameters: { secretId: 'prod/payments/db' } })],
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
  alarm: { threshold: 5, period: 300 },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'Ec2PasswordDataRetrieved',
  samples: {
    fires: [sample('GetPasswordData', { eventSource: 'ec2.amazonaws.com', eventName: 'GetPasswordData', readOnly: true, requestParameters: { instanceId: 'i-0123456789abcdef0' } })],
    quiet: [sample('GetConsoleOutput', { eventSource: 'ec2.amazonaws.com', eventName: 'GetConsoleOutput', readOnly: true, requestParameters: { instanceId: 'i-0123456789abcdef0' } })],
  },
};

export const CREDENTIAL_ACCESS_DETECTIONS: readonly Control[] = [secretsHarvesting, ssmParameterHarvesting, ec2PasswordDataRetrieved];
