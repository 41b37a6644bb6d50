// EventBridge Pipes gives a Step Functions target the SQS/stream batch as a bare JSON list of records, even for a batch
// of one (docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-batching-concurrency.html). A handler looping over
// event.Records is proposed as a machine that takes both that list and the Lambda-style { Records: [...] }: run both
// inputs through the JSONPath and the JSONata proposals and compare the DynamoDB calls and the outputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import { runDefinition, substitute } from '../src/verify/runStateMachine.js';
import type { AslDefinition } from '../src/report/types.js';

const dir = mkdtempSync(join(tmpdir(), 'l2s-pipes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'src'));
writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
writeFileSync(
  join(dir, 'src', 'save.mjs'),
  `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event) => {
  for (const record of event.Records) {
    await doc.send(new PutCommand({ TableName: process.env.ORDERS_TABLE, Item: { id: record.messageId, body: record.body } }));
  }
  return { saved: true };
};
`,
);

const records = [
  { messageId: 'm-1', body: 'first', eventSource: 'aws:sqs' },
  { messageId: 'm-2', body: 'second', eventSource: 'aws:sqs' },
];

/** Runs the definition with a DynamoDB client that records each request's input. */
async function run(definition: AslDefinition, input: unknown): Promise<{ output: unknown; puts: unknown[] }> {
  const puts: unknown[] = [];
  const client = { send: async (cmd: { input: unknown }) => (puts.push(cmd.input), { $metadata: { httpStatusCode: 200, requestId: 'r' } }) };
  const outcome = await runDefinition(substitute(definition, { OrdersTable: 'orders' }), input, { client: client as never, sideEffects: [] });
  if (!outcome.ok) throw new Error(`${outcome.error}: ${outcome.cause}`);
  return { output: outcome.output, puts };
}

describe('a loop over event.Records takes the batch as EventBridge Pipes sends it', () => {
  for (const queryLanguage of ['jsonpath', 'jsonata'] as const) {
    test(`${queryLanguage}: a bare list, a list of one and { Records } give the same calls and output`, async () => {
      const report = await scanProject([dir], { cwd: dir, queryLanguage });
      const f = report.findings[0]!;
      expect(f.convertible).toBe('full');
      expect(f.assumptions.map((a) => a.message).join('\n')).toContain('a pipe sends the batch as a bare JSON list of records');
      const definition = f.stateMachine!.definition;
      const expectedPuts = [
        { TableName: 'orders', Item: { id: { S: 'm-1' }, body: { S: 'first' } } },
        { TableName: 'orders', Item: { id: { S: 'm-2' }, body: { S: 'second' } } },
      ];
      const asList = await run(definition, records);
      expect(asList).toEqual({ output: { saved: true }, puts: expectedPuts });
      expect(await run(definition, { Records: records })).toEqual({ output: { saved: true }, puts: expectedPuts });
      expect(await run(definition, [records[0]])).toEqual({ output: { saved: true }, puts: [expectedPuts[0]] });
    });
  }
});
