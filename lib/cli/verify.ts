import { Option, type Command } from 'commander';
import { UserError } from '../core/errors';
import { selectStacks } from '../rollout/select';
import { configOption, flagRules, loadConfigForCli, wholeNumber } from './options';
import { checkReportTarget, writeReport } from './report-file';

interface VerifyFlags {
  config?: string;
  stacks: string[];
  json?: boolean;
  markdown?: boolean;
  html?: string;
  junit?: string;
  navigator?: string;
  concurrency: number;
  printPolicy?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('verify')
    .description('check the live organization against the config (read-only AWS calls): exit 0 as planned, 1 with findings, 2 when something could not be checked')
    .addOption(configOption())
    .addOption(
      new Option('-s, --stacks <glob>', "only the account stacks matching this name or glob (e.g. 'prod-*'); repeat or comma-separate for several")
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([] as string[], 'every account'),
    )
    .option('--json', 'print the findings as JSON on stdout')
    .option('--markdown', 'print the findings as a Markdown report on stdout')
    .option('--html <file>', 'also write a self-contained HTML report (account x region grid, findings, ATT&CK coverage)')
    .option('--navigator <file>', 'also write a MITRE ATT&CK Navigator layer (format 4.5) scored by the detections verified as deployed')
    .option('--junit <file>', 'also write a JUnit XML file (one test case per check, account and region) for CI')
    .addOption(new Option('--concurrency <n>', 'checks run at once').argParser(wholeNumber(1, 256)).default(16))
    .option('--print-policy', 'print the IAM policy the read-only role needs (no AWS call) and exit');
  flagRules(command, [
    { flag: 'json', conflicts: ['markdown'], because: 'each chooses the output format' },
    { flag: 'print-policy', conflicts: ['stacks', 'json', 'markdown', 'html', 'navigator', 'junit', 'concurrency'], because: 'it prints the policy and checks nothing' },
  ]);
  command.action(async (opts: VerifyFlags) => {
      if (opts.printPolicy) {
        const { verifyPolicyText } = require('../verify/policy') as typeof import('../verify/policy');
        process.stdout.write(verifyPolicyText());
        return;
      }
      for (const [flag, file] of [['--html', opts.html], ['--junit', opts.junit], ['--navigator', opts.navigator]] as const) if (file) checkReportTarget(file, flag);
      const { config, plan } = loadConfigForCli(opts.config);
      const { planAccounts } = require('../verify/planned') as typeof import('../verify/planned');
      const { runVerify, exitCode } = require('../verify/run') as typeof import('../verify/run');
      const { clientFactory } = require('../verify/aws') as typeof import('../verify/aws');
      const { verifySettings } = require('../verify/settings') as typeof import('../verify/settings');
      const { verifyMarkdown, verifyText, summaryLine } = require('../verify/report/text') as typeof import('../verify/report/text');
      const organization = plan.organization;
      let select: ((p: { stackName: string }) => boolean) | undefined;
      if (opts.stacks.length > 0) {
        const selected = new Set(selectStacks(opts.stacks, organization.accounts.map((a) => a.stackName)));
        select = (p) => selected.has(p.stackName);
      }
      const accounts = await planAccounts(plan, select);
      const { Presets, SingleBar } = require('cli-progress') as typeof import('cli-progress');
      const bar = process.stderr.isTTY ? new SingleBar({ format: 'verify [{bar}] {value}/{total} checks | ETA {eta_formatted}', stream: process.stderr }, Presets.shades_classic) : undefined;
      let result;
      try {
        result = await runVerify({
          organization,
          accounts,
          factory: clientFactory({ ...(config.verify?.roleName ? { roleName: config.verify.roleName } : {}) }),
          settings: verifySettings(config),
          concurrency: opts.concurrency,
          ...(config.verify?.roleName ? { roleName: config.verify.roleName } : {}),
          onProgress: (done, total) => (done === 0 ? bar?.start(total, 0) : bar?.update(done)),
        });
      } finally {
        bar?.stop();
      }
      if (opts.html) {
        const { verifyHtml } = require('../verify/report/html') as typeof import('../verify/report/html');
        writeReport(opts.html, verifyHtml(result, plan), '--html');
      }
      if (opts.navigator) {
        const { computeCoverage } = require('../coverage/coverage') as typeof import('../coverage/coverage');
        const { navigatorLayer } = require('../coverage/navigator') as typeof import('../coverage/navigator');
        const layer = navigatorLayer(computeCoverage(plan), {
          name: `trailwatch verify ${organization.organizationId}`,
          description: `Techniques scored by the number of trailwatch detections verified as deployed (trailwatch verify, ${result.checkedAt})`,
          only: new Set(result.detections.verified),
        });
        writeReport(opts.navigator, JSON.stringify(layer, null, 2) + '\n', '--navigator');
      }
      if (opts.junit) {
        const { verifyJunit } = require('../verify/report/junit') as typeof import('../verify/report/junit');
        writeReport(opts.junit, verifyJunit(result), '--junit');
      }
      if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(opts.markdown ? verifyMarkdown(result) : verifyText(result));
      const code = exitCode(result);
      if (code !== 0) throw new UserError(summaryLine(result), code);
    });
}
