/**
 * `rollout:` section of trailwatch.yaml (issue: organization scale): ordered waves of account
 * stacks. The schema checks each pattern on its own; `rolloutProblems` checks the waves against
 * the accounts (every account in exactly one wave, ./check.ts). The matching is in ./patterns.ts and ./waves.ts.
 */
import { z } from 'zod';

/** Lower-case letters, digits and hyphens (what an account name may hold) plus the glob characters. */
export const PATTERN_CHARACTERS = /^[a-z0-9*?[\]{},!-]+$/;
export const MAX_PATTERN_LENGTH = 100;
/**
 * Globs become backtracking regular expressions: `*a*a*a*a*b` against 2,000 names takes seconds.
 * Three stars cover every real need (`*-prod-*`) and keep matching fast.
 */
export const MAX_PATTERN_STARS = 3;

export function countStars(pattern: string): number {
  return pattern.split('*').length - 1;
}

const WavePatternSchema = z
  .string({ error: (iss) => `expected an account name or a glob as a string, got ${iss.input === null ? 'nothing' : JSON.stringify(iss.input)}` })
  .min(1, { error: 'expected an account name or a glob, got an empty string' })
  .max(MAX_PATTERN_LENGTH, { error: `expected at most ${MAX_PATTERN_LENGTH} characters` })
  .regex(PATTERN_CHARACTERS, {
    error: (iss) => `expected an account name or a glob of lower-case letters, digits, hyphens and * ? [...] {a,b}, got ${JSON.stringify(iss.input)}`,
  })
  .refine((p) => countStars(p) <= MAX_PATTERN_STARS, {
    error: (iss) => `a glob may hold at most ${MAX_PATTERN_STARS} "*" (more makes matching slow), got ${JSON.stringify(iss.input)}`,
  })
  .meta({
    description:
      'An account name (`prod-web`) or a glob over account names (`prod-*`, `dev-{web,api}`, `team-?`). ' +
      'Alone in the last wave, `\'*\'` (quoted: YAML reads a bare * as an alias) takes every account that no earlier wave lists.',
  });

const WaveSchema = z
  .array(WavePatternSchema, { error: (iss) => `expected a wave: a list of account names or globs, like [log-archive] or ['prod-*'], got ${JSON.stringify(iss.input) ?? 'nothing'}` })
  .min(1, { error: 'a wave lists at least one account name or glob; remove the empty wave' })
  .refine((ps) => new Set(ps).size === ps.length, { error: 'lists the same name or glob more than once' })
  .meta({ description: 'One wave: the account stacks deployed together, in parallel.' });

export const RolloutSchema = z
  .strictObject({
    waves: z
      .array(WaveSchema, { error: (iss) => (iss.input === undefined ? "required: the waves, e.g. waves: [[log-archive], [management], ['*']]" : 'expected a list of waves, each a list of account names or globs') })
      .min(1, { error: 'expected at least one wave' })
      .meta({
        description:
          'Ordered waves, deployed one after the other (`npx trailwatch rollout` prints the commands). A wave is a list of account names or globs over them ' +
          '(`prod-*`, `dev-{web,api}`). Every account must be in exactly one wave: a name or glob that matches no account, an account matched by two waves ' +
          "and an account in no wave are errors. A last wave `['*']` (quoted) takes every account no earlier wave lists. " +
          'Put each stack after the stacks it needs (`npx trailwatch rollout` lists them; a wave that breaks one is a warning): ' +
          'the log archive before the trail owners (management), and with central EventBridge routing the security account before every other.',
      }),
  })
  .meta({
    description:
      'Staged rollout: ordered waves of account stacks, so a change reaches a few accounts before all of them. ' +
      '@default core accounts in the order their dependencies need (with the defaults: security, then the log archive, then management), then every member account',
  });

export type RolloutConfig = z.output<typeof RolloutSchema>;
