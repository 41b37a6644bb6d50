// Conformance of the JSONata executor (src/verify/jsonata) with the behaviour AWS documents. Each case in
// test/jsonata-conformance/*.json cites its source; its expectation was written from that source, not from
// a run. Where the same behaviour is expressible in JSONPath, the case carries a JSONPath twin, which runs
// on aws-local-stepfunctions (an independent implementation) and must give the identical result.
import '../src/polyfills.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { StateMachine } from 'aws-local-stepfunctions';
import type { AslDefinition, AslState } from '../src/report/types.js';
import { runJsonataMachine, type TaskBinding, type WaitRecord } from '../src/verify/jsonata/executeJsonata.js';
import { REPO_ROOT } from './support/goldenCases.js';

interface CannedCall {
  result?: unknown;
  error?: string;
  cause?: string;
}

interface ConformanceCase {
  name: string;
  doc: string;
  definition: AslDefinition;
  input: unknown;
  /** Per Task state, what each successive call returns or throws. */
  tasks?: Record<string, CannedCall[]>;
  expect: { output?: unknown; error?: string; cause?: string; refused?: string };
  /** Per Task state, the input of every call, in order. */
  calls?: Record<string, unknown[]>;
  waits?: WaitRecord[];
  /** Recorded retry delays in seconds, in order. */
  retries?: number[];
  jsonPathTwin?: AslDefinition;
}

const DIR = join(REPO_ROOT, 'test', 'jsonata-conformance');
const topics = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const cases = topics.flatMap((file) => (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as ConformanceCase[]).map((c) => ({ file, ...c })));

/** Bindings that replay the canned calls and record the inputs. Running out of canned calls fails the test. */
function cannedBindings(tasks: Record<string, CannedCall[]> = {}) {
  const calls: Record<string, unknown[]> = {};
  const overruns: string[] = [];
  const bindings: Record<string, TaskBinding> = {};
  for (const [state, responses] of Object.entries(tasks)) {
    calls[state] = [];
    bindings[state] = async (input) => {
      const n = calls[state]!.length;
      calls[state]!.push(input);
      const r = responses[n];
      if (!r) {
        overruns.push(`${state} call ${n + 1}`);
        throw Object.assign(new Error('no canned response left'), { name: 'Test.NoCannedResponse' });
      }
      if (r.error !== undefined) throw Object.assign(new Error(r.cause ?? ''), { name: r.error });
      return structuredClone(r.result);
    };
  }
  return { bindings, calls, overruns };
}

type Observed = { output: unknown } | { error: string; cause: string } | { refused: string };

function observedOf(c: ConformanceCase, o: Observed): unknown {
  if ('refused' in o) return { refused: o.refused };
  if ('output' in o) return { output: o.output };
  return c.expect.cause === undefined ? { error: o.error } : { error: o.error, cause: o.cause };
}

function waitStates(states: Record<string, AslState>, out: Record<string, number> = {}): Record<string, number> {
  for (const [name, s] of Object.entries(states)) {
    if (s.Type === 'Wait') out[name] = 0;
    const inner = s['ItemProcessor'] as { States?: Record<string, AslState> } | undefined;
    if (inner?.States) waitStates(inner.States, out);
    for (const b of (s['Branches'] as Array<{ States: Record<string, AslState> }> | undefined) ?? []) waitStates(b.States, out);
  }
  return out;
}

describe('JSONata conformance suite', () => {
  test('has at least 40 cases, each named once and citing its source', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.filter((c) => !/asl-facts\.md|AWS:|lambda2sfn:/.test(c.doc)).map((c) => c.name)).toEqual([]);
  });

  test.each(cases.map((c) => [`${c.file}: ${c.name}`, c] as const))('%s', async (_title, c) => {
    const { bindings, calls, overruns } = cannedBindings(c.tasks);
    let observed: Observed;
    let trace: { waits: WaitRecord[]; retries: Array<{ delaySeconds: number }> } | undefined;
    try {
      const r = await runJsonataMachine(c.definition, c.input, bindings);
      trace = r.trace;
      observed = r.ok ? { output: r.output } : { error: r.error, cause: r.cause };
    } catch (e) {
      observed = { refused: (e as Error).name };
    }
    expect(observedOf(c, observed)).toEqual(c.expect);
    expect(overruns).toEqual([]);
    if (c.calls) expect(calls).toEqual(c.calls);
    if (c.waits) expect(trace?.waits).toEqual(c.waits);
    if (c.retries) expect(trace?.retries.map((r) => r.delaySeconds)).toEqual(c.retries);
  });

  const twins = cases.filter((c) => c.jsonPathTwin);
  test('a good share of the cases have a JSONPath twin', () => {
    expect(twins.length).toBeGreaterThanOrEqual(20);
  });

  test.each(twins.map((c) => [`${c.file}: ${c.name}`, c] as const))('JSONPath twin on aws-local-stepfunctions: %s', async (_title, c) => {
    const twin = c.jsonPathTwin!;
    const { bindings, calls, overruns } = cannedBindings(c.tasks);
    const machine = new StateMachine(twin as never, { validationOptions: { checkPaths: true, checkArn: true } });
    let observed: Observed;
    try {
      const execution = machine.run(c.input as never, {
        overrides: {
          taskResourceLocalHandlers: bindings as never,
          retryIntervalOverrides: Object.fromEntries(Object.keys(bindings).map((k) => [k, 0])),
          waitTimeOverrides: waitStates(twin.States),
        },
      });
      observed = { output: await execution.result };
    } catch (e) {
      const err = e as Error & { cause?: Error };
      observed = { error: err.cause?.name ?? err.name, cause: err.cause?.message ?? err.message };
    }
    expect(observedOf(c, observed)).toEqual(c.expect);
    expect(overruns).toEqual([]);
    if (c.calls) expect(calls).toEqual(c.calls);
  });
});
