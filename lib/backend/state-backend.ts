/**
 * State backends: one state (local file, S3 key or Terraform Cloud workspace) per account stack,
 * so accounts roll out and fail independently.
 */
import * as path from 'path';
import type { TerraformStack } from 'cdktf';
import type { BackendConfig } from './schema';

export const DEFAULT_LOCAL_STATE_DIR = 'terraform-state';
export const DEFAULT_WORKSPACE_PREFIX = 'trailwatch-';
export const DEFAULT_S3_KEY_PREFIX = 'trailwatch';

/** Terraform Cloud workspace name of a stack. */
export function workspaceName(backend: Extract<BackendConfig, { type: 'cloud' }>, stackName: string): string {
  return `${backend.workspacePrefix ?? DEFAULT_WORKSPACE_PREFIX}${stackName}`;
}

/**
 * The folder local state files go to: `backend.directory` (default terraform-state) resolved
 * against the project root, or undefined for the cloud and S3 backends.
 */
export function localStateDirectory(backend: BackendConfig, projectRoot: string): string | undefined {
  return backend.type === 'local' ? path.resolve(projectRoot, backend.directory ?? DEFAULT_LOCAL_STATE_DIR) : undefined;
}

/**
 * The backend with its local state folder pinned to `<projectRoot>/<backend.directory>` for output
 * written to `outdir`, so moving the output (`--out /tmp/x`) does not move the state.
 * addStateBackend renders `directory` relative to the output folder's parent (it is
 * `../../../<directory>` from `<outdir>/stacks/<stack>`, a relative path like cdktf's default, so
 * the project can move as a whole); this rewrites the configured value (relative to the project
 * root, or absolute) into that form. With the default layout (./cdktf.out) it is unchanged.
 */
export function anchorLocalState(backend: BackendConfig, outdir: string, projectRoot: string): BackendConfig {
  const stateDir = localStateDirectory(backend, projectRoot);
  if (stateDir === undefined) return backend;
  const directory = path.relative(path.dirname(path.resolve(outdir)), stateDir).split(path.sep).join('/') || '.';
  return { type: 'local', directory };
}

export function addStateBackend(stack: TerraformStack, stackName: string, backend: BackendConfig): void {
  // Loaded here: the commands that read this file for workspaceName need no cdktf.
  const { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend } = require('cdktf') as typeof import('cdktf');
  switch (backend.type) {
    case 'local':
      // Relative to the stack's synthesized folder (cdktf.out/stacks/<stack>), like cdktf's default;
      // the CLI pins `directory` to the project root whatever --out is (anchorLocalState).
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
