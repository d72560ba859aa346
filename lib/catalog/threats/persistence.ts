/**
 * Persistence and privilege escalation (ATT&CK TA0003, TA0004): new credentials, trust that lets
 * an outside principal in, and code that runs on the attacker's behalf. Stratus
 * aws.persistence.iam-create-user-login-profile, iam-backdoor-user, iam-backdoor-role,
 * iam-create-backdoor-identity-provider, lambda-backdoor-function, lambda-overwrite-code,
 * lambda-layer-extension, rolesanywhere-create-trust-anchor, sts-federation-token.
 *
 * Lambda records its actions with the API version in the name (`AddPermission20150331v2`,
 * `UpdateFunctionCode20150331v2`, `PublishLayerVersion20181031`), so those match by prefix.
 */
import { all, equals, hasItems, notWildcard, prefix } from '../condition';
import type { Control } from '../types';
import { APP, DEPLOYER, EXTERNAL_ACCOUNT, iamUser, sample } from './sample-records';

const PERSISTENCE = ['TA0003'];
const ESCALATION = ['TA0003', 'TA0004'];

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html */
export const iamAccessKeyCreated: Control = {
  id: 'iam-access-key-created',
  kind: 'threat',
  title: 'IAM access key created',
  cis: {},
  rationale: 'Long-lived access keys outlive the session that made them; an attacker with IAM rights creates one for another user to keep access after the first credential is revoked.',
  severity: 'medium',
  attack: { tactics: PERSISTENCE, techniques: ['T1098.001'] },
  falsePositives: ['key rotation by the user itself or a rotation pipeline (exclude the pipeline role)'],
  detection: { eventSource: 'iam.amazonaws.com', eventNames: ['CreateAccessKey'] },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IamAccessKeyCreated',
  samples: {
    fires: [sample('CreateAccessKey for another user', { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', region: 'us-east-1', requestParameters: { userName: 'svc-legacy-backup' } })],
    quiet: [sample('ListAccessKeys', { eventSource: 'iam.amazonaws.com', eventName: 'ListAccessKeys', region: 'us-east-1', readOnly: true, userIdentity: iamUser('bob') })],
  },
};

/**
 * Stratus aws.persistence.iam-create-admin-user: a new IAM user (the admin policy attached next is
 * CIS iam-policy-changes). In an organization that signs in through IAM Identity Center, new IAM
 * users are rare. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html
 */
export const iamUserCreated: Control = {
  id: 'iam-user-created',
  kind: 'threat',
  title: 'IAM user created',
  cis: {},
  rationale: 'An IAM user is a long-lived identity outside the identity provider: a classic way to keep access after the initial foothold is closed.',
  severity: 'medium',
  attack: { tactics: PERSISTENCE, techniques: ['T1136.003'] },
  falsePositives: ['service users for third-party tools that cannot assume roles (create them through IaC and exclude its role)'],
  detection: { eventSource: 'iam.amazonaws.com', eventNames: ['CreateUser'] },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IamUserCreated',
  samples: {
    fires: [sample('CreateUser', { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', region: 'us-east-1', requestParameters: { userName: 'support-backup' } })],
    quiet: [sample('CreateRole', { eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', region: 'us-east-1', userIdentity: DEPLOYER, requestParameters: { roleName: 'support-backup' } })],
  },
};

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html */
export const iamLoginProfileChanged: Control = {
  id: 'iam-login-profile-changed',
  kind: 'threat',
  title: 'IAM user console password created or changed by an administrator',
  cis: {},
  rationale: 'Giving a user a console password (or resetting it) hands whoever set it a way to sign in as that user.',
  severity: 'high',
  attack: { tactics: ESCALATION, techniques: ['T1098.001'] },
  falsePositives: ['help-desk password resets (users changing their own password call ChangePassword, which does not fire)'],
  detection: { eventSource: 'iam.amazonaws.com', eventNames: ['CreateLoginProfile', 'UpdateLoginProfile'] },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IamLoginProfileChanged',
  samples: {
    fires: [sample('CreateLoginProfile', { eventSource: 'iam.amazonaws.com', eventName: 'CreateLoginProfile', region: 'us-east-1', requestParameters: { userName: 'svc-legacy-backup', passwordResetRequired: false } })],
    quiet: [sample('ChangePassword by the user', { eventSource: 'iam.amazonaws.com', eventName: 'ChangePassword', region: 'us-east-1', userIdentity: iamUser('bob') }, 'a user changing their own password')],
  },
};

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html */
export const iamRoleTrustPolicyChanged: Control = {
  id: 'iam-role-trust-policy-changed',
  kind: 'threat',
  title: 'IAM role trust policy changed',
  cis: {},
  rationale: 'The trust policy says who may assume a role; adding an outside account or principal `*` is a backdoor that survives credential rotation.',
  severity: 'high',
  attack: { tactics: ESCALATION, techniques: ['T1098.003'] },
  falsePositives: ['IaC applying a role (exclude the deploying role)'],
  detection: { eventSource: 'iam.amazonaws.com', eventNames: ['UpdateAssumeRolePolicy'] },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IamRoleTrustPolicyChanged',
  samples: {
    fires: [
      sample('UpdateAssumeRolePolicy trusting an external account', {
        eventSource: 'iam.amazonaws.com',
        eventName: 'UpdateAssumeRolePolicy',
        region: 'us-east-1',
        requestParameters: { roleName: 'payments-api', policyDocument: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${EXTERNAL_ACCOUNT}:root"},"Action":"sts:AssumeRole"}]}` },
      }),
    ],
    quiet: [sample('CreateRole', { eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', region: 'us-east-1', userIdentity: DEPLOYER, requestParameters: { roleName: 'payments-worker' } })],
  },
};

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html */
export const iamIdentityProviderChanged: Control = {
  id: 'iam-identity-provider-changed',
  kind: 'threat',
  title: 'IAM SAML or OIDC identity provider created or updated',
  cis: {},
  rationale: 'A federation provider the attacker controls lets them mint sessions for any role that trusts it.',
  severity: 'high',
  attack: { tactics: ESCALATION, techniques: ['T1484.002'] },
  falsePositives: ['onboarding a new IdP or CI (GitHub Actions OIDC) through IaC'],
  detection: {
    eventSource: 'iam.amazonaws.com',
    eventNames: ['CreateSAMLProvider', 'UpdateSAMLProvider', 'CreateOpenIDConnectProvider', 'UpdateOpenIDConnectProviderThumbprint', 'AddClientIDToOpenIDConnectProvider'],
  },
  globalService: true,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'IamIdentityProviderChanged',
  samples: {
    fires: [sample('CreateSAMLProvider', { eventSource: 'iam.amazonaws.com', eventName: 'CreateSAMLProvider', region: 'us-east-1', requestParameters: { name: 'okta-2', sAMLMetadataDocument: '<EntityDescriptor/>' } })],
    quiet: [sample('GetSAMLProvider', { eventSource: 'iam.amazonaws.com', eventName: 'GetSAMLProvider', region: 'us-east-1', readOnly: true })],
  },
};

/**
 * AddPermission for a principal that is not an AWS service: another account, or `*` (public).
 * Services (`s3.amazonaws.com`, `events.amazonaws.com`, ...) are how functions are normally wired.
 * https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
 */
export const lambdaCrossAccountPermission: Control = {
  id: 'lambda-cross-account-permission',
  kind: 'threat',
  title: 'Lambda function permission granted to another account or to everyone',
  cis: {},
  rationale: 'A resource policy that lets another account (or `*`) invoke or change a function is a backdoor that needs no IAM user.',
  severity: 'high',
  attack: { tactics: PERSISTENCE, techniques: ['T1648'] },
  falsePositives: ['cross-account invocation within the organization (exclude the deploying role, or list the partner in the policy review)'],
  detection: {
    eventSource: 'lambda.amazonaws.com',
    where: all(prefix(['eventName'], 'AddPermission'), notWildcard(['requestParameters', 'principal'], '*.amazonaws.com')),
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'LambdaCrossAccountPermission',
  samples: {
    fires: [
      sample('AddPermission20150331v2 for principal *', {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'AddPermission20150331v2',
        requestParameters: { functionName: 'payments-webhook', statementId: 'backdoor', action: 'lambda:InvokeFunction', principal: '*' },
      }),
      sample('AddPermission20150331v2 for an external account', {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'AddPermission20150331v2',
        requestParameters: { functionName: 'payments-webhook', statementId: 'x', action: 'lambda:InvokeFunction', principal: EXTERNAL_ACCOUNT },
      }),
    ],
    quiet: [
      sample('AddPermission20150331v2 for S3 notifications', {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'AddPermission20150331v2',
        userIdentity: DEPLOYER,
        requestParameters: { functionName: 'thumbnailer', statementId: 's3', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::uploads' },
      }, 'an AWS service principal is how triggers are wired'),
    ],
  },
};

/** https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html */
export const lambdaPublicFunctionUrl: Control = {
  id: 'lambda-public-function-url',
  kind: 'threat',
  title: 'Lambda function URL without authentication (AuthType NONE)',
  cis: {},
  rationale: 'A function URL with AuthType NONE is callable by anyone on the internet.',
  severity: 'high',
  attack: { tactics: PERSISTENCE, techniques: ['T1648'] },
  falsePositives: ['public webhooks that authenticate in code'],
  detection: {
    eventSource: 'lambda.amazonaws.com',
    where: all(prefix(['eventName'], 'CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig'), equals(['requestParameters', 'authType'], 'NONE')),
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'LambdaPublicFunctionUrl',
  samples: {
    fires: [sample('CreateFunctionUrlConfig with AuthType NONE', { eventSource: 'lambda.amazonaws.com', eventName: 'CreateFunctionUrlConfig', requestParameters: { functionName: 'payments-webhook', authType: 'NONE' } })],
    quiet: [
      sample('CreateFunctionUrlConfig with AWS_IAM', { eventSource: 'lambda.amazonaws.com', eventName: 'CreateFunctionUrlConfig', userIdentity: DEPLOYER, requestParameters: { functionName: 'internal', authType: 'AWS_IAM' } }),
    ],
  },
};

/**
 * Code overwritten or a layer published: the function runs the new code with its role.
 * https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
 */
export const lambdaCodeChanged: Control = {
  id: 'lambda-code-changed',
  kind: 'threat',
  title: 'Lambda function code overwritten or a layer published or shared',
  cis: {},
  rationale: 'New code or a new layer (an extension runs beside every invocation) executes with the function\'s role and sees its events.',
  severity: 'medium',
  attack: { tactics: ['TA0003', 'TA0002'], techniques: ['T1648'] },
  falsePositives: ['deployments: exclude the CI/CD roles that ship functions, so only out-of-band changes alarm'],
  detection: { eventSource: 'lambda.amazonaws.com', where: prefix(['eventName'], 'UpdateFunctionCode', 'PublishLayerVersion', 'AddLayerVersionPermission') },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'LambdaCodeChanged',
  samples: {
    fires: [sample('UpdateFunctionCode20150331v2 from a laptop', { eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionCode20150331v2', requestParameters: { functionName: 'payments-webhook', publish: true } })],
    quiet: [sample('GetFunction', { eventSource: 'lambda.amazonaws.com', eventName: 'GetFunction20150331v2', readOnly: true, userIdentity: APP, requestParameters: { functionName: 'payments-webhook' } })],
  },
};

/**
 * A layer added to an existing function: UpdateFunctionConfiguration (recorded as
 * `UpdateFunctionConfiguration20150331v2`) with `Layers` in the request. A layer can carry an
 * extension that runs beside every invocation with the function's role (Stratus
 * aws.persistence.lambda-layer-extension). Publishing the layer is lambda-code-changed; attaching it
 * is this one. https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
 */
export const lambdaLayerAdded: Control = {
  id: 'lambda-layer-added',
  kind: 'threat',
  title: 'Lambda layer attached to an existing function',
  cis: {},
  rationale: 'A layer attached by configuration change runs its code (an extension: beside every invocation) with the function\'s role, without touching the function code anyone reviews.',
  severity: 'medium',
  attack: { tactics: ['TA0003', 'TA0002'], techniques: ['T1648'] },
  falsePositives: ['deployments that update layer versions: exclude the CI/CD roles that ship functions'],
  detection: { eventSource: 'lambda.amazonaws.com', where: all(prefix(['eventName'], 'UpdateFunctionConfiguration'), hasItems(['requestParameters', 'layers'])) },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'LambdaLayerAdded',
  samples: {
    fires: [
      sample('UpdateFunctionConfiguration20150331v2 with layers', {
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateFunctionConfiguration20150331v2',
        requestParameters: { functionName: 'payments-webhook', layers: [`arn:aws:lambda:eu-west-1:${EXTERNAL_ACCOUNT}:layer:telemetry:3`] },
      }),
    ],
    quiet: [
      sample('UpdateFunctionConfiguration20150331v2 of the timeout only', { eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionConfiguration20150331v2', requestParameters: { functionName: 'payments-webhook', timeout: 30 } }, 'no layer in the request'),
      sample('GetFunctionConfiguration', { eventSource: 'lambda.amazonaws.com', eventName: 'GetFunctionConfiguration20150331v2', readOnly: true, userIdentity: APP, requestParameters: { functionName: 'payments-webhook' } }),
    ],
  },
};

/** https://docs.aws.amazon.com/rolesanywhere/latest/APIReference/API_CreateTrustAnchor.html */
export const rolesAnywhereTrustAnchor: Control = {
  id: 'rolesanywhere-trust-anchor',
  kind: 'threat',
  title: 'IAM Roles Anywhere trust anchor or profile created or updated',
  cis: {},
  rationale: 'A trust anchor makes a certificate authority able to issue AWS credentials; one the attacker controls mints them at will.',
  severity: 'high',
  attack: { tactics: ESCALATION, techniques: ['T1098.001'] },
  falsePositives: ['onboarding on-premises workloads through IaC'],
  detection: { eventSource: 'rolesanywhere.amazonaws.com', eventNames: ['CreateTrustAnchor', 'UpdateTrustAnchor', 'CreateProfile', 'UpdateProfile'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'RolesAnywhereTrustAnchor',
  samples: {
    fires: [sample('CreateTrustAnchor', { eventSource: 'rolesanywhere.amazonaws.com', eventName: 'CreateTrustAnchor', requestParameters: { name: 'partner-ca', enabled: true } })],
    quiet: [sample('ListTrustAnchors', { eventSource: 'rolesanywhere.amazonaws.com', eventName: 'ListTrustAnchors', readOnly: true })],
  },
};

/**
 * GetFederationToken mints a session for an IAM user that survives deleting the user's access key
 * (it can only be revoked by denying the user). EventBridge delivers it to ENABLED rules despite the
 * Get prefix (CloudTrail User Guide, EventBridge integration).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
 */
export const stsFederationToken: Control = {
  id: 'sts-federation-token',
  kind: 'threat',
  title: 'STS federation token issued',
  cis: {},
  rationale: 'Federation tokens are a known persistence trick: they keep working after the access key that created them is deleted.',
  severity: 'medium',
  attack: { tactics: ['TA0003', 'TA0005'], techniques: ['T1550.001'] },
  falsePositives: ['legacy brokers that still federate with IAM users (exclude their user)'],
  detection: { eventSource: 'sts.amazonaws.com', eventNames: ['GetFederationToken'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'StsFederationToken',
  samples: {
    fires: [sample('GetFederationToken', { eventSource: 'sts.amazonaws.com', eventName: 'GetFederationToken', userIdentity: iamUser('svc-legacy-backup'), requestParameters: { name: 'persist', durationSeconds: 129600 } })],
    quiet: [sample('AssumeRole', { eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', userIdentity: APP, requestParameters: { roleArn: 'arn:aws:iam::444444444444:role/payments-api', roleSessionName: 'x' } })],
  },
};

export const PERSISTENCE_DETECTIONS: readonly Control[] = [
  iamUserCreated,
  iamAccessKeyCreated,
  iamLoginProfileChanged,
  iamRoleTrustPolicyChanged,
  iamIdentityProviderChanged,
  lambdaCrossAccountPermission,
  lambdaPublicFunctionUrl,
  lambdaCodeChanged,
  lambdaLayerAdded,
  rolesAnywhereTrustAnchor,
  stsFederationToken,
];
