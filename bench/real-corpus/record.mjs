// Records what the handlers of an idiom case really answer: runs each event of events.json, in order, against
// an embedded DynamoDB loaded from tables.json with the case's env.json, and writes the handler's response
// (expected_response) or failure (expected_error, as Lambda reports it) back into events.json, and every table's
// items after the last event into final-tables.json.
// Usage, from the project root after `npm run build`:  node --import tsx bench/real-corpus/record.mjs <case-folder>
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { createTables, dumpTables, startLocalDynamo } from '../../dist/src/verify/localDynamo.js';

const dir = resolve(process.argv[2] ?? '');
const read = (name, dflt) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : dflt);
const events = read('events.json');
const tables = read('tables.json', []);
const dynamo = await startLocalDynamo();
let finalTables;
try {
  await createTables(dynamo.client, tables);
  Object.assign(process.env, read('env.json', {}), {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
  });
  // SDK v2 ignores AWS_ENDPOINT_URL_DYNAMODB: point the copy the handlers will load at the same endpoint.
  try {
    createRequire(join(dir, 'package.json'))('aws-sdk').config.update({ dynamodb: { endpoint: dynamo.endpoint } });
  } catch { /* no SDK v2 in reach: nothing to point */ }
  for (const e of events) {
    const mod = await import(pathToFileURL(join(dir, e.file)).href);
    delete e.expected_response;
    delete e.expected_error;
    try {
      // Lambda answers null for a handler that returns nothing.
      e.expected_response = (await mod[e.export ?? 'handler'](e.event, { awsRequestId: 'local', getRemainingTimeInMillis: () => 30000 })) ?? null;
    } catch (err) {
      e.expected_error = { errorType: err?.name ?? 'Error', errorMessage: err?.message ?? String(err) };
    }
  }
  finalTables = await dumpTables(dynamo.client, tables.map((t) => t.TableName));
} finally {
  await dynamo.close();
}
writeFileSync(join(dir, 'events.json'), JSON.stringify(events, null, 2) + '\n');
// One item per line, as in fixtures/cases/*/final-tables.json.
const lines = Object.entries(finalTables).map(([name, items]) => `  ${JSON.stringify(name)}: [${items.length ? `\n    ${items.join(',\n    ')}\n  ` : ''}]`);
writeFileSync(join(dir, 'final-tables.json'), `{\n${lines.join(',\n')}\n}\n`);
for (const e of events) console.log(`${e.name}: ${JSON.stringify('expected_error' in e ? e.expected_error : e.expected_response)}`);
