/**
 * AWS commercial regions trailwatch knows. `optIn` regions are disabled in a new account until
 * an administrator enables them, so trailwatch only uses them where the config lists them.
 * Source: AWS General Reference, "AWS Regions" (regions introduced after March 2019 are opt-in).
 */
import { z } from 'zod';

export interface RegionInfo {
  readonly name: string;
  readonly optIn: boolean;
}

export const AWS_REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', optIn: false },
  { name: 'us-east-2', optIn: false },
  { name: 'us-west-1', optIn: false },
  { name: 'us-west-2', optIn: false },
  { name: 'ca-central-1', optIn: false },
  { name: 'sa-east-1', optIn: false },
  { name: 'eu-central-1', optIn: false },
  { name: 'eu-west-1', optIn: false },
  { name: 'eu-west-2', optIn: false },
  { name: 'eu-west-3', optIn: false },
  { name: 'eu-north-1', optIn: false },
  { name: 'ap-south-1', optIn: false },
  { name: 'ap-northeast-1', optIn: false },
  { name: 'ap-northeast-2', optIn: false },
  { name: 'ap-northeast-3', optIn: false },
  { name: 'ap-southeast-1', optIn: false },
  { name: 'ap-southeast-2', optIn: false },
  { name: 'af-south-1', optIn: true },
  { name: 'ap-east-1', optIn: true },
  { name: 'ap-south-2', optIn: true },
  { name: 'ap-southeast-3', optIn: true },
  { name: 'ap-southeast-4', optIn: true },
  { name: 'ap-southeast-5', optIn: true },
  { name: 'ap-southeast-7', optIn: true },
  { name: 'ca-west-1', optIn: true },
  { name: 'eu-central-2', optIn: true },
  { name: 'eu-south-1', optIn: true },
  { name: 'eu-south-2', optIn: true },
  { name: 'il-central-1', optIn: true },
  { name: 'me-central-1', optIn: true },
  { name: 'me-south-1', optIn: true },
  { name: 'mx-central-1', optIn: true },
];

export const REGION_NAMES = AWS_REGIONS.map((r) => r.name) as [string, ...string[]];

/** The regions enabled in every account by default (17 today). */
export const DEFAULT_ENABLED_REGIONS = AWS_REGIONS.filter((r) => !r.optIn).map((r) => r.name);

/** Global services (IAM, STS, Organizations, console sign-in) deliver their events here. */
export const GLOBAL_SERVICE_REGION = 'us-east-1';

export function isOptInRegion(name: string): boolean {
  return AWS_REGIONS.some((r) => r.name === name && r.optIn);
}

/** Refuses a list naming the same region twice, naming the region, at the second entry. */
export const noRepeatedRegion = (rs: readonly string[], ctx: z.core.$RefinementCtx<string[]>): void => {
  rs.forEach((r, i) => {
    const first = rs.indexOf(r);
    if (first !== i) ctx.addIssue({ code: 'custom', path: [i], input: r, message: `${r} is already listed (entry ${first + 1}); list each region once` });
  });
};

/** A region name of the list above. */
export const RegionSchema = z
  .enum(REGION_NAMES, {
    error: (iss) => `unknown region ${typeof iss.input === 'string' ? JSON.stringify(iss.input) : iss.input === undefined ? 'nothing' : String(iss.input)}; expected one of ${REGION_NAMES.join(', ')}`,
  })
  .meta({ description: 'AWS region name' });

/** One or more regions, none twice. */
export const RegionListSchema = z.array(RegionSchema).min(1, { error: 'expected at least one region' }).superRefine(noRepeatedRegion);
