/**
 * `backend:` section of trailwatch.yaml: where Terraform keeps each account stack's state.
 */
import { z } from 'zod';
import { describeValue, RegionSchema } from '../core/organization';

const LocalBackendSchema = z.strictObject({
  type: z.literal('local'),
  directory: z
    .string()
    .optional()
    .meta({
      description:
        'Folder for the state files (<stack>.tfstate): relative to the project root (the folder trailwatch and cdktf run in), or absolute. It does not move with --out. @default terraform-state',
    }),
});

const CloudBackendSchema = z.strictObject({
  type: z.literal('cloud'),
  organization: z.string().min(1).meta({ description: 'Terraform Cloud / Enterprise organization.' }),
  hostname: z
    .string()
    .regex(/^(?=.{1,253}(?::\d{1,5})?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/, {
      error: (iss) =>
        `expected a host name such as tfe.example.com (no https://, no path), got ${describeValue(iss.input)}${
          typeof iss.input === 'string' && /^[a-z]+:\/\/([^/]+)/i.test(iss.input) ? `; write ${/^[a-z]+:\/\/([^/]+)/i.exec(iss.input)![1]}` : ''
        }`,
    })
    .optional()
    .meta({ description: 'Host name of Terraform Enterprise (no scheme, no path). @default app.terraform.io' }),
  project: z.string().optional().meta({ description: 'Terraform Cloud project of the workspaces.' }),
  workspacePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'expected letters, digits, - and _ (workspace names allow nothing else)' })
    .optional()
    .meta({ description: 'Workspace name = prefix + stack name. @default trailwatch-' }),
});

const S3BackendSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name' }),
  region: RegionSchema,
  keyPrefix: z.string().optional().meta({ description: 'State key = <keyPrefix>/<stack>.tfstate. @default trailwatch' }),
  dynamodbTable: z.string().optional().meta({ description: 'Legacy DynamoDB lock table (prefer useLockfile).' }),
  useLockfile: z.boolean().optional().meta({ description: 'S3-native state locking. @default true' }),
  roleArn: z.string().optional().meta({ description: 'Role assumed to reach the state bucket.' }),
});

export const BackendSchema = z
  .discriminatedUnion('type', [LocalBackendSchema, CloudBackendSchema, S3BackendSchema], {
    error: (iss) => `expected backend type local, cloud or s3, got ${describeValue((iss.input as { type?: unknown } | undefined)?.type)}`,
  })
  .meta({ description: 'Where Terraform keeps state: one state (or workspace) per account stack.' });

export type BackendConfig = z.output<typeof BackendSchema>;

/** The backend when the config names none. */
export const DEFAULT_BACKEND: BackendConfig = { type: 'local' };
