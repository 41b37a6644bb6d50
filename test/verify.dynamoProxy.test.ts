// The DynamoDB proxy: ordinary requests pass through to dynalite untouched; TransactWriteItems and
// TransactGetItems are emulated all-or-nothing. Real SDK clients against real servers on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { startDynamoProxy, type DynamoProxy } from '../src/verify/dynamoProxy.js';
import { createTables, dumpTables, startLocalDynamo, type LocalDynamo } from '../src/verify/localDynamo.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });

let dynamo: LocalDynamo;
let proxy: DynamoProxy;
let client: DynamoDBClient;

beforeEach(async () => {
  dynamo = await startLocalDynamo();
  await createTables(dynamo.client, [
    {
      TableName: 'accounts',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      items: [
        { id: 'alice', balance: 100, name: 'Alice' },
        { id: 'bob', balance: 5, name: 'Bob' },
      ],
    },
    {
      TableName: 'ledger',
      KeySchema: [
        { AttributeName: 'account', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'account', AttributeType: 'S' },
        { AttributeName: 'seq', AttributeType: 'N' },
      ],
    },
  ]);
  proxy = await startDynamoProxy(dynamo.endpoint);
  client = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterEach(async () => {
  client.destroy();
  await proxy.close();
  await dynamo.close();
});

/** The tables as dynalite holds them, read around the proxy. */
const tables = () => dumpTables(dynamo.client, ['accounts', 'ledger']);

const transfer = (from: string, to: string, amount: number, seq: number): TransactWriteItem[] => [
  {
    Update: {
      TableName: 'accounts',
      Key: { id: S(from) },
      UpdateExpression: 'SET #b = #b - :a',
      ConditionExpression: '#b >= :a',
      ExpressionAttributeNames: { '#b': 'balance' },
      ExpressionAttributeValues: { ':a': N(amount) },
    },
  },
  {
    Update: {
      TableName: 'accounts',
      Key: { id: S(to) },
      UpdateExpression: 'ADD balance :a',
      ConditionExpression: 'attribute_exists(id)',
      ExpressionAttributeValues: { ':a': N(amount) },
    },
  },
  { Put: { TableName: 'ledger', Item: { account: S(from), seq: N(seq), amount: N(-amount) }, ConditionExpression: 'attribute_not_exists(seq)' } },
];

async function cancellation(p: Promise<unknown>): Promise<TransactionCanceledException> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransactionCanceledException);
  return err as TransactionCanceledException;
}

