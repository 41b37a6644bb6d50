// Route walking: transitions per route (Standard bills each state entered, retries extra), Map
// iterations and loops multiplying, and the Express duration estimate from the per-call latencies.
import { describe, expect, test } from '@jest/globals';
import { standardMonthlyCost } from '../src/estimate/costModel.js';
import { REGION_PRICES } from '../src/estimate/prices.js';
import { DEFAULT_LATENCIES, walkMachine, type WalkOptions } from '../src/estimate/transitions.js';
import type { AslDefinition } from '../src/report/types.js';

const opts = (over: Partial<WalkOptions> = {}): WalkOptions => ({ mapItems: 10, loopIterations: 3, latencies: DEFAULT_LATENCIES, residualDurationMs: 10, handlerDurationMs: 100, ...over });
const P = REGION_PRICES['us-east-1']!;

// The shape lambda2sfn emits for a one-GetItem handler.
const THREE_STATES: AslDefinition = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Next: 'GetItem' },
    GetItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'T', Key: { id: { 'S.$': '$.id' } } }, Retry: [{ ErrorEquals: ['DynamoDB.ThrottlingException'] }], Next: 'Respond 200' },
    'Respond 200': { Type: 'Pass', End: true },
  },
};

// Init → Query → Map over the items (4 states per item on its longest path) → Respond.
const FORTY_TRANSITIONS: AslDefinition = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Next: 'Query' },
    Query: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:query', Parameters: {}, Next: 'Each item' },
    'Each item': {
      Type: 'Map',
      ItemsPath: '$.Items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Keep',
        States: {
          Keep: { Type: 'Pass', Next: 'Has name?' },
          'Has name?': { Type: 'Choice', Choices: [{ Variable: '$.name', IsPresent: true, Next: 'Set name' }], Default: 'Done' },
          'Set name': { Type: 'Pass', Next: 'Done' },
          Done: { Type: 'Pass', End: true },
        },
      },
      Next: 'Respond 200',
    },
    'Respond 200': { Type: 'Pass', End: true },
  },
};

