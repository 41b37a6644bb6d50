import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { discoverFiles, isSourceFile } from '../src/discover/discoverFiles.js';
import { readSource } from '../src/discover/readSource.js';
import { DYNAMO_OR_HANDLER_TOKENS, extractSpecifiers, selectCandidates } from '../src/discover/prefilter.js';

let tmp: string;

beforeEach(() => {
  // realpath: on macOS os.tmpdir() is behind a symlink; discovery reports resolved-from-cwd paths.
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'l2s-discover-')));
});

afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Writes files (paths relative to tmp, '/'-separated); a value of null creates a folder. */
function tree(files: Record<string, string | Buffer | null>, base = tmp): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(base, ...rel.split('/'));
    if (content === null) {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

const abs = (...rels: string[]): string[] => rels.map((r) => path.join(tmp, ...r.split('/'))).sort();
/** Found files relative to tmp, '/'-separated, sorted. */
const rel = (files: string[]): string[] => files.map((f) => path.relative(tmp, f).split(path.sep).join('/')).sort();

describe('discoverFiles: extensions and skipped folders', () => {
  test('keeps the eight JS/TS extensions and drops declaration files and other files', async () => {
    tree({
      'a.js': '',
      'b.mjs': '',
      'c.cjs': '',
      'd.jsx': '',
      'e.ts': '',
      'f.mts': '',
      'g.cts': '',
      'h.tsx': '',
      'types.d.ts': '',
      'types.d.mts': '',
      'types.d.cts': '',
      'data.json': '{}',
      'readme.md': '',
      'style.css': '',
      'noext': '',
      'x.ts.bak': '',
    });
    const r = await discoverFiles([], { cwd: tmp });
    expect(rel(r.files)).toEqual(['a.js', 'b.mjs', 'c.cjs', 'd.jsx', 'e.ts', 'f.mts', 'g.cts', 'h.tsx']);
    expect(r.errors).toEqual([]);
  });

  test('isSourceFile agrees on declaration files', () => {
    expect(isSourceFile('/x/a.d.ts')).toBe(false);
    expect(isSourceFile('/x/a.d.mts')).toBe(false);
    expect(isSourceFile('/x/ad.ts')).toBe(true);
    expect(isSourceFile('/x/a.tsx')).toBe(true);
    expect(isSourceFile('/x/a.json')).toBe(false);
  });

  test('returns absolute, sorted, unique paths', async () => {
    tree({ 'src/z.ts': '', 'src/a.ts': '', 'src/m/b.ts': '' });
    const r = await discoverFiles(['src', 'src/a.ts', 'src/**/*.ts', './src'], { cwd: tmp });
    expect(r.files).toEqual([
      path.join(tmp, 'src', 'a.ts'),
      path.join(tmp, 'src', 'm', 'b.ts'),
      path.join(tmp, 'src', 'z.ts'),
    ]);
  });

  test('never descends into the default skipped folders, at any depth', async () => {
    tree({
      'src/keep.ts': '',
      'node_modules/pkg/index.js': '',
      'dist/out.js': '',
      'build/out.js': '',
      'cdk.out/asset.js': '',
      '.aws-sam/build/app.js': '',
      '.serverless/x.js': '',
      'coverage/lcov-report/prettify.js': '',
      '.git/hooks/pre-commit.js': '',
      'packages/api/node_modules/x/y.ts': '',
      'packages/api/dist/y.js': '',
      'packages/api/src/handler.ts': '',
      'packages/api/build/nested/deeper/y.ts': '',
      '.github/scripts/tool.js': '',
      'distribution/keep.ts': '',
    });
    const r = await discoverFiles(['.'], { cwd: tmp });
    expect(rel(r.files)).toEqual([
      '.github/scripts/tool.js',
      'distribution/keep.ts',
      'packages/api/src/handler.ts',
      'src/keep.ts',
    ]);
  });

  test('globs never reach into the default skipped folders either', async () => {
    tree({ 'a/node_modules/p/x.ts': '', 'a/src/y.ts': '' });
    const r = await discoverFiles(['**/*.ts'], { cwd: tmp });
    expect(rel(r.files)).toEqual(['a/src/y.ts']);
  });
});

describe('discoverFiles: .gitignore', () => {
  test('honours the searched folder .gitignore and nested ones relative to their folder', async () => {
    tree({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': '',
      'src/a.gen.ts': '',
      'generated/client.ts': '',
      'pkg/.gitignore': '/local.ts\ntmp/\n',
      'pkg/local.ts': '',
      'pkg/sub/local.ts': '', // `/local.ts` is anchored to pkg/, so this one stays
      'pkg/tmp/x.ts': '',
      'pkg/keep.ts': '',
      'local.ts': '', // pkg/.gitignore does not apply above pkg/
    });
    const r = await discoverFiles([], { cwd: tmp });
    expect(rel(r.files)).toEqual(['local.ts', 'pkg/keep.ts', 'pkg/sub/local.ts', 'src/a.ts']);
  });

  test('a nested negation re-includes a file, but not inside an excluded folder', async () => {
    tree({
      '.gitignore': '*.js\nout/\n',
      'lib/.gitignore': '!handler.js\n',
      'lib/handler.js': '',
      'lib/other.js': '',
      'out/.gitignore': '!*.js\n',
      'out/x.js': '',
    });
    const r = await discoverFiles([], { cwd: tmp });
    expect(rel(r.files)).toEqual(['lib/handler.js']);
  });

  test('applies .gitignore files of ancestor folders up to the git root', async () => {
    tree({
      '.git': null,
      '.gitignore': 'secret.ts\n',
      'services/.gitignore': 'scratch/\n',
      'services/api/handler.ts': '',
      'services/api/secret.ts': '',
      'services/api/scratch/try.ts': '',
    });
    const r = await discoverFiles(['.'], { cwd: path.join(tmp, 'services', 'api') });
    expect(rel(r.files)).toEqual(['services/api/handler.ts']);
  });

  test('without a git repository, .gitignore files above the searched folder do not apply', async () => {
    tree({
      '.gitignore': 'secret.ts\n',
      'services/api/handler.ts': '',
      'services/api/secret.ts': '',
    });
    const r = await discoverFiles(['services/api'], { cwd: tmp });
    expect(rel(r.files)).toEqual(['services/api/handler.ts', 'services/api/secret.ts']);
  });

  test('a file named explicitly is scanned even when ignored', async () => {
    tree({ '.gitignore': 'legacy.ts\n', 'legacy.ts': '', 'app.ts': '' });
    const walked = await discoverFiles(['.'], { cwd: tmp });
    expect(rel(walked.files)).toEqual(['app.ts']);
    const named = await discoverFiles(['legacy.ts', '.'], { cwd: tmp });
    expect(rel(named.files)).toEqual(['app.ts', 'legacy.ts']);
  });

  test('files found by a glob are filtered by .gitignore', async () => {
    tree({
      '.git': null,
      '.gitignore': 'legacy.ts\n',
      'src/legacy.ts': '',
      'src/app.ts': '',
      'src/gen/.gitignore': '*.ts\n!keep.ts\n',
      'src/gen/x.ts': '',
      'src/gen/keep.ts': '',
    });
    const r = await discoverFiles(['src/**/*.ts'], { cwd: tmp });
    expect(rel(r.files)).toEqual(['src/app.ts', 'src/gen/keep.ts']);
  });
});

describe('discoverFiles: inputs, include/exclude, errors, root', () => {
  test('glob inputs match files, relative to cwd', async () => {
    tree({ 'src/a.ts': '', 'src/b.js': '', 'src/deep/c.ts': '', 'other/d.ts': '' });
    const r = await discoverFiles(['src/**/*.ts'], { cwd: tmp });
    expect(rel(r.files)).toEqual(['src/a.ts', 'src/deep/c.ts']);
  });

  test('a glob matching folders scans them like folder inputs', async () => {
    tree({ 'services/a/h.ts': '', 'services/b/lib/h.js': '', 'services/readme.md': '', 'other/x.ts': '' });
    const r = await discoverFiles(['services/*'], { cwd: tmp });
    expect(rel(r.files)).toEqual(['services/a/h.ts', 'services/b/lib/h.js']);
  });

  test('an absolute glob works', async () => {
    tree({ 'src/a.ts': '', 'src/b.ts': '' });
    const r = await discoverFiles([`${tmp.split(path.sep).join('/')}/src/a.*`], { cwd: '/' });
    expect(rel(r.files)).toEqual(['src/a.ts']);
  });

  test('include keeps only matching files; exclude drops matches (dot files included)', async () => {
    tree({
      'src/handlers/a.ts': '',
      'src/handlers/a.test.ts': '',
      'src/lib/db.ts': '',
      'scripts/seed.ts': '',
      'src/.hidden/h.ts': '',
    });
    const inc = await discoverFiles(['.'], { cwd: tmp, include: ['src/**'] });
    expect(rel(inc.files)).toEqual(['src/.hidden/h.ts', 'src/handlers/a.test.ts', 'src/handlers/a.ts', 'src/lib/db.ts']);
    const both = await discoverFiles(['.'], { cwd: tmp, include: ['src/**'], exclude: ['**/*.test.ts', 'src/lib'] });
    expect(rel(both.files)).toEqual(['src/.hidden/h.ts', 'src/handlers/a.ts']);
    const exc = await discoverFiles(['.'], { cwd: tmp, exclude: ['**/.hidden/**', 'scripts/**'] });
    expect(rel(exc.files)).toEqual(['src/handlers/a.test.ts', 'src/handlers/a.ts', 'src/lib/db.ts']);
  });

  test('include/exclude are relative to the root, not cwd', async () => {
    tree({ 'app/src/a.ts': '', 'app/test/a.ts': '' });
    const r = await discoverFiles(['app'], { cwd: tmp, include: ['src/**'] });
    expect(r.root).toBe(path.join(tmp, 'app'));
    expect(rel(r.files)).toEqual(['app/src/a.ts']);
  });

  test('a nonexistent input becomes an error entry and the rest goes on', async () => {
    tree({ 'src/a.ts': '' });
    const r = await discoverFiles(['missing', 'src', 'nope/**/*.ts', 'gone.ts'], { cwd: tmp });
    expect(rel(r.files)).toEqual(['src/a.ts']);
    expect(r.errors).toEqual([
      { file: 'missing', message: 'no such file or directory', severity: 'warning' },
      { file: 'nope/**/*.ts', message: 'no such file or directory', severity: 'warning' },
      { file: 'gone.ts', message: 'no such file or directory', severity: 'warning' },
    ]);
  });

  test('an explicit non-source file is reported, not scanned', async () => {
    tree({ 'config.json': '{}', 'a.d.ts': '' });
    const r = await discoverFiles(['config.json', 'a.d.ts'], { cwd: tmp });
    expect(r.files).toEqual([]);
    expect(r.errors.map((e) => e.file)).toEqual(['config.json', 'a.d.ts']);
    expect(r.errors[0]!.message).toMatch(/not a JavaScript or TypeScript source file/);
  });

  test('root: one folder -> that folder; one file -> its folder; otherwise cwd', async () => {
    tree({ 'svc/api/h.ts': '', 'svc/b.ts': '' });
    const cwd = tmp;
    expect((await discoverFiles(['svc/api'], { cwd })).root).toBe(path.join(tmp, 'svc', 'api'));
    expect((await discoverFiles([path.join(tmp, 'svc')], { cwd: '/' })).root).toBe(path.join(tmp, 'svc'));
    expect((await discoverFiles(['svc/api/h.ts'], { cwd })).root).toBe(path.join(tmp, 'svc', 'api'));
    expect((await discoverFiles(['svc/api', 'svc/b.ts'], { cwd })).root).toBe(tmp);
    expect((await discoverFiles(['svc/**/*.ts'], { cwd })).root).toBe(tmp);
    expect((await discoverFiles(['missing'], { cwd })).root).toBe(tmp);
    expect((await discoverFiles([], { cwd: path.join(tmp, 'svc') })).root).toBe(path.join(tmp, 'svc'));
  });
});

describe('readSource', () => {
  const write = (name: string, content: string | Buffer): string => {
    const p = path.join(tmp, name);
    writeFileSync(p, content);
    return p;
  };

  test('plain UTF-8 is returned as is', async () => {
    const p = write('a.ts', 'const café = "π";\n');
    expect(await readSource(p)).toEqual({ ok: true, text: 'const café = "π";\n' });
  });

  test('strips a UTF-8 BOM', async () => {
    const p = write('bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('export const x = 1;\n')]));
    expect(await readSource(p)).toEqual({ ok: true, text: 'export const x = 1;\n' });
  });

  test('decodes UTF-16 LE and BE with a BOM', async () => {
    const text = 'export const handler = () => "ü";\n';
    const le = write('le.ts', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(await readSource(le)).toEqual({ ok: true, text });
    const leBytes = Buffer.from(text, 'utf16le');
    const beBytes = Buffer.alloc(leBytes.length);
    for (let i = 0; i < leBytes.length; i += 2) {
      beBytes[i] = leBytes[i + 1]!;
      beBytes[i + 1] = leBytes[i]!;
    }
    const be = write('be.ts', Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    expect(await readSource(be)).toEqual({ ok: true, text });
  });

  test('invalid UTF-8 is refused with the place of the bad byte', async () => {
    // Latin-1 "é" (0xE9) on line 2.
    const p = write('latin1.ts', Buffer.concat([Buffer.from('// ok\nconst s = "caf'), Buffer.from([0xe9]), Buffer.from('";\n')]));
    const r = await readSource(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/^not valid UTF-8 text \(/);
    expect(r.message).toContain('0xE9');
    expect(r.message).toContain('line 2');
  });

  test('a NUL byte in the first 8 KB means binary', async () => {
    const p = write('bin.js', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
    expect(await readSource(p)).toEqual({ ok: false, message: 'binary file' });
  });

  test('a NUL byte after the first 8 KB is not a binary marker', async () => {
    const p = write('late-nul.js', Buffer.concat([Buffer.from('let x = 1;\n'.repeat(900)), Buffer.from([0]), Buffer.from('\n')]));
    const r = await readSource(p);
    expect(r.ok).toBe(true);
  });

  test('too large files are refused, stating the real size', async () => {
    const p = write('big.js', '// filler\n'.repeat(140_000)); // 1,400,000 bytes
    expect(await readSource(p)).toEqual({
      ok: false,
      message: 'file is 1.4 MB, over the 1 MB limit (probably generated or bundled); skipped',
    });
    const small = write('small.js', 'x'.repeat(2_500));
    expect(await readSource(small, { maxBytes: 2_000 })).toEqual({
      ok: false,
      message: 'file is 2.5 KB, over the 2 KB limit (probably generated or bundled); skipped',
    });
    expect((await readSource(small, { maxBytes: 2_500 })).ok).toBe(true);
  });

  test('minified code is refused; one long line in a normal file is not', async () => {
    const minified = write('min.js', 'var a=1;'.repeat(1_000) + '\n'); // one 8,000-character line
    expect(await readSource(minified)).toEqual({ ok: false, message: 'looks minified (a line of 8000 characters); skipped' });
    // A 6,000-character line (e.g. an inline data URL) among 100 short lines: average < 500.
    const normal = write('normal.js', 'const x = 1;\n'.repeat(100) + `const d = "${'A'.repeat(5_990)}";\n`);
    expect((await readSource(normal)).ok).toBe(true);
    // Long average but no line over 5,000 characters.
    const wide = write('wide.js', `${'y'.repeat(4_000)}\n`.repeat(3));
    expect((await readSource(wide)).ok).toBe(true);
  });

  test('a directory or a missing file gives a message, not an exception', async () => {
    mkdirSync(path.join(tmp, 'dir.ts'));
    const dir = await readSource(path.join(tmp, 'dir.ts'));
    expect(dir.ok).toBe(false);
    if (!dir.ok) expect(dir.message).toMatch(/^EISDIR/);
    const missing = await readSource(path.join(tmp, 'missing.ts'));
    expect(missing).toEqual({ ok: false, message: 'ENOENT: no such file or directory' });
  });

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  (isRoot || process.platform === 'win32' ? test.skip : test)('an unreadable file gives EACCES', async () => {
    const p = write('locked.ts', 'x');
    chmodSync(p, 0o000);
    try {
      expect(await readSource(p)).toEqual({ ok: false, message: 'EACCES: permission denied' });
    } finally {
      chmodSync(p, 0o644);
    }
  });
});

describe('prefilter', () => {
  const f = (name: string, text: string) => ({ path: path.join(tmp, name), text });
  const names = (set: Set<string>): string[] => rel([...set]);

  test('the token regex matches DynamoDB and handler words, case-insensitively', () => {
    for (const hit of [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'",
      'new AWS.DynamoDB.DocumentClient()',
      'const item = unmarshall(record)',
      "import type { APIGatewayProxyEvent } from 'aws-lambda'",
      "import middy from '@middy/core'",
      'export const Handler = 1',
      'async function main(event) {}',
      'export const go = async (event: APIGatewayProxyEvent) => {}',
      'export const go = event => event.body',
      'export function go(evt, ctx) {}',
      'export const go = (input: Input, context) => {}',
      'export const go = async ({ body }, context) => body',
      'export const go = (event?: Ev) => 1',
    ]) {
      expect(DYNAMO_OR_HANDLER_TOKENS.test(hit)).toBe(true);
    }
    for (const miss of ['const events = []', 'function preventDefault() {}', 'export const x = 1', '// event order helper: normalises input', 'export const eventUser12 = (items, limit = 5) => items']) {
      expect(DYNAMO_OR_HANDLER_TOKENS.test(miss)).toBe(false);
    }
  });

  test('direct token match makes a candidate; an unrelated file is not one', () => {
    const files = [
      f('h.ts', "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';"),
      f('math.ts', 'export const add = (a: number, b: number) => a + b;'),
      f('uses-math.ts', "import { add } from './math';\nexport const three = add(1, 2);"),
    ];
    expect(names(selectCandidates(files))).toEqual(['h.ts']);
  });

  test('a file without tokens that imports a DynamoDB client module is a candidate', () => {
    const files = [
      f('db.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const db = new DynamoDBClient({});"),
      f('main.ts', "import { db } from './db';\nexport const main = async (e: unknown) => db.send(e as never);"),
      f('unrelated.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;"),
    ];
    expect(names(selectCandidates(files))).toEqual(['db.ts', 'main.ts']);
  });

  test('transitive import chains are followed to a fixpoint, through require, re-exports and index files', () => {
    const files = [
      f('lib/client/index.ts', "export const c = 'DynamoDB';"),
      f('lib/repo.ts', "export * from './client';"),
      f('svc/a.cjs', "const repo = require('../lib/repo');\nmodule.exports.go = repo;"),
      f('svc/b.mjs', "export { go } from './a.cjs';"),
      f('svc/c.js', "const m = await import('./b.mjs');\nexport default m;"),
      f('svc/d.js', "import './c.js';"),
      f('svc/e.js', "export const e = 1; // imports nothing"),
    ];
    expect(names(selectCandidates(files))).toEqual([
      'lib/client/index.ts',
      'lib/repo.ts',
      'svc/a.cjs',
      'svc/b.mjs',
      'svc/c.js',
      'svc/d.js',
    ]);
  });

  test('a .js specifier resolves to the .ts (and .mjs to .mts) source', () => {
    const files = [
      f('store.ts', "export const s = 'dynamodb table';"),
      f('store2.mts', "export const s = 'dynamodb table';"),
      f('a.ts', "import { s } from './store.js';\nexport const a = s;"),
      f('b.mts', "import { s } from './store2.mjs';\nexport const b = s;"),
      f('c.ts', "import { x } from './other.js';\nexport const c = x;"),
      f('other.ts', 'export const x = 1;'),
    ];
    expect(names(selectCandidates(files))).toEqual(['a.ts', 'b.mts', 'store.ts', 'store2.mts']);
  });

  test('import cycles terminate', () => {
    const files = [
      f('a.ts', "import './b';\nexport const a = 1;"),
      f('b.ts', "import './a';\nexport const b = 2;"),
      f('c.ts', "import './a';\nexport const dynamo = 3;"),
    ];
    expect(names(selectCandidates(files))).toEqual(['c.ts']);
  });

  test('imports that name no file on disk, or go through aliases, do not make a candidate (the analyser cannot follow them)', () => {
    const files = [
      f('a.ts', "import { put } from '../outside/db';\nexport const a = put;"),
      f('b.ts', "import { put } from '@/lib/db';\nexport const b = put;"),
      f('c.ts', "import data from './data.json';\nimport './styles.css';\nimport _ from 'lodash';\nexport const c = data;"),
    ];
    expect(names(selectCandidates(files))).toEqual([]);
  });

  test('an imported file outside the scanned set is read: its tokens decide', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'l2s-prefilter-'));
    try {
      mkdirSync(path.join(dir, 'outside'));
      writeFileSync(path.join(dir, 'outside', 'db.ts'), "export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));");
      writeFileSync(path.join(dir, 'outside', 'util.ts'), 'export const x = 1;');
      const a = { path: path.join(dir, 'src', 'a.ts'), text: "import { db } from '../outside/db';\nexport const a = db;" };
      const b = { path: path.join(dir, 'src', 'b.ts'), text: "import { x } from '../outside/util';\nexport const b = x;" };
      expect([...selectCandidates([a, b])]).toEqual([a.path]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('extractSpecifiers finds static, side-effect, dynamic, require and re-export forms', () => {
    const text = [
      "import a from './a';",
      'import { b } from "../b.js";',
      "import './c';",
      "export * from './d';",
      "export { e } from './e'",
      "const f = require( './f' );",
      'const g = await import(/* webpackChunkName: "g" */ `./g`);',
      'const h = import(`./${name}`);',
      "import i = require('./i');",
    ].join('\n');
    expect(new Set(extractSpecifiers(text))).toEqual(new Set(['./a', '../b.js', './c', './d', './e', './f', './g', './i']));
  });
});
