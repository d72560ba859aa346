/**
 * What goes into an account stack, in order. Each feature looks at `stack.plan` and adds its
 * constructs (or nothing) to the stack; a new concern adds one entry here.
 */
import { eventbridgeFeature } from '../eventbridge/feature';
import { monitoringFeature } from '../monitoring/feature';
import { queryFeature } from '../query/feature';
import { trailFeature } from '../trail/feature';
import type { AccountStack } from './account-stack';

export type StackFeature = (stack: AccountStack) => void;

export const STACK_FEATURES: readonly StackFeature[] = [trailFeature, monitoringFeature, eventbridgeFeature, queryFeature];
