// --query-language: the JSONata emitter on the same workflow model as the JSONPath one.
// - a JSONata twin of every JSONPath verify fixture (every `full` golden case with events) verifies equivalent;
// - auto keeps the JSONPath proposal unless JSONPath needs a Lambda function or cannot express the handler;
// - the API front door finds the request fields a JSONata machine reads ($event references);
// - $l2sJson writes JSON exactly as JSON.stringify does (JSONata's $string keeps 15 significant digits).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import jsonata from 'jsonata';
import { JSON_TEXT_FUNCTIONS } from '../src/emit/jsonata/dynamoValues.js';
import { machineEventPaths } from '../src/emit/frontDoor.js';
import { scanProject } from '../src/scan/scanProject.js';
import { verifyCase } from '../src/verify/verifyCase.js';
import { allGoldenCases, REPO_ROOT } from './support/goldenCases.js';

const cases = allGoldenCases();
const DEPS = join(REPO_ROOT, 'node_modules');

/** `full` golden cases verified in JSONPath: each must have a JSONata twin that verify finds equivalent. */
const jsonPathVerifyCases = cases.filter((c) => (c.expected.queryLanguage ?? 'jsonpath') === 'jsonpath' && c.expected.findings.some((f) => f.convertible === 'full') && existsSync(join(c.dir, 'events.json')));

/**
 * Cases whose JSONata twin cannot be emitted yet, with the reason. A case listed here that converts after all fails
 * the test, so the list cannot go stale.
 */
const NO_JSONATA_TWIN: Record<string, string> = {};

