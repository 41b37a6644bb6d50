// Proposals and apply on temporary copies of the fixture projects (each a fresh git repository):
// golden diffs (read line by line when accepted), `git apply --check` on every emitted patch, and apply's safety rules.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { Ajv } from 'ajv';
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { run } from '../src/cli.js';
import { runApply } from '../src/commands/apply.js';
import { parseCfnYaml, toCfnJson } from '../src/infra/cfnYaml.js';
import { parseSource } from '../src/parse/parseSource.js';
import type { ScanReport } from '../src/report/types.js';

const projects = resolve('fixtures/projects');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A copy of a fixture project in a new git repository with everything committed. */
function copyProject(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `l2s-apply-${name}-`));
  dirs.push(dir);
  cpSync(join(projects, name), dir, { recursive: true, filter: (src) => !src.endsWith('expected.diff') });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'fixture');
  return dir;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['node', 'lambda2sfn', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd, env: {} });
  return { code, out, err };
}

/** Every file's content and mtime (outside .git). */
function snapshot(dir: string): Record<string, { text: string; mtimeMs: number }> {
  const out: Record<string, { text: string; mtimeMs: number }> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = { text: readFileSync(p, 'utf8'), mtimeMs: statSync(p).mtimeMs };
    }
  };
  walk(dir);
  return out;
}

/** Each resource's source text, by logical id. */
function resourceTexts(text: string): Record<string, string> {
  const { doc } = parseCfnYaml(text);
  const res = doc.get('Resources', true) as YAMLMap;
  expect(isMap(res)).toBe(true);
  const out: Record<string, string> = {};
  for (const p of res.items) {
    const key = p.key as { value: string; range: [number, number, number] };
    const value = p.value as { range: [number, number, number] };
    if (isScalar(p.key)) out[String(key.value)] = text.slice(key.range[0], value.range[1]).trimEnd();
  }
  return out;
}

// The CloudFormation structure the SAM proposal must produce (checked with ajv: cfn-lint on npm is unmaintained, see the report).
const samStructure = {
  type: 'object',
  required: ['Resources'],
  properties: {
    Resources: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['Type'],
        properties: { Type: { type: 'string', pattern: '^AWS::' }, Properties: { type: 'object' } },
      },
    },
  },
};
const stateMachineSchema = {
  type: 'object',
  required: ['Type', 'Properties'],
  properties: {
    Type: { const: 'AWS::Serverless::StateMachine' },
    Properties: {
      type: 'object',
      required: ['Type', 'DefinitionUri', 'Policies', 'Logging'],
      properties: {
        Type: { enum: ['EXPRESS', 'STANDARD'] },
        DefinitionUri: { type: 'string' },
        DefinitionSubstitutions: { type: 'object', additionalProperties: { type: ['string', 'object'] } },
        Policies: { type: 'array', minItems: 1 },
        Logging: { type: 'object', required: ['Level', 'Destinations'] },
      },
    },
  },
};

describe('proposals', () => {
  for (const name of ['sam', 'serverless', 'cdk', 'no-iac', 'sam-sqs-pipe']) {
    test(`${name}: the diff is the golden one and git apply --check accepts it`, async () => {
      const { code, out } = await cli(['scan', '.', '--json', '--diff'], join(projects, name));
      expect(code).toBe(0);
      const report = JSON.parse(out) as ScanReport;
      const diff = report.findings.map((f) => f.diff ?? '').join('');
      expect(diff).toBe(readFileSync(join(projects, name, 'expected.diff'), 'utf8'));
      const dir = copyProject(name);
      writeFileSync(join(dir, '..', `${name}-${process.pid}.diff`), diff);
      expect(() => git(dir, 'apply', '--check', join(dir, '..', `${name}-${process.pid}.diff`))).not.toThrow();
      rmSync(join(dir, '..', `${name}-${process.pid}.diff`));
    });
  }

  test('--iac none proposes the ASL file alone; --iac naming another tool is a conflict', async () => {
    const none = JSON.parse((await cli(['scan', '.', '--json', '--diff', '--iac', 'none'], join(projects, 'sam'))).out) as ScanReport;
    expect(none.findings[0]!.proposal!.files).toEqual([{ path: 'statemachine/get-item.asl.json', action: 'add' }]);
    const cdk = JSON.parse((await cli(['scan', '.', '--json', '--diff', '--iac', 'cdk'], join(projects, 'sam'))).out) as ScanReport;
    expect(cdk.findings[0]!.proposal!.conflicts).toEqual(['--iac cdk: no cdk resource deploys src/handlers/getItem.ts (handler)']);
    expect(cdk.findings[0]!.diff).toBe('');
  });

  test('scan --write puts ASL, snippet, patch and notes under the folder and leaves the project untouched', async () => {
    const dir = copyProject('sam');
    const out = mkdtempSync(join(tmpdir(), 'l2s-write-'));
    dirs.push(out);
    const before = snapshot(dir);
    const r = await cli(['scan', '.', '--write', out], dir);
    expect(r.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(join(out, 'get-item')).sort()).toEqual(['NOTES.md', 'get-item.asl.json', 'get-item.diff', 'infrastructure.yaml']);
    expect(() => git(dir, 'apply', '--check', join(out, 'get-item', 'get-item.diff'))).not.toThrow();
    expect(JSON.parse(readFileSync(join(out, 'get-item', 'get-item.asl.json'), 'utf8')).StartAt).toBe('Init');
  });
});

