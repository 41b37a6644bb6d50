// Which exports a scan reports as handlers: callees of a handler are not, what the infrastructure deploys is.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import type { ScanReport } from '../src/report/types.js';
import { renderText } from '../src/render/text.js';

let tmp: string;
beforeEach(() => {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'l2s-handlers-')));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function tree(files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(tmp, ...rel.split('/'));
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const found = (r: ScanReport): string[] => r.findings.map((f) => `${f.file}#${f.export}`);

const CLIENT = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`;
// Two layers under the handler: handler → service → repository (the repository's exports are not imported by the handler).
const REPOSITORY = `import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client';
export async function findOrder(id: string) {
  const out = await db.send(new GetCommand({ TableName: process.env.TABLE, Key: { id } }));
  return out.Item;
}
export async function saveOrder(order: { id: string }) {
  await db.send(new PutCommand({ TableName: process.env.TABLE, Item: order }));
}
// Exported under a handler's name: still a handler of its own, even in a module a handler reaches.
export const auditHandler = async (event: { id: string }) => {
  await db.send(new PutCommand({ TableName: process.env.AUDIT, Item: { id: event.id } }));
};
`;
const SERVICE = `import * as orders from '../data/orders';
export const getOrder = (id: string) => orders.findOrder(id);
`;
const HANDLER = `import { getOrder } from '../services/orders.service';
export const handler = async (event: { pathParameters: { id: string } }) => {
  const order = await getOrder(event.pathParameters.id);
  return { statusCode: order ? 200 : 404, body: JSON.stringify(order ?? {}) };
};
`;

describe('handler discovery: callees are not handlers', () => {
  test('the exports of a module a handler reaches through another module are not reported; one named like a handler is', async () => {
    tree({ 'src/data/client.ts': CLIENT, 'src/data/orders.ts': REPOSITORY, 'src/services/orders.service.ts': SERVICE, 'src/handlers/getOrder.ts': HANDLER });
    const report = await scanProject([tmp], { cwd: tmp });
    // auditHandler is only reached (nobody imports it by name), so its name keeps it.
    expect(found(report)).toEqual(['src/data/orders.ts#auditHandler', 'src/handlers/getOrder.ts#handler']);
  });

  test('with no handler reaching it, a repository module is reported as it is', async () => {
    tree({ 'src/data/client.ts': CLIENT, 'src/data/orders.ts': REPOSITORY });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['src/data/orders.ts#findOrder', 'src/data/orders.ts#saveOrder', 'src/data/orders.ts#auditHandler']);
  });

  test('a barrel (export * from) passes the reach on', async () => {
    tree({
      'src/data/client.ts': CLIENT,
      'src/data/orders.ts': REPOSITORY,
      'src/data/index.ts': `export * from './orders';\n`,
      'src/handlers/getOrder.ts': `import { findOrder } from '../data';\nexport const handler = async (event: { id: string }) => ({ statusCode: 200, body: JSON.stringify(await findOrder(event.id)) });\n`,
    });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['src/data/orders.ts#auditHandler', 'src/handlers/getOrder.ts#handler']);
  });

  test('an export the infrastructure deploys stays a handler, even when a handler calls it', async () => {
    tree({
      'src/data/client.ts': CLIENT,
      'src/data/orders.ts': REPOSITORY,
      'src/services/orders.service.ts': SERVICE,
      'src/handlers/getOrder.ts': HANDLER,
      'template.yaml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Save:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/data\n      Handler: orders.saveOrder\n',
    });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['src/data/orders.ts#saveOrder', 'src/data/orders.ts#auditHandler', 'src/handlers/getOrder.ts#handler']);
  });

  test('an export a handler imports by name is a callee whatever its name', async () => {
    tree({
      'src/data/client.ts': CLIENT,
      'src/data/orders.ts': REPOSITORY,
      'src/handlers/audit.ts': `import { auditHandler } from '../data/orders';\nexport const handler = async (event: { id: string }) => { await auditHandler(event); return { statusCode: 204, body: '' }; };\n`,
    });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['src/handlers/audit.ts#handler']);
  });
});

const TRACED_CLASS = `import { Tracer } from '@aws-lambda-powertools/tracer';
const tracer = new Tracer({ serviceName: 'rooms' });
const AWS = tracer.captureAWS(require('aws-sdk'));
const ddb = tracer.captureAWSClient(new AWS.DynamoDB.DocumentClient());

class Rooms {
  DECORATOR
  public async handler(event: { pathParameters: { id: string } }, context: unknown) {
    BODY
    const out = await ddb.get({ TableName: process.env.ROOMS, Key: { id: event.pathParameters.id } }).promise();
    return { statusCode: out.Item ? 200 : 404, body: JSON.stringify(out.Item ?? {}) };
  }
}
export const handlerClass = new Rooms();
export const handler = EXPORT;
`;
const traced = (parts: { DECORATOR?: string; BODY?: string; EXPORT?: string }): string =>
  TRACED_CLASS.replace('DECORATOR', parts.DECORATOR ?? '@tracer.captureLambdaHandler()').replace('BODY', parts.BODY ?? '').replace('EXPORT', parts.EXPORT ?? 'handlerClass.handler');

describe('handler discovery: a class method exported as the handler', () => {
  test('a Powertools-decorated method with traced clients is lifted; the tracing is stated, not a blocker', async () => {
    tree({ 'rooms.ts': traced({}) });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['rooms.ts#handler']);
    const f = report.findings[0]!;
    expect(f.blockers).toEqual([]);
    expect(f.convertible).toBe('full');
    expect(f.stateMachine?.resources).toEqual(['arn:aws:states:::dynamodb:getItem']);
    expect(f.assumptions.map((a) => a.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('@tracer.captureLambdaHandler() only adds X-Ray tracing'), expect.stringContaining('tracer.captureAWSClient(…) only adds X-Ray tracing')]),
    );
  });

  test('handlerClass.handler.bind(handlerClass) is the same handler; bound to another object it is not lifted', async () => {
    tree({ 'a/rooms.ts': traced({ EXPORT: 'handlerClass.handler.bind(handlerClass)' }), 'b/rooms.ts': traced({ EXPORT: 'handlerClass.handler.bind({})' }) });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(report.findings.map((f) => [f.file, f.convertible])).toEqual([['a/rooms.ts', 'full'], ['b/rooms.ts', 'none']]);
    // Another `this`: a call the analyser cannot see into, as for any unknown wrapper.
    expect(report.findings[1]!.blockers[0]!.message).toContain('the handler is built by handlerClass.handler.bind(…)');
  });

  test('a field the method assigns is a blocker naming it', async () => {
    tree({ 'rooms.ts': traced({ BODY: 'this.lastRoom = event.pathParameters.id;' }) });
    const report = await scanProject([tmp], { cwd: tmp });
    const f = report.findings[0]!;
    expect(f.convertible).toBe('none');
    expect(f.blockers[0]).toEqual({ rule: 'unsupported-construct', line: 9, message: expect.stringContaining('the handler method assigns this.lastRoom') });
  });

  test('a decorator the analyser does not know is a blocker', async () => {
    tree({ 'rooms.ts': traced({ DECORATOR: '@retry(3)' }).replace("import { Tracer }", 'const retry = (n: number) => (..._a: unknown[]) => undefined;\nimport { Tracer }') });
    const report = await scanProject([tmp], { cwd: tmp });
    const f = report.findings[0]!;
    expect(f.convertible).toBe('none');
    expect(f.blockers[0]).toEqual({ rule: 'unsupported-construct', line: 8, message: 'the handler method is decorated by @retry(3), whose behaviour is unknown' });
  });
});

describe('handler discovery: handlers exported together', () => {
  const USERS = `const { wrap } = require('./wrap');
const AWS = require('aws-sdk');
const ddb = new AWS.DynamoDB.DocumentClient();
const list = wrap(async () => ({ statusCode: 200, body: JSON.stringify((await ddb.scan({ TableName: process.env.USERS }).promise()).Items) }));
// The function is not the first argument: a schema comes first.
const create = wrap({ required: ['body'] }, async (event) => {
  await ddb.put({ TableName: process.env.USERS, Item: { id: event.body.id } }).promise();
  return { statusCode: 201, body: '' };
});
const health = () => ({ statusCode: 200, body: 'ok' });
const toUser = (row) => row.id;
module.exports = { list, create, health, toUser };
`;
  const WRAP = `exports.wrap = (a, b) => b ?? a;\n`;

  test('every property of module.exports that wraps a handler is found, whatever the position of the function', async () => {
    tree({ 'src/users/handler.js': USERS, 'src/users/wrap.js': WRAP });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['src/users/handler.js#list', 'src/users/handler.js#create']);
    expect(report.findings.map((f) => f.blockers[0]?.message)).toEqual(['the handler is wrapped by wrap(…), whose behaviour is unknown', 'the handler is wrapped by wrap(…), whose behaviour is unknown']);
  });

  test('a property the infrastructure names is a handler even when nothing else says so', async () => {
    tree({
      'src/users/handler.js': USERS,
      'src/users/wrap.js': WRAP,
      'serverless.yml': 'service: users\nprovider:\n  name: aws\nfunctions:\n  health:\n    handler: src/users/handler.health\n    events:\n      - httpApi: GET /health\n',
    });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(found(report)).toEqual(['src/users/handler.js#list', 'src/users/handler.js#create', 'src/users/handler.js#health']);
    const health = report.findings[2]!;
    expect([health.convertible, health.reason, health.deployment?.resource]).toEqual(['none', 'no DynamoDB call in this handler: nothing to convert', 'health']);
  });
});

test('a property that re-exports another module (create: require(...)) is that module\'s handler, not a framework', async () => {
  tree({
    'handler.js': `module.exports = { create: require('./lib/create') };\n`,
    'lib/create.js': `const AWS = require('aws-sdk');\nconst ddb = new AWS.DynamoDB.DocumentClient();\nmodule.exports = async (event) => {\n  await ddb.put({ TableName: process.env.T, Item: { id: event.pathParameters.id } }).promise();\n  return { statusCode: 201, body: '' };\n};\n`,
    'serverless.yml': 'service: s\nprovider:\n  name: aws\nfunctions:\n  create:\n    handler: handler.create\n',
  });
  const report = await scanProject([tmp], { cwd: tmp });
  expect(found(report)).toEqual(['lib/create.js#module.exports']);
});

describe('handler discovery: the event source', () => {
  // Reads Records[].body as an SQS consumer would; an S3 notification also carries Records.
  const CONSUMER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  await db.send(new PutCommand({ TableName: process.env.TABLE, Item: { id: event.Records[0].messageId } }));
};
`;
  const sam = (events: string) =>
    `Transform: AWS::Serverless-2016-10-31\nResources:\n  Consumer:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src\n      Handler: consumer.handler\n      Events:\n${events}`;

  test('without infrastructure the code guesses it', async () => {
    tree({ 'src/consumer.mjs': CONSUMER });
    const report = await scanProject([tmp], { cwd: tmp });
    const [f] = report.findings;
    expect([f!.eventSource, f!.deployment]).toEqual(['sqs', undefined]);
    expect(renderText(report, { color: false, showAsl: false }).split('\n')[0]).toMatch(/ \[sqs\]$/);
    expect(f!.assumptions.map((a) => a.message).join('\n')).not.toContain('the event source is');
  });

  test('the infrastructure wins over the code, and the finding says so', async () => {
    tree({ 'src/consumer.mjs': CONSUMER, 'template.yaml': sam('        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Uploads\n            Events: s3:ObjectCreated:*\n') });
    const report = await scanProject([tmp], { cwd: tmp });
    const [f] = report.findings;
    expect([f!.eventSource, f!.deployment?.eventSource]).toEqual(['s3', 's3']);
    expect(f!.assumptions.map((a) => a.message)).toContain('the event source is s3, as template.yaml declares it; the fields the code reads alone suggest sqs');
    // The text report says where the source comes from; without infrastructure it shows the guess alone.
    expect(renderText(report, { color: false, showAsl: false }).split('\n')[0]).toBe('src/consumer.mjs:4 handler full [s3, declared in template.yaml]');
  });

  test('events of two kinds declare nothing: the code guesses', async () => {
    tree({ 'src/consumer.mjs': CONSUMER, 'template.yaml': sam('        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Uploads\n            Events: s3:ObjectCreated:*\n        Queue:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n') });
    const [f] = (await scanProject([tmp], { cwd: tmp })).findings;
    expect([f!.eventSource, f!.deployment?.eventSource, f!.deployment?.resource]).toEqual(['sqs', undefined, 'Consumer']);
  });

  test('serverless.yml: a DynamoDB stream by its type', async () => {
    tree({ 'src/consumer.mjs': CONSUMER, 'serverless.yml': 'service: s\nprovider:\n  name: aws\nfunctions:\n  consumer:\n    handler: src/consumer.handler\n    events:\n      - stream:\n          type: dynamodb\n          arn: !GetAtt Table.StreamArn\n' });
    const [f] = (await scanProject([tmp], { cwd: tmp })).findings;
    expect([f!.eventSource, f!.deployment?.eventSource]).toEqual(['dynamodb-stream', 'dynamodb-stream']);
  });
});