describe('walkMachine', () => {
  test('a 3-state machine: 3 transitions per execution, $75.00 a month at 1M executions on Standard', () => {
    const w = walkMachine(THREE_STATES, opts());
    expect(w.routes).toHaveLength(1);
    expect(w.mostTransitions).toMatchObject({ end: 'Respond 200', states: ['Init', 'GetItem', 'Respond 200'], transitions: 3 });
    // 3 states × 2 ms + one DynamoDB item call 10 ms = 16 ms
    expect(w.longest.durationMs).toBe(16);
    // 3,000,000 × $0.000025
    expect(standardMonthlyCost({ requestsPerMonth: 1e6, transitionsPerExecution: w.mostTransitions.transitions }, P, false).usd).toBeCloseTo(75, 9);
    expect(w.retryStates).toEqual(['GetItem']);
  });

  test('a 40-transition machine: Init + Query + Map (1 + 9 items × 4) + Respond; $1,000.00 a month at 1M executions', () => {
    // Longest iteration path: Keep → Has name? → Set name → Done = 4 states. 1 + 1 + (1 + 9 × 4) + 1 = 40.
    const w = walkMachine(FORTY_TRANSITIONS, opts({ mapItems: 9 }));
    expect(w.mostTransitions.transitions).toBe(40);
    expect(w.mostTransitions.mapOrParallelSteps).toBe(9);
    // 40,000,000 × $0.000025 = $1,000
    expect(standardMonthlyCost({ requestsPerMonth: 1e6, transitionsPerExecution: 40 }, P, false).usd).toBeCloseTo(1000, 9);
    // Duration: 4 top-level states × 2 ms + query 25 ms + one wave of 9 items (≤ 40 at a time) × (4 × 2 ms) = 41 ms
    expect(w.longest.durationMs).toBe(41);
    expect(w.notes.join('\n')).toMatch(/9 items assumed per execution/);
  });

  test('each end state is a route; a Choice and a Catch lead to different counts', () => {
    const def: AslDefinition = {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Next: 'UpdateItem' },
        UpdateItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: {}, Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Respond 409' }], Next: 'Found?' },
        'Found?': { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Shape' }], Default: 'Respond 404' },
        Shape: { Type: 'Pass', Next: 'Respond 200' },
        'Respond 200': { Type: 'Pass', End: true },
        'Respond 404': { Type: 'Pass', End: true },
        'Respond 409': { Type: 'Pass', End: true },
      },
    };
    const w = walkMachine(def, opts());
    const byEnd = Object.fromEntries(w.routes.map((r) => [r.end, r.transitions]));
    // 200: Init, UpdateItem, Found?, Shape, Respond 200 = 5; 404: Init, UpdateItem, Found?, Respond 404 = 4; 409: Init, UpdateItem, Respond 409 = 3
    expect(byEnd).toEqual({ 'Respond 200': 5, 'Respond 404': 4, 'Respond 409': 3 });
    expect(w.mostTransitions.end).toBe('Respond 200');
  });

  test('a loop multiplies its body: A, then (B, C) three times, then D = 8 transitions', () => {
    const def: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:query', Parameters: {}, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.next', IsPresent: true, Next: 'B' }], Default: 'D' },
        D: { Type: 'Pass', End: true },
      },
    };
    const w = walkMachine(def, opts({ loopIterations: 3 }));
    expect(w.mostTransitions.transitions).toBe(8);
    // Duration: A 2 + 3 × (B 2 + 25, C 2) + D 2 = 4 + 87 = 91 ms
    expect(w.longest.durationMs).toBe(91);
    expect(w.notes.join('\n')).toMatch(/loop from "C" back to "B": assumed to run 3 times/);
  });

  test('a while loop (test first) runs its body every assumed time: A, C, then (B, C) three times, then D = 9 transitions', () => {
    const def: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'B' }], Default: 'D' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: {}, Next: 'C' },
        D: { Type: 'Pass', End: true },
      },
    };
    const w = walkMachine(def, opts({ loopIterations: 3 }));
    expect(w.routes.map((r) => [r.end, r.transitions])).toEqual([['D', 9]]);
  });

  test('a loop left from inside its body (break) counts the passes before the one it leaves in', () => {
    // Via the Default: A, C, (B1, B2, C) × 3, D = 2 + 9 + 1 = 12. Via the break in the third pass:
    // A, C, (B1, B2, C) × 2, B1, Done = 2 + 6 + 2 = 10.
    const def: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'B1' }], Default: 'D' },
        B1: { Type: 'Choice', Choices: [{ Variable: '$.ready', BooleanEquals: true, Next: 'Done' }], Default: 'B2' },
        B2: { Type: 'Pass', Next: 'C' },
        Done: { Type: 'Pass', End: true },
        D: { Type: 'Pass', End: true },
      },
    };
    const w = walkMachine(def, opts({ loopIterations: 3 }));
    expect(Object.fromEntries(w.routes.map((r) => [r.end, r.transitions]))).toEqual({ D: 12, Done: 10 });
  });

  test('a loop with its own bound (a polling loop of 2 polls) never runs more than the bound, whatever is assumed', () => {
    const def: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'B' }], Default: 'D' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: {}, Next: 'C' },
        D: { Type: 'Pass', End: true },
      },
    };
    // A, C, (B, C) × 2, D = 7 (3 would be assumed without the bound: 9).
    const w = walkMachine(def, opts({ loopIterations: 3, loopBounds: [{ state: 'C', maxPasses: 2 }] }));
    expect(w.mostTransitions.transitions).toBe(7);
    expect(w.notes.join('\n')).toContain(`loop from "B" back to "C": assumed to run 2 times (usage loopIterations, capped by the loop's own bound of 2)`);
  });

  test('callbacks, .sync and waits are collected for the advisor; residual and original-handler invocations are counted', () => {
    const def: AslDefinition = {
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Wait', Seconds: 600, Next: 'Callback' },
        Callback: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: {}, Next: 'Compute' },
        Compute: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${ResidualFunctionArn}' }, Next: 'Legacy' },
        Legacy: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${OriginalHandlerArn}' }, End: true },
      },
    };
    const w = walkMachine(def, opts({ residualDurationMs: 10, handlerDurationMs: 100 }));
    expect(w.waits).toEqual([{ state: 'Wait', seconds: 600 }]);
    expect(w.callbackTasks).toEqual([{ state: 'Callback', resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken' }]);
    expect(w.mostTransitions.lambda).toEqual({ residual: 1, original: 1 });
    // 4 × 2 ms + 600,000 ms wait + 20 (messaging) + (20 + 10) + (20 + 100) = 600,178 ms
    expect(w.longest.durationMs).toBe(600_178);
  });
});
