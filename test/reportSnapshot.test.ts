// Every fixture's whole JSON report (ids and ordering included) equals the snapshot taken before a refactoring.
// Regenerate from the base commit with test/support/writeReportSnapshot.ts; the tests are skipped without a snapshot.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import { REPO_ROOT } from './support/goldenCases.js';
import { fixtureFolders, OPTION_SETS, readSnapshot, snapshotOf } from './support/reportSnapshot.js';

const SNAPSHOT = join(REPO_ROOT, 'test', 'report-snapshot.json.gz');
const expected = existsSync(SNAPSHOT) ? readSnapshot(SNAPSHOT) : undefined;
const folders = fixtureFolders(REPO_ROOT);
const run = expected ? test : test.skip;

describe('report snapshot', () => {
  run('the same fixture folders', () => {
    const keys = folders.flatMap((d) => Object.keys(OPTION_SETS).map((set) => `${relative(REPO_ROOT, d)} [${set}]`));
    expect(keys).toEqual(Object.keys(expected ?? {}));
  });

  run.each(folders.map((d) => [relative(REPO_ROOT, d), d] as const))('%s', async (_name, dir) => {
    const actual = await snapshotOf(REPO_ROOT, dir, scanProject as never);
    for (const [key, report] of Object.entries(actual)) expect([key, report]).toEqual([key, expected![key]]);
  });
});
