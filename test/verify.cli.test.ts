// The verify command's contract: JSON shape, exit codes, clear errors for bad input.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import type { VerifyReport } from '../src/verify/verifyCase.js';
import { REPO_ROOT } from './support/goldenCases.js';

const EXAMPLE = join(REPO_ROOT, 'fixtures', 'examples', '02-v3-get-404');
const DEPS = join(REPO_ROOT, 'node_modules');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['node', 'lambda2sfn', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: REPO_ROOT, env: {} });
  return { code, out, err };
}

/** A one-handler project with events and env but no tables.json. */
function tinyProject(key: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-verify-tiny-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  writeFileSync(join(dir, 'handler.js'), [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';",
    'const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    'export const handler = async (event) => {',
    `  await db.send(new DeleteCommand({ TableName: process.env.NOTES_TABLE, ${key} }));`,
    "  return { statusCode: 204, body: '' };",
    '};',
  ].join('\n'));
  writeFileSync(join(dir, 'env.json'), '{ "NOTES_TABLE": "notes" }');
  writeFileSync(join(dir, 'events.json'), JSON.stringify([{ name: 'delete', event: { httpMethod: 'DELETE', pathParameters: { id: 'n1' } } }]));
  return dir;
}

function copyOfExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-verify-cli-'));
  dirs.push(dir);
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('lambda2sfn verify', () => {
  test('--format json: equivalent, every event in order, exit 0', async () => {
    const { code, out } = await cli(['verify', EXAMPLE, '--deps', DEPS, '--format', 'json']);
    const r = JSON.parse(out) as VerifyReport;
    expect(code).toBe(0);
    expect(r.equivalent).toBe(true);
    expect(r.handlers).toEqual([{ file: 'src/getTicket.ts', export: 'handler', convertible: 'full', equivalent: true }]);
    expect(r.events.map((e) => [e.name, e.equal])).toEqual([['ticket with assignee', true], ['ticket without assignee', true], ['unknown ticket', true]]);
    expect(r.events[2]).toMatchObject({ handler: { statusCode: 404 }, stateMachine: { statusCode: 404 }, diff: '' });
    expect(r.tables).toEqual({ equal: true, diff: '' });
  });

  test('the bundled demo: four handlers (SDK v3 and v2, TS and CommonJS, one through a Map) all equivalent', async () => {
    const { code, out } = await cli(['verify', join(REPO_ROOT, 'fixtures', 'demo'), '--format', 'json']);
    const r = JSON.parse(out) as VerifyReport;
    expect(r.handlers.map((h) => [h.file, h.convertible, h.equivalent])).toEqual([
      ['src/getOrder.ts', 'full', true],
      ['src/createOrder.ts', 'full', true],
      ['src/cancelOrder.cjs', 'full', true],
      ['src/listOrders.ts', 'full', true],
    ]);
    expect(r.events.filter((e) => !e.equal)).toEqual([]);
    expect(code).toBe(0);
  });

  test('an event file that is not valid JSON is a usage error (exit 2) naming it', async () => {
    const dir = copyOfExample();
    writeFileSync(join(dir, 'events.json'), '[{ "name": ');
    const { code, err } = await cli(['verify', dir, '--deps', DEPS]);
    expect(code).toBe(2);
    expect(err).toMatch(/events\.json:1:12: the events file is not valid JSON: a value is expected/);
  });

  test('without tables.json the tables are created from the key the handler uses (empty), and the report says so', async () => {
    const dir = tinyProject('Key: { noteId: event.pathParameters.id }');
    const { code, out } = await cli(['verify', dir, '--deps', DEPS, '--format', 'json']);
    const r = JSON.parse(out) as VerifyReport;
    expect(r.notes).toEqual(['tables created empty from the keys the handler uses: notes (noteId)']);
    expect(r.events.map((e) => [e.name, e.equal])).toEqual([['delete', true]]);
    expect(code).toBe(0);
  });

  test('without tables.json and with a composite key, a clear error names the flag', async () => {
    const dir = tinyProject("Key: { noteId: event.pathParameters.id, owner: 'me' }");
    const { code, err } = await cli(['verify', dir, '--deps', DEPS]);
    expect(code).toBe(2);
    expect(err).toMatch(/composite key \(noteId, owner\).*--tables/);
  });

  test('a handler that throws on import is a clear error', async () => {
    const dir = copyOfExample();
    const original = readFileSync(join(dir, 'src', 'getTicket.ts'), 'utf8');
    writeFileSync(join(dir, 'src', 'getTicket.ts'), `${original}\nthrow new Error('boom at import');\n`);
    const { code, err } = await cli(['verify', dir, '--deps', DEPS]);
    expect(code).toBe(2);
    expect(err).toMatch(/cannot be loaded: .*boom at import/);
  });
});

describe('lambda2sfn verify refuses to run what it cannot bind', () => {
  test('a Task with no local implementation is a clear error, before anything runs', async () => {
    const { scanProject } = await import('../src/scan/scanProject.js');
    const { verifyCase } = await import('../src/verify/verifyCase.js');
    const report = await scanProject([EXAMPLE], { cwd: REPO_ROOT });
    const f = structuredClone(report.findings[0]!);
    const states = f.stateMachine!.definition.States;
    const getItem = Object.values(states).find((s) => s['Resource'] === 'arn:aws:states:::dynamodb:getItem')!;
    getItem['Resource'] = 'arn:aws:states:::glue:startJobRun';
    await expect(verifyCase(EXAMPLE, { cwd: REPO_ROOT, deps: DEPS, findings: [f] })).rejects.toThrow(/has no local implementation; refusing to run it/);
  });
});
