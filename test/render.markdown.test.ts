// The markdown renderer is a pure function of the report: check its structure on a hand-built report, so a change
// in the estimate cannot hide a rendering mistake (and the other way round).
import { describe, expect, test } from '@jest/globals';
import { renderMarkdown } from '../src/render/markdown.js';
import type { CostSavings, Finding, ScanReport } from '../src/report/types.js';

const cost: CostSavings = {
  assumptions: {
    requestsPerMonth: 2_500_000,
    avgDurationMs: 40,
    memoryMb: 256,
    architecture: 'arm64',
    region: 'us-east-1',
    pricesAsOf: '2026-11',
    sources: { requestsPerMonth: '--requests-per-month flag', memoryMb: 'template.yaml Fn MemorySize' },
    freeTier: false,
    payloadKb: 2,
    mapItems: 10,
    loopIterations: 3,
    residualDurationMs: 10,
    expressDurationMs: 20,
    expressMemoryMb: 50.004,
    transitionsPerExecution: 3,
    prices: {},
    latencies: {},
  },
  lambdaMonthlyUsd: 0.8333,
  expressMonthlyUsd: 2.7604,
  standardMonthlyUsd: 187.5,
  breakEven: 'At 2,500,000 requests/month Express is cheaper once …',
  breakEvenDetail: { lambdaDurationMs: 300, lambdaGbSecondsPerInvocation: 0.075, requestsPerMonth: null },
  cheapest: 'lambda',
  verdict: 'Lambda is cheaper at 2,500,000 requests/month',
  breakdown: { lambda: [{ item: 'Lambda requests', quantity: 2_500_000, unit: 'requests', usd: 0.5 }], express: [], standard: [] },
  routes: [{ end: 'Respond 200', transitions: 3, expressDurationMs: 20 }],
  notes: ['a note with a | pipe'],
};

const finding = (over: Partial<Finding>): Finding => ({
  id: 'a',
  file: 'src/a.ts',
  export: 'handler',
  line: 3,
  endLine: 9,
  eventSource: 'apigw-rest',
  convertible: 'full',
  reason: 'every step has a direct service integration',
  rules: [],
  blockers: [],
  assumptions: [],
  savings: { lines: { handler: 9, removed: 9, asl: 30 } },
  ...over,
});

const report: ScanReport = {
  tool: 'lambda2sfn',
  version: '0.1.0',
  schemaVersion: 1,
  root: '/x',
  summary: { filesScanned: 3, filesParsed: 2, handlers: 2, full: 1, partial: 0, none: 1, suppressed: 0, handlerLinesRemovable: 9, aslLinesAdded: 30, errors: 1 },
  findings: [
    finding({
      stateMachine: { queryLanguage: 'JSONPath', definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, resources: ['arn:aws:states:::dynamodb:getItem'], states: 1, substitutions: {}, validation: { valid: true, errors: [] } },
      savings: { lines: { handler: 9, removed: 9, asl: 30 }, cost, facts: [{ kind: 'cold-starts', message: 'no Lambda cold start on this path' }] },
      workflowType: { recommended: 'EXPRESS', reasons: ['synchronous API'], required: true },
    }),
    finding({ file: 'src/b.ts', convertible: 'none', reason: 'a loop', blockers: [{ rule: 'unsupported-construct', line: 4, message: 'loop (ForOf) is not converted yet' }] }),
  ],
  suppressed: [],
  errors: [{ file: 'src/c.ts', line: 2, message: 'Unexpected token', severity: 'warning' }],
};

describe('renderMarkdown', () => {
  const md = renderMarkdown(report, { showAsl: false });

  test('a summary table with the three monthly figures per handler; dashes where there is no estimate', () => {
    expect(md).toContain('| `src/a.ts:3` handler | full | apigw-rest | 9 / 30 | $0.83 | $2.76 | $187.50 | EXPRESS |');
    expect(md).toContain('| `src/b.ts:3` handler | none | apigw-rest | 9 / 30 | – | – | – | – |');
  });

  test('the cost section: figures, verdict, assumptions with their sources, break-even, escaped notes', () => {
    expect(md).toContain('**Cost**: monthly cost in us-east-1 (prices as of 2026-11): Lambda $0.83 · Express $2.76 · Standard $187.50');
    expect(md).toContain('> Lambda is cheaper at 2,500,000 requests/month');
    expect(md).toContain('- 2,500,000 requests/month (--requests-per-month flag)');
    expect(md).toContain('- 256 MB (template.yaml Fn MemorySize)');
    expect(md).toContain('| Lambda (today) | $0.83 | Lambda requests: 2,500,000 requests = $0.50 |');
    expect(md).toContain('| Express | $2.76 | no verified price |');
    expect(md).toContain('- a note with a \\| pipe');
    expect(md).toContain('**Workflow type**: EXPRESS (required)');
    expect(md).toContain('- no Lambda cold start on this path');
  });

  test('a finding without a proposal shows its blockers and no cost; errors are listed; no ASL unless asked', () => {
    const b = md.slice(md.indexOf('## `src/b.ts:3`'));
    expect(b).toContain('- line 4: loop (ForOf) is not converted yet (`unsupported-construct`)');
    expect(b).not.toContain('**Cost**');
    expect(md).toContain('## Errors\n\n- `src/c.ts:2`: Unexpected token');
    expect(md).not.toContain('<details>');
    expect(renderMarkdown(report, { showAsl: true })).toContain('<details><summary>Proposed ASL</summary>');
  });
});
