/**
 * The threat catalog: detections of attack techniques beyond the CIS compliance floor, grouped by
 * ATT&CK tactic (one file per group), each with its ATT&CK ids, known false positives, alarm
 * settings and labelled samples. Coverage follows DataDog's Stratus Red Team AWS techniques
 * (https://stratus-red-team.cloud/attack-techniques/AWS/) plus defense impairment of GuardDuty,
 * Security Hub, Config, Access Analyzer and CloudTrail Lake.
 */
import type { Control } from '../types';
import { CREDENTIAL_ACCESS_DETECTIONS } from './credential-access';
import { DEFENSE_EVASION } from './defense-evasion';
import { DISCOVERY_DETECTIONS } from './discovery';
import { EXECUTION_DETECTIONS } from './execution';
import { EXFILTRATION_DETECTIONS } from './exfiltration';
import { PERSISTENCE_DETECTIONS } from './persistence';

/** Every threat detection, in a stable order (tactic groups, then file order). */
export const THREAT_CATALOG: readonly Control[] = [
  ...DEFENSE_EVASION,
  ...EXFILTRATION_DETECTIONS,
  ...PERSISTENCE_DETECTIONS,
  ...CREDENTIAL_ACCESS_DETECTIONS,
  ...EXECUTION_DETECTIONS,
  ...DISCOVERY_DETECTIONS,
];

export const THREAT_IDS: readonly string[] = THREAT_CATALOG.map((c) => c.id);
