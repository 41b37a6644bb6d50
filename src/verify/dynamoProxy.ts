// An HTTP proxy in front of dynalite. Every request passes through untouched (status, headers and bytes),
// except TransactWriteItems and TransactGetItems, which dynalite does not implement: the proxy emulates them
// with ordinary item calls, all-or-nothing and isolated.
//
// Isolation: one reader/writer lock. Passed-through requests share it; a transaction holds it alone, so no
// other request runs (or observes intermediate state) while a transaction checks, writes or rolls back.
//
// TransactWriteItems, in the order DynamoDB reports problems:
//   1. request validation (shape, limits, one action per entry, expressions): each action is sent to dynalite
//      against a table that does not exist, so dynalite's own validation (expression syntax, unused names
//      and values, item size, ...) answers without touching data; then key schemas and duplicate items;
//   2. every condition is evaluated against the items as they are before the transaction (a conditional
//      rewrite of the unchanged item, undone at once when the item did not exist), so all failed conditions
//      are reported, each with its CancellationReason;
//   3. the actions are applied in order; should one fail anyway (a data-dependent error such as a wrong
//      operand type), the items already written are restored and the transaction is cancelled.
// ClientRequestToken makes a repeated successful request (an SDK retry) a no-op for ten minutes.
import http from 'node:http';
import { listenOnLoopback, readBody, type LoopbackServer } from './loopbackServer.js';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export interface DynamoProxy {
  endpoint: string;
  /** Items that reads returned and that conditional writes addressed, since the last call. */
  takeAccesses(): ItemAccess[];
  /** How many requests so far may have changed a table (any action but the read-only ones, answered or not). */
  mayHaveWritten(): number;
  close(): Promise<void>;
}

/** An item a read returned (whole), or the item a conditional write addressed (its Item, or its Key). */
export interface ItemAccess {
  kind: 'read' | 'conditional-write';
  table: string;
  item: Item;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
/** Actions that never change a table; every other request counts as one that may have. */
const READ_ONLY = new Set([...READS, 'TransactGetItems', 'DescribeTable', 'ListTables', 'DescribeTimeToLive', 'DescribeContinuousBackups', 'DescribeEndpoints', 'DescribeLimits', 'ListTagsOfResource']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** The items a request read or wrote under a condition, from its request and response bodies. */
function itemsAccessed(action: string, request: Json, response: Json): ItemAccess[] {
  const table = String(request['TableName'] ?? '');
  if (WRITES.has(action)) {
    const item = (action === 'PutItem' ? request['Item'] : request['Key']) as Item | undefined;
    return item && (request['ConditionExpression'] || request['Expected']) ? [{ kind: 'conditional-write', table, item }] : [];
  }
  if (action === 'GetItem') return response['Item'] ? [{ kind: 'read', table, item: response['Item'] as Item }] : [];
  if (action === 'BatchGetItem') return Object.entries((response['Responses'] ?? {}) as Record<string, Item[]>).flatMap(([t, items]) => items.map((item) => ({ kind: 'read' as const, table: t, item })));
  return ((response['Items'] ?? []) as Item[]).map((item) => ({ kind: 'read' as const, table, item }));
}

/** DynamoDB JSON: an attribute value such as `{ "S": "x" }`. */
type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;
type Json = Record<string, unknown>;

interface Reply {
  status: number;
  body: unknown;
}

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

const API = 'DynamoDB_20120810';
const ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
/** A table name that never exists: requests against it are validated by dynalite and then refused. */
const PROBE_TABLE = 'lambda2sfn.transaction-probe.not-a-table';
const MAX_TRANSACT_ITEMS = 100;
const IDEMPOTENCY_WINDOW_MS = 10 * 60_000;
const FAKE_AUTH = 'AWS4-HMAC-SHA256 Credential=AKIDLOCALPROXY000000/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000';

/** An error answer from DynamoDB (or one the emulation gives in its name): status and JSON body. */
export class DynamoError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body['message'] ?? body['Message'] ?? `DynamoDB error ${status}`));
    this.name = String(body['__type'] ?? 'UnknownError').split('#').pop()!;
  }
}

const validation = (message: string) => new DynamoError(400, { __type: `${ERROR_PREFIX}ValidationException`, message });

/** Readers share, a writer is alone; granted in arrival order (a waiting writer is not starved by readers). */
class ReadWriteLock {
  private readers = 0;
  private writer = false;
  private readonly waiting: Array<{ exclusive: boolean; grant: () => void }> = [];