describe('TransactWriteItems', () => {
  test('applies every action when all conditions hold', async () => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          ...transfer('alice', 'bob', 30, 1),
          { ConditionCheck: { TableName: 'ledger', Key: { account: S('bob'), seq: N(1) }, ConditionExpression: 'attribute_not_exists(#s)', ExpressionAttributeNames: { '#s': 'seq' } } },
        ],
      }),
    );
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: 'ledger', Key: { account: S('alice'), seq: N(1) }, ConditionExpression: 'attribute_exists(seq)' } }] }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'ledger', Item: { account: S('bob'), seq: N(7), note: S('kept') } } }] }));
    expect(await tables()).toEqual({
      accounts: ['{"balance":{"N":"35"},"id":{"S":"bob"},"name":{"S":"Bob"}}', '{"balance":{"N":"70"},"id":{"S":"alice"},"name":{"S":"Alice"}}'].sort(),
      ledger: ['{"account":{"S":"bob"},"note":{"S":"kept"},"seq":{"N":"7"}}'],
    });
  });

  test('a failed condition cancels the whole transaction: TransactionCanceledException, reasons, no partial write', async () => {
    const before = await tables();
    // The Put and the first Update would succeed on their own; the ConditionCheck fails.
    const err = await cancellation(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'ledger', Item: { account: S('alice'), seq: N(1), amount: N(-10) } } },
            { Update: { TableName: 'accounts', Key: { id: S('alice') }, UpdateExpression: 'SET balance = balance - :a', ExpressionAttributeValues: { ':a': N(10) } } },
            { ConditionCheck: { TableName: 'accounts', Key: { id: S('bob') }, ConditionExpression: 'balance > :min', ExpressionAttributeValues: { ':min': N(1000) } } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]');
    expect(err.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(await tables()).toEqual(before);
  });

  test('every failed condition is reported, with the old item when asked (ReturnValuesOnConditionCheckFailure)', async () => {
    const before = await tables();
    const err = await cancellation(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'accounts', Item: { id: S('alice'), balance: N(0) }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Put: { TableName: 'accounts', Item: { id: S('carol'), balance: N(1) }, ConditionExpression: 'attribute_not_exists(id)' } },
            { Delete: { TableName: 'accounts', Key: { id: S('bob') }, ConditionExpression: 'balance = :z', ExpressionAttributeValues: { ':z': N(0) } } },
          ],
        }),
      ),
    );
    expect(err.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: S('alice'), balance: N(100), name: S('Alice') } },
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await tables()).toEqual(before);
  });

  test('a data-dependent failure while applying rolls back what was already written', async () => {
    const before = await tables();
    // ADD to a string attribute only fails once the item is read: the Put and the Delete before it are undone.
    const err = await cancellation(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'ledger', Item: { account: S('bob'), seq: N(2), amount: N(1) } } },
            { Delete: { TableName: 'accounts', Key: { id: S('alice') } } },
            { Update: { TableName: 'accounts', Key: { id: S('bob') }, UpdateExpression: 'ADD #n :one', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':one': N(1) } } },
          ],
        }),
      ),
    );
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'None', 'ValidationError']);
    expect(err.CancellationReasons?.[2]?.Message).toMatch(/operand|type/i);
    expect(await tables()).toEqual(before);
  });

  test('two actions on one item, a bad expression and a missing table are refused before anything is written', async () => {
    const before = await tables();
    const refused = async (items: TransactWriteItem[]) => {
      const err = (await client.send(new TransactWriteItemsCommand({ TransactItems: items })).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      return err;
    };
    const dup = await refused([
      { Put: { TableName: 'ledger', Item: { account: S('x'), seq: N(1) } } },
      { ConditionCheck: { TableName: 'ledger', Key: { account: S('x'), seq: N(1.0) }, ConditionExpression: 'attribute_not_exists(seq)' } },
    ]);
    expect(dup.name).toBe('ValidationException');
    expect(dup.message).toBe('Transaction request cannot include multiple operations on one item');

    const syntax = await refused([
      { Put: { TableName: 'ledger', Item: { account: S('y'), seq: N(1) } } },
      { Update: { TableName: 'accounts', Key: { id: S('bob') }, UpdateExpression: 'SET = oops' } },
    ]);
    expect(syntax.name).toBe('ValidationException');
    expect(syntax.message).toMatch(/UpdateExpression/);

    const unused = await refused([{ Put: { TableName: 'ledger', Item: { account: S('y'), seq: N(1) }, ExpressionAttributeValues: { ':v': N(1) } } }]);
    expect(unused.name).toBe('ValidationException');

    const missing = await refused([
      { Put: { TableName: 'ledger', Item: { account: S('y'), seq: N(1) } } },
      { Put: { TableName: 'nope', Item: { id: S('y') } } },
    ]);
    expect(missing.name).toBe('ResourceNotFoundException');

    const badKey = await refused([{ Delete: { TableName: 'accounts', Key: { name: S('Bob') } } }]);
    expect(badKey.name).toBe('ValidationException');
    expect(badKey.message).toBe('The provided key element does not match the schema');

    const noKey = await refused([{ Put: { TableName: 'accounts', Item: { name: S('Nobody') } } }]);
    expect(noKey.message).toBe('One or more parameter values were invalid: Missing the key id in the item');

    expect(await tables()).toEqual(before);
  });

  test('transactions are serialised: concurrent conditional transfers never overdraw and never interleave', async () => {
    // 12 transfers of 10 from alice (100): exactly 10 can succeed, whatever the interleaving.
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', 10, i + 1) }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).name).toBe('TransactionCanceledException');
    const { accounts, ledger } = await tables();
    expect(accounts).toContain('{"balance":{"N":"0"},"id":{"S":"alice"},"name":{"S":"Alice"}}');
    expect(accounts).toContain('{"balance":{"N":"105"},"id":{"S":"bob"},"name":{"S":"Bob"}}');
    expect(ledger).toHaveLength(10);
  });

  test('concurrent readers never see the writes of a transaction that is rolled back, nor half of one that commits', async () => {
    // The first Put is written, then the ADD to a string fails and the Put is undone: readers must not see it.
    const doomed = () =>
      client
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'ledger', Item: { account: S('ghost'), seq: N(1) } } },
              { ConditionCheck: { TableName: 'ledger', Key: { account: S('ghost'), seq: N(2) }, ConditionExpression: 'attribute_not_exists(seq)' } },
              { Update: { TableName: 'accounts', Key: { id: S('bob') }, UpdateExpression: 'ADD #n :one', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':one': N(1) } } },
            ],
          }),
        )
        .catch((e: unknown) => e);
    const seen: string[] = [];
    const sums: number[] = [];
    let running = true;
    const reader = (async () => {
      while (running) {
        for (const seq of [1, 2]) {
          const got = await client.send(new GetItemCommand({ TableName: 'ledger', Key: { account: S('ghost'), seq: N(seq) }, ConsistentRead: true }));
          if (got.Item) seen.push(JSON.stringify(got.Item));
        }
        const both = await client.send(new TransactGetItemsCommand({ TransactItems: ['alice', 'bob'].map((id) => ({ Get: { TableName: 'accounts', Key: { id: S(id) } } })) }));
        sums.push(both.Responses!.reduce((n, r) => n + Number(r.Item!['balance']!.N), 0));
      }
    })();
    for (let i = 0; i < 10; i++) {
      expect(await doomed()).toBeInstanceOf(TransactionCanceledException);
      await client.send(new TransactWriteItemsCommand({ TransactItems: transfer('alice', 'bob', 1, i + 1) }));
    }
    running = false;
    await reader;
    expect(seen).toEqual([]);
    expect(sums.length).toBeGreaterThan(0);
    expect(new Set(sums)).toEqual(new Set([105]));
  });

  test('a repeated ClientRequestToken (an SDK retry) does not apply the transaction twice', async () => {
    const input = { TransactItems: [{ Update: { TableName: 'accounts', Key: { id: S('bob') }, UpdateExpression: 'ADD balance :one', ExpressionAttributeValues: { ':one': N(1) } } }], ClientRequestToken: 'retry-1' };
    await client.send(new TransactWriteItemsCommand(input));
    await client.send(new TransactWriteItemsCommand(input));
    const bob = await client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: S('bob') } }));
    expect(bob.Item!['balance']).toEqual(N(6));
    const err = (await client.send(new TransactWriteItemsCommand({ ...input, TransactItems: transfer('alice', 'bob', 1, 1) })).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('IdempotentParameterMismatchException');
  });

  test('SDK v2 surfaces TransactionCanceledException with CancellationReasons too', async () => {
    process.env['AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE'] = '1';
    const AWS = (await import('aws-sdk')).default;
    const doc = new AWS.DynamoDB.DocumentClient({ service: new AWS.DynamoDB({ endpoint: proxy.endpoint, region: 'us-east-1', credentials, maxRetries: 0 }) });
    const err = (await doc
      .transactWrite({
        TransactItems: [
          { Put: { TableName: 'ledger', Item: { account: 'bob', seq: 9 } } },
          { ConditionCheck: { TableName: 'accounts', Key: { id: 'bob' }, ConditionExpression: 'balance > :m', ExpressionAttributeValues: { ':m': 10 } } },
        ],
      })
      .promise()
      .catch((e: unknown) => e)) as Error & { code: string; CancellationReasons?: unknown };
    expect(err.code).toBe('TransactionCanceledException');
    expect(err.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    expect(err.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    await doc.transactWrite({ TransactItems: [{ Put: { TableName: 'ledger', Item: { account: 'bob', seq: 9 } } }] }).promise();
    const got = await doc.transactGet({ TransactItems: [{ Get: { TableName: 'ledger', Key: { account: 'bob', seq: 9 } } }] }).promise();
    expect(got.Responses).toEqual([{ Item: { account: 'bob', seq: 9 } }]);
    expect((await tables()).ledger).toEqual(['{"account":{"S":"bob"},"seq":{"N":"9"}}']);
  });
});

