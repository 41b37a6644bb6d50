// Monthly cost of one handler as a Lambda function, an Express workflow and a Standard workflow: pure functions of
// usage and a region's prices (prices.ts). Express bills requests and GB-seconds; Standard bills state transitions.
import { FREE_TIER, type PriceTier, type RegionPrices } from './prices.js';

/** One priced quantity, so a renderer can show how a total was reached. */
export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface CostEstimate {
  /** `null` when a price the total needs has no source for the region (see `missing`). */
  usd: number | null;
  lines: CostLine[];
  /** Prices the table lacks for this region. */
  missing: string[];
}

export interface LambdaUsage {
  requestsPerMonth: number;
  avgDurationMs: number;
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
}

export interface ExpressUsage {
  requestsPerMonth: number;
  /** Estimated duration of one execution (before the 100 ms rounding). */
  durationMs: number;
  /** Estimated memory of one execution (before the 64 MB chunking). */
  memoryMb: number;
}

export interface StandardUsage {
  requestsPerMonth: number;
  transitionsPerExecution: number;
}

/** Cost of `units` under volume tiers (each tier's price applies to the units above its start). */
export function tieredCost(units: number, tiers: PriceTier[]): number {
  let usd = 0;
  tiers.forEach((tier, i) => {
    const end = tiers[i + 1]?.fromUnits ?? Infinity;
    const inTier = Math.min(units, end) - tier.fromUnits;
    if (inTier > 0) usd += inTier * tier.usdPerUnit;
  });
  return usd;
}

/** Lambda bills each invocation's duration rounded up to 1 ms, times the configured memory in GB (MB / 1024). */
export function lambdaGbSeconds(u: Pick<LambdaUsage, 'requestsPerMonth' | 'avgDurationMs' | 'memoryMb'>): number {
  return u.requestsPerMonth * (Math.ceil(u.avgDurationMs) / 1000) * (u.memoryMb / 1024);
}

export function lambdaMonthlyCost(u: LambdaUsage, prices: RegionPrices, freeTier: boolean): CostEstimate {
  const missing: string[] = [];
  const perRequest = prices.lambda.usdPerRequest.usd;
  const tiers = prices.lambda.gbSecond[u.architecture].tiers;
  if (perRequest === null) missing.push(`Lambda request price in ${prices.region}`);
  if (tiers === null) missing.push(`Lambda ${u.architecture} duration price in ${prices.region}`);
  const billableRequests = Math.max(0, u.requestsPerMonth - (freeTier ? FREE_TIER.lambdaRequests : 0));
  const gbs = lambdaGbSeconds(u);
  const billableGbs = Math.max(0, gbs - (freeTier ? FREE_TIER.lambdaGbSeconds : 0));
  const lines: CostLine[] = [];
  if (perRequest !== null) lines.push({ item: 'Lambda requests', quantity: billableRequests, unit: 'requests', usd: billableRequests * perRequest });
  if (tiers !== null) lines.push({ item: `Lambda duration (${u.architecture}, ${Math.ceil(u.avgDurationMs)} ms × ${u.memoryMb} MB)`, quantity: billableGbs, unit: 'GB-seconds', usd: tieredCost(billableGbs, tiers) });
  return { usd: missing.length ? null : sum(lines), lines, missing };
}

/** Express bills duration rounded up to the next 100 ms and memory in 64 MB chunks. */
export function expressBilledDurationMs(durationMs: number): number {
  return Math.max(100, Math.ceil(durationMs / 100) * 100);
}

export function expressBilledMemoryMb(memoryMb: number): number {
  return Math.max(64, Math.ceil(memoryMb / 64) * 64);
}

/**
 * AWS's memory estimate for one Express execution: 50 MB + definition size + execution data size × the number of
 * Map/Parallel steps (AWS's example: 50 KB definition, 400 map steps of 32 KB → 62.85 MB). Sizes in decimal MB, as
 * that example computes them. The execution data is counted at least once, since every execution carries it.
 */
export function expressMemoryMb(definitionBytes: number, payloadBytes: number, mapOrParallelSteps: number): number {
  return 50 + definitionBytes / 1e6 + (payloadBytes * Math.max(1, mapOrParallelSteps)) / 1e6;
}

export function expressGbHours(u: ExpressUsage): number {
  return (u.requestsPerMonth * (expressBilledDurationMs(u.durationMs) / 1000) * (expressBilledMemoryMb(u.memoryMb) / 1024)) / 3600;
}

export function expressMonthlyCost(u: ExpressUsage, prices: RegionPrices): CostEstimate {
  const missing: string[] = [];
  const perRequest = prices.express.usdPerRequest.usd;
  const tiers = prices.express.gbHour.tiers;
  if (perRequest === null) missing.push(`Express request price in ${prices.region}`);
  if (tiers === null) missing.push(`Express duration price in ${prices.region}`);
  const lines: CostLine[] = [];
  if (perRequest !== null) lines.push({ item: 'Express requests', quantity: u.requestsPerMonth, unit: 'requests', usd: u.requestsPerMonth * perRequest });
  const gbh = expressGbHours(u);
  if (tiers !== null) lines.push({ item: `Express duration (${expressBilledDurationMs(u.durationMs)} ms × ${expressBilledMemoryMb(u.memoryMb)} MB billed)`, quantity: gbh, unit: 'GB-hours', usd: tieredCost(gbh, tiers) });
  return { usd: missing.length ? null : sum(lines), lines, missing };
}

