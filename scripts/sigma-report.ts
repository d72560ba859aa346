/**
 * `npm run sigma:report [-- FOLDER...]`: how many Sigma CloudTrail rules convert, and why each other
 * one does not. Default folders: ../shared/sigma-aws-cloudtrail/{rules,unsupported} (SigmaHQ's 57
 * CloudTrail rules and 8 count-based ones), else the vendored copies under vendor/sigma and
 * vendor/sigma-cloudtrail (the same set).
 * A rule counts as converted when it converts and renders to CloudWatch, EventBridge and SQL; one
 * that renders to some targets only is listed with the target that refuses it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { convertSigma, readSigmaSources, renderSigma, SIGMA_TARGETS, SigmaError, type SigmaTarget } from '../lib/sigma';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '../shared/sigma-aws-cloudtrail');
function folders(): string[] {
  const args = process.argv.slice(2);
  return args.length > 0 ? args : fs.existsSync(shared) ? [path.join(shared, 'rules'), path.join(shared, 'unsupported')] : VENDORED_SIGMA;
}

/** The report: a summary line, then the partly converted and the refused rules, one line each. */
export function sigmaReport(folders: readonly string[]): string {
  const results = convertSigma(readSigmaSources(folders, root));
  let full = 0;
  const partial: string[] = [];
  const refused: string[] = [];
  for (const r of results) {
    if (!r.ok) {
      refused.push(`- ${path.basename(r.error.file)}:${r.error.line}:${r.error.column} ${r.title ? `"${r.title}"` : ''}: ${r.error.construct}: ${r.error.reason}`);
      continue;
    }
    const failed: string[] = [];
    for (const t of SIGMA_TARGETS as readonly SigmaTarget[]) {
      try {
        renderSigma(r.conversion, t);
      } catch (e) {
        if (!(e instanceof SigmaError)) throw e;
        failed.push(`${t} (${e.reason})`);
      }
    }
    if (failed.length === 0) full++;
    else partial.push(`- ${path.basename(r.conversion.sigma.file)} "${r.conversion.sigma.title}": converts, but not to ${failed.join('; ')}`);
  }
  const lines = [`Sigma rules: ${results.length}; convert to CloudWatch, EventBridge and SQL: ${full}; to some targets only: ${partial.length}; refused: ${refused.length}`];
  if (partial.length > 0) lines.push('', 'Partly converted:', ...partial);
  if (refused.length > 0) lines.push('', 'Refused:', ...refused);
  return lines.join('\n') + '\n';
}

/** The vendored copies of SigmaHQ's CloudTrail rules (the same set as ../shared/sigma-aws-cloudtrail). */
export const VENDORED_SIGMA = [path.join(root, 'vendor/sigma'), path.join(root, 'vendor/sigma-cloudtrail')];

if (require.main === module) process.stdout.write(sigmaReport(folders()));
