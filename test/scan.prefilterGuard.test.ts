// The prefilter only saves parse work: on a generated monorepo (handlers that convert and that do not, files
// that merely mention DynamoDB, plain modules), the report is the same with it and without it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanProject } from '../src/scan/scanProject.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('findings, suppressions and errors are identical with and without the prefilter', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'l2s-prefilter-'));
  try {
    // 150 files, 10% handlers: enough of each kind, seed fixed.
    execFileSync(process.execPath, [path.join(root, 'bench', 'gen-monorepo.cjs'), dir, '150', '0.1', '7'], { stdio: 'ignore' });
    const withPrefilter = await scanProject([dir], { cwd: dir });
    const without = await scanProject([dir], { cwd: dir, prefilter: false });
    expect(withPrefilter.summary.full).toBeGreaterThan(0);
    expect(withPrefilter.summary.none).toBeGreaterThan(0);
    expect(without.summary.filesParsed).toBe(150);
    expect(withPrefilter.summary.filesParsed).toBeLessThan(without.summary.filesParsed);
    expect(withPrefilter.findings).toEqual(without.findings);
    expect(withPrefilter.suppressed).toEqual(without.suppressed);
    expect(withPrefilter.errors).toEqual(without.errors);
    expect({ ...withPrefilter.summary, filesParsed: 0 }).toEqual({ ...without.summary, filesParsed: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
