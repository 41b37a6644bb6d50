// `npm install` warns EBADENGINE: aws-local-stepfunctions 3 declares Node >= 22. The README says why that is harmless
// on Node 20: the one newer API it calls is Promise.withResolvers (Task timeouts), which src/polyfills.ts supplies
// before the emulator loads. Checked here in plain Node processes, outside Jest's setup files.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const runTask = (...args: string[]) => execFileSync(TSX, [join(REPO_ROOT, 'test', 'support', 'localSfnOnNode.mts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
const nodeMajor = Number(process.versions.node.split('.')[0]);

describe('aws-local-stepfunctions on Node 20', () => {
  test('the installed version is the one the README speaks of (a new one must be checked again)', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'aws-local-stepfunctions', 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
    expect(pkg).toMatchObject({ version: '3.0.0', engines: { node: '>=22.0.0' } });
  });

  test('a Task with TimeoutSeconds runs with the polyfill', () => {
    expect(runTask('--polyfill')).toBe('{"echoed":{"a":1}}');
  });

  (nodeMajor < 22 ? test : test.skip)('without it, Node 20 fails on Promise.withResolvers (so the polyfill is what makes it work)', () => {
    expect(runTask()).toBe('error: Execution has failed with the following error: Promise.withResolvers is not a function');
  });
});
