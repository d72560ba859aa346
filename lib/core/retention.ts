/**
 * How long logs are kept. CloudWatch Logs accepts only the retention values below (PutRetentionPolicy;
 * 0 keeps events forever). CIS AWS Foundations and Security Hub expect at least a year of CloudTrail
 * history, and a year is what every log group and the archive keep unless the config says otherwise.
 */
export const LOG_RETENTION_DAYS = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** CIS AWS Foundations and Security Hub expect at least a year of CloudTrail history in CloudWatch Logs. */
export const MIN_RECOMMENDED_RETENTION_DAYS = 365;
/** Days log groups, the archive's log files and its access logs are kept when the config names none. */
export const DEFAULT_RETENTION_DAYS = MIN_RECOMMENDED_RETENTION_DAYS;
