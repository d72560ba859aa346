/**
 * Stack feature: `trail.archive.query: {engine: athena}`. In the querying account's stack (security
 * by default) it adds, under the construct id `archive-query` (public contract):
 *
 * - `table`: the Glue database and the CloudTrail table with partition projection (table.ts);
 * - `workgroup`: the enforcing Athena workgroup, its results bucket and key (workgroup.ts);
 * - `role`: the named query role (role.ts);
 * - `queries/<detection id>`: one saved (named) query per enabled detection, counting matches per
 *   alarm period; `queries/hunt-<id>`: the hunting queries (sql.ts).
 *
 * The archive's bucket and key policies grant the role read of the log prefix from the log-archive
 * stack (lib/trail/archive-policies.ts), from the same plan.
 */
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { Construct } from 'constructs';
import type { AccountPlan } from '../core/organization';
import { sqlDetections } from '../monitoring/sql';
import type { MonitoringPlan } from '../monitoring/plan';
import type { RegionalProviders } from '../providers/regional-providers';
import { holdsQuery, RESULTS_KEY_ALIAS, tableLocation, type QueryPlan } from './plan';
import { QueryRole } from './role';
import { HUNTING_QUERIES, periodQuery } from './sql';
import { CloudTrailTable } from './table';
import { terraformText } from './terraform-text';
import { QueryWorkgroup } from './workgroup';

export interface QueryFeatureProps {
  readonly account: AccountPlan;
  /** The Plan's archive query (undefined: none). */
  readonly query: QueryPlan | undefined;
  /** The Plan's detections: one saved query each. */
  readonly detections: MonitoringPlan;
  /** Account of the log archive (the role reads its bucket). */
  readonly archiveAccountId: string;
  readonly providers: RegionalProviders;
}

export function queryFeature(stack: Construct, props: QueryFeatureProps): void {
  const plan = props.query;
  if (!plan || !holdsQuery(plan, props.account)) return;
  new ArchiveQuery(stack, 'archive-query', { ...props, plan });
}

/** A named query's description limit (Athena CreateNamedQuery). */
const MAX_DESCRIPTION = 1024;

class ArchiveQuery extends Construct {
  constructor(scope: Construct, id: string, props: QueryFeatureProps & { plan: QueryPlan }) {
    super(scope, id);
    const { plan } = props;
    const provider = props.providers.ensure(plan.region);
    const where = tableLocation(plan);
    const table = new CloudTrailTable(this, 'table', {
      provider,
      database: plan.database,
      table: plan.table,
      location: where.location,
      locationTemplate: where.template,
      accountIds: plan.accountIds,
      regions: plan.regions,
      firstDay: plan.firstDay,
    });
    const workgroup = new QueryWorkgroup(this, 'workgroup', {
      provider,
      accountId: plan.accountId,
      workgroupName: plan.workgroup,
      resultsBucketName: plan.resultsBucketName,
      resultsKeyAlias: RESULTS_KEY_ALIAS,
      bytesScannedCutoffPerQuery: plan.bytesScannedCutoffPerQuery,
      resultsExpirationDays: plan.resultsExpirationDays,
    });
    new QueryRole(this, 'role', {
      provider,
      accountId: plan.accountId,
      region: plan.region,
      roleName: plan.roleName,
      workgroupArn: workgroup.workgroupArn,
      database: plan.database,
      table: plan.table,
      resultsBucketArn: workgroup.resultsBucketArn,
      resultsKeyArn: workgroup.resultsKeyArn,
      archiveBucket: plan.archiveBucket,
      archiveAccountId: props.archiveAccountId,
      archivePrefix: plan.archivePrefix,
    });

    const queries = new Construct(this, 'queries');
    const save = (id: string, description: string, sql: string) =>
      new AthenaNamedQuery(queries, id, {
        provider,
        name: `trailwatch-${id}`,
        description: terraformText(description.slice(0, MAX_DESCRIPTION)),
        database: table.databaseName,
        workgroup: workgroup.workgroupName,
        query: terraformText(sql),
      });
    const params = 'Parameters: first and last partition day (yyyy/MM/dd), then the event-time window [from, to) as ISO times.';
    for (const d of sqlDetections(props.detections)) {
      if ('skipped' in d) continue;
      save(d.id, `${d.title}. Matches per alarm period (${d.alarm.period} s). ${params}`, periodQuery(d.condition, { table: plan.table, period: d.alarm.period, title: `${d.id}: ${d.title}` }));
    }
    for (const h of HUNTING_QUERIES) save(`hunt-${h.id}`, `${h.description} ${params}`, `-- ${h.id}: ${h.description}\n${h.sql(plan.table)}`);
  }
}
