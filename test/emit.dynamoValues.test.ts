// The generic marshal/unmarshal JSONata expressions (src/emit/jsonata/dynamoValues.ts), evaluated with the
// real jsonata library. Expected AttributeValues are written by hand from the DynamoDB type rules
// (N is a string, null is {"NULL": true}), then checked against @aws-sdk/util-dynamodb.
import { describe, expect, test } from '@jest/globals';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import jsonata from 'jsonata';
import { jsonataField, marshalItemExpression, marshalValueExpression, unmarshalItemExpression, unmarshalValueExpression } from '../src/emit/jsonata/dynamoValues.js';
import { validateAsl } from '../src/emit/validateAsl.js';
import { runJsonataMachine } from '../src/verify/jsonata/executeJsonata.js';

const evaluate = (expression: string, v: unknown) => jsonata(expression).evaluate(undefined, { v }) as Promise<unknown>;
const marshalValue = (v: unknown) => evaluate(marshalValueExpression('$v'), v);
const unmarshalValue = (av: unknown) => evaluate(unmarshalValueExpression('$v'), av);
const marshalItem = (o: unknown) => evaluate(marshalItemExpression('$v'), o);
const unmarshalItem = (item: unknown) => evaluate(unmarshalItemExpression('$v'), item);

/** Every JSON type, nested: what a handler builds from a request body. */
const SAMPLE = {
  id: 'u-1',
  empty: '',
  count: 3,
  negative: -42,
  price: 12.5,
  tiny: 1e-7,
  sixteenDigits: 1234567890123456,
  maxSafe: 9007199254740991,
  bigAsString: '12345678901234567890',
  active: true,
  deleted: false,
  note: null,
  tags: ['a', 'b'],
  matrix: [[1, 2], [], [[true]]],
  nested: { list: [{ x: null, y: [false] }], inner: { deeper: { n: 0 } } },
  emptyList: [],
  emptyMap: {},
};

describe('marshal: JSON value → AttributeValue', () => {
  test.each([
    ['a string', 'hello', { S: 'hello' }],
    ['an empty string', '', { S: '' }],
    ['an integer', 42, { N: '42' }],
    ['a negative integer', -7, { N: '-7' }],
    ['zero', 0, { N: '0' }],
    ['a decimal', 12.5, { N: '12.5' }],
    ['a small decimal (JavaScript prints 1e-7)', 1e-7, { N: '1e-7' }],
    ['a 16-digit integer (beyond $string\'s 15 digits)', 1234567890123456, { N: '1234567890123456' }],
    ['a negative 16-digit integer', -9007199254740991, { N: '-9007199254740991' }],
    ['2^53-1', 9007199254740991, { N: '9007199254740991' }],
    ['a large integer held as a string stays a string', '12345678901234567890', { S: '12345678901234567890' }],
    ['true', true, { BOOL: true }],
    ['false', false, { BOOL: false }],
    ['null', null, { NULL: true }],
    ['a list', [1, 'a', null], { L: [{ N: '1' }, { S: 'a' }, { NULL: true }] }],
    ['an empty list', [], { L: [] }],
    ['a list of lists', [[1], [[true]]], { L: [{ L: [{ N: '1' }] }, { L: [{ L: [{ BOOL: true }] }] }] }],
    ['a map', { a: 1, b: { c: [false] } }, { M: { a: { N: '1' }, b: { M: { c: { L: [{ BOOL: false }] } } } } }],
    ['an empty map', {}, { M: {} }],
  ])('%s', async (_what, value, expected) => {
    expect(await marshalValue(value)).toEqual(expected);
    // The SDK agrees (marshall of a wrapper object, to marshal any single value).
    expect(marshall({ v: value }).v).toEqual(expected);
  });

  test('a whole item is what marshall() gives', async () => {
    expect(await marshalItem(SAMPLE)).toEqual(marshall(SAMPLE));
  });

  test('an integer beyond 2^53-1 raises an error, as the SDK marshall does', async () => {
    // 2^53 + 1 has no double; JSON.parse gives 2^53. Writing it would store a different number.
    const beyond = JSON.parse('9007199254740993') as number;
    await expect(marshalValue(beyond)).rejects.toMatchObject({ message: expect.stringMatching(/beyond 2\^53-1/) });
    expect(() => marshall({ v: beyond })).toThrow(/MAX_SAFE_INTEGER/);
    await expect(marshalValue(1e21)).rejects.toMatchObject({ message: expect.stringMatching(/beyond 2\^53-1/) });
  });

  test('a decimal needing 17 significant digits raises an error instead of writing 15 digits', async () => {
    // JSONata's $string(0.1 + 0.2) is "0.3"; the SDK writes "0.30000000000000004".
    await expect(marshalValue(0.1 + 0.2)).rejects.toMatchObject({ message: expect.stringMatching(/16-17 significant digits/) });
    expect(marshall({ v: 0.1 + 0.2 }).v).toEqual({ N: '0.30000000000000004' });
  });

  test('a spread body overrides a generated key (later keys win, as in { id, ...body })', async () => {
    const expression = marshalItemExpression("$merge([{'id': 'generated', 'createdAt': 1}, $v])");
    const body = { id: 'from-body', name: 'Ann', flags: [true, null] };
    const expected = { id: { S: 'from-body' }, createdAt: { N: '1' }, name: { S: 'Ann' }, flags: { L: [{ BOOL: true }, { NULL: true }] } };
    expect(await evaluate(expression, body)).toEqual(expected);
    const generated: Record<string, unknown> = { id: 'generated', createdAt: 1 };
    expect(marshall({ ...generated, ...body })).toEqual(expected);
  });
});