describe('TransactGetItems', () => {
  test('answers every item in order, {} for a missing one, with projections', async () => {
    const out = await client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'accounts', Key: { id: S('bob') } } },
          { Get: { TableName: 'accounts', Key: { id: S('nobody') } } },
          { Get: { TableName: 'accounts', Key: { id: S('alice') }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } } },
        ],
      }),
    );
    expect(out.Responses).toEqual([{ Item: { id: S('bob'), balance: N(5), name: S('Bob') } }, {}, { Item: { name: S('Alice') } }]);
  });

  test('refuses two reads of one item and a missing table', async () => {
    const dup = (await client
      .send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'accounts', Key: { id: S('bob') } } }, { Get: { TableName: 'accounts', Key: { id: S('bob') } } }] }))
      .catch((e: unknown) => e)) as Error;
    expect(dup.name).toBe('ValidationException');
    const missing = (await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'nope', Key: { id: S('bob') } } }] })).catch((e: unknown) => e)) as Error;
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('passthrough', () => {
  test('ordinary GetItem / PutItem reach dynalite, conditional failures included', async () => {
    await client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: S('carol'), balance: N(7) } }));
    expect((await dynamo.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: S('carol') } }))).Item).toEqual({ id: S('carol'), balance: N(7) });
    expect((await client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: S('alice') } }))).Item).toEqual({ id: S('alice'), balance: N(100), name: S('Alice') });
    const err = (await client.send(new PutItemCommand({ TableName: 'accounts', Item: { id: S('carol') }, ConditionExpression: 'attribute_not_exists(id)' })).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('ConditionalCheckFailedException');
  });

  test('the same request answers byte for byte the same through the proxy as from dynalite', async () => {
    const post = (endpoint: string) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem', 'x-amz-date': '20240101T000000Z', authorization: 'AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' },
        body: JSON.stringify({ TableName: 'accounts', Key: { id: { S: 'alice' } } }),
      });
    const [direct, proxied] = await Promise.all([post(dynamo.endpoint), post(proxy.endpoint)]);
    expect(proxied.status).toBe(direct.status);
    expect(await proxied.text()).toBe(await direct.text());
    const pick = (h: Headers) => ({ crc: h.get('x-amz-crc32'), type: h.get('content-type'), length: h.get('content-length'), id: h.get('x-amzn-requestid')?.length });
    expect(pick(proxied.headers)).toEqual(pick(direct.headers));
  });
});

