// Workflow model → ASL in the JSONata query language. Same model as the JSONPath emitter, no second analysis.
// Layout: an Init Pass keeps the request in the variable $event; every stored value is a variable (Assign);
// DynamoDB results are stored whole in AttributeValue form and unmarshalled generically where they are read
// (src/emit/jsonata/dynamoValues.ts). Every expression is one line and parses with JSONata 2.0.6 (no `??`, no `?:`).
import type { AslDefinition, AslState } from '../../report/types.js';
import { CAUGHT_ERROR, integrationOf, type Condition, type DynamoCall, type Json, type MapLoop, type PollLoop, type Publish, type Step, type ValueExpr, type Workflow } from '../../model/workflow.js';
import { typeOfValue } from '../../model/valueType.js';
import { EmitFailure, HANDLER_SUBSTITUTION, RESIDUAL_SUBSTITUTION, type EmitResult, type ResidualFunction } from '../shared/result.js';
import { ATTRIBUTE_MAPS, dynamoRetry, dynamoTask, marshalLiteral, marshalNestedLiteral, missingInsideAttribute, publishRetry, residualComment, responseName, UNDEFINED_INSIDE_ATTRIBUTE, UNDEFINED_INSIDE_MARSHALL } from '../shared/tasks.js';
import { DYNAMO_VALUE_FUNCTIONS, JSON_TEXT_FUNCTIONS, jsonataField } from './dynamoValues.js';
import { AslBuilder, type Pre } from '../shared/aslBuilder.js';
import { letSteps } from '../shared/letSteps.js';
import { withLoopExits } from '../shared/loopPass.js';
import { isIdent, pascalWords } from '../shared/catchers.js';

/** The variable that holds the handler's event (API front doors look for `$event.…` references). */
export const EVENT_VARIABLE = 'event';

/** Names a workflow variable must not take: JSONata and Step Functions functions (a variable would hide them), $states, $event. */
const RESERVED = new Set([
  'states', EVENT_VARIABLE, 'string', 'number', 'boolean', 'not', 'exists', 'type', 'length', 'substring', 'substringBefore', 'substringAfter', 'uppercase', 'lowercase',
  'trim', 'pad', 'contains', 'split', 'join', 'match', 'replace', 'eval', 'base64encode', 'base64decode', 'encodeUrl', 'decodeUrl', 'encodeUrlComponent', 'decodeUrlComponent',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'random', 'sum', 'max', 'min', 'average', 'count',
  'append', 'sort', 'reverse', 'shuffle', 'distinct', 'zip', 'keys', 'lookup', 'spread', 'merge', 'sift', 'each', 'error', 'assert', 'map', 'filter', 'single', 'reduce',
  'now', 'millis', 'fromMillis', 'toMillis', 'clone', 'partition', 'range', 'hash', 'uuid', 'parse',
]);

/**
 * JSONata path steps: identifiers as they are, other names in backticks, array indexes in brackets; a name with a
 * backtick, which no backtick quoting can hold, through $lookup.
 */
function jPath(base: string, parts: string[]): string {
  let p = base;
  for (const part of parts) p = /^\d+$/.test(part) ? `${p}[${part}]` : isIdent(part) ? `${p}.${part}` : part.includes('`') ? `$lookup(${p}, ${JSON.stringify(part)})` : `${p}.\`${part}\``;
  return p;
}

/** A JSONata string literal (JSON escapes are JSONata escapes). */
function str(s: string): string {
  return JSON.stringify(s);
}

/** A JSON value as a JSONata literal (object keys and strings in double quotes; nested arrays stay nested). */
function lit(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${str(k)}: ${lit(x)}`).join(', ')}}`;
}

