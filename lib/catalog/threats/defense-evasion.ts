/**
 * Defense evasion: an attacker blinds the account before acting (ATT&CK TA0005, T1562 Impair
 * Defenses). Event names are the API actions of each service's API reference; CloudTrail records
 * the action name as eventName (CloudTrail User Guide, "CloudTrail record contents").
 */
import { all, any, equals, isFalse } from '../condition';
import type { Control } from '../types';
import { awsService, DEPLOYER, sample } from './sample-records';

const EVASION = ['TA0005'];

/**
 * Stratus aws.defense-evasion.cloudtrail-event-selectors: PutEventSelectors with a selector that
 * excludes management events leaves the trail "logging" while recording nothing. CIS
 * cloudtrail-config-changes watches Create/Update/Delete/Start/StopLogging, not the selectors.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html
 */
export const cloudtrailEventSelectorTampering: Control = {
  id: 'cloudtrail-event-selector-tampering',
  kind: 'threat',
  title: 'CloudTrail event or Insights selectors changed',
  cis: {},
  rationale: 'Event selectors decide what a trail records; a selector without management events keeps the trail running while it records nothing an attacker does.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.008'] },
  falsePositives: ['trailwatch itself or another IaC pipeline applying the trail (exclude the deploying role)'],
  detection: { eventSource: 'cloudtrail.amazonaws.com', eventNames: ['PutEventSelectors', 'PutInsightSelectors'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'CloudTrailSelectorChanges',
  samples: {
    fires: [
      sample('PutEventSelectors excluding management events', {
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'PutEventSelectors',
        requestParameters: { trailName: 'org-trail', eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false, dataResources: [] }] },
      }),
    ],
    quiet: [
      sample('GetEventSelectors (read)', { eventSource: 'cloudtrail.amazonaws.com', eventName: 'GetEventSelectors', readOnly: true, requestParameters: { trailName: 'org-trail' } }),
    ],
  },
};

/** Stratus aws.defense-evasion.vpc-remove-flow-logs. https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteFlowLogs.html */
export const vpcFlowLogsDeleted: Control = {
  id: 'vpc-flow-logs-deleted',
  kind: 'threat',
  title: 'VPC flow logs deleted',
  cis: {},
  rationale: 'Flow logs are the network record of exfiltration and lateral movement; deleting them hides both.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.008'] },
  falsePositives: ['tearing down a VPC with IaC (exclude the deploying role)'],
  detection: { eventSource: 'ec2.amazonaws.com', eventNames: ['DeleteFlowLogs'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'VpcFlowLogsDeleted',
  samples: {
    fires: [sample('DeleteFlowLogs', { eventSource: 'ec2.amazonaws.com', eventName: 'DeleteFlowLogs', requestParameters: { DeleteFlowLogsRequest: { FlowLogId: { tag: 1, content: 'fl-0123456789abcdef0' } } } })],
    quiet: [sample('CreateFlowLogs', { eventSource: 'ec2.amazonaws.com', eventName: 'CreateFlowLogs', userIdentity: DEPLOYER })],
  },
};

/**
 * Stratus aws.defense-evasion.dns-delete-logs: Route 53 Resolver query logging removed.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_DeleteResolverQueryLogConfig.html
 */
export const resolverQueryLoggingDeleted: Control = {
  id: 'resolver-query-logging-deleted',
  kind: 'threat',
  title: 'Route 53 Resolver query logging deleted or detached',
  cis: {},
  rationale: 'Resolver query logs record every DNS lookup from the VPCs: the trace of command-and-control and DNS exfiltration.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.008'] },
  falsePositives: ['tearing down a VPC with IaC (exclude the deploying role)'],
  detection: { eventSource: 'route53resolver.amazonaws.com', eventNames: ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'ResolverQueryLoggingDeleted',
  samples: {
    fires: [sample('DeleteResolverQueryLogConfig', { eventSource: 'route53resolver.amazonaws.com', eventName: 'DeleteResolverQueryLogConfig', requestParameters: { resolverQueryLogConfigId: 'rqlc-0123456789abcdef' } })],
    quiet: [sample('AssociateResolverQueryLogConfig', { eventSource: 'route53resolver.amazonaws.com', eventName: 'AssociateResolverQueryLogConfig', userIdentity: DEPLOYER })],
  },
};

/**
 * CloudTrail Lake event data stores stopped or deleted.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopEventDataStoreIngestion.html
 */
