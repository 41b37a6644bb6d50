// Bad input never crashes or hangs a scan: each odd file gets an `errors[]` entry (or a finding) with a clear
// reason, the rest of the scan goes on, and the exit code says what happened. Every fixture is generated here.
import { chmodSync, existsSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { cli, projectFolders } from './support/cliHarness.js';
import type { ScanReport } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = projectFolders('l2s-robust-');

async function scanJson(dir: string, args: string[] = ['.']): Promise<{ code: number; report: ScanReport; err: string }> {
  const r = await cli(['scan', ...args, '--format', 'json'], dir);
  if (r.out === '') throw new Error(`no report (exit ${r.code}): ${r.err}`);
  return { code: r.code, report: JSON.parse(r.out) as ScanReport, err: r.err };
}

/** `scan --format json` in a child process running as the unprivileged user `nobody` (uid 65534). */
function scanAsNobody(dir: string): Promise<{ code: number; report: ScanReport }> {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const main = join(REPO_ROOT, 'test', 'support', 'cliMain.mts');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tsx, [main, 'scan', '.', '--format', 'json'], { cwd: dir, uid: 65534, gid: 65534, env: { PATH: process.env['PATH'], HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolvePromise({ code: code ?? -1, report: JSON.parse(out) as ScanReport });
      } catch {
        reject(new Error(`no report (exit ${code}): ${err}`));
      }
    });
  });
}

/** A handler that converts in full: the good file beside every bad one, proving the scan went on. */
const GOOD = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  await db.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.pathParameters.id } }));
  return { statusCode: 204, body: '' };
};
`;

const errorOf = (report: ScanReport, file: string) => report.errors.find((e) => e.file === file);
const findingOf = (report: ScanReport, file: string) => report.findings.find((f) => f.file === file);

describe('files that cannot be read or parsed: a warning each, the scan goes on (exit 0; 2 with --strict)', () => {
  const bigMinified = 'var a=' + JSON.stringify('x'.repeat(5_000_000)) + ';function handler(event){return a}';
  const dir = project({
    'good.mjs': GOOD,
    'syntax.mjs': 'export const handler = async (event) => { return {;\n',
    'binary.js': Buffer.concat([Buffer.from('handler(event)'), Buffer.from([0, 1, 2, 3, 0, 0xff, 0xfe])]),
    'latin1.js': Buffer.concat([Buffer.from("export const handler = async (event) => {\n  return 'caf"), Buffer.from([0xe9]), Buffer.from("';\n};\n")]),
    'bundle.min.js': bigMinified,
    'medium.min.js': `export const handler=async(event)=>{${'var v=1;'.repeat(100_000)}};`,
  });

  test('each gets its own reason; the good handler is still converted', async () => {
    const { code, report, err } = await scanJson(dir);
    expect(code).toBe(0);
    expect(findingOf(report, 'good.mjs')).toMatchObject({ convertible: 'full' });
    expect(errorOf(report, 'syntax.mjs')).toMatchObject({ severity: 'warning', line: 1, message: expect.stringMatching(/^syntax error: /) });
    expect(errorOf(report, 'binary.js')).toMatchObject({ severity: 'warning', message: 'binary file' });
    expect(errorOf(report, 'latin1.js')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/not valid UTF-8 text \(byte 0xE9 at offset \d+, line 2; save it as UTF-8\)/) });
    expect(errorOf(report, 'bundle.min.js')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^file is 5 MB, over the 1 MB limit/) });
    expect(errorOf(report, 'medium.min.js')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^looks minified \(a line of \d+ characters\)/) });
    expect(report.summary.errors).toBe(5);
    // One line per problem on stderr, no stack trace.
    expect(err.split('\n').filter(Boolean)).toHaveLength(5);
    expect(err).not.toMatch(/\n\s+at /);
    expect((await scanJson(dir, ['.', '--strict'])).code).toBe(2);
  });
});

describe('text that is fine but unusual', () => {
  test('an empty file is scanned and has nothing to report', async () => {
    const dir = project({ 'good.mjs': GOOD, 'empty.js': '', 'blank.ts': '\n\n   \n' });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ filesScanned: 3, handlers: 1, errors: 0 });
  });

  test('a UTF-8 BOM and CRLF line endings: same finding, same lines as without', async () => {
    const crlf = GOOD.replace(/\n/g, '\r\n');
    const dir = project({ 'plain.mjs': GOOD, 'bom.mjs': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GOOD)]), 'crlf.mjs': crlf, 'bomcrlf.mjs': '\ufeff' + crlf });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    const plain = findingOf(report, 'plain.mjs')!;
    for (const f of ['bom.mjs', 'crlf.mjs', 'bomcrlf.mjs']) {
      expect(findingOf(report, f)).toMatchObject({ convertible: 'full', line: plain.line, endLine: plain.endLine });
      const { Comment: _c, ...definition } = findingOf(report, f)!.stateMachine!.definition;
      const { Comment: _p, ...plainDefinition } = plain.stateMachine!.definition;
      expect(definition).toEqual(plainDefinition);
    }
  });

  test('a UTF-16 file with its BOM is read as text', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]);
    const { report } = await scanJson(project({ 'wide.mjs': bytes }));
    expect(findingOf(report, 'wide.mjs')).toMatchObject({ convertible: 'full' });
  });

  test('a 50,000-line generated file beside a handler: parsed, nothing found in it, no error', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `  ${i},`).join('\n');
    const dir = project({ 'good.mjs': GOOD, 'generated.mjs': `// handler table, generated\nexport const table = [\n${lines}\n];\n` });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.summary).toMatchObject({ filesScanned: 2, filesParsed: 2, handlers: 1 });
  });
});

