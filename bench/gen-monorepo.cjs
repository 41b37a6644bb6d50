#!/usr/bin/env node
// Synthetic "large monorepo" corpus generator.
// usage: node gen-monorepo.cjs OUTDIR [files=20000] [handlerRatio=0.03] [seed=42] [convertibleShare=0.5]
// Layout: OUTDIR/packages/pkg-XXX/src/<area>/<name>.{ts,tsx,js}
// ~3% Lambda handlers using the DynamoDB client (v3 lib-dynamodb send(new XCommand) or
// v2 aws-sdk DocumentClient .get(...).promise()); ~1% ordinary modules that merely MENTION
// DynamoDB in a comment/config string (prefilter false positives); the rest plain TS/JS.
// convertibleShare of the handlers are API handlers that read or write one item and answer
// 404/201/200, which convert fully; the others use loops and arrays and convert to nothing.
'use strict';
const fs = require('fs');
const path = require('path');

const out = process.argv[2];
const N = +(process.argv[3] || 20000);
const HANDLER_RATIO = +(process.argv[4] || 0.03);
let seed = +(process.argv[5] || 42);
const CONVERTIBLE = +(process.argv[6] ?? 0.5);
if (!out) { console.error('usage: gen-monorepo.cjs OUTDIR [files] [ratio] [seed] [convertibleShare]'); process.exit(2); }

