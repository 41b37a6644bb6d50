import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createTables, startLocalDynamo, type LocalDynamo, type TableSpec } from '../src/verify/localDynamo.js';
import { comparableResponse, inputStrings } from '../src/verify/normalize.js';
import { ComputeError, startHandlerRunner, type HandlerRunner, type HandlerRunnerOptions } from '../src/verify/handlerRunner.js';

jest.setTimeout(60_000);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = join(ROOT, 'fixtures', 'examples');
const DEPS = join(ROOT, 'node_modules');

interface RecordedEvent {
  name: string;
  file: string;
  export: string;
  event: unknown;
  expected_response?: unknown;
  compare?: 'status';
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A throw-away project folder with the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-runner-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  scratch.push(dir);
  return dir;
}

const scratch: string[] = [];
const runners: HandlerRunner[] = [];
let dynamo: LocalDynamo;

async function start(opts: Partial<HandlerRunnerOptions> & { projectDir: string }): Promise<HandlerRunner> {
  const runner = await startHandlerRunner({ env: {}, endpoints: { dynamodb: dynamo.endpoint }, ...opts });
  runners.push(runner);
  return runner;
}

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  await dynamo.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('recorded example handlers', () => {
  async function expectRecordedResponses(caseName: string): Promise<void> {
    const dir = join(EXAMPLES, caseName);
    const tables = readJson<TableSpec[]>(join(dir, 'tables.json'));
    const events = readJson<RecordedEvent[]>(join(dir, 'events.json'));
    await createTables(dynamo.client, tables);
    const runner = await start({ projectDir: dir, deps: DEPS, env: readJson<Record<string, string>>(join(dir, 'env.json')) });
    await runner.load(events[0]!.file, events[0]!.export);
    const keep = inputStrings(events.map((e) => e.event), tables);
    for (const e of events) {
      const { response, error, logs } = await runner.invoke(e.event);
      expect({ event: e.name, error }).toEqual({ event: e.name, error: undefined });
      const now = Date.now();
      expect({ event: e.name, response: comparableResponse(response, { keep, now }) }).toEqual({
        event: e.name,
        response: comparableResponse(e.expected_response, { keep, now }),
      });
      expect(typeof logs).toBe('string');
    }
  }

  test('02-v3-get-404: TypeScript, SDK v3, ESM (through tsx), including the 404 branch', async () => {
    await expectRecordedResponses('02-v3-get-404');
  });

  test('01-v2-get-promise: CommonJS, SDK v2 pointed at the local DynamoDB (a wrong endpoint would answer 502)', async () => {
    await expectRecordedResponses('01-v2-get-promise');
  });

  test('the project folder is copied: writeFile and node_modules never touch the original', async () => {
    const dir = join(EXAMPLES, '02-v3-get-404');
    const before = readdirSync(dir).sort();
    const runner = await start({ projectDir: dir, deps: DEPS });
    await runner.writeFile('src/extra.mjs', 'export const x = 1;\n');
    expect(existsSync(join(runner.workDir, 'src', 'extra.mjs'))).toBe(true);
    expect(existsSync(join(runner.workDir, 'src', 'getTicket.ts'))).toBe(true);
    expect(existsSync(join(runner.workDir, 'node_modules', 'tsx'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(before);
    await expect(runner.writeFile('../escape.js', '')).rejects.toThrow(/not inside the project/);
  });
});

describe('handler styles and failures', () => {
  test('callback-style handler: context fields, callback result, console output in logs only', async () => {
    const dir = project({
      'package.json': '{ "name": "cb" }',
      'index.js': `
        exports.handler = function (event, context, callback) {
          console.log('hello from the handler', event.n);
          process.stdout.write('raw stdout\\n');
          setTimeout(() => callback(null, {
            doubled: event.n * 2,
            requestId: context.awsRequestId,
            functionName: context.functionName,
            remaining: context.getRemainingTimeInMillis() > 0,
            waits: context.callbackWaitsForEmptyEventLoop,
          }), 20);
        };
        exports.legacy = function (event, context) { setTimeout(() => context.succeed({ via: 'succeed' }), 5); };
        exports.cbError = function (event, context, callback) { callback(new TypeError('bad input')); };
        exports.neverCalls = function (event, context, callback) { setTimeout(() => console.log('timer done'), 30); };
        exports.first = async function (event, context, callback) { callback(null, 'from callback'); return 'from promise'; };
      `,
    });
    const runner = await start({ projectDir: dir });
    await runner.load('index.js', 'handler');
    const first = await runner.invoke({ n: 21 });
    expect(first.error).toBeUndefined();
    expect(first.response).toEqual({ doubled: 42, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionName: 'index-handler', remaining: true, waits: true });
    expect(first.logs).toContain('hello from the handler 21');
    expect(first.logs).toContain('raw stdout');
    expect(first.logs).not.toContain('\u0000');
    const second = await runner.invoke({ n: 1 });
    expect(second.response).toMatchObject({ doubled: 2 });
    expect((second.response as { requestId: string }).requestId).not.toBe((first.response as { requestId: string }).requestId);
    expect(second.logs).toContain('hello from the handler 1');
    expect(second.logs).not.toContain('hello from the handler 21');

    const legacy = await start({ projectDir: dir });
    await legacy.load('index.js', 'legacy');
    expect(await legacy.invoke({})).toMatchObject({ response: { via: 'succeed' } });
    await legacy.load('index.js', 'cbError');
    expect(await legacy.invoke({})).toMatchObject({ error: { errorType: 'TypeError', errorMessage: 'bad input' } });
    // No callback at all: Lambda answers null once the event loop is empty (not a timeout).
    await legacy.load('index.js', 'neverCalls');
    const none = await legacy.invoke({});
    expect(none.response).toBeNull();
    expect(none.logs).toContain('timer done');
    await legacy.load('index.js', 'first');
    expect(await legacy.invoke({})).toMatchObject({ response: 'from callback' });
  });

  test('a module that throws on import: load() rejects with its message', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'broken.mjs': "throw new Error('config missing: TABLE_NAME');\nexport const handler = async () => 1;\n" });
    const runner = await start({ projectDir: dir });
    await expect(runner.load('broken.mjs', 'handler')).rejects.toThrow(/cannot load broken\.mjs.*config missing: TABLE_NAME/);
    await expect(runner.load('missing.mjs', 'handler')).rejects.toThrow(/no such file/);
  });

  test('a missing export: load() rejects', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'h.mjs': 'export const other = async () => 1;\n' });
    const runner = await start({ projectDir: dir });
    await expect(runner.load('h.mjs', 'handler')).rejects.toThrow(/no exported function "handler"/);
  });

  test('a handler that throws: errorType is the error name or class, as Lambda reports it', async () => {
    const dir = project({
      'package.json': '{ "type": "module" }',
      'h.ts': `
        class NotFoundError extends Error {}
        export const handler = async (event: { kind: string }): Promise<unknown> => {
          if (event.kind === 'class') throw new NotFoundError('no such order');
          if (event.kind === 'named') throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
          if (event.kind === 'string') throw 'plain text';
          if (event.kind === 'undefined') return undefined;
          return { ok: true, at: new Date(0) };
        };
      `,
    });
    const runner = await start({ projectDir: dir });
    await runner.load('h.ts', 'handler');
    expect(await runner.invoke({ kind: 'class' })).toMatchObject({ error: { errorType: 'NotFoundError', errorMessage: 'no such order' } });
    expect(await runner.invoke({ kind: 'named' })).toMatchObject({ error: { errorType: 'AccessDenied', errorMessage: 'denied' } });
    expect(await runner.invoke({ kind: 'string' })).toMatchObject({ error: { errorType: 'string', errorMessage: 'plain text' } });
    // JSON serialisation like Lambda: undefined becomes null, a Date its ISO string.
    expect(await runner.invoke({ kind: 'undefined' })).toMatchObject({ response: null });
    const ok = await runner.invoke({ kind: 'ok' });
    expect(ok.response).toEqual({ ok: true, at: '1970-01-01T00:00:00.000Z' });
    expect(ok.error).toBeUndefined();
  });

  test('compute() calls an export of a written module (JS or TS), cached; failures reject with ComputeError', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'src/handler.mjs': 'export const handler = async () => 1;\n' });
    const runner = await start({ projectDir: dir });
    await runner.writeFile('src/residual.mjs', 'let calls = 0;\nexport function render(input) { calls += 1; return { html: `<p>${input.text}</p>`, calls }; }\n');
    await runner.writeFile(
      'src/residual2.ts',
      "export const slug = async (input: { title: string }): Promise<string> => input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');\n" +
        "export const fail = (): never => { throw new RangeError('too long'); };\n",
    );
    expect(await runner.compute('src/residual.mjs', 'render', { text: 'hi' })).toEqual({ html: '<p>hi</p>', calls: 1 });
    expect(await runner.compute('src/residual.mjs', 'render', { text: 'again' })).toEqual({ html: '<p>again</p>', calls: 2 });
    expect(await runner.compute('src/residual2.ts', 'slug', { title: 'Why We Moved' })).toBe('why-we-moved');
    const failure = runner.compute('src/residual2.ts', 'fail', {});
    await expect(failure).rejects.toBeInstanceOf(ComputeError);
    await expect(failure).rejects.toMatchObject({ errorType: 'RangeError', message: 'too long' });
    await expect(runner.compute('src/residual.mjs', 'nope', {})).rejects.toThrow(/no exported function "nope"/);
    // The original project is untouched.
    expect(existsSync(join(dir, 'src', 'residual.mjs'))).toBe(false);
  });

  test('a handler that hangs: the call times out, the child is stopped and later calls fail fast', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'h.mjs': 'export const handler = () => new Promise(() => {});\n' });
    const runner = await start({ projectDir: dir, timeoutMs: 500 });
    await runner.load('h.mjs', 'handler');
    await expect(runner.invoke({})).rejects.toThrow(/timed out after 0\.5 s/);
    // A later call is refused at once (no second wait for the timeout): it names the stopped process.
    await expect(runner.invoke({})).rejects.toThrow(/the handler process is not running \(.*timed out/);
    while (isRunning(runner.pid!)) await new Promise((r) => setTimeout(r, 20));
    expect(isRunning(runner.pid!)).toBe(false);
  });

  test('a handler that exits the process: the pending call rejects with the exit code', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'h.mjs': "export const handler = async () => { console.error('about to quit'); process.exit(3); };\n" });
    const runner = await start({ projectDir: dir });
    await runner.load('h.mjs', 'handler');
    await expect(runner.invoke({})).rejects.toThrow(/exited with code 3 while invoking h\.mjs[\s\S]*about to quit/);
    await expect(runner.compute('h.mjs', 'handler', {})).rejects.toThrow(/exited with code 3/);
  });
});

