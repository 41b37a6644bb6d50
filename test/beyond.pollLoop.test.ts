// Polling loops → Wait + Task + Choice loop: the bound is the code's, and short Waits that add up past Express's
// 5 minutes make the workflow-type advisor require STANDARD (asl-facts.md §5).
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { scanProject } from '../src/scan/scanProject.js';
import { REPO_ROOT } from './support/goldenCases.js';

describe('polling loop → Choice loop', () => {
  test('40 checks 10 s apart (checks = checks + 1): 400 s of waiting, STANDARD required', async () => {
    const dir = join(REPO_ROOT, 'test', 'beyond', 'long-poll');
    const report = await scanProject([dir], { cwd: dir });
    const f = report.findings[0]!;
    expect(f.convertible).toBe('full');
    const states = Object.values(f.stateMachine!.definition.States);
    // One Wait of 10 s per check, and the loop's Choice tests the counter against 40 (checks 0..39).
    expect(states.filter((s) => s.Type === 'Wait')).toEqual([expect.objectContaining({ Seconds: 10 })]);
    expect(JSON.stringify(states.filter((s) => s.Type === 'Choice'))).toContain('"NumericLessThan":40');
    expect(f.workflowType?.required).toBe(true);
    expect(f.workflowType?.recommended).toBe('STANDARD');
    expect(f.workflowType?.reasons.some((r) => r.includes('waits up to 400 s in all (40 polls)'))).toBe(true);
  });

  test('three polls of 1 s do not force STANDARD', async () => {
    const dir = join(REPO_ROOT, 'rules', 'sleep-wait', 'fixtures', 'poll-until-done');
    const report = await scanProject([dir], { cwd: dir });
    expect(report.findings[0]!.workflowType?.reasons.some((r) => r.includes('polling loop'))).toBe(false);
  });
});
