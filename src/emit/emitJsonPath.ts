// Workflow model → ASL in the JSONPath query language.
// State input layout: { event: <the handler's event>, vars: { <stored values and results> } }.
// Built backwards (continuation style): each step is compiled with the name of the state that follows it.
import type { Assumption, AslDefinition, AslState, PollingLoop } from '../report/types.js';
import {
  CAUGHT_ERROR, OPTIMIZED_OPS, BEDROCK_RETRY_ERRORS, integrationOf, type ErrorNaming, type ItemSchema, type Catcher, type Condition, type DynamoCall, type Json, type MapLoop, type PollLoop, type Publish, type Step, type ValueExpr, type ValueType, type Workflow,
} from '../model/workflow.js';
import { typeOfValue } from '../model/valueType.js';
import { AslBuilder, type Pre } from './aslBuilder.js';
import { describePollLoop, withLoopExits } from './loopPass.js';
import { catcherOfThrow, catchersFor, isIdent, pascalWords, withCatchStack } from './catchers.js';

export class EmitFailure extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

/** How a value is referenced from a JSONPath payload template. */
type Ref =
  | { kind: 'literal'; value: Json }
  | { kind: 'path'; path: string }
  | { kind: 'intrinsic'; expr: string }
  | { kind: 'template'; payload: Record<string, unknown> }
  | { kind: 'omit' };


export interface ResidualFunction {
  id: string;
  code: string;
  inputs: string[];
  line: number;
}

export interface EmitResult {
  definition: AslDefinition;
  resources: string[];
  residuals: ResidualFunction[];
  assumptions: Assumption[];
  invokesHandler: boolean;
  pollingLoops: PollingLoop[];
}

const RESIDUAL_SUBSTITUTION = 'ResidualFunctionArn';
const HANDLER_SUBSTITUTION = 'OriginalHandlerArn';

/** A Pass whose output is null: `"Result": null` would read as "no Result" and pass the input through. */
const NULL_OUTPUT = { Parameters: { value: null }, OutputPath: '$.value' };

const RETRY_ERRORS: Record<'DynamoDB' | 'DynamoDb', string[]> = {
  DynamoDB: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.RequestLimitExceededException', 'DynamoDB.InternalServerErrorException'],
  DynamoDb: ['DynamoDb.ProvisionedThroughputExceededException', 'DynamoDb.RequestLimitExceededException', 'DynamoDb.InternalServerErrorException', 'DynamoDb.ThrottlingException'],
};

function isLiteral(v: ValueExpr): v is { kind: 'literal'; value: Json } {
  return v.kind === 'literal';
}

function joinPath(base: string, parts: string[]): string {
  let p = base;
  for (const part of parts) p += isIdent(part) ? `.${part}` : /^\d+$/.test(part) ? `[${part}]` : `['${part.replace(/'/g, "\\'")}']`;
  return p;
}

/** A string literal inside an intrinsic: escape the reserved characters ' { } \ */
function intrinsicString(s: string): string {
  return `'${s.replace(/[\\'{}]/g, (c) => `\\${c}`)}'`;
}

/** Fields every API Gateway proxy event has (null when empty): reading them is safe. */
const PROXY_EVENT_FIELDS: ReadonlySet<string> = new Set([
  'body', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables',
  'requestContext', 'resource', 'path', 'httpMethod', 'isBase64Encoded', 'version', 'routeKey', 'rawPath', 'rawQueryString', 'Records',
]);

export class JsonPathEmitter extends AslBuilder {
  private readonly residuals: ResidualFunction[] = [];
  private readonly wrapped = new Set<string>();
  /** Top-level event fields written into objects as if always present (see mayBeMissing). */
  private readonly presentEventFields = new Set<string>();
  /** Fields of the last object built that may be absent (set by objectRef). */
  private lastObjectOptional = new Set<string>();
  /** For variables holding an object: the fields that may be absent. */
  private readonly varOptionalFields = new Map<string, Set<string>>();
  /** What kind of value each stored variable holds. */
  private readonly storedKinds = new Map<string, ValueExpr['kind']>();
  /** Attribute types of the table a Task is being built for. */
  private currentSchema: import('../model/workflow.js').ItemSchema | undefined;

  constructor(comment: string, prefix = '') {
    super(comment, prefix, 'tmp');
  }

