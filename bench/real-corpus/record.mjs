// Records what the handlers of an idiom case really answer: runs each event of events.json, in order, against
// an embedded DynamoDB loaded from tables.json with the case's env.json, and writes the handler's response
// (expected_response) or failure (expected_error, as Lambda reports it) back into events.json.
// Usage, from the project root after `npm run build`:  node --import tsx bench/real-corpus/record.mjs <case-folder>
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { createTables, startLocalDynamo } from '../../dist/src/verify/localDynamo.js';

const dir = resolve(process.argv[2] ?? '');
const read = (name, dflt) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : dflt);
const events = read('events.json');
const dynamo = await startLocalDynamo();
try {
  await createTables(dynamo.client, read('tables.json', []));
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
      e.expected_response = await mod[e.export ?? 'handler'](e.event, { awsRequestId: 'local', getRemainingTimeInMillis: () => 30000 });
    } catch (err) {
      e.expected_error = { errorType: err?.name ?? 'Error', errorMessage: err?.message ?? String(err) };
    }
  }
} finally {
  await dynamo.close();
}
writeFileSync(join(dir, 'events.json'), JSON.stringify(events, null, 2) + '\n');
for (const e of events) console.log(`${e.name}: ${JSON.stringify(e.expected_response ?? e.expected_error)}`);
