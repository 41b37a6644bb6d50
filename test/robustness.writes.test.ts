// Writes never lose anything of the user's: nothing outside the target, the mode and line endings of edited files
// kept, and a failure or SIGINT/SIGTERM at any write leaves the tree exactly as it was, without temp files.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from '@jest/globals';
import { keepLineEndings, runApply, writeChanges } from '../src/commands/apply.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'test', 'support', 'cliMain.mts');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-robust-w-'));
  dirs.push(dir);
  return dir;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The SAM fixture project in a fresh git repository; `crlf` rewrites every text file with CRLF line endings. */
function samProject(opts: { crlf?: boolean; noFinalNewline?: boolean } = {}): string {
  const dir = tempDir();
  cpSync(join(REPO_ROOT, 'fixtures', 'projects', 'sam'), dir, { recursive: true, filter: (src) => !src.endsWith('expected.diff') });
  const template = join(dir, 'template.yaml');
  let text = readFileSync(template, 'utf8');
  if (opts.crlf) text = text.replace(/\r?\n/g, '\r\n');
  if (opts.noFinalNewline) text = text.replace(/\r?\n$/, '');
  writeFileSync(template, text);
  chmodSync(template, 0o640);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'fixture');
  return dir;
}

/** Every file (outside .git) with its content and mode. */
function tree(dir: string): Record<string, { text: string; mode: number }> {
  const out: Record<string, { text: string; mode: number }> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = { text: readFileSync(p, 'utf8'), mode: statSync(p).mode & 0o7777 };
    }
  };
  walk(dir);
  return out;
}

const quietIO = (cwd: string) => ({ stdout: () => undefined, stderr: () => undefined, isTTY: false, cwd, env: {} });

describe('nothing is written outside the target', () => {
  test.each([
    ['..', '../escaped.txt'],
    ['an absolute path', '/tmp/l2s-escaped-absolute.txt'],
    ['.. inside the path', 'statemachine/../../escaped.txt'],
  ])('%s: refused, nothing written', async (_what, path) => {
    const root = join(tempDir(), 'repo');
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), 'a');
    await expect(writeChanges(root, [{ path: 'a.txt', before: 'a', after: 'changed' }, { path, before: null, after: 'x' }])).rejects.toThrow(/^nothing applied: .* is outside .*; a path in the infrastructure escapes the repository$/);
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a');
    expect(existsSync(resolve(root, path))).toBe(false);
  });

  test('a folder that is a symlink to outside the repository: refused, nothing written', async () => {
    const base = tempDir();
    const root = join(base, 'repo');
    mkdirSync(root);
    mkdirSync(join(base, 'elsewhere'));
    symlinkSync('../elsewhere', join(root, 'statemachine'));
    await expect(writeChanges(root, [{ path: 'statemachine/x.asl.json', before: null, after: '{}' }])).rejects.toThrow(/^nothing applied: statemachine\/x\.asl\.json is outside .*: statemachine leads to .*elsewhere$/);
    expect(readdirSync(join(base, 'elsewhere'))).toEqual([]);
  });
});