describe('handler discovery: CDK NodejsFunction without entry', () => {
  test('the entry is <defining file>.<construct id>.ts, as NodejsFunction derives it', async () => {
    tree({
      'cdk.json': '{ "app": "npx ts-node bin/app.ts" }',
      'lib/api-stack.ts': `import { Stack } from 'aws-cdk-lib';\nimport { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';\nexport class ApiStack extends Stack {\n  constructor(scope: any, id: string) {\n    super(scope, id);\n    new NodejsFunction(this, 'list-handler', { memorySize: 256 });\n    new NodejsFunction(this, 'ping-handler');\n  }\n}\n`,
      // Neither looks like a handler on its own: no event parameter, no service call.
      'lib/api-stack.list-handler.ts': `export const handler = async () => ({ statusCode: 200, body: '[]' });\n`,
      'lib/api-stack.ping-handler.ts': `export const handler = async () => ({ statusCode: 200, body: 'pong' });\n`,
      'lib/api-stack.other.ts': `export const handler = async () => ({ statusCode: 200, body: 'not deployed' });\n`,
    });
    const report = await scanProject([tmp], { cwd: tmp });
    expect(report.findings.map((f) => [f.file, f.deployment?.resource, f.deployment?.memoryMb])).toEqual([
      ['lib/api-stack.list-handler.ts', 'list-handler', 256],
      ['lib/api-stack.ping-handler.ts', 'ping-handler', 128],
    ]);
  });
});

