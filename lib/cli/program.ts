/** The `trailwatch` command line: one sub-command per file in this folder. */
import { Command } from 'commander';
import { register as backtest } from './backtest';
import { register as lint } from './lint';
import { register as rollout } from './rollout';
import { register as synth } from './synth';
import { register as testPattern } from './test-pattern';
import { register as validate } from './validate';

const COMMANDS = [synth, validate, rollout, testPattern, lint, backtest];

export function buildProgram(): Command {
  const program = new Command('trailwatch')
    .description('CloudTrail security monitoring for every account of an AWS organization, as Terraform (CDKTF)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}
