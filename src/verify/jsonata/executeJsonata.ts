// A test oracle, not a product path: runs a JSONata-mode definition (top-level "QueryLanguage": "JSONata")
// the way the Step Functions documentation describes it, every expression on the real `jsonata` library.
// aws-local-stepfunctions runs such definitions silently wrong, so verify routes them here.
// Anything the documentation leaves open is refused with NotSupportedByExecutor rather than guessed.
import { randomUUID } from 'node:crypto';
import type { AslDefinition, AslState } from '../../report/types.js';
import { UnboundTaskError } from '../unboundTask.js';
import { InvalidJsonataDefinition, NotSupportedByExecutor, StatesFailure } from './errors.js';
import { evaluateExpression, evaluateTemplate, expressionText, type EvaluationData } from './expressions.js';

export type TaskBinding = (input: unknown) => Promise<unknown>;

export interface WaitRecord {
  state: string;
  seconds?: number;
  timestamp?: string;
}

export interface RetryRecord {
  state: string;
  error: string;
  /** 1 for the first retry. */
  attempt: number;
  /** What Step Functions would wait before this retry (not slept). */
  delaySeconds: number;
}

export interface JsonataTrace {
  /** Every state entered, in order (inner states of Map iterations and Parallel branches included). */
  states: string[];
  waits: WaitRecord[];
  retries: RetryRecord[];
}

export type JsonataOutcome = ({ ok: true; output: unknown } | { ok: false; error: string; cause: string }) & { trace: JsonataTrace };

export interface JsonataRunOptions {
  /** Context object fields; defaults are a generated execution id and the current time. */
  executionId?: string;
  startTime?: string;
  stateMachineName?: string;
}