  emit(workflow: Workflow): EmitResult {
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

  /** Query/Scan Items with a known schema: a Map state unmarshals each item attribute by attribute. */
  private unmarshalItemsWithMap(v: Extract<ValueExpr, { kind: 'ddb' }>, schema: ItemSchema, pres: Pre[], line: number): string {
    const target = `$.vars.${this.tmp()}`;
    this.assumeOnce(line, typesAssumed(schema.source));
    const child = new JsonPathEmitter('', `${this.prefix}Each item: `);
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

  private implicitEnd(): string {
    if (!this.endState) this.endState = this.add('Return nothing', { Type: 'Pass', Comment: 'The handler ends without returning a value', ...NULL_OUTPUT, End: true });
    return this.endState;
  }

  // ---------------------------------------------------------------- steps

  protected compileStep(step: Step, next: () => string): string {
    switch (step.kind) {
      case 'let': return this.compileLet(step.name, step.value, next, step.line);
      case 'dynamo': return this.compileDynamo(step, next());
      case 'publish': return this.compilePublish(step, next());
      case 'map': return this.compileMap(step, next());
      case 'poll': return this.compilePoll(step, next);
      case 'break': case 'continue': {
        const exit = this.loopExits[this.loopExits.length - 1];
        if (!exit) throw new EmitFailure(`${step.kind} outside a polling loop`, step.line);
        return step.kind === 'break' ? exit.breakTo : exit.continueTo;
      }
      case 'wait': return this.add(`Wait ${step.seconds} s`, { Type: 'Wait', Seconds: step.seconds, Next: next() });
      case 'return': return this.compileReturn(step.value, step.line);
      case 'throw': {
        // Inside a try, the catch gets the error as a Catch would give it: {Error, Cause}.
        const caught = catcherOfThrow(this.catchStack, step.error);
        if (caught) return this.add(`Throw ${step.error}`, { Type: 'Pass', Result: { Error: step.error, Cause: step.cause }, ResultPath: `$.vars.${CAUGHT_ERROR}`, Next: caught });
        return this.add(`Fail ${step.error}`, { Type: 'Fail', Error: step.error, Cause: step.cause });
      }
      case 'paginate':
        throw new EmitFailure('pagination loop over LastEvaluatedKey: a Choice loop can fetch the pages, but JSONPath has no way to append each page\'s items to a list (JSONata can: $append); not converted', step.line);
      case 'invoke-handler': {
        this.resources.add('arn:aws:states:::lambda:invoke');
        this.invokesHandler = true;
        return this.add(`Original handler (line ${step.line})`, {
          Type: 'Task',
          Comment: 'This route stays in the original Lambda handler: it receives the request event and its response is returned as it is',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `\${${HANDLER_SUBSTITUTION}}`, 'Payload.$': '$.event' },
          OutputPath: '$.Payload',
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
        const rule = this.conditionRule(step.test, pres, step.line);
        const choice = this.add(this.choiceName(step.test, step.line), { Type: 'Choice', Choices: [{ ...rule, Next: thenEntry }], Default: elseEntry });
        return this.chain(pres, choice);
      }
      case 'switch': {
        let joined: string | undefined;
        const join = () => (joined ??= next());
        const pres: Pre[] = [];
        const on = this.pathOf(step.on, pres, step.line);
        const topField = step.on.kind === 'event' && step.on.path.length === 1 && !step.on.present ? step.on.path[0] : undefined;
        const guardOn = this.mayBeMissing(step.on) || (topField !== undefined && !PROXY_EVENT_FIELDS.has(topField));
        const defaultEntry = this.compileSteps(step.default, join);
        const choices = step.cases.map((c) => {
          const entry = this.compileSteps(c.body, join);
          // A comparison on a missing path fails the execution, where a switch on undefined takes the default.
          const rules = c.values.map((v) => (guardOn ? { And: [{ Variable: on, IsPresent: true }, { Variable: on, StringEquals: v }] } : { Variable: on, StringEquals: v }));
          return rules.length === 1 ? { ...rules[0], Next: entry } : { Or: rules, Next: entry };
        });
        const field = step.on.kind === 'event' ? step.on.path.join('.') : 'value';
        const name = this.add(`Route on ${field}`, { Type: 'Choice', Choices: choices, Default: defaultEntry });
        return this.chain(pres, name);
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

  private catchFor(naming: string | ErrorNaming): Array<Record<string, unknown>> | undefined {
    return catchersFor(this.catchStack, naming, { ResultPath: `$.vars.${CAUGHT_ERROR}` });
  }

  private compileLet(name: string, value: ValueExpr, nextThunk: () => string, line: number): string {
    const pres: Pre[] = [];
    const ref = this.ref(value, pres, line);
    const target = `$.vars.${name}`;
    // Decide how the value is stored before the steps that read it are compiled.
    if (ref.kind === 'intrinsic') this.wrapped.add(name);
    if (value.kind === 'object') this.varOptionalFields.set(name, new Set(this.lastObjectOptional));
    this.storedKinds.set(name, value.kind);
    const next = nextThunk();
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
    const stateName = this.add(value.kind === 'residual' ? `Keep ${name}` : `Set ${name}`, state);
    return this.chain(pres, stateName);
  }

  private compileDynamo(step: DynamoCall, next: string): string {
    const pres: Pre[] = [];
    const optimized = OPTIMIZED_OPS.has(step.op);
    const resource = optimized ? `arn:aws:states:::dynamodb:${step.op}` : `arn:aws:states:::aws-sdk:dynamodb:${step.op}`;
    this.resources.add(resource);
    const payload: Record<string, unknown> = {};
    this.currentSchema = step.schema;
    for (const [key, param] of Object.entries(step.params)) {
      let ref: Ref;
      if (param.kind === 'plain') ref = this.ref(param.value, pres, step.line);
      else if (param.kind === 'typed') ref = this.ref(param.value, pres, step.line);
      else if (param.kind === 'nested') ref = this.marshalNested(param.value, pres, step.line);
      else ref = key === 'ExpressionAttributeValues' || key === 'Key' || key === 'Item' || key === 'ExclusiveStartKey' ? this.marshalMap(param.value, pres, step.line, key === 'Item') : this.marshal(param.value, pres, step.line);
      this.put(payload, key, ref);
    }
    this.currentSchema = undefined;
    const returnsValues = step.op === 'getItem' || step.op === 'query' || step.op === 'scan' || step.op.startsWith('batchGet') || step.op.startsWith('transactGet') || (typeof (step.params['ReturnValues']?.value as { value?: unknown })?.value === 'string' && (step.params['ReturnValues']!.value as { value: string }).value !== 'NONE');
    const prefix = optimized ? 'DynamoDB' : 'DynamoDb';
    const state: AslState = {
      Type: 'Task',
      Resource: resource,
      Parameters: payload,
      ResultPath: returnsValues ? `$.vars.${step.result}` : null,
      Next: next,
      Retry: [{ ErrorEquals: RETRY_ERRORS[prefix], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }],
    };
    const catches = this.catchFor(prefix);
    if (catches) state['Catch'] = catches;
    const name = this.add(pascalWords(step.op), state);
    return this.chain(pres, name);
  }

  private compilePublish(step: Publish, next: string): string {
    const pres: Pre[] = [];
    const integration = integrationOf(step);
    const resource = integration.resource;
    this.resources.add(resource);
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(step.params)) {
      // Arrays of objects (EventBridge Entries) stay payload templates: `.$` fields work inside them.
      const items = v.kind === 'array' ? v.items.map((i) => this.ref(i, pres, step.line)) : undefined;
      if (items && items.length && items.every((i) => i.kind === 'template' || i.kind === 'literal')) {
        payload[k] = items.map((i) => (i.kind === 'template' ? i.payload : (i as { value: Json }).value));
        continue;
      }
      this.put(payload, k, this.ref(v, pres, step.line));
    }
    const state: AslState = { Type: 'Task', Resource: resource, Parameters: payload, ResultPath: step.keepResult ? `$.vars.${step.result}` : null, Next: next };
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
    if (step.service === 'lambda') {
      // The SDK's response and the integration's share StatusCode and the Payload (bytes there, JSON here); the standard Lambda retry.
      state['Retry'] = [{ ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }];
    }
    if (step.service === 'bedrock') {
      // The SDK retries throttling and server errors (standard mode: 3 attempts); the Task retries the same errors twice.
      state['Retry'] = [{ ErrorEquals: BEDROCK_RETRY_ERRORS, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, JitterStrategy: 'FULL' }];
    }
    const catches = this.catchFor(integration.errors);
    if (catches) state['Catch'] = catches;
    return this.chain(pres, this.add(integration.stateName, state));
  }

  /**
   * A loop as an inline Map state. Each iteration gets the state input ({event, vars}) and the element, which a
   * first Pass stores as `$.vars.<item>`; the iterations' results are dropped (the loop ran for its calls).
   */
  private compileMap(step: MapLoop, next: string): string {
    if (this.catchStack.length) throw new EmitFailure('a loop inside try/catch is not converted yet (the Map state would need the catchers of the calls inside it)', step.line);
    const pres: Pre[] = [];
    const itemsPath = this.pathOf(step.items, pres, step.line);
    const child = new JsonPathEmitter('', `${this.prefix}Each ${step.item}: `);
    // The body reads the outer stored values the way they were stored.
    this.wrapped.forEach((w) => child.wrapped.add(w));
    this.storedKinds.forEach((k, n) => child.storedKinds.set(n, k));
    this.varOptionalFields.forEach((f, n) => child.varOptionalFields.set(n, new Set(f)));
    child.tmpCounter = this.tmpCounter;
    const start = child.compileSteps(step.body, () => child.implicitEnd());
    const keep = child.add(`Keep ${step.item}`, { Type: 'Pass', Comment: 'Store the element under $.vars, next to the values stored before the loop', InputPath: '$.item', ResultPath: `$.vars.${step.item}`, Next: start });
    this.tmpCounter = child.tmpCounter;
    child.resources.forEach((r) => this.resources.add(r));
    this.residuals.push(...child.residuals);
    child.assumptions.forEach((a) => this.assumeOnce(a.line, a.message));
    child.presentEventFields.forEach((f) => this.presentEventFields.add(f));
    this.pollingLoops.push(...child.pollingLoops);
    if (child.invokesHandler) this.invokesHandler = true;
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
  private compilePoll(step: PollLoop, nextThunk: () => string): string {
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
    this.states[count]!['Next'] = entry;
    const { loop, assumption } = describePollLoop(this.states, step, choice, entry, statesBefore);
    this.pollingLoops.push(loop);
    this.assumeOnce(step.line, assumption);
    return this.add(`Start ${step.counter} at ${step.start}`, { Type: 'Pass', Result: { value: step.start }, ResultPath: target, Next: step.checkFirst ? entry : bodyStart });
  }

  private compileReturn(value: ValueExpr, line: number): string {
    const pres: Pre[] = [];
    const ref = this.ref(value, pres, line);
    const status =
      value.kind === 'object' ? value.entries.find(([k]) => k === 'statusCode')?.[1]
        : value.kind === 'literal' && value.value && typeof value.value === 'object' && !Array.isArray(value.value) && 'statusCode' in value.value ? { kind: 'literal' as const, value: value.value['statusCode']! }
          : undefined;
    const name = status && status.kind === 'literal' ? `Respond ${String(status.value)}` : 'Respond';
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

  // ---------------------------------------------------------------- values

  private put(payload: Record<string, unknown>, key: string, ref: Ref): void {
    switch (ref.kind) {
      case 'literal': payload[key] = ref.value; break;
      case 'path': payload[`${key}.$`] = ref.path; break;
      case 'intrinsic': payload[`${key}.$`] = ref.expr; break;
      case 'template': payload[key] = ref.payload; break;
      case 'omit': break;
    }
  }

  /** Can this value be missing at run time (so a path to it would fail the state)? */
  private mayBeMissing(v: ValueExpr): boolean {
    switch (v.kind) {
      case 'event': {
        if (v.present) return false;
        const [a] = v.path;
        if (a === 'pathParameters' && v.path.length === 2) {
          this.assumeOnce(0, 'every path parameter of the route is present: API Gateway only routes a request to this integration when the route template matches');
          return false;
        }
        if (v.path.length === 1 && a !== undefined && !PROXY_EVENT_FIELDS.has(a)) this.presentEventFields.add(a);
        return !(v.path.length <= 1 || (a === 'requestContext' && v.path.length <= 3 && v.path[1] !== 'authorizer'));
      }
      case 'var': {
        if (v.present || v.path.length === 0) return false;
        const fields = this.varOptionalFields.get(v.name);
        if (fields && v.path.length === 1) return fields.has(v.path[0]!);
        return true;
      }
      case 'ddb': {
        if (v.present) return false;
        // A whole Item (or Attributes) is missing when there is none, whatever the client; attributes of a raw item are
        // read by their AttributeValue paths, which the code itself spells out.
        if (v.raw) return v.path.length === 0 && (v.field === 'Item' || v.field === 'Attributes');
        if (v.field === 'Count' || v.field === 'ScannedCount' || v.field === 'Items') return false;
        if (v.path.length === 0) return true;
        const attr = v.schema?.attributes[v.path[0]!];
        return !attr || attr.optional || v.path.length > 1;
      }
      case 'coalesce': return this.mayBeMissing(v.fallback);
      case 'conditional': return this.mayBeMissing(v.then) || this.mayBeMissing(v.else);
      // JSON.stringify(undefined) is undefined (JSON.stringify(null) is "null").
      case 'json-stringify': return this.mayBeMissing(v.value);
      case 'undefined': return true;
      default: return false;
    }
  }

  /** Reference a value from a payload template, adding the states it needs first to `pres`. */
  private ref(v: ValueExpr, pres: Pre[], line: number): Ref {
    switch (v.kind) {
      case 'literal': return { kind: 'literal', value: v.value };
      case 'undefined': return { kind: 'omit' };
      case 'env': return { kind: 'literal', value: `\${${v.substitution}}` };
      case 'event': return { kind: 'path', path: joinPath('$.event', v.path) };
      case 'var': return { kind: 'path', path: joinPath(this.wrapped.has(v.name) ? `$.vars.${v.name}.value` : `$.vars.${v.name}`, v.path) };
      case 'uuid': return { kind: 'intrinsic', expr: 'States.UUID()' };
      case 'now-iso': return { kind: 'path', path: '$$.State.EnteredTime' };
      case 'format': {
        // Only constants and ${Substitution}s: one literal string, so the substitution stays a plain `${Name}`
        // (inside an intrinsic its braces would be escaped and never substituted).
        if (v.args.every((a) => a.kind === 'env' || (isLiteral(a) && typeof a.value === 'string'))) {
          return { kind: 'literal', value: v.quasis.map((q, i) => q + (i < v.args.length ? (v.args[i]!.kind === 'env' ? `\${${(v.args[i] as { substitution: string }).substitution}}` : String((v.args[i] as { value: Json }).value)) : '')).join('') };
        }
        const args = v.args.map((a) => this.formatArg(a, pres, line));
        const tmpl = v.quasis.map((q) => q.replace(/[\\'{}]/g, (c) => `\\${c}`)).join('{}');
        return { kind: 'intrinsic', expr: `States.Format('${tmpl}', ${args.join(', ')})` };
      }
      case 'json-stringify': {
        if (v.value.kind === 'object') {
          // Keys that may be missing are added after the others (objectRef): the same JSON, in another key order.
          const entries = v.value.entries.filter(([, x]) => x.kind !== 'undefined');
          const lastRequired = entries.reduce((at, [, x], i) => (this.mayBeMissing(x) ? at : i), -1);
          const early = entries.filter(([, x], i) => i < lastRequired && this.mayBeMissing(x)).map(([k]) => k);
          if (early.length) this.assumeOnce(line, `JSON.stringify at line ${line}: ${early.join(', ')} may be missing, so the state machine adds ${early.length > 1 ? 'them' : 'it'} after the other keys; the JSON text has the same keys and values in another order (equal for a consumer that parses it, not for one that compares the text)`);
        }
        if (v.value.kind === 'var' && v.value.path.length === 0 && typeOfValue(v.value).kind !== 'string') {
          return { kind: 'intrinsic', expr: `States.JsonToString(${this.pathOf(v.value, pres, line)})` };
        }
        const p = this.pathOf(v.value, pres, line);
        return { kind: 'intrinsic', expr: `States.JsonToString(${p})` };
      }
      case 'json-parse': return { kind: 'intrinsic', expr: `States.StringToJson(${this.intrinsicArg(v.value, pres, line)})` };
      case 'intrinsic': return { kind: 'intrinsic', expr: `${v.fn}(${v.args.map((a) => this.intrinsicArg(a, pres, line)).join(', ')})` };
      case 'object': return this.objectRef(v.entries, pres, line, (x, _k, at) => this.ref(x, at, line));
      case 'array': {
        // A trial run: the states a non-literal item needs are added once, by intrinsicArg below.
        const items = v.items.map((i) => this.ref(i, [], line));
        if (items.every((i) => i.kind === 'literal')) return { kind: 'literal', value: items.map((i) => (i as { value: Json }).value) };
        const args = v.items.map((i) => this.intrinsicArg(i, pres, line));
        return { kind: 'intrinsic', expr: `States.Array(${args.join(', ')})` };
      }
      case 'coalesce': case 'conditional': return { kind: 'path', path: this.materialize(v, pres, line) };
      case 'residual': return { kind: 'path', path: this.materialize(v, pres, line) };
      case 'ddb': return this.unmarshalRef(v, pres, line);
      case 'marshalled': return this.marshalMap(v.value, pres, line);
      case 'fn': throw new EmitFailure(v.fn === 'substring-before' ? 'the message of a caught error is the text of its Cause before " (Service: ", which JSONPath cannot cut out (the JSONata emitter can: $substringBefore)' : `${v.fn === 'millis' ? 'Date.now()' : v.fn} has no JSONPath equivalent (the JSONata emitter can express it)`, line);
      case 'merge': throw new EmitFailure(v.why, v.line);
    }
  }

  /** An object whose entries may be missing at run time: required ones in one Pass, optional ones added by Choice. */
  /** `nullRef`: what an optional entry whose value is null becomes (left out otherwise, like a missing one). */
  private objectRef(entries: Array<[string, ValueExpr]>, pres: Pre[], line: number, refOf: (x: ValueExpr, key: string, pres: Pre[]) => Ref, onlyRequired = false, nullRef?: Ref): Ref {
    const missing = (x: ValueExpr) => !onlyRequired && this.mayBeMissing(x);
    const required = entries.filter(([, x]) => x.kind !== 'undefined' && !missing(x));
    const optional = entries.filter(([, x]) => x.kind !== 'undefined' && missing(x));
    const payload: Record<string, unknown> = {};
    for (const [k, x] of required) this.put(payload, k, refOf(x, k, pres));
    this.lastObjectOptional = new Set(optional.map(([k]) => k));
    if (optional.length === 0) return { kind: 'template', payload };
    const tmp = this.tmp();
    const target = `$.vars.${tmp}`;
    pres.push((n) => this.add('Build object', { Type: 'Pass', Parameters: payload, ResultPath: target, Next: n }));
    for (const [k, x] of optional) {
      // `Item.x` read without checking the item: with no item the handler throws, so the state machine fails too.
      if (x.kind === 'ddb' && x.unguarded) pres.push((n) => this.itemExists(x, n, line));
      // The states that compute the value (a Map over a list attribute, say) run only when it is there.
      const guard = this.presenceRule(x, pres, line);
      const raw = nullRef ? this.rawPath(x, pres, line) : undefined;
      const isNull = raw ? { And: [{ Variable: raw, IsPresent: true }, { Variable: raw, IsNull: true }] } : undefined;
      const own: Pre[] = [];
      const r = refOf(x, k, own);
      pres.push((n) => {
        const assign = this.assign(joinPath(target, [k]), r, n);
        const choices: Array<Record<string, unknown>> = [{ ...guard, Next: this.chain(own, assign) }];
        if (isNull && nullRef) choices.push({ ...isNull, Next: this.assign(joinPath(target, [k]), nullRef, n) });
        return this.add(`Has ${k}?`, { Type: 'Choice', Choices: choices, Default: n });
      });
    }
    return { kind: 'path', path: target };
  }

  /** A Choice that goes on when the read item exists and fails (TypeError, as the handler would throw) when not. */
  private itemExists(v: Extract<ValueExpr, { kind: 'ddb' }>, next: string, line: number): string {
    const base = `$.vars.${v.step}.${v.field}`;
    const fail = this.add(`Fail TypeError (line ${line})`, { Type: 'Fail', Error: 'TypeError', Cause: `Cannot read properties of undefined (reading '${v.path[0]!}')` });
    return this.add(`${v.field} found? (line ${line})`, { Type: 'Choice', Choices: [{ And: [{ Variable: base, IsPresent: true }, { Not: { Variable: base, IsNull: true } }], Next: next }], Default: fail });
  }

  /** Put a value at a path: a Pass for paths and literals, two for computed values. */
  private assign(target: string, r: Ref, next: string): string {
    const leaf = target.replace(/^.*[.[]'?/, '').replace(/'?]$/, '');
    switch (r.kind) {
      case 'path': return this.add(`Set ${leaf}`, { Type: 'Pass', InputPath: r.path, ResultPath: target, Next: next });
      case 'literal': {
        if (r.value) return this.add(`Set ${leaf}`, { Type: 'Pass', Result: r.value, ResultPath: target, Next: next });
        // A falsy `"Result"` (null, "", 0, false) can read as "no Result" (the input passes through), so it goes through Parameters.
        const tmp = `$.vars.${this.tmp()}`;
        const copy = this.add(`Set ${leaf}`, { Type: 'Pass', InputPath: `${tmp}.value`, ResultPath: target, Next: next });
        return this.add(`Constant for ${leaf}`, { Type: 'Pass', Parameters: { value: r.value }, ResultPath: tmp, Next: copy });
      }
      case 'template': return this.add(`Set ${leaf}`, { Type: 'Pass', Parameters: r.payload, ResultPath: target, Next: next });
      case 'intrinsic': {
        const tmp = `$.vars.${this.tmp()}`;
        const copy = this.add(`Set ${leaf}`, { Type: 'Pass', InputPath: `${tmp}.value`, ResultPath: target, Next: next });
        return this.add(`Compute ${leaf}`, { Type: 'Pass', Parameters: { 'value.$': r.expr }, ResultPath: tmp, Next: copy });
      }
      case 'omit': return next;
    }
  }

  /** Store a value in $.vars and return its path. */
  /** Materialisations already scheduled in a chain of pre-states: a value used twice there is stored once. */
  private readonly materialized = new WeakMap<Pre[], Map<ValueExpr, string>>();

  private materialize(v: ValueExpr, pres: Pre[], line: number): string {
    const cache = this.materialized.get(pres) ?? new Map<ValueExpr, string>();
    this.materialized.set(pres, cache);
    const hit = cache.get(v);
    if (hit) return hit;
    const path = this.materializeOnce(v, pres, line);
    cache.set(v, path);
    return path;
  }

  private materializeOnce(v: ValueExpr, pres: Pre[], line: number): string {
    const tmp = this.tmp();
    const target = `$.vars.${tmp}`;
    if (v.kind === 'coalesce') {
      const a = this.ref(v.value, pres, line);
      const b = this.ref(v.fallback, pres, line);
      const test: Condition = v.op === '??' ? { kind: 'present', value: v.value } : { kind: 'truthy', value: v.value };
      const rule = this.conditionRule(test, pres, line);
      // A fallback that may be missing too leaves the result missing rather than failing the state.
      const fallbackRule = this.mayBeMissing(v.fallback) ? this.presenceRule(v.fallback, pres, line) : undefined;
      pres.push((n) => {
        const useA = this.assign(target, a, n);
        const useB = this.assign(target, b, n);
        const fallback = fallbackRule ? this.add(`Has fallback for ${tmp}?`, { Type: 'Choice', Choices: [{ ...fallbackRule, Next: useB }], Default: n }) : useB;
        return this.add(`Default for ${tmp}?`, { Type: 'Choice', Choices: [{ ...rule, Next: useA }], Default: fallback });
      });
      return target;
    }
    if (v.kind === 'conditional') {
      // Each branch's own states run only on its path; a branch value that may be missing leaves the result missing.
      const rule = this.conditionRule(v.test, pres, line);
      const branch = (x: ValueExpr) => {
        const own: Pre[] = [];
        const r = this.ref(x, own, line);
        const guard = r.kind !== 'omit' && this.mayBeMissing(x) ? this.presenceRule(x, own, line) : undefined;
        return (n: string) => {
          if (r.kind === 'omit') return n;
          const set = this.chain(own, this.assign(target, r, n));
          return guard ? this.add(`Has value for ${tmp}?`, { Type: 'Choice', Choices: [{ ...guard, Next: set }], Default: n }) : set;
        };
      };
      const a = branch(v.then);
      const b = branch(v.else);
      pres.push((n) => this.add(this.choiceName(v.test, line), { Type: 'Choice', Choices: [{ ...rule, Next: a(n) }], Default: b(n) }));
      return target;
    }
    if (v.kind === 'residual') {
      this.resources.add('arn:aws:states:::lambda:invoke');
      const payloadInputs: Record<string, unknown> = {};
      for (const [k, x] of v.inputs) this.put(payloadInputs, k, this.ref(x, pres, line));
      if (!this.residuals.some((r) => r.id === v.id)) this.residuals.push({ id: v.id, code: v.code, inputs: v.inputs.map(([k]) => k), line: v.line });
      pres.push((n) => {
        const state: AslState = {
          Type: 'Task',
          Comment: `Kept in Lambda (line ${v.line}): ${v.code.replace(/\s+/g, ' ').slice(0, 120)}`,
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `\${${RESIDUAL_SUBSTITUTION}}`, Payload: { compute: v.id, input: payloadInputs } },
          ResultSelector: { 'value.$': '$.Payload' },
          ResultPath: target,
          Next: n,
        };
        const catches = this.catchFor('Lambda');
        if (catches) state['Catch'] = catches;
        return this.add(`Compute in Lambda (line ${v.line})`, state);
      });
      return `${target}.value`;
    }
    const r = this.ref(v, pres, line);
    if (r.kind === 'path') return r.path;
    pres.push((n) => this.assign(target, r, n));
    return target;
  }

  /** A plain JSONPath to the value (no intrinsic), storing it first when needed. */
  private pathOf(v: ValueExpr, pres: Pre[], line: number): string {
    const r = this.ref(v, pres, line);
    if (r.kind === 'path') return r.path;
    const tmp = `$.vars.${this.tmp()}`;
    pres.push((n) => this.assign(tmp, r, n));
    return tmp;
  }

  /**
   * An argument of a template or String(x): JavaScript writes a missing value as "undefined", where States.Format
   * fails on a path that is not there, so a value that may be missing is replaced by that text first.
   */
  private formatArg(v: ValueExpr, pres: Pre[], line: number): string {
    const arg = this.intrinsicArg(v, pres, line);
    if (!arg.startsWith('$') || !this.mayBeMissing(v)) return arg;
    const tmp = `$.vars.${this.tmp()}`;
    const test = v.kind === 'ddb' ? joinPath(`$.vars.${v.step}.${v.field}`, v.path) : arg;
    pres.push((n) => this.add(`Text of ${tmp.slice('$.vars.'.length)}`, { Type: 'Choice', Choices: [{ Variable: test, IsPresent: true, Next: this.assign(tmp, { kind: 'path', path: arg }, n) }], Default: this.assign(tmp, { kind: 'literal', value: 'undefined' }, n) }));
    return tmp;
  }

  private intrinsicArg(v: ValueExpr, pres: Pre[], line: number): string {
    const r = this.ref(v, pres, line);
    switch (r.kind) {
      case 'literal':
        // A ${Substitution} inside an intrinsic would have its braces escaped and never be substituted: a Pass state
        // stores the substituted string first and the intrinsic reads it from there.
        if (typeof r.value === 'string' && /\$\{[A-Za-z0-9_]+\}/.test(r.value)) {
          const tmp = `$.vars.${this.tmp()}`;
          pres.push((n) => this.assign(tmp, r, n));
          return tmp;
        }
        if (typeof r.value === 'string') return intrinsicString(r.value);
        if (typeof r.value === 'number' || typeof r.value === 'boolean' || r.value === null) return String(r.value);
        return this.pathOf(v, pres, line);
      case 'path': return r.path;
      case 'intrinsic': return r.expr;
      case 'template': {
        const tmp = `$.vars.${this.tmp()}`;
        pres.push((n) => this.assign(tmp, r, n));
        return tmp;
      }
      case 'omit': throw new EmitFailure('an undefined value is used in a string or intrinsic', line);
    }
  }

  // ---------------------------------------------------------------- DynamoDB values

  /** Native value → AttributeValue. */
  private marshal(v: ValueExpr, pres: Pre[], line: number, attr?: string): Ref {
    if (v.kind === 'ddb' && v.path.length > 0) {
      // Copy the typed attribute read earlier as it is.
      return { kind: 'path', path: joinPath(`$.vars.${v.step}.${v.field}`, v.path) };
    }
    if (v.kind === 'literal') return { kind: 'literal', value: marshalLiteral(v.value, line) as Json };
    if (v.kind === 'object') {
      const inner = this.marshalMap(v, pres, line);
      return inner.kind === 'template' ? { kind: 'template', payload: { M: inner.payload } } : inner.kind === 'path' ? { kind: 'template', payload: { 'M.$': inner.path } } : inner;
    }
    if (v.kind === 'coalesce' || v.kind === 'conditional') {
      const branches = v.kind === 'coalesce' ? [v.value, v.fallback] : [v.then, v.else];
      const target = `$.vars.${this.tmp()}`;
      // Marshal each branch on its own path (its states run only there), then choose.
      const aPres: Pre[] = [];
      const a = this.marshal(branches[0]!, aPres, line);
      const bPres: Pre[] = [];
      const b = this.marshal(branches[1]!, bPres, line);
      const test: Condition = v.kind === 'coalesce' ? (v.op === '??' ? { kind: 'present', value: v.value } : { kind: 'truthy', value: v.value }) : v.test;
      const rule = this.conditionRule(test, pres, line);
      pres.push((n) => {
        const useA = this.chain(aPres, this.assign(target, a, n));
        const useB = this.chain(bPres, this.assign(target, b, n));
        return this.add(`Default for ${target.slice(7)}?`, { Type: 'Choice', Choices: [{ ...rule, Next: useA }], Default: useB });
      });
      return { kind: 'path', path: target };
    }
    let type = typeOfValue(v);
    const known = attr ? this.currentSchema?.attributes[attr] : undefined;
    if (type.kind === 'unknown' && known && known.type.kind !== 'unknown') {
      type = known.type;
      this.assumeOnce(line, `the type of attribute ${attr} (and others written without a type in the code) comes from ${this.currentSchema!.source}`);
    }
    const r = this.ref(v, pres, line);
    if (r.kind === 'omit') return r;
    return this.typed(type, r, v, pres, line);
  }

  private typed(type: ValueType, r: Ref, v: ValueExpr, pres: Pre[], line: number): Ref {
    const asExpr = (ref: Ref): { key: string; value: unknown } => (ref.kind === 'path' ? { key: '.$', value: ref.path } : ref.kind === 'intrinsic' ? { key: '.$', value: ref.expr } : { key: '', value: ref.kind === 'literal' ? ref.value : undefined });
    switch (type.kind) {
      case 'string': {
        const e = asExpr(r);
        return { kind: 'template', payload: { [`S${e.key}`]: e.value } };
      }
      case 'number': {
        const arg = r.kind === 'path' ? r.path : r.kind === 'intrinsic' ? r.expr : String((r as { value: Json }).value);
        return { kind: 'template', payload: { 'N.$': `States.Format('{}', ${arg})` } };
      }
      case 'boolean': {
        const e = asExpr(r);
        return { kind: 'template', payload: { [`BOOL${e.key}`]: e.value } };
      }
      case 'null': return { kind: 'literal', value: { NULL: true } };
      case 'unknown': {
        // A parsed request body or the whole event has no schema; a computed scalar can be typed at run time.
        const whole = (v.kind === 'var' && v.path.length === 0 && this.storedKinds.get(v.name) === 'json-parse') || v.kind === 'json-parse' || (v.kind === 'event' && v.path.length <= 1);
        if (whole) throw new EmitFailure(`${describe(v)} is written as a whole value with no static schema; JSONPath cannot type it (the JSONata emitter can)`, line);
        return { kind: 'path', path: this.typeAtRunTime(r, v, pres, line) };
      }
      default:
        throw new EmitFailure(`${v.kind === 'var' ? [v.name, ...v.path].join('.') : v.kind} is ${type.kind === 'array' ? 'a list' : 'an object'} whose element types are not known; JSONPath cannot marshal it generically (the JSONata emitter can)`, line);
    }
  }

  /**
   * A value whose type the code does not say: a Choice on its run-time type picks S, N, BOOL or NULL, exactly as
   * the SDK's marshalling would. Objects and lists fail the execution with a named error instead of a wrong write.
   */
  private typeAtRunTime(r: Ref, v: ValueExpr, pres: Pre[], line: number): string {
    const source = r.kind === 'path' ? r.path : this.pathOf(v, pres, line);
    const target = `$.vars.${this.tmp()}`;
    this.assumeOnce(line, `${describe(v)} (and other values without a known type) is typed when the state machine runs: a string becomes S, a number N, a boolean BOOL, null NULL; an object or a list fails the execution with lambda2sfn.UnsupportedAttributeType. Add a TypeScript type, a typeof check or a \`tables\` type hint to type it statically.`);
    pres.push((n) => {
      const fail = this.failUnsupportedType();
      const is = (test: string) => ({ And: [{ Variable: source, IsPresent: true }, { Variable: source, [test]: true }] });
      return this.add(`Type of ${describe(v).split('.').pop()}?`, {
        Type: 'Choice',
        Choices: [
          { ...is('IsString'), Next: this.assign(target, { kind: 'template', payload: { 'S.$': source } }, n) },
          { ...is('IsNumeric'), Next: this.assign(target, { kind: 'template', payload: { 'N.$': `States.Format('{}', ${source})` } }, n) },
          { ...is('IsBoolean'), Next: this.assign(target, { kind: 'template', payload: { 'BOOL.$': source } }, n) },
          { ...is('IsNull'), Next: this.assign(target, { kind: 'literal', value: { NULL: true } }, n) },
        ],
        Default: fail,
      });
    });
    return target;
  }

  private unsupportedTypeState: string | undefined;

  private failUnsupportedType(): string {
    this.unsupportedTypeState ??= this.add('Unsupported attribute type', {
      Type: 'Fail',
      Error: 'lambda2sfn.UnsupportedAttributeType',
      Cause: 'A value written to DynamoDB is missing, an object or a list, and its attribute type is not known statically',
    });
    return this.unsupportedTypeState;
  }

  /** TransactItems / RequestItems: walk the structure, marshalling the attribute maps it holds. */
  private marshalNested(v: ValueExpr, pres: Pre[], line: number): Ref {
    const MAPS = new Set(['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey']);
    // Array elements cannot be `.$` paths: each must be a literal or an object template.
    const element = (r: Ref): unknown => {
      if (r.kind === 'template') return r.payload;
      if (r.kind === 'literal') return r.value;
      throw new EmitFailure('a batch or transaction entry is computed at run time; JSONPath can only build entries written out in the code', line);
    };
    if (v.kind === 'array') return { kind: 'template', payload: v.items.map((i) => element(this.marshalNested(i, pres, line))) as unknown as Record<string, unknown> };
    if (v.kind === 'literal') return { kind: 'literal', value: marshalNestedLiteral(v.value, line) as Json };
    if (v.kind !== 'object') throw new EmitFailure(`${describe(v)} inside a batch or transaction request is not a literal structure the analyser can type`, line);
    const payload: Record<string, unknown> = {};
    for (const [k, x] of v.entries) {
      if (MAPS.has(k)) this.put(payload, k, this.marshalMap(x, pres, line));
      else if (k === 'Keys' && x.kind === 'array') this.put(payload, k, { kind: 'template', payload: x.items.map((i) => element(this.marshalMap(i, pres, line))) as unknown as Record<string, unknown> });
      else if (x.kind === 'object' || x.kind === 'array' || (x.kind === 'literal' && x.value !== null && typeof x.value === 'object')) this.put(payload, k, this.marshalNested(x, pres, line));
      else this.put(payload, k, this.ref(x, pres, line));
    }
    return { kind: 'template', payload };
  }

  /**
   * A map of attribute name → AttributeValue (Key, Item, ExpressionAttributeValues). `item`: a DocumentClient
   * Item, whose members the SDK marshals one by one (lib-dynamodb and the v2 DocumentClient leave an undefined
   * member out, and write null as NULL).
   */
  private marshalMap(v: ValueExpr, pres: Pre[], line: number, item = false): Ref {
    if (v.kind === 'object') {
      const missing = v.entries.some(([, x]) => this.mayBeMissing(x));
      if (item && missing) {
        this.assumeOnce(line, `an item attribute built from a request field is left out when the field is missing and written as NULL when it is null, as the SDK marshals it (line ${line})`);
        return this.objectRef(v.entries, pres, line, (x, k, at) => this.marshal(x, at, line, k), false, { kind: 'literal', value: { NULL: true } });
      }
      // In a Key or ExpressionAttributeValues a missing value fails the DynamoDB call in the handler too (the key
      // or the expression's value is missing), and a missing path fails the Task state.
      if (missing) this.assumeOnce(line, 'key and expression values built from request fields are written as required: when one is missing, the DynamoDB call fails in the handler and the Task fails in the state machine');
      return this.objectRef(v.entries, pres, line, (x, k, at) => this.marshal(x, at, line, k), true);
    }
    if (v.kind === 'var' && v.path.length === 0 && v.type.kind === 'object' && v.type.fields) {
      const optional = this.varOptionalFields.get(v.name);
      const entries: Array<[string, ValueExpr]> = Object.entries(v.type.fields)
        .filter(([k]) => !optional?.has(k))
        .map(([k, f]) => [k, { kind: 'var', name: v.name, path: [k], type: f.type, present: true }]);
      if (optional?.size) {
        const payloadEntries = Object.entries(v.type.fields).map(([k, f]) => [k, { kind: 'var', name: v.name, path: [k], type: f.type }] as [string, ValueExpr]);
        return this.objectRef(payloadEntries, pres, line, (x, k, at) => this.marshal(x, at, line, k));
      }
      return this.objectRef(entries, pres, line, (x, k, at) => this.marshal(x, at, line, k), true);
    }
    if (v.kind === 'literal' && v.value && typeof v.value === 'object' && !Array.isArray(v.value)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v.value)) out[k] = marshalLiteral(x, line);
      return { kind: 'literal', value: out as Json };
    }
    if (v.kind === 'ddb' && (v.field === 'Item' || v.field === 'Attributes') && v.path.length === 0) return { kind: 'path', path: `$.vars.${v.step}.${v.field}` };
    if (v.kind === 'merge') throw new EmitFailure(v.why, v.line);
    throw new EmitFailure(`${describe(v)} is written as a whole; its attributes are not known statically, so JSONPath cannot type them (the JSONata emitter can)`, line);
  }

  /** AttributeValue → native value, using the item schema. */
  private unmarshalRef(v: Extract<ValueExpr, { kind: 'ddb' }>, pres: Pre[], line: number): Ref {
    const base = `$.vars.${v.step}.${v.field}`;
    if (v.raw) return { kind: 'path', path: joinPath(base, v.path) };
    if (v.field === 'Count' || v.field === 'ScannedCount') return { kind: 'path', path: base };
    if (v.field === 'Items' && v.path.length === 0 && v.schema) return { kind: 'path', path: this.unmarshalItemsWithMap(v, v.schema, pres, line) };
    if (v.field === 'Items' || v.field === 'LastEvaluatedKey') throw new EmitFailure(`${v.field} needs a generic unmarshal of DynamoDB items, which JSONPath cannot express (JSONata can)`, line);
    if (!v.schema) throw new EmitFailure(`the ${v.field === 'Item' ? 'item' : 'attributes'} read from the table ${v.path.length ? `(attribute ${v.path.join('.')}) ` : ''}are used in the response, but the attribute types are not known; add \`tables\` type hints in the configuration (or use the JSONata emitter, which can unmarshal generically)`, line);
    if (v.path.length === 0) {
      this.assumeOnce(line, typesAssumed(v.schema.source));
      const entries: Array<[string, ValueExpr]> = Object.keys(v.schema.attributes).map((k) => [k, { ...v, path: [k], present: undefined }]);
      return this.objectRef(entries, pres, line, (x, _k, at) => this.ref(x, at, line));
    }
    const attr = v.schema.attributes[v.path[0]!];
    if (!attr) throw new EmitFailure(`attribute ${v.path[0]} is not in the known attributes of the table (${v.schema.source})`, line);
    if (v.path.length > 1) throw new EmitFailure(`nested attribute ${v.path.join('.')} is read`, line);
    this.assumeOnce(line, typesAssumed(v.schema.source));
    return this.attrRef(joinPath(base, v.path), attr.type, line, pres);
  }

  private attrRef(path: string, type: ValueType, line: number, pres: Pre[]): Ref {
    switch (type.kind) {
      case 'string': return { kind: 'path', path: `${path}.S` };
      case 'number': return { kind: 'intrinsic', expr: `States.StringToJson(${path}.N)` };
      case 'boolean': return { kind: 'path', path: `${path}.BOOL` };
      case 'null': return { kind: 'literal', value: null };
      case 'array': {
        // `$.x.L[*].S` fails on an empty list, so a Map state unmarshals the elements.
        const elem = type.element?.kind;
        const extract =
          elem === 'string' ? { InputPath: '$.S' } : elem === 'boolean' ? { InputPath: '$.BOOL' } : elem === 'number' ? { Parameters: { 'v.$': 'States.StringToJson($.N)' }, OutputPath: '$.v' } : undefined;
        if (!extract) throw new EmitFailure(`list attribute ${path.split('.').pop()} holds ${elem ?? 'mixed or unknown'} values; JSONPath cannot unmarshal them (JSONata can)`, line);
        const target = `$.vars.${this.tmp()}`;
        const leaf = path.split('.').pop() ?? 'list';
        pres.push((n) =>
          this.add(`Unmarshal ${leaf}`, {
            Type: 'Map',
            ItemsPath: `${path}.L`,
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: `${this.prefix}${leaf} element`, States: { [`${this.prefix}${leaf} element`]: { Type: 'Pass', ...extract, End: true } } },
            ResultPath: target,
            Next: n,
          }),
        );
        return { kind: 'path', path: target };
      }
      case 'object': {
        if (!type.fields) throw new EmitFailure(`map attribute ${path} has unknown fields`, line);
        const payload: Record<string, unknown> = {};
        for (const [k, f] of Object.entries(type.fields)) {
          if (f.optional) throw new EmitFailure(`map attribute ${path} has optional field ${k}`, line);
          this.put(payload, k, this.attrRef(joinPath(`${path}.M`, [k]), f.type, line, pres));
        }
        return { kind: 'template', payload };
      }
      default: throw new EmitFailure(`attribute at ${path} has no known type`, line);
    }
  }

  // ---------------------------------------------------------------- conditions

  private presenceRule(v: ValueExpr, pres: Pre[], line: number): Record<string, unknown> {
    if (v.kind === 'json-stringify') return { Variable: this.rawPath(v.value, pres, line), IsPresent: true };
    const p = this.rawPath(v, pres, line);
    return { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: p, IsNull: true } }] };
  }

  /** A path whose presence tells whether the value exists (the typed attribute for DynamoDB values). */
  private rawPath(v: ValueExpr, pres: Pre[], line: number): string {
    if (v.kind === 'ddb') return joinPath(`$.vars.${v.step}.${v.field}`, v.path);
    return this.pathOf(v, pres, line);
  }

  /** A condition's Choice rule, after the checks that the items it reads without a check exist (itemExists). */
  private conditionRule(c: Condition, pres: Pre[], line: number): Record<string, unknown> {
    const unguarded = new Map<string, Extract<ValueExpr, { kind: 'ddb' }>>();
    const visit = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (o['kind'] === 'ddb' && o['unguarded']) unguarded.set(`${String(o['step'])}.${String(o['field'])}`, o as Extract<ValueExpr, { kind: 'ddb' }>);
      Object.values(o).forEach(visit);
    };
    visit(c);
    const own: Pre[] = [];
    const rule = this.choiceRule(c, own, line);
    // A comparison on a missing path fails the state already; a presence test (IsPresent, IsNull) would not.
    const tests: Array<Record<string, unknown>> = [];
    const collect = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (typeof o['Variable'] === 'string' && ('IsPresent' in o || 'IsNull' in o)) tests.push(o);
      Object.values(o).forEach(collect);
    };
    collect(rule);
    for (const v of unguarded.values()) {
      const base = `$.vars.${v.step}.${v.field}`;
      if (tests.some((t) => String(t['Variable']).startsWith(`${base}.`))) pres.push((n) => this.itemExists(v, n, line));
    }
    pres.push(...own);
    return rule;
  }

  private choiceRule(c: Condition, pres: Pre[], line: number): Record<string, unknown> {
    switch (c.kind) {
      case 'and': case 'or': {
        const items = c.items.map((i) => this.choiceRule(i, pres, line));
        if (items.length === 1) return items[0]!;
        return { [c.kind === 'and' ? 'And' : 'Or']: items };
      }
      case 'not': return { Not: this.choiceRule(c.item, pres, line) };
      case 'present': {
        const rule = this.presenceRule(c.value, pres, line);
        return c.negate ? { Not: rule } : rule;
      }
      case 'truthy': {
        const rule = this.truthyRule(c.value, pres, line);
        return c.negate ? { Not: rule } : rule;
      }
      case 'typeof': {
        const p = this.rawPathForCompare(c.value, pres, line);
        const op = c.type === 'string' ? 'IsString' : c.type === 'number' ? 'IsNumeric' : c.type === 'boolean' ? 'IsBoolean' : undefined;
        if (!op) throw new EmitFailure(`typeof … === '${c.type}' has no Choice rule`, line);
        const rule = { And: [{ Variable: p, IsPresent: true }, { Variable: p, [op]: true }] };
        return c.negate ? { Not: rule } : rule;
      }
      case 'matches': {
        const p = this.rawPathForCompare(c.value, pres, line);
        const rule = { Variable: p, StringMatches: c.pattern };
        return this.mayBeMissing(c.value) ? { And: [{ Variable: p, IsPresent: true }, { Variable: p, IsString: true }, rule] } : { And: [{ Variable: p, IsString: true }, rule] };
      }
      case 'compare': {
        const p = this.rawPathForCompare(c.left, pres, line);
        const r = c.right;
        let cmp: Record<string, unknown>;
        const opName = { '==': 'Equals', '!=': 'Equals', '<': 'LessThan', '<=': 'LessThanEquals', '>': 'GreaterThan', '>=': 'GreaterThanEquals' }[c.op];
        if (typeof r === 'string') cmp = { Variable: p, [`String${opName}`]: r };
        else if (typeof r === 'number') cmp = { Variable: p, [`Numeric${opName}`]: r };
        else if (typeof r === 'boolean' && (c.op === '==' || c.op === '!=')) cmp = { Variable: p, BooleanEquals: r };
        else if (r === null && (c.op === '==' || c.op === '!=')) cmp = { Variable: p, IsNull: true };
        else throw new EmitFailure(`comparison with ${JSON.stringify(r)} has no Choice rule`, line);
        const guarded = this.mayBeMissing(c.left) ? { And: [{ Variable: p, IsPresent: true }, cmp] } : cmp;
        return c.op === '!=' ? { Not: guarded } : guarded;
      }
    }
  }

  /** Comparisons need a native value: DynamoDB numbers are stored as strings and must be converted first. */
  private rawPathForCompare(v: ValueExpr, pres: Pre[], line: number): string {
    return this.pathOf(v, pres, line);
  }

  private truthyRule(v: ValueExpr, pres: Pre[], line: number): Record<string, unknown> {
    if (v.kind === 'ddb' && !v.raw) {
      const p = joinPath(`$.vars.${v.step}.${v.field}`, v.path);
      const present = { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: p, IsNull: true } }] } as Record<string, unknown>;
      if (v.path.length === 0) return present;
      const attr = v.schema?.attributes[v.path[0]!];
      const t = attr?.type.kind;
      if (t === 'string') return { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: `${p}.S`, StringEquals: '' } }] };
      if (t === 'number') return { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: `${p}.N`, StringEquals: '0' } }] };
      if (t === 'boolean') return { And: [{ Variable: p, IsPresent: true }, { Variable: `${p}.BOOL`, BooleanEquals: true }] };
      if (t === 'object' || t === 'array') return { Variable: p, IsPresent: true };
      throw new EmitFailure(`truthiness of attribute ${v.path.join('.')} depends on its type, which is not known`, line);
    }
    const p = this.pathOf(v, pres, line);
    const base = [{ Variable: p, IsPresent: true }, { Not: { Variable: p, IsNull: true } }];
    const t = typeOfValue(v).kind;
    if (t === 'string') return { And: [...base, { Not: { Variable: p, StringEquals: '' } }] };
    if (t === 'number') return { And: [...base, { Not: { Variable: p, NumericEquals: 0 } }] };
    if (t === 'boolean') return { And: [{ Variable: p, IsPresent: true }, { Variable: p, BooleanEquals: true }] };
    if (t === 'object' || t === 'array') return { And: base };
    // Unknown type: every JSON falsy value ("" 0 false null, missing).
    return { And: [...base, { Not: { Variable: p, StringEquals: '' } }, { Not: { Variable: p, NumericEquals: 0 } }, { Not: { Variable: p, BooleanEquals: false } }] };
  }

  private choiceName(c: Condition, line: number): string {
    const subject = (v: ValueExpr): string => {
      if (v.kind === 'ddb') return v.path.length ? v.path.join('.') : v.field;
      if (v.kind === 'event') return v.path[v.path.length - 1] ?? 'event';
      if (v.kind === 'var') return [v.name, ...v.path].slice(-1)[0]!;
      if (v.kind === 'residual') return 'computed value';
      return 'value';
    };
    switch (c.kind) {
      case 'present': return `${subject(c.value)} ${c.negate ? 'missing' : 'present'}?`;
      case 'truthy': return c.value.kind === 'ddb' && c.value.path.length === 0 ? (c.negate ? `${c.value.field} missing?` : `${c.value.field} found?`) : `${subject(c.value)} ${c.negate ? 'missing' : 'given'}?`;
      case 'compare': return `${subject(c.left)} ${c.op} ${JSON.stringify(c.right)}?`;
      case 'typeof': return `${subject(c.value)} ${c.negate ? 'not ' : ''}a ${c.type}?`;
      case 'matches': return `${subject(c.value)} like ${c.pattern}?`;
      case 'not': if (c.item.kind === 'or' && c.item.items.every((i) => i.kind === 'matches')) return 'Content type not JSON?';
        return c.item.kind === 'or' && c.item.items.every((i) => i.kind === 'compare') ? `${subject((c.item.items[0] as { left: ValueExpr }).left)} not one of ${c.item.items.length}?` : `Not ${this.choiceName(c.item, line)}`;
      case 'or': return c.items.every((i) => i.kind === 'compare') && c.items.length ? `${subject((c.items[0] as { left: ValueExpr }).left)} one of ${c.items.length}?` : `Check line ${line}?`;
      default: return `Check line ${line}?`;
    }
  }
}