describe('unmarshal: AttributeValue → JSON value', () => {
  test.each([
    ['S', { S: 'x' }, 'x'],
    ['N integer', { N: '42' }, 42],
    ['N decimal with a trailing zero', { N: '12.50' }, 12.5],
    ['N negative decimal', { N: '-0.001' }, -0.001],
    ['N at 2^53-1', { N: '9007199254740991' }, 9007199254740991],
    ['BOOL', { BOOL: false }, false],
    ['NULL', { NULL: true }, null],
    ['L of mixed values', { L: [{ S: 'a' }, { N: '1' }, { NULL: true }, { L: [] }] }, ['a', 1, null, []]],
    ['L of L', { L: [{ L: [{ N: '1' }, { L: [{ BOOL: true }] }] }] }, [[1, [true]]]],
    ['M', { M: { a: { N: '2' }, b: { M: {} } } }, { a: 2, b: {} }],
  ])('%s', async (_what, av, expected) => {
    expect(await unmarshalValue(av)).toEqual(expected);
    expect(unmarshall({ v: av as AttributeValue }).v).toEqual(expected);
  });

  test('SS and NS become arrays (the SDK gives Sets, with the same members)', async () => {
    expect(await unmarshalValue({ SS: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(await unmarshalValue({ NS: ['1', '2.5'] })).toEqual([1, 2.5]);
    expect([...(unmarshall({ v: { SS: ['a', 'b'] } }).v as Set<string>)]).toEqual(['a', 'b']);
    expect([...(unmarshall({ v: { NS: ['1', '2.5'] } }).v as Set<number>)]).toEqual([1, 2.5]);
  });

  test('an N beyond 2^53-1 raises an error; the SDK gives a BigInt, which JSON cannot carry', async () => {
    await expect(unmarshalValue({ N: '12345678901234567890' })).rejects.toMatchObject({ message: expect.stringMatching(/beyond 2\^53-1/) });
    const sdk = unmarshall({ v: { N: '12345678901234567890' } }).v;
    expect(typeof sdk).toBe('bigint');
    expect(() => JSON.stringify(sdk)).toThrow(TypeError);
  });

  test('binary has no JSON form: an error', async () => {
    await expect(unmarshalValue({ B: 'AQID' })).rejects.toMatchObject({ message: expect.stringMatching(/binary/) });
  });

  test('a whole item is what unmarshall() gives', async () => {
    expect(await unmarshalItem(marshall(SAMPLE))).toEqual(unmarshall(marshall(SAMPLE)));
  });
});

describe('round trips with @aws-sdk/util-dynamodb', () => {
  test('unmarshall(our marshal(x)) is x', async () => {
    expect(unmarshall((await marshalItem(SAMPLE)) as Record<string, AttributeValue>)).toEqual(SAMPLE);
  });

  test('our unmarshal(marshall(x)) is x', async () => {
    expect(await unmarshalItem(marshall(SAMPLE))).toEqual(SAMPLE);
  });

  test('our unmarshal(our marshal(x)) is x', async () => {
    expect(await unmarshalItem(await marshalItem(SAMPLE))).toEqual(SAMPLE);
  });
});

describe('inside a Step Functions definition', () => {
  const definition = () => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Put',
    States: {
      Put: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:putItem',
        Arguments: { TableName: 'Users', Item: jsonataField(marshalItemExpression('$states.input')) },
        Output: jsonataField(unmarshalItemExpression('$states.result.Attributes')),
        End: true,
      },
    },
  });

  test('asl-validator 4 accepts a definition embedding the expressions (each one line)', () => {
    expect(validateAsl(definition())).toEqual({ valid: true, errors: [] });
    expect(jsonataField(marshalItemExpression('$states.input'))).not.toMatch(/\n/);
  });

  test('a multi-line expression is what asl-validator rejects, so jsonataField refuses to build one', () => {
    const d = definition();
    (d.States.Put.Arguments as Record<string, unknown>).Item = `{% ${marshalItemExpression('$states.input').replace('; ', ';\n')} %}`;
    expect(validateAsl(d).valid).toBe(false);
    expect(() => jsonataField('1 +\n 2')).toThrow(/single line/);
  });

  test('the executor runs it: the task receives marshall(input) and the output is unmarshall(result)', async () => {
    const received: unknown[] = [];
    const out = await runJsonataMachine(definition() as never, SAMPLE, {
      Put: async (input) => {
        received.push(input);
        return { Attributes: (input as { Item: unknown }).Item };
      },
    });
    expect(received).toEqual([{ TableName: 'Users', Item: marshall(SAMPLE) }]);
    expect(out).toMatchObject({ ok: true, output: SAMPLE });
  });

  test('in the executor, a number beyond 2^53-1 fails the state with States.QueryEvaluationError', async () => {
    const out = await runJsonataMachine(definition() as never, { n: JSON.parse('9007199254740993') as number }, { Put: async () => ({}) });
    expect(out).toMatchObject({ ok: false, error: 'States.QueryEvaluationError' });
  });
});