export const cloudtrailLakeStopped: Control = {
  id: 'cloudtrail-lake-stopped',
  kind: 'threat',
  title: 'CloudTrail Lake event data store ingestion stopped or store deleted',
  cis: {},
  rationale: 'An event data store is a queryable copy of the audit log; stopping ingestion or deleting it removes the record investigators search.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.008'] },
  falsePositives: ['retiring a store deliberately (exclude the platform role for the change window)'],
  detection: { eventSource: 'cloudtrail.amazonaws.com', eventNames: ['StopEventDataStoreIngestion', 'DeleteEventDataStore'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'CloudTrailLakeStopped',
  samples: {
    fires: [sample('DeleteEventDataStore', { eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteEventDataStore', requestParameters: { eventDataStore: 'arn:aws:cloudtrail:eu-west-1:444444444444:eventdatastore/abcd-1234' } })],
    quiet: [sample('StartEventDataStoreIngestion', { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StartEventDataStoreIngestion' })],
  },
};

/**
 * GuardDuty switched off (deleted, or suspended with UpdateDetector `enable: false`), cut from its
 * administrator, or its findings export removed.
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DeleteDetector.html,
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateDetector.html
 */
export const guarddutyImpaired: Control = {
  id: 'guardduty-impaired',
  kind: 'threat',
  title: 'GuardDuty detector deleted, suspended, disassociated or its findings export removed',
  cis: {},
  rationale: 'GuardDuty is the account\'s threat detector; deleting the detector or leaving the administrator account silences its findings.',
  severity: 'critical',
  attack: { tactics: EVASION, techniques: ['T1562.001'] },
  falsePositives: ['closing an account (the organization removes members)'],
  detection: {
    eventSource: 'guardduty.amazonaws.com',
    where: any(
      equals(['eventName'], 'DeleteDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount', 'DeleteMembers', 'DisassociateMembers', 'StopMonitoringMembers', 'DeletePublishingDestination'),
      all(equals(['eventName'], 'UpdateDetector'), isFalse(['requestParameters', 'enable'])),
    ),
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'GuardDutyImpaired',
  samples: {
    fires: [
      sample('DeleteDetector', { eventSource: 'guardduty.amazonaws.com', eventName: 'DeleteDetector', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0' } }),
      sample('UpdateDetector suspending the detector', { eventSource: 'guardduty.amazonaws.com', eventName: 'UpdateDetector', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', enable: false } }),
    ],
    quiet: [
      sample('CreateDetector', { eventSource: 'guardduty.amazonaws.com', eventName: 'CreateDetector', userIdentity: DEPLOYER, requestParameters: { enable: true } }),
      sample('UpdateDetector changing the publishing frequency', {
        eventSource: 'guardduty.amazonaws.com',
        eventName: 'UpdateDetector',
        userIdentity: DEPLOYER,
        requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0', findingPublishingFrequency: 'FIFTEEN_MINUTES' },
      }, 'tuning, not disabling'),
    ],
  },
};

/** https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DisableSecurityHub.html */
export const securityHubDisabled: Control = {
  id: 'securityhub-disabled',
  kind: 'threat',
  title: 'Security Hub disabled, standards disabled or account disassociated',
  cis: {},
  rationale: 'Security Hub aggregates findings and grades controls (the CIS ones included); disabling it hides both.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.001'] },
  falsePositives: ['retiring a standard deliberately'],
  detection: {
    eventSource: 'securityhub.amazonaws.com',
    eventNames: ['DisableSecurityHub', 'BatchDisableStandards', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount', 'DisableImportFindingsForProduct'],
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SecurityHubDisabled',
  samples: {
    fires: [sample('DisableSecurityHub', { eventSource: 'securityhub.amazonaws.com', eventName: 'DisableSecurityHub', requestParameters: {} })],
    quiet: [sample('BatchEnableStandards', { eventSource: 'securityhub.amazonaws.com', eventName: 'BatchEnableStandards', userIdentity: DEPLOYER })],
  },
};

/**
 * AWS Config recording stopped or rules removed. Overlaps CIS aws-config-changes (which also fires
 * on Put*), at threat severity and with rule deletion added.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_StopConfigurationRecorder.html
 */
export const configRecordingStopped: Control = {
  id: 'config-recording-stopped',
  kind: 'threat',
  title: 'AWS Config recording stopped, recorder or delivery channel deleted, rules deleted',
  cis: {},
  rationale: 'Config records resource history and evaluates compliance rules; stopping it leaves later changes unrecorded.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.001'] },
  falsePositives: ['AWS Control Tower or a conformance-pack pipeline replacing rules (exclude its role)'],
  detection: {
    eventSource: 'config.amazonaws.com',
    eventNames: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DeleteConfigRule', 'DeleteConformancePack'],
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'ConfigRecordingStopped',
  samples: {
    fires: [sample('StopConfigurationRecorder', { eventSource: 'config.amazonaws.com', eventName: 'StopConfigurationRecorder', requestParameters: { configurationRecorderName: 'default' } })],
    quiet: [sample('StartConfigurationRecorder', { eventSource: 'config.amazonaws.com', eventName: 'StartConfigurationRecorder', requestParameters: { configurationRecorderName: 'default' } })],
  },
};

/** https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_DeleteAnalyzer.html */
export const accessAnalyzerImpaired: Control = {
  id: 'access-analyzer-impaired',
  kind: 'threat',
  title: 'IAM Access Analyzer deleted or an archive rule created',
  cis: {},
  rationale: 'Access Analyzer reports resources shared outside the account or organization; deleting it or auto-archiving its findings hides that sharing.',
  severity: 'high',
  attack: { tactics: EVASION, techniques: ['T1562.001'] },
  falsePositives: ['a reviewed archive rule for known partner access'],
  detection: { eventSource: 'access-analyzer.amazonaws.com', eventNames: ['DeleteAnalyzer', 'CreateArchiveRule', 'UpdateArchiveRule'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'AccessAnalyzerImpaired',
  samples: {
    fires: [sample('DeleteAnalyzer', { eventSource: 'access-analyzer.amazonaws.com', eventName: 'DeleteAnalyzer', requestParameters: { analyzerName: 'org-analyzer' } })],
    quiet: [
      sample('CreateAnalyzer', { eventSource: 'access-analyzer.amazonaws.com', eventName: 'CreateAnalyzer', userIdentity: DEPLOYER }),
      sample('the service itself deleting an analyzer-named thing in another service', {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'DeleteAnalyzer',
        userIdentity: awsService('access-analyzer.amazonaws.com'),
      }, 'the event source decides: the same name from another service is not Access Analyzer'),
    ],
  },
};

export const DEFENSE_EVASION: readonly Control[] = [
  cloudtrailEventSelectorTampering,
  vpcFlowLogsDeleted,
  resolverQueryLoggingDeleted,
  cloudtrailLakeStopped,
  guarddutyImpaired,
  securityHubDisabled,
  configRecordingStopped,
  accessAnalyzerImpaired,
];

