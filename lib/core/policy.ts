/**
 * IAM policy documents as plain TypeScript objects, rendered with JSON.stringify: deterministic
 * (keys in the order written), free of Terraform tokens where names are known, and easy for tests
 * to parse and assert statement by statement.
 */

export type Principal = '*' | { readonly Service: string | readonly string[] } | { readonly AWS: string | readonly string[] };

export interface PolicyStatement {
  /** Absent in trust (assume-role) policies and single-purpose inline policies. */
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  /** Absent only in trust (assume-role) policies, which must not have one. */
  readonly Resource?: string | readonly string[];
  /** Operator -> condition key -> value(s). */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(policyDocument(statements));
}

export const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

export function accountRoot(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** The key-policy statement every customer-managed key starts with: the owning account administers it through IAM. */
export function keyAdministration(accountId: string): PolicyStatement {
  return { Sid: 'EnableAccountAdministration', Effect: 'Allow', Principal: { AWS: accountRoot(accountId) }, Action: 'kms:*', Resource: '*' };
}

/** A single value stays a string, several become a list (both are valid IAM; one value reads better). */
export function oneOrMany(values: readonly string[]): string | readonly string[] {
  return values.length === 1 ? values[0] : values;
}
