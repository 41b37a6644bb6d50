// The cost of one pass of a Choice loop (a polling loop): the most states and the longest wait on any way round.
import type { PollLoop } from '../../model/workflow.js';
import type { AslState, PollingLoop } from '../../report/types.js';
import { successors } from '../../model/aslGraph.js';

/**
 * Walks every way from `entry` back to `entry` through `loopStates` (a pass of the loop; a loop nested inside counts
 * once) and returns the most states entered and the most seconds waited on one way round.
 */
export function loopPass(states: Record<string, AslState>, entry: string, loopStates: Set<string>): { states: number; waitSeconds: number } {
  const best = { states: 0, waitSeconds: 0 };
  const onPath = new Set<string>();
  const visit = (name: string, entered: number, waited: number): void => {
    if (name === entry && onPath.size) {
      best.states = Math.max(best.states, entered);
      best.waitSeconds = Math.max(best.waitSeconds, waited);
      return;
    }
    if (!loopStates.has(name) || onPath.has(name)) return;
    const state = states[name]!;
    const wait = state.Type === 'Wait' && typeof state['Seconds'] === 'number' ? state['Seconds'] : 0;
    onPath.add(name);
    for (const next of successors(state)) visit(next, entered + 1, waited + wait);
    onPath.delete(name);
  };
  visit(entry, 0, 0);
  return best;
}

/** Where `break` and `continue` of the polling loops being compiled go, innermost last. */
export type LoopExits = Array<{ breakTo: string; continueTo: string }>;

/** Compile a loop body with its `break`/`continue` targets on the stack. */
export function withLoopExits<T>(exits: LoopExits, targets: { breakTo: string; continueTo: string }, compileBody: () => T): T {
  exits.push(targets);
  try {
    return compileBody();
  } finally {
    exits.pop();
  }
}

/**
 * Once a polling loop is compiled (its states are those added since `statesBefore`; `entry` leads to its Choice):
 * the Choice's Comment, the loop's facts for the report and the assumption proposing the callback pattern.
 */
export function describePollLoop(states: Record<string, AslState>, step: PollLoop, choice: string, entry: string, statesBefore: number): { loop: PollingLoop; assumption: string } {
  const pass = loopPass(states, entry, new Set(Object.keys(states).slice(statesBefore)));
  const polling = step.maxPolls * pass.states;
  states[choice]!['Comment'] = `At most ${step.maxPolls} polls, like the code's bound on ${step.counter}; up to ${step.maxPolls * pass.waitSeconds} s of waiting in all`;
  return {
    loop: { line: step.line, choiceState: choice, maxPolls: step.maxPolls, waitSecondsPerPoll: pass.waitSeconds, statesPerPoll: pass.states },
    assumption: `polling loop (line ${step.line}): up to ${step.maxPolls} polls × ${pass.states} states per poll = ${polling} state transitions per execution (Standard bills each one). If the awaited job can call back, the callback pattern replaces the loop: one Task with .waitForTaskToken (Standard workflows only) that the job completes with SendTaskSuccess/SendTaskFailure, about ${polling - 1} transitions saved per execution and no wait between polls`,
  };
}
