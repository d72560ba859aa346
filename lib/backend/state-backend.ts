/**
 * State backends: one state (local file, S3 key or Terraform Cloud workspace) per account stack,
 * so accounts roll out and fail independently.
 */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import type { BackendConfig } from '../config/schema';

export const DEFAULT_LOCAL_STATE_DIR = 'terraform-state';
export const DEFAULT_WORKSPACE_PREFIX = 'trailwatch-';
export const DEFAULT_S3_KEY_PREFIX = 'trailwatch';

/** Terraform Cloud workspace name of a stack. */
export function workspaceName(backend: Extract<BackendConfig, { type: 'cloud' }>, stackName: string): string {
  return `${backend.workspacePrefix ?? DEFAULT_WORKSPACE_PREFIX}${stackName}`;
}

export function addStateBackend(stack: TerraformStack, stackName: string, backend: BackendConfig): void {
  switch (backend.type) {
    case 'local':
      // Relative to the stack's synthesized folder (cdktf.out/stacks/<stack>), like cdktf's default.
      new LocalBackend(stack, { path: `../../../${backend.directory ?? DEFAULT_LOCAL_STATE_DIR}/${stackName}.tfstate` });
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        ...(backend.hostname !== undefined ? { hostname: backend.hostname } : {}),
        workspaces: new NamedCloudWorkspace(workspaceName(backend, stackName), backend.project),
      });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ?? DEFAULT_S3_KEY_PREFIX}/${stackName}.tfstate`,
        region: backend.region,
        encrypt: true,
        ...(backend.dynamodbTable !== undefined ? { dynamodbTable: backend.dynamodbTable } : {}),
        ...(backend.roleArn !== undefined ? { assumeRole: { roleArn: backend.roleArn } } : {}),
      });
      // cdktf 0.21's S3Backend predates S3-native locking (Terraform >= 1.10); set it directly.
      if (backend.useLockfile ?? true) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
  }
}