describe('deep nesting: no stack overflow in the parser or in our own walkers', () => {
  const DEPTH = 10_000;
  const deepHandler = (expr: string) => `const f = (x) => x;\nexport const handler = async (event) => {\n  const v = ${expr};\n  return { statusCode: 200, body: JSON.stringify(v) };\n};\n`;
  // One level a line, so the file does not look minified and is parsed.
  const nest = (open: string, inner: string, close: string) => `${`${open}\n`.repeat(DEPTH)}${inner}${`\n${close}`.repeat(DEPTH)}`;
  const shapes: Record<string, string> = {
    parens: nest('(', 'event.x', ')'),
    arrays: nest('[', 'event.x', ']'),
    binary: `event.x${'\n + 1'.repeat(DEPTH)}`,
    ternaries: `${'event.a ? 1 :\n'.repeat(DEPTH)}0`,
    calls: nest('f(', 'event.x', ')'),
    objects: nest('{ a:', 'event.x', '}'),
  };
  for (const [shape, expr] of Object.entries(shapes)) {
    test(`${DEPTH} levels of ${shape}: a warning naming the nesting, and the good handler converts`, async () => {
      const dir = project({ 'good.mjs': GOOD, 'deep.mjs': deepHandler(expr) });
      const { code, report } = await scanJson(dir);
      expect(code).toBe(0);
      expect(findingOf(report, 'good.mjs')).toMatchObject({ convertible: 'full' });
      expect(errorOf(report, 'deep.mjs')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^nested too deeply to analyse \(.*\); skipped$/) });
      expect(findingOf(report, 'deep.mjs')).toBeUndefined();
    });
  }

  // Below the parse stage's depth limit the walkers recurse on what the parser built: whatever they make of it,
  // it is a finding or a warning, never an internal error (exit 3).
  test.each([100, 250, 400, 600, 900])('%i levels of calls, objects and binary operators: a finding or a warning, never exit 3', async (depth) => {
    const exprs = [`${'f(\n'.repeat(depth)}event.x${'\n)'.repeat(depth)}`, `${'{ a:\n'.repeat(depth)}event.x${'\n}'.repeat(depth)}`, `event.x${'\n + 1'.repeat(depth)}`];
    const dir = project(Object.fromEntries(exprs.map((e, i) => [`deep${i}.mjs`, deepHandler(e)])));
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    for (let i = 0; i < exprs.length; i++) {
      const e = errorOf(report, `deep${i}.mjs`);
      if (e) expect(e).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^nested too deeply to analyse/) });
      else expect(findingOf(report, `deep${i}.mjs`)).toMatchObject({ convertible: expect.stringMatching(/^(none|partial|full)$/) });
    }
  });
});

