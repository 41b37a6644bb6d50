// A ten-minute sleep becomes a Wait of 600 s, and the workflow-type advisor then requires STANDARD
// (Express executions stop after 5 minutes).
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { scanProject } from '../src/scan/scanProject.js';
import { REPO_ROOT } from './support/goldenCases.js';

describe('sleep → Wait state', () => {
  test('await setTimeout(600000) from timers/promises: Wait 600 s, STANDARD required', async () => {
    const dir = join(REPO_ROOT, 'test', 'beyond', 'long-wait');
    const report = await scanProject([dir], { cwd: dir });
    const f = report.findings[0]!;
    expect(f.convertible).toBe('full');
    const waits = Object.values(f.stateMachine!.definition.States).filter((s) => s.Type === 'Wait');
    // 600000 ms is 600 whole seconds.
    expect(waits).toEqual([expect.objectContaining({ Type: 'Wait', Seconds: 600 })]);
    expect(f.workflowType?.recommended).toBe('STANDARD');
    expect(f.workflowType?.required).toBe(true);
    expect(f.workflowType?.reasons.some((r) => r.includes('Express executions stop after 5 minutes'))).toBe(true);
  });
});
