/**
 * Execution and lateral movement (ATT&CK TA0002, TA0008): running commands on instances through
 * the control plane, pushing SSH keys, and changing what an instance runs at boot. Stratus
 * aws.execution.ssm-send-command, ssm-start-session, ec2-user-data,
 * aws.lateral-movement.ec2-instance-connect, ec2-serial-console-send-ssh-public-key.
 */
import { any, equals, exists } from '../condition';
import type { Control } from '../types';
import { awsService, DEPLOYER, sample } from './sample-records';

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html */
export const ssmSendCommand: Control = {
  id: 'ssm-send-command',
  kind: 'threat',
  title: 'SSM Run Command sent to instances',
  cis: {},
  rationale: 'SendCommand runs a script as root/SYSTEM on every targeted instance: a control-plane path to code execution that needs no network access.',
  severity: 'medium',
  attack: { tactics: ['TA0002', 'TA0008'], techniques: ['T1651'] },
  falsePositives: ['patching and State Manager associations (AWS calls these itself; exclude its source ssm.amazonaws.com)', 'runbooks of operations teams'],
  detection: { eventSource: 'ssm.amazonaws.com', eventNames: ['SendCommand'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SsmSendCommand',
  samples: {
    fires: [
      sample('SendCommand AWS-RunShellScript', {
        eventSource: 'ssm.amazonaws.com',
        eventName: 'SendCommand',
        requestParameters: { instanceIds: ['i-0123456789abcdef0'], documentName: 'AWS-RunShellScript', parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      }),
    ],
    quiet: [sample('ListCommands', { eventSource: 'ssm.amazonaws.com', eventName: 'ListCommands', readOnly: true })],
  },
};

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_StartSession.html */
export const ssmStartSession: Control = {
  id: 'ssm-start-session',
  kind: 'threat',
  title: 'SSM Session Manager session started',
  cis: {},
  rationale: 'Session Manager gives an interactive shell on an instance without SSH keys or open ports: convenient for operators and for an attacker with their credentials.',
  severity: 'low',
  attack: { tactics: ['TA0002', 'TA0008'], techniques: ['T1651', 'T1021.007'] },
  falsePositives: ['operators on call (raise the threshold or exclude their SSO role)'],
  detection: { eventSource: 'ssm.amazonaws.com', eventNames: ['StartSession'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'SsmStartSession',
  samples: {
    fires: [sample('StartSession', { eventSource: 'ssm.amazonaws.com', eventName: 'StartSession', requestParameters: { target: 'i-0123456789abcdef0' } })],
    quiet: [sample('TerminateSession', { eventSource: 'ssm.amazonaws.com', eventName: 'TerminateSession', requestParameters: { sessionId: 'alice-0123456789abcdef0' } })],
  },
};

/**
 * ModifyInstanceAttribute changing user data (the script an instance runs when it next starts).
 * The API takes either `UserData` or `Attribute=userData` with `Value`; CloudTrail records the
 * request parameters with the value redacted, so the test is on which attribute was set.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html
 */
export const ec2UserDataModified: Control = {
  id: 'ec2-user-data-modified',
  kind: 'threat',
  title: 'EC2 instance user data modified',
  cis: {},
  rationale: 'User data runs as root at boot; changing it on a stopped instance and starting it again executes the attacker\'s script with the instance role.',
  severity: 'high',
  attack: { tactics: ['TA0002', 'TA0004'], techniques: ['T1059.009'] },
  falsePositives: ['rare by design: instances normally get user data at launch (RunInstances), not afterwards'],
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['ModifyInstanceAttribute'],
    where: any(exists(['requestParameters', 'userData']), equals(['requestParameters', 'attribute'], 'userData')),
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'Ec2UserDataModified',
  samples: {
    fires: [
      sample('ModifyInstanceAttribute userData', { eventSource: 'ec2.amazonaws.com', eventName: 'ModifyInstanceAttribute', requestParameters: { instanceId: 'i-0123456789abcdef0', userData: '<sensitiveDataRemoved>' } }),
      sample('ModifyInstanceAttribute attribute=userData', { eventSource: 'ec2.amazonaws.com', eventName: 'ModifyInstanceAttribute', requestParameters: { instanceId: 'i-0123456789abcdef0', attribute: 'userData', value: '<sensitiveDataRemoved>' } }),
    ],
    quiet: [
      sample('ModifyInstanceAttribute instanceType', {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'ModifyInstanceAttribute',
        userIdentity: DEPLOYER,
        requestParameters: { instanceId: 'i-0123456789abcdef0', instanceType: { value: 'm7g.large' } },
      }, 'resizing changes no code'),
    ],
  },
};

/**
 * EC2 Instance Connect pushes a one-time SSH key to an instance (or to its serial console).
 * https://docs.aws.amazon.com/ec2-instance-connect/latest/APIReference/API_SendSSHPublicKey.html
 */
export const ec2InstanceConnectKey: Control = {
  id: 'ec2-instance-connect-key',
  kind: 'threat',
  title: 'SSH public key pushed through EC2 Instance Connect or the serial console',
  cis: {},
  rationale: 'SendSSHPublicKey lets whoever holds the matching private key log in for 60 seconds; the serial console variant reaches instances without network access.',
  severity: 'medium',
  attack: { tactics: ['TA0008'], techniques: ['T1021.004'] },
  falsePositives: ['operators using the EC2 console\'s Connect button (exclude their SSO role, or raise the threshold)'],
  detection: { eventSource: 'ec2-instance-connect.amazonaws.com', eventNames: ['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'Ec2InstanceConnectKey',
  samples: {
    fires: [
      sample('SendSSHPublicKey', { eventSource: 'ec2-instance-connect.amazonaws.com', eventName: 'SendSSHPublicKey', requestParameters: { instanceId: 'i-0123456789abcdef0', instanceOSUser: 'ec2-user', sSHPublicKey: 'ssh-ed25519 AAAA...' } }),
      sample('SendSerialConsoleSSHPublicKey', { eventSource: 'ec2-instance-connect.amazonaws.com', eventName: 'SendSerialConsoleSSHPublicKey', requestParameters: { instanceId: 'i-0123456789abcdef0', serialPort: 0 } }),
    ],
    quiet: [sample('an unrelated service call by AWS', { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, userIdentity: awsService('ec2-instance-connect.amazonaws.com') })],
  },
};

export const EXECUTION_DETECTIONS: readonly Control[] = [ssmSendCommand, ssmStartSession, ec2UserDataModified, ec2InstanceConnectKey];
