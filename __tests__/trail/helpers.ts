/** Helpers of the trail tests: synthesize configs, find resources, parse policy documents. */
import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { ConfigError, parseConfigText } from '../../lib/config/load';
import type { ParsedConfig } from '../../lib/config/schema';
import { MINIMAL_YAML } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

export type TfJson = Record<string, any>;

/** MINIMAL_YAML (management 111.., log-archive 222.., prod-app 444.., dev-app 555.. in eu-west-1 only) plus `extra`. */
export function config(extra = ''): ParsedConfig {
  return parseConfigText(MINIMAL_YAML + extra, 'test.yaml');
}

/** Every stack of a config, synthesized and parsed, by stack name. */
export function synth(extraOrConfig: string | ParsedConfig = ''): Record<string, TfJson> {
  const cfg = typeof extraOrConfig === 'string' ? config(extraOrConfig) : extraOrConfig;
  const { stacks } = buildApp(planAll(cfg), { outdir: Testing.app().outdir });
  return Object.fromEntries(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as TfJson]));
}

/**
 * The resource of a type at a construct path inside its stack (e.g. 'log-archive/bucket/policy').
 * cdktf names it `<path joined by _, repeated parts once>_<hash>`; Testing.synth drops the path metadata.
 */
export function resource(stack: TfJson, type: string, path: string): TfJson {
  const human = path.split('/').filter((p, i, a) => i === 0 || p !== a[i - 1]).join('_');
  const hits = Object.entries((stack.resource?.[type] ?? {}) as Record<string, TfJson>).filter(([name]) => new RegExp(`^${escape(human)}_[0-9A-F]{8}$`).test(name));
  if (hits.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${hits.length}`);
  return hits[0][1];
}

/** The Terraform address name of the resource at a construct path. */
export function addressOf(stack: TfJson, type: string, path: string): string {
  const r = resource(stack, type, path);
  return Object.entries(stack.resource[type] as Record<string, TfJson>).find(([, v]) => v === r)![0];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Resources of a type in a stack created by the trail feature's constructs (other features add
 * their own resources, e.g. an alerting key, to the same stacks).
 */
export function all(stack: TfJson, type: string): TfJson[] {
  return Object.entries((stack.resource?.[type] ?? {}) as Record<string, TfJson>)
    .filter(([name]) => TRAIL_CONSTRUCTS.test(name))
    .map(([, r]) => r);
}

/** Address prefixes of the trail feature's constructs (their ids are the public contract). */
export const TRAIL_CONSTRUCTS = /^(trail|cloudwatch-logs|notifications|log-archive|existing-log-group)_/;

export function trailOf(stack: TfJson): TfJson {
  return resource(stack, 'aws_cloudtrail', 'trail/trail');
}

export interface Statement {
  Sid: string;
  Effect: string;
  Principal?: any;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy JSON string's statements, by Sid. */
export function statements(policy: string): Record<string, Statement> {
  const doc = JSON.parse(policy) as { Version: string; Statement: Statement[] };
  expect(doc.Version).toBe('2012-10-17');
  return Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
}

/** The problems ("path: message") of a config that must be refused. */
export function problems(extra: string): string[] {
  try {
    parseConfigText(MINIMAL_YAML + extra, 'test.yaml');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

export const MGMT = '111111111111';
export const ARCHIVE = '222222222222';
export const ORG_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/trailwatch`;
export const BUCKET = `trailwatch-cloudtrail-${ARCHIVE}-us-east-1`;
export const ACCESS_LOGS = `trailwatch-access-logs-${ARCHIVE}-us-east-1`;
