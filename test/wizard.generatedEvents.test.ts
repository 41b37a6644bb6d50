// Events generated for verify when a handler has no recorded ones: what API Gateway would send for each route,
// with the request fields the machine reads, and a table seed holding the item the request addresses.
import { describe, expect, test } from '@jest/globals';
import type { AslDefinition } from '../src/report/types.js';
import { generateCase, requestFields, type GeneratedCase } from '../src/wizard/generatedEvents.js';
import { checkEdited, wrap } from '../src/wizard/verifyOffer.js';

// GET /items/{id}: reads a path parameter and a header; the item's name (a string) and count (a number).
const getItem: AslDefinition = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Parameters: { 'event.$': '$', vars: {} }, Next: 'GetItem' },
    GetItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: '${ItemsTable}', Key: { id: { 'S.$': '$.event.pathParameters.id' } } }, ResultPath: '$.vars.get1', Next: 'Respond' },
    Respond: { Type: 'Pass', Parameters: { 'name.$': '$.vars.get1.Item.name.S', 'count.$': '$.vars.get1.Item.count.N', 'who.$': '$.event.headers.X-User' }, End: true },
  },
};

// POST: parses the body, tests total for a number, and puts the item (whose key no Key parameter says).
const createOrder: AslDefinition = {
  StartAt: 'Set tmp1',
  States: {
    'Set tmp1': { Type: 'Pass', InputPath: '$.event.body', ResultPath: '$.vars.tmp1', Next: 'Set input' },
    'Set input': { Type: 'Pass', Parameters: { 'value.$': 'States.StringToJson($.vars.tmp1)' }, ResultPath: '$.vars.input', Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Not: { Variable: '$.vars.input.value.total', IsNumeric: true }, Next: 'Bad' }], Default: 'Get' },
    Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'orders', Key: { customerId: { 'S.$': '$.vars.input.value.customerId' } } }, ResultPath: '$.vars.c', End: true },
    Bad: { Type: 'Fail', Error: 'Bad' },
  },
};

const ok = (g: GeneratedCase | { why: string }): GeneratedCase => {
  if ('why' in g) throw new Error(g.why);
  return g;
};

