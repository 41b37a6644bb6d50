// The folders import each other in stage order only, with no cycle (.dependency-cruiser.cjs says which order).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import { REPO_ROOT } from './support/goldenCases.js';

const bin = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

describe('dependencies', () => {
  test('no stage imports a later one and no module cycle', async () => {
    const run = await promisify(execFile)(process.execPath, [bin, 'src', 'rules', 'bin', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: REPO_ROOT }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(run).toEqual({ code: 0, out: expect.stringContaining('no dependency violations') });
  });
});
