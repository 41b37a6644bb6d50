// The cost model against figures worked out by hand from the published prices (us-east-1):
//   Lambda: $0.20 per 1M requests; x86 $0.0000166667/GB-s (first 6 B GB-s), $0.000015 (next 9 B), $0.0000133334 beyond;
//           arm64 $0.0000133334 (first 7.5 B), $0.0000120001 (next 11.25 B), $0.0000106667 beyond (−20%, AWS blog 2022).
//           Free tier 1M requests + 400,000 GB-s. GB = MB / 1024. Duration rounded up to 1 ms.
//   Express: $1.00 per 1M requests; $0.06/GB-h first 1,000 GB-h, $0.03 next 4,000, $0.01642 beyond; 100 ms and 64 MB steps.
//   Standard: $0.025 per 1,000 transitions; free tier 4,000.
import { describe, expect, test } from '@jest/globals';
import {
  breakEven,
  expressBilledDurationMs,
  expressBilledMemoryMb,
  expressMemoryMb,
  expressMonthlyCost,
  lambdaMonthlyCost,
  standardMonthlyCost,
  tieredCost,
} from '../src/estimate/costModel.js';
import { REGION_PRICES } from '../src/estimate/prices.js';

const P = REGION_PRICES['us-east-1']!;
const lambda = (requestsPerMonth: number, avgDurationMs: number, memoryMb: number, architecture: 'x86_64' | 'arm64' = 'x86_64', free = false) =>
  lambdaMonthlyCost({ requestsPerMonth, avgDurationMs, memoryMb, architecture }, P, free).usd!;
const express = (requestsPerMonth: number, durationMs: number, memoryMb: number) => expressMonthlyCost({ requestsPerMonth, durationMs, memoryMb }, P).usd!;

describe('worked example: 1M requests/month, a handler that does one GetItem', () => {
  test('Lambda 128 MB, 50 ms: $0.20 + 6,250 GB-s × $0.0000166667 = $0.304 (arm64 $0.283)', () => {
    // 1,000,000 × 0.050 s × 128/1024 GB = 6,250 GB-s
    // x86: 0.20 + 6,250 × 0.0000166667 = 0.20 + 0.104166875 = 0.304166875
    // arm: 0.20 + 6,250 × 0.0000133334 = 0.20 + 0.08333375  = 0.28333375
    expect(lambda(1e6, 50, 128)).toBeCloseTo(0.304166875, 9);
    expect(lambda(1e6, 50, 128, 'arm64')).toBeCloseTo(0.28333375, 9);
  });

  test('Lambda 256 MB, 50 ms: 12,500 GB-s → $0.408 (arm64 $0.367)', () => {
    // x86: 0.20 + 12,500 × 0.0000166667 = 0.40833375; arm: 0.20 + 12,500 × 0.0000133334 = 0.3666675
    expect(lambda(1e6, 50, 256)).toBeCloseTo(0.40833375, 9);
    expect(lambda(1e6, 50, 256, 'arm64')).toBeCloseTo(0.3666675, 9);
  });

  test('with the free tier, both Lambda variants cost $0', () => {
    expect(lambda(1e6, 50, 128, 'x86_64', true)).toBe(0);
    expect(lambda(1e6, 50, 256, 'x86_64', true)).toBe(0);
  });

  test('Express, 3 states in ≤ 100 ms at 64 MB: $1.104; $1.208 if it runs 101–200 ms', () => {
    // 1,000,000 × 0.1 s × 64/1024 GB = 6,250 GB-s = 1.7361 GB-h × $0.06 = $0.104167; + $1.00 requests
    expect(express(1e6, 16, 50.002)).toBeCloseTo(1.1041667, 6);
    // 200 ms billed: 12,500 GB-s = 3.4722 GB-h × $0.06 = $0.208333; + $1.00
    expect(express(1e6, 101, 50.002)).toBeCloseTo(1.2083333, 6);
  });

  test('Standard, 3 transitions: $75.00; $74.90 after the 4,000 free transitions', () => {
    // 3,000,000 × $0.000025 = $75.00; (3,000,000 − 4,000) × $0.000025 = $74.90
    expect(standardMonthlyCost({ requestsPerMonth: 1e6, transitionsPerExecution: 3 }, P, false).usd).toBeCloseTo(75, 9);
    expect(standardMonthlyCost({ requestsPerMonth: 1e6, transitionsPerExecution: 3 }, P, true).usd).toBeCloseTo(74.9, 9);
  });

  test('break-even against a 100 ms, 64 MB Express run: 128 MB from 434 ms, 256 MB from 217 ms, 512 MB from 109 ms, 1024 MB from 55 ms', () => {
    // Express = $1.1041667. Lambda = 0.20 + 1e6 × (d/1000) × (MB/1024) × 0.0000166667 must exceed it:
    //   128 MB: d > 0.9041667 / 2.0833375 s  = 433.99… ms → 434 ms (0.054250 GB-s per invocation; the doc's "> 0.0542")
    //   256 MB: d > 0.9041667 / 4.166675 s   = 216.99… ms → 217 ms
    //   512 MB: d > 0.9041667 / 8.33335 s    = 108.50 ms  → 109 ms
    //  1024 MB: d > 0.9041667 / 16.6667 s    = 54.25 ms   → 55 ms
    const expressAt = (r: number) => express(r, 16, 50.002);
    const at = (memoryMb: number) => breakEven({ requestsPerMonth: 1e6, avgDurationMs: 50, memoryMb, architecture: 'x86_64' }, (r, d) => lambda(r, d, memoryMb), expressAt);
    expect(at(128).lambdaDurationMs).toBe(434);
    expect(at(128).lambdaGbSecondsPerInvocation).toBeCloseTo(0.05425, 9);
    expect(at(256).lambdaDurationMs).toBe(217);
    expect(at(512).lambdaDurationMs).toBe(109);
    expect(at(1024).lambdaDurationMs).toBe(55);
    // At 50 ms and 128 MB the Lambda is cheaper and stays so at any traffic the search covers (both grow linearly
    // until Express's volume tiers: 0.304 vs 1.104 per million, and the Express tiers only cut the duration part).
    expect(at(128).expressCheaperNow).toBe(false);
    expect(at(128).requestsPerMonth).toBeNull();
    expect(at(128).text).toMatch(/not cheaper at any traffic/);
  });
});

