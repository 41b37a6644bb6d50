// Bad flags and bad input files: exit 2 with one clear message that names the problem and, for a file, where it
// is (file:line:column, or the line and column); never a stack trace unless --debug.
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { cli, projectFolders } from './support/cliHarness.js';

const project = projectFolders('l2s-robust-cfg-');

/** Exit 2, nothing on stdout, and stderr is one message (plus commander's usage hint) without a stack trace. */
function expectUsageError(r: { code: number; out: string; err: string }, message: RegExp): void {
  expect(r).toMatchObject({ code: 2, out: '' });
  const lines = r.err.split('\n').filter((l) => l && l !== '(run lambda2sfn --help for usage)');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.err).not.toMatch(/\n\s+at /);
}

const HANDLER = `export const handler = async (event) => ({ statusCode: 200, body: String(event.id) });\n`;

describe('flags', () => {
  const dir = project({ 'h.mjs': HANDLER });
  test.each([
    [['scan', '--bogus'], /^error: unknown option '--bogus'$/],
    [['bogus'], /^error: unknown command 'bogus'$/],
    [['scan', '.', '--format', 'yaml'], /^error: option '-f, --format <format>' argument 'yaml' is invalid\. Allowed choices are text, json, markdown, sarif, github\.$/],
    [['scan', '.', '--memory-mb', 'lots'], /argument 'lots' is invalid\. --memory-mb needs a whole number, 0 or more\.$/],
    [['scan', '.', '--avg-duration-ms', '-3'], /--avg-duration-ms needs a number above 0\.$/],
    [['scan', '.', '--fail-on', 'most'], /argument 'most' is invalid\. Allowed choices are full, partial, any\.$/],
    [['verify'], /^error: missing required argument 'target'$/],
  ])('%j: exit 2, one message', async (args, message) => {
    expectUsageError(await cli(args as string[], dir), message);
  });
});

describe('configuration and usage files', () => {
  test('a config file that is not JSON: the file, the line and the column', async () => {
    const dir = project({ 'h.mjs': HANDLER, 'cfg.json': '{\n  "include": ["src"]\n  "exclude": []\n}\n' });
    expectUsageError(await cli(['scan', '.', '-c', 'cfg.json'], dir), new RegExp(`^lambda2sfn: invalid JSON in ${dir}/cfg\\.json: .*\\(line 3, column 3\\)$`));
  });

  test('a config file of the wrong shape: each problem in words, with its line and column', async () => {
    const dir = project({ 'h.mjs': HANDLER, 'cfg.json': '{\n  "include": "src",\n  "rules": { "route-switch": "maybe" }\n}\n' });
    expectUsageError(
      await cli(['scan', '.', '-c', 'cfg.json'], dir),
      /^lambda2sfn: invalid configuration in .*cfg\.json: (?=.*\/include must be array \(got "src"\) \(line 2, column 14\))(?=.*\/rules\/route-switch must be one of true, false, "on", "off" \(got "maybe"\) \(line 3, column 30\))/,
    );
  });

  test('a package.json whose lambda2sfn key has the wrong shape: located in package.json', async () => {
    const dir = project({ 'h.mjs': HANDLER, 'package.json': '{\n  "name": "x",\n  "lambda2sfn": { "exclude": 3 }\n}\n', '.git/HEAD': '' });
    expectUsageError(await cli(['scan', '.'], dir), /^lambda2sfn: invalid configuration in .*package\.json: \/exclude must be array \(got 3\) \(line 3, column 30\)$/);
  });

  test('a config file that does not exist, and a JS config that does not load', async () => {
    const dir = project({ 'h.mjs': HANDLER, 'broken.mjs': 'export default { include: [ ;\n' });
    expectUsageError(await cli(['scan', '.', '-c', 'nope.json'], dir), /^lambda2sfn: config file not found: .*nope\.json$/);
    expectUsageError(await cli(['scan', '.', '-c', 'broken.mjs'], dir), /^lambda2sfn: cannot import configuration from .*broken\.mjs: /);
  });

  test('a usage file with a wrong value, and one that does not exist', async () => {
    const dir = project({ 'h.mjs': HANDLER, 'usage.yml': 'defaults:\n  requestsPerMonth: lots\n' });
    expectUsageError(await cli(['scan', '.', '--usage-file', 'usage.yml'], dir), /^lambda2sfn: usage file usage\.yml: defaults\.requestsPerMonth: requestsPerMonth must be a whole number, 0 or more \(got "lots"\)$/);
    expectUsageError(await cli(['scan', '.', '--usage-file', 'none.yml'], dir), /^lambda2sfn: cannot read usage file none\.yml: ENOENT$/);
  });
});

