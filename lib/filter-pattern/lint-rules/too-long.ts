import type { LintRule } from './types';

/** The FilterPattern API shape has max length 1024 (CloudWatch Logs service model). */
export const MAX_PATTERN_LENGTH = 1024;

export const tooLong: LintRule = {
  id: 'too-long',
  description: 'Longer than the 1,024 characters PutMetricFilter accepts.',
  check: ({ pattern }) => {
    const length = pattern.length;
    return length > MAX_PATTERN_LENGTH
      ? [
          {
            severity: 'error',
            rule: 'too-long',
            message: `pattern is ${length} characters; CloudWatch Logs accepts at most ${MAX_PATTERN_LENGTH}`,
            column: MAX_PATTERN_LENGTH + 1,
          },
        ]
      : [];
  },
};
