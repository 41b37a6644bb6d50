// What both emitters (JSONPath, JSONata) do the same way: the table of named states, chains of states run before a
// step, stated assumptions, the continuation-style compilation of a step list, and the stacks of the try/catch and
// polling loops being compiled. Each emitter says how one step becomes states (compileStep).
import type { Step } from '../model/workflow.js';
import type { Assumption, AslState, PollingLoop } from '../report/types.js';
import type { LoopExits } from './loopPass.js';

/** States to run before an expression can be evaluated: a chain builder taking the next state's name. */
export type Pre = (next: string) => string;

export abstract class AslBuilder {
  protected readonly states: Record<string, AslState> = {};
  protected readonly resources = new Set<string>();
  protected readonly assumptions: Assumption[] = [];
  /** Catchers of the try blocks being compiled, innermost last. */
  protected readonly catchStack: Array<Array<{ errors: string[]; next: string }>> = [];
  protected readonly loopExits: LoopExits = [];
  protected readonly pollingLoops: PollingLoop[] = [];
  protected tmpCounter = 0;
  protected endState: string | undefined;
  /** Some route is answered by the original handler. */
  invokesHandler = false;

  /** `prefix` keeps the names of nested (Map) states distinct from the outer ones: ASL names are global. */
  constructor(protected readonly comment: string, protected readonly prefix: string, private readonly tmpPrefix: string) {}

  /** How one step becomes states, given the name of what follows it. */
  protected abstract compileStep(step: Step, next: () => string): string;

  /** A state under a name unique in the machine (ASL names are at most 80 characters). */
  protected add(base0: string, state: AslState): string {
    const base = this.prefix + base0;
    let name = base.slice(0, 78);
    for (let i = 2; this.states[name]; i++) name = `${base.slice(0, 74)} ${i}`;
    this.states[name] = state;
    return name;
  }

  protected tmp(): string {
    this.tmpCounter += 1;
    return `${this.tmpPrefix}${this.tmpCounter}`;
  }

  /** The entry of `pres` run in order, then `next`. */
  protected chain(pres: Pre[], next: string): string {
    let entry = next;
    for (let i = pres.length - 1; i >= 0; i--) entry = pres[i]!(entry);
    return entry;
  }

  protected assumeOnce(line: number, message: string): void {
    if (!this.assumptions.some((a) => a.message === message)) this.assumptions.push({ line, message });
  }

  /** States in the order a reader follows them (depth-first from StartAt: Next, Choices, Default, Catch). */
  protected orderedStates(start: string): Record<string, AslState> {
    const out: Record<string, AslState> = {};
    const visit = (name: string | undefined) => {
      if (!name || out[name] || !this.states[name]) return;
      const s = this.states[name]!;
      out[name] = s;
      const nexts: string[] = [];
      if (typeof s['Next'] === 'string') nexts.push(s['Next']);
      for (const c of (s['Choices'] as Array<{ Next: string }> | undefined) ?? []) nexts.push(c.Next);
      if (typeof s['Default'] === 'string') nexts.push(s['Default']);
      for (const c of (s['Catch'] as Array<{ Next: string }> | undefined) ?? []) nexts.push(c.Next);
      nexts.forEach(visit);
    };
    visit(start);
    return out;
  }

  /** Built backwards (continuation style): each step is compiled once, with the entry of the steps after it. */
  protected compileSteps(steps: Step[], next: () => string): string {
    let cont: () => string = next;
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      const after = cont;
      let cached: string | undefined;
      cont = () => (cached ??= this.compileStep(step, after));
    }
    return cont();
  }
}
