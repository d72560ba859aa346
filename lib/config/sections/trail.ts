/**
 * `trail:` section of trailwatch.yaml (issue: trail baseline). Placeholder: the trail issue
 * defines the schema here and its semantic checks in `trailProblems`.
 */
import { z } from 'zod';
import type { ConfigProblem } from '../load';
import type { ParsedConfig } from '../schema';

export const TrailSchema = z.strictObject({}).meta({ description: 'The CloudTrail trail and its log archive.' });

export function trailProblems(_config: ParsedConfig): ConfigProblem[] {
  return [];
}
