// The workflow type advisor: hard constraints, execution semantics, then cost; and the
// whole estimate of one finding (estimateFindings), with usage from a deployment the infrastructure reader would fill.
import { describe, expect, test } from '@jest/globals';
import { estimateFindings, verdictOf } from '../src/estimate/estimateFindings.js';
import { DEFAULT_LATENCIES, walkMachine } from '../src/estimate/transitions.js';
import { adviseWorkflowType, findNonIdempotentWrites, type AdvisorInput } from '../src/estimate/workflowType.js';
import type { AslDefinition, EventSource, Finding } from '../src/report/types.js';

const machine = (states: AslDefinition['States']): AslDefinition => ({ StartAt: Object.keys(states)[0]!, States: states });
const GET = machine({
  Init: { Type: 'Pass', Next: 'GetItem' },
  GetItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'T', Key: {} }, Next: 'Respond 200' },
  'Respond 200': { Type: 'Pass', End: true },
});
const COUNTER = machine({
  Count: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { TableName: 'T', Key: {}, UpdateExpression: 'ADD hits :one' }, End: true },
});
const CALLBACK = machine({
  Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: {}, End: true },
});

function advise(definition: AslDefinition, eventSource: EventSource, over: Partial<AdvisorInput> = {}) {
  const walk = walkMachine(definition, { mapItems: 10, loopIterations: 3, latencies: DEFAULT_LATENCIES, residualDurationMs: 10, handlerDurationMs: 100 });
  return adviseWorkflowType({ eventSource, definition, walk, expressDurationMs: walk.longest.durationMs, payloadKb: 4, requestsPerMonth: 1e6, expressMonthlyUsd: 1.1, standardMonthlyUsd: 75, ...over });
}

describe('adviseWorkflowType', () => {
  test('an API handler must be Express (StartSyncExecution); both costs are in the reasons', () => {
    const a = advise(GET, 'apigw-rest');
    expect(a.recommended).toBe('EXPRESS');
    expect(a.required).toBe(true);
    expect(a.reasons[0]).toMatch(/StartSyncExecution, which only Express workflows support/);
    expect(a.reasons).toContain('cost at 1,000,000 requests/month: Express $1.10, Standard $75.00');
  });

  test('.waitForTaskToken needs Standard', () => {
    const a = advise(CALLBACK, 'eventbridge');
    expect(a).toMatchObject({ recommended: 'STANDARD', required: true });
    expect(a.reasons[0]).toMatch(/"Ask" uses \.waitForTaskToken: Express workflows support neither/);
  });

  test('a Wait of 10 minutes needs Standard (Express stops after 5 minutes)', () => {
    const a = advise(machine({ W: { Type: 'Wait', Seconds: 600, End: true } }), 'sqs');
    expect(a.recommended).toBe('STANDARD');
    expect(a.reasons[0]).toMatch(/waits 600 s: Express executions stop after 5 minutes/);
  });

  test('an API handler that needs a callback: Standard, and the conflict is stated', () => {
    const a = advise(CALLBACK, 'apigw-http');
    expect(a.recommended).toBe('STANDARD');
    expect(a.reasons.join('\n')).toMatch(/conflict: .*StartExecution.*no longer return the result/);
  });

  test('an asynchronous counter update: Standard for exactly-once, since async Express is at-least-once', () => {
    const a = advise(COUNTER, 'sqs');
    expect(a.recommended).toBe('STANDARD');
    expect(a.required).toBe(false);
    expect(a.nonIdempotentWrites).toEqual([{ state: 'Count', what: 'an ADD update (a counter or a set): each run adds again' }]);
    expect(a.reasons[0]).toMatch(/at least once.*Standard runs exactly once/);
  });

  test('the same counter from an unknown invoker: no type forced, both semantics stated, cost decides', () => {
    const a = advise(COUNTER, 'unknown');
    expect(a.recommended).toBe('EXPRESS');
    expect(a.required).toBe(false);
    expect(a.reasons[0]).toMatch(/event source is not known: started asynchronously, Express runs at least once.*started synchronously \(StartSyncExecution\), Express runs at most once/);
  });

  test('the same counter behind an API stays Express, and says sync Express is at-most-once', () => {
    const a = advise(COUNTER, 'apigw-rest');
    expect(a.recommended).toBe('EXPRESS');
    expect(a.reasons[1]).toMatch(/synchronous Express runs at most once/);
  });

  test('with no constraint, the cheaper type wins', () => {
    expect(advise(GET, 'eventbridge').recommended).toBe('EXPRESS');
    expect(advise(GET, 'eventbridge', { expressMonthlyUsd: 9, standardMonthlyUsd: 0.5 }).recommended).toBe('STANDARD');
  });

  test('non-idempotent writes: counters (x = x + n), list_append, publishes; plain reads and overwrites are not', () => {
    const def = machine({
      A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { UpdateExpression: 'SET #n = #n + :one' }, Next: 'B' },
      B: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { UpdateExpression: 'SET tags = list_append(tags, :t)' }, Next: 'C' },
      C: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: {}, Next: 'D' },
      D: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { UpdateExpression: 'SET #s = :s' }, Next: 'E' },
      E: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: {}, End: true },
    });
    expect(findNonIdempotentWrites(def).map((w) => w.state)).toEqual(['A', 'B', 'C']);
  });
});