  acquire(exclusive: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({ exclusive, grant: () => resolve(this.releaser(exclusive)) });
      this.drain();
    });
  }

  private releaser(exclusive: boolean): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.writer = false;
      else this.readers--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.waiting.length) {
      const next = this.waiting[0]!;
      if (this.writer || (next.exclusive && this.readers > 0)) return;
      this.waiting.shift();
      if (next.exclusive) this.writer = true;
      else this.readers++;
      next.grant();
    }
  }
}

// ---------------------------------------------------------------- keys

/** A DynamoDB number in one spelling per value ("1", "1.0" and "10e-1" are the same key). */
function canonicalNumber(n: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(n.trim());
  if (!m) return n;
  const intPart = m[2] ?? '';
  let digits = intPart + (m[3] ?? '');
  let exp = Number(m[4] ?? 0) + intPart.length;
  const lead = digits.search(/[^0]/);
  if (lead === -1) return '0';
  digits = digits.slice(lead).replace(/0+$/, '');
  exp -= lead;
  return `${m[1] === '-' ? '-' : ''}0.${digits}e${exp}`;
}

function keyId(table: string, key: Item): string {
  const parts = Object.keys(key)
    .sort()
    .map((name) => {
      const av = key[name]!;
      return [name, typeof av['N'] === 'string' ? { N: canonicalNumber(av['N']) } : av];
    });
  return `${table}\u0000${JSON.stringify(parts)}`;
}

// ---------------------------------------------------------------- dynalite client

type Call = (op: string, input: Json) => Promise<Json>;

function dynaliteCaller(target: URL, agent: http.Agent): Call {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return (op, input) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host,
          port: target.port,
          method: 'POST',
          path: '/',
          agent,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `${API}.${op}`,
            'x-amz-date': '20240101T000000Z',
            authorization: FAKE_AUTH,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Json;
            try {
              json = text ? (JSON.parse(text) as Json) : {};
            } catch {
              json = { __type: `${ERROR_PREFIX}InternalServerError`, message: text };
            }
            if (res.statusCode === 200) resolve(json);
            else reject(new DynamoError(res.statusCode ?? 500, json));
          });
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
}

// ---------------------------------------------------------------- TransactWriteItems

type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const WRITE_KINDS: WriteKind[] = ['ConditionCheck', 'Put', 'Update', 'Delete'];

interface WriteAction {
  index: number;
  kind: WriteKind;
  op: Json;
  table: string;
  key: Item;
  before?: Item;
}

function pick(op: Json, names: string[]): Json {
  return Object.fromEntries(names.filter((n) => op[n] !== undefined).map((n) => [n, op[n]]));
}

const CONDITION = ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'];

/** The condition of an action alone: its expression with only the names and values it refers to. */
function conditionOnly(op: Json): Json {
  const expr = String(op['ConditionExpression']);
  const used = (map: unknown, re: RegExp): Json | undefined => {
    if (!map || typeof map !== 'object') return undefined;
    const refs = new Set(expr.match(re) ?? []);
    const kept = Object.entries(map as Json).filter(([k]) => refs.has(k));
    return kept.length ? Object.fromEntries(kept) : undefined;
  };
  const names = used(op['ExpressionAttributeNames'], /#[A-Za-z0-9_]+/g);
  const values = used(op['ExpressionAttributeValues'], /:[A-Za-z0-9_]+/g);
  return { ConditionExpression: expr, ...(names ? { ExpressionAttributeNames: names } : {}), ...(values ? { ExpressionAttributeValues: values } : {}) };
}

/** The single-item request an action amounts to (on `table`). */
function itemRequest(kind: WriteKind, op: Json, table: string): [string, Json] {
  switch (kind) {
    case 'Put':
      return ['PutItem', { TableName: table, ...pick(op, ['Item', ...CONDITION]) }];
    case 'Update':
      return ['UpdateItem', { TableName: table, ...pick(op, ['Key', 'UpdateExpression', ...CONDITION]) }];
    case 'Delete':
    case 'ConditionCheck':
      return ['DeleteItem', { TableName: table, ...pick(op, ['Key', ...CONDITION]) }];
  }
}

function checkList(input: Json, what: string): Json[] {
  const items = input['TransactItems'];
  if (items === undefined || items === null) throw validation(`1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null`);
  if (!Array.isArray(items)) throw new DynamoError(400, { __type: 'com.amazon.coral.service#SerializationException', message: `${what}: TransactItems must be a list` });
  if (items.length < 1) throw validation(`1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (items.length > MAX_TRANSACT_ITEMS)
    throw validation(`1 validation error detected: Value '[${items.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACT_ITEMS}`);
  return items.map((i) => (i && typeof i === 'object' ? (i as Json) : {}));
}

interface TableInfo {
  keyNames: string[];
  keyTypes: Record<string, string>;
}

function tableInfoCache(call: Call): (table: string) => Promise<TableInfo> {
  const cache = new Map<string, TableInfo>();
  return async (table) => {
    let info = cache.get(table);
    if (!info) {
      const { Table } = (await call('DescribeTable', { TableName: table })) as {
        Table: { KeySchema: Array<{ AttributeName: string }>; AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }> };
      };
      info = {
        keyNames: Table.KeySchema.map((k) => k.AttributeName),
        keyTypes: Object.fromEntries(Table.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType])),
      };
      cache.set(table, info);
    }
    return info;
  };
}

