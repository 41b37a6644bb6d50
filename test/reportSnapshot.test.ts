// Every fixture's whole JSON report (ids and ordering included) equals the snapshot taken before a refactoring.
// Regenerate from the base commit with test/support/writeReportSnapshot.ts; the test is skipped without a snapshot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import { REPO_ROOT } from './support/goldenCases.js';
import { readSnapshot, takeSnapshot } from './support/reportSnapshot.js';

const SNAPSHOT = join(REPO_ROOT, 'test', 'report-snapshot.json.gz');

describe('report snapshot', () => {
  (existsSync(SNAPSHOT) ? test : test.skip)('every fixture report is unchanged', async () => {
    const expected = readSnapshot(SNAPSHOT);
    const actual = await takeSnapshot(REPO_ROOT, scanProject as never);
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const key of Object.keys(expected)) expect([key, actual[key]]).toEqual([key, expected[key]]);
  });
});
