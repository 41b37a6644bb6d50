// verify FILE --events E: each event's `file` is relative to the events file; a path that names no file, or a file
// with no handler, is bad input (exit 2 naming the path), not a difference.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import { REPO_ROOT } from './support/goldenCases.js';

const DEPS = join(REPO_ROOT, 'node_modules');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The 02 example as a repository: the handler under src/, the events file in a folder of its own. */
function repoWithEventsIn(folder: string, file: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-verify-events-'));
  dirs.push(dir);
  cpSync(join(REPO_ROOT, 'fixtures', 'examples', '02-v3-get-404'), dir, { recursive: true });
  const events = (JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as Array<Record<string, unknown>>).map((e) => ({ ...e, file }));
  rmSync(join(dir, 'events.json'));
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, folder, 'e.json'), JSON.stringify(events));
  writeFileSync(join(dir, 'src', 'notAHandler.ts'), 'export const answer = 42;\n');
  return dir;
}

async function verify(dir: string, eventsFile: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['node', 'lambda2sfn', 'verify', 'src/getTicket.ts', '--events', eventsFile, '--tables', 'tables.json', '--env', 'env.json', '--deps', DEPS], {
    stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: dir, env: {},
  });
  return { code, out, err };
}

describe('verify FILE: the project the handler runs in', () => {
  test('a handler that imports from a sibling folder runs in its package, not in its own folder only', async () => {
    const dir = repoWithEventsIn('test/events', '../../src/handlers/getTicket.ts');
    mkdirSync(join(dir, 'src', 'handlers'));
    mkdirSync(join(dir, 'src', 'lib'));
    const handler = readFileSync(join(dir, 'src', 'getTicket.ts'), 'utf8');
    const client = 'const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n';
    expect(handler).toContain(client);
    writeFileSync(join(dir, 'src', 'lib', 'ddb.ts'), `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";\nexport ${client}`);
    writeFileSync(join(dir, 'src', 'handlers', 'getTicket.ts'), `import { ddb } from "../lib/ddb";\n${handler.replace(client, '')}`);
    rmSync(join(dir, 'src', 'getTicket.ts'));
    let out = '';
    let err = '';
    const code = await run(['node', 'lambda2sfn', 'verify', 'src/handlers/getTicket.ts', '--events', 'test/events/e.json', '--tables', 'tables.json', '--env', 'env.json', '--deps', DEPS], {
      stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: dir, env: {},
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^equivalent: 3 of 3 events/m);
  });
});

describe('verify --events: handler paths', () => {
  test('relative to the events file, not to the handler\'s folder: equivalent, exit 0', async () => {
    const dir = repoWithEventsIn('test/events', '../../src/getTicket.ts');
    const r = await verify(dir, 'test/events/e.json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^equivalent: 3 of 3 events/m);
  });

  test('a path that names no file: exit 2 naming it, nothing compared', async () => {
    const dir = repoWithEventsIn('test/events', 'src/getTicket.ts');
    const r = await verify(dir, 'test/events/e.json');
    expect(r).toEqual({ code: 2, out: '', err: `lambda2sfn: event "ticket with assignee" in test/events/e.json names src/getTicket.ts, which resolves to test/events/src/getTicket.ts (relative to the events file): no such file\n` });
  });

  test('a file with no handler: exit 2 naming it, not DIFFERENT', async () => {
    const dir = repoWithEventsIn('test/events', '../../src/notAHandler.ts');
    const r = await verify(dir, 'test/events/e.json');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe('lambda2sfn: no handler found for event "ticket with assignee": ../../src/notAHandler.ts (relative to test/events/e.json) has no handler\n');
  });
});