describe('passthrough to any upstream', () => {
  let upstream: http.Server;
  let seen: { method?: string; url?: string; rawHeaders: string[]; body: string }[];
  let echoProxy: DynamoProxy;

  beforeAll(async () => {
    seen = [];
    upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('latin1') });
        res.writeHead(418, 'Teapot Here', ['X-Mixed-Case', 'Kept', 'x-amz-crc32', '1', 'Content-Type', 'application/x-amz-json-1.0']);
        res.end(Buffer.from([0x7b, 0xff, 0x00, 0x7d]));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    echoProxy = await startDynamoProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    await echoProxy.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  test('method, path, header names, order and values, body bytes and the answer pass through unchanged', async () => {
    const body = Buffer.from([0x01, 0xfe, 0x22, 0x00]);
    const { port } = new URL(echoProxy.endpoint);
    const answer = await new Promise<{ status?: number; message?: string; raw: string[]; body: Buffer }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'PUT', path: '/some/path?q=1', headers: ['Host', `127.0.0.1:${port}`, 'X-Amz-Target', 'DynamoDB_20120810.Scan', 'X-Custom', 'A', 'x-custom', 'B', 'Content-Length', String(body.length), 'Connection', 'close'] }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, message: res.statusMessage, raw: res.rawHeaders, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('PUT');
    expect(seen[0]!.url).toBe('/some/path?q=1');
    expect(seen[0]!.rawHeaders).toEqual(['Host', `127.0.0.1:${port}`, 'X-Amz-Target', 'DynamoDB_20120810.Scan', 'X-Custom', 'A', 'x-custom', 'B', 'Content-Length', '4', 'Connection', 'close']);
    expect(Buffer.from(seen[0]!.body, 'latin1')).toEqual(body);
    expect(answer.status).toBe(418);
    expect(answer.message).toBe('Teapot Here');
    expect(answer.raw.slice(0, 6)).toEqual(['X-Mixed-Case', 'Kept', 'x-amz-crc32', '1', 'Content-Type', 'application/x-amz-json-1.0']);
    expect(answer.body).toEqual(Buffer.from([0x7b, 0xff, 0x00, 0x7d]));
  });
});

test('close() ends the proxy: nothing listens any more, and a second close is harmless', async () => {
  const local = await startLocalDynamo();
  const p = await startDynamoProxy(local.endpoint);
  const c = new DynamoDBClient({ endpoint: p.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await createTables(local.client, [{ TableName: 'things', KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }] }]);
    // Keep-alive connections from the SDK are open while the proxy closes.
    await c.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'things', Item: { k: S('1') } } }] }));
    await c.send(new GetItemCommand({ TableName: 'things', Key: { k: S('1') } }));
    await p.close();
    await p.close();
    await expect(fetch(p.endpoint, { method: 'POST' })).rejects.toThrow();
  } finally {
    c.destroy();
    await p.close();
    await local.close();
  }
});
