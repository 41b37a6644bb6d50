// The CLI as a real process: a reader that closes the pipe early (`| head -1`) must not crash it.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(REPO_ROOT, 'test', 'support', 'cliMain.mts');

/** `lambda2sfn ARGS | head -1` in a real shell; with pipefail the status is the CLI's own (head exits 0). */
function pipedToHead(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-c', 'set -o pipefail; "$@" | head -1', 'bash', TSX, MAIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, out, err }));
  });
}

describe('a closed output pipe', () => {
  test('`rules | head -1`: the first line, no stack trace, exit 0', async () => {
    expect(await pipedToHead(['rules'])).toEqual({ code: 0, out: expect.stringMatching(/^dynamodb-\S+ .*\n$/), err: '' });
  });

  // The report of the example projects is far larger than a pipe buffer, so the writer meets the closed pipe.
  test('`scan --format json | head -1`: the first line, no stack trace, exit 0', async () => {
    expect(await pipedToHead(['scan', 'fixtures/examples', '--format', 'json'])).toEqual({ code: 0, out: '{\n', err: '' });
  });
});