describe('the file system moving under the scan', () => {
  test('a file that vanishes between discovery and reading: a warning, the scan goes on', async () => {
    const dir = project({ 'a-first.mjs': GOOD, 'b-gone.mjs': GOOD });
    let removed = false;
    const again = await scanProject(['.'], {
      cwd: dir,
      onProgress: () => {
        // Discovery is done when the first read is reported: take the next file away before it is read.
        if (!removed) {
          removed = true;
          unlinkSync(join(dir, 'b-gone.mjs'));
        }
      },
    });
    expect(again.errors).toEqual([{ file: 'b-gone.mjs', message: expect.stringMatching(/^ENOENT: no such file or directory/), severity: 'warning' }]);
    expect(findingOf(again, 'a-first.mjs')).toMatchObject({ convertible: 'full' });
  });

  // Root reads a chmod-000 file anyway: as root, the scan runs in a child process as the unprivileged `nobody`,
  // which needs to reach the checkout (a CI clone under a 0700 temporary folder is out of its reach: then skipped).
  const asRoot = process.getuid?.() === 0;
  const nobodyReachesCheckout = !asRoot || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'))}, require('fs').constants.X_OK)`], { uid: 65534, gid: 65534 }).status === 0;
  (nobodyReachesCheckout ? test : test.skip)('an unreadable source file and template (chmod 000): a warning each naming EACCES, the scan goes on', async () => {
    const dir = project({ 'good.mjs': GOOD, 'locked.mjs': GOOD, 'infra/template.yaml': 'Resources: {}\n' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'infra'), 0o755);
    chmodSync(join(dir, 'locked.mjs'), 0o000);
    chmodSync(join(dir, 'infra', 'template.yaml'), 0o000);
    const { code, report } = asRoot ? await scanAsNobody(dir) : await scanJson(dir);
    expect(code).toBe(0);
    expect(errorOf(report, 'locked.mjs')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^EACCES: permission denied/) });
    expect(errorOf(report, 'infra/template.yaml')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^infrastructure file could not be read: EACCES: permission denied/) });
    expect(findingOf(report, 'good.mjs')).toMatchObject({ convertible: 'full' });
  });

  test('symlink loops, in the tree and named on the command line: no hang, a warning for the named one', async () => {
    const dir = project({ 'good.mjs': GOOD });
    symlinkSync('.', join(dir, 'self'));
    mkdirSync(join(dir, 'a'));
    symlinkSync('../b', join(dir, 'a', 'to-b'));
    mkdirSync(join(dir, 'b'));
    symlinkSync('../a', join(dir, 'b', 'to-a'));
    symlinkSync('loop.js', join(dir, 'loop.js'));
    const walked = await scanJson(dir);
    expect(walked.code).toBe(0);
    expect(walked.report.summary).toMatchObject({ filesScanned: 1, handlers: 1 });
    const named = await scanJson(dir, ['good.mjs', 'loop.js']);
    expect(named.code).toBe(0);
    expect(errorOf(named.report, 'loop.js')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^ELOOP: too many symbolic links/) });
  });

  test('paths with spaces and unicode: reported as they are named', async () => {
    const dir = project({ 'my services/Bestellung ändern/handler ü.mjs': GOOD, 'src/订单/处理.ts': GOOD });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.file).sort()).toEqual(['my services/Bestellung ändern/handler ü.mjs', 'src/订单/处理.ts']);
    const named = await scanJson(dir, ['my services/Bestellung ändern']);
    expect(named.report.findings.map((f) => f.file)).toEqual(['handler ü.mjs']);
  });

  test('a path that does not exist: a warning beside others, exit 2 alone', async () => {
    const dir = project({ 'good.mjs': GOOD });
    const beside = await scanJson(dir, ['good.mjs', 'no/such dir']);
    expect(beside.code).toBe(0);
    expect(errorOf(beside.report, 'no/such dir')).toMatchObject({ severity: 'warning', message: 'no such file or directory' });
    expect(await cli(['scan', 'no/such dir'], dir)).toEqual({ code: 2, out: '', err: 'lambda2sfn: nothing to scan: no/such dir: no such file or directory\n' });
  });
});