function cancelled(reasons: CancellationReason[]): Reply {
  return {
    status: 400,
    body: {
      __type: `${ERROR_PREFIX}TransactionCanceledException`,
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      CancellationReasons: reasons,
    },
  };
}

const CONDITION_FAILED = 'The conditional request failed';

async function transactWrite(call: Call, input: Json, tokens: Map<string, { request: string; expires: number }>): Promise<Reply> {
  const entries = checkList(input, 'TransactWriteItems');
  const actions: WriteAction[] = [];
  for (const [index, entry] of entries.entries()) {
    const kinds = WRITE_KINDS.filter((k) => entry[k] !== undefined && entry[k] !== null);
    if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    const kind = kinds[0]!;
    const op = entry[kind] as Json;
    const at = `transactItems.${index + 1}.member.${kind[0]!.toLowerCase()}${kind.slice(1)}`;
    if (typeof op['TableName'] !== 'string') throw validation(`1 validation error detected: Value null at '${at}.tableName' failed to satisfy constraint: Member must not be null`);
    if (kind === 'ConditionCheck' && typeof op['ConditionExpression'] !== 'string')
      throw validation(`1 validation error detected: Value null at '${at}.conditionExpression' failed to satisfy constraint: Member must not be null`);
    if (kind === 'Update' && typeof op['UpdateExpression'] !== 'string')
      throw validation(`1 validation error detected: Value null at '${at}.updateExpression' failed to satisfy constraint: Member must not be null`);
    actions.push({ index, kind, op, table: op['TableName'] as string, key: {} });
  }

  // Idempotency: the same token and the same request within the window succeed again without writing.
  const token = typeof input['ClientRequestToken'] === 'string' ? input['ClientRequestToken'] : undefined;
  const request = JSON.stringify(input['TransactItems']);
  const now = Date.now();
  for (const [t, v] of tokens) if (v.expires < now) tokens.delete(t);
  const seen = token ? tokens.get(token) : undefined;
  if (seen && seen.request === request) return { status: 200, body: {} };
  if (seen) throw new DynamoError(400, { __type: `${ERROR_PREFIX}IdempotentParameterMismatchException`, message: 'Request with the same client request token was made with different parameters' });

  // 1. Static validation by dynalite itself: against a table that does not exist, a valid request is refused
  //    with ResourceNotFoundException and nothing else happens.
  for (const a of actions) {
    const [op, req] = itemRequest(a.kind, a.op, PROBE_TABLE);
    try {
      await call(op, req);
    } catch (e) {
      if (e instanceof DynamoError && e.name === 'ResourceNotFoundException') continue;
      throw e;
    }
    throw new Error(`the probe table ${PROBE_TABLE} exists`);
  }
  const info = tableInfoCache(call);
  for (const a of actions) {
    const { keyNames, keyTypes } = await info(a.table);
    if (a.kind === 'Put') {
      const item = (a.op['Item'] ?? {}) as Item;
      for (const k of keyNames) {
        const av = item[k];
        if (!av) throw validation(`One or more parameter values were invalid: Missing the key ${k} in the item`);
        const type = keyTypes[k]!;
        if (av[type] === undefined) throw validation(`One or more parameter values were invalid: Type mismatch for key ${k} expected: ${type} actual: ${Object.keys(av)[0]}`);
      }
      a.key = Object.fromEntries(keyNames.map((k) => [k, item[k]!]));
    } else {
      a.key = a.op['Key'] as Item;
    }
  }
  const ids = new Set<string>();
  for (const a of actions) {
    const id = keyId(a.table, a.key);
    if (ids.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    ids.add(id);
  }
  for (const a of actions) {
    a.before = ((await call('GetItem', { TableName: a.table, Key: a.key, ConsistentRead: true })) as { Item?: Item }).Item;
  }

  // 2. Every condition against the state before the transaction.
  const reasons: CancellationReason[] = actions.map(() => ({ Code: 'None' }));
  for (const a of actions) {
    if (typeof a.op['ConditionExpression'] !== 'string') continue;
    try {
      await call('PutItem', { TableName: a.table, Item: a.before ?? a.key, ...conditionOnly(a.op) });
      if (!a.before) await call('DeleteItem', { TableName: a.table, Key: a.key });
    } catch (e) {
      if (!(e instanceof DynamoError)) throw e;
      if (e.name === 'ConditionalCheckFailedException') {
        reasons[a.index] = { Code: 'ConditionalCheckFailed', Message: CONDITION_FAILED, ...(a.op['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD' && a.before ? { Item: a.before } : {}) };
      } else if (e.status < 500) {
        reasons[a.index] = { Code: 'ValidationError', Message: e.message };
      } else throw e;
    }
  }
  if (reasons.some((r) => r.Code !== 'None')) return cancelled(reasons);

  // 3. Apply in order; undo everything on a failure.
  const applied: WriteAction[] = [];
  for (const a of actions) {
    if (a.kind === 'ConditionCheck') continue;
    const [op, req] = itemRequest(a.kind, a.op, a.table);
    try {
      await call(op, req);
      applied.push(a);
    } catch (e) {
      for (const u of applied.reverse()) {
        if (u.before) await call('PutItem', { TableName: u.table, Item: u.before });
        else await call('DeleteItem', { TableName: u.table, Key: u.key });
      }
      if (!(e instanceof DynamoError) || e.status >= 500) throw e;
      reasons[a.index] = e.name === 'ConditionalCheckFailedException' ? { Code: 'ConditionalCheckFailed', Message: CONDITION_FAILED } : { Code: 'ValidationError', Message: e.message };
      return cancelled(reasons);
    }
  }
  if (token) tokens.set(token, { request, expires: now + IDEMPOTENCY_WINDOW_MS });
  return { status: 200, body: {} };
}

// ---------------------------------------------------------------- TransactGetItems

async function transactGet(call: Call, input: Json): Promise<Reply> {
  const entries = checkList(input, 'TransactGetItems');
  const gets: Json[] = [];
  const ids = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const get = entry['Get'] as Json | undefined;
    if (!get || Object.keys(entry).length !== 1) throw validation('TransactItems can only contain Get');
    if (typeof get['TableName'] !== 'string') throw validation(`1 validation error detected: Value null at 'transactItems.${index + 1}.member.get.tableName' failed to satisfy constraint: Member must not be null`);
    if (!get['Key'] || typeof get['Key'] !== 'object') throw validation(`1 validation error detected: Value null at 'transactItems.${index + 1}.member.get.key' failed to satisfy constraint: Member must not be null`);
    const id = keyId(get['TableName'], get['Key'] as Item);
    if (ids.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    ids.add(id);
    gets.push(get);
  }
  const responses: Json[] = [];
  for (const get of gets) {
    const out = (await call('GetItem', { ...pick(get, ['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames']), ConsistentRead: true })) as { Item?: Item };
    responses.push(out.Item ? { Item: out.Item } : {});
  }
  return { status: 200, body: { Responses: responses } };
}

// ---------------------------------------------------------------- server

function sendJson(res: http.ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amz-crc32': String(crc32(body)),
    'x-amzn-requestid': randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0'),
  });
  res.end(body);
}