// Payload limit for state input/output and task results: terminal, not catchable.
const PAYLOAD_LIMIT_BYTES = 262_144;
// Standard workflows stop at 25,000 history events: a runaway loop ends there, not never.
const MAX_STATE_ENTRIES = 25_000;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_BACKOFF_RATE = 2;

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
/** Fields a JSONata state may carry, by type. Anything else is refused. */
const ALLOWED: Record<string, string[]> = {
  Task: [...COMMON, ...FLOW, 'Resource', 'Arguments', 'Output', 'Assign', 'Retry', 'Catch', 'TimeoutSeconds', 'HeartbeatSeconds'],
  Pass: [...COMMON, ...FLOW, 'Output', 'Assign'],
  Choice: [...COMMON, 'Choices', 'Default', 'Output', 'Assign'],
  Wait: [...COMMON, ...FLOW, 'Seconds', 'Timestamp', 'Output', 'Assign'],
  Succeed: [...COMMON, 'Output'],
  Fail: [...COMMON, 'Error', 'Cause'],
  Parallel: [...COMMON, ...FLOW, 'Branches', 'Arguments', 'Output', 'Assign', 'Retry', 'Catch'],
  Map: [...COMMON, ...FLOW, 'ItemProcessor', 'Items', 'ItemSelector', 'MaxConcurrency', 'Output', 'Assign', 'Retry', 'Catch'],
};
const JSONPATH_ONLY = new Set(['InputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'OutputPath', 'ItemsPath', 'Iterator', 'SecondsPath', 'TimestampPath', 'ErrorPath', 'CausePath', 'Result']);

interface Graph {
  StartAt: string;
  States: Record<string, AslState>;
}

/** Variables of one scope: the machine's, or one Map iteration's / Parallel branch's. */
class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(private readonly parent?: Scope) {}

  visible(): Record<string, unknown> {
    return { ...(this.parent?.visible() ?? {}), ...Object.fromEntries(this.vars) };
  }

  private definedAbove(name: string): boolean {
    for (let s = this.parent; s; s = s.parent) if (s.vars.has(name)) return true;
    return false;
  }

  assign(values: Record<string, unknown>, where: string): void {
    for (const [name, value] of Object.entries(values)) {
      // Inner scopes can read outer variables but cannot assign them; names are unique across scopes.
      if (this.definedAbove(name)) throw new InvalidJsonataDefinition(`${where}: assigns $${name}, a variable of an enclosing scope (inner scopes cannot assign outer variables)`);
      this.vars.set(name, value);
    }
  }
}

interface Run {
  bindings: Record<string, TaskBinding>;
  trace: JsonataTrace;
  context: { Execution: Record<string, unknown>; StateMachine: Record<string, unknown> };
  entries: number;
}

interface StateData {
  input: unknown;
  scope: Scope;
  /** Extra context fields (Map.Item inside ItemSelector). */
  retryCount?: number;
  enteredTime: string;
  name: string;
}

function refuseFields(name: string, state: AslState): void {
  const allowed = ALLOWED[state.Type];
  if (!allowed) throw new NotSupportedByExecutor(`state "${name}" has Type ${JSON.stringify(state.Type)}`);
  for (const field of Object.keys(state)) {
    if (allowed.includes(field)) continue;
    if (JSONPATH_ONLY.has(field)) throw new InvalidJsonataDefinition(`state "${name}": ${field} is a JSONPath field; JSONata states use Arguments/Output/Items/ItemSelector`);
    throw new NotSupportedByExecutor(`field ${field} on the ${state.Type} state "${name}"`);
  }
  if (state['QueryLanguage'] !== undefined && state['QueryLanguage'] !== 'JSONata') {
    throw new InvalidJsonataDefinition(`state "${name}": a JSONata top level cannot switch a state back to ${String(state['QueryLanguage'])}`);
  }
}

/** Static checks over every state (nested ones too), before anything runs. */
export function checkJsonataDefinition(definition: AslDefinition): void {
  if (definition['QueryLanguage'] !== 'JSONata') throw new InvalidJsonataDefinition('the definition\'s top-level QueryLanguage is not "JSONata"');
  const visit = (graph: Graph, where: string) => {
    if (!graph || typeof graph.States !== 'object' || !(graph.StartAt in graph.States)) throw new InvalidJsonataDefinition(`${where}: StartAt does not name a state`);
    for (const [name, state] of Object.entries(graph.States)) {
      refuseFields(name, state);
      if (state.Type === 'Map') {
        const processor = state['ItemProcessor'] as (Graph & { ProcessorConfig?: { Mode?: string } }) | undefined;
        if (!processor) throw new InvalidJsonataDefinition(`Map state "${name}" has no ItemProcessor`);
        for (const k of Object.keys(processor)) if (!['StartAt', 'States', 'ProcessorConfig', 'Comment'].includes(k)) throw new NotSupportedByExecutor(`ItemProcessor.${k} on Map state "${name}"`);
        if (processor.ProcessorConfig?.Mode && processor.ProcessorConfig.Mode !== 'INLINE') throw new NotSupportedByExecutor(`Map state "${name}" in ${processor.ProcessorConfig.Mode} mode`);
        visit(processor, `Map state "${name}"`);
      }
      if (state.Type === 'Parallel') for (const [i, b] of ((state['Branches'] as Graph[] | undefined) ?? []).entries()) visit(b, `Parallel state "${name}" branch ${i}`);
      for (const c of (state['Choices'] as Array<Record<string, unknown>> | undefined) ?? []) {
        for (const k of Object.keys(c)) if (!['Condition', 'Next', 'Assign', 'Output', 'Comment'].includes(k)) throw new InvalidJsonataDefinition(`Choice state "${name}": rule field ${k} is not a JSONata Choice rule field (use Condition)`);
        if (expressionText(c['Condition']) === undefined && typeof c['Condition'] !== 'boolean') throw new InvalidJsonataDefinition(`Choice state "${name}": Condition must be a {% %} expression`);
      }
    }
  };
  visit(definition as Graph, 'the definition');
}

function sizeCheck(value: unknown, what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  if (bytes > PAYLOAD_LIMIT_BYTES) throw new StatesFailure('States.DataLimitExceeded', `${what} is ${bytes} bytes, over the 262,144-byte limit`);
}

function contextOf(run: Run, d: StateData, extra?: Record<string, unknown>): Record<string, unknown> {
  return { ...run.context, State: { EnteredTime: d.enteredTime, Name: d.name, RetryCount: d.retryCount ?? 0 }, ...extra };
}

function data(run: Run, d: StateData, more: Record<string, unknown> = {}, contextExtra?: Record<string, unknown>): EvaluationData {
  return { states: { input: d.input, context: contextOf(run, d, contextExtra), ...more }, variables: d.scope.visible() };
}

async function evaluateAssign(assign: unknown, ed: EvaluationData, where: string): Promise<Record<string, unknown>> {
  if (assign === undefined) return {};
  if (!assign || typeof assign !== 'object' || Array.isArray(assign)) throw new NotSupportedByExecutor(`${where}: Assign that is not an object`);
  for (const k of Object.keys(assign)) if (k === 'states') throw new InvalidJsonataDefinition(`${where}: $states is reserved and cannot be assigned`);
  return (await evaluateTemplate(assign, ed, where)) as Record<string, unknown>;
}

/** ErrorEquals matching: States.ALL matches all but States.Runtime and States.DataLimitExceeded. */
function matches(errorEquals: unknown, failure: StatesFailure, where: string): boolean {
  if (!Array.isArray(errorEquals)) throw new InvalidJsonataDefinition(`${where}: ErrorEquals must be a list`);
  // Terminal: no Retrier or Catcher handles it.
  if (failure.error === 'States.DataLimitExceeded') return false;
  for (const name of errorEquals) {
    if (name === failure.error) return true;
    if (name === 'States.ALL' && failure.error !== 'States.Runtime' && failure.error !== 'States.DataLimitExceeded') return true;
    if (name === 'States.TaskFailed') {
      if (failure.fromTask) return failure.error !== 'States.Timeout';
      // Whether TaskFailed also matches an expression failure raised by the same Task state is not documented.
      if (failure.error === 'States.QueryEvaluationError') throw new NotSupportedByExecutor(`${where}: States.TaskFailed against a ${failure.error} of the state's own expressions`);
    }
  }
  return false;
}

interface Outcome {
  output: unknown;
  next?: string;
}

/**
 * The state's work (Arguments → resource/branches/iterations), then Output and Assign, under Retry and
 * Catch. `work` returns `$states.result`.
 */
async function withRetryAndCatch(run: Run, name: string, state: AslState, d: StateData, work: (attempt: StateData) => Promise<unknown>): Promise<Outcome> {
  const retriers = (state['Retry'] as Array<Record<string, unknown>> | undefined) ?? [];
  const attempts = retriers.map(() => 0);
  let retryCount = 0;
  for (;;) {
    const attempt: StateData = { ...d, retryCount };
    let phase: 'work' | 'output' = 'work';
    try {
      const result = await work(attempt);
      sizeCheck(result, `the result of state "${name}"`);
      phase = 'output';
      const ed = data(run, attempt, { result });
      const [output, assigned] = await Promise.all([
        state['Output'] === undefined ? result : evaluateTemplate(state['Output'], ed, `${name}.Output`),
        evaluateAssign(state['Assign'], ed, `${name}.Assign`),
      ]);
      d.scope.assign(assigned, name);
      return { output, next: state['Next'] as string | undefined };
    } catch (e) {
      if (!(e instanceof StatesFailure)) throw e;
      const index = retriers.findIndex((r, i) => matches(r['ErrorEquals'], e, `${name}.Retry[${i}]`));
      if (index >= 0) {
        const r = retriers[index]!;
        const max = (r['MaxAttempts'] as number | undefined) ?? DEFAULT_MAX_ATTEMPTS;
        if (attempts[index]! < max) {
          // Whether AWS retries a failed Output/Assign (the task already ran) is not documented.
          if (phase === 'output') throw new NotSupportedByExecutor(`state "${name}": a Retry that matches a failure of its Output/Assign`);
          const interval = (r['IntervalSeconds'] as number | undefined) ?? DEFAULT_INTERVAL_SECONDS;
          const backoff = (r['BackoffRate'] as number | undefined) ?? DEFAULT_BACKOFF_RATE;
          if (r['JitterStrategy'] !== undefined && r['JitterStrategy'] !== 'NONE') throw new NotSupportedByExecutor(`state "${name}": JitterStrategy ${String(r['JitterStrategy'])} (the delay is random; the executor records delays)`);
          let delay = interval * backoff ** attempts[index]!;
          if (typeof r['MaxDelaySeconds'] === 'number') delay = Math.min(delay, r['MaxDelaySeconds']);
          attempts[index]! += 1;
          retryCount += 1;
          run.trace.retries.push({ state: name, error: e.error, attempt: retryCount, delaySeconds: delay });
          continue;
        }
      }
      const catchers = (state['Catch'] as Array<Record<string, unknown>> | undefined) ?? [];
      const ci = catchers.findIndex((c, i) => matches(c['ErrorEquals'], e, `${name}.Catch[${i}]`));
      if (ci < 0) throw e;
      const catcher = catchers[ci]!;
      for (const k of Object.keys(catcher)) if (!['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment'].includes(k)) throw new InvalidJsonataDefinition(`${name}.Catch[${ci}]: ${k} is not a JSONata Catcher field`);
      const errorOutput = { Error: e.error, Cause: e.causeText };
      const ed = data(run, attempt, { errorOutput });
      // The state's own Assign is skipped; only the Catcher's runs, in the state's scope.
      const [output, assigned] = await Promise.all([
        catcher['Output'] === undefined ? errorOutput : evaluateTemplate(catcher['Output'], ed, `${name}.Catch[${ci}].Output`),
        evaluateAssign(catcher['Assign'], ed, `${name}.Catch[${ci}].Assign`),
      ]);
      d.scope.assign(assigned, `${name}.Catch[${ci}]`);
      return { output, next: catcher['Next'] as string };
    }
  }
}

async function runTask(run: Run, name: string, state: AslState, d: StateData): Promise<Outcome> {
  const binding = run.bindings[name];
  if (!binding) throw new UnboundTaskError(`Task state "${name}" (${String(state['Resource'])}) has no local implementation; refusing to run it (it would call AWS)`);
  for (const f of ['TimeoutSeconds', 'HeartbeatSeconds']) if (state[f] !== undefined) await evaluateTemplate(state[f], data(run, d), `${name}.${f}`);
  return withRetryAndCatch(run, name, state, d, async (attempt) => {
    const args = state['Arguments'] === undefined ? attempt.input : await evaluateTemplate(state['Arguments'], data(run, attempt), `${name}.Arguments`);
    sizeCheck(args, `the input of task "${name}"`);
    try {
      return await binding(args);
    } catch (e) {
      if (e instanceof StatesFailure || e instanceof NotSupportedByExecutor || e instanceof UnboundTaskError) throw e;
      const err = e as Error;
      throw new StatesFailure(err.name || 'Error', err.message ?? String(e), true);
    }
  });
}

async function runParallel(run: Run, name: string, state: AslState, d: StateData): Promise<Outcome> {
  const branches = state['Branches'] as Graph[];
  return withRetryAndCatch(run, name, state, d, async (attempt) => {
    const branchInput = state['Arguments'] === undefined ? attempt.input : await evaluateTemplate(state['Arguments'], data(run, attempt), `${name}.Arguments`);
    // Branches run one after another: the outputs are the same as concurrent runs', in branch order.
    const results: unknown[] = [];
    for (const b of branches) results.push(await runGraph(run, b, branchInput, new Scope(d.scope)));
    return results;
  });
}

async function runMap(run: Run, name: string, state: AslState, d: StateData): Promise<Outcome> {
  const processor = state['ItemProcessor'] as Graph;
  return withRetryAndCatch(run, name, state, d, async (attempt) => {
    const items = state['Items'] === undefined ? attempt.input : await evaluateTemplate(state['Items'], data(run, attempt), `${name}.Items`);
    if (!Array.isArray(items)) throw new NotSupportedByExecutor(`Map state "${name}" over a value that is not an array (the error AWS raises is not documented)`);
    const results: unknown[] = [];
    for (const [index, value] of items.entries()) {
      const iterationInput =
        state['ItemSelector'] === undefined ? value : await evaluateTemplate(state['ItemSelector'], data(run, attempt, {}, { Map: { Item: { Index: index, Value: value } } }), `${name}.ItemSelector`);
      results.push(await runGraph(run, processor, iterationInput, new Scope(d.scope)));
    }
    return results;
  });
}

async function runChoice(run: Run, name: string, state: AslState, d: StateData): Promise<Outcome> {
  const ed = data(run, d);
  let chosen: Record<string, unknown> | undefined;
  for (const [i, rule] of ((state['Choices'] as Array<Record<string, unknown>>) ?? []).entries()) {
    const c = rule['Condition'];
    const value = typeof c === 'boolean' ? c : await evaluateExpression(expressionText(c)!, ed, `${name}.Choices[${i}].Condition`);
    if (typeof value !== 'boolean') throw new StatesFailure('States.QueryEvaluationError', `${name}.Choices[${i}].Condition: the condition returned ${JSON.stringify(value)}, not a boolean`);
    if (value) {
      chosen = rule;
      break;
    }
  }
  if (!chosen && state['Default'] === undefined) throw new StatesFailure('States.NoChoiceMatched', `no Choice rule of state "${name}" matched and it has no Default`);
  // The state-level Assign applies whichever rule matches, a rule's Assign when it matches (AWS "Choice workflow state").
  const [top, ruleAssign] = await Promise.all([evaluateAssign(state['Assign'], ed, `${name}.Assign`), evaluateAssign(chosen?.['Assign'], ed, `${name}.Choices.Assign`)]);
  const clash = Object.keys(top).filter((k) => k in ruleAssign);
  if (clash.length) throw new NotSupportedByExecutor(`Choice state "${name}" assigns ${clash.map((k) => `$${k}`).join(', ')} both at state level and in the matched rule`);
  // Step Functions documents Assign on Choice rules, not Output: a rule's Output is not guessed.
  if (chosen?.['Output'] !== undefined) throw new NotSupportedByExecutor(`Output on a rule of Choice state "${name}"`);
  const output = state['Output'] === undefined ? d.input : await evaluateTemplate(state['Output'], ed, `${name}.Output`);
  d.scope.assign({ ...top, ...ruleAssign }, name);
  return { output, next: (chosen?.['Next'] ?? state['Default']) as string };
}

/** Output and Assign of a state with no result (Pass, Wait): both from the entry data. */
async function passThrough(run: Run, name: string, state: AslState, d: StateData): Promise<Outcome> {
  const ed = data(run, d);
  const [output, assigned] = await Promise.all([state['Output'] === undefined ? d.input : evaluateTemplate(state['Output'], ed, `${name}.Output`), evaluateAssign(state['Assign'], ed, `${name}.Assign`)]);
  d.scope.assign(assigned, name);
  return { output, next: state['Next'] as string | undefined };
}

async function runState(run: Run, name: string, state: AslState, d: StateData): Promise<Outcome> {
  switch (state.Type) {
    case 'Task':
      return runTask(run, name, state, d);
    case 'Pass':
      return passThrough(run, name, state, d);
    case 'Choice':
      return runChoice(run, name, state, d);
    case 'Wait': {
      const ed = data(run, d);
      if (state['Seconds'] !== undefined) {
        const seconds = await evaluateTemplate(state['Seconds'], ed, `${name}.Seconds`);
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) throw new StatesFailure('States.QueryEvaluationError', `${name}.Seconds: ${JSON.stringify(seconds)} is not a non-negative integer`);
        run.trace.waits.push({ state: name, seconds });
      } else if (state['Timestamp'] !== undefined) {
        const timestamp = await evaluateTemplate(state['Timestamp'], ed, `${name}.Timestamp`);
        if (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))) throw new StatesFailure('States.QueryEvaluationError', `${name}.Timestamp: ${JSON.stringify(timestamp)} is not a timestamp`);
        run.trace.waits.push({ state: name, timestamp });
      } else throw new InvalidJsonataDefinition(`Wait state "${name}" has neither Seconds nor Timestamp`);
      return passThrough(run, name, state, d);
    }
    case 'Succeed': {
      const output = state['Output'] === undefined ? d.input : await evaluateTemplate(state['Output'], data(run, d), `${name}.Output`);
      return { output };
    }
    case 'Fail': {
      if (state['Error'] === undefined) throw new NotSupportedByExecutor(`Fail state "${name}" without Error`);
      const ed = data(run, d);
      const error = await evaluateTemplate(state['Error'], ed, `${name}.Error`);
      const cause = state['Cause'] === undefined ? '' : await evaluateTemplate(state['Cause'], ed, `${name}.Cause`);
      throw new StatesFailure(String(error), typeof cause === 'string' ? cause : JSON.stringify(cause));
    }
    case 'Parallel':
      return runParallel(run, name, state, d);
    case 'Map':
      return runMap(run, name, state, d);
    default:
      throw new NotSupportedByExecutor(`state type ${state.Type}`);
  }
}

