// Real traffic from a CloudWatch export: the JSON `aws cloudwatch get-metric-statistics` prints for the Lambda
// metrics Invocations (statistic Sum) and Duration (statistics Average, ideally with SampleCount).
// A month is 730 hours, as AWS's pricing examples and Infracost count it.

export const HOURS_PER_MONTH = 730;

interface Datapoint {
  Timestamp: string;
  Sum?: number;
  Average?: number;
  SampleCount?: number;
}

export interface MetricFigure {
  value: number;
  /** How the figure was derived, for the report's sources. */
  how: string;
}

/** Checks the export's shape; the message names what is wrong (the caller adds the file). */
function datapoints(json: unknown, label: string, statistic: 'Sum' | 'Average'): Datapoint[] {
  if (!json || typeof json !== 'object' || !Array.isArray((json as { Datapoints?: unknown }).Datapoints))
    throw new Error('expected the JSON printed by `aws cloudwatch get-metric-statistics` (an object with "Datapoints")');
  const got = (json as { Label?: unknown }).Label;
  if (got !== undefined && got !== label) throw new Error(`expected the ${label} metric, found "${String(got)}"`);
  const points = (json as { Datapoints: unknown[] }).Datapoints as Datapoint[];
  if (points.length === 0) throw new Error('no datapoints');
  for (const p of points) {
    if (typeof p?.Timestamp !== 'string' || Number.isNaN(Date.parse(p.Timestamp))) throw new Error('a datapoint has no valid Timestamp');
    if (typeof p[statistic] !== 'number') throw new Error(`a datapoint has no ${statistic} (export with --statistics ${statistic}${statistic === 'Average' ? ' SampleCount' : ''})`);
  }
  return [...points].sort((a, b) => Date.parse(a.Timestamp) - Date.parse(b.Timestamp));
}

/**
 * Monthly invocations from an Invocations export: the sum of the datapoints, scaled from the period they cover to
 * 730 hours. The covered span is first to last timestamp plus one period; the period is the smallest gap between
 * datapoints (get-metric-statistics does not print it), so at least two datapoints are needed.
 */
export function requestsPerMonthFromInvocations(json: unknown): MetricFigure {
  const points = datapoints(json, 'Invocations', 'Sum');
  if (points.length < 2) throw new Error('at least two datapoints are needed to know the period they cover');
  const times = points.map((p) => Date.parse(p.Timestamp));
  let period = Infinity;
  for (let i = 1; i < times.length; i++) if (times[i]! > times[i - 1]!) period = Math.min(period, times[i]! - times[i - 1]!);
  if (!Number.isFinite(period)) throw new Error('the datapoints share one timestamp');
  const spanHours = (times[times.length - 1]! - times[0]! + period) / 3_600_000;
  const total = points.reduce((n, p) => n + p.Sum!, 0);
  const value = Math.round((total * HOURS_PER_MONTH) / spanHours);
  return { value, how: `${Math.round(total).toLocaleString('en-US')} invocations over ${round1(spanHours)} h (${points.length} datapoints), scaled to ${HOURS_PER_MONTH} h` };
}

/** Average duration from a Duration export: weighted by SampleCount when every datapoint has it, else a plain mean. */
export function avgDurationMsFromDuration(json: unknown): MetricFigure {
  const points = datapoints(json, 'Duration', 'Average');
  const weighted = points.every((p) => typeof p.SampleCount === 'number' && p.SampleCount > 0);
  const value = weighted
    ? points.reduce((n, p) => n + p.Average! * p.SampleCount!, 0) / points.reduce((n, p) => n + p.SampleCount!, 0)
    : points.reduce((n, p) => n + p.Average!, 0) / points.length;
  return { value: round1(value), how: `${weighted ? 'SampleCount-weighted' : 'plain'} mean of ${points.length} Average datapoints` };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