export function standardMonthlyCost(u: StandardUsage, prices: RegionPrices, freeTier: boolean): CostEstimate {
  const perTransition = prices.standard.usdPerTransition.usd;
  const transitions = Math.max(0, u.requestsPerMonth * u.transitionsPerExecution - (freeTier ? FREE_TIER.standardTransitions : 0));
  if (perTransition === null) return { usd: null, lines: [], missing: [`Standard transition price in ${prices.region}`] };
  const lines = [{ item: `Standard state transitions (${u.transitionsPerExecution} per execution)`, quantity: transitions, unit: 'transitions', usd: transitions * perTransition }];
  return { usd: sum(lines), lines, missing: [] };
}

/** Adds the cost lines of two estimates (e.g. a state machine and the Lambda function it still invokes). */
export function addCosts(a: CostEstimate, b: CostEstimate): CostEstimate {
  const missing = [...a.missing, ...b.missing];
  return { usd: a.usd === null || b.usd === null ? null : a.usd + b.usd, lines: [...a.lines, ...b.lines], missing };
}

export interface BreakEven {
  /** One or two sentences, with numbers. */
  text: string;
  /** The shortest Lambda average duration (whole ms, same memory and traffic) at which Express is cheaper; null if none up to 15 minutes. */
  lambdaDurationMs: number | null;
  /** The Lambda's GB-seconds per invocation at that duration. */
  lambdaGbSecondsPerInvocation: number | null;
  /** Monthly requests (same durations) from which Express is cheaper (1: at any traffic); null if none up to `MAX_REQUESTS`. */
  requestsPerMonth: number | null;
  /** Is Express cheaper than the Lambda at the given usage? */
  expressCheaperNow: boolean;
}

/** The largest traffic the break-even search looks at. */
export const MAX_REQUESTS = 1e11;
/** Lambda's maximum timeout. */
const MAX_LAMBDA_MS = 900_000;

/**
 * Where Express becomes cheaper than the Lambda: the Lambda duration at the same traffic, and the traffic at the same
 * durations. Found numerically on the full cost functions, so volume tiers and the free tier are honoured.
 * `lambdaAt(requests, durationMs)` and `expressAt(requests)` give monthly USD.
 */
export function breakEven(
  usage: LambdaUsage,
  lambdaAt: (requests: number, durationMs: number) => number,
  expressAt: (requests: number) => number,
): BreakEven {
  const R = usage.requestsPerMonth;
  const expressNow = expressAt(R);
  const expressCheaperNow = expressNow < lambdaAt(R, usage.avgDurationMs);
  // Duration: the Lambda's cost grows with its duration; Express's does not depend on it.
  let lambdaDurationMs: number | null = null;
  if (R > 0 && lambdaAt(R, MAX_LAMBDA_MS) > expressNow) {
    let lo = 0;
    let hi = MAX_LAMBDA_MS;
    // Lambda bills whole milliseconds: search integers.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (lambdaAt(R, mid) > expressNow) hi = mid;
      else lo = mid;
    }
    lambdaDurationMs = hi;
  }
  // Traffic: the first crossing on a log grid, then bisection.
  const cheaper = (r: number) => expressAt(r) < lambdaAt(r, usage.avgDurationMs);
  let requestsPerMonth: number | null = null;
  let prev = 1;
  if (cheaper(prev)) requestsPerMonth = 1;
  else {
    for (let r = 10; r <= MAX_REQUESTS; r *= 10 ** 0.25) {
      if (cheaper(r)) {
        let lo = prev;
        let hi = r;
        while (hi - lo > Math.max(1, lo * 1e-6)) {
          const mid = (lo + hi) / 2;
          if (cheaper(mid)) hi = mid;
          else lo = mid;
        }
        requestsPerMonth = Math.ceil(hi);
        break;
      }
      prev = r;
    }
  }
  const gbsPerInvocation = lambdaDurationMs === null ? null : (lambdaDurationMs / 1000) * (usage.memoryMb / 1024);
  const parts: string[] = [];
  if (lambdaDurationMs === null) parts.push(`At ${fmtInt(R)} requests/month Express is not cheaper than this ${usage.memoryMb} MB Lambda at any duration up to Lambda's 15-minute limit.`);
  else
    parts.push(
      `At ${fmtInt(R)} requests/month Express is cheaper once the ${usage.memoryMb} MB Lambda averages ${fmtInt(lambdaDurationMs)} ms or more (${gbsPerInvocation!.toFixed(4)} GB-s per invocation); it averages ${fmtInt(usage.avgDurationMs)} ms.`,
    );
  if (requestsPerMonth === null) parts.push(`At ${fmtInt(usage.avgDurationMs)} ms, Express is not cheaper at any traffic up to ${fmtInt(MAX_REQUESTS)} requests/month.`);
  else if (requestsPerMonth <= 1) parts.push(`At ${fmtInt(usage.avgDurationMs)} ms, Express is cheaper at any traffic.`);
  else parts.push(`At ${fmtInt(usage.avgDurationMs)} ms, Express is cheaper above ${fmtInt(requestsPerMonth)} requests/month.`);
  return { text: parts.join(' '), lambdaDurationMs, lambdaGbSecondsPerInvocation: gbsPerInvocation, requestsPerMonth, expressCheaperNow };
}

function sum(lines: CostLine[]): number {
  return lines.reduce((n, l) => n + l.usd, 0);
}

/** Dollars for people: thousands separators, cents; sub-cent amounts keep four decimals. */
// toLocaleString with options builds a new Intl.NumberFormat on every call; a report formats thousands of figures.
const USD_2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const USD_4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const INT = new Intl.NumberFormat('en-US');

export function formatUsd(n: number): string {
  return `$${(n !== 0 && Math.abs(n) < 0.01 ? USD_4 : USD_2).format(n)}`;
}

export function fmtInt(n: number): string {
  return INT.format(Math.round(n));
}
