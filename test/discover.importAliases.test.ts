// Non-relative imports of the project's own files: tsconfig/jsconfig `paths` and package.json `file:` dependencies.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImportAliases } from '../src/discover/importAliases.js';
import { selectCandidates } from '../src/discover/prefilter.js';
import { scanProject } from '../src/scan/scanProject.js';

let tmp: string;
beforeEach(() => {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'l2s-aliases-')));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function tree(files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(tmp, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
const at = (rel: string): string => path.join(tmp, ...rel.split('/'));

describe('ImportAliases', () => {
  test('tsconfig paths with a baseUrl, and relative paths without one (TypeScript 4.1+)', () => {
    tree({
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@libs/*": ["src/libs/*"], "~db": ["src/db/index.ts"] } } }',
      'pkg/tsconfig.json': '{ // a comment, as tsconfig files allow\n "compilerOptions": { "paths": { "#store/*": ["./store/*"] } } }',
    });
    const aliases = new ImportAliases();
    expect(aliases.basesOf(at('src/functions/a/handler.ts'), '@libs/plans')).toEqual([at('src/libs/plans')]);
    expect(aliases.basesOf(at('src/functions/a/handler.ts'), '~db')).toEqual([at('src/db/index.ts')]);
    expect(aliases.basesOf(at('pkg/handler.ts'), '#store/orders')).toEqual([at('pkg/store/orders')]);
    // The nearest tsconfig decides: pkg/ has no @libs alias.
    expect(aliases.basesOf(at('pkg/handler.ts'), '@libs/plans')).toEqual([]);
  });

  test('a file: or link: dependency names a folder (its main, or a path inside it); registry packages, tarballs and relative specifiers name nothing', () => {
    tree({
      'package.json': JSON.stringify({ dependencies: { 'coffee-service': 'file:src/layer/coffee-service', uuid: '^9.0.0', packed: 'file:vendor/packed-1.0.0.tgz' }, devDependencies: { '@acme/store': 'link:./libs/store' } }),
      'src/layer/coffee-service/package.json': JSON.stringify({ name: 'coffee-service', main: 'lib/index.js' }),
      'libs/store/package.json': JSON.stringify({ name: '@acme/store' }),
    });
    const aliases = new ImportAliases();
    const importer = at('src/api/putCoffee.js');
    expect(aliases.basesOf(importer, 'coffee-service')).toEqual([at('src/layer/coffee-service/lib/index.js')]);
    expect(aliases.basesOf(importer, 'coffee-service/lib/extra')).toEqual([at('src/layer/coffee-service/lib/extra')]);
    expect(aliases.basesOf(importer, '@acme/store')).toEqual([at('libs/store/index')]);
    expect(aliases.basesOf(importer, 'uuid')).toEqual([]);
    expect(aliases.basesOf(importer, 'packed')).toEqual([]);
    expect(aliases.basesOf(importer, './local')).toEqual([]);
  });

  test('a tsconfig tsc refuses (paths that need a baseUrl, an extends that is missing) gives no aliases and no error', () => {
    tree({
      'a/tsconfig.json': '{ "compilerOptions": { "paths": { "@libs/*": ["src/libs/*"] } } }',
      'b/tsconfig.json': '{ "extends": "./missing.json", "compilerOptions": { "baseUrl": ".", "paths": { "@x": ["x"] } } }',
    });
    const aliases = new ImportAliases();
    expect(aliases.basesOf(at('a/src/h.ts'), '@libs/plans')).toEqual([]);
    expect(() => aliases.basesOf(at('b/h.ts'), '@x')).not.toThrow();
  });
});

describe('the scan follows them', () => {
  const dynamoModule = [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';",
    'const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
    'export async function saveCoffee(coffee) {',
    '  coffee.price = Number(coffee.price);',
    '  await ddb.send(new PutCommand({ TableName: process.env.COFFEE_TABLE, Item: coffee }));',
    '  return coffee;',
    '}',
    '',
  ].join('\n');
  // Neither handler mentions DynamoDB: only the modules they import through an alias do.
  const files = {
    'package.json': JSON.stringify({ dependencies: { 'coffee-service': 'file:layer/coffee-service' } }),
    'layer/coffee-service/package.json': JSON.stringify({ name: 'coffee-service', main: 'index.mjs' }),
    'layer/coffee-service/index.mjs': dynamoModule,
    'api/put.mjs': "import { saveCoffee } from 'coffee-service';\nexport const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(await saveCoffee(JSON.parse(event.body))) });\n",
  };

  test('a handler whose data access is in a file: dependency is analysed through it: the first blocker is in the dependency, not "no DynamoDB call"', async () => {
    tree(files);
    const report = await scanProject([tmp], { cwd: tmp });
    const finding = report.findings.find((f) => f.file === 'api/put.mjs');
    expect(finding?.convertible).toBe('none');
    expect(finding?.blockers[0]?.message).toBe(`in saveCoffee (${path.join('..', 'layer', 'coffee-service', 'index.mjs')}:5): expression statement coffee.price = Number(coffee.price) has effects the analyser does not model`);
  });

  test('the prefilter keeps an importer whose aliased module mentions DynamoDB', () => {
    tree(files);
    const texts: Record<string, string> = {
      'api/other.mjs': "import { saveCoffee } from 'coffee-service';\nexport const run = (x) => saveCoffee(x);\n",
      'api/plain.mjs': "import { v4 } from 'uuid';\nexport const id = () => v4();\n",
      'layer/coffee-service/index.mjs': dynamoModule,
    };
    const candidates = selectCandidates(Object.entries(texts).map(([rel, text]) => ({ path: at(rel), text })));
    expect([...candidates].sort()).toEqual([at('api/other.mjs'), at('layer/coffee-service/index.mjs')]);
  });
});