describe('apply', () => {
  test('SAM: the template parses, references the ASL file, no longer defines the function, keeps every other resource byte-for-byte; a second apply changes nothing', async () => {
    const dir = copyProject('sam');
    const templateBefore = readFileSync(join(dir, 'template.yaml'), 'utf8');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^deleted src\/handlers\/getItem\.ts\nadded statemachine\/get-item\.asl\.json\nchanged template\.yaml\n/);
    const after = readFileSync(join(dir, 'template.yaml'), 'utf8');
    const data = toCfnJson(parseCfnYaml(after).doc.contents) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const ajv = new Ajv({ strict: false });
    expect(ajv.validate(samStructure, data)).toBe(true);
    expect(ajv.validate(stateMachineSchema, data.Resources['GetItemStateMachine'])).toBe(true);
    expect(data.Resources['GetItemStateMachine']!.Properties['DefinitionUri']).toBe('statemachine/get-item.asl.json');
    expect(data.Resources['GetItemStateMachine']!.Properties['DefinitionSubstitutions']).toEqual({ ItemsTable: { Ref: 'ItemsTable' } });
    expect(data.Resources['GetItemStateMachine']!.Properties['Policies']).toEqual([{ DynamoDBReadPolicy: { TableName: { Ref: 'ItemsTable' } } }]);
    expect(existsSync(join(dir, 'statemachine/get-item.asl.json'))).toBe(true);
    expect(data.Resources['GetItemFunction']).toBeUndefined();
    expect(existsSync(join(dir, 'src/handlers/getItem.ts'))).toBe(false);
    const oldTexts = resourceTexts(templateBefore);
    const newTexts = resourceTexts(after);
    for (const id of ['ItemsTable', 'HealthFunction']) expect(newTexts[id]).toBe(oldTexts[id]);
    // Outside Resources too: everything before Resources and the Outputs section are unchanged.
    expect(after.slice(0, after.indexOf('Resources:'))).toBe(templateBefore.slice(0, templateBefore.indexOf('Resources:')));
    expect(after.slice(after.indexOf('\nOutputs:'))).toBe(templateBefore.slice(templateBefore.indexOf('\nOutputs:')));

    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'applied');
    const snap = snapshot(dir);
    const second = await cli(['apply', '--yes'], dir);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/nothing to apply/);
    expect(snapshot(dir)).toEqual(snap);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('no infrastructure: adds the ASL file only and keeps the handler; a second apply changes nothing', async () => {
    const dir = copyProject('no-iac');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^added statemachine\/get-item\.asl\.json\n/);
    expect(existsSync(join(dir, 'src/getItem.ts'))).toBe(true);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'applied');
    const snap = snapshot(dir);
    expect((await cli(['apply', '--yes'], dir)).out).toMatch(/nothing to apply/);
    expect(snapshot(dir)).toEqual(snap);
  });

  test('a handler file another module imports is kept: only its export is removed', async () => {
    const dir = copyProject('sam');
    writeFileSync(join(dir, 'src/handlers/reuse.ts'), "import { handler } from './getItem.js';\nexport const again = handler;\n");
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'importer');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/changed src\/handlers\/getItem\.ts/);
    const text = readFileSync(join(dir, 'src/handlers/getItem.ts'), 'utf8');
    expect(text).not.toMatch(/export const handler/);
    expect(text).toMatch(/^import type \{ APIGatewayProxyEvent/);
  });

  const refusals: Array<[string, (dir: string) => void, RegExp]> = [
    ['a dirty tree', (dir) => writeFileSync(join(dir, 'src/handlers/health.ts'), '// edited\n', { flag: 'a' }), /uncommitted changes/],
    [
      'a template that does not parse',
      (dir) => {
        writeFileSync(join(dir, 'template.yaml'), readFileSync(join(dir, 'template.yaml'), 'utf8').replace('Handler: handlers/health.handler', 'Handler: [handlers/health.handler'));
        git(dir, 'commit', '-qam', 'broken');
      },
      /nothing applied: template\.yaml/,
    ],
    [
      'a conflicting ASL file',
      (dir) => {
        mkdirSync(join(dir, 'statemachine'));
        writeFileSync(join(dir, 'statemachine/get-item.asl.json'), '{}\n');
        git(dir, 'add', '-A');
        git(dir, 'commit', '-qm', 'conflict');
      },
      /statemachine\/get-item\.asl\.json already exists with other content/,
    ],
  ];
  for (const [what, prepare, message] of refusals) {
    test(`refuses ${what} and leaves every file untouched (content and mtime)`, async () => {
      const dir = copyProject('sam');
      prepare(dir);
      const snap = snapshot(dir);
      const r = await cli(['apply', '--yes'], dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(snapshot(dir)).toEqual(snap);
    });
  }

  test('on a terminal it shows the diff and asks; "no" writes nothing, "yes" applies', async () => {
    const dir = copyProject('sam');
    const snap = snapshot(dir);
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: () => undefined, isTTY: true, cwd: dir, env: {} };
    const asked: string[] = [];
    expect(await runApply(['.'], { confirm: async (q) => (asked.push(q), false) }, io)).toBe(0);
    expect(asked).toEqual(['Apply these changes to 3 files? [y/N] ']);
    expect(out).toMatch(/^diff --git a\/src\/handlers\/getItem\.ts b\/src\/handlers\/getItem\.ts\ndeleted file mode/);
    expect(out).toMatch(/nothing applied\n$/);
    expect(snapshot(dir)).toEqual(snap);
    out = '';
    expect(await runApply(['.'], { confirm: async () => true }, io)).toBe(0);
    expect(out).toMatch(/added statemachine\/get-item\.asl\.json/);
    expect(existsSync(join(dir, 'src/handlers/getItem.ts'))).toBe(false);
  });

  test('a write that fails midway restores the files already written', async () => {
    const dir = copyProject('sam');
    // A file where the ASL folder must go: the handler is deleted first (paths in order), then creating statemachine/ fails.
    writeFileSync(join(dir, 'statemachine'), 'not a folder\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'blocker');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nothing applied: writing failed .*the files already written were restored/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('refuses without --yes when there is no terminal', async () => {
    const dir = copyProject('sam');
    const snap = snapshot(dir);
    const r = await cli(['apply'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/pass --yes/);
    expect(snapshot(dir)).toEqual(snap);
  });

  test('Serverless: the function leaves `functions`, the state machine joins `stepFunctions` with the plugin; everything else stays byte-for-byte; a second apply changes nothing', async () => {
    const dir = copyProject('serverless');
    const before = readFileSync(join(dir, 'serverless.yml'), 'utf8');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^changed serverless\.yml\ndeleted src\/handlers\/getItem\.ts\n/);
    const after = readFileSync(join(dir, 'serverless.yml'), 'utf8');
    const data = toCfnJson(parseCfnYaml(after).doc.contents) as Record<string, Record<string, unknown>>;
    expect(Object.keys(data['functions']!)).toEqual(['health']);
    expect(data['plugins']).toEqual(['serverless-step-functions']);
    const machine = (data['stepFunctions']!['stateMachines'] as Record<string, Record<string, unknown>>)['GetItemStateMachine']!;
    expect(machine['type']).toBe('EXPRESS');
    // The plugin has no DefinitionSubstitutions: the table name is the intrinsic itself.
    expect((machine['definition'] as { States: Record<string, { Parameters?: Record<string, unknown> }> }).States['GetItem']!.Parameters!['TableName']).toEqual({ Ref: 'ItemsTable' });
    expect((machine['events'] as Array<{ http: Record<string, unknown> }>)[0]!.http).toMatchObject({ path: 'items/{id}', method: 'get', action: 'StartSyncExecution' });
    // No ${…} anywhere in what was added: Serverless would resolve it as one of its variables.
    expect(before.includes('${')).toBe(false);
    expect(after.includes('${')).toBe(false);
    // Untouched parts, byte for byte: everything up to `functions:`, the health function, the table.
    expect(after.slice(0, after.indexOf('functions:'))).toBe(before.slice(0, before.indexOf('functions:')));
    const block = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
    expect(block(after, '  health:', '\nresources:')).toBe(block(before, '  health:', '\nresources:'));
    expect(block(after, '    ItemsTable:', 'KeyType: HASH')).toBe(block(before, '    ItemsTable:', 'KeyType: HASH'));

    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'applied');
    const snap = snapshot(dir);
    expect((await cli(['apply', '--yes'], dir)).out).toMatch(/nothing to apply/);
    expect(snapshot(dir)).toEqual(snap);
  });

  test('Serverless: converting the only function removes the `functions` key with it', async () => {
    const dir = copyProject('serverless');
    const text = readFileSync(join(dir, 'serverless.yml'), 'utf8');
    const withoutHealth = text.replace("  health:\n    handler: src/handlers/health.handler\n    events:\n      - httpApi: 'GET /health'\n", '');
    expect(withoutHealth).not.toBe(text);
    writeFileSync(join(dir, 'serverless.yml'), withoutHealth);
    git(dir, 'commit', '-qam', 'one function');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(0);
    const data = toCfnJson(parseCfnYaml(readFileSync(join(dir, 'serverless.yml'), 'utf8')).doc.contents) as Record<string, unknown>;
    expect('functions' in data).toBe(false);
    expect(Object.keys(data)).toEqual(['service', 'frameworkVersion', 'provider', 'resources', 'plugins', 'stepFunctions']);
  });

  test('CDK: the function construct becomes a state machine from the ASL file, its LambdaIntegration the StartSyncExecution integration; other code stays byte-for-byte; a second apply changes nothing', async () => {
    const dir = copyProject('cdk');
    const before = readFileSync(join(dir, 'lib/items-stack.ts'), 'utf8');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^changed lib\/items-stack\.ts\ndeleted src\/handlers\/getItem\.ts\nadded statemachine\/get-item\.asl\.json\n/);
    const after = readFileSync(join(dir, 'lib/items-stack.ts'), 'utf8');
    expect(parseSource(after, 'items-stack.ts').ok).toBe(true);
    expect(after).not.toMatch(/NodejsFunction|'GetItemFunction'|getItemFn/);
    expect(after).toContain("sfn.DefinitionBody.fromFile(path.join(__dirname, '../statemachine/get-item.asl.json'))");
    expect(after).toContain('stateMachineType: sfn.StateMachineType.EXPRESS');
    expect(after).toContain('definitionSubstitutions: { ItemsTable: table.tableName }');
    expect(after).toContain('table.grantReadData(getItemStateMachine);');
    expect(after).toContain("item.addMethod('GET', getItemStateMachineIntegration, { methodResponses: [{ statusCode: '200' }] });");
    expect(existsSync(join(dir, 'statemachine/get-item.asl.json'))).toBe(true);
    // Untouched code, byte for byte: the table, the health function and its route.
    const block = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)) + to.length);
    expect(block(after, 'const table =', '});')).toBe(block(before, 'const table =', '});'));
    expect(block(after, 'const healthFn =', '});')).toBe(block(before, 'const healthFn =', '});'));
    expect(block(after, "    const api =", '\n  }\n}\n')).toBe(block(before, "    const api =", '\n  }\n}\n').replace('new apigateway.LambdaIntegration(getItemFn))', "getItemStateMachineIntegration, { methodResponses: [{ statusCode: '200' }] })"));

    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'applied');
    const snap = snapshot(dir);
    expect((await cli(['apply', '--yes'], dir)).out).toMatch(/nothing to apply/);
    expect(snapshot(dir)).toEqual(snap);
  });

  test('CDK: a use of the function this proposal does not rewrite is a conflict; apply writes nothing', async () => {
    const dir = copyProject('cdk');
    const stack = readFileSync(join(dir, 'lib/items-stack.ts'), 'utf8');
    writeFileSync(join(dir, 'lib/items-stack.ts'), stack.replace('    table.grantReadData(getItemFn);\n', '    table.grantReadData(getItemFn);\n    console.log(getItemFn.functionName);\n'));
    git(dir, 'commit', '-qam', 'another use');
    const snap = snapshot(dir);
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/getItemFn is used at lib\/items-stack\.ts:28 in a way this proposal does not rewrite/);
    expect(snapshot(dir)).toEqual(snap);
  });
});

