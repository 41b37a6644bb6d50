// Reading infrastructure: each fixture project's deployment file, linked to its handler (Finding.deployment).
// Expected values are read off the fixture files by hand (line numbers are the lines of the resource keys).
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { parseCfnYaml, toCfnJson } from '../src/infra/cfnYaml.js';
import { scanProject } from '../src/scan/scanProject.js';

const projects = resolve('fixtures/projects');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-infra-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  await db.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.pathParameters.id } }));
  return { statusCode: 204, body: '' };
};
`;

describe('CloudFormation YAML tags', () => {
  test('short tags read as the long form', () => {
    const { doc } = parseCfnYaml('A: !Ref T\nB: !GetAtt T.Arn\nC: !Sub "x-${T}"\nD: !Join ["", [a, !Ref T]]\nE: !If [C, 1, 2]\n');
    expect(toCfnJson(doc.contents)).toEqual({
      A: { Ref: 'T' },
      B: { 'Fn::GetAtt': ['T', 'Arn'] },
      C: { 'Fn::Sub': 'x-${T}' },
      D: { 'Fn::Join': ['', ['a', { Ref: 'T' }]] },
      E: { 'Fn::If': ['C', 1, 2] },
    });
  });
});

describe('infrastructure reading', () => {
  test('SAM: Globals merged under the function, esbuild entry point linked, API event', async () => {
    const report = await scanProject(['.'], { cwd: join(projects, 'sam') });
    // The template deploys health.handler too: a handler, reported without DynamoDB as nothing to convert.
    expect(report.findings.map((f) => [f.file, f.convertible])).toEqual([['src/handlers/getItem.ts', 'full'], ['src/handlers/health.ts', 'none']]);
    expect(report.findings[0]!.deployment).toEqual({
      iac: 'sam',
      file: 'template.yaml',
      resource: 'GetItemFunction',
      line: 24,
      memoryMb: 512,
      timeoutS: 10,
      architecture: 'arm64',
      environment: { ITEMS_TABLE: '!Ref ItemsTable' },
      routes: [{ api: 'rest', method: 'GET', path: '/items/{id}' }],
      eventSource: 'apigw-rest',
    });
  });

  test('Serverless Framework: provider defaults, function environment, http event path', async () => {
    const report = await scanProject(['.'], { cwd: join(projects, 'serverless') });
    expect(report.findings[0]!.deployment).toEqual({
      iac: 'serverless',
      file: 'serverless.yml',
      resource: 'getItem',
      line: 19,
      memoryMb: 256,
      timeoutS: 6,
      architecture: 'arm64',
      environment: { ITEMS_TABLE: '!Ref ItemsTable' },
      routes: [{ api: 'rest', method: 'GET', path: '/items/{id}' }],
      eventSource: 'apigw-rest',
    });
  });

  test('CDK: NodejsFunction entry through path.join(__dirname), Duration, Architecture, addResource chain', async () => {
    const report = await scanProject(['.'], { cwd: join(projects, 'cdk') });
    expect(report.findings[0]!.deployment).toEqual({
      iac: 'cdk',
      file: 'lib/items-stack.ts',
      resource: 'GetItemFunction',
      line: 18,
      memoryMb: 1024,
      timeoutS: 5,
      architecture: 'arm64',
      environment: { ITEMS_TABLE: 'table.tableName' },
      routes: [{ api: 'rest', method: 'GET', path: '/items/{id}' }],
    });
  });

  test('no infrastructure: no deployment', async () => {
    const report = await scanProject(['.'], { cwd: join(projects, 'no-iac') });
    expect(report.findings[0]!.convertible).toBe('full');
    expect(report.findings[0]!.deployment).toBeUndefined();
  });

  test('CloudFormation JSON with AWS::Lambda::Function and a local Code path; HttpApi on a Serverless function', async () => {
    const dir = project({
      'fns/del.js': HANDLER,
      'api/remove.mjs': HANDLER,
      'template.json': JSON.stringify(
        {
          Resources: {
            Del: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'del.handler', Code: 'fns', MemorySize: 256, Architectures: ['x86_64'], Environment: { Variables: { TABLE: { 'Fn::ImportValue': 'T' } } } } },
          },
        },
        null,
        2,
      ),
      'sub/template.yml': 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Remove:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ../api\n      Handler: remove.handler\n      Events:\n        R:\n          Type: HttpApi\n          Properties:\n            Path: /things/{id}\n            Method: DELETE\n',
    });
    const report = await scanProject(['.'], { cwd: dir });
    expect(report.errors).toEqual([]);
    const byFile = Object.fromEntries(report.findings.map((f) => [f.file, f.deployment]));
    // Unset sizing is Lambda's default (128 MB, 3 s, x86_64), and says so in `defaults`.
    expect(byFile['fns/del.js']).toEqual({ iac: 'sam', file: 'template.json', resource: 'Del', line: 3, memoryMb: 256, timeoutS: 3, architecture: 'x86_64', defaults: ['timeoutS'], environment: { TABLE: '!ImportValue "T"' } });
    expect(byFile['api/remove.mjs']).toEqual({
      iac: 'sam',
      file: 'sub/template.yml',
      resource: 'Remove',
      line: 3,
      memoryMb: 128,
      timeoutS: 3,
      architecture: 'x86_64',
      defaults: ['memoryMb', 'timeoutS', 'architecture'],
      routes: [{ api: 'http', method: 'DELETE', path: '/things/{id}' }],
      eventSource: 'apigw-http',
    });
  });

  test('a repeated key reads as CloudFormation deploys it: the last one wins, no error', async () => {
    const dir = project({
      'h.js': HANDLER,
      'template.yaml': [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      CodeUri: .',
        '      Handler: h.handler',
        '      MemorySize: 256',
        '      MemorySize: 1024',
        '      Environment: { Variables: { TABLE: first } }',
        '      Environment:',
        '        Variables: { TABLE: !Ref Orders }',
        '',
      ].join('\n'),
    });
    const report = await scanProject(['.'], { cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.findings[0]!.deployment).toMatchObject({ resource: 'Fn', line: 3, memoryMb: 1024, environment: { TABLE: '!Ref Orders' } });
  });

  test('a flow map indented less than strict YAML wants reads as PyYAML (the AWS CLI, cfn-lint) reads it', async () => {
    const dir = project({
      'h.js': HANDLER,
      'template.yaml': [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties: {',
        '      CodeUri: ., Handler: h.handler, MemorySize: 512,',
        '      Environment: { Variables: { TABLE: !Ref Orders,',
        '  OTHER: !GetAtt Orders.Arn } }',
        '}',
        '',
      ].join('\n'),
    });
    const report = await scanProject(['.'], { cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.findings[0]!.deployment).toMatchObject({ iac: 'sam', resource: 'Fn', memoryMb: 512, environment: { TABLE: '!Ref Orders', OTHER: '!GetAtt Orders.Arn' } });
  });

  test('a template that does not parse is an error entry, not a crash', async () => {
    const dir = project({ 'h.js': HANDLER, 'template.yaml': 'Resources:\n  A:\n    Type: AWS::Serverless::Function\n    Properties: [unclosed\n' });
    const report = await scanProject(['.'], { cwd: dir });
    expect(report.findings).toHaveLength(1);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]!.file).toBe('template.yaml');
    expect(report.errors[0]!.message).toMatch(/^infrastructure file could not be read: /);
  });
});

describe('handler strings', () => {
  test('split as the Node.js runtime does: at the first dot of the file name', async () => {
    const { splitHandler } = await import('../src/infra/paths.js');
    expect(splitHandler('src/handlers/get.handler')).toEqual({ module: 'src/handlers/get', exportName: 'handler' });
    expect(splitHandler('index.nested.handler')).toEqual({ module: 'index', exportName: 'nested.handler' });
    expect(splitHandler('v1.2/app.main')).toEqual({ module: 'v1.2/app', exportName: 'main' });
  });
});

describe('tool defaults', () => {
  test('Serverless Framework: 1024 MB and 6 s when neither provider nor function sets them; a value that is not a number is left out, not defaulted', async () => {
    const dir = project({ 'h.js': HANDLER, 'serverless.yml': 'service: s\nprovider:\n  name: aws\n  memorySize: ${param:memory}\nfunctions:\n  h:\n    handler: h.handler\n' });
    const report = await scanProject(['.'], { cwd: dir });
    expect(report.findings[0]!.deployment).toEqual({ iac: 'serverless', file: 'serverless.yml', resource: 'h', line: 6, timeoutS: 6, architecture: 'x86_64', defaults: ['timeoutS', 'architecture'] });
  });
});

describe('CDK apps', () => {
  test('compiled .js beside its .ts source is not read twice', async () => {
    const stack = readFileSync(join(projects, 'cdk/lib/items-stack.ts'), 'utf8');
    const dir = project({
      'cdk.json': '{}',
      'lib/items-stack.ts': stack,
      // What tsc would leave next to it (CommonJS output, same construct).
      'lib/items-stack.js': stack.replace("import type { Construct } from 'constructs';\n", '').replace(', type StackProps', '').replace(/\??: [A-Za-z]+(?=[,)])/g, ''),
      'src/handlers/getItem.ts': readFileSync(join(projects, 'cdk/src/handlers/getItem.ts'), 'utf8'),
      'lambda2sfn.config.json': readFileSync(join(projects, 'cdk/lambda2sfn.config.json'), 'utf8'),
    });
    const report = await scanProject(['.'], { cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.file, f.deployment?.file, f.assumptions.filter((a) => /deployed by/.test(a.message)).length])).toEqual([['src/handlers/getItem.ts', 'lib/items-stack.ts', 0]]);
  });
});