describe('estimateFindings', () => {
  const base = (over: Partial<Finding>): Finding => ({
    id: 'x',
    file: 'src/getOrder.ts',
    export: 'handler',
    line: 1,
    endLine: 10,
    eventSource: 'apigw-rest',
    convertible: 'full',
    reason: '',
    rules: [],
    blockers: [],
    assumptions: [],
    stateMachine: { queryLanguage: 'JSONPath', definition: GET, resources: [], states: 3, substitutions: {}, validation: { valid: true, errors: [] } },
    savings: { lines: { handler: 10, removed: 10, asl: 20 } },
    ...over,
  });

  test('a finding deployed with 1024 MB (from the infrastructure) at 10M requests/month and 300 ms: Express is cheaper', async () => {
    const f = base({ deployment: { iac: 'sam', file: 'template.yaml', resource: 'GetOrderFunction', memoryMb: 1024, architecture: 'x86_64' } });
    await estimateFindings([f], { requestsPerMonth: 10_000_000, avgDurationMs: 300 }, '/nonexistent');
    const c = f.savings.cost!;
    // Lambda: 10M × 0.3 s × 1 GB = 3,000,000 GB-s × 0.0000166667 = 50.0001 + $2.00 requests = 52.0001
    expect(c.lambdaMonthlyUsd).toBeCloseTo(52.0001, 4);
    // Express: 16 ms → 100 ms billed; 50 MB + a few hundred bytes → 64 MB; 62,500 GB-s = 17.3611 GB-h × 0.06 = 1.0417 + $10 = 11.0417
    expect(c.expressMonthlyUsd).toBeCloseTo(11.0417, 4);
    // Standard: 3 transitions × 10M × $0.000025 = $750
    expect(c.standardMonthlyUsd).toBeCloseTo(750, 4);
    expect(c.cheapest).toBe('express');
    expect(c.verdict).toMatch(/^Express is cheaper at 10,000,000 requests\/month: \$40\.96\/month less than the Lambda \(\$52\.00\)/);
    expect(c.assumptions).toMatchObject({ requestsPerMonth: 10_000_000, avgDurationMs: 300, memoryMb: 1024, architecture: 'x86_64', region: 'us-east-1', pricesAsOf: '2026-11', transitionsPerExecution: 3 });
    expect(c.assumptions.sources).toMatchObject({ requestsPerMonth: '--requests-per-month flag', avgDurationMs: '--avg-duration-ms flag', memoryMb: 'template.yaml GetOrderFunction MemorySize', architecture: 'template.yaml GetOrderFunction Architectures' });
    expect(c.assumptions.prices['expressDuration']).toMatch(/aws\.amazon\.com\/step-functions\/pricing/);
    // API Gateway REST: 10M × $3.50 per 1M, the same before and after
    expect(c.apiGatewayMonthlyUsd).toBeCloseTo(35, 9);
    expect(f.workflowType).toMatchObject({ recommended: 'EXPRESS', required: true });
  });

  test('none findings get no cost; partial findings include the Lambda function they still invoke', async () => {
    const none = base({ convertible: 'none', stateMachine: undefined });
    const partial = base({
      convertible: 'partial',
      stateMachine: {
        queryLanguage: 'JSONPath',
        definition: machine({
          Compute: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${ResidualFunctionArn}' }, Next: 'Put' },
          Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: {}, End: true },
        }),
        resources: [],
        states: 2,
        substitutions: {},
        validation: { valid: true, errors: [] },
        residual: { file: 'src/getOrder.handler.kept.ts', functions: [], source: '' },
      },
    });
    await estimateFindings([none, partial], { requestsPerMonth: 1_000_000, avgDurationMs: 50, memoryMb: 128 }, '/nonexistent');
    expect(none.savings.cost).toBeUndefined();
    expect(none.workflowType).toBeUndefined();
    const c = partial.savings.cost!;
    // Residual Lambda: 1M × 10 ms × 0.125 GB = 1,250 GB-s × 0.0000166667 = 0.0208334 + $0.20 = 0.2208334
    // Express: 2 × 2 ms + (20 + 10) + 10 = 44 ms → 100 ms × 64 MB: $1.1041667; total 1.3250001
    expect(c.expressMonthlyUsd).toBeCloseTo(1.325, 4);
    expect(c.breakdown.express.map((l) => l.item)).toContain('Lambda (residual function) requests');
    expect(partial.savings.facts!.map((x) => x.kind)).toEqual(['lines', 'cold-starts', 'runtime']);
    expect(partial.savings.facts![1]!.message).toBe('cold starts remain for the residual function (pure computation only)');
  });

  test('a region without verified Express prices: the totals that need them are null, and the report says why', async () => {
    const f = base({});
    await estimateFindings([f], { region: 'eu-west-1' }, '/nonexistent');
    const c = f.savings.cost!;
    expect(c.expressMonthlyUsd).toBeNull();
    expect(c.lambdaMonthlyUsd).toBeNull();
    // Standard: 3 × 1M (medium profile) × $0.025/1,000 (AWS's table for Europe (Ireland)) = $75
    expect(c.standardMonthlyUsd).toBeCloseTo(75, 9);
    expect(c.breakEven).toMatch(/^not computed: Lambda request price in eu-west-1/);
    expect(c.notes.join('\n')).toMatch(/not estimated for lack of a verified price/);
  });

  test('when usage comes from the profile, the figures are also given for the small and large profiles', async () => {
    const f = base({});
    await estimateFindings([f], {}, '/nonexistent');
    const r = f.savings.cost!.range!;
    expect(r.defaulted).toEqual(['requestsPerMonth', 'avgDurationMs', 'memoryMb', 'payloadKb']);
    // small: 100,000 requests, 50 ms, 128 MB → Lambda 0.02 + 625 GB-s × 0.0000166667 = 0.0304167;
    //        Express 0.10 + 625 GB-s (100 ms × 64 MB) = 0.1736 GB-h × 0.06 = 0.0104167 → 0.1104167; Standard 300,000 × 0.000025 = 7.50
    expect(r.small).toEqual({ lambdaMonthlyUsd: 0.0304, expressMonthlyUsd: 0.1104, standardMonthlyUsd: 7.5, cheapest: 'lambda' });
    // large: 50M requests, 200 ms, 1024 MB → Lambda 10 + 10,000,000 GB-s × 0.0000166667 = 176.667;
    //        Express 50 + 312,500 GB-s = 86.806 GB-h × 0.06 = 5.2083 → 55.2083; Standard 150M × 0.000025 = 3,750
    expect(r.large).toEqual({ lambdaMonthlyUsd: 176.667, expressMonthlyUsd: 55.2083, standardMonthlyUsd: 3750, cheapest: 'express' });
    // Everything stated: no range
    const g = base({});
    await estimateFindings([g], { requestsPerMonth: 5, avgDurationMs: 5, memoryMb: 128, payloadKb: 1 }, '/nonexistent');
    expect(g.savings.cost!.range).toBeUndefined();
  });

  test('verdicts: a tie is called a tie; Standard can be the cheaper workflow', () => {
    expect(verdictOf(0, 0, 0, 0)).toEqual({ cheapest: 'lambda', verdict: 'the Lambda and the cheapest workflow cost the same at 0 requests/month ($0.00)' });
    // 5.00 − 2.00 = 3.00 saved with Standard
    expect(verdictOf(5, 9, 2, 1000)).toEqual({ cheapest: 'standard', verdict: 'Standard is cheaper at 1,000 requests/month: $3.00/month less than the Lambda ($5.00)' });
  });
});
