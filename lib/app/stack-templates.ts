/**
 * Member stacks of one shape (same config entry apart from id and name) differ only where the
 * account id and the stack name appear. So for a shape with many members, trailwatch synthesizes
 * one prototype stack whose account has a sentinel id and name, and writes every member's stack by
 * replacing the sentinels with its id and name: string work instead of a cdktf synth per account.
 *
 * This is only sound if nothing in a stack is derived from the id or name in another way (hashed,
 * truncated, re-cased). That is checked at every synth, not assumed: the shape's first member is
 * also synthesized for real, and the shape is templated only if the derived copy of that member is
 * byte-identical to it; otherwise every member of the shape is synthesized for real.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ParsedConfig } from '../config/schema';
import type { AccountPlan } from '../core/organization';

/** Shapes with fewer members are synthesized for real (a template costs two synths). */
export const MIN_TEMPLATE_MEMBERS = 3;

export interface ShapeGroup {
  /** Members in config order; members[0] is synthesized for real and checks the template. */
  readonly members: readonly AccountPlan[];
  /** Index in config.accounts of members[0]. */
  readonly firstIndex: number;
}

/** Groups member accounts whose config entries are equal apart from id and name. */
export function memberShapes(config: ParsedConfig, selected: readonly AccountPlan[]): ShapeGroup[] {
  const byName = new Map(selected.filter((p) => p.role === 'member').map((p) => [p.stackName, p]));
  const groups = new Map<string, { members: AccountPlan[]; firstIndex: number }>();
  config.accounts.forEach((entry, index) => {
    const plan = byName.get(entry.name);
    if (!plan) return;
    const { id: _id, name: _name, ...rest } = entry;
    void _id;
    void _name;
    const key = stableJson(rest);
    const g = groups.get(key);
    if (g) g.members.push(plan);
    else groups.set(key, { members: [plan], firstIndex: index });
  });
  return [...groups.values()].filter((g) => g.members.length >= MIN_TEMPLATE_MEMBERS);
}

export interface Sentinel {
  readonly id: string;
  readonly name: string;
}

/** A sentinel id and name that occur nowhere in the config, so every occurrence in the output is theirs. */
export function chooseSentinel(config: ParsedConfig): Sentinel {
  const text = JSON.stringify(config);
  for (let i = 0; ; i++) {
    const id = String(987654321000 + i).padStart(12, '0');
    const name = `zz-trailwatch-template-${i}`;
    if (!text.includes(id) && !text.includes(name)) return { id, name };
  }
}

/** The config with the shape's first member replaced by the sentinel account. */
export function prototypeConfig(config: ParsedConfig, group: ShapeGroup, sentinel: Sentinel): ParsedConfig {
  const accounts = config.accounts.map((a, i) => (i === group.firstIndex ? { ...a, id: sentinel.id, name: sentinel.name } : a));
  return { ...config, accounts };
}

export interface Template {
  readonly stackJson: string;
  readonly manifestEntry: string;
}

/** Reads a synthesized prototype; undefined if its folder holds more than cdk.tf.json (assets cannot be templated). */
export function readTemplate(stacksDir: string, sentinel: Sentinel, manifestEntry: unknown): Template | undefined {
  const dir = path.join(stacksDir, sentinel.name);
  const files = fs.readdirSync(dir);
  if (files.length !== 1 || files[0] !== 'cdk.tf.json') return undefined;
  return { stackJson: fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'), manifestEntry: JSON.stringify(manifestEntry) };
}

export function instantiate(text: string, sentinel: Sentinel, account: AccountPlan): string {
  return text.split(sentinel.name).join(account.stackName).split(sentinel.id).join(account.accountId);
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val !== null && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : 1))) : val,
  );
}
