// Awaited calls of project functions reached through re-exports and namespaces, and the blockers a callee raises.
// Only the handler's finding is checked here: whether a callee is reported on its own is discovery's concern.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import type { Finding } from '../src/report/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function handlerFinding(files: Record<string, string>, handlerFile = 'src/handler.mjs'): Promise<Finding> {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-async-helper-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries({ 'package.json': '{ "type": "module" }', ...files })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const report = await scanProject([dir], { cwd: dir, queryLanguage: 'auto' });
  const f = report.findings.find((x) => x.file === handlerFile && x.export === 'handler');
  if (!f) throw new Error(`no finding for ${handlerFile}: ${JSON.stringify(report.findings.map((x) => `${x.file}#${x.export}`))}`);
  return f;
}

const CLIENT = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`;
const ITEMS = `import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/client.mjs';
export async function findItem(id) {
  const command = new GetCommand({ TableName: process.env.ITEMS_TABLE, Key: { id } });
  const result = await ddb.send(command);
  return result.Item;
}
export async function saveItem(item) {
  await ddb.send(new PutCommand({ TableName: process.env.ITEMS_TABLE, Item: item }));
  return item;
}
`;
const GET_HANDLER = (importLine: string, call: string) => `${importLine}
export const handler = async (event) => {
  const item = await ${call}(event.pathParameters.id);
  if (!item) return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  return { statusCode: 200, body: JSON.stringify({ name: item.name }) };
};
`;

describe('async helpers through module forms', () => {
  test.each([
    ['export * as Items from', { 'src/data/index.mjs': "export * as Items from './items.mjs';\n" }, "import { Items } from './data/index.mjs';", 'Items.findItem'],
    ['export * from', { 'src/data/index.mjs': "export * from './items.mjs';\n" }, "import { findItem } from './data/index.mjs';", 'findItem'],
    ['export { a as b } from', { 'src/data/index.mjs': "export { findItem as lookUp } from './items.mjs';\n" }, "import { lookUp } from './data/index.mjs';", 'lookUp'],
    ['import * as of a re-exporting index', { 'src/data/index.mjs': "export * as Items from './items.mjs';\n" }, "import * as db from './data/index.mjs';", 'db.Items.findItem'],
    ['require of the module', {}, "const repo = require('./data/items.mjs');", 'repo.findItem'],
  ])('%s', async (_name, extra, importLine, call) => {
    const f = await handlerFinding({ 'src/lib/client.mjs': CLIENT, 'src/data/items.mjs': ITEMS, ...extra, 'src/handler.mjs': GET_HANDLER(importLine, call) });
    expect({ convertible: f.convertible, blockers: f.blockers }).toEqual({ convertible: 'full', blockers: [] });
    expect(f.rules).toContain('async-helper-inline');
    expect(f.stateMachine?.resources).toEqual(['arn:aws:states:::dynamodb:getItem']);
  });

  test('a blocker in a callee of another module is reported at the call, naming the callee, its file and line', async () => {
    const f = await handlerFinding({
      'src/lib/client.mjs': CLIENT,
      'src/data/items.mjs': `import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/client.mjs';
export async function countItems(owner) {
  const r = await ddb.send(new ScanCommand({ TableName: process.env.ITEMS_TABLE }));
  return r.Items.filter((i) => i.owner === owner).length;
}
`,
      'src/handler.mjs': `import { countItems } from './data/items.mjs';
export const handler = async (event) => {
  const n = await countItems(event.pathParameters.owner);
  return { statusCode: 200, body: JSON.stringify({ n }) };
};
`,
    });
    expect(f.convertible).toBe('none');
    expect(f.reason).not.toMatch(/no DynamoDB call/);
    expect(f.blockers[0]).toMatchObject({ line: 3 });
    expect(f.blockers[0]!.message).toMatch(/^in countItems \(data\/items\.mjs:5\): /);
  });

  test('a handler whose only DynamoDB call sits in a helper it cannot inline still has a finding with the blocker', async () => {
    const f = await handlerFinding({
      'src/lib/client.mjs': CLIENT,
      'src/data/items.mjs': ITEMS,
      'src/handler.mjs': `import { saveItem } from './data/items.mjs';
