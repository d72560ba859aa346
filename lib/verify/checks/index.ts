/** Every verify check, in report order. A new check is one file in this folder, listed here. */
import type { Check } from '../types';
import { alertingSubscriptions } from './alerting-subscriptions';
import { alertingTopic } from './alerting-topic';
import { archiveDigest } from './archive-digest';
import { archiveEncryption } from './archive-encryption';
import { archivePolicy } from './archive-policy';
import { archivePublicAccess } from './archive-public-access';
import { archiveVersioning } from './archive-versioning';
import { detectionAlarms } from './detection-alarms';
import { detectionFilters } from './detection-filters';
import { eventbridgeBusPolicy } from './eventbridge-bus-policy';
import { eventbridgeRules } from './eventbridge-rules';
import { eventbridgeTargets } from './eventbridge-targets';
import { organizationAccounts } from './organization-accounts';
import { organizationTrustedAccess } from './organization-trusted-access';
import { responder } from './responder';
import { trailLogging } from './trail-logging';
import { trailSelectors } from './trail-selectors';
import { trailSettings } from './trail-settings';

export const CHECKS: readonly Check[] = [
  organizationAccounts,
  organizationTrustedAccess,
  trailLogging,
  trailSettings,
  trailSelectors,
  archivePublicAccess,
  archiveEncryption,
  archiveVersioning,
  archivePolicy,
  archiveDigest,
  detectionFilters,
  detectionAlarms,
  alertingTopic,
  alertingSubscriptions,
  eventbridgeRules,
  eventbridgeTargets,
  eventbridgeBusPolicy,
  responder,
];
