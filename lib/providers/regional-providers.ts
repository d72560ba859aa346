/**
 * Region fan-out: one AWS provider per region an account stack needs. The primary region's
 * provider is the stack's default (unaliased) one, so a resource that forgets its provider still
 * lands in a known region; every other region gets a provider aliased by its region name.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { ResolvedAccess } from '../core/organization';
import { emulatorSettingsFromEnv } from './emulator';

export interface RegionalProvidersProps {
  /** Account the providers deploy into; also their `allowed_account_ids` guard. */
  readonly accountId: string;
  /** Regions to create providers for (at least one). */
  readonly regions: readonly string[];
  /** Region of the default provider; must be one of `regions`. */
  readonly primaryRegion: string;
  /** Role to assume in the account; `roleArn: null` uses the pipeline's credentials. */
  readonly access: ResolvedAccess;
  /** Provider `default_tags`. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

export class RegionalProviders extends Construct {
  /** Region name -> provider (governed regions, then any added with `ensure`). */
  get byRegion(): ReadonlyMap<string, AwsProvider> {
    return this.providers;
  }
  /** The default provider (primary region). */
  readonly primary: AwsProvider;
  private readonly providers = new Map<string, AwsProvider>();
  private readonly props: RegionalProvidersProps;
  private readonly scope: Construct;

  constructor(scope: Construct, id: string, props: RegionalProvidersProps) {
    super(scope, id);
    if (!props.regions.includes(props.primaryRegion)) {
      throw new Error(`primary region ${props.primaryRegion} is not one of the regions ${props.regions.join(', ')}`);
    }
    this.props = props;
    this.scope = scope;
    for (const region of props.regions) this.create(region);
    this.primary = this.providers.get(props.primaryRegion)!;
  }

  /** The provider for a region this stack governs; throws for any other region (a planning bug). */
  forRegion(region: string): AwsProvider {
    const p = this.providers.get(region);
    if (!p) throw new Error(`no provider for region ${region} in this stack (regions: ${[...this.providers.keys()].join(', ')})`);
    return p;
  }

  /**
   * The provider for `region`, adding an aliased one if the stack has none yet: for resources a
   * feature must place outside the governed regions (console sign-in rules where AWS records
   * sign-ins). Same account, role, tags and emulator confinement as the others.
   */
  ensure(region: string): AwsProvider {
    return this.providers.get(region) ?? this.create(region);
  }

  private create(region: string): AwsProvider {
    const props = this.props;
    const isPrimary = region === props.primaryRegion;
    // TRAILWATCH_AWS_ENDPOINT (end-to-end tests): emulator endpoints and fake credentials instead of the account pin.
    const emulator = emulatorSettingsFromEnv();
    // Construct id = region: part of the public contract (it names the provider in state).
    const provider = new AwsProvider(this.scope, `aws-${region}`, {
      region,
      ...(isPrimary ? {} : { alias: region }),
      ...(emulator ?? { allowedAccountIds: [props.accountId] }),
      ...(props.access.roleArn
        ? {
            assumeRole: [
              {
                roleArn: props.access.roleArn,
                sessionName: props.access.sessionName,
                ...(props.access.externalId !== undefined ? { externalId: props.access.externalId } : {}),
              },
            ],
          }
        : {}),
      ...(props.tags && Object.keys(props.tags).length > 0 ? { defaultTags: [{ tags: { ...props.tags } }] } : {}),
    });
    this.providers.set(region, provider);
    return provider;
  }
}