async function runGraph(run: Run, graph: Graph, input: unknown, scope: Scope): Promise<unknown> {
  let name: string | undefined = graph.StartAt;
  let current = input;
  while (name !== undefined) {
    const state: AslState | undefined = graph.States[name];
    if (!state) throw new InvalidJsonataDefinition(`transition to "${name}", which is not a state of its graph`);
    run.entries += 1;
    if (run.entries > MAX_STATE_ENTRIES) throw new NotSupportedByExecutor(`an execution entering more than ${MAX_STATE_ENTRIES} states`);
    run.trace.states.push(name);
    const outcome: Outcome = await runState(run, name, state, { input: current, scope, enteredTime: new Date().toISOString(), name });
    sizeCheck(outcome.output, `the output of state "${name}"`);
    current = outcome.output;
    if (state.Type === 'Succeed') break;
    if (outcome.next === undefined && state['End'] !== true) throw new InvalidJsonataDefinition(`state "${name}" has neither Next nor End`);
    name = outcome.next;
  }
  return current;
}

/**
 * Run a JSONata definition. `bindings` maps Task state names to their local implementations (as
 * runStateMachine's bindTasks builds them). Returns the execution's output or its error; throws
 * NotSupportedByExecutor, InvalidJsonataDefinition or UnboundTaskError instead of guessing.
 */
