// Which exports a scan reports as handlers: callees of a handler are not, what the infrastructure deploys is.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import type { ScanReport } from '../src/report/types.js';

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