describe('the request fields a machine reads', () => {
  test('parameters and headers by name, the body as a whole, the parsed body\'s fields with the kind tested', () => {
    expect(requestFields(getItem)).toEqual({ event: ['headers.X-User', 'pathParameters.id'], body: {}, methods: [] });
    expect(requestFields(createOrder)).toEqual({ event: ['body'], body: { total: 'number', customerId: 'string' }, methods: [] });
  });

  test('JSONata: $event references and the variable a $parse of the body is assigned to', () => {
    const jsonata: AslDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Set input',
      States: {
        'Set input': { Type: 'Pass', Assign: { input: '{% $parse($event.body) %}' }, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Condition: '{% $type($input.total) = "number" and $event.httpMethod = "POST" %}', Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(requestFields(jsonata)).toEqual({ event: ['body', 'httpMethod'], body: { total: 'number' }, methods: ['POST'] });
  });
});

describe('generated events', () => {
  test('a REST proxy event per declared route: every proxy field, null where the request has none, the path filled in', () => {
    const g = ok(generateCase({ eventSource: 'apigw-rest', definition: getItem, substitutions: { ItemsTable: 'process.env.ITEMS_TABLE' }, routes: [{ api: 'rest', method: 'GET', path: '/items/{id}' }] }));
    expect(g.events.map((e) => e.name)).toEqual(['GET /items/id-1 (generated)']);
    const e = g.events[0]!.event;
    expect(Object.keys(e).sort()).toEqual(['body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables'].sort());
    expect(e).toMatchObject({ resource: '/items/{id}', path: '/items/id-1', httpMethod: 'GET', pathParameters: { id: 'id-1' }, queryStringParameters: null, multiValueQueryStringParameters: null, stageVariables: null, body: null, isBase64Encoded: false });
    expect(e['headers']).toMatchObject({ 'X-User': 'X-User-1' });
    expect((e['multiValueHeaders'] as Record<string, string[]>)['X-User']).toEqual(['X-User-1']);
    expect(e['requestContext']).toMatchObject({ resourcePath: '/items/{id}', httpMethod: 'GET', path: '/prod/items/id-1', stage: 'prod' });
    // The item the request addresses is there, with the attributes the machine reads, of the types it reads.
    expect(g.tables).toEqual([{ TableName: 'ItemsTable', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], items: [{ id: 'id-1', name: 'name-1', count: 42 }] }]);
    expect(g.env).toEqual({ ITEMS_TABLE: 'ItemsTable' });
  });

  test('a body the machine parses is a JSON string of the fields it reads; HTTP API events leave out what the request lacks', () => {
    const g = ok(generateCase({ eventSource: 'apigw-http', definition: createOrder, substitutions: {} }));
    expect(g.events.map((e) => e.name)).toEqual(['POST /resource with total, customerId (generated)']);
    const e = g.events[0]!.event;
    expect(JSON.parse(e['body'] as string)).toEqual({ total: 42, customerId: 'customerId-1' });
    expect(e).toMatchObject({ version: '2.0', routeKey: 'POST /resource', rawPath: '/resource', rawQueryString: '', isBase64Encoded: false, requestContext: { http: { method: 'POST', path: '/resource' }, stage: '$default' } });
    expect(e['headers']).toMatchObject({ 'content-type': 'application/json' });
    expect('pathParameters' in e || 'queryStringParameters' in e).toBe(false);
    // The key comes from the body, not the request's parameters: the table starts empty.
    expect(g.tables).toEqual([{ TableName: 'orders', KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'customerId', AttributeType: 'S' }], items: [] }]);
  });

  test('one event per method the machine branches on; ANY routes expand to them', () => {
    const routed: AslDefinition = {
      StartAt: 'Which?',
      States: {
        'Which?': { Type: 'Choice', Choices: [{ Variable: '$.event.httpMethod', StringEquals: 'GET', Next: 'Done' }, { Variable: '$.event.httpMethod', StringEquals: 'DELETE', Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const g = ok(generateCase({ eventSource: 'apigw-rest', definition: routed, substitutions: {}, routes: [{ api: 'rest', method: 'ANY', path: '/links/{code}' }] }));
    expect(g.events.map((e) => e.name)).toEqual(['GET /links/code-1 (generated)', 'DELETE /links/code-1 (generated)']);
    expect(g.tables).toEqual([]);
  });

  test('none for other event sources, nor when a table\'s key is not known', () => {
    expect(generateCase({ eventSource: 'sqs', definition: getItem, substitutions: {} })).toEqual({ why: 'events are generated for API Gateway handlers only (this one\'s event source is sqs)' });
    const put: AslDefinition = { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'orders', 'Item.$': '$.vars.order' }, End: true } } };
    expect(generateCase({ eventSource: 'apigw-rest', definition: put, substitutions: {} })).toEqual({ why: 'the key of table orders is not one attribute of a Key parameter, so no table can be created for it' });
  });

  test('the explanation is wrapped at the terminal width, by words', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('a verylongword b', 4)).toEqual(['a', 'verylongword', 'b']);
  });

  test('an edited case is checked before it runs', () => {
    expect(checkEdited('{')).toMatch(/^not JSON: /);
    expect(checkEdited('{"events": []}')).toBe('expected {"events": [...], "tables": [...]}');
    expect(checkEdited('{"events": [], "tables": []}')).toBe('no events left');
    expect(checkEdited('{"events": [{"event": {}}], "tables": []}')).toBe('event 1: expected {"name": "...", "event": {...}}');
    expect(checkEdited('{"events": [{"name": "x", "event": {}}], "tables": []}')).toBeUndefined();
  });
});
