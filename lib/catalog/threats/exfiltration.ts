/**
 * Exfiltration through sharing (ATT&CK TA0010, T1537 Transfer Data to Cloud Account): a snapshot
 * or image shared with another account (or with everyone) is copied out without moving a byte
 * through the network. Stratus aws.exfiltration.ec2-share-ebs-snapshot, ec2-share-ami,
 * rds-share-snapshot.
 */
import { equals } from '../condition';
import type { Control } from '../types';
import { DEPLOYER, EXTERNAL_ACCOUNT, sample } from './sample-records';

const EXFILTRATION = ['TA0010'];

/**
 * ModifySnapshotAttribute adds or removes create-volume permissions (the only attribute it can
 * modify): https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html
 * CloudTrail records it with `attributeType: CREATE_VOLUME_PERMISSION`.
 */
export const ebsSnapshotShared: Control = {
  id: 'ebs-snapshot-shared',
  kind: 'threat',
  title: 'EBS snapshot create-volume permissions changed (shared with an account or made public)',
  cis: {},
  rationale: 'A shared snapshot lets another account create a volume holding the disk\'s data: a full copy of the disk leaves the account in one call.',
  severity: 'high',
  attack: { tactics: EXFILTRATION, techniques: ['T1537'] },
  falsePositives: ['backup or DR pipelines sharing with the organization\'s own backup account (exclude their role)', 'removing a share (same call, operation remove)'],
  detection: { eventSource: 'ec2.amazonaws.com', eventNames: ['ModifySnapshotAttribute'] },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'EbsSnapshotShared',
  samples: {
    fires: [
      sample('ModifySnapshotAttribute adding an external account', {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'ModifySnapshotAttribute',
        requestParameters: { snapshotId: 'snap-0123456789abcdef0', createVolumePermission: { add: { items: [{ userId: EXTERNAL_ACCOUNT }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' },
      }),
    ],
    quiet: [sample('CreateSnapshot', { eventSource: 'ec2.amazonaws.com', eventName: 'CreateSnapshot', userIdentity: DEPLOYER, requestParameters: { volumeId: 'vol-0123456789abcdef0' } })],
  },
};

/**
 * ModifyImageAttribute on the launchPermission attribute shares an AMI (description changes use
 * the same call with another attribute).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html
 */
export const amiShared: Control = {
  id: 'ami-shared',
  kind: 'threat',
  title: 'AMI launch permissions changed (shared with an account or made public)',
  cis: {},
  rationale: 'A shared AMI carries its snapshots (disk contents, baked-in secrets) to the accounts it is shared with.',
  severity: 'high',
  attack: { tactics: EXFILTRATION, techniques: ['T1537'] },
  falsePositives: ['an image factory sharing golden AMIs with the organization (exclude its role)'],
  detection: {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['ModifyImageAttribute'],
    where: equals(['requestParameters', 'attributeType'], 'launchPermission'),
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'AmiShared',
  samples: {
    fires: [
      sample('ModifyImageAttribute making an AMI public', {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'ModifyImageAttribute',
        requestParameters: { imageId: 'ami-0123456789abcdef0', launchPermission: { add: { items: [{ group: 'all' }] } }, attributeType: 'launchPermission' },
      }),
    ],
    quiet: [
      sample('ModifyImageAttribute changing the description', {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'ModifyImageAttribute',
        userIdentity: DEPLOYER,
        requestParameters: { imageId: 'ami-0123456789abcdef0', description: { value: 'golden image 2026-11' }, attributeType: 'description' },
      }, 'a description change shares nothing'),
    ],
  },
};

/**
 * RDS snapshots are shared through the `restore` attribute (values: account ids or `all`).
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSnapshotAttribute.html
 */
export const rdsSnapshotShared: Control = {
  id: 'rds-snapshot-shared',
  kind: 'threat',
  title: 'RDS snapshot restore permission changed (shared with an account or made public)',
  cis: {},
  rationale: 'A DB snapshot shared with another account can be restored there: the whole database leaves in one call.',
  severity: 'high',
  attack: { tactics: EXFILTRATION, techniques: ['T1537'] },
  falsePositives: ['AWS Backup or DR copies to the organization\'s backup account (exclude their role)'],
  detection: {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
    where: equals(['requestParameters', 'attributeName'], 'restore'),
  },
  globalService: false,
  detailTypes: ['AWS API Call via CloudTrail'],
  metricName: 'RdsSnapshotShared',
  samples: {
    fires: [
      sample('ModifyDBSnapshotAttribute sharing with an external account', {
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBSnapshotAttribute',
        requestParameters: { dBSnapshotIdentifier: 'payments-2026-11-02', attributeName: 'restore', valuesToAdd: [EXTERNAL_ACCOUNT] },
      }),
    ],
    quiet: [
      sample('CreateDBSnapshot', { eventSource: 'rds.amazonaws.com', eventName: 'CreateDBSnapshot', userIdentity: DEPLOYER, requestParameters: { dBSnapshotIdentifier: 'payments-2026-11-02' } }),
    ],
  },
};

export const EXFILTRATION_DETECTIONS: readonly Control[] = [ebsSnapshotShared, amiShared, rdsSnapshotShared];
