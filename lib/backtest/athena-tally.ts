/**
 * Rows of a period query (sql.ts periodQuery) as the backtest's tally, so the alarm replay and the
 * top lists are the local backtest's own code (lib/backtest/stats.ts, run-backtest.ts filterReport).
 */
import { emptyTally, type FilterTally } from './stats';

/** One row of periodQuery: numbers may arrive as text (Athena) or bigint (DuckDB). */
export interface PeriodRow {
  readonly period: string | number | bigint;
  readonly identity: string;
  readonly source_ip: string;
  readonly event_name: string;
  readonly matches: string | number | bigint;
}

export function tallyOfRows(rows: Iterable<PeriodRow>): FilterTally {
  const t = emptyTally();
  const bump = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const r of rows) {
    const n = Number(r.matches);
    const period = Number(r.period);
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(period)) throw new Error(`unexpected row of a period query: ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    t.matches += n;
    bump(t.periods, period, n);
    bump(t.identities, r.identity, n);
    bump(t.sourceIps, r.source_ip, n);
    bump(t.eventNames, r.event_name, n);
  }
  return t;
}
