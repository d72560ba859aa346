/**
 * A filter pattern that CloudWatch Logs would reject (or that this engine cannot evaluate).
 * `column` is 1-based; the message names it too, e.g.
 * `unexpected "&&" at column 14: expected a selector like $.eventName`.
 */
export class FilterPatternSyntaxError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'FilterPatternSyntaxError';
  }
}
