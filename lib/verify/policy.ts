/**
 * The IAM policy a read-only role needs for `trailwatch verify` (verify.roleName), generated from
 * the actions each check declares; __tests__/verify/policy.test.ts proves they cover every call the
 * checks make. Every action is a read (Describe, Get, List).
 */
import { policyDocument, type PolicyDocument } from '../core/policy';
import { CHECKS } from './checks';
import type { Check } from './types';

export function verifyPolicy(checks: readonly Check[] = CHECKS): PolicyDocument {
  const actions = [...new Set(checks.flatMap((c) => c.actions))].sort();
  return policyDocument([{ Sid: 'TrailwatchVerifyReadOnly', Effect: 'Allow', Action: actions, Resource: '*' }]);
}

export const verifyPolicyText = (): string => JSON.stringify(verifyPolicy(), null, 2) + '\n';
