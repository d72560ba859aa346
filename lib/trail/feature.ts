/** Stack feature: the trail, its log archive and CloudWatch Logs delivery (trail issue). */
import type { AccountStack } from '../stacks/account-stack';

export function trailFeature(_stack: AccountStack): void {}
