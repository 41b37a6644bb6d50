// Polling loops → Wait + Task + Choice loop: the bound is the code's, and short Waits that add up past Express's
// 5 minutes make the workflow-type advisor require STANDARD.
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

  // Worked out from the handlers: `check` 0..3 → 4 polls; a way round = Poll again?, GetItem, state == READY?, Wait,
  // Set state, Count check (the break path leaves the loop); `attempt` 1..3 → 3 polls, the longest way round =
  // Poll again?, GetItem, Item missing?, status == SETTLED?, Wait, Count attempt (continue skips two of them).
  // In JSONPath a variable set from an item attribute that may be absent is stored after a test that the item was
  // found (the handler's TypeError) and one that the attribute is there (state defined?): two states more per poll.
  test.each([
    // poll-for-break reads Item.state with no check of the item: JSONPath adds an Item found? Choice per poll (the
    // handler's TypeError), where JSONata fails the same expression with $error.
    ['poll-for-break', { line: 11, choiceState: 'Poll again? (line 11)', maxPolls: 4, waitSecondsPerPoll: 1, statesPerPoll: 6 }, { jsonpath: 9 }],
    ['poll-for-return', { line: 9, choiceState: 'Poll again? (line 9)', maxPolls: 3, waitSecondsPerPoll: 1, statesPerPoll: 6 }, {}],
    ['poll-until-done', { line: 11, choiceState: 'Poll again? (line 11)', maxPolls: 3, waitSecondsPerPoll: 1, statesPerPoll: 5 }, { jsonpath: 7 }],
  ] as const)('%s: the loop facts in the report in JSONPath and JSONata', async (name, facts, statesIn: { jsonpath?: number }) => {
    const dir = join(REPO_ROOT, 'rules', 'sleep-wait', 'fixtures', name);
    for (const queryLanguage of ['jsonpath', 'jsonata'] as const) {
      const loop = { ...facts, statesPerPoll: (queryLanguage === 'jsonpath' ? statesIn.jsonpath : undefined) ?? facts.statesPerPoll };
      const report = await scanProject([dir], { cwd: dir, queryLanguage });
      const sm = report.findings[0]!.stateMachine!;
      expect(sm.pollingLoops).toEqual([loop]);
      expect(sm.definition.States[loop.choiceState]!['Comment']).toBe(`At most ${loop.maxPolls} polls, like the code's bound on ${name === 'poll-for-break' ? 'check' : name === 'poll-for-return' ? 'attempt' : 'tries'}; up to ${loop.maxPolls} s of waiting in all`);
      expect(report.findings[0]!.assumptions.map((a) => a.message).join('\n')).toContain(`up to ${loop.maxPolls} polls × ${loop.statesPerPoll} states per poll = ${loop.maxPolls * loop.statesPerPoll} state transitions`);
    }
  });

  test('the JSONata twin of the 400 s loop is STANDARD-only too (the advisor reads the loop facts, not the definition)', async () => {
    const dir = join(REPO_ROOT, 'test', 'beyond', 'long-poll');
    const report = await scanProject([dir], { cwd: dir, queryLanguage: 'jsonata' });
    const f = report.findings[0]!;
    expect(f.stateMachine?.queryLanguage).toBe('JSONata');
    expect(f.workflowType?.recommended).toBe('STANDARD');
    expect(f.workflowType?.reasons.some((r) => r.includes('waits up to 400 s in all (40 polls)'))).toBe(true);
  });

  test('the estimate compares the worst case of polling with the callback pattern, in transitions and dollars', async () => {
    const dir = join(REPO_ROOT, 'rules', 'sleep-wait', 'fixtures', 'poll-for-break');
    const report = await scanProject([dir], { cwd: dir, usage: { requestsPerMonth: 1_000_000, region: 'us-east-1' } });
    // 4 polls × 9 states (Item.state read with no check of the item: an Item found? Choice where it is compared and
    // another where it is stored, as the handler throws a TypeError without one; a state defined? Choice before it is
    // stored) = 36 transitions; at $0.025 per 1,000 transitions (us-east-1) and 1M executions: $900.00; one
    // .waitForTaskToken Task instead saves 35: $875.00.
    expect(report.findings[0]!.savings.cost?.notes).toContain(
      'polling loop "Poll again? (line 11)": up to 4 polls × 9 states = 36 transitions per execution at worst ($900.00/month on Standard at 1,000,000 requests); the callback pattern (.waitForTaskToken, Standard only) needs 1 Task instead: 35 transitions ($875.00/month) saved at worst, if the job can send the task token back',
    );
  });

  test('three polls of 1 s do not force STANDARD', async () => {
    const dir = join(REPO_ROOT, 'rules', 'sleep-wait', 'fixtures', 'poll-until-done');
    const report = await scanProject([dir], { cwd: dir });
    expect(report.findings[0]!.workflowType?.reasons.some((r) => r.includes('polling loop'))).toBe(false);
  });
});
