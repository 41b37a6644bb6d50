// The files a pull request changes: `git diff --name-only <merge-base> HEAD`, as absolute paths.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';

const run = promisify(execFile);

async function git(cwd: string, args: string[], what: string): Promise<string> {
  try {
    return (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim();
    throw new UsageError(`${what} failed: ${stderr}`);
  }
}

/** The repository's top folder, or undefined outside a git repository. */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  try {
    return (await run('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function gitHead(cwd: string): Promise<string | undefined> {
  try {
    return (await run('git', ['rev-parse', 'HEAD'], { cwd })).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Files changed between the merge base of `base` and HEAD (what the pull request changes). */
export async function changedFiles(cwd: string, base: string): Promise<string[]> {
  const top = await gitTopLevel(cwd);
  if (!top) throw new UsageError(`--base needs a git repository; ${cwd} is not in one.`);
  const mergeBase = (
    await git(top, ['merge-base', base, 'HEAD'], `git merge-base ${base} HEAD (in CI, check out the history: actions/checkout with fetch-depth: 0)`)
  ).trim();
  const names = await git(top, ['diff', '--name-only', '-z', mergeBase, 'HEAD'], 'git diff --name-only');
  return names.split('\0').filter(Boolean).map((n) => resolve(top, n));
}