function marshalLiteral(v: Json, line: number): unknown {
  if (v === null) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map((x) => marshalLiteral(x, line)) };
  const m: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) m[k] = marshalLiteral(x, line);
  return { M: m };
}

function marshalNestedLiteral(v: Json, line: number): unknown {
  if (Array.isArray(v)) return v.map((x) => marshalNestedLiteral(x, line));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey'].includes(k) && x && typeof x === 'object' && !Array.isArray(x)) {
        out[k] = Object.fromEntries(Object.entries(x).map(([a, y]) => [a, marshalLiteral(y, line)]));
      } else out[k] = marshalNestedLiteral(x, line);
    }
    return out;
  }
  return v;
}

function describe(v: ValueExpr): string {
  if (v.kind === 'var') return [v.name, ...v.path].join('.');
  if (v.kind === 'event') return ['event', ...v.path].join('.');
  return `a ${v.kind} value`;
}

export function emitJsonPath(workflow: Workflow, comment: string): EmitResult {
  return new JsonPathEmitter(comment).emit(workflow);
}

export { HANDLER_SUBSTITUTION, RESIDUAL_SUBSTITUTION };

/** The assumption a typed unmarshal makes, and what it means for an item that does not keep it. */
function typesAssumed(source: string): string {
  return `attribute types of the items read come from ${source}: an attribute stored as another type (NULL included) is not read as the handler reads it (the state machine fails, or takes it as missing)`;
}