describe('verify input files', () => {
  const EVENTS = '[{ "name": "one", "event": { "id": 1 } }]\n';
  const TABLES = '[{ "TableName": "Items", "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }], "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }] }]\n';
  const base = { 'handler.mjs': HANDLER, 'events.json': EVENTS, 'tables.json': TABLES };

  test.each([
    ['events.json', '[{ "event": {} },\n  oops]\n', /^lambda2sfn: .*events\.json:2:3: the events file is not valid JSON: a character that cannot start a JSON value$/],
    ['events.json', '[{ "event": {} }\n', /^lambda2sfn: .*events\.json:2:1: the events file is not valid JSON: a closing ] is expected$/],
    ['events.json', '{ "event": {} }\n', /^lambda2sfn: .*events\.json:1:1: the events file has the wrong shape: \(root\) must be a list \(got an object\)$/],
    ['events.json', '[\n  { "name": "a", "event": {} },\n  { "name": 2, "event": {} }\n]\n', /^lambda2sfn: .*events\.json:3:13: the events file has the wrong shape: \/1\/name must be a string \(got 2\)$/],
    ['events.json', '[\n  { "name": "no event" }\n]\n', /^lambda2sfn: .*events\.json:2:3: the events file has the wrong shape: \/0 must have the property "event"$/],
    ['tables.json', '{ "TableName": 3 }\n', /^lambda2sfn: .*tables\.json:1:1: the tables file has the wrong shape: \(root\) must be a list \(got an object\)$/],
    ['tables.json', '[{ "TableName": "Items",\n   "KeySchema": [{ "AttributeName": "id", "KeyType": "PRIMARY" }] }]\n', /^lambda2sfn: .*tables\.json:2:54: the tables file has the wrong shape: \/0\/KeySchema\/0\/KeyType must be one of "HASH", "RANGE" \(got "PRIMARY"\)$/],
    ['env.json', '{ "TABLE": { "name": "Items" } }\n', /^lambda2sfn: .*env\.json:1:12: the env file has the wrong shape: \/TABLE must be a string \(got an object\)$/],
    ['stubs.json', 'nope\n', /^lambda2sfn: .*stubs\.json:1:1: the stubs file is not valid JSON: a character that cannot start a JSON value$/],
    ['stubs.json', '{ "http": [{ "method": "GET", "path": "/x" }] }\n', /^lambda2sfn: .*stubs\.json:1:12: the stubs file has the wrong shape: \/http\/0 must have the property "responses"$/],
  ])('%s: %j → exit 2 naming the place', async (name, text, message) => {
    const dir = project({ ...base, [name]: text });
    expectUsageError(await cli(['verify', '.'], dir), message);
  });

  test('a tables file DynamoDB refuses: exit 2 naming the file and the table, and nothing is left running', async () => {
    const refused = '[{ "TableName": "T", "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }], "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }] }]\n';
    const dir = project({ ...base, 'tables.json': refused });
    expectUsageError(await cli(['verify', '.'], dir), /^lambda2sfn: .*tables\.json: DynamoDB refused the tables: table 1 \("T"\): ValidationException: TableName must be at least 3 characters long/);
  });
});