export const handler = async (event) => {
  saveItem({ id: event.pathParameters.id });
  return { statusCode: 202, body: '' };
};
`,
    });
    expect(f.convertible).toBe('none');
    expect(f.blockers).toEqual([expect.objectContaining({ rule: 'async-helper-inline', line: 3, message: expect.stringContaining('saveItem(…) is not awaited') })]);
  });

  test('recursion is refused', async () => {
    const f = await handlerFinding({
      'src/handler.mjs': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
async function root(id) {
  const { Item } = await ddb.send(new GetCommand({ TableName: process.env.T, Key: { id } }));
  if (!Item.parent) return Item;
  return await root(Item.parent);
}
export const handler = async (event) => {
  const item = await root(event.pathParameters.id);
  return { statusCode: 200, body: JSON.stringify({ id: item.id }) };
};
`,
    });
    expect(f.convertible).toBe('none');
    expect(f.blockers.map((b) => b.message).join('\n')).toMatch(/root calls itself/);
  });

  test('two calls of one helper keep their own stored values', async () => {
    const f = await handlerFinding({
      'src/handler.mjs': `import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
async function create(name) {
  const id = randomUUID();
  await ddb.send(new PutCommand({ TableName: process.env.T, Item: { id, name } }));
  return id;
}
export const handler = async (event) => {
  const a = await create('a');
  const b = await create('b');
  return { statusCode: 200, body: JSON.stringify({ a, b }) };
};
`,
    });
    expect(f.convertible).toBe('full');
    const sets = Object.keys(f.stateMachine!.definition.States).filter((s) => /^Set .*id/.test(s));
    expect(new Set(sets).size).toBe(2);
  });

  test('a method of an exported object literal (db.Todos.get style) is inlined', async () => {
    const f = await handlerFinding({
      'src/lib/client.mjs': CLIENT,
      'src/data/repo.mjs': `import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/client.mjs';
export const repo = {
  async findItem(id) {
    const { Item } = await ddb.send(new GetCommand({ TableName: process.env.ITEMS_TABLE, Key: { id } }));
    return Item;
  },
};
`,
      'src/handler.mjs': GET_HANDLER("import { repo } from './data/repo.mjs';", 'repo.findItem'),
    });
    expect({ convertible: f.convertible, blockers: f.blockers }).toEqual({ convertible: 'full', blockers: [] });
  });

  test('a method that reads this is refused at the call', async () => {
    const f = await handlerFinding({
      'src/lib/client.mjs': CLIENT,
      'src/data/repo.mjs': `import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../lib/client.mjs';
export const repo = {
  table: process.env.ITEMS_TABLE,
  async findItem(id) {
    const { Item } = await ddb.send(new GetCommand({ TableName: this.table, Key: { id } }));
    return Item;
  },
};
`,
      'src/handler.mjs': GET_HANDLER("import { repo } from './data/repo.mjs';", 'repo.findItem'),
    });
    expect(f.convertible).toBe('none');
    expect(f.blockers[0]).toMatchObject({ line: 3, message: expect.stringMatching(/^in repo\.findItem \(data\/repo\.mjs:6\): /) });
  });

  test('a closure written in the handler sees the handler\'s variables', async () => {
    const f = await handlerFinding({
      'src/lib/client.mjs': CLIENT,
      'src/handler.mjs': `import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from './lib/client.mjs';
export const handler = async (event) => {
  const id = event.pathParameters.id;
  const load = async () => {
    const { Item } = await ddb.send(new GetCommand({ TableName: process.env.ITEMS_TABLE, Key: { id } }));
    return Item;
  };
  const item = await load();
  if (!item) return { statusCode: 404, body: '' };
  return { statusCode: 200, body: JSON.stringify({ name: item.name }) };
};
`,
    });
    expect({ convertible: f.convertible, blockers: f.blockers }).toEqual({ convertible: 'full', blockers: [] });
  });

  test('a generated value a helper returns is stored once, so every use reads the same UUID', async () => {
    const f = await handlerFinding({
      'src/lib/client.mjs': CLIENT,
      'src/handler.mjs': `import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from './lib/client.mjs';
async function newId() {
  return randomUUID();
}
export const handler = async (event) => {
  const id = await newId();
  await ddb.send(new PutCommand({ TableName: process.env.ITEMS_TABLE, Item: { id } }));
  return { statusCode: 201, body: JSON.stringify({ id }) };
};
`,
    });
    expect(f.convertible).toBe('full');
    const text = JSON.stringify(f.stateMachine!.definition);
    expect(text.match(/States\.UUID\(\)/g)).toHaveLength(1);
  });
});
