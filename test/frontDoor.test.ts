// The API front door: VTL templates rendered with a real VTL engine (velocityjs) and API Gateway's helpers.
// Expectations are written by hand from the documented behaviour (API Gateway mapping templates, commons-lang escapeJavaScript,
// Lambda proxy events), never from the templates' own output.
import { describe, expect, test } from '@jest/globals';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { emitFrontDoor, machineEventPaths } from '../src/emit/frontDoor.js';
import type { AslDefinition } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { apiRequestFromEvent, escapeJavaScript, isApiEvent, renderRequestTemplate, renderResponseTemplate, type ApiRequest } from '../src/verify/apiGateway.js';
import { allGoldenCases } from './support/goldenCases.js';

/** A definition that reads the given event paths (only the paths matter to the front door). */
function reading(...paths: string[]): AslDefinition {
  return {
    Comment: 'reads $.event.comment which must not count',
    StartAt: 'P',
    States: { P: { Type: 'Pass', Parameters: Object.fromEntries(paths.map((p, i) => [`f${i}.$`, p])), End: true } },
  };
}

function request(over: Partial<ApiRequest> = {}): ApiRequest {
  return {
    method: 'POST', resourcePath: '/items/{id}', stage: 'prod', path: '/items/i-1', headers: {}, query: {}, pathParams: {},
    stageVariables: {}, body: '', requestId: 'r-1', sourceIp: '203.0.113.9', claims: {}, ...over,
  };
}

function door(definition: AslDefinition, eventSource: 'apigw-rest' | 'apigw-http' = 'apigw-rest', headers: string[] = []) {
  const r = emitFrontDoor({ definition, eventSource, responseHeaders: headers, responseHeaderNotes: [] });
  if (!r.ok) throw new Error(r.reason);
  return r.frontDoor;
}

describe('escapeJavaScript (commons-lang StringEscapeUtils, what $util.escapeJavaScript is)', () => {
  test('quotes, backslash, slash and control characters', () => {
    expect(escapeJavaScript(`a'b"c\\d/e\nf\tg\rh`)).toBe(`a\\'b\\"c\\\\d\\/e\\nf\\tg\\rh`);
  });
  test('non-ASCII as \\uXXXX, upper-case hex; astral characters as two UTF-16 units', () => {
    expect(escapeJavaScript('é€')).toBe('\\u00E9\\u20AC');
    expect(escapeJavaScript('😀')).toBe('\\uD83D\\uDE00');
    expect(escapeJavaScript('\u0001')).toBe('\\u0001');
  });
});

describe('machineEventPaths', () => {
  test('paths after $.event, bracket names, whole-event reads; comments ignored', () => {
    const def = reading('$.event.pathParameters.id', "$.event.headers['content-type']", "States.Format('{}', $.event.body)", '$.event');
    expect([...machineEventPaths(def)].sort()).toEqual(['', 'body', 'headers.content-type', 'pathParameters.id']);
  });
});

describe('request template', () => {
  test('a body with quotes, apostrophes, backslashes, newlines and unicode reaches the machine as the same string', () => {
    const body = `{"note":"it's \\"quoted\\"\\n","path":"a\\\\b/c","emoji":"😀","at":"@@"}`;
    const call = renderRequestTemplate(door(reading('$.event.body')).requestTemplate, request({ body }));
    expect(call).toEqual({ stateMachineArn: '${StateMachineArn}', input: { body } });
  });

  test('no body, no query string, no path parameters: null, as in a Lambda proxy event', () => {
    const def = reading('$.event.body', '$.event.queryStringParameters.limit', '$.event.pathParameters.id');
    expect(renderRequestTemplate(door(def).requestTemplate, request()).input).toEqual({ body: null, queryStringParameters: null, pathParameters: null });
  });

  test('reading one header forwards all headers with their names and values as sent', () => {
    const headers = { 'Content-Type': 'application/json', "X-Odd": `it's "x"` };
    expect(renderRequestTemplate(door(reading("$.event.headers['Content-Type']")).requestTemplate, request({ headers })).input).toEqual({ headers });
  });

  test('method, resource, path without the stage, and request context fields', () => {
    const def = reading('$.event.httpMethod', '$.event.resource', '$.event.path', '$.event.requestContext.identity.sourceIp', '$.event.requestContext.authorizer.claims.sub');
    const input = renderRequestTemplate(door(def).requestTemplate, request({ method: 'DELETE', claims: { sub: 'user-7' } })).input;
    expect(input).toEqual({ httpMethod: 'DELETE', resource: '/items/{id}', path: '/items/i-1', requestContext: { identity: { sourceIp: '203.0.113.9' }, authorizer: { claims: { sub: 'user-7' } } } });
    // Without an authorizer the claim is absent (not ""), so `claims?.sub ?? "anonymous"` behaves as in the handler.
    const anonymous = renderRequestTemplate(door(def).requestTemplate, request({ method: 'GET' })).input;
    expect(anonymous).toEqual({ httpMethod: 'GET', resource: '/items/{id}', path: '/items/i-1', requestContext: { identity: { sourceIp: '203.0.113.9' }, authorizer: { claims: {} } } });
  });

  test('HTTP API (v2) handlers: route key, lower-cased header names, and $default for the catch-all resource', () => {
    const def = reading('$.event.routeKey', '$.event.requestContext.http.method', '$.event.headers.accept');
    const tpl = door(def, 'apigw-http').requestTemplate;
    expect(renderRequestTemplate(tpl, request({ method: 'GET', headers: { Accept: 'text/plain' } })).input).toEqual({ routeKey: 'GET /items/{id}', requestContext: { http: { method: 'GET' } }, headers: { accept: 'text/plain' } });
    expect((renderRequestTemplate(tpl, request({ method: 'PATCH', resourcePath: '/{proxy+}' })).input as { routeKey: string }).routeKey).toBe('$default');
  });

  test('fields a mapping template cannot rebuild: no front door, and the reason names the field', () => {
    const r = emitFrontDoor({ definition: reading('$.event.multiValueHeaders.accept'), eventSource: 'apigw-rest', responseHeaders: [], responseHeaderNotes: [] });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('event.multiValueHeaders') });
    const notApi = emitFrontDoor({ definition: reading('$.event.Records'), eventSource: 'sqs', responseHeaders: [], responseHeaderNotes: [] });
    expect(notApi.ok).toBe(false);
  });
});

