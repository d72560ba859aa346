/** Stack feature: metric filters, alarms and the alert topic (detections issue). */
import type { AccountStack } from '../stacks/account-stack';

export function monitoringFeature(_stack: AccountStack): void {}