/** `{% … %}`, with the DynamoDB value functions defined in front when the expression calls them. */
function field(expression: string): string {
  const defs = [
    ...(/\$l2s(?:N|Num|One|Marshal|MarshalMap|Unmarshal|UnmarshalMap)\(/.test(expression) ? [DYNAMO_VALUE_FUNCTIONS] : []),
    ...(expression.includes('$l2sJson(') ? [JSON_TEXT_FUNCTIONS] : []),
  ];
  return jsonataField(defs.length ? `( ${defs.join('; ')}; ${expression} )` : expression);
}

/** A Choice-rule pattern (only `*` is a wildcard, `\*` and `\\` are escapes) as a JSONata regex literal. */
function matchesRegex(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') re += '.*';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return `/^${re}$/`;
}

/** Does any value in `x` (steps, values, conditions) read the model variable `name`? */
/**
 * Variables stored only when their value is present (`if (present(x)) let n = x`, an inlined helper's value) and
 * stored nowhere at the top level: on the other path nothing assigns them, and reading an unassigned variable fails
 * the execution. Not inside loops, whose iterations may not assign outer variables.
 */
function storedOnlyWhenPresent(steps: Step[]): string[] {
  const top = new Set(steps.filter((s) => s.kind === 'let').map((s) => (s as { name: string }).name));
  const found = new Set<string>();
  const visit = (list: Step[]): void => {
    for (const s of list) {
      if (s.kind === 'if') {
        const only = s.then.length === 1 && s.else.length === 0 ? s.then[0]! : undefined;
        if (s.test.kind === 'present' && !s.test.negate && only?.kind === 'let') found.add(only.name);
        visit(s.then);
        visit(s.else);
      } else if (s.kind === 'switch') {
        s.cases.forEach((c) => visit(c.body));
        visit(s.default);
      } else if (s.kind === 'try') {
        visit(s.body);
        s.catchers.forEach((c) => visit(c.body));
      }
    }
  };
  visit(steps);
  return [...found].filter((n) => !top.has(n));
}

function readsVariable(x: unknown, name: string): boolean {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  if (o['kind'] === 'var' && o['name'] === name) return true;
  return Object.values(o).some((v) => readsVariable(v, name));
}

export class JsonataEmitter extends AslBuilder {
  private readonly residuals: ResidualFunction[] = [];
  /** Variables stored as `{"v": value}` because the value may be undefined (an Assign cannot store nothing). */
  private readonly boxed = new Set<string>();
  /** Variables holding JSON.parse of a text that may be null (so null themselves). */
  private readonly nullParsed = new Set<string>();
  /** Variables assigned inside each Map's iterations (nested loops included), with the loop's line. */
  private readonly innerAssigned: Array<{ names: string[]; line: number }> = [];
  /** Variables a `let` compiled so far assigns (states are compiled in execution order). */
  private readonly assigned = new Set<string>();
  /** Whether a catch reads the error it caught: then every Catcher stores it. */
  private readsCaughtError = false;

  constructor(comment: string, prefix = '') {
    super(comment, prefix, 'l2sTmp');
  }

  emit(workflow: Workflow): EmitResult {
    this.readsCaughtError = readsVariable(workflow.steps, CAUGHT_ERROR);
    // Assigned first as a boxed nothing ({"v": …} without v), so that a read on the path that stores none is undefined.
    const unset = storedOnlyWhenPresent(workflow.steps);
    unset.forEach((n) => this.boxed.add(n));
    const start = this.compileSteps(workflow.steps, () => this.implicitEnd());
    const init = this.add('Init', {
      Type: 'Pass',
      Comment: 'Keep the request in the variable $event; stored values and results are variables too',
      // EventBridge Pipes sends an SQS/stream batch as a bare list of records (`[]` keeps a list of one a list).
      Assign: { [EVENT_VARIABLE]: workflow.recordsBatch ? "{% $exists($states.input.Records) ? $states.input : {'Records': $states.input[]} %}" : '{% $states.input %}', ...Object.fromEntries(unset.map((n) => [this.varName(n), {}])) },
      Next: start,
    });
    this.checkInnerScopes();
    const definition: AslDefinition = { Comment: this.comment, QueryLanguage: 'JSONata', StartAt: init, States: this.orderedStates(init) };
    return { definition, resources: [...this.resources].sort(), residuals: this.residuals, assumptions: this.assumptions, invokesHandler: this.invokesHandler, pollingLoops: this.pollingLoops };
  }

  /** Names this scope's states assign (state, Choice rule and Catcher Assign), not those of Map iterations inside it. */
  private assignedNames(): Set<string> {
    const names = new Set<string>();
    const keys = (a: unknown) => Object.keys((a as Record<string, unknown> | undefined) ?? {}).forEach((k) => names.add(k));
    for (const s of Object.values(this.states)) {
      keys(s['Assign']);
      for (const c of (s['Choices'] as Array<{ Assign?: unknown }> | undefined) ?? []) keys(c.Assign);
      for (const c of (s['Catch'] as Array<{ Assign?: unknown }> | undefined) ?? []) keys(c.Assign);
    }
    return names;
  }

  /** Step Functions rejects an iteration that assigns a variable of an enclosing scope: such a loop is not converted. */
  private checkInnerScopes(): void {
    const outer = this.assignedNames();
    for (const inner of this.innerAssigned) {
      const clash = inner.names.filter((n) => outer.has(n));
      if (clash.length) throw new EmitFailure(`the loop assigns ${clash.map((n) => `$${n}`).join(', ')}, which is also a variable outside it; a Map iteration cannot assign a variable of the enclosing scope`, inner.line);
    }
  }

  private implicitEnd(): string {
    this.endState ??= this.add('Return nothing', { Type: 'Pass', Comment: 'The handler ends without returning a value', Output: '{% null %}', End: true });
    return this.endState;
  }

  /** A model variable's JSONata name: names of functions stay usable. */
  private varName(name: string): string {
    return RESERVED.has(name) || name.startsWith('l2s') ? `v_${name}` : name;
  }

  // ---------------------------------------------------------------- steps

  protected compileLet(step: Extract<Step, { kind: 'let' }>, next: () => string): string {
    const pres: Pre[] = [];
    const value = this.expr(step.value, pres, step.line);
    const name = this.varName(step.name);
    // Decide how the value is stored before the steps that read it are compiled; once boxed, always boxed.
    const box = this.boxed.has(step.name) || this.canBeUndefined(step.value);
    if (box) this.boxed.add(step.name);
    this.assigned.add(step.name);
    if (step.value.kind === 'json-parse' && step.value.nullable) this.nullParsed.add(step.name);
    const state: AslState = { Type: 'Pass', Assign: { [name]: field(box ? `{"v": ${value}}` : value) }, Next: next() };
    return this.chain(pres, this.add(step.value.kind === 'residual' && !step.value.jsonata ? `Keep ${step.name}` : `Set ${step.name}`, state));
  }

  protected choiceOf(c: Condition, pres: Pre[], line: number): Record<string, unknown> {
    return { Condition: field(this.condition(c, pres, line)) };
  }

  protected switchSubject(on: ValueExpr, pres: Pre[], line: number): string {
    return this.expr(on, pres, line);
  }

  protected caseRule(on: string, values: string[]): Record<string, unknown> {
    return { Condition: field(`${on} in [${values.map(str).join(', ')}]`) };
  }

  protected thrownError(step: Extract<Step, { kind: 'throw' }>, pres: Pre[]): Record<string, unknown> {
    return this.readsCaughtError ? { Assign: { [this.varName(CAUGHT_ERROR)]: { Error: step.error, ...this.failCause(step, pres) } } } : {};
  }

  protected failCause(step: Extract<Step, { kind: 'throw' }>, pres: Pre[]): Record<string, unknown> {
    return { Cause: step.causeValue ? field(this.expr(step.causeValue, pres, step.line)) : step.cause };
  }

  protected handlerIO(): Record<string, unknown> {
    return { Arguments: { FunctionName: `\${${HANDLER_SUBSTITUTION}}`, Payload: `{% $${EVENT_VARIABLE} %}` }, Output: '{% $states.result.Payload %}' };
  }

  /**
   * A bounded polling loop: `Start` sets the counter, a Choice on the loop test runs the body, `Count` adds one and
   * goes back to the Choice. A value the body stores boxed ({"v": …}, it may be undefined) that was stored plainly
   * before the loop is boxed by `Start` too, so the test reads one shape on every pass.
   */
  protected compilePoll(step: PollLoop, nextThunk: () => string): string {
    const counter = this.varName(step.counter);
    const boxedBefore = new Set(this.boxed);
    const assignedBefore = new Set(this.assigned);
    // The steps after the loop are compiled first (break jumps to them): they must read the shapes the body stores.
    this.boxLoopValues(step.body);
    const next = nextThunk();
    const statesBefore = Object.keys(this.states).length;
    const count = this.add(`Count ${step.counter}`, { Type: 'Pass', Assign: { [counter]: `{% $${counter} + 1 %}` }, Next: '' });
    const bodyStart = withLoopExits(this.loopExits, { breakTo: next, continueTo: count }, () => this.compileSteps(step.body, () => count));
    const pres: Pre[] = [];
    const test = this.condition(step.test, pres, step.line);
    const choice = this.add(`Poll again? (line ${step.line})`, { Type: 'Choice', Comment: '', Choices: [{ Condition: field(test), Next: bodyStart }], Default: next });
    const entry = this.chain(pres, choice);
    this.closePollLoop(step, count, choice, entry, statesBefore);
    const rebox = [...this.boxed].filter((name) => !boxedBefore.has(name) && assignedBefore.has(name));
    const assign: Record<string, unknown> = { [counter]: step.start };
    for (const name of rebox) assign[this.varName(name)] = `{% {"v": $${this.varName(name)}} %}`;
    return this.add(`Start ${step.counter} at ${step.start}`, { Type: 'Pass', Assign: assign, Next: step.checkFirst ? entry : bodyStart });
  }

  /** Box every variable a `let` of the loop body (outside Map iterations) may set to undefined. */
  private boxLoopValues(steps: Step[]): void {
    const lets = letSteps(steps, false);
    // A value may read another boxed variable: repeat until nothing changes.
    for (let changed = true; changed;) {
      changed = false;
      for (const l of lets) {
        if (this.boxed.has(l.name) || !this.canBeUndefined(l.value)) continue;
        this.boxed.add(l.name);
        changed = true;
      }
    }
  }

  protected catcherFields(): Record<string, unknown> {
    return this.readsCaughtError ? { Assign: { [this.varName(CAUGHT_ERROR)]: '{% $states.errorOutput %}' } } : {};
  }

  protected compileDynamo(step: DynamoCall, next: string): string {
    const pres: Pre[] = [];
    const { resource, prefix, returnsValues } = dynamoTask(step);
    this.resources.add(resource);
    const args: Record<string, unknown> = {};
    for (const [key, param] of Object.entries(step.params)) {
      if (param.value.kind === 'undefined') continue;
      if ((param.kind === 'plain' || param.kind === 'typed') && (param.value.kind === 'env' || param.value.kind === 'literal')) {
        args[key] = param.value.kind === 'literal' ? literalField(param.value.value) : `\${${param.value.substitution}}`;
        continue;
      }
      const inside = step.undefinedThrows && param.kind === 'marshal' && ATTRIBUTE_MAPS.includes(key) ? missingInsideAttribute(param.value, (x) => this.canBeUndefined(x)) : undefined;
      if (inside) throw new EmitFailure(`${inside} ${UNDEFINED_INSIDE_ATTRIBUTE}`, step.line);
      args[key] = field(this.inServiceArguments(() => this.paramExpr(key, param, pres, step.line)));
    }
    const state: AslState = {
      Type: 'Task',
      Resource: resource,
      Arguments: args,
      ...(returnsValues ? { Assign: { [this.varName(step.result)]: '{% $states.result %}' } } : {}),
      Next: next,
      Retry: dynamoRetry(prefix),
    };
    return this.chain(pres, this.add(pascalWords(step.op), this.withCatch(state, prefix)));
  }

  /** A DynamoDB request parameter as an expression. */
  private paramExpr(key: string, param: DynamoCall['params'][string], pres: Pre[], line: number): string {
    if (param.kind === 'plain' || param.kind === 'typed') return this.expr(param.value, pres, line);
    if (param.kind === 'nested') return this.marshalNested(param.value, pres, line);
    return ATTRIBUTE_MAPS.includes(key) ? this.marshalMap(param.value, pres, line, key === 'Item') : this.marshal(param.value, pres, line);
  }

  /**
   * Pagination: an Init Pass empties the list and the page key; the Task asks for the page after the key (none the
   * first time: a member whose value is undefined is left out of the Arguments object) and appends its items;
   * a Choice loops while DynamoDB returns a LastEvaluatedKey. The key is boxed ({"k": …}) because an Assign cannot store nothing.
   */
  protected compilePaginate(step: Extract<Step, { kind: 'paginate' }>, next: string): string {
    const call = step.call;
    const pres: Pre[] = [];
    const resource = `arn:aws:states:::aws-sdk:dynamodb:${call.op}`;
    this.resources.add(resource);
    const key = this.tmp();
    const acc = this.varName(step.into);
    const members = Object.entries(call.params)
      .filter(([k, p]) => k !== 'ExclusiveStartKey' && p.value.kind !== 'undefined')
      .map(([k, p]) => `${str(k)}: ${this.paramExpr(k, p, pres, call.line)}`);
    const items = step.raw ? '$states.result.Items' : '$reduce($states.result.Items, function($acc, $i){ $append($acc, [$l2sUnmarshalMap($i)]) }, [])';
    const task: AslState = {
      Type: 'Task',
      Comment: `Every page (line ${step.line}): each page's items are appended to $${acc}`,
      Resource: resource,
      Arguments: field(`{${[...members, `"ExclusiveStartKey": $${key}.k`].join(', ')}}`),
      Assign: { [acc]: field(`$append($${acc}, ${items})`), [key]: '{% {"k": $states.result.LastEvaluatedKey} %}' },
      Next: '',
      Retry: dynamoRetry('DynamoDb'),
    };
    const taskName = this.add(`${pascalWords(call.op)} page`, this.withCatch(task, 'DynamoDb'));
    const more = this.add('More pages?', { Type: 'Choice', Choices: [{ Condition: `{% $exists($${key}.k) %}`, Next: taskName }], Default: next });
    task['Next'] = more;
    const init = this.add(`Start ${step.into}`, { Type: 'Pass', Assign: { [acc]: '{% [] %}', [key]: '{% {} %}' }, Next: taskName });
    return this.chain(pres, init);
  }

  /**
   * A message or invocation through an optimized integration. A result the code reads is stored in the variable
   * named after the call: Lambda keeps StatusCode and Payload, HTTP StatusCode and ResponseBody (a text body parsed
   * when the code reads it as JSON, as res.json() does), as the JSONPath emitter's ResultSelector does.
   */
  protected compilePublish(step: Publish, next: string): string {
    const pres: Pre[] = [];
    const integration = integrationOf(step);
    this.resources.add(integration.resource);
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(step.params)) {
      if (v.kind === 'undefined') continue;
      // A list of entries (EventBridge Entries) stays a readable template when no element can be missing.
      args[k] = this.inServiceArguments(() => (v.kind === 'array' && v.items.length && !v.items.some((x) => this.canBeUndefined(x)) ? v.items.map((x) => this.template(x, pres, step.line)) : this.template(v, pres, step.line)));
    }
    const state: AslState = { Type: 'Task', Resource: integration.resource, Arguments: args, Next: next };
    if (step.keepResult) state['Assign'] = { [this.varName(step.result)]: field(this.publishResult(step)) };
    const retry = publishRetry(step.service);
    if (retry) state['Retry'] = retry;
    return this.chain(pres, this.add(integration.stateName, this.withCatch(state, integration.errors)));
  }

  /** What a publish stores when its result is read. */
  private publishResult(step: Publish): string {
    switch (step.service) {
      case 'lambda': return '( $l2sR := $states.result; {"StatusCode": $l2sR.StatusCode, "Payload": $l2sR.Payload} )';
      case 'bedrock': return '{"Body": $states.result.Body}';
      case 'http': {
        const body = step.jsonBody ? "( $l2sB := $l2sR.ResponseBody; $type($l2sB) = 'string' ? $parse($l2sB) : $l2sB )" : '$l2sR.ResponseBody';
        return `( $l2sR := $states.result; {"StatusCode": $l2sR.StatusCode, "ResponseBody": ${body}} )`;
      }
      default: return '$states.result';
    }
  }

  /**
   * A loop as an inline Map state over the list. Each iteration's input is its element, which a first Pass stores
   * in the item variable; the body reads the outer variables directly (an iteration's scope sees them). The
   * iterations' results are dropped unless the loop collects them (`collect`: each iteration returns a list, the
   * lists are concatenated; an iteration that ends without returning adds nothing).
   */
  protected compileMap(step: MapLoop, next: string): string {
    this.checkMapOutsideTry(step);
    const pres: Pre[] = [];
    const items = this.expr(step.items, pres, step.line);
    const child = new JsonataEmitter('', `${this.prefix}Each ${step.item}: `);
    // The body reads the outer stored values the way they were stored.
    this.boxed.forEach((b) => child.boxed.add(b));
    child.tmpCounter = this.tmpCounter;
    const start = child.compileSteps(step.body, () => child.implicitEnd());
    const keep = child.add(`Keep ${step.item}`, { Type: 'Pass', Comment: 'Store the element in a variable of the iteration', Assign: { [this.varName(step.item)]: '{% $states.input %}' }, Next: start });
    this.tmpCounter = child.tmpCounter;
    child.checkInnerScopes();
    this.innerAssigned.push({ names: [...child.assignedNames(), ...child.innerAssigned.flatMap((i) => i.names)], line: step.line });
    this.absorb(child);
    for (const r of child.residuals) if (!this.residuals.some((x) => x.id === r.id)) this.residuals.push(r);
    const state: AslState = {
      Type: 'Map',
      Items: field(items),
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: keep, States: child.orderedStates(keep) },
      MaxConcurrency: step.maxConcurrency,
      Output: '{% null %}',
      Next: next,
    };
    if (step.collect) state['Assign'] = { [this.varName(step.collect)]: "{% $reduce($states.result, function($l2sAcc, $l2sList){ $type($l2sList) = 'array' ? $append($l2sAcc, $l2sList) : $l2sAcc }, []) %}" };
    return this.chain(pres, this.add(step.maxConcurrency === 1 ? `For each ${step.item}` : `For each ${step.item} (in parallel)`, state));
  }

  protected compileReturn(value: ValueExpr, line: number): string {
    const pres: Pre[] = [];
    const name = responseName(value);
    // A handler that returns undefined answers null (what Lambda returns).
    // A literal list is written as an expression: asl-validator 4 rejects a JSON array as a state's Output (it matches two of its schemas).
    const output = this.canBeUndefined(value) ? field(`( $l2sOut := ${this.expr(value, pres, line)}; $exists($l2sOut) ? $l2sOut : null )`)
      : value.kind === 'literal' && Array.isArray(value.value) ? field(lit(value.value)) : this.template(value, pres, line);
    return this.chain(pres, this.add(name, { Type: 'Pass', Output: output === null ? '{% null %}' : output, End: true }));
  }

  /**
   * A field value for Arguments/Output: literals stay JSON, an object whose values are all defined stays a template
   * (readable), anything else is one expression (a missing object member is then left out, as JSON.stringify does).
   */
  private template(v: ValueExpr, pres: Pre[], line: number): unknown {
    if (v.kind === 'literal') return literalField(v.value);
    if (v.kind === 'env') return `\${${v.substitution}}`;
    if (v.kind === 'object' && !v.entries.some(([, x]) => this.canBeUndefined(x))) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.entries) out[k] = this.template(x, pres, line);
      return out;
    }
    return field(this.expr(v, pres, line));
  }

  // ---------------------------------------------------------------- values

  /** Set while a service call's arguments are written: the SDK leaves missing list items out, as JSONata does. */
  private serviceArguments = false;

  private inServiceArguments<T>(write: () => T): T {
    const was = this.serviceArguments;
    this.serviceArguments = true;
    try {
      return write();
    } finally {
      this.serviceArguments = was;
    }
  }

  /** Can the value be undefined at run time (a missing field)? Such a value cannot be a template field or an Assign on its own. */
  private canBeUndefined(v: ValueExpr): boolean {
    switch (v.kind) {
      case 'undefined': return true;
      case 'event': return v.path.length > 0 && !v.present && !this.pathParameter(v.path);
      case 'var': return this.boxed.has(v.name) || (v.path.length > 0 && !v.present);
      case 'ddb': return !(v.field === 'Count' || v.field === 'ScannedCount' || (v.field === 'Items' && v.path.length === 0)) && !v.present;
      case 'coalesce': return this.canBeUndefined(v.fallback);
      case 'conditional': return this.canBeUndefined(v.then) || this.canBeUndefined(v.else);
      case 'json-stringify': return this.canBeUndefined(v.value);
      case 'residual': return v.jsonata ? this.canBeUndefined(v.jsonata) : false;
      // An index past the end of the list.
      case 'fn': return v.fn === 'item-at';
      default: return false;
    }
  }

  /** API Gateway only routes a request to the integration when its path parameters match (the JSONPath emitter assumes the same). */
  private pathParameter(path: string[]): boolean {
    if (path[0] !== 'pathParameters' || path.length !== 2) return false;
    this.assumeOnce(0, 'every path parameter of the route is present: API Gateway only routes a request to this integration when the route template matches');
    return true;
  }

  /** The JSONata expression (no delimiters) for a value; residual Lambda calls it needs are added to `pres`. */
  expr(v: ValueExpr, pres: Pre[], line: number): string {
    switch (v.kind) {
      case 'literal': return lit(v.value);
      case 'undefined': return '()';
      case 'env': return str(`\${${v.substitution}}`);
      case 'event': return jPath(`$${EVENT_VARIABLE}`, v.path);
      case 'var': return jPath(this.boxed.has(v.name) ? `$${this.varName(v.name)}.v` : `$${this.varName(v.name)}`, v.path);
      case 'uuid': return '$uuid()';
      case 'now-iso': return '$states.context.State.EnteredTime';
      case 'format': {
        const parts: string[] = [];
        v.quasis.forEach((q, i) => {
          if (q) parts.push(str(q));
          if (i < v.args.length) parts.push(this.stringOf(v.args[i]!, pres, line));
        });
        return parts.length === 1 && v.quasis.every((q) => !q) ? `$string(${parts[0]})` : parts.length ? `(${parts.join(' & ')})` : '""';
      }
      case 'json-stringify': return this.stringify(v.value, pres, line);
      // JSON.parse(null) is null; $parse takes a string only.
      case 'json-parse': return v.nullable ? `( $l2sText := ${this.expr(v.value, pres, line)}; $l2sText = null ? null : $parse($l2sText) )` : `$parse(${this.expr(v.value, pres, line)})`;
      case 'object': return `{${v.entries.map(([k, x]) => `${str(k)}: ${this.expr(x, pres, line)}`).join(', ')}}`;
      case 'array': {
        // A computed array inside `[…]` would be spliced into its parent: each item is appended as one element.
        // A missing item stays in a JavaScript array (JSON.stringify writes null); JSONata would leave it out, as the
        // SDK does in a request.
        const item = (i: ValueExpr) => (!this.serviceArguments && this.canBeUndefined(i) ? `( $l2sI := ${this.expr(i, pres, line)}; $exists($l2sI) ? $l2sI : null )` : this.expr(i, pres, line));
        if (v.items.every((i) => ['string', 'number', 'boolean', 'null'].includes(typeOfValue(i).kind))) return `[${v.items.map(item).join(', ')}]`;
        return v.items.reduce((acc, i) => `$append(${acc}, $l2sOne(${item(i)}))`, '[]');
      }
      case 'coalesce': {
        const a = this.expr(v.value, pres, line);
        const b = this.expr(v.fallback, pres, line);
        const test = v.op === '??' ? this.present(a) : this.truthy(a);
        return `(${test} ? ${a} : ${b})`;
      }
      case 'conditional': return `(${this.condition(v.test, pres, line)} ? ${this.expr(v.then, pres, line)} : ${this.expr(v.else, pres, line)})`;
      case 'intrinsic': return this.intrinsic(v, pres, line);
      case 'marshalled': {
        // marshall() throws on an undefined value, at the top level too (which marshalMap writes as required).
        const inside = missingInsideAttribute(v.value, (x) => this.canBeUndefined(x));
        if (inside) throw new EmitFailure(`${inside} ${UNDEFINED_INSIDE_MARSHALL}`, line);
        return this.marshalMap(v.value, pres, line);
      }
      case 'ddb': return this.unmarshal(v);
      case 'fn': return this.fn(v, pres, line);
      case 'merge': {
        this.assumeOnce(line, 'an object spread becomes $merge: later keys override earlier ones, as in JavaScript; a spread of something that is not an object fails the execution where JavaScript would ignore it');
        // `...null` adds nothing in JavaScript; $merge takes objects only.
        const mayBeNull = (p: ValueExpr) => (p.kind === 'json-parse' && p.nullable) || (p.kind === 'var' && p.path.length === 0 && this.nullParsed.has(p.name));
        return `$merge([${v.parts.map((p) => (mayBeNull(p) ? `( $l2sPart := ${this.expr(p, pres, line)}; $l2sPart = null ? {} : $l2sPart )` : this.expr(p, pres, line))).join(', ')}])`;
      }
      case 'residual': {
        if (v.jsonata) return this.expr(v.jsonata, pres, line);
        return this.residualCall(v, pres, line);
      }
    }
  }

  /** Text of a value as a template literal or String() gives it. */
  /** A template literal's part: a missing value is the text 'undefined' there, where JSONata would give nothing. */
  private stringOf(v: ValueExpr, pres: Pre[], line: number): string {
    const e = this.expr(v, pres, line);
    if (this.canBeUndefined(v)) return `( $l2sF := ${e}; $exists($l2sF) ? $string($l2sF) : 'undefined' )`;
    return typeOfValue(v).kind === 'string' ? e : `$string(${e})`;
  }

  /**
   * JSON.stringify: $l2sJson (dynamoValues.ts) quotes strings and writes numbers exactly, where $string keeps
   * 15 significant digits. A missing value gives nothing, as JSON.stringify(undefined) does.
   */
  private stringify(v: ValueExpr, pres: Pre[], line: number): string {
    const e = this.expr(v, pres, line);
    const t = typeOfValue(v).kind;
    if (t === 'boolean' || t === 'null') return `$string(${e})`;
    return `$l2sJson(${e})`;
  }

  private present(e: string): string {
    return `( $l2sP := ${e}; $exists($l2sP) and $l2sP != null )`;
  }

  /** JavaScript truthiness: everything but undefined, null, false, 0 and "" (objects and lists, even empty, are true). */
  private truthy(e: string): string {
    return `( $l2sT := ${e}; $exists($l2sT) and $l2sT != null and $l2sT != false and $l2sT != 0 and $l2sT != '' )`;
  }

  private intrinsic(v: Extract<ValueExpr, { kind: 'intrinsic' }>, pres: Pre[], line: number): string {
    const a = v.args.map((x) => this.expr(x, pres, line));
    switch (v.fn) {
      case 'States.ArrayContains': return `(${a[1]} in ${a[0]})`;
      case 'States.ArrayLength': return `$count(${a[0]})`;
      case 'States.MathAdd': return `(${a[0]} + ${a[1]})`;
      case 'States.Base64Encode': return `$base64encode(${a[0]})`;
      case 'States.Base64Decode': return `$base64decode(${a[0]})`;
      case 'States.Hash': return `$hash(${a[0]}, ${a[1]})`;
      case 'States.UUID': return '$uuid()';
      default: throw new EmitFailure(`${v.fn} has no JSONata equivalent in lambda2sfn yet`, line);
    }
  }

  private fn(v: Extract<ValueExpr, { kind: 'fn' }>, pres: Pre[], line: number): string {
    const a = v.args.map((x) => this.expr(x, pres, line));
    // A String method called on a missing value throws in the handler; JSONata functions of nothing give nothing.
    const method = ({ lowercase: 'toLowerCase', uppercase: 'toUpperCase', trim: 'trim', replace: 'replace', 'replace-all': 'replaceAll', 'regex-replace': 'replace', 'starts-with': 'startsWith', 'ends-with': 'endsWith', split: 'split' } as Partial<Record<typeof v.fn, string>>)[v.fn];
    if (method && this.canBeUndefined(v.args[0]!)) a[0] = `( $l2sM := ${a[0]}; $exists($l2sM) ? $l2sM : $error(${str(`TypeError: Cannot read properties of undefined (reading '${method}')`)}) )`;
    switch (v.fn) {
      case 'millis': return '$millis()';
      case 'from-millis': return `$fromMillis(${a[0]})`;
      // JavaScript's ===: two missing values are equal; objects and lists read from data are never the same object.
      case 'strict-equals': case 'strict-not-equals': {
        const eq = `( $l2sA := ${a[0]}; $l2sB := ${a[1]}; $exists($l2sA) ? ($type($l2sA) in ['object', 'array'] ? false : $l2sA = $l2sB) : $not($exists($l2sB)) )`;
        return v.fn === 'strict-equals' ? eq : `$not(${eq})`;
      }
      case 'is-array': return `($type(${a[0]}) = 'array')`;
      case 'is-integer': return `( $l2sN := ${a[0]}; $type($l2sN) = 'number' and $floor($l2sN) = $l2sN )`;
      // Of a missing value both give the text 'undefined'; a malformed escape or a lone surrogate fails both.
      case 'decode-uri-component': case 'encode-uri-component': {
        const call = v.fn === 'decode-uri-component' ? '$decodeUrlComponent' : '$encodeUrlComponent';
        return this.canBeUndefined(v.args[0]!) ? `( $l2sU := ${a[0]}; $exists($l2sU) ? ${call}($l2sU) : 'undefined' )` : `${call}(${a[0]})`;
      }
      case 'lowercase': return `$lowercase(${a[0]})`;
      case 'uppercase': return `$uppercase(${a[0]})`;
      case 'join': return `$join(${a[0]}, ${a[1]})`;
      case 'replace': return `$replace(${a[0]}, ${a[1]}, ${a[2]}, 1)`;
      case 'replace-all': return `$replace(${a[0]}, ${a[1]}, ${a[2]})`;
      // The pattern's source as a JSONata regex literal (a JavaScript RegExp); without g only the first match.
      case 'regex-replace': {
        const [source, flags, , global] = v.args.slice(1).map((x) => (x.kind === 'literal' ? x.value : undefined));
        return `$replace(${a[0]}, /${String(source)}/${String(flags)}, ${a[3]}${global ? '' : ', 1'})`;
      }
      case 'includes': return `(${a[1]} in ${a[0]})`;
      case 'string-includes': return `$contains(${a[0]}, ${a[1]})`;
      case 'length': return typeOfValue(v.args[0]!).kind === 'string' ? `$length(${a[0]})` : `( $l2sL := ${a[0]}; $type($l2sL) = 'array' ? $count($l2sL) : $length($l2sL) )`;
      case 'concat': return `$append(${a[0]}, ${a[1]})`;
      case 'substring-before': return `$substringBefore(${a[0]}, ${a[1]})`;
      // JSONata's $trim also collapses inner whitespace; String.prototype.trim only strips both ends (\s is its set).
      case 'trim': return `$replace(${a[0]}, /^\\s+|\\s+$/, '')`;
      case 'starts-with': return `( $l2sS := ${a[0]}; $l2sT := ${a[1]}; $substring($l2sS, 0, $length($l2sT)) = $l2sT )`;
      case 'ends-with': return `( $l2sS := ${a[0]}; $l2sT := ${a[1]}; $length($l2sT) = 0 or $substring($l2sS, -$length($l2sT)) = $l2sT )`;
      // A JavaScript array, even of one element (JSONata would give a bare string).
      case 'split': return `[$split(${a[0]}, ${a[1]})]`;
      // $map and $filter give a single value for a list of one: the list is built with $append (an array element kept whole).
      case 'map': return `$reduce(${a[0]}, function($l2sAcc, ${a[1]}){ ( $l2sR := ${a[2]}; $append($l2sAcc, $type($l2sR) = 'array' ? [[$l2sR]] : [$exists($l2sR) ? $l2sR : null]) ) }, [])`;
      case 'item-at': return `( $l2sL := ${a[0]}; $l2sL[${a[1]}] )`;
      case 'filter': return `$reduce(${a[0]}, function($l2sAcc, ${a[1]}){ ${a[2]} ? $append($l2sAcc, $type(${a[1]}) = 'array' ? [[${a[1]}]] : [${a[1]}]) : $l2sAcc }, [])`;
      case 'add': return `(${a[0]} + ${a[1]})`;
      case 'subtract': return `(${a[0]} - ${a[1]})`;
      case 'multiply': return `(${a[0]} * ${a[1]})`;
      case 'divide': return `(${a[0]} / ${a[1]})`;
      case 'remainder': return `(${a[0]} % ${a[1]})`;
      case 'power': return `$power(${a[0]}, ${a[1]})`;
      case 'floor': return `$floor(${a[0]})`;
      case 'ceil': return `$ceil(${a[0]})`;
      case 'abs': return `$abs(${a[0]})`;
      case 'min': return `$min([${a.join(', ')}])`;
      case 'max': return `$max([${a.join(', ')}])`;
    }
  }

  /** A value read from DynamoDB (AttributeValue form) → JSON, as the DocumentClient unmarshalls it. */
  private unmarshal(v: Extract<ValueExpr, { kind: 'ddb' }>): string {
    const base = `$${this.varName(v.step)}.${v.field}`;
    if (v.raw) return jPath(base, v.path);
    if (v.field === 'Count' || v.field === 'ScannedCount') return base;
    if (v.field === 'Items') {
      const items = `$reduce(${base}, function($acc, $i){ $append($acc, [$l2sUnmarshalMap($i)]) }, [])`;
      if (!v.path.length) return items;
      return jPath(`(${items})`, v.path);
    }
    if (v.path.length === 0) return `($exists(${base}) ? $l2sUnmarshalMap(${base}))`;
    const attr = jPath(base, [v.path[0]!]);
    let value = `($exists(${attr}) ? $l2sUnmarshal(${attr}))`;
    // The handler reads the attribute without checking the item: with no item it throws, so the state fails too.
    if (v.unguarded) value = `($exists(${base}) ? ${value} : $error(${str(`TypeError: Cannot read properties of undefined (reading '${v.path[0]!}')`)}))`;
    return v.path.length > 1 ? jPath(value, v.path.slice(1)) : value;
  }

  /** Native value → AttributeValue. A value read from DynamoDB is copied in its typed form. */
  private marshal(v: ValueExpr, pres: Pre[], line: number): string {
    if (v.kind === 'ddb' && v.path.length > 0 && !v.raw && v.field !== 'Items') {
      const base = `$${this.varName(v.step)}.${v.field}`;
      const typed = jPath(base, v.path);
      return v.unguarded ? `($exists(${base}) ? ${typed} : $error(${str(`TypeError: Cannot read properties of undefined (reading '${v.path[0]!}')`)}))` : typed;
    }
    if (v.kind === 'literal') return lit(marshalLiteral(v.value) as Json);
    const t = typeOfValue(v).kind;
    if ((t === 'string' || t === 'boolean') && !this.canBeUndefined(v) && v.kind !== 'coalesce' && v.kind !== 'conditional') return `{${str(t === 'string' ? 'S' : 'BOOL')}: ${this.expr(v, pres, line)}}`;
    // A missing value makes $l2sMarshal raise an error, as the SDK's marshall throws on undefined.
    return `$l2sMarshal(${this.expr(v, pres, line)})`;
  }

  /**
   * An attribute map (Key, Item, ExpressionAttributeValues), marshalled generically. `item`: a DocumentClient Item,
   * whose members the SDK marshals one by one (lib-dynamodb and the v2 DocumentClient leave an undefined member out).
   */
  private marshalMap(v: ValueExpr, pres: Pre[], line: number, item = false): string {
    if (v.kind === 'object') {
      const missing = v.entries.some(([, x]) => this.canBeUndefined(x));
      if (item && missing) this.assumeOnce(line, `an item attribute built from a request field is left out when the field is missing and written as NULL when it is null, as the SDK marshals it (line ${line})`);
      else if (missing) this.assumeOnce(line, 'key and expression values built from request fields are written as required: when one is missing, the DynamoDB call fails in the handler and the Task fails in the state machine');
      const member = (x: ValueExpr) => (item && this.canBeUndefined(x) ? `( $l2sA := ${this.expr(x, pres, line)}; $exists($l2sA) ? $l2sMarshal($l2sA) )` : this.marshal(x, pres, line));
      return `{${v.entries.filter(([, x]) => x.kind !== 'undefined').map(([k, x]) => `${str(k)}: ${member(x)}`).join(', ')}}`;
    }
    if (v.kind === 'literal') return lit(v.value && typeof v.value === 'object' && !Array.isArray(v.value) ? (Object.fromEntries(Object.entries(v.value).map(([k, x]) => [k, marshalLiteral(x)])) as Json) : v.value);
    if (v.kind === 'ddb' && (v.field === 'Item' || v.field === 'Attributes') && v.path.length === 0) return `$${this.varName(v.step)}.${v.field}`;
    this.assumeOnce(line, 'values without a static type are marshalled when the state machine runs, as @aws-sdk/util-dynamodb does (string → S, number → N, boolean → BOOL, null → NULL, object → M, array → L); a number beyond 2^53-1 or one needing 16-17 significant digits fails the execution');
    return `$l2sMarshalMap(${this.expr(v, pres, line)})`;
  }

  /** TransactItems / RequestItems: the attribute maps inside are marshalled, the rest is kept. */
  private marshalNested(v: ValueExpr, pres: Pre[], line: number): string {
    if (v.kind === 'array') return `[${v.items.map((i) => this.marshalNested(i, pres, line)).join(', ')}]`;
    if (v.kind === 'literal') return lit(marshalNestedLiteral(v.value) as Json);
    if (v.kind !== 'object') throw new EmitFailure('a batch or transaction entry is computed at run time; lambda2sfn only converts entries written out in the code', line);
    return `{${v.entries.filter(([, x]) => x.kind !== 'undefined').map(([k, x]) => {
      if (ATTRIBUTE_MAPS.includes(k)) return `${str(k)}: ${this.marshalMap(x, pres, line)}`;
      if (k === 'Keys' && x.kind === 'array') return `${str(k)}: [${x.items.map((i) => this.marshalMap(i, pres, line)).join(', ')}]`;
      if (x.kind === 'object' || x.kind === 'array' || (x.kind === 'literal' && x.value !== null && typeof x.value === 'object')) return `${str(k)}: ${this.marshalNested(x, pres, line)}`;
      return `${str(k)}: ${this.expr(x, pres, line)}`;
    }).join(', ')}}`;
  }

  /** A pure computation kept in a small Lambda function: a Task before the state that reads it stores its result. */
  private residualCall(v: Extract<ValueExpr, { kind: 'residual' }>, pres: Pre[], line: number): string {
    this.resources.add('arn:aws:states:::lambda:invoke');
    if (!this.residuals.some((r) => r.id === v.id)) this.residuals.push({ id: v.id, code: v.code, inputs: v.inputs.map(([k]) => k), line: v.line });
    const target = this.tmp();
    const input = `{${v.inputs.map(([k, x]) => `${str(k)}: ${this.expr(x, pres, line)}`).join(', ')}}`;
    pres.push((n) => {
      const state: AslState = {
        Type: 'Task',
        Comment: residualComment(v),
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: `\${${RESIDUAL_SUBSTITUTION}}`, Payload: { compute: v.id, input: field(input) } },
        Assign: { [target]: '{% $states.result.Payload %}' },
        Next: n,
      };
      return this.add(`Compute in Lambda (line ${v.line})`, this.withCatch(state, 'Lambda'));
    });
    return `$${target}`;
  }

  // ---------------------------------------------------------------- conditions

  condition(c: Condition, pres: Pre[], line: number): string {
    switch (c.kind) {
      case 'and': case 'or': {
        if (!c.items.length) return c.kind === 'and' ? 'true' : 'false';
        return `(${c.items.map((i) => this.condition(i, pres, line)).join(` ${c.kind} `)})`;
      }
      case 'not': return `$not(${this.condition(c.item, pres, line)})`;
      case 'present': case 'truthy': {
        // A whole item read from DynamoDB is there or not (an item is never empty).
        if (c.value.kind === 'ddb' && !c.value.raw && c.value.path.length === 0 && (c.value.field === 'Item' || c.value.field === 'Attributes')) {
          const e = `$exists($${this.varName(c.value.step)}.${c.value.field})`;
          return c.negate ? `$not(${e})` : e;
        }
        if (c.kind === 'truthy') {
          const e = this.truthy(this.expr(c.value, pres, line));
          return c.negate ? `$not(${e})` : e;
        }
        const e = this.present(this.expr(c.value, pres, line));
        return c.negate ? `$not(${e})` : e;
      }
      case 'truthy': {
        const e = this.truthy(this.expr(c.value, pres, line));
        return c.negate ? `$not(${e})` : e;
      }
      case 'typeof': {
        const e = this.expr(c.value, pres, line);
        const test = c.type === 'object' ? `$type(${e}) in ['object', 'array', 'null']` : `$type(${e}) = ${str(c.type)}`;
        return c.negate ? `$not(${test})` : `(${test})`;
      }
      case 'matches': {
        const e = this.expr(c.value, pres, line);
        return `( $l2sM := ${e}; $type($l2sM) = 'string' and $contains($l2sM, ${matchesRegex(c.pattern)}) )`;
      }
      case 'compare': {
        const e = this.expr(c.left, pres, line);
        const r = c.right;
        if (c.op === '==' || c.op === '!=') {
          const eq = `(${e} = ${lit(r)})`;
          return c.op === '==' ? eq : `$not${eq}`;
        }
        // JSONata raises an error comparing a string with a number; JavaScript answers false for a missing value.
        const t = typeof r === 'number' ? 'number' : typeof r === 'string' ? 'string' : undefined;
        if (!t) throw new EmitFailure(`comparison with ${JSON.stringify(r)} has no JSONata equivalent`, line);
        return `( $l2sC := ${e}; $type($l2sC) = '${t}' and $l2sC ${c.op} ${lit(r)} )`;
      }
    }
  }
}

/**
 * A JSON constant as a field value. An empty string becomes `{% "" %}`: asl-validator 4 rejects "" in a JSONata
 * state (it matches two of its schemas); a string that looks like an expression is quoted the same way.
 */
function literalField(v: Json): unknown {
  if (typeof v === 'string') return v === '' || /^\{%[\s\S]*%\}$/.test(v) ? jsonataField(str(v)) : v;
  if (Array.isArray(v)) return v.map(literalField);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literalField(x)]));
  return v;
}

export function emitJsonata(workflow: Workflow, comment: string): EmitResult {
  return new JsonataEmitter(comment).emit(workflow);
}
