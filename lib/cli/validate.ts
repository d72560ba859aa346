import type { Command } from 'commander';
import { loadConfigFile, resolveConfigPath } from '../config/load';
import { planOrganization } from '../plan/account-plan';
import { configOption } from './options';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check the config (every problem at once, with line:column) without writing anything')
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const file = resolveConfigPath(opts.config);
      const plan = planOrganization(loadConfigFile(file));
      process.stdout.write(`${file}: valid (${plan.accounts.length} account stacks, ${plan.config.organization.regions.length} governed regions)\n`);
    });
}
