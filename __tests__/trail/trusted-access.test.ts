/**
 * Trusted access for CloudTrail in AWS Organizations: an organization trail fails to create
 * (CloudTrailAccessNotEnabledException) without it. Checked at plan time by default; managed on request.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { terraform } from '../support/terraform';
import { addressOf, problems, synth, trailOf } from './helpers';

const ENABLE = 'aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com';

describe('default: checked at plan time, nothing changed', () => {
  const s = synth();
  const mgmt = s.management;
  const [orgAddress] = Object.keys(mgmt.data.aws_organizations_organization);
  const org = `data.aws_organizations_organization.${orgAddress}`;

  test('the management stack reads the organization; no stack manages it', () => {
    expect(mgmt.data.aws_organizations_organization[orgAddress]).toMatchObject({ provider: 'aws' });
    for (const stack of Object.values(s)) expect(stack.resource.aws_organizations_organization).toBeUndefined();
    for (const name of ['log-archive', 'prod-app', 'dev-app']) expect(s[name].data?.aws_organizations_organization).toBeUndefined();
  });

  test('the trail plan fails without all features, naming the commands that fix it', () => {
    const [allFeatures] = trailOf(mgmt).lifecycle.precondition;
    expect(allFeatures.condition).toBe(`\${(${org}.feature_set == "ALL")}`);
    expect(allFeatures.error_message).toContain('`aws organizations enable-all-features`');
    // CreateTrail's error for an organization without all features (CloudTrail API Reference, CreateTrail errors).
    expect(allFeatures.error_message).toContain('OrganizationNotInAllFeaturesModeException');
    expect(allFeatures.error_message).toContain(`\`${ENABLE}\``);
  });

  test('the trail plan fails without trusted access for CloudTrail, naming the command and the opt-in', () => {
    const [, trusted] = trailOf(mgmt).lifecycle.precondition;
    // Only once all features are on: otherwise the data source lists no principals and the first message applies.
    expect(trusted.condition).toBe(`\${((${org}.feature_set != "ALL") || contains(tolist(${org}.aws_service_access_principals), "cloudtrail.amazonaws.com"))}`);
    expect(trusted.error_message).toContain('CloudTrailAccessNotEnabledException');
    expect(trusted.error_message).toContain(`\`${ENABLE}\``);
    expect(trusted.error_message).toContain('trail.trustedAccess.manage: true');
  });
});

describe('trustedAccess.manage: the organization is imported and its trusted access managed', () => {
  const yaml = 'trail:\n  trustedAccess:\n    manage: true\n    servicePrincipals: [sso.amazonaws.com, cloudtrail.amazonaws.com, config.amazonaws.com]\n';
  const mgmt = synth(yaml).management;
  const [address] = Object.keys(mgmt.resource.aws_organizations_organization);
  const managed = mgmt.resource.aws_organizations_organization[address];

  test('exactly the configured principals (sorted), all features, in the management account', () => {
    expect(managed).toMatchObject({
      provider: 'aws',
      feature_set: 'ALL',
      aws_service_access_principals: ['cloudtrail.amazonaws.com', 'config.amazonaws.com', 'sso.amazonaws.com'],
    });
  });

  test('imported by the organization id from trailwatch.yaml (never created)', () => {
    expect(mgmt.import).toEqual([{ id: 'o-a1b2c3d4e5', provider: 'aws', to: `aws_organizations_organization.${address}` }]);
  });

  test('never destroyed, and policy types (SCPs) are left alone', () => {
    expect(managed.lifecycle).toMatchObject({ prevent_destroy: true, ignore_changes: ['enabled_policy_types'] });
  });

  test('the plan refuses a list that would disable a principal enabled today, and names them', () => {
    const org = Object.keys(mgmt.data.aws_organizations_organization).map((a) => `data.aws_organizations_organization.${a}`)[0];
    const [allFeatures, keep] = managed.lifecycle.precondition;
    expect(allFeatures.condition).toBe(`\${(${org}.feature_set == "ALL")}`);
    const wanted = '["cloudtrail.amazonaws.com", "config.amazonaws.com", "sso.amazonaws.com"]';
    const dropped = `setsubtract(tolist(${org}.aws_service_access_principals), ${wanted})`;
    expect(keep.condition).toBe(`\${(length(${dropped}) < 1)}`);
    expect(keep.error_message).toContain(`\${join(", ", tolist(${dropped}))}`);
  });

  test('the trail waits for trusted access and needs no precondition of its own', () => {
    expect(trailOf(mgmt).depends_on).toContain(`aws_organizations_organization.${address}`);
    expect(trailOf(mgmt).lifecycle).toBeUndefined();
  });

  test('address of the managed organization (public contract)', () => {
    expect(address).toBe(addressOf(mgmt, 'aws_organizations_organization', 'organization-access/managed'));
  });
});

describe('trustedAccess config errors', () => {
  test.each([
    ['manage without the list', 'trail: { trustedAccess: { manage: true } }\n', /^trail\.trustedAccess\.manage: needs trustedAccess\.servicePrincipals: every service principal with trusted access/],
    ['a list without CloudTrail', 'trail: { trustedAccess: { manage: true, servicePrincipals: [sso.amazonaws.com] } }\n', /^trail\.trustedAccess\.servicePrincipals: must include cloudtrail\.amazonaws\.com/],
    ['a list without manage', 'trail: { trustedAccess: { servicePrincipals: [cloudtrail.amazonaws.com] } }\n', /^trail\.trustedAccess\.servicePrincipals: is only used with manage: true/],
    ['account trails', 'trail: { mode: account, trustedAccess: { manage: false } }\n', /^trail\.trustedAccess: is only used with mode: organization/],
    ['not a service principal', 'trail: { trustedAccess: { manage: true, servicePrincipals: [cloudtrail.amazonaws.com, "arn:aws:iam::1:root"] } }\n', /^trail\.trustedAccess\.servicePrincipals\.1: expected a service principal like cloudtrail\.amazonaws\.com/],
    ['a principal twice', 'trail: { trustedAccess: { manage: true, servicePrincipals: [cloudtrail.amazonaws.com, cloudtrail.amazonaws.com] } }\n', /^trail\.trustedAccess\.servicePrincipals: lists a service principal more than once/],
  ])('%s', (_name, yaml, expected) => {
    expect(problems(yaml)).toEqual([expect.stringMatching(expected)]);
  });

  test('manage: false is the default check', () => {
    const mgmt = synth('trail: { trustedAccess: { manage: false } }\n').management;
    expect(mgmt.resource.aws_organizations_organization).toBeUndefined();
    expect(trailOf(mgmt).lifecycle.precondition).toHaveLength(2);
  });
});

/**
 * The synthesized conditions, evaluated by Terraform itself: each is moved onto a terraform_data
 * resource (built into Terraform, no provider), with the organization data source replaced by a
 * variable of the same shape, and planned against organizations in each state.
 */
