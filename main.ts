/**
 * trailwatch entry point: `node bin/trailwatch.js [command]` (cdktf.json's app runs `synth`).
 * User mistakes (UserError, bad flags) print a message and exit non-zero without a stack trace.
 */
import { CommanderError } from 'commander';
import { buildProgram } from './lib/cli/program';
import { UserError } from './lib/core/errors';

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.length === 0) {
      // Bare `trailwatch`: the help, on stdout, and success (as `trailwatch --help`).
      process.stdout.write(buildProgram().helpInformation());
      return 0;
    }
    await buildProgram(argv).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed the message
    if (e instanceof UserError) {
      process.stderr.write(`trailwatch: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