describe('what is written keeps what the user had', () => {
  test('the mode of a replaced file is kept, and restored with its content when a later write fails', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(root, 'run.sh'), 0o755);
    writeFileSync(join(root, 'secret.env'), 'A=1\n');
    chmodSync(join(root, 'secret.env'), 0o600);
    await writeChanges(root, [{ path: 'run.sh', before: '#!/bin/sh\n', after: '#!/bin/sh\necho\n' }, { path: 'secret.env', before: 'A=1\n', after: 'A=2\n' }]);
    expect(tree(root)).toEqual({ 'run.sh': { text: '#!/bin/sh\necho\n', mode: 0o755 }, 'secret.env': { text: 'A=2\n', mode: 0o600 } });

    writeFileSync(join(root, 'blocker'), 'a file where a folder would have to be');
    await expect(
      writeChanges(root, [
        { path: 'run.sh', before: '#!/bin/sh\necho\n', after: 'x' },
        { path: 'secret.env', before: 'A=2\n', after: null },
        { path: 'blocker/inside.txt', before: null, after: 'x' },
      ]),
    ).rejects.toThrow(/^nothing applied: writing failed \(.*\); the files already written were restored$/);
    expect(tree(root)).toEqual({ 'run.sh': { text: '#!/bin/sh\necho\n', mode: 0o755 }, 'secret.env': { text: 'A=2\n', mode: 0o600 }, blocker: { text: 'a file where a folder would have to be', mode: expect.any(Number) } });
  });

  test('line endings and the final newline of an edited file are kept', () => {
    expect(keepLineEndings('a\r\nb\r\n', 'a\nb\nc\n')).toBe('a\r\nb\r\nc\r\n');
    expect(keepLineEndings('a\r\nb\r\n', 'a\r\nb\nc')).toBe('a\r\nb\r\nc\r\n');
    expect(keepLineEndings('a\nb', 'a\nb\nc\n')).toBe('a\nb\nc');
    expect(keepLineEndings('a\nb\n', 'a\nb\nc')).toBe('a\nb\nc\n');
    expect(keepLineEndings(null, 'new\n')).toBe('new\n');
    expect(keepLineEndings('old\r\n', null)).toBe(null);
  });

  test.each<[string, { crlf?: boolean; noFinalNewline?: boolean }]>([
    ['CRLF', { crlf: true }],
    ['CRLF without a final newline', { crlf: true, noFinalNewline: true }],
    ['LF without a final newline', { noFinalNewline: true }],
  ])('apply on a %s template: the template keeps its line endings, final newline and mode', async (_what, opts) => {
    const dir = samProject(opts);
    expect(await runApply(['.'], { yes: true }, quietIO(dir))).toBe(0);
    const text = readFileSync(join(dir, 'template.yaml'), 'utf8');
    expect(text).toContain('AWS::Serverless::StateMachine');
    const lines = text.split('\n');
    if (opts.crlf) expect(lines.slice(0, -1).filter((l) => !l.endsWith('\r'))).toEqual([]);
    else expect(text).not.toContain('\r');
    expect(/\n$/.test(text)).toBe(!opts.noFinalNewline);
    expect(statSync(join(dir, 'template.yaml')).mode & 0o7777).toBe(0o640);
  });
});

/** The CLI in a child process that stops before its Nth rename; it is then sent `signal`. */
function interruptAt(args: string[], cwd: string, n: number, signal: NodeJS.Signals): Promise<{ code: number | null; err: string; paused: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd, env: { ...process.env, LAMBDA2SFN_TEST_PAUSE_BEFORE_RENAME: String(n) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let paused = false;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!paused && err.includes(`paused before rename ${n}\n`)) {
        paused = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, err, paused }));
  });
}

function tempFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.lambda2sfn.tmp')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

describe('SIGINT and SIGTERM at each write leave no partial file and no temp file', () => {
  // apply on the SAM project: delete the handler, add the ASL file (rename 1), change the template (rename 2).
  test.each([
    [1, 'SIGINT'],
    [1, 'SIGTERM'],
    [2, 'SIGINT'],
    [2, 'SIGTERM'],
  ] as const)('apply, paused before rename %i, then %s: everything restored', async (n, signal) => {
    const dir = samProject({ crlf: true });
    const before = tree(dir);
    const r = await interruptAt(['apply', '.', '--yes'], dir, n, signal);
    expect(r.paused).toBe(true);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`nothing applied: writing failed (interrupted by ${signal}); the files already written were restored`);
    expect(tree(dir)).toEqual(before);
    expect(tempFilesUnder(dir)).toEqual([]);
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  test.each([[1, 'SIGINT'], [3, 'SIGTERM']] as const)('scan --write DIR, paused before rename %i, then %s: no proposal file left', async (n, signal) => {
    const dir = samProject();
    const r = await interruptAt(['scan', '.', '--write', 'out', '--format', 'json'], dir, n, signal);
    expect(r.paused).toBe(true);
    expect(r.code).toBe(2);
    expect(Object.keys(tree(join(dir, 'out')))).toEqual([]);
    expect(tempFilesUnder(dir)).toEqual([]);
  });
});

describe('writing into a folder that does not exist yet, outside the repository', () => {
  test('migrate-style --write DIR: the folder and its parents are created; a symlink inside it to elsewhere is still refused', async () => {
    const base = mkdtempSync(join(tmpdir(), 'l2s-newdir-'));
    const repo = join(base, 'repo');
    mkdirSync(repo);
    const out = join(base, 'proposals', 'today');
    await writeChanges(repo, [{ path: '../proposals/today/a/machine.asl.json', before: null, after: '{}\n' }], { alsoInside: [out], keepEndings: false });
    expect(readFileSync(join(out, 'a', 'machine.asl.json'), 'utf8')).toBe('{}\n');
    const elsewhere = mkdtempSync(join(tmpdir(), 'l2s-elsewhere-'));
    symlinkSync(elsewhere, join(out, 'linked'));
    await expect(writeChanges(repo, [{ path: '../proposals/today/linked/b.json', before: null, after: '{}\n' }], { alsoInside: [out], keepEndings: false })).rejects.toThrow(/outside/);
    expect(readdirSync(elsewhere)).toEqual([]);
    rmSync(base, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
