// The cost of one pass of a Choice loop (a polling loop): the most states and the longest wait on any way round.
import type { AslState } from '../report/types.js';

/** The states a state can go to next (Next, Choice rules, Default, Catch). */
export function successors(state: AslState): string[] {
  const out: string[] = [];
  if (typeof state['Next'] === 'string') out.push(state['Next']);
  for (const c of (state['Choices'] as Array<{ Next?: string }> | undefined) ?? []) if (c.Next) out.push(c.Next);
  if (typeof state['Default'] === 'string') out.push(state['Default']);
  for (const c of (state['Catch'] as Array<{ Next?: string }> | undefined) ?? []) if (c.Next) out.push(c.Next);
  return out;
}

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
