/** The backtest's eventTime reader gives exactly Date.parse's answer (it only reads CloudTrail's own form faster). */
import fc from 'fast-check';
import { eventTimeMs } from '../../lib/backtest/event-time';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

test('CloudTrail eventTime texts, valid and not, give what Date.parse gives', () => {
  const field = (max: number, w: number) => fc.integer({ min: 0, max }).map((n) => pad(n, w));
  const cloudTrailForm = fc
    .tuple(field(9999, 4), field(13, 2), field(32, 2), field(25, 2), field(61, 2), field(61, 2))
    .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  const mutated = fc.tuple(cloudTrailForm, fc.nat({ max: 19 }), fc.constantFrom('x', '-', ' ', '9', 'Z', '')).map(([t, i, c]) => t.slice(0, i) + c + t.slice(i + 1));
  fc.assert(
    fc.property(fc.oneof(cloudTrailForm, mutated, fc.string({ maxLength: 24 })), (t) => {
      expect(eventTimeMs(t)).toBe(Date.parse(t));
    }),
    { numRuns: 5000 },
  );
  for (const t of ['2026-10-01T00:03:12Z', '1970-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2024-02-28T12:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-10-01T00:03:12.123Z', '2026-10-01T00:03:12+02:00']) {
    expect(eventTimeMs(t)).toBe(Date.parse(t));
  }
});