describe('response template', () => {
  const tpl = door(reading('$.event.httpMethod'), 'apigw-rest', ['Access-Control-Allow-Origin', 'Content-Type', 'X-Absent']).responseTemplate;

  test('SUCCEEDED: the status, the headers the handler set, and the body text exactly', () => {
    const output = JSON.stringify({ statusCode: 201, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }, body: '{"id":"i-1","note":"it\'s"}' });
    expect(renderResponseTemplate(tpl, { status: 'SUCCEEDED', output }, request())).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
      body: '{"id":"i-1","note":"it\'s"}',
    });
  });

  test('SUCCEEDED without body or headers: empty body, no headers', () => {
    expect(renderResponseTemplate(tpl, { status: 'SUCCEEDED', output: '{"statusCode":204}' }, request())).toEqual({ statusCode: 204, headers: {}, body: '' });
  });

  test('FAILED answers 502 Internal server error, as the Lambda proxy integration did for a handler that threw', () => {
    expect(renderResponseTemplate(tpl, { status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException', cause: 'x' }, request())).toEqual({ statusCode: 502, headers: {}, body: '{"message": "Internal server error"}' });
  });

  test('TIMED_OUT answers 504, which the stock CDK template forgets', () => {
    expect(renderResponseTemplate(tpl, { status: 'TIMED_OUT' }, request())).toEqual({ statusCode: 504, headers: {}, body: '{"message": "Endpoint request timed out"}' });
  });
});

describe('every golden case with a front door', () => {
  // The acceptance check: the request template, rendered from each recorded event, gives the machine exactly the
  // fields it reads, with the values the event has (maps whole; the path without the stage).
  const cases = allGoldenCases().filter((c) => existsSync(join(c.dir, 'events.json')));
  test('most API handlers of the suite get a front door (the check below is not vacuous)', async () => {
    let withDoor = 0;
    for (const c of cases) withDoor += (await scanProject([c.dir], { cwd: c.dir })).findings.filter((f) => f.stateMachine?.frontDoor).length;
    expect(withDoor).toBeGreaterThanOrEqual(30);
  });
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const report = await scanProject([c.dir], { cwd: c.dir });
    const events = JSON.parse(readFileSync(join(c.dir, 'events.json'), 'utf8')) as Array<{ file?: string; export?: string; event: Record<string, unknown> }>;
    for (const f of report.findings) {
      const fd = f.stateMachine?.frontDoor;
      if (!fd) continue;
      const mine = events.filter((e) => (!e.file || e.file === f.file) && (!e.export || e.export === f.export) && isApiEvent(e.event));
      expect(mine.length).toBeGreaterThan(0);
      const paths = machineEventPaths(f.stateMachine!.definition);
      for (const e of mine) {
        const input = renderRequestTemplate(fd.requestTemplate, apiRequestFromEvent(e.event)).input as Record<string, unknown>;
        for (const p of paths) {
          if (!p) continue;
          const [top, ...rest] = p.split('.');
          const expected = top === 'requestContext' || !rest.length ? at(e.event, p) : e.event[top!];
          const actual = top === 'requestContext' || !rest.length ? at(input, p) : input[top!];
          if (top === 'routeKey' && e.event['routeKey'] === '$default') expect(actual).toBe('$default');
          else expect({ path: p, value: actual ?? null }).toEqual({ path: p, value: expected ?? null });
        }
      }
    }
  });
});

function at(v: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);
}
