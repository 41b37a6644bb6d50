// Acceptance: the sample handlers in fixtures/examples are classified as their expected.json says.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import type { ScanReport } from '../src/report/types.js';
import { REPO_ROOT } from './support/goldenCases.js';

const EXAMPLES = join(REPO_ROOT, 'fixtures', 'examples');

interface ExampleHandler {
  file: string;
  export: string | null;
  convertible: 'full' | 'partial' | 'none';
  also_acceptable?: string[];
  expected_resources: string[];
  notes: string;
}

describe('example projects', () => {
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

  const cases = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'expected.json')));
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

describe('route acceptance on the example projects', () => {
  // 03 routes on httpMethod (REST), 05 on routeKey (HTTP API): each is one Express machine with a Choice and a front door.
  test.each([
    ['03-httpmethod-switch', 'apigw-rest', 'httpMethod'],
    ['05-routekey-gsi-query', 'apigw-http', 'routeKey'],
  ])('%s: full, one Express state machine with a Choice and a front door (%s)', async (name, source, field) => {
    let out = '';
    await run(['node', 'lambda2sfn', 'scan', join(EXAMPLES, name), '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: REPO_ROOT, env: {} });
    const findings = (JSON.parse(out) as ScanReport).findings;
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect({ convertible: f.convertible, eventSource: f.eventSource, type: f.workflowType?.recommended }).toEqual({ convertible: 'full', eventSource: source, type: 'EXPRESS' });
    expect(JSON.stringify(f.stateMachine!.definition)).toContain(`"Variable":"$.event.${field}"`);
    expect(f.stateMachine!.frontDoor?.api).toBe('rest');
    expect(f.routes!.every((r) => r.convertible === 'full')).toBe(true);
  });
});
