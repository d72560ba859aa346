/** The trail's event selectors and Insights selectors are the planned ones (what it records). */
import { GetEventSelectorsCommand, GetInsightSelectorsCommand, type GetEventSelectorsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { canonicalJson } from '../compare';
import { resourcesOf } from '../planned';
import { errorName, redeploy, type Check, type Problem } from '../types';

type Rec = Record<string, unknown>;
const list = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : v ? [v as Rec] : []);
const sorted = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? [...(v as string[])].sort() : undefined);
const OPERATORS = ['Equals', 'NotEquals', 'StartsWith', 'NotStartsWith', 'EndsWith', 'NotEndsWith'] as const;
const snake = (s: string) => s.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase());

/** Selectors in one canonical shape, from Terraform arguments (snake_case) or the API (PascalCase). */
function canonical(advanced: Rec[], basic: Rec[], api: boolean): string {
  const get = (o: Rec, pascal: string) => (api ? o[pascal] : o[snake(pascal)]);
  if (advanced.length > 0) {
    return canonicalJson(
      advanced
        .map((s) => ({
          name: get(s, 'Name') ?? null,
          fields: list(get(s, api ? 'FieldSelectors' : 'FieldSelector'))
            .map((f) => ({ field: get(f, 'Field'), ...Object.fromEntries(OPERATORS.map((op) => [op, sorted(get(f, op))]).filter(([, v]) => v)) }))
            .sort((a, b) => String(a.field).localeCompare(String(b.field))),
        }))
        .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))),
    );
  }
  return canonicalJson(
    basic
      .map((s) => ({
        readWriteType: get(s, 'ReadWriteType') ?? 'All',
        management: get(s, 'IncludeManagementEvents') ?? true,
        excluded: sorted(get(s, 'ExcludeManagementEventSources')) ?? [],
        data: list(get(s, api ? 'DataResources' : 'DataResource'))
          .map((d) => ({ type: get(d, 'Type'), values: sorted(get(d, 'Values')) ?? [] }))
          .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))),
      }))
      .sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b))),
  );
}

export const trailSelectors: Check = {
  id: 'trail-selectors',
  title: 'The trail records the planned events and Insights',
  severity: 'high',
  actions: ['cloudtrail:GetEventSelectors', 'cloudtrail:GetInsightSelectors'],
  applies: (account, region) => resourcesOf(account, 'aws_cloudtrail', region).length > 0,
  async run({ account, region, clients }) {
    const problems: Problem[] = [];
    for (const planned of resourcesOf(account, 'aws_cloudtrail', region)) {
      const name = String(planned.values.name);
      const resource = `trail ${name}`;
      let selectors: GetEventSelectorsCommandOutput;
      try {
        selectors = await clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: name }));
      } catch (e) {
        if (errorName(e) === 'TrailNotFoundException') continue; // trail-logging reports it
        throw e;
      }
      const advanced = list(planned.values.advanced_event_selector);
      // A trail with no selector argument gets CloudTrail's default: all management events, read and write.
      const basic = advanced.length === 0 && list(planned.values.event_selector).length === 0 ? [{}] : list(planned.values.event_selector);
      const want = canonical(advanced, basic, false);
      const have = canonical(list(selectors.AdvancedEventSelectors), list(selectors.EventSelectors), true);
      if (want !== have) problems.push({ resource, expected: `event selectors ${want}`, found: `event selectors ${have}`, fix: redeploy(account) });

      const wantInsights = list(planned.values.insight_selector).map((s) => String(s.insight_type)).sort();
      let haveInsights: string[] = [];
      try {
        const insights = await clients.cloudtrail.send(new GetInsightSelectorsCommand({ TrailName: name }));
        haveInsights = (insights.InsightSelectors ?? []).map((s) => String(s.InsightType)).sort();
      } catch (e) {
        if (errorName(e) !== 'InsightNotEnabledException') throw e;
      }
      if (wantInsights.join() !== haveInsights.join()) {
        problems.push({ resource, expected: `Insights ${wantInsights.join(', ') || 'none'}`, found: `Insights ${haveInsights.join(', ') || 'none'}`, fix: redeploy(account) });
      }
    }
    return problems;
  },
};