export async function runJsonataMachine(definition: AslDefinition, input: unknown, bindings: Record<string, TaskBinding>, options: JsonataRunOptions = {}): Promise<JsonataOutcome> {
  checkJsonataDefinition(definition);
  const smName = options.stateMachineName ?? 'lambda2sfn-verify';
  const execName = randomUUID();
  const run: Run = {
    bindings,
    trace: { states: [], waits: [], retries: [] },
    context: {
      Execution: {
        Id: options.executionId ?? `arn:aws:states:us-east-1:123456789012:execution:${smName}:${execName}`,
        Input: input,
        Name: execName,
        StartTime: options.startTime ?? new Date().toISOString(),
        RoleArn: 'arn:aws:iam::123456789012:role/lambda2sfn-verify',
        RedriveCount: 0,
      },
      StateMachine: { Id: `arn:aws:states:us-east-1:123456789012:stateMachine:${smName}`, Name: smName },
    },
    entries: 0,
  };
  try {
    sizeCheck(input, 'the execution input');
    const output = await runGraph(run, definition as Graph, input, new Scope());
    return { ok: true, output, trace: run.trace };
  } catch (e) {
    if (e instanceof StatesFailure) return { ok: false, error: e.error, cause: e.causeText, trace: run.trace };
    throw e;
  }
}