test('a module the infrastructure names is parsed even when its text has no DynamoDB or handler word (the prefilter changes nothing)', async () => {
  tree({
    'src/status.mjs': `export const ping = async () => ({ statusCode: 200, body: 'pong' });\n`,
    'serverless.yml': 'service: s\nprovider:\n  name: aws\nfunctions:\n  ping:\n    handler: src/status.ping\n    events:\n      - httpApi: GET /ping\n',
  });
  const filtered = await scanProject([tmp], { cwd: tmp });
  const unfiltered = await scanProject([tmp], { cwd: tmp, prefilter: false });
  expect(found(filtered)).toEqual(['src/status.mjs#ping']);
  expect(filtered.findings).toEqual(unfiltered.findings);
  expect(filtered.findings[0]!.eventSource).toBe('apigw-http');
});

describe("handler discovery: the project's own middy wrapper", () => {
  const handler = (wrap: string) => `import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './client';
import { wrap } from './wrap';
const save = async (event) => {
  await db.send(new PutCommand({ TableName: process.env.TABLE, Item: { id: event.pathParameters.id, name: String(event.body.name) } }));
  return { statusCode: 201, body: '' };
};
export const main = ${wrap};
`;
  const wrapper = (body: string) => `import middy from '@middy/core';\nimport jsonBodyParser from '@middy/http-json-body-parser';\nimport cors from '@middy/http-cors';\n${body}\n`;
  const scanWith = async (wrap: string, call = 'wrap(save)') => {
    tree({ 'client.ts': CLIENT, 'wrap.ts': wrapper(wrap), 'handler.ts': handler(call) });
    return (await scanProject([tmp], { cwd: tmp })).findings.find((f) => f.file === 'handler.ts')!;
  };

  test('a wrapper that only builds middy(handler).use(…) on its one parameter is read as that chain', async () => {
    const f = await scanWith('export const wrap = (handler) => middy(handler).use(jsonBodyParser());');
    expect([f.convertible, f.blockers]).toEqual(['full', []]);
    expect(f.rules).toContain('middy-wrapper');
  });

  test("the chain's middleware is checked as if the handler's module had written it", async () => {
    const f = await scanWith('export function wrap(handler) {\n  return middy(handler).use(jsonBodyParser()).use(cors());\n}');
    expect(f.convertible).toBe('none');
    expect(f.blockers.map((b) => b.message)).toEqual([expect.stringContaining('@middy/http-cors')]);
  });

  test.each([
    ['a wrapper that does more than build the chain', 'export const wrap = (handler) => { console.log("wrapped"); return middy(handler).use(jsonBodyParser()); };', 'wrap(save)'],
    ['a wrapper that wraps something else than its parameter', 'const other = async () => ({ statusCode: 500 });\nexport const wrap = (handler) => middy(other).use(jsonBodyParser());', 'wrap(save)'],
    ['a wrapper called with a schema first', 'export const wrap = (schema, handler) => middy(handler).use(jsonBodyParser());', 'wrap({ type: "object" }, save)'],
  ])('%s stays a wrapper whose behaviour is unknown', async (_name, wrap, call) => {
    const f = await scanWith(wrap, call);
    expect(f.convertible).toBe('none');
    expect(f.blockers[0]?.message).toBe('the handler is wrapped by wrap(…), whose behaviour is unknown');
  });
});
