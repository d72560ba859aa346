/**
 * The `trailwatch` command line: one sub-command per file in this folder. Only the command being
 * run is loaded (its file pulls in what it needs: cdktf for synth, the backtest engine for
 * backtest, ...), so `validate` does not pay for cdktf; help and an unknown command load them all.
 */
import { Command } from 'commander';
import { packageVersion } from './version';

type Register = (program: Command) => void;

/** In the order `trailwatch --help` lists them. */
const COMMANDS: Record<string, () => Register> = {
  synth: () => (require('./synth') as typeof import('./synth')).register,
  validate: () => (require('./validate') as typeof import('./validate')).register,
  rollout: () => (require('./rollout') as typeof import('./rollout')).register,
  'test-pattern': () => (require('./test-pattern') as typeof import('./test-pattern')).register,
  lint: () => (require('./lint') as typeof import('./lint')).register,
  backtest: () => (require('./backtest') as typeof import('./backtest')).register,
  coverage: () => (require('./coverage') as typeof import('./coverage')).register,
  estimate: () => (require('./estimate') as typeof import('./estimate')).register,
  sigma: () => (require('./sigma') as typeof import('./sigma')).register,
  verify: () => (require('./verify') as typeof import('./verify')).register,
};

/** The program; given the command line, only the command it names (all of them when it names none). */
export function buildProgram(argv?: readonly string[]): Command {
  const program = new Command('trailwatch')
    .description('CloudTrail security monitoring for every account of an AWS organization, as Terraform (CDKTF)')
    .version(packageVersion(), '-V, --version', 'print the version of trailwatch')
    .exitOverride();
  const named = argv?.[0];
  const names = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of names) COMMANDS[name]()(program);
  pointAtHelp(program, 'trailwatch');
  return program;
}

/**
 * After a flag error commander prints the error and then, instead of the whole help (which buried
 * the one line that mattered), one line naming the help of the command that refused the flag.
 */
function pointAtHelp(command: Command, name: string): void {
  command.showHelpAfterError(`(run '${name} --help' for ${name === 'trailwatch' ? 'the commands' : 'its flags'})`);
  for (const sub of command.commands) pointAtHelp(sub, `${name} ${sub.name()}`);
}
