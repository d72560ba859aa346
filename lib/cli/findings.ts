/**
 * Findings of `lint` and `validate` in the formats CI systems read: SARIF 2.1.0 for code scanning
 * (each finding at its config file:line:column) and JUnit XML for test reports. One shape for both
 * commands, so a config problem looks the same whichever command found it.
 */
import { ConfigError, formatPath, type ConfigProblem } from '../config/load';
import { UserError } from '../core/errors';
import { LINT_RULES } from '../filter-pattern';
import { renderJUnit, type JUnitCase } from '../report/junit';
import { renderSarif, type SarifRule } from '../report/sarif';
import { packageVersion } from './version';

export interface Finding {
  readonly severity: 'error' | 'warning';
  /** A lint rule id (`unknown-cloudtrail-field`), or `config` for any other config problem. */
  readonly rule: string;
  readonly message: string;
  /** The detection whose pattern it is about. */
  readonly detection?: string;
  /** The config path (`monitoring.custom[0].pattern`). */
  readonly path?: string;
  /** The config file. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

const CONFIG_RULE: SarifRule = { id: 'config', description: 'A trailwatch.yaml problem (schema, semantics): trailwatch refuses to synthesize from it.' };
const RULES: readonly SarifRule[] = [...LINT_RULES.map((r) => ({ id: r.id, description: r.description })), CONFIG_RULE];

/** A config problem as a finding, with its lint rule when a pattern's finding is behind it (`... is refused (syntax): ...`). */
export function problemFinding(file: string, p: ConfigProblem, severity: 'error' | 'warning'): Finding {
  const rule = p.rule ?? /is refused \(([a-z-]+)\)/.exec(p.message)?.[1] ?? 'config';
  return { severity, rule, message: p.message, path: formatPath(p.path), file, ...(p.line !== undefined ? { line: p.line, column: p.column } : {}) };
}

/** Whatever stopped a command from reading the config, as findings (a ConfigError lists each problem). */
export function failureFindings(file: string, e: unknown): Finding[] {
  if (e instanceof ConfigError) return e.problems.map((p) => problemFinding(e.file, p, 'error'));
  if (e instanceof UserError) return [{ severity: 'error', rule: 'config', message: e.message, file }];
  throw e;
}

export function findingsAsSarif(findings: readonly Finding[]): string {
  return renderSarif(
    findings.map((f) => ({
      ruleId: f.rule,
      level: f.severity,
      message: `${f.detection ? `${f.detection}: ` : ''}${f.path && !f.message.startsWith(f.path) ? `${f.path}: ` : ''}${f.message}`,
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { column: f.column } : {}),
    })),
    RULES,
    { version: packageVersion() },
  );
}

/** One failing test case per error, one passing case (with its text) per warning, or one passing case for a clean file. */
export function findingsAsJUnit(command: string, file: string, findings: readonly Finding[], seconds: number): string {
  const where = (f: Finding) => (f.line !== undefined ? `${f.file ?? file}:${f.line}:${f.column}` : (f.file ?? file));
  const cases: JUnitCase[] = findings.map((f) => ({
    classname: `${command}.${f.rule}`,
    name: f.path ?? f.detection ?? f.message,
    ...(f.severity === 'error' ? { failure: { message: f.message, detail: `${where(f)}: ${f.message}` } } : { output: `warning: ${where(f)}: ${f.message}` }),
  }));
  if (cases.length === 0) cases.push({ classname: command, name: file });
  return renderJUnit({ name: `trailwatch ${command}`, seconds, cases });
}
