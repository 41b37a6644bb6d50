// The cost estimate as plain sentences, shared by the text and markdown renderers: the figures, and right next to
// them the assumptions with their sources. Cost and line counts stay separate.
import { formatUsd } from '../estimate/costModel.js';
import type { CostSavings } from '../report/types.js';

export interface CostBlock {
  headline: string;
  verdict: string;
  /** "value (source)" per assumption. */
  assumptions: string[];
  /** How the Express and Standard figures were reached. */
  model: string[];
  breakEven: string;
  /** How the figures move when the defaulted values come from the small or the large profile instead. */
  range?: string;
  notes: string[];
}

export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'not estimated';
  return formatUsd(n);
}

function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function costBlock(c: CostSavings): CostBlock {
  const a = c.assumptions;
  const s = a.sources;
  const src = (k: string) => (s[k] ? ` (${s[k]})` : '');
  return {
    headline: `monthly cost in ${a.region} (prices as of ${a.pricesAsOf}): Lambda ${usd(c.lambdaMonthlyUsd)} · Express ${usd(c.expressMonthlyUsd)} · Standard ${usd(c.standardMonthlyUsd)}${c.apiGatewayMonthlyUsd !== undefined ? ` · API Gateway ${usd(c.apiGatewayMonthlyUsd)} either way` : ''}`,
    verdict: c.verdict,
    assumptions: bySource([
      [`${int(a.requestsPerMonth)} requests/month`, s['requestsPerMonth']],
      [`${int(a.avgDurationMs)} ms average Lambda duration`, s['avgDurationMs']],
      [`${a.memoryMb} MB`, s['memoryMb']],
      [a.architecture, s['architecture']],
      [`region ${a.region}`, s['region']],
      [`free tier ${a.freeTier ? 'applied' : 'not applied'}`, s['freeTier']],
      [`${a.payloadKb} KB of execution data`, s['payloadKb']],
    ]),
    model: [
      `Express: ${int(a.expressDurationMs)} ms and ${a.expressMemoryMb} MB per execution, billed in 100 ms and 64 MB steps${src('expressDurationMs')}; memory by ${s['expressMemoryMb'] ?? 'AWS formula'}`,
      `Standard: ${a.transitionsPerExecution} state transitions per execution, ${s['transitionsPerExecution'] ?? ''}`.trim(),
      ...c.routes.map((r) => `route ending "${r.end}": ${r.transitions} transitions, ~${int(r.expressDurationMs)} ms`),
    ],
    breakEven: c.breakEven,
    ...(c.range ? { range: rangeText(c.range) } : {}),
    notes: c.notes,
  };
}

/** "a, b (source)" per source, in the order the values come: each source is named once, not after every value. */
function bySource(values: Array<[string, string | undefined]>): string[] {
  const groups = new Map<string, string[]>();
  for (const [value, source] of values) groups.set(source ?? '', [...(groups.get(source ?? '') ?? []), value]);
  return [...groups].map(([source, vs]) => `${vs.join(', ')}${source ? ` (${source})` : ''}`);
}

function rangeText(r: NonNullable<CostSavings['range']>): string {
  const one = (name: string, x: NonNullable<CostSavings['range']>['small']) =>
    `${name} profile: Lambda ${usd(x.lambdaMonthlyUsd)} · Express ${usd(x.expressMonthlyUsd)} · Standard ${usd(x.standardMonthlyUsd)}${x.cheapest ? ` (${x.cheapest} cheapest)` : ''}`;
  return `${r.defaulted.join(', ')} ${r.defaulted.length === 1 ? 'is a default' : 'are defaults'}; with the ${one('small', r.small)}; with the ${one('large', r.large)}`;
}