export async function startDynamoProxy(dynaliteEndpoint: string): Promise<DynamoProxy> {
  const upstream = new URL(dynaliteEndpoint);
  if (upstream.protocol !== 'http:') throw new Error(`startDynamoProxy: only http endpoints are supported, not ${dynaliteEndpoint}`);
  const upstreamHost = upstream.hostname.replace(/^\[(.*)\]$/, '$1');
  const agent = new http.Agent({ keepAlive: true });
  const call = dynaliteCaller(upstream, agent);
  const lock = new ReadWriteLock();
  const tokens = new Map<string, { request: string; expires: number }>();
  // Assigned once the server listens; requests only arrive after that.
  let loopback!: LoopbackServer;
  const track = (work: Promise<void>) => loopback.track(work);

  let accesses: ItemAccess[] = [];
  const passthrough = async (req: http.IncomingMessage, res: http.ServerResponse, action: string): Promise<void> => {
    const release = await lock.acquire(false);
    // The bodies of reads and writes are kept aside (the bytes still pass untouched) to learn which items they touched.
    const watched = READS.has(action) || WRITES.has(action);
    const requestChunks: Buffer[] = [];
    const responseChunks: Buffer[] = [];
    if (watched) req.on('data', (c: Buffer) => requestChunks.push(c));
    try {
      await new Promise<void>((resolve) => {
        const fwd = http.request({ host: upstreamHost, port: upstream.port, method: req.method, path: req.url, headers: req.rawHeaders, agent }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
          if (watched) up.on('data', (c: Buffer) => responseChunks.push(c));
          up.pipe(res);
          up.on('end', () => {
            if (watched && (up.statusCode === 200 || WRITES.has(action))) {
              try {
                accesses.push(...itemsAccessed(action, JSON.parse(Buffer.concat(requestChunks).toString('utf8')) as Json, up.statusCode === 200 ? (JSON.parse(Buffer.concat(responseChunks).toString('utf8') || '{}') as Json) : {}));
              } catch {
                /* not JSON: nothing to learn */
              }
            }
            resolve();
          });
          up.on('error', () => {
            res.destroy();
            resolve();
          });
        });
        fwd.on('error', (e) => {
          if (!res.headersSent) sendJson(res, { status: 502, body: { __type: `${ERROR_PREFIX}InternalServerError`, message: `dynalite did not answer: ${e.message}` } });
          else res.destroy();
          resolve();
        });
        res.on('close', () => {
          if (!res.writableFinished) fwd.destroy();
          resolve();
        });
        req.pipe(fwd);
      });
    } finally {
      release();
    }
  };

  const emulate = async (req: http.IncomingMessage, res: http.ServerResponse, action: string): Promise<void> => {
    const raw = await readBody(req);
    let reply: Reply;
    const auth = String(req.headers.authorization ?? '');
    if (!auth.trim().startsWith('AWS4-') && !/[?&]X-Amz-Algorithm=/.test(req.url ?? '')) {
      reply = { status: 400, body: { __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' } };
    } else {
      let input: Json | undefined;
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as Json;
      } catch {
        /* answered below */
      }
      if (!input) {
        reply = { status: 400, body: { __type: 'com.amazon.coral.service#SerializationException' } };
      } else {
        const release = await lock.acquire(true);
        try {
          reply = action === 'TransactWriteItems' ? await transactWrite(call, input, tokens) : await transactGet(call, input);
        } catch (e) {
          reply = e instanceof DynamoError ? { status: e.status, body: e.body } : { status: 500, body: { __type: `${ERROR_PREFIX}InternalServerError`, message: `transaction emulation failed: ${(e as Error).message}` } };
        } finally {
          release();
        }
      }
    }
    if (!res.destroyed) sendJson(res, reply);
  };

  let writes = 0;
  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!(target.startsWith(`${API}.`) && READ_ONLY.has(target.slice(API.length + 1)))) writes += 1;
    const action = target === `${API}.TransactWriteItems` ? 'TransactWriteItems' : target === `${API}.TransactGetItems` ? 'TransactGetItems' : undefined;
    const work = action ? emulate(req, res, action) : passthrough(req, res, target.slice(API.length + 1));
    track(
      work.catch(() => {
        if (!res.headersSent) sendJson(res, { status: 500, body: { __type: `${ERROR_PREFIX}InternalServerError`, message: 'proxy failure' } });
        else res.destroy();
      }),
    );
  });
  loopback = await listenOnLoopback(server);
  return {
    endpoint: `http://127.0.0.1:${loopback.port}`,
    takeAccesses: () => {
      const taken = accesses;
      accesses = [];
      return taken;
    },
    mayHaveWritten: () => writes,
    close: async () => {
      await loopback.close();
      agent.destroy();
    },
  };
}
