/**
 * The slice of MITRE ATT&CK (Enterprise, IaaS platform) that CloudTrail management events can show:
 * the techniques of DataDog's Stratus Red Team AWS catalog (https://stratus-red-team.cloud/attack-techniques/AWS/)
 * and those the trailwatch catalogs tag. `trailwatch coverage` lists each one with the enabled
 * detections that cover it, or with none. Names and tactic ids as on
 * https://attack.mitre.org/matrices/enterprise/cloud/iaas/ (ATT&CK v16).
 */

/** Tactics in ATT&CK matrix order. */
export const TACTICS: readonly { readonly id: string; readonly name: string }[] = [
  { id: 'TA0001', name: 'Initial Access' },
  { id: 'TA0002', name: 'Execution' },
  { id: 'TA0003', name: 'Persistence' },
  { id: 'TA0004', name: 'Privilege Escalation' },
  { id: 'TA0005', name: 'Defense Evasion' },
  { id: 'TA0006', name: 'Credential Access' },
  { id: 'TA0007', name: 'Discovery' },
  { id: 'TA0008', name: 'Lateral Movement' },
  { id: 'TA0009', name: 'Collection' },
  { id: 'TA0010', name: 'Exfiltration' },
  { id: 'TA0040', name: 'Impact' },
];

export interface Technique {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  /** Why CloudTrail management events cannot show it, where that is the reason for a gap. */
  readonly note?: string;
}

export const TECHNIQUES: readonly Technique[] = [
  { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['TA0001', 'TA0003', 'TA0004', 'TA0005'] },
  { id: 'T1648', name: 'Serverless Execution', tactics: ['TA0002'] },
  { id: 'T1651', name: 'Cloud Administration Command', tactics: ['TA0002'] },
  { id: 'T1059.009', name: 'Command and Scripting Interpreter: Cloud API', tactics: ['TA0002'] },
  { id: 'T1098.001', name: 'Account Manipulation: Additional Cloud Credentials', tactics: ['TA0003', 'TA0004'] },
  { id: 'T1098.003', name: 'Account Manipulation: Additional Cloud Roles', tactics: ['TA0003', 'TA0004'] },
  { id: 'T1136.003', name: 'Create Account: Cloud Account', tactics: ['TA0003'] },
  { id: 'T1484.002', name: 'Domain or Tenant Policy Modification: Trust Modification', tactics: ['TA0004', 'TA0005'] },
  { id: 'T1550.001', name: 'Use Alternate Authentication Material: Application Access Token', tactics: ['TA0005', 'TA0008'] },
  { id: 'T1562.001', name: 'Impair Defenses: Disable or Modify Tools', tactics: ['TA0005'] },
  { id: 'T1562.007', name: 'Impair Defenses: Disable or Modify Cloud Firewall', tactics: ['TA0005'] },
  { id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs', tactics: ['TA0005'] },
  { id: 'T1578', name: 'Modify Cloud Compute Infrastructure', tactics: ['TA0005'], note: 'snapshots, volumes and instances created to reach data: routine for IaC, needs baselines' },
  { id: 'T1666', name: 'Modify Cloud Resource Hierarchy', tactics: ['TA0005'] },
  { id: 'T1110', name: 'Brute Force', tactics: ['TA0006'] },
  { id: 'T1110.001', name: 'Brute Force: Password Guessing', tactics: ['TA0006'] },
  { id: 'T1552', name: 'Unsecured Credentials', tactics: ['TA0006'] },
  { id: 'T1552.005', name: 'Unsecured Credentials: Cloud Instance Metadata API', tactics: ['TA0006'], note: 'stolen instance credentials used elsewhere: GuardDuty InstanceCredentialExfiltration, not one CloudTrail event' },
  { id: 'T1555.006', name: 'Credentials from Password Stores: Cloud Secrets Management Stores', tactics: ['TA0006'] },
  { id: 'T1580', name: 'Cloud Infrastructure Discovery', tactics: ['TA0007'] },
  { id: 'T1087.004', name: 'Account Discovery: Cloud Account', tactics: ['TA0007'] },
  { id: 'T1069.003', name: 'Permission Groups Discovery: Cloud Groups', tactics: ['TA0007'] },
  { id: 'T1526', name: 'Cloud Service Discovery', tactics: ['TA0007'], note: 'enumeration is read-only calls everyone makes; needs per-identity baselines (CloudTrail Insights, GuardDuty)' },
  { id: 'T1619', name: 'Cloud Storage Object Discovery', tactics: ['TA0007'], note: 'S3 data events' },
  { id: 'T1021.004', name: 'Remote Services: SSH', tactics: ['TA0008'] },
  { id: 'T1021.007', name: 'Remote Services: Cloud Services', tactics: ['TA0008'] },
  { id: 'T1530', name: 'Data from Cloud Storage', tactics: ['TA0009'], note: 'S3 data events' },
  { id: 'T1537', name: 'Transfer Data to Cloud Account', tactics: ['TA0010'] },
  { id: 'T1485', name: 'Data Destruction', tactics: ['TA0040'] },
  { id: 'T1486', name: 'Data Encrypted for Impact', tactics: ['TA0040'], note: 'S3 ransomware: data events' },
  { id: 'T1496', name: 'Resource Hijacking', tactics: ['TA0040'], note: 'unusual instance types or Bedrock use: volume baselines' },
];
