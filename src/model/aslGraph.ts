// The edges of an ASL state graph, shared by the emitters (loop passes) and the estimate (routes, loops).
import type { AslState } from './asl.js';

/** The states a state can go to next (Choice rules, Default, Next, Catch), each once. */
export function successors(state: AslState): string[] {
  const out: string[] = [];
  const push = (n: unknown) => {
    if (typeof n === 'string' && !out.includes(n)) out.push(n);
  };
  for (const c of (state['Choices'] as Array<Record<string, unknown>> | undefined) ?? []) push(c['Next']);
  push(state['Default']);
  push(state['Next']);
  for (const c of (state['Catch'] as Array<Record<string, unknown>> | undefined) ?? []) push(c['Next']);
  return out;
}
