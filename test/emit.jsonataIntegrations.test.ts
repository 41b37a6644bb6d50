// The JSONata emitter on publish steps (other services) and Map loops: the parts the golden
// twins in queryLanguage.test.ts do not reach. Models are written by hand; machines run on the JSONata executor
// with hand-written task answers.
import { describe, expect, test } from '@jest/globals';
import type { Step, ValueExpr, Workflow } from '../src/model/workflow.js';
import { emitJsonata } from '../src/emit/emitJsonata.js';
import { EmitFailure } from '../src/emit/emitJsonPath.js';
import { validateAsl } from '../src/emit/validateAsl.js';
import { runJsonataMachine } from '../src/verify/jsonata/executeJsonata.js';

const workflow = (steps: Step[]): Workflow => ({ steps, substitutions: {} });

describe('HTTP Task result read as JSON (res.json())', () => {
  const machine = () =>
    emitJsonata(
      workflow([
        { kind: 'publish', service: 'http', result: 'res', params: { ApiEndpoint: { kind: 'literal', value: 'https://api.example.com/pay' }, Method: { kind: 'literal', value: 'GET' } }, keepResult: true, jsonBody: true, line: 2, rule: 'http-task' },
        { kind: 'return', value: { kind: 'object', entries: [['status', { kind: 'var', name: 'res', path: ['StatusCode'], type: { kind: 'number' }, present: true }], ['id', { kind: 'var', name: 'res', path: ['ResponseBody', 'id'], type: { kind: 'string' }, present: true }]] }, line: 3 },
      ]),
      'test',
    ).definition;

  test('the definition is valid', () => {
    expect(validateAsl(machine())).toEqual({ valid: true, errors: [] });
  });

  test.each([
    ['a body the integration parsed already', { id: 'p-1' }],
    ['a body that came back as JSON text', '{"id":"p-1"}'],
  ])('%s', async (_name, body) => {
    const out = await runJsonataMachine(machine(), {}, { 'Call HTTP API': async () => ({ StatusCode: 201, StatusText: 'Created', Headers: {}, ResponseBody: body }) });
    expect(out).toMatchObject({ ok: true, output: { status: 201, id: 'p-1' } });
  });
});

describe('Map loop', () => {
  const loop = (body: Step[], collect?: string): Step => ({
    kind: 'map',
    items: { kind: 'event', path: ['Records'], type: { kind: 'array' }, present: true },
    item: 'record',
    body,
    maxConcurrency: 1,
    line: 5,
    rule: 'map-loop',
    ...(collect ? { collect } : {}),
  });
  const messageId: ValueExpr = { kind: 'var', name: 'record', path: ['messageId'], type: { kind: 'string' }, present: true };

  test('collected lists are concatenated; iterations that return nothing add nothing', async () => {
    // Records with bad: true return [{id}], the others end without returning.
    const body: Step[] = [{ kind: 'if', test: { kind: 'truthy', value: { kind: 'var', name: 'record', path: ['bad'], type: { kind: 'boolean' } } }, then: [{ kind: 'return', value: { kind: 'array', items: [{ kind: 'object', entries: [['id', messageId]] }] }, line: 7 }], else: [], line: 6 }];
    const { definition } = emitJsonata(workflow([loop(body, 'failures'), { kind: 'return', value: { kind: 'object', entries: [['batchItemFailures', { kind: 'var', name: 'failures', path: [], type: { kind: 'array' } }]] }, line: 9 }]), 'test');
    expect(validateAsl(definition)).toEqual({ valid: true, errors: [] });
    const run = (records: unknown[]) => runJsonataMachine(definition, { Records: records }, {});
    expect(await run([{ messageId: 'a', bad: true }, { messageId: 'b' }, { messageId: 'c', bad: true }])).toMatchObject({ ok: true, output: { batchItemFailures: [{ id: 'a' }, { id: 'c' }] } });
    expect(await run([{ messageId: 'a', bad: true }])).toMatchObject({ ok: true, output: { batchItemFailures: [{ id: 'a' }] } });
    expect(await run([{ messageId: 'b' }])).toMatchObject({ ok: true, output: { batchItemFailures: [] } });
    expect(await run([])).toMatchObject({ ok: true, output: { batchItemFailures: [] } });
  });

  test('an iteration returning a literal empty list gives a valid definition', () => {
    const { definition } = emitJsonata(workflow([loop([{ kind: 'return', value: { kind: 'literal', value: [] }, line: 6 }], 'failures')]), 'test');
    expect(validateAsl(definition)).toEqual({ valid: true, errors: [] });
  });

  test('a loop that assigns a variable the enclosing scope also assigns is not converted', () => {
    const set = (line: number): Step => ({ kind: 'let', name: 'stamp', value: { kind: 'uuid' }, line });
    const emit = () => emitJsonata(workflow([set(1), loop([set(6)])]), 'test');
    expect(emit).toThrow(EmitFailure);
    expect(emit).toThrow('the loop assigns $stamp, which is also a variable outside it');
  });

  test('a loop inside try/catch is not converted (as in JSONPath)', () => {
    const emit = () => emitJsonata(workflow([{ kind: 'try', body: [loop([])], catchers: [{ errors: ['*'], body: [] }], line: 1 }]), 'test');
    expect(emit).toThrow('a loop inside try/catch is not converted yet');
  });
});