describe('a 1024 MB / 300 ms handler at 10M requests/month: Express is cheaper', () => {
  // Lambda: 10,000,000 × 0.3 s × 1 GB = 3,000,000 GB-s × 0.0000166667 = $50.0001; + 10 × $0.20 = $2.00 → $52.0001
  // Express (100 ms, 64 MB): 10,000,000 × 0.1 × 0.0625 = 62,500 GB-s = 17.3611 GB-h × $0.06 = $1.041667; + $10.00 → $11.041667
  // Standard, 3 transitions: 30,000,000 × $0.000025 = $750.00
  test('the figures', () => {
    expect(lambda(10e6, 300, 1024)).toBeCloseTo(52.0001, 6);
    expect(express(10e6, 16, 50.002)).toBeCloseTo(11.041667, 5);
    expect(standardMonthlyCost({ requestsPerMonth: 10e6, transitionsPerExecution: 3 }, P, false).usd).toBeCloseTo(750, 9);
  });

  test('break-even: Express is cheaper at any traffic at 300 ms; at 10M requests the Lambda only has to run 55 ms', () => {
    // Per request: Lambda 0.2e-6 + 0.3 × 1 × 0.0000166667 = 5.20001e-6 > Express 1e-6 + 0.1 × 0.0625 × 0.06 / 3600 = 1.1041667e-6
    // Duration: 2.00 + 1e7 × d/1000 × 0.0000166667 > 11.041667 → d > 9.041667 / 166.667 s = 54.25 ms → 55 ms
    const be = breakEven({ requestsPerMonth: 10e6, avgDurationMs: 300, memoryMb: 1024, architecture: 'x86_64' }, (r, d) => lambda(r, d, 1024), (r) => express(r, 16, 50.002));
    expect(be.expressCheaperNow).toBe(true);
    expect(be.requestsPerMonth).toBe(1);
    expect(be.lambdaDurationMs).toBe(55);
    expect(be.text).toMatch(/cheaper at any traffic/);
  });
});

describe('Express memory: a payload that moves an execution into the second 64 MB chunk', () => {
  test("AWS's own example: 50 KB definition, 400 map steps of 32 KB → 62.85 MB, billed as 64 MB", () => {
    // 50 + 0.05 + 400 × 0.032 = 62.85
    expect(expressMemoryMb(50_000, 32_000, 400)).toBeCloseTo(62.85, 9);
    expect(expressBilledMemoryMb(62.85)).toBe(64);
  });

  test('100 Map steps of 150 KB with a 5 KB definition → 65.005 MB, billed as 128 MB; twice the duration charge', () => {
    // 50 + 0.005 + 100 × 0.150 = 65.005 MB → 128 MB billed
    expect(expressMemoryMb(5_000, 150_000, 100)).toBeCloseTo(65.005, 9);
    expect(expressBilledMemoryMb(65.005)).toBe(128);
    // 1M × 0.1 s × 128/1024 GB = 12,500 GB-s = 3.4722 GB-h × $0.06 = $0.208333 + $1.00
    expect(express(1e6, 16, 65.005)).toBeCloseTo(1.2083333, 6);
    // One step of 4 KB (no Map): 50 + 0.005 + 0.004 = 50.009 MB → 64 MB
    expect(expressBilledMemoryMb(expressMemoryMb(5_000, 4_000, 0))).toBe(64);
  });
});

