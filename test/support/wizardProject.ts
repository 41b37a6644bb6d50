// Throw-away projects for the migrate tests: a copy of a fixture (or files given inline) in a new git repository,
// and a snapshot of every file's bytes to prove a run changed nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/** Jest runs from the repository root. */
export const repoRoot = resolve('.');

export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `fixture`: a folder under fixtures/ to copy, or files (path → text) to write. Everything is committed. */
export function projectCopy(fixture: string | Record<string, string>, label = 'migrate'): string {
  const dir = mkdtempSync(join(tmpdir(), `l2s-${label}-`));
  if (typeof fixture === 'string') cpSync(join(repoRoot, 'fixtures', fixture), dir, { recursive: true, filter: (src) => !src.endsWith('expected.diff') });
  else {
    for (const [path, text] of Object.entries(fixture)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'fixture');
  return dir;
}

/** path → bytes (base64) of every file outside .git, and the folders (an empty one left behind shows too). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = '';
        walk(p);
      } else out[relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}
