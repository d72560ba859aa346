/**
 * The Glue database and the CloudTrail table Athena queries, with partition projection: the
 * definition AWS documents ("Create the table for CloudTrail logs in Athena using partition
 * projection", https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html),
 * extended to the organization layout (`account` and `region` projected as enums, as in
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-org-wide-trail.html).
 * Partitions are computed from the table properties; nothing runs ALTER TABLE ADD PARTITION.
 */
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { terraformText } from './terraform-text';

/** Columns of the CloudTrail table, as AWS documents them (Hive types, lower-case names). */
export const CLOUDTRAIL_COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: 'eventversion', type: 'string' },
  {
    name: 'useridentity',
    type:
      'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,' +
      'onbehalfof:struct<userid:string,identitystorearn:string>,' +
      'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
      'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
      'ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>',
  },
  ...['eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent', 'errorcode', 'errormessage', 'requestparameters', 'responseelements', 'additionaleventdata', 'requestid', 'eventid', 'readonly'].map(
    (name) => ({ name, type: 'string' }),
  ),
  { name: 'resources', type: 'array<struct<arn:string,accountid:string,type:string>>' },
  ...['eventtype', 'apiversion', 'recipientaccountid', 'serviceeventdetails', 'sharedeventid', 'vpcendpointid', 'vpcendpointaccountid', 'eventcategory'].map((name) => ({ name, type: 'string' })),
  { name: 'addendum', type: 'struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>' },
  { name: 'sessioncredentialfromconsole', type: 'string' },
  { name: 'edgedevicedetails', type: 'string' },
  { name: 'tlsdetails', type: 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>' },
];

/** Partition columns, in the order of the key layout. */
export const PARTITION_KEYS = ['account', 'region', 'timestamp'] as const;

export interface CloudTrailTableProps {
  readonly provider: AwsProvider;
  readonly database: string;
  readonly table: string;
  /** `s3://<bucket>/AWSLogs/<org id>/` or `s3://<bucket>/AWSLogs/`. */
  readonly location: string;
  /** storage.location.template, with `${account}`, `${region}` and `${timestamp}` placeholders (plain text: escaped here). */
  readonly locationTemplate: string;
  /** Projected account ids. */
  readonly accountIds: readonly string[];
  /** Projected regions. */
  readonly regions: readonly string[];
  /** First projected day, yyyy/MM/dd; the range runs to NOW. */
  readonly firstDay: string;
}

export class CloudTrailTable extends Construct {
  /** The database's name as a reference (a token): using it orders creation after the database. */
  readonly databaseName: string;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: CloudTrailTableProps) {
    super(scope, id);
    const provider = props.provider;
    const database = new GlueCatalogDatabase(this, 'database', {
      provider,
      name: props.database,
      description: 'trailwatch: the CloudTrail archive, for Athena',
    });
    new GlueCatalogTable(this, 'table', {
      provider,
      databaseName: database.name,
      name: props.table,
      description: 'trailwatch: CloudTrail log files of the archive, partitioned by account, region and day (partition projection)',
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'cloudtrail',
        'projection.enabled': 'true',
        'projection.account.type': 'enum',
        'projection.account.values': props.accountIds.join(','),
        'projection.region.type': 'enum',
        'projection.region.values': props.regions.join(','),
        'projection.timestamp.type': 'date',
        'projection.timestamp.format': 'yyyy/MM/dd',
        'projection.timestamp.range': `${props.firstDay},NOW`,
        'projection.timestamp.interval': '1',
        'projection.timestamp.interval.unit': 'DAYS',
        'storage.location.template': terraformText(props.locationTemplate),
      },
      partitionKeys: PARTITION_KEYS.map((name) => ({ name, type: 'string' })),
      storageDescriptor: {
        location: props.location,
        inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        columns: CLOUDTRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      },
    });
    this.databaseName = database.name;
    this.tableName = props.table;
  }
}
