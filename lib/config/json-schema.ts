/**
 * trailwatch.schema.json and docs/config-reference.md are generated from the zod schema, so the
 * editor completion, the reference and the validation can never disagree. `npm run schema`
 * rewrites both; a test fails when the committed files are stale.
 */
import { z } from 'zod';
import { AWS_REGIONS, REGION_NAMES } from '../core/regions';
import { EXTENSION_PREFIX } from './load';
import { ConfigSchema } from './schema';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
};

export function configJsonSchema(): JsonSchema & Record<string, unknown> {
  // io: 'input' documents what a user writes: keys with defaults are optional.
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema & Record<string, unknown>;
  // Top-level x- keys are extension fields for YAML anchors (lib/config/load.ts ignores them).
  return { ...schema, patternProperties: { [`^${EXTENSION_PREFIX}`]: { description: 'An extension field (the Compose convention): a place for YAML anchors that merge keys (`<<: *name`) reuse; ignored.' } } };
}

/** Markdown reference: one table per object, rows are keys with type, required and description. */
export function configReferenceMarkdown(): string {
  const root = configJsonSchema();
  const lines: string[] = [
    '# trailwatch.yaml reference',
    '',
    '<!-- Generated from lib/config/schema.ts by `npm run schema`; do not edit by hand. -->',
    '',
    `${root.description ?? ''} Editors that understand JSON Schema autocomplete the file through the`,
    '`# yaml-language-server: $schema=./trailwatch.schema.json` line at its top.',
    '',
    `YAML merge keys (\`<<: *name\`) are expanded, and top-level keys starting with \`${EXTENSION_PREFIX}\` are ignored: they are`,
    'extension fields (the Compose convention) that hold the anchors merge keys reuse.',
    '',
  ];
  const seen = new Map<string, string>();
  const section = (title: string, s: JsonSchema) => {
    if (!s.properties) return;
    const shape = JSON.stringify(s.properties);
    const first = seen.get(shape);
    if (first !== undefined) {
      lines.push(`## \`${title}\``, '', `Same keys as \`${first}\`.`, '');
      return;
    }
    seen.set(shape, title);
    lines.push(`## \`${title}\``, '');
    if (s.description) lines.push(s.description, '');
    lines.push('| key | type | required | description |', '| --- | --- | --- | --- |');
    const nested: [string, JsonSchema][] = [];
    for (const [key, raw] of Object.entries(s.properties)) {
      const prop = raw;
      lines.push(`| \`${key}\` | ${typeOf(prop)} | ${s.required?.includes(key) ? 'yes' : 'no'} | ${escapeCell(prop.description ?? '')} |`);
      for (const [suffix, child] of objectChildren(prop)) nested.push([`${title === ROOT ? '' : `${title}.`}${key}${suffix}`, child]);
    }
    lines.push('');
    for (const [t, child] of nested) section(t, child);
  };
  section(ROOT, root);
  lines.push('## Regions', '', 'Opt-in regions are disabled in new accounts; trailwatch uses them only where the config lists them.', '');
  lines.push('| region | opt-in |', '| --- | --- |', ...AWS_REGIONS.map((r) => `| \`${r.name}\` | ${r.optIn ? 'yes' : 'no'} |`), '');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

const ROOT = '(top level)';

function objectChildren(s: JsonSchema): [string, JsonSchema][] {
  if (s.properties) return [['', s]];
  if (s.items) return objectChildren(s.items).map(([suffix, c]) => [`[]${suffix}`, c]);
  // A map (z.record) of objects: document the value object under `.<key>`.
  if (s.additionalProperties && typeof s.additionalProperties === 'object') return objectChildren(s.additionalProperties).map(([suffix, c]) => [`.<key>${suffix}`, c]);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    return alts.flatMap((alt) => {
      // The discriminator: the first key with a constant value (`type`, `protocol`, ...).
      const tagKey = Object.keys(alt.properties ?? {}).find((k) => alt.properties![k].const !== undefined);
      const tag = tagKey !== undefined ? alt.properties![tagKey].const : undefined;
      return objectChildren(alt).map(([suffix, c]) => [tag !== undefined ? ` (${tagKey}: ${String(tag)})${suffix}` : suffix, c] as [string, JsonSchema]);
    });
  }
  return [];
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum && s.enum.length === REGION_NAMES.length && s.enum.every((e, i) => e === REGION_NAMES[i])) return 'region ([list](#regions))';
  if (s.enum) return s.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  if (s.anyOf ?? s.oneOf) return [...new Set((s.anyOf ?? s.oneOf)!.map(typeOf))].join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
  const t = Array.isArray(s.type) ? s.type.join(' \\| ') : s.type ?? 'any';
  return s.pattern ? `${t} (\`${s.pattern.replace(/\|/g, '\\|')}\`)` : t;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
