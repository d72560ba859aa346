/**
 * SARIF 2.1.0 (OASIS "Static Analysis Results Interchange Format", the format GitHub code scanning
 * uploads: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * one run of the `trailwatch` tool, each finding a result at its config file:line:column, so a pull
 * request shows it on the line it is about. The types come from @types/sarif (the 2.1.0 schema as
 * TypeScript), so a missing required property is a compile error.
 */
import * as path from 'path';
import type { Log, ReportingDescriptor, Result } from 'sarif';

export interface SarifFinding {
  /** The rule (a lint rule id, or `config` for a config problem). */
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
  /** The file the finding is in (absolute or relative to the current folder). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface SarifRule {
  readonly id: string;
  readonly description: string;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function renderSarif(findings: readonly SarifFinding[], rules: readonly SarifRule[], tool: { readonly version: string }): string {
  const used = new Set(findings.map((f) => f.ruleId));
  const descriptors: ReportingDescriptor[] = rules.filter((r) => used.has(r.id)).map((r) => ({ id: r.id, shortDescription: { text: r.description } }));
  for (const id of used) if (!descriptors.some((d) => d.id === id)) descriptors.push({ id });
  const results: Result[] = findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: descriptors.findIndex((d) => d.id === f.ruleId),
    level: f.level,
    message: { text: f.message },
    ...(f.file !== undefined
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(f.file),
                // SARIF lines and columns start at 1; a finding with no position points at the file's first line.
                region: { startLine: f.line ?? 1, ...(f.column !== undefined ? { startColumn: f.column } : {}) },
              },
            },
          ],
        }
      : {}),
  }));
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'trailwatch', version: tool.version, rules: descriptors } },
        ...(findings.some((f) => f.file !== undefined && !path.isAbsolute(relative(f.file))) ? { originalUriBaseIds: { SRCROOT: { uri: `file://${pathToUri(process.cwd())}/` } } } : {}),
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** A file inside the current folder (the repository, in CI) by its relative path from %SRCROOT%, as code scanning expects; others by file:// URI. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  const rel = relative(file);
  return path.isAbsolute(rel) ? { uri: `file://${pathToUri(rel)}` } : { uri: pathToUri(rel), uriBaseId: 'SRCROOT' };
}

function relative(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(process.cwd(), abs);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function pathToUri(p: string): string {
  return p.split(path.sep).map(encodeURIComponent).join('/');
}
