/** `rollout:` section of trailwatch.yaml (issue: organization scale). Placeholder. */
import { z } from 'zod';
import type { ConfigProblem } from '../load';
import type { ParsedConfig } from '../schema';

export const RolloutSchema = z.strictObject({}).meta({ description: 'Staged rollout: ordered waves of account stacks.' });

export function rolloutProblems(_config: ParsedConfig): ConfigProblem[] {
  return [];
}
