// An embedded DynamoDB (dynalite, in memory, 127.0.0.1, random port) with the verify tables loaded.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import dynalite from 'dynalite';
import { sortKeys } from './normalize.js';

export type TableSpec = CreateTableCommandInput & { items?: Array<Record<string, unknown>> };

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * dynalite answers CreateTable with the table still CREATING and makes it ACTIVE on a timer, even with
 * createTableMs 0: on a busy machine the next request can come first and find no table. Wait for ACTIVE.
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; ; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (i >= 1000) throw new Error(`table ${tableName} did not become ACTIVE in the embedded DynamoDB`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function createTables(client: DynamoDBClient, tables: TableSpec[]): Promise<void> {
  for (const [t, { items, ...input }] of tables.entries()) {
    // Which table and which seed item failed, so a bad tables file can be fixed where it is wrong.
    const named = (what: string) => (e: unknown) => {
      const err = e as Error;
      throw new Error(`${what}: ${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}`, { cause: e });
    };
    await client.send(new CreateTableCommand({ BillingMode: input.ProvisionedThroughput ? undefined : 'PAY_PER_REQUEST', ...input })).catch(named(`table ${t + 1} (${JSON.stringify(input.TableName)})`));
    await untilActive(client, input.TableName!);
    for (const [i, item] of (items ?? []).entries()) {
      await client.send(new PutItemCommand({ TableName: input.TableName, Item: marshall(item, { removeUndefinedValues: true }) })).catch(named(`table ${JSON.stringify(input.TableName)}, seed item ${i + 1}`));
    }
  }
}

/** Every table's items in DynamoDB JSON, one JSON line per item, sorted (the final-tables.json format). */
export async function dumpTables(client: DynamoDBClient, names: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const items: Array<Record<string, AttributeValue>> = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: name, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    out[name] = items.map((i) => JSON.stringify(sortKeys(i))).sort();
  }
  return out;
}


/** Put the tables back as a dump says (DynamoDB JSON lines per table, the dumpTables format), dropping everything else. */
export async function restoreTables(client: DynamoDBClient, tables: TableSpec[], dump: Record<string, string[]>): Promise<void> {
  // Item by item, not by re-creating the table: a table being deleted or created refuses requests for a while.
  for (const { items: _seed, ...input } of tables) {
    const keyNames = (input.KeySchema ?? []).map((k) => k.AttributeName!);
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: input.TableName, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        await client.send(new DeleteItemCommand({ TableName: input.TableName, Key: Object.fromEntries(keyNames.map((k) => [k, item[k]!])) }));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    for (const line of dump[input.TableName!] ?? []) {
      await client.send(new PutItemCommand({ TableName: input.TableName, Item: JSON.parse(line) as Record<string, AttributeValue> }));
    }
  }
}
