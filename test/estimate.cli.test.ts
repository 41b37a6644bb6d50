// The estimate through the CLI (`run()`), on fixtures/estimate/lambda-cheaper: a thin GetItem API handler at
// 1M requests/month, 50 ms, 128 MB (its usage file). The honest answer is "Lambda is cheaper at this traffic".
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import type { ScanReport } from '../src/report/types.js';
import { REPO_ROOT } from './support/goldenCases.js';

const CASE = join(REPO_ROOT, 'fixtures', 'estimate', 'lambda-cheaper');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['node', 'lambda2sfn', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: CASE, env: {} });
  return { code, out, err };
}

describe('scan with usage inputs: Lambda is cheaper at this traffic', () => {
  test('json: the figures, the verdict and the source of every assumption', async () => {
    const { code, out, err } = await cli(['scan', '.', '--json', '--usage-file', 'usage.yml']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const f = (JSON.parse(out) as ScanReport).findings[0]!;
    expect(f.convertible).toBe('full');
    const c = f.savings.cost!;
    // Lambda: $0.20 + 1M × 0.05 s × 0.125 GB (6,250 GB-s) × $0.0000166667 = $0.304166875 → 0.3042
    expect(c.lambdaMonthlyUsd).toBe(0.3042);
    // Express: the machine's longest route (Init, GetItem, 2 Choices, 2 Passes, Respond: the key id needs no presence
    // check, name does) runs well under 100 ms and
    // needs 50 MB + ~2 KB definition + 4 KB data → 100 ms × 64 MB: $1.00 + 6,250 GB-s ($0.104167) = $1.1042
    expect(c.expressMonthlyUsd).toBe(1.1042);
    // Standard: that route has 7 states: 7M transitions × $0.000025 = $175
    expect(c.assumptions.transitionsPerExecution).toBe(7);
    expect(c.standardMonthlyUsd).toBe(175);
    expect(c.cheapest).toBe('lambda');
    expect(c.verdict).toMatch(/^Lambda is cheaper at 1,000,000 requests\/month: the cheapest workflow costs \$0\.80\/month more/);
    expect(c.breakEvenDetail.lambdaDurationMs).toBe(434);
    expect(c.assumptions.sources['memoryMb']).toBe('usage file usage.yml handlers["getItem.mjs#handler"].memoryMb');
    expect(c.assumptions.sources['region']).toBe('lambda2sfn default');
    expect(c.assumptions.pricesAsOf).toBe('2026-11');
    // Traffic, duration and memory are stated (only the payload is a profile default): no profile range
    expect(c.range).toBeUndefined();
    expect(f.workflowType?.recommended).toBe('EXPRESS');
    expect(f.savings.facts?.find((x) => x.kind === 'dependencies')?.message).toBe('the state machine needs none of the packages this module imports: @aws-sdk/client-dynamodb, @aws-sdk/lib-dynamodb');
  });

  test('text: the figures, the verdict and the assumptions side by side', async () => {
    const { code, out } = await cli(['scan', '.', '--verbose', '--usage-file', 'usage.yml']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    const i = lines.findIndex((l) => l.includes('monthly cost in us-east-1 (prices as of 2026-11): Lambda $0.30 · Express $1.10 · Standard $175.00'));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toMatch(/Lambda is cheaper at 1,000,000 requests\/month/);
    expect(lines[i + 2]).toMatch(/^ {4}assumes: 1,000,000 requests\/month \(usage file usage\.yml handlers\["getItem\.mjs#handler"\]\.requestsPerMonth\); 50 ms average/);
    expect(out).toMatch(/workflow type: EXPRESS \(required\)/);
  });

  test('markdown: a cost table with the assumptions under it', async () => {
    const { code, out } = await cli(['scan', '.', '--format', 'markdown', '--usage-file', 'usage.yml']);
    expect(code).toBe(0);
    expect(out).toMatch(/^# lambda2sfn scan/);
    expect(out).toContain('| Lambda (today) | $0.30 |');
    expect(out).toContain('| Express | $1.10 |');
    expect(out).toContain('| Standard | $175.00 |');
    expect(out).toMatch(/> Lambda is cheaper at 1,000,000 requests\/month/);
    expect(out).toMatch(/Assumptions:\n\n- 1,000,000 requests\/month \(usage file usage\.yml/);
    expect(out).toContain('<details><summary>Proposed ASL</summary>');
  });

  test('flags beat the usage file; --free-tier brings the Lambda to $0', async () => {
    const { out } = await cli(['scan', '.', '--json', '--usage-file', 'usage.yml', '--memory-mb', '1024', '--avg-duration-ms', '300', '--requests-per-month', '10000000']);
    const c = (JSON.parse(out) as ScanReport).findings[0]!.savings.cost!;
    // 10M × 0.3 s × 1 GB × 0.0000166667 = 50.0001 + $2.00 = 52.0001; Express 10 × 1.1041667 = 11.0417
    expect(c.lambdaMonthlyUsd).toBe(52.0001);
    expect(c.expressMonthlyUsd).toBe(11.0417);
    expect(c.cheapest).toBe('express');
    expect(c.assumptions.sources['memoryMb']).toBe('--memory-mb flag');
    const free = (JSON.parse((await cli(['scan', '.', '--json', '--usage-file', 'usage.yml', '--free-tier'])).out) as ScanReport).findings[0]!.savings.cost!;
    // 1M requests and 6,250 GB-s are inside the free tier
    expect(free.lambdaMonthlyUsd).toBe(0);
  });

  test('--help documents the usage options', async () => {
    const { code, out } = await cli(['scan', '--help']);
    expect(code).toBe(0);
    for (const opt of ['--requests-per-month', '--avg-duration-ms', '--memory-mb', '--architecture', '--region', '--payload-kb', '--usage-file', '--free-tier', '--usage-profile', 'markdown']) expect(out).toContain(opt);
  });

  test.each([
    [['--memory-mb', '64'], /--memory-mb: memory must be an integer number of MB from 128 to 10240/],
    [['--requests-per-month', 'lots'], /--requests-per-month needs a whole number/],
    [['--avg-duration-ms', '0'], /--avg-duration-ms needs a number above 0/],
    [['--region', 'mars-north-1'], /--region: region must be one of us-east-1/],
    [['--architecture', 'sparc'], /Allowed choices are x86_64, arm64/],
    [['--usage-profile', 'huge'], /Allowed choices are small, medium, large/],
    [['--usage-file', 'missing.yml'], /cannot read usage file missing\.yml: ENOENT/],
  ])('bad usage input %j is a usage error (exit 2)', async (args, message) => {
    const { code, err } = await cli(['scan', '.', '--json', ...args]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
