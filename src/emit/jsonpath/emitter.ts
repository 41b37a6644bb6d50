// Workflow model → ASL in the JSONPath query language.
// State input layout: { event: <the handler's event>, vars: { <stored values and results> } }.
// Built backwards (continuation style): each step is compiled with the name of the state that follows it.
import { CAUGHT_ERROR, integrationOf, type Condition, type DynamoCall, type ItemSchema, type Json, type MapLoop, type PollLoop, type Publish, type Step, type ValueExpr, type Workflow } from '../../model/workflow.js';
import type { AslDefinition, AslState } from '../../report/types.js';
import type { Pre } from '../shared/aslBuilder.js';
import { pascalWords } from '../shared/catchers.js';
import { letSteps } from '../shared/letSteps.js';
import { withLoopExits } from '../shared/loopPass.js';
import { EmitFailure, HANDLER_SUBSTITUTION, type EmitResult } from '../shared/result.js';
import { ATTRIBUTE_MAPS, dynamoRetry, dynamoTask, missingInsideAttribute, publishRetry, responseName, UNDEFINED_INSIDE_ATTRIBUTE } from '../shared/tasks.js';
import { JsonPathDynamo } from './dynamo.js';
import { NULL_OUTPUT, requestMayBeNull, sureEventFields, typesAssumed, type Ref } from './values.js';

export class JsonPathEmitter extends JsonPathDynamo {
  constructor(comment: string, prefix = '') {
    super(comment, prefix, 'tmp');
  }

  emit(workflow: Workflow): EmitResult {
    this.sureEventFields = sureEventFields(workflow.eventSource);
    this.boxMaybeUndefined(workflow.steps);
    const start = this.compileSteps(workflow.steps, () => this.implicitEnd());
    let init = this.add('Init', {
      Type: 'Pass',
      Comment: 'Keep the request under $.event and start an empty $.vars for stored values',
      Parameters: { 'event.$': '$', vars: {} },
      Next: start,
    });
    if (workflow.recordsBatch) {
      // EventBridge Pipes sends the batch as a bare list of records: keep it as $.event.Records.
      const fromList = this.add('Init from a list of records', {
        Type: 'Pass',
        Comment: 'An EventBridge Pipe sends the batch as a list of records: keep it as $.event.Records',
        Parameters: { event: { 'Records.$': '$' }, vars: {} },
        Next: start,
      });
      init = this.add('Records or a list?', { Type: 'Choice', Choices: [{ Variable: '$.Records', IsPresent: true, Next: init }], Default: fromList });
    }
    const definition: AslDefinition = { Comment: this.comment, StartAt: init, States: this.orderedStates(init) };
    if (this.presentEventFields.size) {
      const fields = [...this.presentEventFields].sort().map((f) => `event.${f}`).join(', ');
      this.assumeOnce(0, `${fields} ${this.presentEventFields.size > 1 ? 'are' : 'is'} taken to be in every event: an object built from ${this.presentEventFields.size > 1 ? 'them' : 'it'} reads ${this.presentEventFields.size > 1 ? 'them' : 'it'} with a path, which fails the execution (States.Runtime) when the field is absent, where the handler would leave the key out (JSONata output has no such limit)`);
    }
    return { definition, resources: [...this.resources].sort(), residuals: this.residuals, assumptions: this.assumptions, invokesHandler: this.invokesHandler, pollingLoops: this.pollingLoops };
  }

  /** An ItemProcessor that turns one typed item (its input) into a plain object. */
  emitItemUnmarshal(schema: ItemSchema, line: number): { StartAt: string; States: Record<string, AslState> } {
    const item: ValueExpr = { kind: 'ddb', step: 'it', field: 'Item', path: [], schema, present: true };
    const start = this.compileReturn(item, line);
    const init = this.add('Keep item', { Type: 'Pass', Parameters: { vars: { it: { 'Item.$': '$' } } }, Next: start });
    return { StartAt: init, States: this.orderedStates(init) };
  }

  private itemMaps = 0;

