// Usage inputs: which value wins (flags → usage file entry → infrastructure → usage file defaults → configuration →
// profile), and that the report names the source of each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { UsageError } from '../src/errors.js';
import { avgDurationMsFromDuration, requestsPerMonthFromInvocations } from '../src/estimate/cloudwatch.js';
import { checkUsageOptions, loadUsageFile, resolveUsage } from '../src/estimate/usage.js';
import type { Deployment } from '../src/report/types.js';

const dir = mkdtempSync(join(tmpdir(), 'l2s-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const SAM: Deployment = { iac: 'sam', file: 'template.yaml', resource: 'GetOrderFunction', line: 12, memoryMb: 1024, architecture: 'arm64', timeoutS: 10 };
const finding = (deployment?: Deployment) => ({ file: 'src/getOrder.ts', export: 'handler', deployment });

describe('resolveUsage', () => {
  test('with nothing given: the medium profile, x86_64, us-east-1, free tier off; each value names its source', () => {
    const u = resolveUsage(finding(), {});
    expect(u).toMatchObject({ requestsPerMonth: 1_000_000, avgDurationMs: 100, memoryMb: 512, architecture: 'x86_64', region: 'us-east-1', payloadKb: 4, freeTier: false });
    expect(u.sources['memoryMb']).toBe('profile medium (lambda2sfn default)');
    expect(u.sources['architecture']).toBe('AWS Lambda default (x86_64)');
  });

  test('the infrastructure beats the profile and is named with its file, line and property', () => {
    const u = resolveUsage(finding(SAM), { profile: 'small' });
    expect(u.memoryMb).toBe(1024);
    expect(u.architecture).toBe('arm64');
    expect(u.sources['memoryMb']).toBe('template.yaml:12 GetOrderFunction MemorySize');
    expect(u.sources['architecture']).toBe('template.yaml:12 GetOrderFunction Architectures');
    // what the infrastructure does not say comes from the chosen profile
    expect(u.requestsPerMonth).toBe(100_000);
    expect(u.sources['requestsPerMonth']).toBe('--usage-profile small');
  });

  test('Serverless and CDK deployments are named in their own terms', () => {
    expect(resolveUsage(finding({ iac: 'serverless', file: 'serverless.yml', resource: 'getOrder', memoryMb: 256 }), {}).sources['memoryMb']).toBe('serverless.yml getOrder memorySize');
    expect(resolveUsage(finding({ iac: 'cdk', file: 'lib/stack.ts', resource: 'GetOrder', line: 40, memoryMb: 256 }), {}).sources['memoryMb']).toBe('lib/stack.ts:40 GetOrder memorySize');
  });

  test('a usage file entry beats the infrastructure; its defaults do not', async () => {
    file(
      'usage.yml',
      `version: 1
defaults:
  memoryMb: 2048
  requestsPerMonth: 5000
handlers:
  src/getOrder.ts#handler:
    avgDurationMs: 40
  GetOrderFunction:
    memoryMb: 3008
`,
    );
    const uf = await loadUsageFile('usage.yml', dir);
    const u = resolveUsage(finding(SAM), {}, uf);
    // "file#export" is matched before the function name, so 3008 (keyed by function name) is not used…
    expect(u.avgDurationMs).toBe(40);
    expect(u.sources['avgDurationMs']).toBe('usage file usage.yml handlers["src/getOrder.ts#handler"].avgDurationMs');
    // …and the infrastructure's 1024 MB beats the file's defaults (2048)
    expect(u.memoryMb).toBe(1024);
    expect(u.requestsPerMonth).toBe(5000);
    expect(u.sources['requestsPerMonth']).toBe('usage file usage.yml defaults.requestsPerMonth');
    // Another handler deployed as GetOrderFunction is matched by function name
    const other = resolveUsage({ file: 'src/other.ts', export: 'handler', deployment: SAM }, {}, uf);
    expect(other.memoryMb).toBe(3008);
  });

  test('flags beat everything; the configuration beats only the profile', async () => {
    const uf = await loadUsageFile(file('u2.yml', 'handlers:\n  src/getOrder.ts:\n    memoryMb: 256\n'), dir);
    const u = resolveUsage(finding(SAM), { memoryMb: 128, configDefaults: { memoryMb: 640, requestsPerMonth: 42 } }, uf);
    expect(u.memoryMb).toBe(128);
    expect(u.sources['memoryMb']).toBe('--memory-mb flag');
    expect(u.requestsPerMonth).toBe(42);
    expect(u.sources['requestsPerMonth']).toBe('configuration usage.requestsPerMonth');
  });

  test('bad usage files and bad values are usage errors naming the file and the key', async () => {
    await expect(loadUsageFile('missing.yml', dir)).rejects.toThrow(UsageError);
    await expect(loadUsageFile(file('bad1.yml', 'handlers:\n  x.ts:\n    memoryMb: 64\n'), dir)).rejects.toThrow(/bad1\.yml: handlers\["x\.ts"\]\.memoryMb: memory must be an integer number of MB from 128 to 10240 \(got 64\)/);
    await expect(loadUsageFile(file('bad2.yml', 'defaults:\n  requests: 5\n'), dir)).rejects.toThrow(/unknown usage key "requests"/);
    await expect(loadUsageFile(file('bad3.yml', 'handler:\n  a: 1\n'), dir)).rejects.toThrow(/unknown key "handler"/);
    await expect(loadUsageFile(file('bad4.yml', 'defaults: [1, 2'), dir)).rejects.toThrow(/not valid YAML/);
    expect(() => checkUsageOptions({ region: 'mars-1' })).toThrow(/--region: region must be one of us-east-1/);
    expect(() => checkUsageOptions({ memoryMb: 100 })).toThrow(/--memory-mb/);
  });

  test('Infracost-style snake_case keys and resource_usage are accepted in usage files', async () => {
    const uf = await loadUsageFile(file('infracost.yml', 'version: 0.1\nresource_usage:\n  GetOrderFunction:\n    monthly_requests: 2000000\n    request_duration_ms: 80\n    memory_mb: 256\n'), dir);
    const u = resolveUsage(finding(SAM), {}, uf);
    expect({ r: u.requestsPerMonth, d: u.avgDurationMs, m: u.memoryMb }).toEqual({ r: 2_000_000, d: 80, m: 256 });
    await expect(loadUsageFile(file('dup.yml', 'defaults:\n  memory_mb: 256\n  memoryMb: 512\n'), dir)).rejects.toThrow(/memoryMb is given twice/);
  });
});

describe('CloudWatch exports (aws cloudwatch get-metric-statistics JSON)', () => {
  const invocations = {
    Label: 'Invocations',
    Datapoints: [
      { Timestamp: '2026-10-03T00:00:00Z', Sum: 3000, Unit: 'Count' },
      { Timestamp: '2026-10-01T00:00:00Z', Sum: 1000, Unit: 'Count' },
      { Timestamp: '2026-10-02T00:00:00Z', Sum: 2000, Unit: 'Count' },
    ],
  };
  const duration = {
    Label: 'Duration',
    Datapoints: [
      { Timestamp: '2026-10-01T00:00:00Z', Average: 40, SampleCount: 1000, Unit: 'Milliseconds' },
      { Timestamp: '2026-10-02T00:00:00Z', Average: 100, SampleCount: 3000, Unit: 'Milliseconds' },
    ],
  };

  test('invocations: 6,000 over three daily datapoints (72 h) → 6,000 × 730 / 72 = 60,833 a month', () => {
    expect(requestsPerMonthFromInvocations(invocations).value).toBe(60_833);
  });

  test('duration: weighted by SampleCount (40 × 1,000 + 100 × 3,000) / 4,000 = 85 ms; without counts the plain mean, 70 ms', () => {
    expect(avgDurationMsFromDuration(duration).value).toBe(85);
    expect(avgDurationMsFromDuration({ Label: 'Duration', Datapoints: duration.Datapoints.map(({ SampleCount: _, ...p }) => p) }).value).toBe(70);
  });

  test('wrong exports are refused with the reason', () => {
    expect(() => requestsPerMonthFromInvocations(duration)).toThrow(/expected the Invocations metric, found "Duration"/);
    expect(() => requestsPerMonthFromInvocations({ Label: 'Invocations', Datapoints: [invocations.Datapoints[0]] })).toThrow(/at least two datapoints/);
    expect(() => avgDurationMsFromDuration({ Datapoints: [{ Timestamp: '2026-10-01T00:00:00Z', Sum: 3 }] })).toThrow(/no Average/);
  });

  test('a usage file entry can point at the exports; values written in the entry still win', async () => {
    file('inv.json', JSON.stringify(invocations));
    file('dur.json', JSON.stringify(duration));
    const uf = await loadUsageFile(file('cw.yml', 'handlers:\n  GetOrderFunction:\n    cloudwatchInvocations: inv.json\n    cloudwatchDuration: dur.json\n  src/other.ts:\n    cloudwatchDuration: dur.json\n    avgDurationMs: 12\n'), dir);
    const u = resolveUsage(finding(SAM), {}, uf);
    expect(u.requestsPerMonth).toBe(60_833);
    expect(u.avgDurationMs).toBe(85);
    expect(u.sources['requestsPerMonth']).toBe('CloudWatch export inv.json: 6,000 invocations over 72 h (3 datapoints), scaled to 730 h');
    expect(resolveUsage({ file: 'src/other.ts', export: 'handler' }, {}, uf).avgDurationMs).toBe(12);
    await expect(loadUsageFile(file('cw2.yml', 'handlers:\n  X:\n    cloudwatchDuration: nope.json\n'), dir)).rejects.toThrow(/cloudwatchDuration: cannot read nope\.json: ENOENT/);
  });
});
