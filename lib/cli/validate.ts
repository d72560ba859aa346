import type { Command } from 'commander';
import { planOrganization } from '../plan/account-plan';
import { configOption, loadConfigForCli } from './options';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check the config (every problem at once, with line:column) without writing anything')
    .addOption(configOption())
    .action((opts: { config?: string }) => {
      const { config, file } = loadConfigForCli(opts.config);
      const plan = planOrganization(config);
      process.stdout.write(`${file}: valid (${plan.accounts.length} account stacks, ${plan.config.organization.regions.length} governed regions)\n`);
    });
}