describe('a JSONata twin of every JSONPath verify fixture gives the same verify result', () => {
  test('there are JSONPath verify fixtures to twin', () => {
    expect(jsonPathVerifyCases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(jsonPathVerifyCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const report = await scanProject([c.dir], { cwd: c.dir, queryLanguage: 'jsonata' });
    const full = c.expected.findings.filter((f) => f.convertible === 'full').map((f) => `${f.file}#${f.export}`);
    const twins = report.findings.filter((f) => full.includes(`${f.file}#${f.export}`));
    if (NO_JSONATA_TWIN[name]) {
      expect(twins.some((f) => f.convertible !== 'full')).toBe(true);
      expect(twins.flatMap((f) => f.blockers.map((b) => b.message)).join('\n')).toContain('not emitted in JSONata by lambda2sfn yet');
      return;
    }
    expect(twins.map((f) => [f.file, f.convertible, f.stateMachine?.queryLanguage, f.stateMachine?.validation.valid, f.blockers])).toEqual(twins.map((f) => [f.file, 'full', 'JSONata', true, []]));
    for (const f of twins) expect(f.stateMachine!.definition['QueryLanguage']).toBe('JSONata');
    // The recorded events only: the golden suite runs the derived variants on the proposal each case is scanned with.
    const v = await verifyCase(c.dir, { cwd: c.dir, deps: DEPS, queryLanguage: 'jsonata', variants: false });
    expect({ events: v.events.filter((e) => !e.equal), tables: v.tables, sideEffects: v.sideEffects, equivalent: v.equivalent }).toEqual({ events: [], tables: { equal: true, diff: '' }, sideEffects: { equal: true, diff: '' }, equivalent: true });
  });
});

/** JSONPath golden cases for which auto now proposes JSONata, and the reason auto gives. */
const AUTO_SWITCHES_TO_JSONATA: Record<string, RegExp> = {
  'cases/pagination-loop-blocker': /^JSONPath cannot express the handler \(pagination loop over LastEvaluatedKey: .*line 10\); JSONata can$/,
  'dynamodb-v3-document-methods/v3-docmethods-put-spread': /^JSONPath cannot express the handler \(spread of body: .*line 9\); JSONata can$/,
  'dynamodb-v3-low-level/marshall-item-untyped': /^JSONPath cannot express the handler \(settings is written as a whole value with no static schema/,
  'intrinsic-json/parse-body-as-item': /^JSONPath cannot express the handler \(a json-parse value is written as a whole/,
  'intrinsic-template-format/template-uppercase': /^JSONPath would keep 1 computation in a Lambda function \(line 9\); JSONata expresses them in the state machine$/,
  'intrinsic-timestamp/date-now-epoch': /^JSONPath would keep 1 computation in a Lambda function \(line 13\); JSONata expresses them in the state machine$/,
  'intrinsic-timestamp/ttl-arithmetic': /^JSONPath would keep 1 computation in a Lambda function \(line 9\); JSONata expresses them in the state machine$/,
  'route-switch/operation-untyped-value-blocks-route': /^JSONPath cannot express the handler \(event\.note is written as a whole value with no static schema.*line 12\); JSONata can$/,
  'proxy-response/query-items-no-schema': /^JSONPath would keep 1 computation in a Lambda function \(line 8\); JSONata expresses them in the state machine$/,
};

/**
 * JSONPath golden cases for which auto proposes JSONata that still keeps fewer computations in Lambda (partial), with
 * the reason auto gives and the lines of the computations JSONata keeps.
 */
const AUTO_SWITCHES_TO_PARTIAL_JSONATA: Record<string, { reason: RegExp; residualLines: number[] }> = {
  // items.map(…) building the entries stays a residual in both; items.length (untyped) is $length/$count in JSONata.
  'eventbridge-put-events/entries-from-items': { reason: /^JSONPath would keep 2 computations in a Lambda function \(line 12, line 9\); JSONata expresses some of them in the state machine$/, residualLines: [9] },
};

describe('--query-language auto', () => {
  const jsonPathCases = cases.filter((c) => (c.expected.queryLanguage ?? 'jsonpath') === 'jsonpath');

  test.each(jsonPathCases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const auto = await scanProject([c.dir], { cwd: c.dir, queryLanguage: 'auto' });
    const jsonPath = await scanProject([c.dir], { cwd: c.dir, queryLanguage: 'jsonpath' });
    const switched = AUTO_SWITCHES_TO_JSONATA[name];
    const partial = AUTO_SWITCHES_TO_PARTIAL_JSONATA[name];
    if (partial) {
      const [f] = auto.findings;
      expect([f!.convertible, f!.stateMachine?.queryLanguage, f!.stateMachine?.validation.valid]).toEqual(['partial', 'JSONata', true]);
      expect(f!.stateMachine?.queryLanguageReason).toMatch(partial.reason);
      expect(f!.blockers.map((b) => [b.rule, b.line])).toEqual(partial.residualLines.map((l) => ['residual-lambda', l]));
      expect(jsonPath.findings[0]!.blockers.filter((b) => b.rule === 'residual-lambda').length).toBeGreaterThan(partial.residualLines.length);
      return;
    }
    if (!switched) {
      // The JSONPath proposal, unchanged, with the reason auto kept it when there is one.
      const strip = (fs: typeof auto.findings) => fs.map((f) => (f.stateMachine ? { ...f, stateMachine: { ...f.stateMachine, queryLanguageReason: undefined } } : f));
      expect(strip(auto.findings)).toEqual(strip(jsonPath.findings));
      for (const f of auto.findings) if (f.stateMachine) expect(f.stateMachine.queryLanguage).toBe('JSONPath');
      return;
    }
    const [f] = auto.findings;
    expect([f!.convertible, f!.stateMachine?.queryLanguage, f!.stateMachine?.validation.valid, f!.blockers]).toEqual(['full', 'JSONata', true, []]);
    expect(f!.stateMachine?.queryLanguageReason).toMatch(switched);
    expect(f!.rules).not.toContain('residual-lambda');
    // The JSONPath proposal is what it was: blocked or partial.
    expect(jsonPath.findings[0]!.convertible).not.toBe('full');
  });

  test('every case listed as switching to JSONata is a golden case', () => {
    expect([...Object.keys(AUTO_SWITCHES_TO_JSONATA), ...Object.keys(AUTO_SWITCHES_TO_PARTIAL_JSONATA)].filter((n) => !cases.some((c) => c.name === n))).toEqual([]);
  });
});

describe('API front door of a JSONata machine', () => {
  test('event fields read through $event (with backticks and indexes) are found; other variables are not', () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: {
          Type: 'Pass',
          Comment: 'mentions $event.comment, which is not read',
          Output: { a: '{% $event.pathParameters.id & $event.headers.`content-type` %}', b: '{% $eventual.x & $event.multiValueHeaders.accept[0] %}', c: 'literal $event.notAnExpression' },
          End: true,
        },
      },
    };
    expect([...machineEventPaths(definition)].sort()).toEqual(['headers.content-type', 'multiValueHeaders.accept.0', 'pathParameters.id']);
  });

  test('the whole event passed on reads as ""', () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { Payload: '{% $event %}' }, End: true } } };
    expect([...machineEventPaths(definition)]).toEqual(['']);
  });
});

describe('$l2sJson writes what JSON.stringify writes', () => {
  const text = (v: unknown) => jsonata(`( ${JSON_TEXT_FUNCTIONS}; $l2sJson($v) )`).evaluate({}, { v });

  test.each([
    ['a string with quotes, a newline and unicode', 'say "hi"\n\u00e9\u2028'],
    ['2^53-1 (JSONata $string gives 9007199254740990)', 9007199254740991],
    ['a negative decimal', -12.75],
    ['zero', 0],
    ['a one-element list', [1]],
    ['nested lists, empty ones included', [[1], [], [[null]]]],
    ['an object with nested maps, booleans and nulls', { a: { b: true, c: null, d: [false, 'x'] }, e: {}, f: 0.1 }],
    ['an empty object', {}],
  ])('%s', async (_name, value) => {
    expect(await text(value)).toBe(JSON.stringify(value));
  });

  test('a number JSON cannot carry exactly in JSONata fails instead of changing', async () => {
    await expect(text(2 ** 60)).rejects.toMatchObject({ message: expect.stringMatching(/beyond 2\^53-1/) });
  });

  test('nothing in, nothing out (JSON.stringify(undefined) is undefined)', async () => {
    expect(await jsonata(`( ${JSON_TEXT_FUNCTIONS}; $l2sJson($missing.x) )`).evaluate({}, { missing: {} })).toBeUndefined();
  });
});
