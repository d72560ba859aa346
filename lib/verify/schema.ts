/**
 * `verify:` section of trailwatch.yaml: how `trailwatch verify` reaches the accounts and what it
 * tolerates. The checks themselves live in lib/verify.
 */
import { z } from 'zod';

export const VERIFY_DEFAULTS = { maxDeliveryAgeMinutes: 60, maxInsufficientDataHours: 24, maxDigestAgeHours: 3 } as const;

export const VerifySchema = z
  .strictObject({
    roleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, { error: 'expected an IAM role name (1-64 of letters, digits and +=,.@_-)' })
      .optional()
      .meta({
        description:
          "A read-only role verify assumes in every account instead of the account's `access` role (README \"Verify\" has the policy it needs). Session name and external id come from `access`. @default the account's access role",
      }),
    ignoreAccounts: z
      .array(
        z
          .string({ error: (iss) => `expected a 12-digit account id as a quoted string, got ${JSON.stringify(iss.input) ?? 'nothing'}` })
          .regex(/^\d{12}$/, { error: (iss) => `expected 12 digits, got ${JSON.stringify(iss.input)}` }),
      )
      .optional()
      .meta({ description: 'ACTIVE organization accounts that are deliberately not in this config (verify does not report them). @default none' }),
    maxDeliveryAgeMinutes: z
      .number()
      .int()
      .min(5, { error: 'expected at least 5 minutes (CloudTrail delivers about every 5 minutes)' })
      .max(10080)
      .optional()
      .meta({ description: "A trail whose newest delivery to S3 is older than this is a finding. @default 60" }),
    maxInsufficientDataHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .optional()
      .meta({ description: 'An alarm in INSUFFICIENT_DATA for longer than this is a finding. @default 24' }),
    maxDigestAgeHours: z
      .number()
      .int()
      .min(2, { error: 'expected at least 2 hours (CloudTrail delivers a digest file every hour)' })
      .max(720)
      .optional()
      .meta({ description: 'A trail with log file validation whose newest digest file in the archive is older than this is a finding. @default 3' }),
  })
  .meta({ description: '`trailwatch verify`: checks the live organization against this config.' });

export type VerifyConfig = z.output<typeof VerifySchema>;