describe('syntax real projects use', () => {
  test('a .d.ts file is skipped when walked, and named explicitly it gets a reason', async () => {
    const dir = project({ 'good.mjs': GOOD, 'types.d.ts': 'export declare const handler: (event: unknown) => Promise<void>;\n' });
    const walked = await scanJson(dir);
    expect(walked.report.summary).toMatchObject({ filesScanned: 1, errors: 0 });
    const named = await scanJson(dir, ['good.mjs', 'types.d.ts']);
    expect(errorOf(named.report, 'types.d.ts')).toMatchObject({ severity: 'warning', message: expect.stringContaining('declaration files are skipped') });
  });

  test('JSX, TSX, decorators, top-level await and Flow parse; their handlers are found', async () => {
    const body = `  await db.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.pathParameters.id } }));\n  return { statusCode: 204, body: '' };\n`;
    const imports = GOOD.split('\n').slice(0, 3).join('\n') + '\n';
    const dir = project({
      'jsx.jsx': `${imports}const View = () => <div className="x">{1}</div>;\nexport const handler = async (event) => {\n${body}};\n`,
      'tsx.tsx': `${imports}const View = (p: { n: number }) => <b>{p.n}</b>;\nexport const handler = async (event: { pathParameters: { id: string } }): Promise<unknown> => {\n${body}};\n`,
      'decorated.ts': `${imports}function logged(t: unknown, k?: unknown) {}\n@logged\nclass Service { @logged run() {} }\nexport const handler = async (event: any) => {\n${body}};\n`,
      'tla.mjs': `${imports}const config = await Promise.resolve({ ok: true });\nexport const handler = async (event) => {\n${body}};\n`,
      'flow.js': `// @flow\n${imports}type Event = { pathParameters: { id: string } };\nexport const handler = async (event: Event): Promise<mixed> => {\n${body}};\n`,
    });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.file, f.convertible]).sort()).toEqual([
      ['decorated.ts', 'full'], ['flow.js', 'full'], ['jsx.jsx', 'full'], ['tla.mjs', 'full'], ['tsx.tsx', 'full'],
    ]);
  });

  test('"use strict" CommonJS mixed with ESM in one file: parsed, its handler found', async () => {
    const mixed = `"use strict";\nconst { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nimport { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';\nconst db = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexports.handler = async (event) => {\n  await db.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.pathParameters.id } }));\n  return { statusCode: 204, body: '' };\n};\n`;
    const { code, report } = await scanJson(project({ 'mixed.js': mixed }));
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.findings).toEqual([expect.objectContaining({ file: 'mixed.js', export: 'handler' })]);
  });

  test('a handler exported through three re-exports: one finding, where it is written', async () => {
    const dir = project({
      'src/impl/delete.mjs': GOOD,
      'src/impl/index.mjs': `export { handler } from './delete.mjs';\n`,
      'src/api.mjs': `export { handler } from './impl/index.mjs';\n`,
      'index.mjs': `export * from './src/api.mjs';\n`,
    });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.file, f.convertible])).toEqual([['src/impl/delete.mjs', 'full']]);
  });

  test('a circular import between modules: no hang, the handler is analysed', async () => {
    const dir = project({
      'a.mjs': `import { tableName } from './b.mjs';\n${GOOD.replace('process.env.TABLE', 'tableName()')}export const other = 1;\n`,
      'b.mjs': `import { other } from './a.mjs';\nexport function tableName() { return process.env.TABLE + other; }\n`,
    });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => f.file)).toEqual(['a.mjs']);
    expect(report.findings[0]!.reason).not.toBe('');
  });
});