describe('environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  test('function env, dummy credentials, local endpoints; none of this machine\'s AWS settings; SDK v2 configured per service', async () => {
    process.env['AWS_PROFILE'] = 'production-admin';
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAREALREALREAL';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'real-secret';
    process.env['NODE_OPTIONS'] = `${process.env['NODE_OPTIONS'] ?? ''} --experimental-vm-modules`;
    const dir = project({
      'package.json': '{ "name": "env-probe" }',
      'probe.js': `
        const AWS = require('aws-sdk');
        exports.handler = async () => ({
          env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_') || k === 'TABLE' || k === 'NODE_OPTIONS')),
          v2: {
            dynamodb: new AWS.DynamoDB().endpoint.href,
            documentClient: new AWS.DynamoDB.DocumentClient().service.endpoint.href,
            sns: new AWS.SNS().endpoint.href,
            eventbridge: new AWS.EventBridge().endpoint.href,
            sqs: new AWS.SQS().endpoint.href,
            region: AWS.config.region,
            keyId: AWS.config.credentials && AWS.config.credentials.accessKeyId,
          },
        });
      `,
    });
    const runner = await start({ projectDir: dir, deps: DEPS, env: { TABLE: 'orders' }, endpoints: { dynamodb: 'http://127.0.0.1:4567', stubs: 'http://127.0.0.1:4568' } });
    await runner.load('probe.js', 'handler');
    const { response, error } = await runner.invoke({});
    expect(error).toBeUndefined();
    const { env, v2 } = response as { env: Record<string, string>; v2: Record<string, string> };
    expect(env).toMatchObject({
      TABLE: 'orders',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
      AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:4568',
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:4568',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4568',
    });
    expect(env['AWS_PROFILE']).toBeUndefined();
    expect(env['AWS_ACCESS_KEY_ID']).not.toBe('AKIAREALREALREAL');
    expect(env['AWS_SECRET_ACCESS_KEY']).not.toBe('real-secret');
    expect(env['NODE_OPTIONS'] ?? '').not.toContain('--experimental-vm-modules');
    expect(v2).toEqual({
      dynamodb: 'http://127.0.0.1:4567/',
      documentClient: 'http://127.0.0.1:4567/',
      sns: 'http://127.0.0.1:4568/',
      eventbridge: 'http://127.0.0.1:4568/',
      sqs: 'http://127.0.0.1:4568/',
      region: 'us-east-1',
      keyId: env['AWS_ACCESS_KEY_ID'],
    });
  });
});

describe('close()', () => {
  test('kills the child, removes the temporary copy, is idempotent; later calls reject', async () => {
    const dir = project({ 'package.json': '{ "type": "module" }', 'h.mjs': 'export const handler = async (e) => e;\n' });
    const runner = await startHandlerRunner({ projectDir: dir, env: {}, endpoints: { dynamodb: dynamo.endpoint } });
    await runner.load('h.mjs', 'handler');
    expect(await runner.invoke({ a: 1 })).toMatchObject({ response: { a: 1 } });
    const pid = runner.pid!;
    expect(isRunning(pid)).toBe(true);
    expect(existsSync(runner.workDir)).toBe(true);
    await Promise.all([runner.close(), runner.close()]);
    await runner.close();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(runner.workDir)).toBe(false);
    await expect(runner.invoke({})).rejects.toThrow(/closed/);
  });
});