describe('terraform plan evaluates the conditions as intended', () => {
  const evaluate = (preconditions: { condition: string; error_message: string }[], org: { featureSet: string; principals: string[] }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-trusted-'));
    const swap = (text: string) => text.replace(/data\.aws_organizations_organization\.[\w-]+/g, 'var.org');
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({
        variable: { org: { type: 'object({ feature_set = string, aws_service_access_principals = set(string) })' } },
        resource: { terraform_data: { check: { lifecycle: { precondition: preconditions.map((p) => ({ condition: swap(p.condition), error_message: swap(p.error_message) })) } } } },
      }, null, 2), // one attribute per line: Terraform quotes only the failing condition's line
    );
    fs.writeFileSync(path.join(dir, 'org.auto.tfvars.json'), JSON.stringify({ org: { feature_set: org.featureSet, aws_service_access_principals: org.principals } }));
    expect(terraform(dir, ['init', '-input=false', '-backend=false']).status).toBe(0);
    const plan = terraform(dir, ['plan', '-input=false', '-no-color']);
    return { ok: plan.status === 0, failed: plan.stderr.split('Resource precondition failed').length - 1, errors: plan.stderr.replace(/\s*\n[│ ]*/g, ' ') };
  };
  const checked = trailOf(synth().management).lifecycle.precondition;
  const managed = (Object.values(synth('trail: { trustedAccess: { manage: true, servicePrincipals: [cloudtrail.amazonaws.com, sso.amazonaws.com] } }\n').management.resource.aws_organizations_organization)[0] as any).lifecycle.precondition;

  test('check: passes with all features and CloudTrail trusted', () => {
    expect(evaluate(checked, { featureSet: 'ALL', principals: ['sso.amazonaws.com', 'cloudtrail.amazonaws.com'] })).toEqual({ ok: true, failed: 0, errors: '' });
  });

  test('check: consolidated billing only fails with the enable-all-features fix alone', () => {
    const r = evaluate(checked, { featureSet: 'CONSOLIDATED_BILLING', principals: [] });
    expect(r).toMatchObject({ ok: false, failed: 1 });
    expect(r.errors).toContain('aws organizations enable-all-features');
    expect(r.errors).not.toContain('CloudTrail has no trusted access');
  });

  test('check: all features but no trusted access fails with the enable-aws-service-access fix', () => {
    const r = evaluate(checked, { featureSet: 'ALL', principals: ['sso.amazonaws.com'] });
    expect(r).toMatchObject({ ok: false, failed: 1 });
    expect(r.errors).toContain(`CloudTrail has no trusted access in AWS Organizations`);
    expect(r.errors).toContain(ENABLE);
  });

  test('manage: a principal enabled today but missing from the list fails the plan, naming it', () => {
    const r = evaluate(managed, { featureSet: 'ALL', principals: ['sso.amazonaws.com', 'config.amazonaws.com', 'ram.amazonaws.com'] });
    expect(r.ok).toBe(false);
    expect(r.errors).toContain('leaves out principals that have trusted access in the organization today (config.amazonaws.com, ram.amazonaws.com)');
  });

  test('manage: a list covering every enabled principal (CloudTrail not yet among them) passes', () => {
    expect(evaluate(managed, { featureSet: 'ALL', principals: ['sso.amazonaws.com'] }).ok).toBe(true);
  });
});
