import { Testing } from 'cdktf';
import { buildApp } from '../../lib/app/build-app';
import { minimalConfig } from '../support/configs';
import { planAll } from '../../lib/plan/plan';

function synthStacks(extraYaml = '') {
  const built = buildApp(planAll(minimalConfig(extraYaml)), { outdir: Testing.app().outdir });
  return Object.fromEntries(built.stacks.map((s) => [s.account.stackName, JSON.parse(Testing.synth(s)) as Record<string, any>]));
}

describe('account fan-out', () => {
  test('one stack per account, named after it, core accounts first', () => {
    const built = buildApp(planAll(minimalConfig()), { outdir: Testing.app().outdir });
    expect(built.stacks.map((s) => s.node.id)).toEqual(['management', 'log-archive', 'prod-app', 'dev-app']);
  });

  test('a security account gets its own stack', () => {
    const yaml = minimalConfig().organization;
    expect(yaml.securityAccount).toBeUndefined();
    const built = buildApp(
      planAll({ ...minimalConfig(), organization: { ...yaml, securityAccount: { id: '333333333333', name: 'security' } } }),
      { outdir: Testing.app().outdir },
    );
    expect(built.stacks.map((s) => s.account.role)).toEqual(['management', 'log-archive', 'security', 'member', 'member']);
  });

  test('selectStack builds only the chosen stacks', () => {
    const built = buildApp(planAll(minimalConfig()), { outdir: Testing.app().outdir, selectStack: (p) => p.stackName.startsWith('prod-') });
    expect(built.stacks.map((s) => s.node.id)).toEqual(['prod-app']);
  });
});

describe('region fan-out: providers', () => {
  // Governed regions first, then the console sign-in regions (eventbridge.signInRegions) the stack lacks.
  test('one provider per region; home region unaliased, others aliased by region', () => {
    const providers = synthStacks()['prod-app'].provider.aws as any[];
    expect(providers.map((p) => [p.region, p.alias])).toEqual([
      ['us-east-1', undefined],
      ['eu-west-1', 'eu-west-1'],
      ['us-east-2', 'us-east-2'],
      ['eu-north-1', 'eu-north-1'],
      ['ap-southeast-2', 'ap-southeast-2'],
    ]);
  });

  test('a member region override replaces the governed regions; primary falls back to its first region', () => {
    const [primary, ...others] = synthStacks()['dev-app'].provider.aws as any[];
    expect([primary.region, primary.alias]).toEqual(['eu-west-1', undefined]);
    expect(others.map((p) => [p.region, p.alias]).sort()).toEqual([
      ['ap-southeast-2', 'ap-southeast-2'],
      ['eu-north-1', 'eu-north-1'],
      ['us-east-1', 'us-east-1'],
      ['us-east-2', 'us-east-2'],
    ]);
  });

  test('providers assume OrganizationAccountAccessRole in the account by default and are pinned to it', () => {
    const [p] = synthStacks()['prod-app'].provider.aws as any[];
    expect(p.assume_role).toEqual([{ role_arn: 'arn:aws:iam::444444444444:role/OrganizationAccountAccessRole', session_name: 'trailwatch' }]);
    expect(p.allowed_account_ids).toEqual(['444444444444']);
  });

  test('access overrides: top-level role, per-account role and external id, assumeRole false', () => {
    const yaml = `access: { roleName: PlatformDeploy, sessionName: pipeline }\n`;
    const cfg = minimalConfig(yaml);
    cfg.accounts[0].access = { roleName: 'Special', externalId: 'ext-123' };
    cfg.organization.managementAccount.access = { assumeRole: false };
    const built = buildApp(planAll(cfg), { outdir: Testing.app().outdir });
    const byName = Object.fromEntries(built.stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)).provider.aws[0]]));
    expect(byName['prod-app'].assume_role).toEqual([{ role_arn: 'arn:aws:iam::444444444444:role/Special', session_name: 'pipeline', external_id: 'ext-123' }]);
    expect(byName['dev-app'].assume_role[0].role_arn).toBe('arn:aws:iam::555555555555:role/PlatformDeploy');
    expect(byName.management.assume_role).toBeUndefined();
  });

  test('default tags name trailwatch and the stack, merged with config and account tags', () => {
    const cfg = minimalConfig('tags: { Owner: sec, Environment: shared }\n');
    cfg.accounts[0].tags = { Environment: 'prod' };
    const built = buildApp(planAll(cfg), { outdir: Testing.app().outdir });
    const p = JSON.parse(Testing.synth(built.stacks[2])).provider.aws[0];
    expect(p.default_tags).toEqual([{ tags: { Owner: 'sec', Environment: 'prod', ManagedBy: 'trailwatch', TrailwatchStack: 'prod-app' } }]);
  });
});

describe('state backends', () => {
  test('local by default: one state file per stack', () => {
    const s = synthStacks();
    expect(s['prod-app'].terraform.backend).toEqual({ local: { path: '../../../terraform-state/prod-app.tfstate' } });
    expect(s['dev-app'].terraform.backend.local.path).toBe('../../../terraform-state/dev-app.tfstate');
  });

  test('Terraform Cloud: one named workspace per account stack, in the project', () => {
    const s = synthStacks('backend: { type: cloud, organization: acme, project: security, workspacePrefix: tw- }\n');
    expect(s['prod-app'].terraform.cloud).toEqual({ organization: 'acme', workspaces: { name: 'tw-prod-app', project: 'security' } });
    expect(s.management.terraform.cloud.workspaces.name).toBe('tw-management');
    expect(s['prod-app'].terraform.backend).toBeUndefined();
  });

  test('Terraform Cloud workspace prefix defaults to trailwatch-', () => {
    const s = synthStacks('backend: { type: cloud, organization: acme }\n');
    expect(s['dev-app'].terraform.cloud.workspaces).toEqual({ name: 'trailwatch-dev-app' });
  });

  test('S3: a per-stack key, encryption and S3-native locking', () => {
    const s = synthStacks('backend: { type: s3, bucket: acme-tf-state, region: eu-west-1, keyPrefix: security/trailwatch }\n');
    expect(s['prod-app'].terraform.backend.s3).toEqual({
      bucket: 'acme-tf-state',
      key: 'security/trailwatch/prod-app.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(s['dev-app'].terraform.backend.s3.key).toBe('security/trailwatch/dev-app.tfstate');
  });
});
