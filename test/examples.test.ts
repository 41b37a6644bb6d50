// Acceptance: the shared sample handlers are classified as their expected.json says.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import type { ScanReport } from '../src/report/types.js';
import { REPO_ROOT } from './support/goldenCases.js';

const EXAMPLES = join(REPO_ROOT, '..', 'shared', 'examples');

interface ExampleHandler {
  file: string;
  export: string | null;
  convertible: 'full' | 'partial' | 'none';
  also_acceptable?: string[];
  expected_resources: string[];
  notes: string;
}

const haveExamples = existsSync(EXAMPLES);

describe('shared examples', () => {
  let report: ScanReport;
  let exitCode: number;

  test('scan --format json exits 0', async () => {
    let out = '';
    exitCode = await run(['node', 'lambda2sfn', 'scan', EXAMPLES, '--format', 'json'], {
      stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: REPO_ROOT, env: {},
    });
    report = JSON.parse(out) as ScanReport;
    expect(exitCode).toBe(0);
    expect(report.errors).toEqual([]);
  });

  const cases = haveExamples ? readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'expected.json'))) : [];
  test.each(cases)('%s', (name) => {
    const expected = JSON.parse(readFileSync(join(EXAMPLES, name, 'expected.json'), 'utf8')) as { handlers: ExampleHandler[] };
    for (const h of expected.handlers) {
      const f = report.findings.find((x) => x.file === `${name}/${h.file}` && x.export === h.export);
      expect(f).toBeDefined();
      expect([h.convertible, ...(h.also_acceptable ?? [])]).toContain(f!.convertible);
      if (f!.convertible !== 'none') {
        for (const r of h.expected_resources) expect(f!.stateMachine!.resources).toContain(r);
        expect(f!.stateMachine!.validation.valid).toBe(true);
      } else {
        expect(f!.stateMachine).toBeUndefined();
      }
    }
  });
});
