// What the CLI tests share: a throw-away project folder per test file, and the CLI run in-process with its output kept.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from '@jest/globals';
import { run } from '../../src/cli.js';

/** A `project(files)` that writes the files into a new temp folder, all removed after the test file. */
export function projectFolders(prefix: string): (files: Record<string, string | Buffer>) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (files) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
}

/** `lambda2sfn <args>` in `cwd`, not a TTY, with an empty environment. */
export async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['node', 'lambda2sfn', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd, env: {} });
  return { code, out, err };
}