function rnd() { // mulberry32, deterministic
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const WORDS = ['order', 'user', 'invoice', 'cart', 'payment', 'shipment', 'profile', 'session', 'report',
  'catalog', 'price', 'tenant', 'audit', 'metric', 'event', 'queue', 'token', 'ledger', 'account', 'coupon'];
const cap = (s) => s[0].toUpperCase() + s.slice(1);
const ident = () => pick(WORDS) + cap(pick(WORDS)) + int(1, 99);
const AREAS = ['domain', 'services', 'utils', 'api', 'components', 'store', 'handlers', 'lib'];

function tsChunk(ts) {
  const n = ident(), T = cap(pick(WORDS)) + int(1, 999);
  const kind = int(0, 5);
  if (kind === 0 && ts) return `
export interface ${T} {
  id: string;
  ${pick(WORDS)}Count: number;
  tags: ReadonlyArray<string>;
  meta?: Record<string, unknown>;
  createdAt: Date;
}
`;
  if (kind === 1) return `
export ${ts ? 'async ' : 'async '}function ${n}(items${ts ? `: Array<{ id: string; value: number }>` : ''}, limit${ts ? ': number' : ''} = ${int(5, 50)})${ts ? ': Promise<number>' : ''} {
  const filtered = items.filter((x) => x.value > ${int(0, 100)}).slice(0, limit);
  let total = 0;
  for (const it of filtered) {
    total += Math.round(it.value * ${(rnd() * 3).toFixed(2)});
    if (total > ${int(1000, 9000)}) break;
  }
  await new Promise((r) => setTimeout(r, 0));
  return filtered.reduce((acc, x) => acc + x.value, total);
}
`;
  if (kind === 2) return `
export class ${T}Service {
  ${ts ? 'private readonly ' : ''}cache${ts ? ': Map<string, number>' : ''} = new Map();
  constructor(${ts ? 'private readonly ' : ''}name${ts ? ': string' : ''}) { ${ts ? '' : 'this.name = name;'} }
  get(key${ts ? ': string' : ''})${ts ? ': number | undefined' : ''} {
    return this.cache.get(\`\${this.name}:\${key}\`);
  }
  put(key${ts ? ': string' : ''}, value${ts ? ': number' : ''}) {
    this.cache.set(\`\${this.name}:\${key}\`, value);
    return this;
  }
  summary() {
    return [...this.cache.entries()].map(([k, v]) => ({ k, v: v * ${int(2, 9)} })).sort((a, b) => a.v - b.v);
  }
}
`;
  if (kind === 3) return `
export const ${n} = ${ts ? `<T extends { id: string }>(list: T[], key: keyof T): Record<string, T[]>` : '(list, key)'} => {
  const out${ts ? ': Record<string, T[]>' : ''} = {};
  for (const item of list) {
    const k = String(item[key] ?? 'none');
    (out[k] ||= []).push(item);
  }
  return out;
};
`;
  if (kind === 4) return `
// ${pick(WORDS)} ${pick(WORDS)} helper: normalises input and validates ranges before use
export function ${n}Validate(input${ts ? ': unknown' : ''})${ts ? ': input is { id: string }' : ''} {
  if (typeof input !== 'object' || input === null) return false;
  const o = input${ts ? ' as Record<string, unknown>' : ''};
  return typeof o.id === 'string' && o.id.length > ${int(1, 8)} && !o.id.includes(' ');
}
`;
  return `
export ${ts ? 'enum' : 'const'} ${T}Status ${ts ? '{' : '= {'}
  Active${ts ? ' = ' : ': '}'ACTIVE',
  Disabled${ts ? ' = ' : ': '}'DISABLED',
  Pending${ts ? ' = ' : ': '}'PENDING',
}${ts ? '' : ';'}
export const ${n}Labels = Object.freeze({ a: '${pick(WORDS)}', b: '${pick(WORDS)}', c: ${int(1, 1e6)} });
`;
}

function tsxChunk() {
  const C = cap(pick(WORDS)) + int(1, 999);
  return `
export function ${C}View({ items }: { items: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="${pick(WORDS)}">
      <button onClick={() => setOpen(!open)}>{open ? 'Hide' : 'Show'}</button>
      {open && <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>}
    </div>
  );
}
`;
}

const OPS = ['get', 'put', 'update', 'delete', 'query'];
function v3Handler(ts) {
  const ops = [...new Set([pick(OPS), pick(OPS), pick(OPS)])];
  const cmds = ops.map((o) => cap(o) + 'Command');
  const body = ops.map((o) => {
    const C = cap(o) + 'Command';
    const arg = o === 'query'
      ? `{ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': id } }`
      : o === 'put' ? `{ TableName: TABLE, Item: { pk: id, ...payload } }`
      : o === 'update' ? `{ TableName: TABLE, Key: { pk: id }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'DONE' } }`
      : `{ TableName: TABLE, Key: { pk: id } }`;
    return `  const ${o}Res = await ddb.send(new ${C}(${arg}));\n  results.push(${o}Res);`;
  }).join('\n');
  return `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ${cmds.join(', ')} } from '@aws-sdk/lib-dynamodb';
${ts ? "import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';\n" : ''}
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE_NAME${ts ? '!' : ''};

export const handler = async (event${ts ? ': APIGatewayProxyEvent' : ''})${ts ? ': Promise<APIGatewayProxyResult>' : ''} => {
  const id = event.pathParameters?.id ?? 'unknown';
  const payload = JSON.parse(event.body || '{}');
  const results${ts ? ': unknown[]' : ''} = [];
${body}
  if (!results.length) {
    return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  }
  return { statusCode: 200, body: JSON.stringify({ id, results }) };
};
`;
}
function convertibleHandler(ts) {
  const entity = pick(WORDS), key = `${entity}Id`;
  const types = ts ? "import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';\n" : '';
  const sig = ts ? '(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult>' : '(event)';
  const head = `${types}import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE_NAME${ts ? '!' : ''};
`;
  if (rnd() < 0.5) return `${head}
export const handler = async ${sig} => {
  const ${key} = event.pathParameters?.${key};
  const { Item } = await ddb.send(new GetCommand({ TableName: TABLE, Key: { ${key} } }));
  if (!Item) return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  return { statusCode: 200, body: JSON.stringify({ ${key}: Item.${key}, status: Item.status }) };
};
`;
  return `${head}
export const handler = async ${sig} => {
  const body = JSON.parse(event.body ?? '{}');
  await ddb.send(new PutCommand({ TableName: TABLE, Item: { ${key}: body.${key}, status: 'NEW', total: body.total } }));
  return { statusCode: 201, body: JSON.stringify({ ${key}: body.${key} }) };
};
`;
}
function v2Handler(ts) {
  const ops = [...new Set([pick(OPS), pick(OPS)])];
  const body = ops.map((o) => {
    const arg = o === 'query'
      ? `{ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': id } }`
      : o === 'put' ? `{ TableName: TABLE, Item: { pk: id, ...payload } }`
      : `{ TableName: TABLE, Key: { pk: id } }`;
    return `  const ${o}Res = await docClient.${o}(${arg}).promise();\n  results.push(${o}Res);`;
  }).join('\n');
  const imp = ts ? `import * as AWS from 'aws-sdk';` : `const AWS = require('aws-sdk');`;
  return `${imp}

const docClient = new AWS.DynamoDB.DocumentClient();
const TABLE = process.env.TABLE_NAME${ts ? ' as string' : ''};

${ts ? 'export const handler = async (event: any) =>' : 'exports.handler = async (event) =>'} {
  const id = (event.pathParameters && event.pathParameters.id) || 'unknown';
  const payload = JSON.parse(event.body || '{}');
  const results${ts ? ': unknown[]' : ''} = [];
${body}
  return { statusCode: 200, body: JSON.stringify({ id, results }) };
};
`;
}

const TARGET = 3000;
let stats = { convertible: 0, handlersV3: 0, handlersV2: 0, mentions: 0, plain: 0, bytes: 0, ts: 0, tsx: 0, js: 0 };
const PKGS = Math.max(1, Math.round(N / 100));
for (let i = 0; i < N; i++) {
  const pkg = `pkg-${String(i % PKGS).padStart(3, '0')}`;
  const r = rnd();
  const extR = rnd();
  const ext = extR < 0.65 ? 'ts' : extR < 0.72 ? 'tsx' : 'js';
  const ts = ext !== 'js';
  const area = pick(AREAS);
  let src;
  if (r < HANDLER_RATIO) {
    src = rnd() < CONVERTIBLE ? (stats.convertible++, convertibleHandler(ts))
      : rnd() < 0.6 ? (stats.handlersV3++, v3Handler(ts)) : (stats.handlersV2++, v2Handler(ts));
  } else {
    src = ext === 'tsx' ? `import { useState } from 'react';\nimport { ${ident()} } from '../lib/${pick(WORDS)}';\n`
                        : `import { ${ident()} } from '../lib/${pick(WORDS)}';\n${ts ? `import type { ${cap(pick(WORDS))}Opts } from './types';\n` : ''}`;
    if (r < HANDLER_RATIO + 0.01) { // prefilter false positive: mentions the word, no SDK use
      stats.mentions++;
      src += `\n// NOTE: ${pick(WORDS)} records are persisted by the DynamoDB stream consumer in another package\nexport const TABLE_HINT = '${pick(WORDS)}-dynamodb-table';\n`;
    } else stats.plain++;
  }
  while (src.length < TARGET - 200 + int(0, 400)) src += ext === 'tsx' && rnd() < 0.3 ? tsxChunk() : tsChunk(ts);
  const dir = path.join(out, 'packages', pkg, 'src', area);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${pick(WORDS)}-${i}.${ext}`), src);
  stats.bytes += Buffer.byteLength(src); stats[ext]++;
}
for (let p = 0; p < PKGS; p++) {
  const d = path.join(out, 'packages', `pkg-${String(p).padStart(3, '0')}`);
  fs.writeFileSync(path.join(d, 'package.json'), JSON.stringify({ name: `@mono/pkg-${p}`, version: '1.0.0' }, null, 2));
}
console.log(JSON.stringify({ files: N, ...stats, avgBytes: Math.round(stats.bytes / N) }));
