/**
 * Region fan-out: one AWS provider per region an account stack needs. The primary region's
 * provider is the stack's default (unaliased) one, so a resource that forgets its provider still
 * lands in a known region; every other region gets a provider aliased by its region name.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { ResolvedAccess } from '../plan/account-plan';
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
  /** Region name -> provider. */
  readonly byRegion: ReadonlyMap<string, AwsProvider>;
  /** The default provider (primary region). */
  readonly primary: AwsProvider;

  constructor(scope: Construct, id: string, props: RegionalProvidersProps) {
    super(scope, id);
    if (!props.regions.includes(props.primaryRegion)) {
      throw new Error(`primary region ${props.primaryRegion} is not one of the regions ${props.regions.join(', ')}`);
    }
    const byRegion = new Map<string, AwsProvider>();
    // TRAILWATCH_AWS_ENDPOINT (end-to-end tests): emulator endpoints and fake credentials instead of the account pin.
    const emulator = emulatorSettingsFromEnv();
    for (const region of props.regions) {
      const isPrimary = region === props.primaryRegion;
      byRegion.set(
        region,
        // Construct id = region: part of the public contract (it names the provider in state).
        new AwsProvider(scope, `aws-${region}`, {
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
        }),
      );
    }
    this.byRegion = byRegion;
    this.primary = byRegion.get(props.primaryRegion)!;
  }

  /** The provider for a region this stack governs; throws for any other region (a planning bug). */
  forRegion(region: string): AwsProvider {
    const p = this.byRegion.get(region);
    if (!p) throw new Error(`no provider for region ${region} in this stack (regions: ${[...this.byRegion.keys()].join(', ')})`);
    return p;
  }
}
