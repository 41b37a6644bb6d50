// What both emitters (JSONPath, JSONata) do the same way: the table of named states, chains of states run before a
// step, stated assumptions, the continuation-style compilation of a step list, and the stacks of the try/catch and
// polling loops being compiled, and the steps whose control flow is the same in both (compileStep). Each emitter
// says how the other steps become states, and how a condition becomes a Choice rule.
import type { Catcher, Condition, DynamoCall, MapLoop, PollLoop, Publish, Step, ValueExpr } from '../../model/workflow.js';

type ThrowStep = Extract<Step, { kind: 'throw' }>;
import type { Assumption, AslState, PollingLoop } from '../../report/types.js';
import { catcherOfThrow, catchersFor, withCatchStack } from './catchers.js';
import { choiceName } from './choiceName.js';
import { describePollLoop, type LoopExits } from './loopPass.js';
import { EmitFailure } from './result.js';

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

  protected abstract compileLet(step: Extract<Step, { kind: 'let' }>, next: () => string): string;
  protected abstract compileDynamo(step: DynamoCall, next: string): string;
  protected abstract compilePaginate(step: Extract<Step, { kind: 'paginate' }>, next: string): string;
  protected abstract compilePublish(step: Publish, next: string): string;
  protected abstract compileMap(step: MapLoop, next: string): string;
  protected abstract compilePoll(step: PollLoop, next: () => string): string;
  protected abstract compileReturn(value: ValueExpr, line: number): string;
  /** A Choices entry (without Next) taken when `c` holds; the states it needs first go to `pres`. */
  protected abstract choiceOf(c: Condition, pres: Pre[], line: number): Record<string, unknown>;
  /** The value a switch routes on, as the emitter's case rules read it. */
  protected abstract switchSubject(on: ValueExpr, pres: Pre[], line: number): string;
  /** A Choices entry (without Next) taken when the switch subject is one of `values`. */
  protected abstract caseRule(on: string, values: string[]): Record<string, unknown>;
  /** The fields of the Pass that hands a thrown error to its catch, as a Catch would give it: {Error, Cause}. */
  protected abstract thrownError(step: ThrowStep, pres: Pre[]): Record<string, unknown>;
  /** The Cause (or CausePath) of the Fail state a thrown error that nothing catches ends in. */
  protected abstract failCause(step: ThrowStep, pres: Pre[]): Record<string, unknown>;
  /** Arguments and output of the Task that runs the original handler on the request event. */
  protected abstract handlerIO(): Record<string, unknown>;
  /** The fields each catcher of a Task gets besides ErrorEquals and Next (where the caught error is kept). */
  protected abstract catcherFields(): Record<string, unknown>;
  /** The name a Choice on `c` gets; the JSONPath emitter names some negated conditions its own way. */
  protected choiceName(c: Condition, line: number): string {
    return choiceName(c, line);
  }

  protected catchFor(naming: Parameters<typeof catchersFor>[1]): Array<Record<string, unknown>> | undefined {
    return catchersFor(this.catchStack, naming, this.catcherFields());
  }

  /** How one step becomes states, given the name of what follows it. */
  protected compileStep(step: Step, next: () => string): string {
    switch (step.kind) {
      case 'let': return this.compileLet(step, next);
      case 'dynamo': return this.compileDynamo(step, next());
      case 'paginate': return this.compilePaginate(step, next());
      case 'publish': return this.compilePublish(step, next());
      case 'map': return this.compileMap(step, next());
      case 'poll': return this.compilePoll(step, next);
      case 'wait': return this.add(`Wait ${step.seconds} s`, { Type: 'Wait', Seconds: step.seconds, Next: next() });
      case 'break': case 'continue': {
        const exit = this.loopExits[this.loopExits.length - 1];
        if (!exit) throw new EmitFailure(`${step.kind} outside a polling loop`, step.line);
        return step.kind === 'break' ? exit.breakTo : exit.continueTo;
      }
      case 'return': return this.compileReturn(step.value, step.line);
      case 'throw': {
        const caught = catcherOfThrow(this.catchStack, step.error);
        const pres: Pre[] = [];
        if (caught) return this.chain(pres, this.add(`Throw ${step.error}`, { Type: 'Pass', ...this.thrownError(step, pres), Next: caught }));
        return this.chain(pres, this.add(`Fail ${step.error}`, { Type: 'Fail', Error: step.error, ...this.failCause(step, pres) }));
      }
      case 'invoke-handler': {
        this.resources.add('arn:aws:states:::lambda:invoke');
        this.invokesHandler = true;
        return this.add(`Original handler (line ${step.line})`, {
          Type: 'Task',
          Comment: 'This route stays in the original Lambda handler: it receives the request event and its response is returned as it is',
          Resource: 'arn:aws:states:::lambda:invoke',
          ...this.handlerIO(),
          End: true,
        });
      }
      case 'if': {
        if (step.test.kind === 'and' && step.test.items.length === 0) return this.compileSteps(step.then, next);
        if (step.test.kind === 'or' && step.test.items.length === 0) return this.compileSteps(step.else, next);
        let joined: string | undefined;
        const join = () => (joined ??= next());
        const elseEntry = this.compileSteps(step.else, join);
        const thenEntry = this.compileSteps(step.then, join);
        const pres: Pre[] = [];
        const rule = this.choiceOf(step.test, pres, step.line);
        const choice = this.add(this.choiceName(step.test, step.line), { Type: 'Choice', Choices: [{ ...rule, Next: thenEntry }], Default: elseEntry });
        return this.chain(pres, choice);
      }
      case 'switch': {
        let joined: string | undefined;
        const join = () => (joined ??= next());
        const pres: Pre[] = [];
        const on = this.switchSubject(step.on, pres, step.line);
        const defaultEntry = this.compileSteps(step.default, join);
        const choices = step.cases.map((c) => {
          const entry = this.compileSteps(c.body, join);
          return { ...this.caseRule(on, c.values), Next: entry };
        });
        const field = step.on.kind === 'event' ? step.on.path.join('.') : 'value';
        return this.chain(pres, this.add(`Route on ${field}`, { Type: 'Choice', Choices: choices, Default: defaultEntry }));
      }
      case 'try': {
        let joined: string | undefined;
        // What follows the try is compiled lazily, possibly from inside its body: it gets the catchers around the
        // try, not the try's own (a Task after the block must not jump into the catch branch).
        const outer = this.catchStack.slice();
        const join = () => (joined ??= withCatchStack(this.catchStack, outer, next));
        const catchers = step.catchers.map((c: Catcher) => ({ errors: c.errors, next: this.compileSteps(c.body, join) }));
        this.catchStack.push(catchers);
        try {
          return this.compileSteps(step.body, join);
        } finally {
          this.catchStack.pop();
        }
      }
    }
  }

  /** A Map over a list cannot yet take the catchers of the calls inside it. */
  protected checkMapOutsideTry(step: MapLoop): void {
    if (this.catchStack.length) throw new EmitFailure('a loop inside try/catch is not converted yet (the Map state would need the catchers of the calls inside it)', step.line);
  }

  /** Takes in what a nested emitter (a Map's iterations) collected: resources, assumptions, loops, handler use. */
  protected absorb(child: AslBuilder): void {
    child.resources.forEach((r) => this.resources.add(r));
    child.assumptions.forEach((a) => this.assumeOnce(a.line, a.message));
    this.pollingLoops.push(...child.pollingLoops);
    if (child.invokesHandler) this.invokesHandler = true;
  }

  /** Closes a polling loop: `Count` goes back to the loop's entry, and the loop's cost is recorded. */
  protected closePollLoop(step: PollLoop, count: string, choice: string, entry: string, statesBefore: number): void {
    this.states[count]!['Next'] = entry;
    const { loop, assumption } = describePollLoop(this.states, step, choice, entry, statesBefore);
    this.pollingLoops.push(loop);
    this.assumeOnce(step.line, assumption);
  }

  /** The Catch of a Task that can fail with errors named by `naming`, when some try encloses it. */
  protected withCatch(state: AslState, naming: Parameters<typeof catchersFor>[1]): AslState {
    const catches = this.catchFor(naming);
    if (catches) state['Catch'] = catches;
    return state;
  }

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