describe('SAM proposals in special cases', () => {
  test('a JSON template laid out as JSON.stringify writes it is rewritten; any other layout is a conflict', async () => {
    const dir = copyProject('sam');
    const template = toCfnJson(parseCfnYaml(readFileSync(join(dir, 'template.yaml'), 'utf8')).doc.contents) as { Resources: Record<string, unknown> };
    rmSync(join(dir, 'template.yaml'));
    writeFileSync(join(dir, 'template.json'), JSON.stringify(template, null, 2) + '\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'json');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const after = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(after.Resources['GetItemFunction']).toBeUndefined();
    expect(after.Resources['GetItemStateMachine']!.Properties['DefinitionUri']).toBe('statemachine/get-item.asl.json');
    for (const id of ['ItemsTable', 'HealthFunction']) expect(after.Resources[id]).toEqual(template.Resources[id]);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'applied');
    expect((await cli(['apply', '--yes'], dir)).out).toMatch(/nothing to apply/);

    const other = copyProject('sam');
    rmSync(join(other, 'template.yaml'));
    writeFileSync(join(other, 'template.json'), JSON.stringify(template));
    git(other, 'add', '-A');
    git(other, 'commit', '-qm', 'json on one line');
    const snap = snapshot(other);
    const refused = await cli(['apply', '--yes'], other);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/template\.json is not laid out as JSON\.stringify/);
    expect(snapshot(other)).toEqual(snap);
  });

  test('two functions in one template: one shared API gets both routes, its role both state machines', async () => {
    const dir = copyProject('sam');
    const text = readFileSync(join(dir, 'template.yaml'), 'utf8');
    const block = text.slice(text.indexOf('  GetItemFunction:'), text.indexOf('  HealthFunction:'));
    const other = block.replaceAll('GetItemFunction', 'GetOtherFunction').replaceAll('getItem', 'getOther').replace('GetItem:', 'GetOther:').replace('/items/{id}', '/items/{id}/other');
    writeFileSync(join(dir, 'template.yaml'), text.replace('  HealthFunction:', other + '  HealthFunction:'));
    cpSync(join(dir, 'src/handlers/getItem.ts'), join(dir, 'src/handlers/getOther.ts'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'second function');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // any: the assertions below walk deep into parsed template data.
    const data = toCfnJson(parseCfnYaml(readFileSync(join(dir, 'template.yaml'), 'utf8')).doc.contents) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
    expect(Object.keys(data.Resources).sort()).toEqual(
      ['GetItemStateMachine', 'GetItemStateMachineLogs', 'GetOtherStateMachine', 'GetOtherStateMachineLogs', 'HealthFunction', 'ItemsTable', 'StateMachinesApi', 'StateMachinesApiRole'].sort(),
    );
    const paths = data.Resources['StateMachinesApi']!.Properties['DefinitionBody'].paths;
    expect(Object.keys(paths)).toEqual(['/items/{id}', '/items/{id}/other']);
    expect(paths['/items/{id}/other'].get['x-amazon-apigateway-integration'].requestTemplates['application/json']['Fn::Sub'][1]).toEqual({ StateMachineArn: { Ref: 'GetOtherStateMachine' } });
    expect(data.Resources['StateMachinesApiRole']!.Properties['Policies'][0].PolicyDocument.Statement[0].Resource).toEqual([{ Ref: 'GetItemStateMachine' }, { Ref: 'GetOtherStateMachine' }]);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'applied');
    expect((await cli(['apply', '--yes'], dir)).out).toMatch(/nothing to apply/);
  });

  test('partial (a route stays in the handler): the function is kept without its API event, invoked through ${OriginalHandlerArn}; apply leaves it alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-partial-'));
    dirs.push(dir);
    cpSync(resolve('fixtures/cases/route-switch-partial-fallback/handler.mjs'), join(dir, 'handler.mjs'));
    writeFileSync(join(dir, 'lambda2sfn.config.json'), JSON.stringify({ tables: { LINKS_TABLE: { code: 'S', url: 'S' } } }));
    const template = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  LinksTable:',
      '    Type: AWS::Serverless::SimpleTable',
      '  LinksFunction:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: handler.handler',
      '      Runtime: nodejs20.x',
      '      Environment:',
      '        Variables:',
      '          LINKS_TABLE: !Ref LinksTable',
      '      Events:',
      '        Any:',
      '          Type: Api',
      '          Properties:',
      '            Path: /links/{code}',
      '            Method: any',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'template.yaml'), template);
    // JSONPath keeps Date.now() in a small Lambda (JSONata would not need one): the case this test is about.
    const { out } = await cli(['scan', '.', '--json', '--diff', '--query-language', 'jsonpath'], dir);
    const f = (JSON.parse(out) as ScanReport).findings[0]!;
    expect(f.convertible).toBe('partial');
    expect(f.proposal!.conflicts).toEqual([]);
    expect(f.proposal!.files).toEqual([
      { path: 'statemachine/links.asl.json', action: 'add' },
      { path: 'template.yaml', action: 'change' },
    ]);
    // The template after the patch: apply it on a git copy and read it back.
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'fixture');
    writeFileSync(join(dir, '..', `partial-${process.pid}.diff`), f.diff!);
    git(dir, 'apply', join(dir, '..', `partial-${process.pid}.diff`));
    rmSync(join(dir, '..', `partial-${process.pid}.diff`));
    const data = toCfnJson(parseCfnYaml(readFileSync(join(dir, 'template.yaml'), 'utf8')).doc.contents) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(data.Resources['LinksFunction']!.Properties['Events']).toBeUndefined();
    expect(data.Resources['LinksFunction']!.Properties['Handler']).toBe('handler.handler');
    const sm = data.Resources['LinksStateMachine']!.Properties;
    expect(sm['DefinitionSubstitutions']).toEqual({ LinksTable: { Ref: 'LinksTable' }, OriginalHandlerArn: { 'Fn::GetAtt': ['LinksFunction', 'Arn'] } });
    // GetItem + DeleteItem fit neither the read nor the write policy template: exact actions on the table instead.
    expect(sm['Policies']).toEqual([
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem'],
            Resource: [
              { 'Fn::Sub': ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}', { TableName: { Ref: 'LinksTable' } }] },
              { 'Fn::Sub': ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*', { TableName: { Ref: 'LinksTable' } }] },
            ],
          },
        ],
      },
      { LambdaInvokePolicy: { FunctionName: { Ref: 'LinksFunction' } } },
    ]);
    git(dir, 'checkout', '--', '.');
    git(dir, 'clean', '-fdq');
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/nothing to apply/);
  });

  test('partial with kept code: the function stays as the residual Lambda with a dot-free module name the runtime can load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-residual-'));
    dirs.push(dir);
    cpSync(resolve('rules/intrinsic-timestamp/fixtures/date-now-epoch/src'), join(dir, 'src'), { recursive: true });
    writeFileSync(
      join(dir, 'template.yaml'),
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  UsersTable:\n    Type: AWS::Serverless::SimpleTable\n  TouchFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: touch.handler\n      Environment:\n        Variables:\n          USERS_TABLE: !Ref UsersTable\n      Events:\n        Touch:\n          Type: Api\n          Properties:\n            Path: /users/{id}/touch\n            Method: post\n',
    );
    // JSONPath keeps Date.now() in a small Lambda (JSONata would not need one): the case this test is about.
    const { out } = await cli(['scan', '.', '--json', '--diff', '--query-language', 'jsonpath'], dir);
    const f = (JSON.parse(out) as ScanReport).findings[0]!;
    expect(f.convertible).toBe('partial');
    expect(f.stateMachine!.residual!.file).toBe('src/touch.handler.kept.mjs');
    expect(f.proposal!.conflicts).toEqual([]);
    expect(f.proposal!.files).toEqual([
      { path: 'statemachine/touch.asl.json', action: 'add' },
      { path: 'template.yaml', action: 'change' },
      { path: 'src/touch-handler-kept.mjs', action: 'add' },
    ]);
    expect(f.diff).toContain('-      Handler: touch.handler\n+      Handler: touch-handler-kept.handler\n');
    expect(f.diff).toContain('+        ResidualFunctionArn: !GetAtt TouchFunction.Arn\n');
  });

  test('an Outputs reference to the implicit API whose last route moves is a conflict: apply refuses', async () => {
    const dir = copyProject('sam');
    const text = readFileSync(join(dir, 'template.yaml'), 'utf8');
    const withoutHealthEvents = text.replace('      Handler: handlers/health.handler\n      Events:\n        Health:\n          Type: Api\n          Properties:\n            Path: /health\n            Method: get\n', '      Handler: handlers/health.handler\n');
    expect(withoutHealthEvents).not.toBe(text);
    writeFileSync(join(dir, 'template.yaml'), withoutHealthEvents);
    git(dir, 'commit', '-qam', 'no health route');
    const snap = snapshot(dir);
    const r = await cli(['apply', '--yes'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/does not validate: ServerlessRestApi is referenced but not defined/);
    expect(snapshot(dir)).toEqual(snap);
  });
});
