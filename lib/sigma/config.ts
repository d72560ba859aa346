/**
 * `monitoring.sigma` in trailwatch.yaml: the rule files it names, converted for the detections
 * plan (lib/monitoring/plan.ts). Paths are relative to the config file: the loader makes them
 * absolute with `resolveSigmaPaths` before validation, so every later reader (plan, workers) sees
 * the same files wherever it runs from.
 */
import * as path from 'path';
import type { ConfigProblem, PathSegment } from '../core/problems';
import { convertSigma, type SigmaConversion } from './convert';
import { readSigmaSources, SigmaPathError } from './load';
import { renderSigma } from './render';
import { SigmaError } from './yaml';

/** Makes `monitoring.sigma` entries of a parsed-but-unvalidated config absolute (relative to the config file). */
export function resolveSigmaPaths(raw: unknown, configFile: string): void {
  const monitoring = (raw as { monitoring?: unknown } | null)?.monitoring;
  const list = (monitoring as { sigma?: unknown } | null | undefined)?.sigma;
  if (!Array.isArray(list)) return;
  const dir = path.dirname(path.resolve(configFile));
  for (let i = 0; i < list.length; i++) if (typeof list[i] === 'string' && list[i] !== '') list[i] = path.resolve(dir, list[i] as string);
}

export interface PlannedSigmaRule {
  readonly conversion: SigmaConversion;
  /** The `monitoring.sigma` entry it came from. */
  readonly path: PathSegment[];
}

export interface SigmaPlan {
  readonly rules: readonly PlannedSigmaRule[];
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

/** The converted rules of `monitoring.sigma`, or the problems (each refusal with its file:line). */
export function planSigma(paths: readonly string[] | undefined): SigmaPlan {
  if (!paths || paths.length === 0) return { rules: [], problems: [], warnings: [] };
  const problems: ConfigProblem[] = [];
  const sources: { file: string; text: string; index: number }[] = [];
  paths.forEach((p, index) => {
    try {
      for (const s of readSigmaSources([p])) sources.push({ ...s, index });
    } catch (e) {
      if (!(e instanceof SigmaPathError)) throw e;
      problems.push({ path: ['monitoring', 'sigma', index], message: e.message });
    }
  });
  if (problems.length > 0) return { rules: [], problems, warnings: [] };
  const indexOf = new Map(sources.map((s) => [s.file, s.index]));
  const at = (file: string): PathSegment[] => ['monitoring', 'sigma', indexOf.get(file) ?? 0];
  const rules: PlannedSigmaRule[] = [];
  const warnings: ConfigProblem[] = [];
  for (const r of convertSigma(sources)) {
    if (!r.ok) {
      problems.push({ path: at(r.error.file), message: `Sigma rule cannot be converted: ${r.error.message} (fix the rule or leave its file out)` });
      continue;
    }
    const c = r.conversion;
    try {
      renderSigma(c, 'cloudwatch');
    } catch (e) {
      if (!(e instanceof SigmaError)) throw e;
      problems.push({ path: at(c.sigma.file), message: `Sigma rule cannot be converted: ${e.message}` });
      continue;
    }
    rules.push({ conversion: c, path: at(c.sigma.file) });
    for (const w of c.warnings) warnings.push({ path: at(c.sigma.file), message: `Sigma rule ${c.sigma.title}: ${w}` });
  }
  return { rules, problems, warnings };
}
