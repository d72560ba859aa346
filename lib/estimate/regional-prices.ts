/**
 * Regional prices, per service: what one unit costs in each region, for the price of the service
 * that varies most (CloudWatch Logs ingestion and storage, S3 Standard storage), and whether that
 * value was read in a stored source or is an estimate. Every price of a service in a region is its
 * us-east-1 price (prices.ts) times that region's ratio for the service; the ratio is written on
 * each line item (`regionFactor`).
 *
 * AWS's Price List (the bulk JSON files of https://pricing.us-east-1.amazonaws.com) cannot be
 * fetched from this project's machines, so this is a dated, hand-kept extract. Update a value with
 * its `source` (or drop `estimate`) and REGIONAL_PRICES_READ together; README "Cost estimate"
 * shows this table (npm run docs:figures).
 */

export const REGIONAL_PRICES_READ = '2026-12-07';

/** The billed services of the estimate, by how their prices vary across regions. */
export type Service = 'cloudtrail' | 'logs-ingestion' | 'logs-storage' | 'cloudwatch' | 'kms' | 'eventbridge' | 'sns' | 'lambda' | 's3';

export interface RegionalValue {
  /** USD of the service's reference unit in the region. */
  readonly usd: number;
  /** Not read in a stored source: a value recalled from AWS's price list, to verify. */
  readonly estimate?: true;
  readonly source?: string;
}

export interface VaryingService {
  /** The reference price the values are of. */
  readonly unit: string;
  readonly byRegion: Readonly<Record<string, RegionalValue>>;
}

const AWSI = 'https://awsi.click/en/articles/cloudwatch-logs-cost-structure-surprise/';
const e = (usd: number): RegionalValue => ({ usd, estimate: true });
const s = (usd: number, source: string): RegionalValue => ({ usd, source });

/** Services whose list prices differ by region. */
export const VARYING: Readonly<Record<'logs-ingestion' | 'logs-storage' | 's3', VaryingService>> = {
  'logs-ingestion': {
    unit: 'CloudWatch Logs ingestion, USD per GB (Standard class)',
    byRegion: {
      'us-east-1': s(0.5, 'https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/'),
      'us-east-2': e(0.5),
      'us-west-1': e(0.5),
      'us-west-2': e(0.5),
      'ca-central-1': e(0.55),
      'eu-west-1': e(0.57),
      'eu-west-2': e(0.5985),
      'eu-west-3': e(0.5985),
      'eu-central-1': e(0.63),
      'eu-north-1': e(0.5985),
      'eu-south-1': e(0.5985),
      'ap-northeast-1': s(0.76, AWSI),
      'ap-northeast-2': e(0.7),
      'ap-southeast-1': e(0.7),
      'ap-southeast-2': e(0.7),
      'ap-south-1': e(0.5985),
      'sa-east-1': e(0.9),
    },
  },
  'logs-storage': {
    unit: 'CloudWatch Logs storage, USD per GB-month',
    byRegion: {
      'us-east-1': e(0.03),
      'us-east-2': e(0.03),
      'us-west-1': e(0.03),
      'us-west-2': e(0.03),
      'ca-central-1': e(0.033),
      'eu-west-1': e(0.03),
      'eu-west-2': e(0.0315),
      'eu-west-3': e(0.0315),
      'eu-central-1': e(0.0324),
      'eu-north-1': e(0.0315),
      'eu-south-1': e(0.0315),
      'ap-northeast-1': s(0.033, AWSI),
      'ap-northeast-2': e(0.0324),
      'ap-southeast-1': e(0.033),
      'ap-southeast-2': e(0.033),
      'ap-south-1': e(0.0315),
      'sa-east-1': e(0.0408),
    },
  },
  s3: {
    unit: 'S3 Standard storage, USD per GB-month (first 50 TB); the other S3 prices are taken to follow it',
    byRegion: {
      'us-east-1': s(0.023, 'https://go-cloud.io/?p=10624'),
      'us-east-2': e(0.023),
      'us-west-1': e(0.026),
      'us-west-2': e(0.023),
      'ca-central-1': e(0.025),
      'eu-west-1': e(0.023),
      'eu-west-2': e(0.024),
      'eu-west-3': e(0.024),
      'eu-central-1': e(0.0245),
      'eu-north-1': e(0.023),
      'eu-south-1': e(0.024),
      'ap-northeast-1': s(0.025, AWSI),
      'ap-northeast-2': e(0.025),
      'ap-southeast-1': e(0.025),
      'ap-southeast-2': e(0.025),
      'ap-south-1': e(0.025),
      'sa-east-1': e(0.0405),
    },
  },
};

/** Services billed at the us-east-1 rate in every region listed above (an estimate: AWS's pages as commonly quoted). */
export const UNIFORM: readonly Service[] = ['cloudtrail', 'cloudwatch', 'kms', 'eventbridge', 'sns', 'lambda'];

/** Regions with prices: the regions of the table. */
export const PRICED_REGIONS: readonly string[] = Object.keys(VARYING.s3.byRegion);

/** Ratio of a service's price in `region` to us-east-1's; undefined for a region without prices. */
export function regionRatio(service: Service, region: string): number | undefined {
  if (!PRICED_REGIONS.includes(region)) return undefined;
  if (service === 'logs-ingestion' || service === 'logs-storage' || service === 's3') {
    const table = VARYING[service].byRegion;
    return Math.round((table[region].usd / table['us-east-1'].usd) * 10_000) / 10_000;
  }
  return 1;
}
