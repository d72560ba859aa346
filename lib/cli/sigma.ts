import { Option, type Command } from 'commander';
import { UserError } from '../core/errors';
import { convertSigma, readSigmaSources, renderSigma, SIGMA_TARGETS, SigmaError, SigmaPathError, type Rendered, type SigmaConversion, type SigmaTarget } from '../sigma';

/**
 * `trailwatch sigma convert FILE... [--to cloudwatch|eventbridge|sql] [--json]`: Sigma rules for
 * CloudTrail as CloudWatch filter patterns, EventBridge event patterns or Athena SQL. Fails closed:
 * when any rule cannot be expressed, every refusal is printed (file:line:column, construct, reason)
 * and nothing else. `--skip-unsupported` prints the rules that convert and lists the others on
 * stderr (still an error when none converts). A count rule never converts to EventBridge.
 */
export function register(program: Command): void {
  const sigma = program.command('sigma').description('Sigma rules for AWS CloudTrail (logsource product: aws, service: cloudtrail)');
  sigma
    .command('convert')
    .description('convert Sigma rules (files or folders of .yml) to CloudWatch filter patterns, EventBridge patterns or SQL; refuses any rule it cannot express exactly')
    .argument('<file...>', 'Sigma rule files, or folders searched for .yml / .yaml files')
    .addOption(new Option('--to <target>', 'what to render').choices([...SIGMA_TARGETS]).default('cloudwatch'))
    .option('--json', 'print a JSON array: one object per rule with its metadata, warnings and rendering')
    .option('--skip-unsupported', 'convert the rules that can be expressed and list the others on stderr (file:line:column, construct, reason) instead of refusing them all')
    .action((files: string[], opts: { to: SigmaTarget; json?: boolean; skipUnsupported?: boolean }) => {
      let sources;
      try {
        sources = readSigmaSources(files);
      } catch (e) {
        if (e instanceof SigmaPathError) throw new UserError(e.message);
        throw e;
      }
      const results = convertSigma(sources);
      const refusals: SigmaError[] = [];
      const done: { c: SigmaConversion; r: Rendered }[] = [];
      for (const res of results) {
        if (!res.ok) {
          refusals.push(res.error);
          continue;
        }
        try {
          done.push({ c: res.conversion, r: renderSigma(res.conversion, opts.to) });
        } catch (e) {
          if (e instanceof SigmaError) refusals.push(e);
          else throw e;
        }
      }
      if (refusals.length > 0 && opts.skipUnsupported && done.length > 0) {
        for (const e of refusals) process.stderr.write(`trailwatch: skipped: ${e.message}\n`);
        process.stderr.write(`trailwatch: ${refusals.length} of ${results.length} Sigma rules skipped (cannot be converted to ${opts.to}); ${done.length} converted\n`);
      } else if (refusals.length > 0) {
        for (const e of refusals) process.stderr.write(`trailwatch: error: ${e.message}\n`);
        if (opts.skipUnsupported) throw new UserError(`none of the ${results.length} Sigma rule${results.length === 1 ? '' : 's'} can be converted to ${opts.to}; nothing was printed`);
        throw new UserError(`${refusals.length} of ${results.length} Sigma rule${results.length === 1 ? '' : 's'} cannot be converted to ${opts.to}; nothing was printed (fix or remove ${refusals.length === 1 ? 'it' : 'them'})`);
      }
      for (const { c } of done) for (const w of c.warnings) process.stderr.write(`trailwatch: warning: ${w}\n`);
      if (opts.json) {
        const out = done.map(({ c, r }) => ({
          file: c.sigma.file,
          line: c.sigma.line,
          sigmaId: c.sigma.id,
          id: c.control.id,
          title: c.sigma.title,
          author: c.sigma.author ?? null,
          references: c.sigma.references,
          level: c.sigma.level ?? null,
          severity: c.control.severity,
          attack: c.control.attack ?? { tactics: [], techniques: [] },
          alarm: c.control.alarm ?? null,
          description: c.description,
          warnings: c.warnings,
          target: r.target,
          ...(r.target === 'sql' ? { query: r.query } : r.target === 'eventbridge' ? { pattern: r.pattern, state: r.state } : { pattern: r.pattern, ...(r.contributorInsights ? { contributorInsights: r.contributorInsights } : {}) }),
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      for (const { c, r } of done) {
        const per = c.control.alarm?.per ? ` by one ${c.control.alarm.per.join(' + ')}` : '';
        const alarm = c.control.alarm ? ` alarm: >= ${c.control.alarm.threshold} in ${c.control.alarm.period} s${per}` : '';
        const attack = c.control.attack ? [...c.control.attack.techniques, ...c.control.attack.tactics].join(' ') : '';
        const state = r.target === 'eventbridge' ? ` state: ${r.state}` : '';
        // Each rule's header is a comment in the language printed: `--` for SQL, `#` for patterns (shell-style, as pasted into a script).
        process.stdout.write(`${r.target === 'sql' ? '--' : '#'} ${c.sigma.title} (${c.sigma.id}, ${c.sigma.file}${c.sigma.author ? `, by ${c.sigma.author}` : ''})${attack ? ` [${attack}]` : ''}${alarm}${state}\n`);
        process.stdout.write(`${r.target === 'sql' ? r.query : r.target === 'eventbridge' ? JSON.stringify(r.pattern) : r.pattern}\n`);
        // A count per value is a Contributor Insights rule: its keys and filters, as the rule body holds them.
        if (r.target === 'cloudwatch' && r.contributorInsights) process.stdout.write(`# Contributor Insights: ${JSON.stringify({ Keys: r.contributorInsights.keys, Filters: r.contributorInsights.filters })}\n`);
      }
    });
}
