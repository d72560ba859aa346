/**
 * `monitoring:` and `alerting:` sections of trailwatch.yaml (issue: detections and alerting).
 * Placeholder: that issue defines the schemas here and their semantic checks.
 */
import { z } from 'zod';
import type { ConfigProblem } from '../load';
import type { ParsedConfig } from '../schema';

export const MonitoringSchema = z.strictObject({}).meta({ description: 'CIS monitoring controls: metric filters and alarms.' });
export const AlertingSchema = z.strictObject({}).meta({ description: 'Where alerts go: the SNS topic and its subscriptions.' });

export function monitoringProblems(_config: ParsedConfig): ConfigProblem[] {
  return [];
}