describe('tier boundaries and rounding', () => {
  test('Lambda x86 duration tiers at 6 B and 15 B GB-s', () => {
    const x86 = P.lambda.gbSecond.x86_64.tiers!;
    // 6e9 × 0.0000166667 = 100,000.2
    expect(tieredCost(6e9, x86)).toBeCloseTo(100_000.2, 4);
    // + 1e9 × 0.000015 = 15,000 → 115,000.2
    expect(tieredCost(7e9, x86)).toBeCloseTo(115_000.2, 4);
    // 100,000.2 + 9e9 × 0.000015 (135,000) + 5e9 × 0.0000133334 (66,667) = 301,667.2
    expect(tieredCost(20e9, x86)).toBeCloseTo(301_667.2, 3);
  });

  test('Lambda arm64 duration tiers at 7.5 B and 18.75 B GB-s', () => {
    const arm = P.lambda.gbSecond.arm64.tiers!;
    // 7.5e9 × 0.0000133334 = 100,000.5; + 11.25e9 × 0.0000120001 = 135,001.125 → 235,001.625
    expect(tieredCost(18.75e9, arm)).toBeCloseTo(235_001.625, 3);
    // + 1.25e9 × 0.0000106667 = 13,333.375 → 248,335.0
    expect(tieredCost(20e9, arm)).toBeCloseTo(248_335, 3);
  });

  test("Express GB-hour tiers: AWS's example 3 (100M executions × 10 s × 64 MB) → $382.97 duration + $100 requests", () => {
    // 100e6 × 10 s × 0.0625 GB = 62.5e6 GB-s = 17,361.11 GB-h
    // 1,000 × 0.06 + 4,000 × 0.03 + 12,361.11 × 0.01642 = 60 + 120 + 202.969 = 382.969
    const c = expressMonthlyCost({ requestsPerMonth: 100e6, durationMs: 10_000, memoryMb: 60 }, P);
    expect(c.lines[1]!.quantity).toBeCloseTo(17_361.111, 3);
    expect(c.lines[1]!.usd).toBeCloseTo(382.969, 3);
    expect(c.usd).toBeCloseTo(482.969, 3);
    // Exactly 1,000 GB-h all in the first tier: $60
    expect(tieredCost(1000, P.express.gbHour.tiers!)).toBeCloseTo(60, 9);
    expect(tieredCost(5000, P.express.gbHour.tiers!)).toBeCloseTo(180, 9);
  });

  test('free tiers end exactly at 1M requests + 400,000 GB-s (Lambda) and 4,000 transitions (Standard)', () => {
    // 1M × 0.8 s × 0.5 GB = 400,000 GB-s: all free
    expect(lambda(1e6, 800, 512, 'x86_64', true)).toBe(0);
    // 2M: 1M billable requests ($0.20) + 400,000 billable GB-s × 0.0000166667 ($6.66668) = $6.86668
    expect(lambda(2e6, 800, 512, 'x86_64', true)).toBeCloseTo(6.86668, 6);
    expect(standardMonthlyCost({ requestsPerMonth: 1000, transitionsPerExecution: 4 }, P, true).usd).toBe(0);
    // 4,001 transitions: one billable, $0.000025
    expect(standardMonthlyCost({ requestsPerMonth: 4001, transitionsPerExecution: 1 }, P, true).usd).toBeCloseTo(0.000025, 12);
  });

  test('rounding: Lambda to 1 ms, Express to 100 ms (at least 100) and 64 MB chunks', () => {
    // 1M × 0.051 s × 0.125 GB = 6,375 GB-s × 0.0000166667 = 0.10625021; + 0.20
    expect(lambda(1e6, 50.2, 128)).toBeCloseTo(0.30625021, 8);
    expect(expressBilledDurationMs(0)).toBe(100);
    expect(expressBilledDurationMs(100)).toBe(100);
    expect(expressBilledDurationMs(100.5)).toBe(200);
    expect(expressBilledMemoryMb(64)).toBe(64);
    expect(expressBilledMemoryMb(64.001)).toBe(128);
  });

  test('a region without a verified Express price gives no Express total, and says which price is missing', () => {
    const c = expressMonthlyCost({ requestsPerMonth: 1e6, durationMs: 10, memoryMb: 50 }, REGION_PRICES['eu-central-1']!);
    expect(c.usd).toBeNull();
    expect(c.missing).toEqual(['Express request price in eu-central-1', 'Express duration price in eu-central-1']);
    // The Standard price there is on AWS's regional table: $0.0250 per 1,000
    expect(standardMonthlyCost({ requestsPerMonth: 1e6, transitionsPerExecution: 3 }, REGION_PRICES['eu-central-1']!, false).usd).toBeCloseTo(75, 9);
  });
});