  /** Query/Scan Items with a known schema: a Map state unmarshals each item attribute by attribute. */
  protected unmarshalItemsWithMap(v: Extract<ValueExpr, { kind: 'ddb' }>, schema: ItemSchema, pres: Pre[], line: number): string {
    const target = `$.vars.${this.tmp()}`;
    this.assumeOnce(line, typesAssumed(schema.source));
    // State names are global: the states of a second Map that unmarshals items are named apart.
    this.itemMaps += 1;
    const child = new JsonPathEmitter('', `${this.prefix}Each item${this.itemMaps > 1 ? ` ${this.itemMaps}` : ''}: `);
    const processor = child.emitItemUnmarshal(schema, line);
    child.resources.forEach((r) => this.resources.add(r));
    pres.push((n) =>
      this.add('Unmarshal items', {
        Type: 'Map',
        ItemsPath: `$.vars.${v.step}.Items`,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...processor },
        ResultPath: target,
        Next: n,
      }),
    );
    return target;
  }

  protected implicitEnd(): string {
    if (!this.endState) this.endState = this.add('Return nothing', { Type: 'Pass', Comment: 'The handler ends without returning a value', ...NULL_OUTPUT, End: true });
    return this.endState;
  }


  // ---------------------------------------------------------------- steps

  protected choiceOf(c: Condition, pres: Pre[], line: number): Record<string, unknown> {
    return this.conditionRule(c, pres, line);
  }

  /** Switch subjects that may be missing: a comparison on a missing path fails the execution, where a switch takes the default. */
  private readonly guardedSubjects = new Set<string>();

  protected switchSubject(on: ValueExpr, pres: Pre[], line: number): string {
    const path = this.pathOf(on, pres, line);
    const topField = on.kind === 'event' && on.path.length === 1 && !on.present ? on.path[0] : undefined;
    if (this.mayBeMissing(on) || (topField !== undefined && !this.sureEventFields.has(topField))) this.guardedSubjects.add(path);
    return path;
  }

  protected caseRule(on: string, values: string[]): Record<string, unknown> {
    const guarded = this.guardedSubjects.has(on);
    const rules = values.map((v) => (guarded ? { And: [{ Variable: on, IsPresent: true }, { Variable: on, StringEquals: v }] } : { Variable: on, StringEquals: v }));
    return rules.length === 1 ? rules[0]! : { Or: rules };
  }

  protected thrownError(step: Extract<Step, { kind: 'throw' }>, pres: Pre[]): Record<string, unknown> {
    if (!step.causeValue) return { Result: { Error: step.error, Cause: step.cause }, ResultPath: `$.vars.${CAUGHT_ERROR}` };
    return { Parameters: { Error: step.error, ...this.causeField(step.causeValue, pres, step.line, 'Cause') }, ResultPath: `$.vars.${CAUGHT_ERROR}` };
  }

  protected failCause(step: Extract<Step, { kind: 'throw' }>, pres: Pre[]): Record<string, unknown> {
    if (!step.causeValue) return { Cause: step.cause };
    const f = this.causeField(step.causeValue, pres, step.line, 'Cause');
    return 'Cause' in f ? f : { CausePath: f['Cause.$'] };
  }

  /** A computed message as `Cause` (a constant) or `Cause.$` (a path, or an intrinsic that formats it). */
  private causeField(v: ValueExpr, pres: Pre[], line: number, key: string): Record<string, unknown> {
    const r = this.ref(v, pres, line);
    if (r.kind === 'literal' && typeof r.value === 'string') return { [key]: r.value };
    if (r.kind === 'path' || r.kind === 'intrinsic') return { [`${key}.$`]: r.kind === 'path' ? r.path : r.expr };
    throw new EmitFailure('the message of a thrown error is not a string JSONPath can compute', line);
  }

  protected handlerIO(): Record<string, unknown> {
    return { Parameters: { FunctionName: `\${${HANDLER_SUBSTITUTION}}`, 'Payload.$': '$.event' }, OutputPath: '$.Payload' };
  }

  protected compilePaginate(step: Extract<Step, { kind: 'paginate' }>): string {
    throw new EmitFailure('pagination loop over LastEvaluatedKey: a Choice loop can fetch the pages, but JSONPath has no way to append each page\'s items to a list (JSONata can: $append); not converted', step.line);
  }

  /**
   * A variable some `let` may leave undefined (an item attribute that may be absent, `let x;`) is stored wrapped by
   * every store of it, { value } or {} for undefined, decided before anything is compiled: a read compiled before a
   * later store (a branch's, a loop body's) must read the same shape, and a path to a missing value fails the state.
   */
  private boxMaybeUndefined(steps: Step[]): void {
    const lets = letSteps(steps, true);
    const undefinedValue = (v: ValueExpr): boolean => {
      switch (v.kind) {
        case 'undefined': return true;
        case 'ddb': return this.mayBeMissing(v);
        case 'var': return v.path.length === 0 && this.mayBeUndefinedVars.has(v.name) && !v.present;
        case 'coalesce': return undefinedValue(v.fallback);
        case 'conditional': return undefinedValue(v.then) || undefinedValue(v.else);
        default: return false;
      }
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const l of lets) {
        if (this.mayBeUndefinedVars.has(l.name) || !undefinedValue(l.value)) continue;
        this.mayBeUndefinedVars.add(l.name);
        this.wrapped.add(l.name);
        changed = true;
      }
    }
  }

  protected compileLet(step: Extract<Step, { kind: 'let' }>, nextThunk: () => string): string {
    const { name, value, line } = step;
    const pres: Pre[] = [];
    const ref = this.ref(value, pres, line);
    const target = `$.vars.${name}`;
    // Decide how the value is stored before the steps that read it are compiled.
    if (ref.kind === 'intrinsic') this.wrapped.add(name);
    if (value.kind === 'object') this.varOptionalFields.set(name, new Set(this.lastObjectOptional));
    this.storedKinds.set(name, value.kind);
    const next = nextThunk();
    const stateName = value.kind === 'residual' ? `Keep ${name}` : `Set ${name}`;
    if (this.mayBeUndefinedVars.has(name)) return this.chain(pres, this.storeWrapped(stateName, target, ref, value, line, next));
    let state: AslState;
    if (ref.kind === 'template') {
      state = { Type: 'Pass', Parameters: ref.payload, ResultPath: target, Next: next };
    } else if (ref.kind === 'path') {
      state = { Type: 'Pass', InputPath: ref.path, ResultPath: target, Next: next };
    } else if (ref.kind === 'literal') {
      if (!ref.value) return this.chain(pres, this.assign(target, ref, next));
      state = { Type: 'Pass', Result: ref.value, ResultPath: target, Next: next };
    } else if (ref.kind === 'intrinsic') {
      this.wrapped.add(name);
      state = { Type: 'Pass', Parameters: { 'value.$': ref.expr }, ResultPath: target, Next: next };
    } else {
      return this.chain(pres, this.assign(target, { kind: 'literal', value: null }, next));
    }
    return this.chain(pres, this.add(stateName, state));
  }

  /** Store { value } at `target`, or {} where the value is undefined (a path that may point to nothing is tested first). */
  private storeWrapped(stateName: string, target: string, ref: Ref, value: ValueExpr, line: number, next: string): string {
    const undefinedState = () => this.add(`${stateName} undefined`, { Type: 'Pass', Result: {}, ResultPath: target, Next: next });
    switch (ref.kind) {
      case 'omit': return undefinedState();
      case 'literal': return this.add(stateName, { Type: 'Pass', Result: { value: ref.value }, ResultPath: target, Next: next });
      case 'template': return this.add(stateName, { Type: 'Pass', Parameters: { value: ref.payload }, ResultPath: target, Next: next });
      case 'intrinsic': return this.add(stateName, { Type: 'Pass', Parameters: { 'value.$': ref.expr }, ResultPath: target, Next: next });
      case 'path': {
        const store = this.add(stateName, { Type: 'Pass', Parameters: { 'value.$': ref.path }, ResultPath: target, Next: next });
        if (!this.mayBeMissing(value)) return store;
        const test = this.add(`${stateName.replace(/^(Set|Keep) /, '')} defined? (line ${line})`, { Type: 'Choice', Choices: [{ Variable: ref.path, IsPresent: true, Next: store }], Default: undefinedState() });
        // `Item.x` with no item throws in the handler: the state machine fails there too, before the test.
        return value.kind === 'ddb' && value.unguarded ? this.itemExists(value, test, line) : test;
      }
    }
  }

  protected compileDynamo(step: DynamoCall, next: string): string {
    const pres: Pre[] = [];
    const { resource, prefix, returnsValues } = dynamoTask(step);
    this.resources.add(resource);
    const payload: Record<string, unknown> = {};
    this.currentSchema = step.schema;
    for (const [key, param] of Object.entries(step.params)) {
      let ref: Ref;
      if (param.kind === 'plain') ref = this.ref(param.value, pres, step.line);
      else if (param.kind === 'typed') ref = this.ref(param.value, pres, step.line);
      else if (param.kind === 'nested') ref = this.marshalNested(param.value, pres, step.line);
      else {
        const inside = step.undefinedThrows && ATTRIBUTE_MAPS.includes(key) ? missingInsideAttribute(param.value, (x) => this.mayBeMissing(x)) : undefined;
        if (inside) throw new EmitFailure(`${inside} ${UNDEFINED_INSIDE_ATTRIBUTE}`, step.line);
        ref = ATTRIBUTE_MAPS.includes(key) ? this.marshalMap(param.value, pres, step.line, key === 'Item') : this.marshal(param.value, pres, step.line);
      }
      this.put(payload, key, ref);
    }
    this.currentSchema = undefined;
    const state: AslState = {
      Type: 'Task',
      Resource: resource,
      Parameters: payload,
      ResultPath: returnsValues ? `$.vars.${step.result}` : null,
      Next: next,
      Retry: dynamoRetry(prefix),
    };
    return this.chain(pres, this.add(pascalWords(step.op), this.withCatch(state, prefix)));
  }

  protected compilePublish(step: Publish, next: string): string {
    const pres: Pre[] = [];
    const integration = integrationOf(step);
    const resource = integration.resource;
    this.resources.add(resource);
    const payload: Record<string, unknown> = {};
    // A member that may be null or missing is left out of the request as the SDK leaves it out: the arguments are
    // built as an object first, and the Task takes them whole (no Parameters).
    const whole = step.service !== 'http' && step.service !== 'lambda' && step.service !== 'bedrock'
      && Object.values(step.params).some((v) => this.mayBeMissing(v) || requestMayBeNull(v));
    const args = whole ? this.sdkCallArguments(true, () => this.ref({ kind: 'object', entries: Object.entries(step.params) }, pres, step.line)) : undefined;
    for (const [k, v] of whole ? [] : Object.entries(step.params)) {
      // The SDK leaves a null member of its request out, but not one inside a JSON document it sends (a Payload, a Body).
      const sdk = step.service !== 'http' && !(step.service === 'lambda' && k === 'Payload') && !(step.service === 'bedrock' && k === 'Body');
      // Arrays of objects (EventBridge Entries) stay payload templates: `.$` fields work inside them.
      const items = v.kind === 'array' ? this.sdkCallArguments(sdk, () => v.items.map((i) => this.ref(i, pres, step.line))) : undefined;
      if (items && items.length && items.every((i) => i.kind === 'template' || i.kind === 'literal')) {
        payload[k] = items.map((i) => (i.kind === 'template' ? i.payload : (i as { value: Json }).value));
        continue;
      }
      this.put(payload, k, this.sdkCallArguments(sdk, () => this.ref(v, pres, step.line)));
    }
    const input = args?.kind === 'path' ? { InputPath: args.path } : { Parameters: args?.kind === 'template' ? args.payload : payload };
    const state: AslState = { Type: 'Task', Resource: resource, ...input, ResultPath: step.keepResult ? `$.vars.${step.result}` : null, Next: next };
    if (step.service === 'lambda' && step.keepResult) state['ResultSelector'] = { 'StatusCode.$': '$.StatusCode', 'Payload.$': '$.Payload' };
    // The model's answer, parsed from JSON: what JSON.parse of the decoded SDK body gives.
    if (step.service === 'bedrock' && step.keepResult) state['ResultSelector'] = { 'Body.$': '$.Body' };
    if (step.service === 'http') {
      state['ResultSelector'] = { 'StatusCode.$': '$.StatusCode', 'ResponseBody.$': '$.ResponseBody' };
      if (step.jsonBody) {
        // A JSON ResponseBody may come back as text: parse it then, as res.json() does.
        const result = `$.vars.${step.result}`;
        const parse = this.add('Parse response body', { Type: 'Pass', Parameters: { 'StatusCode.$': `${result}.StatusCode`, 'ResponseBody.$': `States.StringToJson(${result}.ResponseBody)` }, ResultPath: result, Next: next });
        state['Next'] = this.add('Response body is text?', { Type: 'Choice', Choices: [{ Variable: `${result}.ResponseBody`, IsString: true, Next: parse }], Default: next });
      }
    }
    // The SDK's Lambda response and the integration's share StatusCode and the Payload (bytes there, JSON here).
    const retry = publishRetry(step.service);
    if (retry) state['Retry'] = retry;
    return this.chain(pres, this.add(integration.stateName, this.withCatch(state, integration.errors)));
  }

  /**
   * A loop as an inline Map state. Each iteration gets the state input ({event, vars}) and the element, which a
   * first Pass stores as `$.vars.<item>`; the iterations' results are dropped (the loop ran for its calls).
   */
  protected compileMap(step: MapLoop, next: string): string {
    this.checkMapOutsideTry(step);
    const pres: Pre[] = [];
    const itemsPath = this.pathOf(step.items, pres, step.line);
    const child = new JsonPathEmitter('', `${this.prefix}Each ${step.item}: `);
    // The body reads the outer stored values the way they were stored.
    this.wrapped.forEach((w) => child.wrapped.add(w));
    this.mayBeUndefinedVars.forEach((w) => child.mayBeUndefinedVars.add(w));
    this.storedKinds.forEach((k, n) => child.storedKinds.set(n, k));
    this.varOptionalFields.forEach((f, n) => child.varOptionalFields.set(n, new Set(f)));
    child.tmpCounter = this.tmpCounter;
    child.sureEventFields = this.sureEventFields;
    const start = child.compileSteps(step.body, () => child.implicitEnd());
    const keep = child.add(`Keep ${step.item}`, { Type: 'Pass', Comment: 'Store the element under $.vars, next to the values stored before the loop', InputPath: '$.item', ResultPath: `$.vars.${step.item}`, Next: start });
    this.tmpCounter = child.tmpCounter;
    this.absorb(child);
    this.residuals.push(...child.residuals);
    child.presentEventFields.forEach((f) => this.presentEventFields.add(f));
    const state: AslState = {
      Type: 'Map',
      ItemsPath: itemsPath,
      ItemSelector: { 'event.$': '$.event', 'vars.$': '$.vars', 'item.$': '$$.Map.Item.Value' },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: keep, States: child.orderedStates(keep) },
      MaxConcurrency: step.maxConcurrency,
      ResultPath: null,
      Next: next,
    };
    if (step.collect) {
      // Each iteration returned a list ([] or [x]): `[*][*]` concatenates them into one list. That path matches
      // nothing when every list is empty, so the distinct results decide first: some list is non-empty when the
      // first distinct one has an element or there are two distinct ones (only one can be empty).
      const each = `$.vars.${this.tmp()}`;
      const distinct = `$.vars.${this.tmp()}`;
      const target = `$.vars.${step.collect}`;
      state['ResultPath'] = each;
      const collect = this.add(`Collect ${step.collect}`, { Type: 'Pass', InputPath: `${each}[*][*]`, ResultPath: target, Next: next });
      const none = this.add(`No ${step.collect}`, { Type: 'Pass', Result: [], ResultPath: target, Next: next });
      const any = this.add(`Any ${step.collect}?`, {
        Type: 'Choice',
        Choices: [
          { Variable: `${distinct}.value[0][0]`, IsPresent: true, Next: collect },
          { Variable: `${distinct}.value[1]`, IsPresent: true, Next: collect },
        ],
        Default: none,
      });
      state['Next'] = this.add('Distinct results', { Type: 'Pass', Parameters: { 'value.$': `States.ArrayUnique(${each})` }, ResultPath: distinct, Next: any });
      this.storedKinds.set(step.collect, 'array');
    }
    return this.chain(pres, this.add(step.maxConcurrency === 1 ? `For each ${step.item}` : `For each ${step.item} (in parallel)`, state));
  }

  /**
   * Start counter → Choice (test) → body → counter + 1 → back to the Choice; Default leaves the loop. The counter is
   * stored wrapped ({ value }) because States.MathAdd is an intrinsic, from the first store on.
   */
  protected compilePoll(step: PollLoop, nextThunk: () => string): string {
    const target = `$.vars.${step.counter}`;
    this.wrapped.add(step.counter);
    this.storedKinds.set(step.counter, 'intrinsic');
    // The steps after the loop read the counter as stored here: compile them once it is marked wrapped.
    const next = nextThunk();
    const wrappedBefore = new Set(this.wrapped);
    const statesBefore = Object.keys(this.states).length;
    const count = this.add(`Count ${step.counter}`, { Type: 'Pass', Parameters: { 'value.$': `States.MathAdd(${target}.value, 1)` }, ResultPath: target, Next: '' });
    const bodyStart = withLoopExits(this.loopExits, { breakTo: next, continueTo: count }, () => this.compileSteps(step.body, () => count));
    // A variable the loop stores in another form than before the loop would be read from the wrong path.
    const rewrapped = [...this.wrapped].find((w) => !wrappedBefore.has(w));
    if (rewrapped) throw new EmitFailure(`the polling loop stores ${rewrapped} as an intrinsic result ({ value }) where the loop test reads it as a plain value; not converted`, step.line);
    const pres: Pre[] = [];
    const rule = this.conditionRule(step.test, pres, step.line);
    const choice = this.add(`Poll again? (line ${step.line})`, { Type: 'Choice', Comment: '', Choices: [{ ...rule, Next: bodyStart }], Default: next });
    const entry = this.chain(pres, choice);
    this.closePollLoop(step, count, choice, entry, statesBefore);
    return this.add(`Start ${step.counter} at ${step.start}`, { Type: 'Pass', Result: { value: step.start }, ResultPath: target, Next: step.checkFirst ? entry : bodyStart });
  }

  protected compileReturn(value: ValueExpr, line: number): string {
    const pres: Pre[] = [];
    const ref = this.ref(value, pres, line);
    const name = responseName(value);
    let state: AslState;
    if (ref.kind === 'template') state = { Type: 'Pass', Parameters: ref.payload, End: true };
    else if (ref.kind === 'literal') state = !ref.value ? { Type: 'Pass', Parameters: { value: ref.value }, OutputPath: '$.value', End: true } : { Type: 'Pass', Result: ref.value, End: true };
    else if (ref.kind === 'path') state = { Type: 'Pass', InputPath: ref.path, End: true };
    else if (ref.kind === 'intrinsic') {
      const tmp = this.tmp();
      const store = (n: string) => this.add('Compute response', { Type: 'Pass', Parameters: { 'value.$': ref.expr }, ResultPath: `$.vars.${tmp}`, Next: n });
      return this.chain([...pres, store], this.add(name, { Type: 'Pass', InputPath: `$.vars.${tmp}.value`, End: true }));
    } else state = { Type: 'Pass', ...NULL_OUTPUT, End: true };
    return this.chain(pres, this.add(name, state));
  }
}

export function emitJsonPath(workflow: Workflow, comment: string): EmitResult {
  return new JsonPathEmitter(comment).emit(workflow);
}
