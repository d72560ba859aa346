import { Option } from 'commander';
import { formatProblem, loadConfig, resolveConfigPath, type LoadedConfig } from '../config/load';

/** --config FILE, shared by every command that reads trailwatch.yaml. */
export const configOption = () =>
  new Option('-c, --config <file>', 'config file (default: $TRAILWATCH_CONFIG or ./trailwatch.yaml)');

/** Loads the config named by --config (or the default) and prints its warnings on stderr. */
export function loadConfigForCli(flag: string | undefined): LoadedConfig & { file: string } {
  const file = resolveConfigPath(flag);
  const loaded = loadConfig(file);
  for (const w of loaded.warnings) process.stderr.write(`trailwatch: warning: ${formatProblem(file, w)}\n`);
  return { ...loaded, file };
}