describe('infrastructure files', () => {
  const SHORT_TAGS = `Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Condition NotProd]
  Either: !Or [!Condition IsProd, !Condition NotProd]
Parameters:
  Stage: { Type: String, Default: dev }
Mappings:
  Sizes: { dev: { Mb: 128 } }
`;
  const template = (extra = '') => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
${SHORT_TAGS}Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 10
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '\${AWS::StackName}-items'
      BillingMode: PAY_PER_REQUEST
  Copy:
    Type: AWS::Serverless::Function
    Properties: &copyProps
      Handler: other.handler
      CodeUri: ./
      Timeout: 7
      Environment:
        Variables: &vars
          TABLE: !Ref Table
          ARN: !GetAtt Table.Arn
          JOINED: !Join ['-', [a, !Select [0, !Split [',', 'x,y']]]]
          B64: !Base64 abc
          ZONE: !Select [0, !GetAZs '']
          NET: !Select [0, !Cidr ['10.0.0.0/16', 2, 8]]
          IMPORTED: !ImportValue shared-value
          PICKED: !If [IsProd, a, b]
          LEN: !Length [1, 2]
          JSON: !ToJsonString { a: 1 }
          XF: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
  DeleteFunction:
    Type: AWS::Serverless::Function
    Properties:
      <<: *copyProps
      Handler: good.handler
      MemorySize: !FindInMap [Sizes, !Ref Stage, Mb]
      Environment:
        Variables: *vars
${extra}`;

  test('anchors, aliases, merge keys and every short tag: read, the handler is linked to its function', async () => {
    const dir = project({ 'good.mjs': GOOD, 'template.yaml': template() });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(findingOf(report, 'good.mjs')!.deployment).toMatchObject({ iac: 'sam', resource: 'DeleteFunction', timeoutS: 7, environment: expect.objectContaining({ TABLE: '!Ref Table', ARN: '!GetAtt Table.Arn' }) });
  });

  test('a template whose aliases expand without bound ("billion laughs"): a warning, memory stays bounded', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const laughs = `${levels.join('\n')}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: good.handler, Tags: *i }\n`;
    const dir = project({ 'good.mjs': GOOD, 'template.yaml': laughs });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(errorOf(report, 'template.yaml')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/aliases expand to over 1000000 values/) });
    expect(findingOf(report, 'good.mjs')).toMatchObject({ convertible: 'full' });
  });

  test('a 2 MB template: read, the handler linked', async () => {
    const filler = Array.from({ length: 20_000 }, (_, i) => `  Param${i}:\n    Type: AWS::SSM::Parameter\n    Properties: { Type: String, Value: '${'v'.repeat(40)}' }\n`).join('');
    const big = template(filler);
    expect(big.length).toBeGreaterThan(2_000_000);
    const dir = project({ 'good.mjs': GOOD, 'template.yaml': big });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(findingOf(report, 'good.mjs')!.deployment).toMatchObject({ resource: 'DeleteFunction' });
  });

  test('a template that does not parse, and one that is not UTF-8: a warning each, the scan goes on', async () => {
    const dir = project({
      'good.mjs': GOOD,
      'a/template.yaml': 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n   Properties: [\n',
      'b/template.yaml': Buffer.from([0x52, 0x65, 0x73, 0x3a, 0xff, 0xfe, 0x00]),
    });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(errorOf(report, 'a/template.yaml')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^infrastructure file could not be read: /) });
    expect(findingOf(report, 'good.mjs')).toMatchObject({ convertible: 'full' });
  });

  test('a serverless.yml whose variables cannot be resolved: read as written, no crash', async () => {
    const sls = `service: \${self:custom.missing.name}
provider:
  name: aws
  runtime: \${opt:runtime, 'nodejs20.x'}
  memorySize: \${ssm:/nowhere/memory}
  environment:
    TABLE: \${self:custom.tables.\${sls:stage}.name}
    FROM_FILE: \${file(./missing.yml):table}
    FROM_CF: \${cf:other-stack.TableName}
functions:
  delete:
    handler: good.handler
    timeout: \${env:NOPE}
    events:
      - http: { method: delete, path: '/items/{id}' }
`;
    const dir = project({ 'good.mjs': GOOD, 'serverless.yml': sls });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(findingOf(report, 'good.mjs')!.deployment).toMatchObject({ iac: 'serverless', resource: 'delete', environment: expect.objectContaining({ TABLE: expect.stringContaining('${self:custom.tables') }) });
  });

  test('a CDK app that does not type-check: read syntactically, the handler linked', async () => {
    const stack = `import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
export class Stack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const wrong: number = 'not a number';
    new NodejsFunction(this, 'Delete', { entry: 'good.mjs', handler: 'handler', runtime: lambda.Runtime.NODEJS_20_X, undefinedProp: missingName });
  }
}
`;
    const dir = project({ 'good.mjs': GOOD, 'cdk.json': '{ "app": "npx ts-node stack.ts" }', 'stack.ts': stack });
    const { code, report } = await scanJson(dir);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(findingOf(report, 'good.mjs')!.deployment).toMatchObject({ iac: 'cdk' });
  });
});

describe('scan never runs the code it scans', () => {
  const MARK = (dir: string, name: string) => `require('node:fs').writeFileSync(${JSON.stringify(join(dir, name))}, 'ran');\n`;

  test('handlers and the modules they import are read, never imported', async () => {
    const outside = project({});
    const dir = project({
      'handler.cjs': `${MARK(outside, 'handler-ran')}const helper = require('./helper.cjs');\n${GOOD.replace(/^import .*$/gm, '').replace('export const handler', 'exports.handler')}`,
      'helper.cjs': MARK(outside, 'helper-ran'),
    });
    await scanJson(dir);
    expect(existsSync(join(outside, 'handler-ran'))).toBe(false);
    expect(existsSync(join(outside, 'helper-ran'))).toBe(false);
  });

  test('a JavaScript configuration in the scanned tree outside the current repository is refused, not run; --config runs it', async () => {
    const marker = project({});
    const scanned = project({ 'good.mjs': GOOD, 'lambda2sfn.config.js': `${MARK(marker, 'config-ran')}module.exports = {};\n` });
    const elsewhere = project({ '.git/HEAD': '' });
    const refused = await cli(['scan', scanned, '--format', 'json'], elsewhere);
    expect(refused).toMatchObject({ code: 2, out: '' });
    expect(refused.err).toMatch(/^lambda2sfn: found the JavaScript configuration .*lambda2sfn\.config\.js outside the repository lambda2sfn runs in \(.*\); scan does not run code from the tree it scans: pass --config .* to use it anyway\n$/);
    expect(existsSync(join(marker, 'config-ran'))).toBe(false);

    const named = await cli(['scan', scanned, '--format', 'json', '--config', join(scanned, 'lambda2sfn.config.js')], elsewhere);
    expect(named.code).toBe(0);
    expect(existsSync(join(marker, 'config-ran'))).toBe(true);
  });

  test('a JavaScript configuration of the repository lambda2sfn runs in is loaded', async () => {
    const marker = project({});
    const repo = project({ '.git/HEAD': '', 'svc/good.mjs': GOOD, 'lambda2sfn.config.js': `${MARK(marker, 'config-ran')}module.exports = {};\n` });
    const { code } = await scanJson(join(repo, 'svc'), ['.']);
    expect(code).toBe(0);
    expect(existsSync(join(marker, 'config-ran'))).toBe(true);
  });
});
