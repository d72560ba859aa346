/**
 * An error caused by the user's input (config, flags, files). main.ts prints its message
 * without a stack trace and exits with `exitCode`; anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}
