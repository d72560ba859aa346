/** The `trailwatch` command line: one sub-command per file in this folder. */
import { Command } from 'commander';
import { register as synth } from './synth';
import { register as validate } from './validate';

const COMMANDS = [synth, validate];

export function buildProgram(): Command {
  const program = new Command('trailwatch')
    .description('CloudTrail security monitoring for every account of an AWS organization, as Terraform (CDKTF)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}
