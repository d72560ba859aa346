import { Option } from 'commander';

/** --config FILE, shared by every command that reads trailwatch.yaml. */
export const configOption = () =>
  new Option('-c, --config <file>', 'config file (default: $TRAILWATCH_CONFIG or ./trailwatch.yaml)');
