// The CLI contract: exit codes, formats, error entries, --help, --fail-on, prefilter equivalence.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { cli, projectFolders } from './support/cliHarness.js';
import type { ScanReport } from '../src/report/types.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = projectFolders('l2s-cli-');

const GET_HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  await db.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.pathParameters.id } }));
  return { statusCode: 204, body: '' };
};
`;

describe('lambda2sfn CLI', () => {
  test('--help documents every scan option', async () => {
    const { code, out } = await cli(['scan', '--help'], process.cwd());
    expect(code).toBe(0);
    for (const opt of ['--format', '--json', '--output', '--config', '--include', '--exclude', '--fail-on', '--no-asl', '--no-color']) expect(out).toContain(opt);
    expect(out).not.toContain('--no-prefilter');
  });

  test('an unknown format is a usage error (exit 2) with one clear message', async () => {
    const { code, err } = await cli(['scan', '.', '--format', 'yaml'], process.cwd());
    expect(code).toBe(2);
    expect(err).toMatch(/invalid|allowed choices/i);
  });

  test('json report: summary, finding fields and a valid definition', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER });
    const { code, out } = await cli(['scan', '.', '--json'], dir);
    expect(code).toBe(0);
    const report = JSON.parse(out) as ScanReport;
    expect(report).toMatchObject({ tool: 'lambda2sfn', schemaVersion: 1, summary: { handlers: 1, full: 1, partial: 0, none: 0, errors: 0 } });
    const f = report.findings[0]!;
    expect(f).toMatchObject({ file: 'handler.mjs', export: 'handler', convertible: 'full', line: 4 });
    expect(f.id).toMatch(/^[0-9a-f]{12}$/);
    expect(f.stateMachine!.resources).toEqual(['arn:aws:states:::dynamodb:deleteItem']);
    expect(f.stateMachine!.substitutions).toEqual({ Table: 'process.env.TABLE' });
    expect(f.stateMachine!.validation.valid).toBe(true);
  });

  test('--query-language jsonata proposes a JSONata definition; auto keeps JSONPath when it needs nothing more; a bad value is exit 2', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER });
    const jsonata = JSON.parse((await cli(['scan', '.', '--json', '--query-language', 'jsonata'], dir)).out) as ScanReport;
    const sm = jsonata.findings[0]!.stateMachine!;
    expect([sm.queryLanguage, sm.definition['QueryLanguage'], sm.validation.valid, sm.queryLanguageReason]).toEqual(['JSONata', 'JSONata', true, '--query-language jsonata']);
    // The key is read from the request through $event, the variable the Init state assigns.
    expect(JSON.stringify(sm.definition)).toContain('$event.pathParameters.id');
    const auto = JSON.parse((await cli(['scan', '.', '--json'], dir)).out) as ScanReport;
    expect(auto.findings[0]!.stateMachine!.queryLanguage).toBe('JSONPath');
    expect(auto.findings[0]!.stateMachine!.definition['QueryLanguage']).toBeUndefined();
    const bad = await cli(['scan', '.', '--query-language', 'jsonpath2'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Allowed choices are auto, jsonpath, jsonata/);
    const help = await cli(['verify', '--help'], dir);
    expect(help.out).toContain('--query-language');
  });

  test('--fail-on full exits 1 when a handler converts fully', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER });
    expect((await cli(['scan', '.', '--fail-on', 'full', '--no-asl'], dir)).code).toBe(1);
    expect((await cli(['scan', '.', '--no-asl'], dir)).code).toBe(0);
  });

  test('an unparseable file is a warning entry on stderr; the rest of the scan goes on; exit 0, or 2 with --strict', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER, 'broken.ts': 'export const handler = async (event) => { return {' });
    const { code, out, err } = await cli(['scan', '.', '--format', 'json'], dir);
    expect(code).toBe(0);
    const report = JSON.parse(out) as ScanReport;
    expect(report.findings.map((f) => f.file)).toEqual(['handler.mjs']);
    expect(report.errors).toEqual([expect.objectContaining({ file: 'broken.ts', message: expect.stringContaining('syntax error'), severity: 'warning' })]);
    expect(err).toMatch(/^lambda2sfn: warning: broken\.ts:1: .*syntax error/);
    const strict = await cli(['scan', '.', '--format', 'json', '--strict'], dir);
    expect(strict.code).toBe(2);
    expect((JSON.parse(strict.out) as ScanReport).findings).toHaveLength(1);
  });

  test('exit 1 is only --fail-on: a warning alone is 0, a warning with a matching --fail-on is 1', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER, 'broken.ts': 'export const handler = async (event) => { return {' });
    expect((await cli(['scan', '.'], dir)).code).toBe(0);
    expect((await cli(['scan', '.', '--fail-on', 'full'], dir)).code).toBe(1);
    expect((await cli(['scan', 'broken.ts', '--fail-on', 'any'], dir)).code).toBe(0);
  });

  test('text output: the warnings go to stderr only, stdout counts them', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER, 'broken.ts': 'export const handler = async (event) => { return {' });
    const { code, out, err } = await cli(['scan', '.'], dir);
    expect(code).toBe(0);
    expect(out).not.toContain('syntax error');
    expect(out).toContain('1 file not scanned (see stderr)');
    expect(err).toContain('broken.ts');
  });

  test('a binary or minified file and an unrelated template.yaml that does not parse are warnings, exit 0', async () => {
    const dir = project({
      'handler.mjs': GET_HANDLER,
      'vendor.min.js': `var a=${'1+'.repeat(30000)}1;`,
      'blob.js': `\u0000\u0001\u0002${'x'.repeat(100)}`,
      'other/template.yaml': 'Resources: [unclosed\n',
    });
    const { code, out, err } = await cli(['scan', '.', '--json'], dir);
    const report = JSON.parse(out) as ScanReport;
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.file)).toEqual(['handler.mjs']);
    expect(report.errors.map((e) => [e.file, e.severity])).toEqual([['blob.js', 'warning'], ['other/template.yaml', 'warning'], ['vendor.min.js', 'warning']]);
    expect(err.trim().split('\n')).toHaveLength(3);
    expect((await cli(['scan', '.', '--json', '--strict'], dir)).code).toBe(2);
  });

  test('text output of the demo: one screen by default; --asl adds the definitions, --verbose the details', async () => {
    const demo = join(REPO_ROOT, 'fixtures', 'demo');
    const compact = (await cli(['scan', demo], REPO_ROOT)).out;
    const lines = compact.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(50);
    expect(lines.filter((l) => /^src\/\S+:\d+ /.test(l)).map((l) => l.split(' ')[0])).toEqual(['src/cancelOrder.cjs:7', 'src/createOrder.ts:9', 'src/expireOrders.ts:5', 'src/getOrder.ts:12', 'src/listOrders.ts:6']);
    expect(compact).not.toContain('"StartAt"');
    // The usage behind the figures is stated once, each source named once.
    expect(compact.match(/profile medium/g)).toHaveLength(1);
    expect(compact).toMatch(/^monthly costs assume 1,000,000 requests\/month, 100 ms average Lambda duration, 512 MB, 4 KB of execution data \(profile medium/m);
    // One definition per convertible handler, each opening at the indent the renderer gives it.
    expect((await cli(['scan', demo, '--asl'], REPO_ROOT)).out.match(/^ {4}\{$/gm)).toHaveLength(4);
    const verbose = (await cli(['scan', demo, '--verbose'], REPO_ROOT)).out;
    expect(verbose).toContain('break-even:');
    expect(verbose).not.toContain('"StartAt"');
    const diff = (await cli(['scan', demo, '--diff'], REPO_ROOT)).out;
    expect(diff).toMatch(/^diff --git a\/statemachine/m);
    for (const f of verbose.split('\n').filter((l) => l.includes('assumes:'))) expect(f.match(/profile medium/g) ?? []).toHaveLength(1);
    // User-facing text cites no document outside the repository.
    expect(`${compact}${verbose}${diff}`).not.toMatch(/asl-facts|product\.md|idioms\.md|§/);
  });

  test('--output writes the report to a file', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER });
    const { code, out } = await cli(['scan', '.', '--json', '--output', 'report.json'], dir);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ScanReport).summary.full).toBe(1);
  });

  test('an invalid config file is exit 2 naming the file', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER, 'lambda2sfn.config.json': '{ "tables": { "T": { "x": "number" } } }' });
    const { code, err } = await cli(['scan', '.'], dir);
    expect(code).toBe(2);
    expect(err).toContain('lambda2sfn.config.json');
  });

  test('a nonexistent path beside others is a warning entry, exit 0; when no path exists it is a usage error, exit 2', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER });
    const { code, out, err } = await cli(['scan', 'nope', '.', '--json'], dir);
    expect(code).toBe(0);
    expect((JSON.parse(out) as ScanReport).errors[0]).toMatchObject({ file: 'nope', severity: 'warning' });
    expect(err).toBe('lambda2sfn: warning: nope: no such file or directory\n');
    const none = await cli(['scan', 'srcc', '--json'], dir);
    expect(none).toEqual({ code: 2, out: '', err: 'lambda2sfn: nothing to scan: srcc: no such file or directory\n' });
  });

  test('a helper module\'s export that a handler imports and nothing deploys is not a handler', async () => {
    const DB = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export async function getOrder(id) {
  const { Item } = await db.send(new GetCommand({ TableName: process.env.TABLE, Key: { id } }));
  return Item;
}
export const fetchOrder = async (event) => getOrder(event.id);
`;
    const HANDLER = `import { getOrder, fetchOrder } from './lib/db.mjs';
export const handler = async (event) => {
  const item = await getOrder(event.pathParameters.id);
  return item ? { statusCode: 200, body: JSON.stringify(item) } : { statusCode: 404, body: '' };
};
export const other = (event) => fetchOrder(event);
`;
    // A test importing the handler does not make the handler a helper.
    const TEST = `import { handler } from '../handler.mjs';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nhandler({});\n`;
    const dir = project({ 'lib/db.mjs': DB, 'handler.mjs': HANDLER, 'test/handler.test.mjs': TEST });
    const report = JSON.parse((await cli(['scan', '.', '--json'], dir)).out) as ScanReport;
    expect(report.findings.map((f) => `${f.file}#${f.export}`)).toEqual(['handler.mjs#handler', 'handler.mjs#other']);
    // Deployed, the same export is a handler.
    writeFileSync(join(dir, 'template.yaml'), 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Get:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: lib\n      Handler: db.getOrder\n');
    const deployed = JSON.parse((await cli(['scan', '.', '--json'], dir)).out) as ScanReport;
    expect(deployed.findings.map((f) => `${f.file}#${f.export}`)).toEqual(['handler.mjs#handler', 'handler.mjs#other', 'lib/db.mjs#getOrder']);
  });

  test('suppressed findings are counted, not silently dropped', async () => {
    const dir = project({ 'handler.mjs': GET_HANDLER.replace('export const handler', '// lambda2sfn-ignore-next-line -- migrated by hand\nexport const handler') });
    const report = JSON.parse((await cli(['scan', '.', '--json'], dir)).out) as ScanReport;
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed).toBe(1);
    expect(report.suppressed[0]).toMatchObject({ export: 'handler', reason: 'migrated by hand' });
  });

  test('ordinary exported functions are not reported as handlers, and odd parameter lists never crash the scan', async () => {
    const dir = project({
      'util.ts': [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        'export function analyzeHandler(c: { id: string }, mod: string, ctx: number) { return c.id + mod + ctx; }',
        'export const close = (client: DynamoDBClient) => client.destroy();',
        'export const collect = (...docs: unknown[]) => docs.length;',
        'export const load = (url: string, context: object) => url;',
      ].join('\n'),
    });
    const report = JSON.parse((await cli(['scan', '.', '--json'], dir)).out) as ScanReport;
    expect({ findings: report.findings, errors: report.errors }).toEqual({ findings: [], errors: [] });
  });

  test('rules lists every rule and shows one rule\'s README', async () => {
    const list = await cli(['rules'], process.cwd());
    expect(list.code).toBe(0);
    expect(list.out).toContain('dynamodb-v3-lib-send');
    const one = await cli(['rules', 'guard-choice'], process.cwd());
    expect(one.out).toMatch(/^# guard-choice/);
    expect((await cli(['rules', 'nope'], process.cwd())).code).toBe(2);
  });
});
