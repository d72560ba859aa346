/**
 * `aws logs test-metric-filter`, offline. The response has TestMetricFilter's shape:
 * {"matches":[{"eventNumber":N,"eventMessage":"...","extractedValues":{...}}]} (MetricFilterMatchRecord:
 * eventNumber, eventMessage, extractedValues), numbering events from 1 in input order.
 */
import { compileFilterPattern } from './compile';

export interface MetricFilterMatchRecord {
  readonly eventNumber: number;
  readonly eventMessage: string;
  readonly extractedValues: Record<string, string>;
}

export interface TestMetricFilterResponse {
  readonly matches: MetricFilterMatchRecord[];
}

/** Compiles first, so a malformed pattern throws `FilterPatternSyntaxError` before any line is read. */
export async function runTestPattern(pattern: string, lines: Iterable<string> | AsyncIterable<string>): Promise<TestMetricFilterResponse> {
  const compiled = compileFilterPattern(pattern);
  const matches: MetricFilterMatchRecord[] = [];
  let eventNumber = 0;
  for await (const eventMessage of lines) {
    eventNumber++;
    const { matched, extractedValues } = compiled.match(eventMessage);
    if (matched) matches.push({ eventNumber, eventMessage, extractedValues });
  }
  return { matches };
}
