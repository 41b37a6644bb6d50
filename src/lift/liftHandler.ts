// Lift one handler function into the workflow model. Every construct is either understood (→ model nodes,
// with the rule that recognised it) or becomes a blocker naming the construct, its line and why.
import type * as t from '@babel/types';
import { clientFromConstructor, clientFromFactory, isDynamoClient, type ClientKind } from '../analyze/clients.js';
import { patternBindings, type ModuleIndex, type ModuleInfo } from '../analyze/moduleIndex.js';
import {
  HTTP_ERROR_STATUSES, type Catcher, type Condition, type DynamoCall, type DynamoOp, type DynamoParam, type HttpConnection, type ItemSchema, type Json, type PollLoop, type Publish, type Step, type ValueExpr, type ValueType,
} from '../model/workflow.js';
import type { Assumption, Blocker, EventSource } from '../report/types.js';
import type { SdkCallShape } from '../rules/dynamoCall.js';
import { DYNAMO_CALL_RULES, UNSUPPORTED } from '../rules/registry.js';
import { isServiceClient, recogniseServiceCall, type ServiceCallMatch } from '../rules/serviceCall.js';
import { CLIENT_TITLES, SDK_INTEGRATION_CLIENTS } from '../rules/sdkIntegrations.js';
import { AXIOS_DATA_METHODS, AXIOS_OPTIONS, AXIOS_PLAIN_METHODS, AXIOS_RESPONSE_FIELDS, AXIOS_RESPONSE_WHY, AUTH_HEADER, basicAuthParts, clientCredentialsGrant, GOT_METHODS, GOT_OPTIONS, GOT_RETRIED_METHODS, GOT_RETRIED_STATUSES, joinBaseUrl, type HttpClient } from './httpClients.js';
import { withKeyAttributes, type SchemaSources } from './schemaSources.js';
import { typeFromTsType } from './tsTypes.js';

type FunctionLike = t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration | t.ObjectMethod;

/** A polling loop being lifted: what its `break`/`continue` must store, and the types they stored. */
interface PollContext {
  kind: 'poll';
  form: PollLoop['form'];
  carried: string[];
  exitTypes: Map<string, ValueType[]>;
  fail: (why: string) => LiftFailure;
}

interface TableRef { name: string; key: string; envVar?: string; literal?: string }

type Entry =
  | { kind: 'value'; value: ValueExpr }
  /** `raw`: a low-level client returned it, so the code reads AttributeValues (`Item.id.S`) itself. */
  | { kind: 'ddb-result'; step: string; table: TableRef; schema?: ItemSchema; op: DynamoOp; raw: boolean }
  | { kind: 'client'; client: ClientKind }
  | { kind: 'function'; node: FunctionLike; module: ModuleInfo; name: string }
  /** `new Date().toISOString` and `CONSTANT_LIST.join` as callees: folded when called. */
  | { kind: 'builtin-call'; method: 'iso-now' } | { kind: 'builtin-call'; method: 'join'; list: Json[] }
  | { kind: 'package'; source: string; path: string[] }
  | { kind: 'global'; path: string[] }
  | { kind: 'env-namespace' }
  | { kind: 'error-var' }
  | { kind: 'callback' }
  | { kind: 'context' }
  /**
   * The result of a Bedrock InvokeModel or an allow-listed AWS SDK call, or a part of it (`path`): only the fields
   * `fields` lists can be read (the same in the SDK output and the Task result); `unsafe` ones are blockers with
   * their reason. `body`: Bedrock's response body, readable only as JSON.parse of its decoded bytes.
   */
  | { kind: 'sdk-result'; name: string; title: string; rule: string; path: string[]; fields: Record<string, 'string' | 'number' | 'array'>; unsafe: Record<string, string>; body?: boolean };

/** Thrown inside the lifter; caught where a blocker (or a residual Lambda step) can be recorded. */
export class LiftFailure extends Error {
  constructor(message: string, readonly line: number, readonly rule: string = UNSUPPORTED, readonly residualizable = false) {
    super(message);
  }
}

const GLOBALS = new Set(['JSON', 'Date', 'Math', 'console', 'process', 'crypto', 'Number', 'String', 'Object', 'Array', 'Promise', 'Boolean', 'parseInt', 'parseFloat', 'Buffer', 'encodeURIComponent', 'decodeURIComponent', 'setTimeout', 'fetch']);

const UUID_PACKAGES = new Set(['uuid']);

export interface LiftResult {
  steps: Step[];
  rules: Set<string>;
  blockers: Blocker[];
  /** Blockers that were handled by keeping a pure expression in a residual Lambda. */
  residualBlockers: Blocker[];
  /** Those of residualBlockers whose expression the JSONata emitter expresses itself (the residual's `jsonata`). */
  jsonataResolves: Set<Blocker>;
  assumptions: Assumption[];
  substitutions: Record<string, string>;
  dynamoCalls: number;
  /** Calls to the other services with an integration (SNS, EventBridge, SQS, Lambda, fetch), converted or not. */
  serviceCalls: number;
  eventFields: Set<string>;
  eventSourceHint?: EventSource;
  /** EventBridge connections the HTTP Tasks need. */
  httpConnections: HttpConnection[];
  /** A loop over event.Records (SQS/stream batch): the machine also accepts the batch as a list (EventBridge Pipes). */
  recordsBatch?: boolean;
  /** Routes of a route switch and whether each converts. */
  routes: Array<{ route: string; convertible: 'full' | 'none'; line: number; endLine: number }>;
}

export interface LiftOptions {
  module: ModuleInfo;
  index: ModuleIndex;
  schemas: SchemaSources;
  ruleEnabled: (id: string) => boolean;
  /** @middy/http-json-body-parser ran before the handler: event.body is already an object. */
  bodyParsedByMiddleware?: boolean;
}

const line = (n: t.Node | null | undefined): number => n?.loc?.start.line ?? 0;

function pascal(envVar: string): string {
  return envVar.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function pascalWords(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function unwrapTs(node: t.Node): t.Node {
  let n = node;
  for (;;) {
    if (n.type === 'TSNonNullExpression' || n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion' || n.type === 'ParenthesizedExpression' || n.type === 'TypeCastExpression') n = n.expression;
    else return n;
  }
}

function propName(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'StringLiteral') return node.property.value;
  if (node.property.type === 'NumericLiteral') return String(node.property.value);
  return undefined;
}

function keyName(key: t.Node): string | undefined {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return undefined;
}

function isLiteral(v: ValueExpr): v is { kind: 'literal'; value: Json } {
  return v.kind === 'literal';
}

/** True when the value is made up while the handler runs: it must be computed once and stored. */
function needsStore(v: ValueExpr): boolean {
  switch (v.kind) {
    case 'uuid': case 'now-iso': case 'residual': case 'json-parse': return true;
    case 'format': return v.args.some(needsStore);
    case 'json-stringify': return needsStore(v.value);
    case 'object': return v.entries.some(([, x]) => needsStore(x));
    case 'array': return v.items.some(needsStore);
    case 'coalesce': return needsStore(v.value) || needsStore(v.fallback);
    case 'conditional': return needsStore(v.then) || needsStore(v.else);
    case 'intrinsic': return v.fn === 'States.UUID' || v.args.some(needsStore);
    case 'marshalled': return needsStore(v.value);
    case 'fn': return v.fn === 'millis' || v.args.some(needsStore);
    case 'merge': return v.parts.some(needsStore);
    default: return false;
  }
}

export function typeOfValue(v: ValueExpr): ValueType {
  switch (v.kind) {
    case 'literal':
      return v.value === null ? { kind: 'null' } : typeof v.value === 'string' ? { kind: 'string' } : typeof v.value === 'number' ? { kind: 'number' } : typeof v.value === 'boolean' ? { kind: 'boolean' } : Array.isArray(v.value) ? { kind: 'array' } : { kind: 'object' };
    case 'event': case 'var': case 'json-parse': case 'intrinsic': case 'residual': return v.type;
    case 'env': case 'uuid': case 'now-iso': case 'format': case 'json-stringify': return { kind: 'string' };
    case 'object': {
      const fields: Record<string, { type: ValueType; optional: boolean }> = {};
      for (const [k, x] of v.entries) fields[k] = { type: typeOfValue(x), optional: false };
      return { kind: 'object', fields };
    }
    case 'array': return { kind: 'array' };
    case 'coalesce': {
      // `x ?? null` is a string or null: only the same type on both sides is a static type.
      const a = typeOfValue(v.value);
      const b = typeOfValue(v.fallback);
      return a.kind === b.kind ? a : { kind: 'unknown' };
    }
    case 'conditional': {
      const a = typeOfValue(v.then);
      const b = typeOfValue(v.else);
      return a.kind === b.kind ? a : { kind: 'unknown' };
    }
    case 'marshalled': case 'merge': return { kind: 'object' };
    case 'fn': return v.type;
    case 'ddb': {
      if (v.field === 'Count' || v.field === 'ScannedCount') return { kind: 'number' };
      if (v.raw) {
        const last = v.path[v.path.length - 1];
        if (last === 'S' || last === 'N') return { kind: 'string' };
        if (last === 'BOOL') return { kind: 'boolean' };
        if (last === 'L' || last === 'SS' || last === 'NS' || v.field === 'Items') return { kind: 'array' };
        return { kind: 'object' };
      }
      if (v.path.length === 0) return v.field === 'Items' ? { kind: 'array' } : { kind: 'object', fields: v.schema?.attributes };
      let t: ValueType | undefined = v.schema?.attributes[v.path[0]!]?.type;
      for (const p of v.path.slice(1)) t = t?.kind === 'object' ? t.fields?.[p]?.type : undefined;
      return t ?? { kind: 'unknown' };
    }
    case 'undefined': return { kind: 'unknown' };
  }
}

export class Lifter {
  private readonly scopes: Array<Map<string, Entry>> = [];
  private readonly moduleStack: ModuleInfo[];
  readonly result: LiftResult;
  private counter = 0;
  private readonly pending: Step[] = [];
  /** Event/var paths proven present by a guard that returned early when they were missing. */
  private readonly knownPresent = new Set<string>();
  /** Types proven by a guard (`typeof x !== 'number'` → return). */
  private readonly knownTypes = new Map<string, ValueType>();
  private inlineDepth = 0;
  /** Set while a residual's JSONata alternative is lifted: nothing nested may become a residual of its own. */
  private liftingAlternative = false;
  /** Results of Lambda invokes: their Payload is JSON in Step Functions, bytes in the SDK. */
  private readonly lambdaResults = new Set<string>();
  /** The loops and switches being lifted, innermost last: what a `break`/`continue` leaves. */
  private readonly loopStack: Array<PollContext | { kind: 'switch' | 'Map loop' }> = [];
  /**
   * Results of axios and got calls (HTTP Task results), by step result: the Task result field each response field
   * reads (axios res.data → ResponseBody, got res.statusCode → StatusCode, …) and why other fields do not convert.
   */
  private readonly responseFields = new Map<string, { client: HttpClient; fields: Readonly<Record<string, string>>; why?: Readonly<Record<string, string>> }>();
  /** Results that must be checked with `if (!res.ok)` (fetch; got with throwHttpErrors: false), by variable: their step, and whether it was. */
  private readonly httpResults = new Map<string, { step: Publish; checked: boolean; line: number; reported?: boolean; client: HttpClient }>();

  constructor(private readonly opts: LiftOptions) {
    this.moduleStack = [opts.module];
    this.result = {
      steps: [], rules: new Set(), blockers: [], residualBlockers: [], jsonataResolves: new Set(), assumptions: [], substitutions: {}, dynamoCalls: 0, serviceCalls: 0, eventFields: new Set(), routes: [], httpConnections: [],
    };
  }

  private get module(): ModuleInfo {
    return this.moduleStack[this.moduleStack.length - 1]!;
  }

  private use(rule: string): void {
    this.result.rules.add(rule);
  }

  private assume(lineNo: number, message: string, rule?: string): void {
    if (!this.result.assumptions.some((a) => a.message === message)) this.result.assumptions.push({ line: lineNo, message, rule });
  }

  private fresh(base: string): string {
    this.counter += 1;
    return `${base}${this.counter}`;
  }

  private code(node: t.Node): string {
    const text = this.module.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  // ---------------------------------------------------------------- entry point

  liftHandler(fn: FunctionLike): LiftResult {
    const scope = new Map<string, Entry>();
    this.scopes.push(scope);
    const [eventParam, contextParam, callbackParam] = fn.params;
    try {
      if (eventParam) this.bindParam(eventParam, { kind: 'value', value: { kind: 'event', path: [], type: { kind: 'object' } } }, scope);
    } catch (e) {
      if (!(e instanceof LiftFailure)) throw e;
      this.block(e);
    }
    if (contextParam?.type === 'Identifier') scope.set(contextParam.name, { kind: 'context' });
    if (callbackParam?.type === 'Identifier') {
      scope.set(callbackParam.name, { kind: 'callback' });
      this.use('callback-handler');
    }
    if (eventParam?.type === 'Identifier' && eventParam.typeAnnotation?.type === 'TSTypeAnnotation') {
      this.result.eventSourceHint = eventSourceFromType(this.code(eventParam.typeAnnotation.typeAnnotation));
    }
    const pre: Step[] = [];
    if (this.opts.bodyParsedByMiddleware) {
      pre.push(...middyJsonBodyParserSteps(line(fn)));
      this.use('middy-wrapper');
    }
    try {
      if (fn.body.type === 'BlockStatement') this.result.steps = [...pre, ...this.liftBlock(fn.body.body)];
      else this.result.steps = [...pre, this.returnStep(fn.body)];
    } catch (e) {
      if (!(e instanceof LiftFailure)) throw e;
      this.block(e);
    }
    return this.result;
  }

  private bindParam(param: t.Node, entry: Entry, scope: Map<string, Entry>): void {
    if (param.type === 'Identifier') scope.set(param.name, entry);
    else if (param.type === 'ObjectPattern' && entry.kind === 'value') {
      for (const b of patternBindings(param)) scope.set(b.name, { kind: 'value', value: this.member(entry.value, b.path, param) });
    } else throw new LiftFailure(`parameter pattern ${this.code(param)} is not supported`, line(param));
  }

  private block(e: LiftFailure): void {
    if (!this.result.blockers.some((b) => b.line === e.line && b.message === e.message)) this.result.blockers.push({ rule: e.rule, line: e.line, message: e.message });
  }

  // ---------------------------------------------------------------- statements

  private liftBlock(stmts: t.Statement[]): Step[] {
    const out: Step[] = [];
    for (const stmt of stmts) {
      try {
        this.requireOkCheck(stmt);
        this.liftStatement(stmt, out);
      } catch (e) {
        if (!(e instanceof LiftFailure)) throw e;
        this.block(e);
      }
      out.push(...this.pending.splice(0));
      if (leavesBlock(stmt)) break;
    }
    try {
      this.requireOkCheck(undefined);
    } catch (e) {
      if (!(e instanceof LiftFailure)) throw e;
      this.block(e);
    }
    return out;
  }

  /** A fetch must be followed directly by `if (!res.ok)`: fetch returns non-2xx answers, the HTTP Task fails on them. */
  private requireOkCheck(next: t.Statement | undefined): void {
    const unchecked = [...this.httpResults].find(([, r]) => !r.checked && !r.reported);
    if (!unchecked) return;
    const [name, res] = unchecked;
    const test = next?.type === 'IfStatement' ? unwrapTs(next.test) : undefined;
    if (test?.type === 'UnaryExpression' && test.operator === '!' && test.argument.type === 'MemberExpression' && test.argument.object.type === 'Identifier' && test.argument.object.name === name && propName(test.argument) === 'ok') return;
    res.reported = true;
    const returns = res.client === 'fetch' ? 'fetch returns' : `${res.client} with throwHttpErrors: false returns`;
    throw new LiftFailure(`the ${res.client} result ${name} is not checked with if (!${name}.ok) right after the call: ${returns} non-2xx answers where the HTTP Task fails (States.Http.StatusCode.<code>)`, res.line, 'http-task');
  }

  /** Try blocks the statements being lifted are in (a throw there is caught by the code, not the end of the run). */
  private tryDepth = 0;

  private inTryBody<T>(fn: () => T): T {
    this.tryDepth += 1;
    try {
      return fn();
    } finally {
      this.tryDepth -= 1;
    }
  }

  /** The value of every variable in scope (an assignment replaces its entry, so copying the maps is a snapshot). */
  private scopeState(): Array<Map<string, Entry>> {
    return this.scopes.map((scope) => new Map(scope));
  }

  private restoreScopeState(state: Array<Map<string, Entry>>): void {
    state.forEach((saved, i) => {
      const scope = this.scopes[i]!;
      scope.clear();
      saved.forEach((entry, name) => scope.set(name, entry));
    });
  }

  /** Variables of the scopes in `state` whose value changed since (assigned in a branch). */
  private changedSince(state: Array<Map<string, Entry>>): string[] {
    const names: string[] = [];
    state.forEach((saved, i) => this.scopes[i]!.forEach((entry, name) => {
      if (saved.get(name) !== entry) names.push(name);
    }));
    return names;
  }

  private withScope<T>(fn: () => T): T {
    this.scopes.push(new Map());
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  private liftStatement(stmt: t.Statement, out: Step[]): void {
    switch (stmt.type) {
      case 'EmptyStatement': case 'TSTypeAliasDeclaration': case 'TSInterfaceDeclaration': case 'TSEnumDeclaration':
        return;
      case 'BlockStatement':
        out.push(...this.withScope(() => this.liftBlock(stmt.body)));
        return;
      case 'VariableDeclaration':
        for (const d of stmt.declarations) this.liftDeclarator(d, out);
        return;
      case 'ReturnStatement':
        if (!stmt.argument) {
          out.push({ kind: 'return', value: { kind: 'undefined' }, line: line(stmt) });
          return;
        }
        out.push(...this.flushPending());
        out.push(this.returnStep(stmt.argument));
        return;
      case 'IfStatement': {
        const failed = this.httpNotOk(stmt, out);
        if (failed) {
          out.push(failed);
          return;
        }
        out.push(this.liftIf(stmt));
        return;
      }
      case 'SwitchStatement':
        out.push(this.insideJumpTarget('switch', () => this.liftSwitch(stmt)));
        return;
      case 'TryStatement':
        out.push(this.liftTry(stmt));
        return;
      case 'ThrowStatement':
        // A Fail state ends the execution: inside a try block the code's catch would handle the error instead.
        if (this.tryDepth > 0) throw new LiftFailure('throw inside a try block: the state machine\'s Fail state would end the execution where the catch handles the error; not converted', line(stmt), 'try-catch');
        out.push(this.throwStep(stmt.argument, line(stmt)));
        return;
      case 'ExpressionStatement':
        this.liftExpressionStatement(stmt.expression, out);
        return;
      case 'FunctionDeclaration':
        if (stmt.id) this.scopes[this.scopes.length - 1]!.set(stmt.id.name, { kind: 'function', node: stmt, module: this.module, name: stmt.id.name });
        return;
      case 'BreakStatement': case 'ContinueStatement':
        this.liftLoopExit(stmt, out);
        return;
      case 'ForStatement': case 'ForOfStatement': case 'ForInStatement': case 'WhileStatement': case 'DoWhileStatement': {
        const text = this.module.text.slice(stmt.start ?? 0, stmt.end ?? 0);
        if (stmt.type === 'DoWhileStatement' && this.liftPagination(stmt, out)) return;
        if (/LastEvaluatedKey|ExclusiveStartKey/.test(text)) {
          throw new LiftFailure('pagination loop over LastEvaluatedKey: a Choice loop can fetch the pages, but JSONPath has no way to append each page\'s items to a list (JSONata can: $append); not converted', line(stmt));
        }
        if (stmt.type === 'ForOfStatement') {
          if (stmt.await) throw new LiftFailure('for await…of over an async iterable has no Map equivalent', line(stmt), 'map-loop');
          const decl = stmt.left.type === 'VariableDeclaration' && stmt.left.declarations.length === 1 ? stmt.left.declarations[0]!.id : undefined;
          if (!decl) throw new LiftFailure('for…of whose loop variable is not declared in the loop head', line(stmt), 'map-loop');
          const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [stmt.body];
          out.push(...this.flushPending());
          const collect = this.collectedFailures(body);
          // Awaits in a for…of run one element after the other: MaxConcurrency 1.
          out.push(this.liftLoop(stmt.right, decl, collect ? collect.body : body, 1, stmt, collect));
          return;
        }
        if ((stmt.type === 'WhileStatement' || stmt.type === 'DoWhileStatement' || stmt.type === 'ForStatement') && /setTimeout|sleep|delay|wait/i.test(text)) {
          out.push(...this.flushPending());
          out.push(stmt.type === 'ForStatement' ? this.withScope(() => this.liftForPollLoop(stmt, out)) : this.liftPollLoop(stmt, out));
          return;
        }
        throw new LiftFailure(`loop (${stmt.type.replace('Statement', '')}) is not converted yet: it needs a Map state or a Choice loop`, line(stmt));
      }
      default:
        throw new LiftFailure(`statement ${this.code(stmt)} is not understood`, line(stmt));
    }
  }

  /** `fetch(url, init)` (global fetch), awaited: its arguments. */
  private fetchCall(node: t.Node): { url: t.Node; init?: t.Node; at: t.Node } | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const call = unwrapTs(n.argument);
    if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== 'fetch' || this.findScope('fetch') || this.module.bindings.has('fetch')) return undefined;
    // Counted even when it does not convert: the handler is a candidate, with the reason.
    this.result.serviceCalls += 1;
    if (!call.arguments.length || call.arguments.length > 2) throw new LiftFailure(`fetch with ${call.arguments.length} arguments`, line(call), 'http-task');
    return { url: call.arguments[0]!, init: call.arguments[1], at: call };
  }

  /** `name` is axios itself (imported from 'axios') or a module-level `axios.create(config)` instance (with its config). */
  private axiosTarget(name: string): { instance?: t.Node } | undefined {
    if (this.findScope(name)) return undefined;
    const imp = this.module.imports.get(name);
    if (imp) return imp.source === 'axios' && ['default', '*'].includes(imp.imported) ? {} : undefined;
    const b = this.module.bindings.get(name);
    const init = b && b.kind === 'const' && !b.path.length && b.init ? unwrapTs(b.init) : undefined;
    if (init?.type !== 'CallExpression' || init.callee.type !== 'MemberExpression' || init.callee.object.type !== 'Identifier' || propName(init.callee) !== 'create') return undefined;
    const base = this.axiosTarget(init.callee.object.name);
    if (!base || base.instance) return undefined;
    if (init.arguments.length > 1 || init.arguments.some((a) => a.type === 'SpreadElement')) throw new LiftFailure(`axios.create with ${init.arguments.length} arguments`, line(init), 'http-task');
    return { instance: init.arguments[0] ?? ({ type: 'ObjectExpression', properties: [] } as unknown as t.ObjectExpression) };
  }

  /**
   * An awaited axios request: `axios.get/delete/head(url, config)`, `axios.post/put/patch(url, data, config)`,
   * `axios(config)`, `axios(url, config)`, `axios.request(config)`, on axios itself or on a module-level
   * `axios.create({ baseURL, headers, auth })` instance. axios rejects non-2xx answers (default validateStatus) the
   * way the HTTP Task fails on them, so no status check is needed; data objects are sent as JSON.
   */
  private axiosCall(node: t.Node): AxiosCall | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const call = unwrapTs(n.argument);
    if (call.type !== 'CallExpression') return undefined;
    const callee = call.callee;
    const local = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.object.type === 'Identifier' ? callee.object.name : undefined;
    const target = local ? this.axiosTarget(local) : undefined;
    if (!local || !target) return undefined;
    this.result.serviceCalls += 1;
    const args = call.arguments;
    if (args.some((a) => a.type === 'SpreadElement')) throw new LiftFailure(`${this.code(callee)} with spread arguments`, line(call), 'http-task');
    const name = target.instance ? `the axios instance ${local}` : 'axios';
    if (callee.type === 'Identifier' || propName(callee as t.MemberExpression) === 'request') {
      // axios(config) / axios(url, config) / axios.request(config)
      const withUrl = callee.type === 'Identifier' && args.length === 2;
      if (!args.length || args.length > (callee.type === 'Identifier' ? 2 : 1)) throw new LiftFailure(`${this.code(callee)} with ${args.length} arguments`, line(call), 'http-task');
      return { name, at: call, instance: target.instance, url: withUrl ? args[0] : undefined, config: withUrl ? args[1] : args[0] };
    }
    const method = propName(callee as t.MemberExpression) ?? '';
    const withData = AXIOS_DATA_METHODS.has(method);
    if (!withData && !AXIOS_PLAIN_METHODS.has(method)) throw new LiftFailure(`${target.instance ? local : 'axios'}.${method}(…) is not a plain request method (get/delete/head/post/put/patch/request)`, line(call), 'http-task');
    const max = withData ? 3 : 2;
    if (!args.length || args.length > max) throw new LiftFailure(`axios.${method} with ${args.length} arguments`, line(call), 'http-task');
    return { name, at: call, instance: target.instance, url: args[0], method: method.toUpperCase(), data: withData ? args[1] : undefined, config: args[withData ? 2 : 1] };
  }

  /** An HTTP Task for an axios call: the instance's config, then the call's (later keys win, as axios merges them). */
  private axiosStep(call: AxiosCall, at: t.Node): Publish {
    const rule = 'http-task';
    this.requireHttpRule(at);
    const options = [...(call.instance ? this.objectParams(call.instance, at) : []), ...(call.config ? this.objectParams(call.config, at) : [])];
    for (const [key, node] of options) {
      if (!AXIOS_OPTIONS.has(key)) throw new LiftFailure(`axios config option ${key} has no HTTP Task equivalent here`, line(node), rule);
    }
    const option = (key: string) => options.filter(([k]) => k === key).pop()?.[1];
    const urlNode = call.url ?? option('url');
    if (!urlNode) throw new LiftFailure(`${call.name} called without a URL`, line(call.at), rule);
    let method = call.method;
    const methodNode = method ? undefined : option('method');
    if (methodNode) {
      const m = this.valueOf(methodNode);
      if (!isLiteral(m) || typeof m.value !== 'string' || !(AXIOS_DATA_METHODS.has(m.value.toLowerCase()) || AXIOS_PLAIN_METHODS.has(m.value.toLowerCase()))) throw new LiftFailure(`axios method ${this.code(methodNode)} is not a constant get/delete/head/post/put/patch`, line(methodNode), rule);
      method = m.value.toUpperCase();
    }
    let url = this.valueOf(urlNode);
    const baseNode = option('baseURL');
    if (baseNode) {
      const base = this.valueOf(baseNode);
      const joined = joinBaseUrl(base, url);
      if (!joined) throw new LiftFailure(`axios joins baseURL ${this.code(baseNode)} and URL ${this.code(urlNode)} at run time (the URL is not a constant path): not converted`, line(urlNode), rule);
      if (joined !== url && (base.kind === 'env' || (base.kind === 'format' && base.quasis[base.quasis.length - 1] === ''))) {
        this.assume(line(urlNode), `axios joins baseURL and the request path with one slash; the endpoint is written as \${base}/path, so the base URL (${this.code(baseNode)}) must not end with a slash`, rule);
      }
      url = joined;
    }
    const headers: Array<[string, t.Node]> = [];
    for (const [, node] of options.filter(([k]) => k === 'headers')) {
      for (const [h, v] of this.objectParams(node, at)) {
        if (/^(common|get|post|put|patch|delete|head|options)$/.test(h)) throw new LiftFailure(`axios header group ${h}: per-method header defaults are not converted`, line(v), rule);
        headers.push([h, v]);
      }
    }
    let basic: HttpRequest['basic'];
    const authNode = option('auth');
    if (authNode) {
      const auth = new Map(this.objectParams(authNode, at));
      const password = auth.get('password');
      if (!password || [...auth.keys()].some((k) => k !== 'username' && k !== 'password')) throw new LiftFailure(`axios auth ${this.code(authNode)} is not { username, password }`, line(authNode), rule);
      basic = { user: auth.get('username') ?? ({ type: 'StringLiteral', value: '' } as t.StringLiteral), password, at: authNode };
    }
    let body: ValueExpr | undefined;
    const dataNode = call.data ?? option('data');
    if (dataNode) {
      const d = this.valueOf(dataNode);
      if (d.kind === 'residual' || (d.kind !== 'object' && d.kind !== 'var' && d.kind !== 'event' && typeOfValue(d).kind !== 'string')) throw new LiftFailure(`axios data ${this.code(dataNode)} is not a JSON value or a string (a stream, form data or bytes): the HTTP Task sends JSON or text`, line(dataNode), rule);
      body = d;
    }
    // axios sends a non-string data value as JSON with Content-Type application/json, unless the code set one.
    const step = this.httpTask({ client: 'axios', url, urlCode: this.code(urlNode), method: method ?? 'GET', headers, body, jsonContentType: 'Content-Type', basic, at: call.at }, at);
    // axios parses a JSON answer into res.data.
    step.jsonBody = true;
    this.responseFields.set(step.result, { client: 'axios', fields: AXIOS_RESPONSE_FIELDS, why: AXIOS_RESPONSE_WHY });
    this.assume(line(at), 'axios rejects non-2xx answers (its default validateStatus) as the HTTP Task fails with States.Http.StatusCode.<code>; a ResponseBody that is not JSON is parsed anyway (axios would keep the text)', rule);
    return step;
  }

  /**
   * An awaited got request: `got(url, options)`, `got.get/post/put/patch/delete/head(url, options)`, optionally
   * followed by `.json()` (the parsed body). Other got functions (stream, paginate, extend) are blockers.
   */
  private gotCall(node: t.Node): GotCall | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    let call = unwrapTs(n.argument);
    let readAs: string | undefined;
    if (call.type === 'CallExpression' && call.callee.type === 'MemberExpression' && !call.arguments.length && unwrapTs(call.callee.object).type === 'CallExpression') {
      const inner = unwrapTs(call.callee.object) as t.CallExpression;
      if (this.gotCallee(inner.callee)) {
        readAs = propName(call.callee);
        call = inner;
      }
    }
    if (call.type !== 'CallExpression') return undefined;
    const callee = this.gotCallee(call.callee);
    if (!callee) return undefined;
    this.result.serviceCalls += 1;
    const rule = 'http-task';
    if (callee.method !== undefined && !GOT_METHODS.has(callee.method)) throw new LiftFailure(`got.${callee.method}(…) is not a plain request method (get/post/put/patch/delete/head): streams, pagination and instances are not converted`, line(call), rule);
    if (readAs !== undefined && readAs !== 'json') throw new LiftFailure(`got(…).${readAs}() reads the answer as ${readAs === 'text' ? 'text' : readAs}: the HTTP Task parses JSON answers (read them with .json() or responseType: 'json')`, line(n), rule);
    if (!call.arguments.length || call.arguments.length > 2 || call.arguments.some((a) => a.type === 'SpreadElement')) throw new LiftFailure(`got with ${call.arguments.length} arguments`, line(call), rule);
    return { url: call.arguments[0]!, options: call.arguments[1], method: callee.method?.toUpperCase(), at: call, json: readAs === 'json' };
  }

  /** `got` / `got.<method>` with got imported from 'got': the method name when there is one. */
  private gotCallee(callee: t.Node): { method?: string } | undefined {
    const c = unwrapTs(callee);
    const local = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' && c.object.type === 'Identifier' ? c.object.name : undefined;
    if (!local || this.findScope(local)) return undefined;
    const imp = this.module.imports.get(local);
    if (!imp || imp.source !== 'got' || !['default', 'got'].includes(imp.imported)) return undefined;
    return c.type === 'Identifier' ? {} : { method: propName(c as t.MemberExpression) ?? '' };
  }

  /**
   * An HTTP Task for a got call. got rejects non-2xx answers (HTTPError) as the Task fails, unless
   * `throwHttpErrors: false`: then `checkStatus` is set and the code must check `res.ok` like a fetch.
   */
  private gotStep(call: GotCall, at: t.Node): { step: Publish; checkStatus: boolean } {
    const rule = 'http-task';
    this.requireHttpRule(at);
    const options = call.options ? this.objectParams(call.options, at) : [];
    for (const [key, node] of options) {
      if (!GOT_OPTIONS.has(key)) throw new LiftFailure(`got option ${key} has no HTTP Task equivalent here`, line(node), rule);
    }
    const option = (key: string) => options.filter(([k]) => k === key).pop()?.[1];
    const constant = (key: string): Json | undefined => {
      const node = option(key);
      if (!node) return undefined;
      const v = this.valueOf(node);
      if (!isLiteral(v)) throw new LiftFailure(`got option ${key} ${this.code(node)} is not a constant`, line(node), rule);
      return v.value;
    };
    let method = call.method;
    const m = constant('method');
    if (m !== undefined) {
      if (call.method !== undefined || typeof m !== 'string' || !GOT_METHODS.has(m.toLowerCase())) throw new LiftFailure(`got method ${JSON.stringify(m)} is not a plain request method here`, line(option('method')!), rule);
      method = m.toUpperCase();
    }
    const responseType = constant('responseType');
    if (responseType !== undefined && responseType !== 'json' && responseType !== 'text') throw new LiftFailure(`got responseType ${JSON.stringify(responseType)}: the HTTP Task answers JSON or text, not bytes or streams`, line(option('responseType')!), rule);
    const throwHttpErrors = constant('throwHttpErrors');
    if (throwHttpErrors !== undefined && typeof throwHttpErrors !== 'boolean') throw new LiftFailure('got option throwHttpErrors is not a boolean', line(option('throwHttpErrors')!), rule);
    const checkStatus = throwHttpErrors === false;
    if (checkStatus && call.json) throw new LiftFailure('got(…).json() with throwHttpErrors: false parses failed answers too: the HTTP Task fails on them; not converted', line(call.at), rule);
    // Only `retry: { limit: 0 }` (no retries, as the HTTP Task without a Retry field) is converted.
    const retryNode = option('retry');
    let retries = true;
    if (retryNode) {
      const r = this.valueOf(retryNode);
      const limit = r.kind === 'object' && r.entries.length === 1 && r.entries[0]![0] === 'limit' ? r.entries[0]![1] : undefined;
      if (!limit || !isLiteral(limit) || limit.value !== 0) throw new LiftFailure(`got retry ${this.code(retryNode)}: only { limit: 0 } is converted (the HTTP Task does not retry unless the state gets a Retry copying got's policy)`, line(retryNode), rule);
      retries = false;
    }
    const headers: Array<[string, t.Node]> = option('headers') ? this.objectParams(option('headers'), at) : [];
    let body: ValueExpr | undefined;
    const jsonNode = option('json');
    const bodyNode = option('body');
    if (jsonNode && bodyNode) throw new LiftFailure('got with both json and body', line(bodyNode), rule);
    if (jsonNode) {
      const d = this.valueOf(jsonNode);
      if (d.kind === 'residual' || (d.kind !== 'object' && d.kind !== 'var' && d.kind !== 'event' && d.kind !== 'array')) throw new LiftFailure(`got json ${this.code(jsonNode)} is not a JSON value the HTTP Task can send`, line(jsonNode), rule);
      body = d;
    } else if (bodyNode) {
      const b = this.valueOf(bodyNode);
      if (b.kind === 'residual' || typeOfValue(b).kind !== 'string') throw new LiftFailure(`got body ${this.code(bodyNode)} is not a string (a stream, form data or bytes): the HTTP Task sends JSON or text`, line(bodyNode), rule);
      body = b;
    }
    let query: ValueExpr | undefined;
    const searchNode = option('searchParams');
    if (searchNode) {
      const q = this.valueOf(searchNode);
      if (q.kind !== 'object' || q.entries.some(([, v]) => typeOfValue(v).kind !== 'string' || v.kind === 'residual')) throw new LiftFailure(`got searchParams ${this.code(searchNode)} is not an object of string values: the HTTP Task's QueryParameters are strings`, line(searchNode), rule);
      query = q;
      this.assume(line(searchNode), 'got encodes searchParams as URLSearchParams does (a space as +); the HTTP Task URL-encodes QueryParameters itself, so an API that tells + from %20 apart may see a difference', rule);
    }
    let basic: HttpRequest['basic'];
    if (option('password')) basic = { user: option('username') ?? ({ type: 'StringLiteral', value: '' } as t.StringLiteral), password: option('password')!, at: option('password')! };
    else if (option('username')) throw new LiftFailure('got username without a password', line(option('username')!), rule);
    const json = call.json || responseType === 'json';
    const step = this.httpTask({
      client: 'got', url: this.valueOf(call.url), urlCode: this.code(call.url), method: method ?? 'GET', headers, body, query, basic, at: call.at,
      // got sends a json option with content-type application/json and asks for JSON answers with accept application/json, unless the code set them.
      jsonContentType: jsonNode ? 'content-type' : undefined,
      clientHeaders: json ? [['accept', 'application/json']] : [],
    }, at);
    step.jsonBody = json;
    this.responseFields.set(step.result, {
      client: 'got',
      fields: json ? { body: 'ResponseBody', statusCode: 'StatusCode' } : { statusCode: 'StatusCode' },
      why: json ? {} : { body: `${this.code(call.at)}: got's res.body is text here (responseType text), where the HTTP Task parses JSON answers: read it with responseType: 'json' or .json()` },
    });
    if (!checkStatus) this.assume(line(at), 'got rejects non-2xx answers (HTTPError, its default throwHttpErrors) as the HTTP Task fails with States.Http.StatusCode.<code>', rule);
    if (retries && GOT_RETRIED_METHODS.has(step.params['Method']!.kind === 'literal' ? String((step.params['Method'] as { value: Json }).value) : '')) {
      this.assume(line(at), `got retries ${step.params['Method']!.kind === 'literal' ? String((step.params['Method'] as { value: Json }).value) : ''} requests up to 2 times on ${GOT_RETRIED_STATUSES.join('/')} answers and network errors (its default retry); the HTTP Task does not retry: add a Retry on those States.Http.StatusCode.<code> errors if the API needs it`, rule);
    }
    return { step, checkStatus };
  }

  private requireHttpRule(at: t.Node): void {
    if (!this.opts.ruleEnabled('http-task')) throw new LiftFailure('HTTP call (rule http-task) is disabled in the configuration', line(at), 'http-task');
  }

  /** A fetch's request: method, headers and JSON.stringify(…) or string body from its init object. */
  private fetchRequest(call: { url: t.Node; init?: t.Node; at: t.Node }, at: t.Node): HttpRequest {
    const rule = 'http-task';
    this.requireHttpRule(at);
    const req: HttpRequest = { client: 'fetch', url: this.valueOf(call.url), urlCode: this.code(call.url), method: 'GET', headers: [], at: call.at };
    this.requireEndpoint(req, at);
    for (const [key, node] of call.init ? this.objectParams(call.init, at) : []) {
      if (key === 'method') {
        const m = this.valueOf(node);
        if (!isLiteral(m) || typeof m.value !== 'string') throw new LiftFailure(`fetch method ${this.code(node)} is not a constant`, line(node), rule);
        req.method = m.value.toUpperCase();
      } else if (key === 'headers') {
        req.headers.push(...this.objectParams(node, at));
      } else if (key === 'body') {
        const b = this.valueOf(node);
        if (b.kind === 'json-stringify') req.body = b.value;
        else if (typeOfValue(b).kind === 'string' && b.kind !== 'residual') req.body = b;
        else throw new LiftFailure(`fetch body ${this.code(node)} is not JSON.stringify(…) or a string (a stream, form data or bytes): the HTTP Task sends JSON or text`, line(node), rule);
      } else throw new LiftFailure(`fetch option ${key} has no HTTP Task equivalent`, line(node), rule);
    }
    return req;
  }

  private requireEndpoint(req: HttpRequest, at: t.Node): void {
    const url = req.url;
    if (url.kind !== 'env' && url.kind !== 'format' && !(isLiteral(url) && typeof url.value === 'string')) throw new LiftFailure(`${req.client} URL ${req.urlCode} is neither a constant, an environment variable nor a template`, line(at), 'http-task');
  }

  /**
   * The HTTP Task for a request of any client: endpoint, method, headers (credentials move to the EventBridge
   * connection: API key / bearer headers from the environment → API_KEY, basic auth → BASIC), body, query.
   */
  private httpTask(req: HttpRequest, at: t.Node): Publish {
    const rule = 'http-task';
    this.requireEndpoint(req, at);
    const url = req.url;
    if (clientCredentialsGrant(req.at)) {
      throw new LiftFailure(`OAuth client-credentials token request (grant_type=client_credentials) by ${req.client}: an EventBridge connection of type OAUTH_CLIENT_CREDENTIALS fetches and refreshes the token itself, but the token request and the call using the token are not rewritten into one; not converted`, line(req.at), rule);
    }
    // Later headers win, names compared without case (as the clients merge them).
    const raw = req.headers.filter(([name], i) => !req.headers.slice(i + 1).some(([other]) => other.toLowerCase() === name.toLowerCase()));
    const headers: Array<[string, ValueExpr]> = [];
    let apiKey: HttpConnection['header'];
    let basic: HttpConnection['basic'];
    for (const [name, hv] of raw) {
      const basicParts = /^authorization$/i.test(name) ? basicAuthParts(hv) : undefined;
      if (basicParts) {
        basic = this.basicCredentials({ ...basicParts, at: hv });
        continue;
      }
      const v = this.valueOf(hv);
      if (v.kind === 'residual' || needsStore(v)) throw new LiftFailure(`header ${name} is computed at run time (${this.code(hv)}), for example a request signature: the HTTP Task sends fixed or input headers and the connection's auth; not converted`, line(hv), rule);
      if (AUTH_HEADER.test(name)) {
        const env = v.kind === 'env' ? { prefix: '', envVar: v.envVar } : v.kind === 'format' && v.args.length === 1 && v.args[0]!.kind === 'env' && v.quasis[1] === '' ? { prefix: v.quasis[0]!, envVar: (v.args[0] as { envVar: string }).envVar } : undefined;
        if (!env) throw new LiftFailure(`auth header ${name} is not an environment variable (with a constant prefix): the EventBridge connection must hold the secret`, line(hv), rule);
        delete this.result.substitutions[pascal(env.envVar)];
        apiKey = { name, ...env };
        continue;
      }
      headers.push([name, v]);
    }
    if (req.basic) {
      // axios `auth` / got username+password set the Authorization header themselves, over any the code wrote.
      if (apiKey && /^authorization$/i.test(apiKey.name)) apiKey = undefined;
      basic = this.basicCredentials(req.basic);
    }
    if (apiKey && basic) throw new LiftFailure(`${req.client} call sends both an API key header (${apiKey.name}) and basic auth: an EventBridge connection holds one kind of auth`, line(req.at), rule);
    const has = (h: string) => headers.some(([k]) => k.toLowerCase() === h);
    if (req.jsonContentType && req.body && typeOfValue(req.body).kind !== 'string' && !has('content-type')) headers.unshift([req.jsonContentType, { kind: 'literal', value: 'application/json' }]);
    for (const [k, v] of req.clientHeaders ?? []) if (!has(k)) headers.push([k, { kind: 'literal', value: v }]);
    const params: Record<string, ValueExpr> = { ApiEndpoint: url, Method: { kind: 'literal', value: req.method } };
    if (headers.length) params['Headers'] = { kind: 'object', entries: headers };
    if (req.body) params['RequestBody'] = req.body;
    if (req.query) params['QueryParameters'] = req.query;
    // Named after the URL's environment variable, or its host.
    const envArg = url.kind === 'env' ? url : url.kind === 'format' ? url.args.find((a) => a.kind === 'env') : undefined;
    const host = /^https?:\/\/([^/:]+)/.exec(url.kind === 'format' ? url.quasis[0]! : isLiteral(url) ? String(url.value) : '')?.[1];
    const substitution = `${envArg && envArg.kind === 'env' ? envArg.substitution : pascalWords(host ?? 'Api')}ConnectionArn`;
    params['Authentication'] = { kind: 'object', entries: [['ConnectionArn', { kind: 'literal', value: `\${${substitution}}` }]] };
    const user = basic ? ('envVar' in basic.username ? `process.env.${basic.username.envVar}` : JSON.stringify(basic.username.value)) : '';
    const authText = apiKey
      ? `API key auth: header ${apiKey.name} = ${apiKey.prefix}<secret of process.env.${apiKey.envVar}>`
      : basic ? `basic auth: user name ${user}, password <secret of process.env.${basic.passwordEnvVar}>` : 'any auth type; the API needs none';
    this.result.substitutions[substitution] = `ARN of an EventBridge connection for ${req.urlCode} (${authText})`;
    this.result.httpConnections.push({ substitution, endpoint: req.urlCode, endpointPattern: endpointPattern(url), authorization: apiKey ? 'API_KEY' : basic ? 'BASIC' : 'NONE', ...(apiKey ? { header: apiKey } : {}), ...(basic ? { basic } : {}) });
    const connectionText = apiKey
      ? `: API key auth sending ${apiKey.name}: ${apiKey.prefix}<secret>, whose secret (process.env.${apiKey.envVar} in the code) you fill in the connection; the header is no longer sent by the code`
      : basic
        ? `: basic auth (the connection sends Authorization: Basic base64(user:password)) with user name ${user} and the password (process.env.${basic.passwordEnvVar} in the code) you fill in the connection; the code no longer sends them`
        : '; the API takes no auth, but a connection is mandatory';
    this.assume(line(at), `the HTTP Task needs an EventBridge connection (\${${substitution}})${connectionText}`, rule);
    this.assume(line(at), 'the HTTP Task calls HTTPS endpoints only, times out after 60 seconds, and adds its own headers (user agent, …)', rule);
    this.use(rule);
    return { kind: 'publish', service: 'http', result: this.fresh('http'), params, keepResult: true, line: line(at), rule };
  }

  /** Basic auth the connection takes over: the password must come from the environment (the connection holds it). */
  private basicCredentials(parts: { user: t.Node; password: t.Node; at: t.Node }): NonNullable<HttpConnection['basic']> {
    const rule = 'http-task';
    const u = this.valueOf(parts.user);
    const p = this.valueOf(parts.password);
    if (p.kind !== 'env') throw new LiftFailure(`basic auth password ${this.code(parts.password)} is not an environment variable: the EventBridge connection (BASIC) must hold the secret`, line(parts.at), rule);
    const username = u.kind === 'env' ? { envVar: u.envVar } : isLiteral(u) && typeof u.value === 'string' ? { value: u.value } : undefined;
    if (!username) throw new LiftFailure(`basic auth user name ${this.code(parts.user)} is neither a constant nor an environment variable`, line(parts.at), rule);
    for (const v of [u, p]) if (v.kind === 'env') delete this.result.substitutions[pascal(v.envVar)];
    return { username, passwordEnvVar: p.envVar };
  }

  /** `await res.json()` of a checked fetch result: its ResponseBody (parsed). */
  private httpJsonBody(node: t.Node): ValueExpr | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const call = unwrapTs(n.argument);
    if (call.type !== 'CallExpression' || call.callee.type !== 'MemberExpression' || call.callee.object.type !== 'Identifier' || call.arguments.length) return undefined;
    const res = this.httpResults.get(call.callee.object.name);
    const method = propName(call.callee);
    if (!res || (method !== 'json' && method !== 'text')) return undefined;
    if (!res.checked) throw new LiftFailure(`${call.callee.object.name}.${method}() before checking ${call.callee.object.name}.ok: fetch returns non-2xx answers where the HTTP Task fails (States.Http.StatusCode.<code>)`, line(n), 'http-task');
    if (method === 'json') res.step.jsonBody = true;
    return { kind: 'var', name: res.step.result, path: ['ResponseBody'], type: { kind: 'unknown' } };
  }

  /**
   * `if (!res.ok) { …; return/throw }` right after the fetch: the branch becomes the HTTP Task's catcher of the
   * non-2xx errors (States.Http.StatusCode.<code>).
   */
  private httpNotOk(stmt: t.IfStatement, out: Step[]): Step | undefined {
    const test = unwrapTs(stmt.test);
    if (test.type !== 'UnaryExpression' || test.operator !== '!') return undefined;
    const arg = unwrapTs(test.argument);
    if (arg.type !== 'MemberExpression' || arg.object.type !== 'Identifier' || propName(arg) !== 'ok') return undefined;
    const name = arg.object.name;
    const res = this.httpResults.get(name);
    if (!res) return undefined;
    const last = out[out.length - 1];
    if (last !== res.step || stmt.alternate || !terminates(stmt.consequent)) throw new LiftFailure(`if (!${name}.ok) must directly follow the fetch and return or throw: it becomes the Catch of the HTTP Task`, line(stmt), 'http-task');
    out.pop();
    res.checked = true;
    const body = this.withScope(() => {
      // The failed answer is not stored: reading it in the branch is not converted.
      this.scopes[this.scopes.length - 1]!.set(name, { kind: 'value', value: { kind: 'undefined' } });
      return this.liftBlock(stmt.consequent.type === 'BlockStatement' ? stmt.consequent.body : [stmt.consequent]);
    });
    this.assume(line(stmt), `the !${name}.ok branch catches the registered 4xx/5xx codes (States.Http.StatusCode.400…511); another code fails the execution`, 'http-task');
    return { kind: 'try', body: [res.step], catchers: [{ errors: HTTP_ERROR_STATUSES.map((c) => `StatusCode.${c}`), body }], line: line(stmt) };
  }

  /**
   * `await sleep(ms)` (a helper returning `new Promise((r) => setTimeout(r, ms))`), the inline promise, or
   * `await setTimeout(ms)` from timers/promises → a Wait state.
   */
  private sleepStep(e: t.Node): Step | undefined {
    if (e.type !== 'AwaitExpression') return undefined;
    const n = unwrapTs(e.argument);
    let ms: t.Node | undefined;
    const promiseDelay = (p: t.Node, param?: string): t.Node | undefined => {
      const x = unwrapTs(p);
      if (x.type !== 'NewExpression' || x.callee.type !== 'Identifier' || x.callee.name !== 'Promise' || x.arguments.length !== 1) return undefined;
      const fn = unwrapTs(x.arguments[0]!);
      if ((fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.params[0]?.type !== 'Identifier') return undefined;
      const resolve = fn.params[0].name;
      let body: t.Node = fn.body;
      if (body.type === 'BlockStatement') body = body.body.length === 1 && body.body[0]!.type === 'ExpressionStatement' ? body.body[0].expression : body;
      body = unwrapTs(body);
      if (body.type !== 'CallExpression' || body.callee.type !== 'Identifier' || body.callee.name !== 'setTimeout' || body.arguments.length !== 2) return undefined;
      const cb = unwrapTs(body.arguments[0]!);
      const resolves = (cb.type === 'Identifier' && cb.name === resolve) || ((cb.type === 'ArrowFunctionExpression') && cb.body.type === 'CallExpression' && cb.body.callee.type === 'Identifier' && cb.body.callee.name === resolve);
      if (!resolves) return undefined;
      const delay = body.arguments[1]!;
      return param && delay.type === 'Identifier' && delay.name === param ? ({ type: 'Identifier', name: '__param__' } as t.Identifier) : delay;
    };
    if (n.type === 'NewExpression') ms = promiseDelay(n);
    else if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.arguments.length === 1) {
      const callee = this.lookup(n.callee.name);
      if (callee?.kind === 'package' && /^(node:)?timers\/promises$/.test(callee.source) && callee.path.join('.') === 'setTimeout') ms = n.arguments[0];
      else if (callee?.kind === 'function') {
        const fn = callee.node;
        const param = fn.params[0]?.type === 'Identifier' ? fn.params[0].name : undefined;
        let body: t.Node | undefined = fn.body;
        if (body.type === 'BlockStatement') body = body.body.length === 1 && body.body[0]!.type === 'ReturnStatement' ? body.body[0].argument ?? undefined : undefined;
        const delay = body ? promiseDelay(body, param) : undefined;
        if (delay) ms = delay.type === 'Identifier' && delay.name === '__param__' ? n.arguments[0] : delay;
      }
    }
    if (!ms) return undefined;
    const v = this.valueOf(ms);
    if (!isLiteral(v) || typeof v.value !== 'number' || v.value < 0) throw new LiftFailure(`sleep of ${this.code(ms)} ms, computed at run time: a Wait state takes whole seconds (SecondsPath), and JSONPath cannot divide milliseconds`, line(e), 'sleep-wait');
    const seconds = Math.ceil(v.value / 1000);
    if (seconds * 1000 !== v.value) this.assume(line(e), `the sleep of ${v.value} ms becomes a Wait of ${seconds} s: Wait states count whole seconds`, 'sleep-wait');
    this.use('sleep-wait');
    return { kind: 'wait', seconds, line: line(e) };
  }

  /** `await Promise.all(list.map(async (x) => { … }))`, its result unused: a Map state with unbounded concurrency. */
  private promiseAllMap(e: t.Node): Step | undefined {
    if (e.type !== 'AwaitExpression') return undefined;
    const all = unwrapTs(e.argument);
    if (all.type !== 'CallExpression' || all.callee.type !== 'MemberExpression' || propName(all.callee) !== 'all' || unwrapTs(all.callee.object).type !== 'Identifier' || (unwrapTs(all.callee.object) as t.Identifier).name !== 'Promise' || this.findScope('Promise')) return undefined;
    const mapCall = all.arguments.length === 1 ? unwrapTs(all.arguments[0]!) : undefined;
    if (!mapCall || mapCall.type !== 'CallExpression' || mapCall.callee.type !== 'MemberExpression' || propName(mapCall.callee) !== 'map' || mapCall.arguments.length !== 1) return undefined;
    const fn = unwrapTs(mapCall.arguments[0]!);
    if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') throw new LiftFailure(`Promise.all over ${this.code(mapCall)}: the callback is not an inline function`, line(e), 'map-loop');
    if (fn.params.length !== 1) throw new LiftFailure('Promise.all(list.map(…)) whose callback takes the index or the list too is not converted', line(fn), 'map-loop');
    let body: t.Statement[];
    if (fn.body.type === 'BlockStatement') {
      body = [...fn.body.body];
      // `return client.send(…)` as the last statement: its value is discarded, the call is what matters.
      const last = body[body.length - 1];
      if (last?.type === 'ReturnStatement' && last.argument) body[body.length - 1] = { type: 'ExpressionStatement', expression: last.argument, loc: last.loc, start: last.start, end: last.end } as t.ExpressionStatement;
    } else body = [{ type: 'ExpressionStatement', expression: fn.body, loc: fn.body.loc, start: fn.body.start, end: fn.body.end } as t.ExpressionStatement];
    // Promise.all starts every call at once: unbounded concurrency (MaxConcurrency 0).
    return this.liftLoop(mapCall.callee.object, fn.params[0]!, body, 0, e);
  }

  /**
   * The partial-batch idiom: the loop body is one `try { … } catch (e) { list.push(x) }` where `list` is an empty
   * array declared before the loop. Returns the try block and what the catch pushes.
   */
  private collectedFailures(body: t.Statement[]): { name: string; body: t.Statement[]; pushed: t.Node; errName?: string } | undefined {
    const [stmt] = body;
    if (body.length !== 1 || stmt?.type !== 'TryStatement' || stmt.finalizer || !stmt.handler) return undefined;
    const rest = stmt.handler.body.body.filter((s) => !isConsoleCall(s));
    const push = rest.length === 1 && rest[0]!.type === 'ExpressionStatement' ? unwrapTs(rest[0].expression) : undefined;
    if (!push || push.type !== 'CallExpression' || push.callee.type !== 'MemberExpression' || propName(push.callee) !== 'push' || push.arguments.length !== 1 || push.callee.object.type !== 'Identifier') return undefined;
    const name = push.callee.object.name;
    const current = this.lookup(name);
    const empty = current?.kind === 'value' && ((current.value.kind === 'literal' && Array.isArray(current.value.value) && current.value.value.length === 0) || (current.value.kind === 'array' && current.value.items.length === 0));
    if (!empty) return undefined;
    if (stmt.handler.body.body.length !== rest.length) this.assume(line(stmt.handler), 'console logging is dropped: Step Functions records each state\'s input and output in the execution history (enable logging on the state machine to keep it in CloudWatch)');
    return { name, body: stmt.block.body, pushed: push.arguments[0]!, errName: stmt.handler.param?.type === 'Identifier' ? stmt.handler.param.name : undefined };
  }

  /** One iteration body over the elements of `list`, as a Map state. */
  private liftLoop(list: t.Node, itemPattern: t.Node, body: t.Statement[], maxConcurrency: number, at: t.Node, collect?: { name: string; pushed: t.Node; errName?: string }): Step {
    const what = at.type === 'ForOfStatement' ? 'loop (ForOf)' : 'loop (Promise.all over map)';
    if (itemPattern.type !== 'Identifier' && itemPattern.type !== 'ObjectPattern') throw new LiftFailure(`${what} with a ${this.code(itemPattern)} pattern (entries of a Map, URLSearchParams, …) has no Map state equivalent`, line(at), 'map-loop');
    const items = this.valueOf(list);
    if (items.kind !== 'event' && items.kind !== 'var') throw new LiftFailure(`${what} over ${this.code(list)}: a Map state iterates over a list in the input or a stored value, not a list computed in place`, line(at), 'map-loop');
    const itemsType = typeOfValue(items);
    // A list in the input is JSON; a stored value must be known to be a list (not an iterable object).
    if (itemsType.kind !== 'array' && !(itemsType.kind === 'unknown' && items.kind === 'event')) throw new LiftFailure(`${what} over ${this.code(list)}, which is not known to be a list`, line(at), 'map-loop');
    const escape = loopEscape(body);
    if (escape) throw new LiftFailure(`${escape} inside the loop at line ${line(at)}: a Map iteration cannot leave the loop or the handler early`, line(at), 'map-loop');
    const outer = outerAssignment(body);
    if (outer) throw new LiftFailure(`the loop at line ${line(at)} assigns ${outer}, declared outside it: Map iterations cannot change values outside themselves`, line(at), 'map-loop');
    const item = itemPattern.type === 'Identifier' ? itemPattern.name : this.fresh('item');
    const element: ValueType = itemsType.kind === 'array' && itemsType.element ? itemsType.element : { kind: 'unknown' };
    const steps = this.insideJumpTarget('Map loop', () => this.withScope(() => {
      const scope = this.scopes[this.scopes.length - 1]!;
      this.bindPattern(itemPattern, { kind: 'value', value: { kind: 'var', name: item, path: [], type: element, present: true } }, scope, at);
      if (collect) {
        // try { body } catch { list.push(x) } → each iteration returns [] or [x].
        this.use('try-catch');
        const tried = this.inTryBody(() => this.withScope(() => [...this.liftBlock(body), ...this.flushPending()]));
        const failed = this.withScope(() => {
          if (collect.errName) this.scopes[this.scopes.length - 1]!.set(collect.errName, { kind: 'error-var' });
          const x = this.valueOf(collect.pushed);
          return [...this.flushPending(), { kind: 'return', value: { kind: 'array', items: [x] }, line: line(collect.pushed) } as Step];
        });
        return [{ kind: 'try', body: tried, catchers: [{ errors: ['*'], body: failed }], line: line(at) } as Step, { kind: 'return', value: { kind: 'literal', value: [] }, line: line(at) } as Step];
      }
      const lifted = this.liftBlock(body);
      return [...lifted, ...this.flushPending()];
    }));
    if (items.kind === 'event' && items.path[0] === 'Records') {
      this.result.recordsBatch = true;
      // EventBridge Pipes sends a Step Functions target the batch as one JSON array of records, even for a batch of 1,
      // and honours a returned { batchItemFailures: [{ itemIdentifier }] } (eb-pipes-batching-concurrency.html).
      this.assume(line(at), 'the handler loops over the Records of an SQS or stream trigger: the trigger becomes a pipe of EventBridge Pipes (source → this state machine); a pipe sends the batch as a bare JSON list of records, which the machine reads as $.event.Records (it still takes { Records: [...] } too); a returned batchItemFailures list makes the pipe retry those records, as with Lambda', 'map-loop');
    }
    if (collect) {
      this.use('map-loop');
      // After the loop the list holds what the iterations collected.
      this.findScope(collect.name)!.set(collect.name, { kind: 'value', value: { kind: 'var', name: collect.name, path: [], type: { kind: 'array' } } });
      return { kind: 'map', items, item, body: steps, maxConcurrency, line: line(at), rule: 'map-loop', collect: collect.name };
    }
    if (steps.some(function returns(s: Step): boolean {
      return s.kind === 'return' || (s.kind === 'if' && (s.then.some(returns) || s.else.some(returns))) || (s.kind === 'try' && (s.body.some(returns) || s.catchers.some((c) => c.body.some(returns))));
    })) throw new LiftFailure(`a callback inside the loop at line ${line(at)} answers for the handler: not converted`, line(at), 'map-loop');
    this.use('map-loop');
    return { kind: 'map', items, item, body: steps, maxConcurrency, line: line(at), rule: 'map-loop' };
  }

  /**
   * `while (… && tries < N) { …; tries++ }` (or do…while) → a PollLoop. The max-tries bound must be the loop's own:
   * a counter that starts at a number, is compared with < or <= to a number in the test (joined with &&) and is
   * increased by one as the body's last statement, nowhere else. Variables the body assigns are stored under $.vars
   * before the loop and at the end of each pass, so the test and the code after the loop read the latest values.
   */
  private liftPollLoop(stmt: t.WhileStatement | t.DoWhileStatement, out: Step[]): Step {
    const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [stmt.body];
    const counter = incrementedCounter(body[body.length - 1]);
    return this.liftBoundedPoll({ stmt, test: stmt.test, counter, rest: body.slice(0, -1), form: stmt.type === 'WhileStatement' ? 'while' : 'do-while' }, out);
  }

  /**
   * `for (let i = 0; i < N; i++) { …; await sleep(…) }`: the same bounded loop, the counter declared in the loop head
   * (a scope of its own) and increased by the loop's update; `break` and `continue` are allowed in the body.
   */
  private liftForPollLoop(stmt: t.ForStatement, out: Step[]): Step {
    const fail = (why: string) => pollFailure(stmt, why);
    const decl = stmt.init?.type === 'VariableDeclaration' && stmt.init.declarations.length === 1 ? stmt.init.declarations[0]! : undefined;
    if (!decl || decl.id.type !== 'Identifier' || !stmt.test || !stmt.update) throw fail('no max-tries bound (a counter declared in the loop head, compared with < or <= to a number in the loop test and increased by one by the loop update); an unbounded polling loop is not converted');
    const counter = decl.id.name;
    if (incrementedName(stmt.update) !== counter) throw fail(`the loop update ${this.code(stmt.update)} does not increase the counter ${counter} by one`);
    this.liftDeclarator(decl, out);
    const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [stmt.body];
    return this.liftBoundedPoll({ stmt, test: stmt.test, counter, rest: body, form: 'for' }, out);
  }

  private liftBoundedPoll(loop: { stmt: t.Statement; test: t.Expression; counter: string | undefined; rest: t.Statement[]; form: PollLoop['form'] }, out: Step[]): Step {
    const { stmt, counter, rest } = loop;
    const at = line(stmt);
    const fail = (why: string) => pollFailure(stmt, why);
    const conjuncts: t.Node[] = [];
    const split = (e: t.Node): void => {
      const u = unwrapTs(e);
      if (u.type === 'LogicalExpression' && u.operator === '&&') {
        split(u.left);
        split(u.right);
      } else conjuncts.push(u);
    };
    split(loop.test);
    const bound = conjuncts.find((c): c is t.BinaryExpression => c.type === 'BinaryExpression' && (c.operator === '<' || c.operator === '<=') && c.left.type === 'Identifier' && c.left.name === counter);
    if (!counter || !bound) throw fail('no max-tries bound (a counter compared with < or <= to a number in the loop test and increased by one as the last statement of the loop); an unbounded polling loop is not converted');
    if (outerAssignments(rest).includes(counter)) throw fail(`the counter ${counter} is also changed elsewhere in the loop`);
    if (loop.form !== 'for' && loopJumps(rest).includes('continue')) throw fail('continue in a while loop skips the counter increment at the end of the body, so the bound no longer holds');
    const max = this.valueOf(bound.right);
    const startEntry = this.lookup(counter);
    const start = startEntry?.kind === 'value' && startEntry.value.kind === 'literal' ? startEntry.value.value : undefined;
    if (max.kind !== 'literal' || typeof max.value !== 'number' || typeof start !== 'number' || !Number.isInteger(start)) throw fail(`the bound ${this.code(bound)} does not compare a counter that starts at a known whole number with a known number`);
    const limit = bound.operator === '<' ? max.value : max.value + 1;
    const maxPolls = Math.max(loop.form === 'do-while' ? 1 : 0, Math.ceil(limit - start));
    const counterScope = this.findScope(counter)!;
    const carried = [...new Set(outerAssignments(rest))];
    const storable = (v: ValueExpr): boolean => ['literal', 'undefined', 'event', 'var', 'ddb'].includes(v.kind);
    const initialTypes = new Map<string, ValueType>();
    for (const name of carried) {
      const scope = this.findScope(name);
      const entry = scope?.get(name);
      if (!scope || entry?.kind !== 'value' || !storable(entry.value)) throw fail(`the loop changes ${name}, whose value before the loop is not a plain value`);
      const stored = entry.value.kind === 'var' && entry.value.name === name && entry.value.path.length === 0;
      if (!stored) out.push({ kind: 'let', name, value: entry.value, line: at });
      const type = typeOfValue(entry.value);
      initialTypes.set(name, type);
      scope.set(name, { kind: 'value', value: { kind: 'var', name, path: [], type } });
    }
    counterScope.set(counter, { kind: 'value', value: { kind: 'var', name: counter, path: [], type: { kind: 'number' } } });
    const context: PollContext = { kind: 'poll', form: loop.form, carried, exitTypes: new Map(), fail };
    const steps = this.insideJumpTarget(context, () => this.withScope(() => this.liftBlock(rest)));
    // Store what each pass assigned; a value that reads another variable the loop changes could see it updated.
    const finals = carried.map((name) => ({ name, scope: this.findScope(name)!, entry: this.findScope(name)!.get(name)! }));
    for (const { name, scope, entry } of finals) {
      if (entry.kind !== 'value' || !storable(entry.value)) throw fail(`the loop assigns ${name} a value that is not a plain value`);
      const v = entry.value;
      if (v.kind === 'var' && v.name === name && v.path.length === 0) continue;
      if (v.kind === 'var' && carried.includes(v.name)) throw fail(`${name} is assigned from ${v.name}, which the loop also changes`);
      steps.push({ kind: 'let', name, value: v, line: at });
      const before = initialTypes.get(name)!;
      const kinds = new Set([before.kind, typeOfValue(v).kind, ...(context.exitTypes.get(name) ?? []).map((x) => x.kind)]);
      scope.set(name, { kind: 'value', value: { kind: 'var', name, path: [], type: kinds.size === 1 ? before : { kind: 'unknown' } } });
    }
    for (const [name, types] of context.exitTypes) {
      if (finals.some((f) => f.name === name)) continue;
      const scope = this.findScope(name)!;
      const before = initialTypes.get(name)!;
      if (types.some((x) => x.kind !== before.kind)) scope.set(name, { kind: 'value', value: { kind: 'var', name, path: [], type: { kind: 'unknown' } } });
    }
    const test = this.liftCondition(loop.test);
    this.use('sleep-wait');
    return { kind: 'poll', form: loop.form, counter, start, maxPolls, test, body: steps, checkFirst: loop.form !== 'do-while', line: at, rule: 'sleep-wait' };
  }

  /** Lift `fn` with `target` as what a `break` inside it leaves. */
  private insideJumpTarget<T>(target: PollContext | 'switch' | 'Map loop', fn: () => T): T {
    this.loopStack.push(typeof target === 'string' ? { kind: target } : target);
    try {
      return fn();
    } finally {
      this.loopStack.pop();
    }
  }

  /**
   * `break` / `continue` of the polling loop being lifted: the values the loop carries are stored first (as at the end
   * of a pass), so the test and the code after the loop read what the code would.
   */
  private liftLoopExit(stmt: t.BreakStatement | t.ContinueStatement, out: Step[]): void {
    const word = stmt.type === 'BreakStatement' ? 'break' : 'continue';
    const loop = this.loopStack[this.loopStack.length - 1];
    if (stmt.label) throw new LiftFailure(`${word} ${stmt.label.name} (a labelled jump) is not converted`, line(stmt));
    if (!loop || loop.kind !== 'poll') throw new LiftFailure(`${word} ${loop ? `inside a ${loop.kind}` : 'outside a loop the analyser converts'} is not converted`, line(stmt));
    if (word === 'continue' && loop.form !== 'for') throw loop.fail('continue in a while loop skips the counter increment at the end of the body, so the bound no longer holds');
    out.push(...this.flushPending());
    for (const name of loop.carried) {
      const entry = this.findScope(name)?.get(name);
      if (entry?.kind !== 'value' || !['literal', 'undefined', 'event', 'var', 'ddb'].includes(entry.value.kind)) throw loop.fail(`the loop assigns ${name} a value that is not a plain value before ${word} at line ${line(stmt)}`);
      const v = entry.value;
      if (v.kind === 'var' && v.name === name && v.path.length === 0) continue;
      if (v.kind === 'var' && loop.carried.includes(v.name)) throw loop.fail(`${name} is assigned from ${v.name}, which the loop also changes`);
      out.push({ kind: 'let', name, value: v, line: line(stmt) });
      loop.exitTypes.set(name, [...(loop.exitTypes.get(name) ?? []), typeOfValue(v)]);
    }
    out.push({ kind: word, line: line(stmt) });
  }

  private flushPending(): Step[] {
    return this.pending.splice(0);
  }

  private liftDeclarator(d: t.VariableDeclarator, out: Step[]): void {
    const scope = this.scopes[this.scopes.length - 1]!;
    if (!d.init) {
      for (const b of patternBindings(d.id)) scope.set(b.name, { kind: 'value', value: { kind: 'undefined' } });
      return;
    }
    const init = unwrapTs(d.init);
    // `const res = await fetch(url, { … })` → HTTP Task; `const data = await res.json()` → its ResponseBody.
    const http = this.fetchCall(init);
    if (http && d.id.type === 'Identifier') {
      out.push(...this.flushPending());
      const step = this.httpTask(this.fetchRequest(http, d), d);
      out.push(step);
      this.httpResults.set(d.id.name, { step, checked: false, line: line(d), client: 'fetch' });
      scope.set(d.id.name, { kind: 'value', value: { kind: 'var', name: step.result, path: [], type: { kind: 'object' } } });
      return;
    }
    const ax = this.axiosCall(init);
    if (ax) {
      out.push(...this.flushPending());
      const step = this.axiosStep(ax, d);
      out.push(step);
      this.bindPattern(d.id, { kind: 'value', value: { kind: 'var', name: step.result, path: [], type: { kind: 'object' } } }, scope, d);
      return;
    }
    const gotReq = this.gotCall(init);
    if (gotReq) {
      out.push(...this.flushPending());
      const { step, checkStatus } = this.gotStep(gotReq, d);
      out.push(step);
      // `await got(…).json()` is the parsed body itself.
      if (gotReq.json) {
        this.bindPattern(d.id, { kind: 'value', value: { kind: 'var', name: step.result, path: ['ResponseBody'], type: { kind: 'unknown' } } }, scope, d);
        return;
      }
      if (checkStatus) {
        if (d.id.type !== 'Identifier') throw new LiftFailure('a got result with throwHttpErrors: false is destructured: its ok field must be checked first', line(d), 'http-task');
        this.httpResults.set(d.id.name, { step, checked: false, line: line(d), client: 'got' });
      }
      this.bindPattern(d.id, { kind: 'value', value: { kind: 'var', name: step.result, path: [], type: { kind: 'object' } } }, scope, d);
      return;
    }
    const body = this.httpJsonBody(init);
    if (body) {
      this.bindPattern(d.id, { kind: 'value', value: body }, scope, d);
      return;
    }
    // `const r = await ddb…` / `const { Item } = await ddb…`
    const call = this.sdkCall(init);
    if (call) {
      const entry = this.liftSdkCall(call, out, d);
      this.bindPattern(d.id, entry, scope, d);
      return;
    }
    const typeHint = d.id.type === 'Identifier' && d.id.typeAnnotation?.type === 'TSTypeAnnotation' ? d.id.typeAnnotation.typeAnnotation : d.init.type === 'TSAsExpression' ? d.init.typeAnnotation : undefined;
    let entry = this.evalExprOrResidual(d.init);
    if (entry.kind === 'value' && typeHint) entry = { kind: 'value', value: this.withType(entry.value, typeFromTsType(typeHint, this.module)) };
    if (entry.kind === 'value' && needsStore(entry.value)) {
      const name = d.id.type === 'Identifier' ? d.id.name : this.fresh('value');
      out.push(...this.flushPending());
      out.push({ kind: 'let', name, value: entry.value, line: line(d) });
      entry = { kind: 'value', value: { kind: 'var', name, path: [], type: typeOfValue(entry.value) } };
    }
    this.bindPattern(d.id, entry, scope, d);
  }

  private withType(v: ValueExpr, type: ValueType): ValueExpr {
    if (type.kind === 'unknown') return v;
    if (v.kind === 'json-parse' || v.kind === 'event' || v.kind === 'var') return { ...v, type };
    return v;
  }

  private bindPattern(id: t.Node, entry: Entry, scope: Map<string, Entry>, at: t.Node): void {
    if (id.type === 'Identifier') {
      scope.set(id.name, entry);
      return;
    }
    for (const b of patternBindings(id)) {
      let e = this.memberEntry(entry, b.path, at);
      if (b.defaultValue) {
        if (e.kind !== 'value') throw new LiftFailure(`default value in destructuring of ${this.code(at)}`, line(at));
        const fallback = this.valueOf(b.defaultValue);
        e = { kind: 'value', value: { kind: 'coalesce', op: '??', value: e.value, fallback } };
      }
      scope.set(b.name, e);
    }
  }

  private liftExpressionStatement(expr: t.Expression, out: Step[]): void {
    const e = unwrapTs(expr);
    // `await axios.post(…)` / `await got.post(…)` whose answer is not read: the HTTP Task's result is dropped.
    const ax = this.axiosCall(e);
    if (ax) {
      out.push(...this.flushPending());
      const step = this.axiosStep(ax, e);
      out.push({ ...step, keepResult: false, jsonBody: false });
      return;
    }
    const gotReq = this.gotCall(e);
    if (gotReq) {
      out.push(...this.flushPending());
      const { step, checkStatus } = this.gotStep(gotReq, e);
      if (checkStatus) throw new LiftFailure('a got call with throwHttpErrors: false whose answer is not checked: non-2xx answers pass in the code where the HTTP Task fails (States.Http.StatusCode.<code>)', line(e), 'http-task');
      out.push({ ...step, keepResult: false, jsonBody: false });
      return;
    }
    const call = this.sdkCall(e);
    if (call) {
      this.liftSdkCall(call, out, e);
      return;
    }
    if (e.type === 'CallExpression') {
      const chain = this.liftThenChain(e);
      if (chain) {
        out.push(...this.flushPending(), chain);
        return;
      }
      const callee = e.callee;
      // console.* logging: Step Functions keeps the execution history instead.
      if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'console' && !this.lookup('console')) {
        this.assume(line(e), 'console logging is dropped: Step Functions records each state\'s input and output in the execution history (enable logging on the state machine to keep it in CloudWatch)');
        return;
      }
      if (callee.type === 'Identifier') {
        const target = this.lookup(callee.name);
        if (target?.kind === 'callback') {
          out.push(...this.flushPending());
          out.push(this.callbackStep(e));
          return;
        }
      }
    }
    if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier') {
      const target = this.findScope(e.left.name);
      if (!target) throw new LiftFailure(`assignment to ${e.left.name}, which is not a local variable`, line(e));
      const rhs = unwrapTs(e.right);
      const call2 = this.sdkCall(rhs);
      const entry = call2 ? this.liftSdkCall(call2, out, e) : this.evalExpr(e.right);
      if (entry.kind === 'value' && needsStore(entry.value)) {
        out.push({ kind: 'let', name: e.left.name, value: entry.value, line: line(e) });
        target.set(e.left.name, { kind: 'value', value: { kind: 'var', name: e.left.name, path: [], type: typeOfValue(entry.value) } });
      } else target.set(e.left.name, entry);
      return;
    }
    const wait = this.sleepStep(e);
    if (wait) {
      out.push(...this.flushPending(), wait);
      return;
    }
    const parallel = this.promiseAllMap(e);
    if (parallel) {
      out.push(...this.flushPending());
      out.push(parallel);
      return;
    }
    if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && propName(e.callee) === 'forEach') {
      throw new LiftFailure(`${this.code(e.callee)}(…) does not wait for what its callback starts (an async callback's calls may still run when the handler returns); write for…of (sequential) or await Promise.all(list.map(…)) (parallel)`, line(e), 'map-loop');
    }
    if (e.type === 'AwaitExpression') throw new LiftFailure(`awaited call ${this.code(e.argument)} is not a recognised service call`, line(e));
    throw new LiftFailure(`expression statement ${this.code(e)} has effects the analyser does not model`, line(e));
  }

  /**
   * The pagination idiom (issue 8) as one `paginate` step:
   *   const items = []; let lastKey;
   *   do { const page = await <query or scan with ExclusiveStartKey: lastKey>; items.push(...page.Items); lastKey = page.LastEvaluatedKey; } while (lastKey);
   * (`...(page.Items ?? [])` too). Anything else stays a blocker.
   */
  private liftPagination(stmt: t.DoWhileStatement, out: Step[]): boolean {
    const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [];
    const test = unwrapTs(stmt.test);
    if (body.length !== 3 || test.type !== 'Identifier') return false;
    const [decl, push, assign] = body as [t.Statement, t.Statement, t.Statement];
    const keyName = test.name;
    if (decl.type !== 'VariableDeclaration' || decl.declarations.length !== 1) return false;
    const d = decl.declarations[0]!;
    if (d.id.type !== 'Identifier' || !d.init) return false;
    const pageName = d.id.name;
    const isPageField = (n: t.Node | undefined, field: string) => {
      const m = n && unwrapTs(n);
      return !!m && m.type === 'MemberExpression' && unwrapTs(m.object).type === 'Identifier' && (unwrapTs(m.object) as t.Identifier).name === pageName && propName(m) === field;
    };
    if (assign.type !== 'ExpressionStatement' || assign.expression.type !== 'AssignmentExpression' || assign.expression.operator !== '=' || assign.expression.left.type !== 'Identifier' || assign.expression.left.name !== keyName || !isPageField(assign.expression.right, 'LastEvaluatedKey')) return false;
    if (push.type !== 'ExpressionStatement' || push.expression.type !== 'CallExpression') return false;
    const pc = push.expression;
    const pushee = unwrapTs(pc.callee);
    if (pushee.type !== 'MemberExpression' || propName(pushee) !== 'push' || unwrapTs(pushee.object).type !== 'Identifier' || pc.arguments.length !== 1 || pc.arguments[0]!.type !== 'SpreadElement') return false;
    const accName = (unwrapTs(pushee.object) as t.Identifier).name;
    const spread = unwrapTs(pc.arguments[0].argument);
    const itemsRead = spread.type === 'LogicalExpression' && spread.operator === '??' && unwrapTs(spread.right).type === 'ArrayExpression' && (unwrapTs(spread.right) as t.ArrayExpression).elements.length === 0 ? spread.left : spread;
    if (!isPageField(itemsRead, 'Items')) return false;
    const acc = this.lookup(accName);
    const key = this.lookup(keyName);
    if (acc?.kind !== 'value' || !isLiteral(acc.value) || !Array.isArray(acc.value.value) || acc.value.value.length || key?.kind !== 'value' || key.value.kind !== 'undefined') return false;
    const steps: Step[] = [];
    let raw = false;
    this.withScope(() => {
      this.liftDeclarator(d, steps);
      const page = this.lookup(pageName);
      raw = page?.kind === 'ddb-result' && page.raw;
    });
    const call = steps[steps.length - 1];
    if (!call || call.kind !== 'dynamo' || (call.op !== 'query' && call.op !== 'scan') || call.params['ExclusiveStartKey']?.value.kind !== 'undefined') return false;
    out.push(...steps.slice(0, -1), { kind: 'paginate', call, into: accName, raw, line: line(stmt) });
    this.findScope(accName)!.set(accName, { kind: 'value', value: { kind: 'var', name: accName, path: [], type: { kind: 'array' } } });
    return true;
  }

  private findScope(name: string): Map<string, Entry> | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]!.has(name)) return this.scopes[i];
    return undefined;
  }

  private returnStep(arg: t.Node): Step {
    const a = unwrapTs(arg);
    const chain = a.type === 'CallExpression' || a.type === 'AwaitExpression' ? this.liftThenChain(a.type === 'AwaitExpression' ? unwrapTs(a.argument) : a) : undefined;
    if (chain) return chain;
    // `(…) => callback(null, response)` inside promise chains.
    if (a.type === 'CallExpression' && a.callee.type === 'Identifier' && this.lookup(a.callee.name)?.kind === 'callback') return this.callbackStep(a);
    // `return cond ? a : b` → a Choice with two returns.
    if (a.type === 'ConditionalExpression') {
      const test = this.liftCondition(a.test);
      const folded = foldCondition(test);
      if (folded !== undefined) return this.returnStep(folded ? a.consequent : a.alternate);
      const thenStep = this.assuming(test, true, () => this.returnStep(a.consequent));
      const elseStep = this.assuming(test, false, () => this.returnStep(a.alternate));
      return { kind: 'if', test, then: [thenStep], else: [elseStep], line: line(a) };
    }
    const call = this.sdkCall(a);
    if (call) {
      const out: Step[] = [];
      const entry = this.liftSdkCall(call, out, a);
      if (entry.kind !== 'value' && entry.kind !== 'ddb-result') throw new LiftFailure('returned service call result', line(a));
      throw new LiftFailure(`returning the raw result of ${this.code(a)} leaks SDK metadata; not converted`, line(a));
    }
    const value = this.valueOf(arg);
    if (value.kind === 'object' && value.entries.some(([k]) => k === 'statusCode')) this.use('proxy-response');
    return { kind: 'return', value, line: line(arg) };
  }

  /** `db.get(p).promise().then((data) => …).catch((err) => …)` → the call, the then-bodies, a catcher. */
  private liftThenChain(node: t.Node): Step | undefined {
    const links: Array<{ kind: 'then' | 'catch'; fn: t.Node; at: t.Node }> = [];
    let n: t.Node = node;
    while (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && ['then', 'catch'].includes(propName(n.callee) ?? '') && n.arguments.length >= 1) {
      links.unshift({ kind: propName(n.callee) as 'then' | 'catch', fn: n.arguments[0]!, at: n });
      if (n.arguments.length > 1) throw new LiftFailure('.then(onFulfilled, onRejected) with two callbacks is not converted', line(n), 'callback-handler');
      n = unwrapTs(n.callee.object);
    }
    if (links.length === 0) return undefined;
    const call = this.sdkCall(n);
    if (!call) return undefined;
    this.use('callback-handler');
    const body: Step[] = [];
    let current: Entry = this.liftSdkCall(call, body, n);
    let returned = false;
    let catcherBody: Step[] | undefined;
    links.forEach((link, i) => {
      const fn = unwrapTs(link.fn);
      if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') throw new LiftFailure(`.${link.kind}() callback is not an inline function`, line(link.at), 'callback-handler');
      if (link.kind === 'catch') {
        if (i !== links.length - 1) throw new LiftFailure('.catch() before another .then() is not converted', line(link.at), 'callback-handler');
        catcherBody = this.withScope(() => {
          const p = fn.params[0];
          if (p?.type === 'Identifier') this.scopes[this.scopes.length - 1]!.set(p.name, { kind: 'error-var' });
          return fn.body.type === 'BlockStatement' ? this.liftBlock(fn.body.body.filter((x) => !isConsoleCall(x))) : [this.returnStep(fn.body)];
        });
        return;
      }
      if (returned) throw new LiftFailure('.then() after a callback that returned a response', line(link.at), 'callback-handler');
      this.withScope(() => {
        const scope = this.scopes[this.scopes.length - 1]!;
        if (fn.params[0]) this.bindPattern(fn.params[0], current, scope, fn);
        if (fn.body.type === 'BlockStatement') {
          body.push(...this.liftBlock(fn.body.body));
          returned = true;
          return;
        }
        const next = unwrapTs(fn.body);
        const nextCall = this.sdkCall(next);
        if (nextCall) current = this.liftSdkCall(nextCall, body, next);
        else if (i === links.length - 1 || links[i + 1]?.kind === 'catch') {
          body.push(...this.flushPending(), this.returnStep(next));
          returned = true;
        } else current = this.evalExprOrResidual(next);
      });
    });
    if (!returned) throw new LiftFailure('the promise chain resolves to an SDK result, which carries SDK metadata; not converted', line(node), 'callback-handler');
    return { kind: 'try', body, catchers: catcherBody ? [{ errors: ['*'], body: catcherBody }] : [], line: line(node) };
  }

  private throwStep(arg: t.Node, lineNo: number): Step {
    const a = unwrapTs(arg);
    if (a.type === 'NewExpression' && a.callee.type === 'Identifier' && /Error$/.test(a.callee.name)) {
      const msg = a.arguments[0] ? this.valueOf(a.arguments[0]) : { kind: 'literal' as const, value: '' };
      if (!isLiteral(msg) || typeof msg.value !== 'string') throw new LiftFailure(`throw with a computed message (${this.code(a)}) is not converted: a Fail state's Cause must be static in JSONPath`, lineNo);
      return { kind: 'throw', error: a.callee.name, cause: msg.value, line: lineNo };
    }
    throw new LiftFailure(`throw ${this.code(a)} is not converted`, lineNo);
  }

  /** callback(null, response) → return; callback(err) → throw. */
  private callbackStep(call: t.CallExpression): Step {
    this.use('callback-handler');
    const [errArg, resArg] = call.arguments;
    const errIsNull = !errArg || (errArg.type === 'NullLiteral') || (errArg.type === 'Identifier' && errArg.name === 'undefined');
    if (errIsNull) return resArg ? this.returnStep(resArg) : { kind: 'return', value: { kind: 'undefined' }, line: line(call) };
    return this.throwStep(errArg!, line(call));
  }

  private liftIf(stmt: t.IfStatement): Step {
    const test = this.liftCondition(stmt.test);
    this.use(routesOn(test) ? 'route-switch' : 'guard-choice');
    const folded = foldCondition(test);
    const thenStmts = stmt.consequent.type === 'BlockStatement' ? stmt.consequent.body : [stmt.consequent];
    const elseStmts = !stmt.alternate ? [] : stmt.alternate.type === 'BlockStatement' ? stmt.alternate.body : [stmt.alternate];
    if (folded !== undefined) {
      return { kind: 'if', test: { kind: 'and', items: [] }, then: this.withScope(() => this.liftBlock(folded ? thenStmts : elseStmts)), else: [], line: line(stmt) };
    }
    const routing = routesOn(test);
    const fallbackAllowed = routing && this.result.dynamoCalls === 0 && this.opts.ruleEnabled('residual-lambda');
    // An if-chain on the method/resource is a route switch: same per-route verdicts and fallback as `switch`.
    const thenEnds = thenStmts.some(leavesBlock);
    // Each branch starts from the values before the if; the code after it sees those of the branch that gets there.
    const before = this.scopeState();
    const thenSteps = this.liftRoute(routing ? routeLabel(test) : undefined, { ends: thenEnds, fallbackAllowed, line: line(stmt), endLine: stmt.consequent.loc?.end.line ?? line(stmt) }, () => this.assuming(test, true, () => this.withScope(() => this.liftBlock(thenStmts))));
    const afterThen = this.scopeState();
    const thenChanged = this.changedSince(before);
    this.restoreScopeState(before);
    const elseSteps = this.assuming(test, false, () => this.withScope(() => this.liftBlock(elseStmts)));
    const elseEnds = elseStmts.some(leavesBlock);
    const elseChanged = this.changedSince(before);
    if (elseEnds && !thenEnds) this.restoreScopeState(afterThen);
    // After `if (!x) return …`, x is known to be present on the way on.
    if (thenEnds && !elseEnds) this.learnPresent(test, true);
    if (elseEnds && !thenEnds) this.learnPresent(test, false);
    const merged = [...new Set([...(thenEnds ? [] : thenChanged), ...(elseEnds ? [] : elseChanged)])];
    if (!thenEnds && !elseEnds && merged.length) throw new LiftFailure(`${merged.join(', ')} ${merged.length > 1 ? 'are' : 'is'} assigned inside an if-branch that does not return; the analyser does not merge values across branches`, line(stmt));
    return { kind: 'if', test, then: thenSteps, else: elseSteps, line: line(stmt) };
  }

  /** Run `fn` knowing that `test` evaluated to `truth` (values it checks are then present). */
  private assuming<T>(test: Condition, truth: boolean, fn: () => T): T {
    const before = new Set(this.knownPresent);
    const beforeTypes = new Map(this.knownTypes);
    this.learnPresent(test, !truth);
    try {
      return fn();
    } finally {
      this.knownPresent.clear();
      before.forEach((k) => this.knownPresent.add(k));
      this.knownTypes.clear();
      beforeTypes.forEach((v, k) => this.knownTypes.set(k, v));
    }
  }

  private learnPresent(test: Condition, whenTrueExits: boolean): void {
    // whenTrueExits: the continuation runs only when `test` is false.
    const mark = (c: Condition, negated: boolean) => {
      if ((c.kind === 'truthy' || c.kind === 'present') && (c.negate ? !negated : negated)) {
        const k = valueKey(c.value);
        if (k) this.knownPresent.add(k);
      }
      if (c.kind === 'typeof' && (c.negate ? !negated : negated) && c.type !== 'object') {
        const k = valueKey(c.value);
        if (k) {
          this.knownPresent.add(k);
          this.knownTypes.set(k, { kind: c.type });
        }
      }
      if (c.kind === 'compare' && c.op === '==' && negated) {
        const k = valueKey(c.left);
        const rt = typeof c.right;
        if (k && (rt === 'string' || rt === 'number' || rt === 'boolean')) {
          this.knownPresent.add(k);
          this.knownTypes.set(k, { kind: rt as 'string' });
        }
      }
      // `LIST.includes(x)` holds: x equals one of the constants, so it is present and has their type.
      if (c.kind === 'or' && negated && c.items.length > 0 && c.items.every((i) => i.kind === 'compare' && i.op === '==' && valueKey(i.left) === valueKey((c.items[0] as { left: ValueExpr }).left) && typeof i.right === typeof (c.items[0] as { right: Json }).right)) {
        c.items.forEach((i) => mark(i, true));
      }
      if (c.kind === 'or' && !negated) c.items.forEach((i) => mark(i, negated));
      if (c.kind === 'and' && negated) c.items.forEach((i) => mark(i, negated));
      if (c.kind === 'not') mark(c.item, !negated);
    };
    // Continuation sees test === !whenTrueExits.
    mark(test, !whenTrueExits);
  }

  isKnownPresent(v: ValueExpr): boolean {
    const k = valueKey(v);
    return k !== undefined && this.knownPresent.has(k);
  }

  /** The value with what guards proved about it: presence and type. */
  private refine(v: ValueExpr): ValueExpr {
    const k = valueKey(v);
    if (!k) return v;
    let out = v;
    if (this.knownPresent.has(k) && 'path' in out && (out.kind === 'event' || out.kind === 'var' || out.kind === 'ddb') && !out.present) out = { ...out, present: true };
    const known = this.knownTypes.get(k);
    if (known && (out.kind === 'event' || out.kind === 'var') && out.type.kind === 'unknown') out = { ...out, type: known };
    return out;
  }

  /** Routes nest (a method switch inside a resource switch): inner routes are named after the outer one. */
  private readonly routeStack: string[] = [];

  private routeName(label: string): string {
    return [...this.routeStack, label].join(' ');
  }

  private withRoute<T>(route: string | undefined, fn: () => T): T {
    if (route === undefined) return fn();
    this.routeStack.push(route);
    try {
      return fn();
    } finally {
      this.routeStack.pop();
    }
  }

  /**
   * Lift one route's body. When it has blockers and nothing with effects ran before the routing, the original
   * handler answers the route instead (lambda:invoke), and what was kept in a small Lambda for it is not needed.
   */
  private liftRoute(label: string | undefined, opts: { ends: boolean; fallbackAllowed: boolean; line: number; endLine: number }, lift: () => Step[]): Step[] {
    if (label === undefined) return lift();
    const blockersBefore = this.result.blockers.length;
    const residualsBefore = this.result.residualBlockers.length;
    const routesBefore = this.result.routes.length;
    const route = this.routeName(label);
    let steps = this.withRoute(label, lift);
    const routeBlockers = this.result.blockers.splice(blockersBefore);
    if (routeBlockers.length && opts.fallbackAllowed && opts.ends) {
      this.result.residualBlockers.splice(residualsBefore);
      for (const b of routeBlockers) this.result.residualBlockers.push({ ...b, rule: 'route-switch', message: `route ${route}: ${b.message}; this route stays in the original handler (lambda:invoke)` });
      steps = [{ kind: 'invoke-handler', line: opts.line }];
      this.use('residual-lambda');
    } else this.result.blockers.push(...routeBlockers);
    this.recordRoute(route, steps, routesBefore, opts.line, opts.endLine);
    return steps;
  }

  /** Only leaf routes are listed; a route left whole to the original handler replaces its inner routes. */
  private recordRoute(route: string, steps: Step[], routesBefore: number, at: number, endLine: number): void {
    const stays = steps.some((x) => x.kind === 'invoke-handler');
    if (stays) this.result.routes.splice(routesBefore);
    else if (this.result.routes.length > routesBefore) return;
    this.result.routes.push({ route, convertible: stays ? 'none' : 'full', line: at, endLine });
  }

  private liftSwitch(stmt: t.SwitchStatement): Step {
    const on = this.valueOf(stmt.discriminant);
    const routing = on.kind === 'event' && ROUTE_FIELDS.has(on.path.join('.'));
    // A route the analyser cannot convert can still be answered by the original handler (lambda:invoke), as long as
    // nothing with effects ran before the switch (the handler would run it again).
    const fallbackAllowed = routing && this.result.dynamoCalls === 0 && this.opts.ruleEnabled('residual-lambda');
    const cases: Array<{ values: string[]; body: Step[] }> = [];
    let defaultBody: Step[] = [];
    let pendingValues: string[] = [];
    // Every case starts from the values before the switch; a case that goes on after it may not change them.
    const before = this.scopeState();
    for (const c of stmt.cases) {
      this.restoreScopeState(before);
      const body = c.consequent.filter((s) => s.type !== 'BreakStatement');
      const breaks = c.consequent.some((s) => s.type === 'BreakStatement');
      if (c.test) {
        const v = this.valueOf(c.test);
        if (!isLiteral(v) || typeof v.value !== 'string') throw new LiftFailure(`case ${this.code(c.test)} is not a string constant`, line(c));
        pendingValues.push(v.value);
      }
      if (body.length === 0 && !breaks && c.test) continue; // fall-through grouping: `case 'A': case 'B':`
      const ends = c.consequent.some(terminates);
      if (!ends && !breaks && c !== stmt.cases[stmt.cases.length - 1]) throw new LiftFailure('switch case falls through into the next case', line(c));
      const label = c.test ? pendingValues.join(' | ') : 'default';
      const steps = this.liftRoute(routing ? label : undefined, { ends, fallbackAllowed, line: line(c), endLine: c.loc?.end.line ?? line(c) }, () => this.withScope(() => this.liftBlock(body)));
      const changed = this.changedSince(before);
      if (!ends && changed.length) throw new LiftFailure(`${changed.join(', ')} ${changed.length > 1 ? 'are' : 'is'} assigned inside a switch case that does not return; the analyser does not merge values across cases`, line(c));
      if (!c.test) defaultBody = steps;
      else cases.push({ values: pendingValues, body: steps });
      pendingValues = [];
    }
    this.restoreScopeState(before);
    if (routing) this.use('route-switch');
    return { kind: 'switch', on, cases, default: defaultBody, line: line(stmt) };
  }

  private liftTry(stmt: t.TryStatement): Step {
    if (stmt.finalizer) throw new LiftFailure('try/finally has no Step Functions equivalent', line(stmt.finalizer), 'try-catch');
    this.use('try-catch');
    const before = this.scopeState();
    const body = this.inTryBody(() => this.withScope(() => this.liftBlock(stmt.block.body)));
    const afterBody = this.scopeState();
    const bodyChanged = this.changedSince(before);
    const catchers: Catcher[] = [];
    // A catch that goes on after the try: the code after it runs after the body or the catch, with other values
    // (the catch may start anywhere in the body) unless neither assigns any.
    const liftCatcher = (stmts: t.Statement[]): Step[] => {
      this.restoreScopeState(before);
      const steps = this.withScope(() => this.liftBlock(stmts));
      const changed = [...new Set([...bodyChanged, ...this.changedSince(before)])];
      if (!stmts.some(leavesBlock) && changed.length) throw new LiftFailure(`${changed.join(', ')} ${changed.length > 1 ? 'are' : 'is'} assigned in a try/catch whose catch goes on after it; the analyser does not merge the values of the try and the catch`, line(stmt.handler ?? stmt), 'try-catch');
      return steps;
    };
    if (stmt.handler) {
      const param = stmt.handler.param;
      const errName = param?.type === 'Identifier' ? param.name : undefined;
      this.withScope(() => {
        if (errName) this.scopes[this.scopes.length - 1]!.set(errName, { kind: 'error-var' });
        const stmts = stmt.handler!.body.body.filter((s) => !isConsoleCall(s));
        if (stmts.length !== stmt.handler!.body.body.length) this.assume(line(stmt.handler), 'console logging is dropped: Step Functions records each state\'s input and output in the execution history (enable logging on the state machine to keep it in CloudWatch)');
        let i = 0;
        // Leading `if (err.name === 'X') return …` checks become specific catchers.
        for (; i < stmts.length; i++) {
          const s = stmts[i]!;
          if (s.type !== 'IfStatement' || !errName) break;
          const names = errorNameTest(s.test, errName);
          if (!names || s.alternate) break;
          const cons = s.consequent.type === 'BlockStatement' ? s.consequent.body : [s.consequent];
          catchers.push({ errors: names, body: liftCatcher(cons) });
        }
        const rest = stmts.slice(i);
        const rethrows = rest.length === 1 && rest[0]!.type === 'ThrowStatement' && rest[0].argument.type === 'Identifier' && rest[0].argument.name === errName;
        if (!rethrows && rest.length > 0) {
          if (rest.some((s) => this.module.text.slice(s.start ?? 0, s.end ?? 0).match(new RegExp(`\\b${errName}\\.message\\b`)))) {
            throw new LiftFailure(`the catch branch returns ${errName}.message; Step Functions passes a different Cause text, so the response would differ`, line(stmt.handler), 'try-catch');
          }
          catchers.push({ errors: ['*'], body: liftCatcher(rest) });
        } else if (rest.length === 0 && catchers.length === 0) {
          // catch {} swallows the error: continue after the try.
          catchers.push({ errors: ['*'], body: liftCatcher([]) });
        }
      });
    }
    this.restoreScopeState(afterBody);
    return { kind: 'try', body, catchers, line: line(stmt) };
  }

  // ---------------------------------------------------------------- SDK calls

  /** Recognise a (possibly awaited) SDK call expression; returns its normalised shape. */
  private sdkCall(node: t.Node): SdkCallShape | undefined {
    let n = unwrapTs(node);
    if (n.type === 'AwaitExpression') n = unwrapTs(n.argument);
    let promise = false;
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propName(n.callee) === 'promise' && n.arguments.length === 0) {
      promise = true;
      n = unwrapTs(n.callee.object);
    }
    if (n.type !== 'CallExpression' || (n.callee.type !== 'MemberExpression' && n.callee.type !== 'OptionalMemberExpression')) return undefined;
    const method = propName(n.callee);
    if (!method) return undefined;
    let clientEntry: Entry;
    try {
      clientEntry = this.evalExpr(n.callee.object);
    } catch {
      return undefined;
    }
    if (clientEntry.kind !== 'client') return undefined;
    const shape: SdkCallShape = { client: clientEntry.client, method, args: n.arguments, promise };
    if (method === 'send') {
      const arg = n.arguments[0] ? unwrapTs(n.arguments[0]) : undefined;
      if (arg?.type === 'NewExpression' && arg.callee.type === 'Identifier') {
        const imp = this.resolveImport(arg.callee.name);
        if (imp) shape.command = { name: imp.path.join('.'), source: imp.source, args: arg.arguments };
      } else if (arg?.type === 'Identifier') {
        // const cmd = new GetCommand(params); client.send(cmd)
        const b = this.localInit(arg.name);
        if (b && b.type === 'NewExpression' && b.callee.type === 'Identifier') {
          const imp = this.resolveImport(b.callee.name);
          if (imp) shape.command = { name: imp.path.join('.'), source: imp.source, args: b.arguments };
        }
      }
    }
    return shape;
  }

  private localInit(name: string): t.Node | undefined {
    const b = this.module.bindings.get(name);
    return b?.init && b.path.length === 0 ? unwrapTs(b.init) : undefined;
  }

  private resolveImport(name: string): { source: string; path: string[] } | undefined {
    const e = this.lookup(name);
    return e?.kind === 'package' ? { source: e.source, path: e.path } : undefined;
  }

  private liftSdkCall(call: SdkCallShape, out: Step[], at: t.Node): Entry {
    if (isDynamoClient(call.client)) {
      for (const rule of DYNAMO_CALL_RULES) {
        const m = rule.recognise(call);
        if (!m) continue;
        if (!this.opts.ruleEnabled(rule.meta.id)) throw new LiftFailure(`${rule.meta.title} (rule ${rule.meta.id}) is disabled in the configuration`, line(at), rule.meta.id);
        if (call.client.startsWith('v2') && !call.promise && !m.callback) throw new LiftFailure(`DynamoDB ${call.method}() is neither awaited with .promise() nor given a callback`, line(at), rule.meta.id);
        this.use(rule.meta.id);
        const step = this.dynamoStep(m.op, m.params, m.values, rule.meta.id, at);
        out.push(...this.flushPending());
        out.push(step);
        this.result.dynamoCalls += 1;
        const entry: Entry = { kind: 'ddb-result', step: step.result, table: step.table, op: m.op, schema: withKeyAttributes(this.schemaFor(step.table), step), raw: m.values === 'typed' };
        if (m.callback) {
          this.liftNodeCallback(m.callback, entry, out, at);
          return { kind: 'value', value: { kind: 'undefined' } };
        }
        return entry;
      }
      throw new LiftFailure(`DynamoDB call ${call.method}${call.command ? `(new ${call.command.name})` : ''} is not a supported operation`, line(at));
    }
    const service = recogniseServiceCall(call);
    if (service) return this.liftServiceCall(service, out, at);
    const named = call.command ? `${call.command.name} (${CLIENT_TITLES[call.client] ?? call.client})` : `${CLIENT_TITLES[call.client] ?? call.client} ${call.method}`;
    if (call.client === 'v3-bedrock-runtime') {
      const why: Record<string, string> = {
        InvokeModelWithResponseStreamCommand: 'the answer arrives as an event stream, which no Task returns (bedrock:invokeModel answers the whole body at once)',
        ConverseCommand: 'Step Functions has no optimized Converse integration (only InvokeModel and CreateModelCustomizationJob), and the AWS SDK integration is not known to cover Bedrock Runtime',
        ConverseStreamCommand: 'a streamed answer, and no Step Functions integration for Converse',
      };
      throw new LiftFailure(`${named} is not converted: ${why[call.command?.name ?? ''] ?? 'no known-safe mapping (only InvokeModelCommand becomes bedrock:invokeModel)'}`, line(at), 'bedrock-invoke-model');
    }
    if (SDK_INTEGRATION_CLIENTS.has(call.client)) throw new LiftFailure(`${named} is not converted: no known-safe mapping to an AWS SDK integration (rule aws-sdk-integration lists the commands it maps)`, line(at), 'aws-sdk-integration');
    throw new LiftFailure(`${call.client} call ${call.method}${call.command ? `(new ${call.command.name})` : ''} is not converted yet`, line(at));
  }

  /** SNS publish, EventBridge putEvents, SQS sendMessage, Lambda invoke → a `publish` step (optimized integration). */
  private liftServiceCall(m: ServiceCallMatch, out: Step[], at: t.Node): Entry {
    this.result.serviceCalls += 1;
    if (!this.opts.ruleEnabled(m.rule)) throw new LiftFailure(`${m.title} (rule ${m.rule}) is disabled in the configuration`, line(at), m.rule);
    if (m.unawaitedV2) throw new LiftFailure(`${m.title} call is neither awaited with .promise() nor given a callback`, line(at), m.rule);
    const params = this.objectParams(m.params as t.Node | undefined, at);
    if (m.service === 'bedrock' || m.service === 'aws-sdk') return this.liftSdkIntegration(m, params, out, at);
    const lifted: Record<string, ValueExpr> = {};
    for (const [k, node] of params) lifted[k] = m.service === 'lambda' && k === 'Payload' ? this.lambdaPayload(node) : this.valueOf(node);
    if (m.service === 'lambda') {
      const type = lifted['InvocationType'];
      if (type && !(isLiteral(type) && (type.value === 'Event' || type.value === 'RequestResponse'))) throw new LiftFailure(`InvocationType ${this.code(params.find(([k]) => k === 'InvocationType')![1])} is not RequestResponse or Event`, line(at), m.rule);
      this.assume(line(at), 'lambda:invoke fails the Task when the invoked function throws (error name = its errorType, or Lambda.Unknown), where the SDK call returns normally with FunctionError set', m.rule);
    }
    if (m.service === 'eventbridge') this.assume(line(at), 'events:putEvents fails the Task (EventBridge.FailedEntry) when an entry is rejected, where the SDK call returns normally with FailedEntryCount > 0', m.rule);
    this.use(m.rule);
    out.push(...this.flushPending());
    const name = this.fresh(m.service === 'lambda' ? 'invoke' : m.service === 'sns' ? 'publish' : m.service === 'sqs' ? 'sent' : 'put');
    // SNS keeps its historical shape (result dropped); the others store the result in case the code reads it.
    const asyncInvoke = m.service === 'lambda' && isLiteral(lifted['InvocationType'] ?? { kind: 'undefined' }) && (lifted['InvocationType'] as { value: Json }).value === 'Event';
    const keepResult = m.service !== 'sns' && !asyncInvoke;
    out.push({ kind: 'publish', service: m.service, result: name, params: lifted, ...(keepResult ? { keepResult } : {}), line: line(at), rule: m.rule });
    if (m.service === 'lambda' && keepResult) this.lambdaResults.add(name);
    return { kind: 'value', value: keepResult ? { kind: 'var', name, path: [], type: { kind: 'object' } } : { kind: 'undefined' } };
  }

  /**
   * Bedrock InvokeModel (bedrock:invokeModel) or an allow-listed SDK command (aws-sdk:<service>:<action>): the SDK's
   * request members become the Task's PascalCase parameters; the result is stored and only its mapped fields can be read.
   */
  private liftSdkIntegration(m: ServiceCallMatch, params: Array<[string, t.Node]>, out: Step[], at: t.Node): Entry {
    const lifted: Record<string, ValueExpr> = {};
    let title: string;
    let fields: Record<string, 'string' | 'number' | 'array'> = {};
    let unsafe: Record<string, string> = {};
    if (m.service === 'bedrock') {
      title = 'Bedrock InvokeModel';
      const bedrockParams: Record<string, string> = { modelId: 'ModelId', body: 'Body', contentType: 'ContentType', accept: 'Accept' };
      for (const [k, node] of params) {
        const task = bedrockParams[k];
        if (!task) throw new LiftFailure(`InvokeModel parameter ${k} has no known mapping to bedrock:invokeModel (ModelId, Body, ContentType, Accept)`, line(node), m.rule);
        if (k === 'body') {
          lifted[task] = this.jsonBytes(node, 'Bedrock InvokeModel body', m.rule);
          continue;
        }
        const v = this.valueOf(node);
        if ((k === 'contentType' || k === 'accept') && !(isLiteral(v) && v.value === 'application/json')) throw new LiftFailure(`InvokeModel ${k} ${this.code(node)} is not application/json: the Task reads and writes the body as JSON`, line(node), m.rule);
        if (k === 'modelId' && typeOfValue(v).kind !== 'string' && typeOfValue(v).kind !== 'unknown') throw new LiftFailure(`InvokeModel modelId ${this.code(node)} is not a string`, line(node), m.rule);
        lifted[task] = v;
      }
      for (const required of ['ModelId', 'Body']) if (!lifted[required]) throw new LiftFailure(`InvokeModel without ${required}`, line(at), m.rule);
      unsafe = { contentType: 'the Task result keeps the parsed Body only', performanceConfigLatency: 'not in the Task result', $metadata: 'SDK metadata' };
      this.assume(line(at), 'bedrock:invokeModel errors are taken to be named Bedrock.<API error name> (Bedrock.ValidationException, …), as public state machines catch them; the Step Functions documentation does not list them', m.rule);
    } else {
      const sdk = m.sdk!;
      title = `${sdk.apiAction} (${sdk.integration.service})`;
      for (const [k, node] of params) {
        const p = sdk.params[k];
        if (!p) throw new LiftFailure(`${sdk.command} parameter ${k} has no known mapping to aws-sdk:${sdk.integration.service}:${sdk.integration.action} (known: ${Object.keys(sdk.params).join(', ')})`, line(node), m.rule);
        const v = this.valueOf(node);
        const type = typeOfValue(v).kind;
        if (type !== p.type && type !== 'unknown') throw new LiftFailure(`${sdk.command} parameter ${k} ${this.code(node)} is not a ${p.type} (${type})`, line(node), m.rule);
        for (const [path, why] of Object.entries(p.forbidden ?? {})) {
          const has = objectHasPath(v, path.split('.'));
          if (has === 'yes') throw new LiftFailure(`${sdk.command} sends ${k}.${path}: ${why}, which the SDK and the Task encode differently`, line(node), m.rule);
          if (has === 'unknown') throw new LiftFailure(`${sdk.command} parameter ${k} ${this.code(node)} is not an object the analyser can see into: it could hold ${path} (${why})`, line(node), m.rule);
        }
        lifted[p.task] = v;
      }
      for (const required of sdk.required) if (!lifted[sdk.params[required]!.task]) throw new LiftFailure(`${sdk.command} without ${required}`, line(at), m.rule);
      fields = sdk.results;
      unsafe = { ...sdk.unsafeResults, $metadata: 'SDK metadata' };
    }
    this.use(m.rule);
    out.push(...this.flushPending());
    const name = this.fresh(m.service === 'bedrock' ? 'model' : m.sdk!.integration.action);
    out.push({ kind: 'publish', service: m.service, result: name, params: lifted, keepResult: true, ...(m.sdk ? { sdk: m.sdk.integration } : {}), line: line(at), rule: m.rule });
    return { kind: 'sdk-result', name, title, rule: m.rule, path: [], fields, unsafe, ...(m.service === 'bedrock' ? { body: true } : {}) };
  }

  /** `JSON.stringify(x)`, optionally as bytes (Buffer.from / TextEncoder): the integration sends x as JSON. */
  private jsonBytes(node: t.Node, what: string, rule: string): ValueExpr {
    try {
      return this.lambdaPayload(node);
    } catch (e) {
      if (e instanceof LiftFailure) throw new LiftFailure(`${what} ${this.code(node)} is not JSON.stringify(…) of a value: the Task sends JSON`, line(node), rule);
      throw e;
    }
  }

  /** A field of an SDK integration result: mapped fields are read from the stored result, others are blockers. */
  private sdkResultMember(base: Extract<Entry, { kind: 'sdk-result' }>, p: string, at: t.Node): Entry {
    const path = [...base.path, p];
    const dotted = path.join('.');
    if (base.body && dotted === 'body') throw new LiftFailure(`${this.code(at)}: the Bedrock response body is read other than as JSON.parse of its decoded text (bedrock:invokeModel returns the parsed JSON Body)`, line(at), base.rule);
    const unsafe = Object.hasOwn(base.unsafe, dotted) ? base.unsafe[dotted] : undefined;
    if (unsafe) throw new LiftFailure(`${this.code(at)}: result field ${dotted} of ${base.title} is not read the same from the Task result (${unsafe})`, line(at), base.rule);
    const type = Object.hasOwn(base.fields, dotted) ? base.fields[dotted] : undefined;
    if (type) return { kind: 'value', value: { kind: 'var', name: base.name, path, type: { kind: type } } };
    if (Object.keys(base.fields).some((f) => f.startsWith(`${dotted}.`))) return { ...base, path };
    throw new LiftFailure(`${this.code(at)}: result field ${dotted} of ${base.title} is not mapped${Object.keys(base.fields).length ? ` (readable: ${Object.keys(base.fields).join(', ')})` : ' (the code may not read this result)'}`, line(at), base.rule);
  }

  /** Lambda Payload: the optimized integration takes JSON, so `JSON.stringify(x)` (as bytes or not) becomes x. */
  private lambdaPayload(node: t.Node): ValueExpr {
    let n = unwrapTs(node);
    // Buffer.from(s) / new TextEncoder().encode(s)
    if (n.type === 'CallExpression' && n.arguments.length === 1 && n.callee.type === 'MemberExpression') {
      const obj = unwrapTs(n.callee.object);
      const m = propName(n.callee);
      if ((m === 'from' && obj.type === 'Identifier' && obj.name === 'Buffer') || (m === 'encode' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'TextEncoder')) n = unwrapTs(n.arguments[0]!);
    }
    const v = this.valueOf(n);
    if (v.kind === 'json-stringify') return v.value;
    if (isLiteral(v) && typeof v.value === 'string') {
      try {
        return { kind: 'literal', value: JSON.parse(v.value) as Json };
      } catch {
        /* not JSON: falls through to the failure */
      }
    }
    throw new LiftFailure(`Lambda Payload ${this.code(node)} is not JSON.stringify(…) of a value: the optimized integration sends JSON`, line(node), 'lambda-invoke');
  }

  /** `JSON.parse(Buffer.from(r.Payload).toString())` / `JSON.parse(new TextDecoder().decode(r.Payload))` of a Lambda invoke result. */
  private decodedLambdaPayload(node: t.Node): ValueExpr | undefined {
    const bytes = decodedBytes(node);
    if (!bytes) return undefined;
    const b = unwrapTs(bytes);
    if (b.type === 'MemberExpression' && propName(b) === 'body') {
      // Bedrock InvokeModel: the Task result holds the answer parsed from JSON under Body.
      const model = this.evalExprSafe(b.object);
      if (model?.kind === 'sdk-result' && model.body && model.path.length === 0) return { kind: 'var', name: model.name, path: ['Body'], type: { kind: 'unknown' } };
      return undefined;
    }
    if (b.type !== 'MemberExpression' || propName(b) !== 'Payload') return undefined;
    const base = this.evalExprSafe(b.object);
    if (base?.kind !== 'value' || base.value.kind !== 'var' || !this.lambdaResults.has(base.value.name) || base.value.path.length) return undefined;
    return { kind: 'var', name: base.value.name, path: ['Payload'], type: { kind: 'unknown' } };
  }

  /** `db.get(params, (err, data) => { if (err) … else … })` */
  private liftNodeCallback(cb: t.Node, result: Entry, out: Step[], at: t.Node): void {
    this.use('callback-handler');
    const fn = unwrapTs(cb);
    if ((fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.body.type !== 'BlockStatement') throw new LiftFailure('SDK callback is not an inline function with a block body', line(at), 'callback-handler');
    const [errP, dataP] = fn.params;
    const errName = errP?.type === 'Identifier' ? errP.name : undefined;
    const stmts = fn.body.body.filter((s) => !isConsoleCall(s));
    const first = stmts[0];
    const last = out[out.length - 1];
    if (!last || last.kind !== 'dynamo') throw new LiftFailure('callback without a preceding call', line(at));
    out.pop();
    const tryStep: Step = { kind: 'try', body: [last], catchers: [], line: line(at) };
    this.withScope(() => {
      const scope = this.scopes[this.scopes.length - 1]!;
      if (errName) scope.set(errName, { kind: 'error-var' });
      if (dataP) this.bindPattern(dataP, result, scope, at);
      let rest = stmts;
      if (first?.type === 'IfStatement' && errName && first.test.type === 'Identifier' && first.test.name === errName) {
        const errBody = first.consequent.type === 'BlockStatement' ? first.consequent.body : [first.consequent];
        tryStep.catchers.push({ errors: ['*'], body: this.liftBlock(errBody.filter((s) => !isConsoleCall(s))) });
        rest = first.alternate ? (first.alternate.type === 'BlockStatement' ? first.alternate.body : [first.alternate]) : stmts.slice(1);
      } else if (errName && this.module.text.slice(fn.start ?? 0, fn.end ?? 0).match(new RegExp(`\\b${errName}\\b`, 'g'))!.length > 1) {
        throw new LiftFailure(`callback error ${errName} is used in a way the analyser does not model`, line(fn), 'callback-handler');
      }
      tryStep.body.push(...this.liftBlock(rest));
    });
    out.push(tryStep);
  }

  private objectParams(node: t.Node | undefined, at: t.Node): Array<[string, t.Node]> {
    if (!node) throw new LiftFailure('service call without parameters', line(at));
    const n = unwrapTs(node);
    if (n.type === 'ObjectExpression') {
      const out: Array<[string, t.Node]> = [];
      for (const p of n.properties) {
        if (p.type === 'SpreadElement') {
          const inner = this.objectParams(p.argument, at);
          for (const [k, v] of inner) {
            const i = out.findIndex(([x]) => x === k);
            if (i >= 0) out.splice(i, 1);
            out.push([k, v]);
          }
          continue;
        }
        if (p.type === 'ObjectMethod') throw new LiftFailure('method in request parameters', line(p));
        let key = keyName(p.key);
        if (p.computed) {
          const kv = this.valueOf(p.key);
          if (kv.kind === 'env') key = `\${${kv.substitution}}`;
          else if (isLiteral(kv) && typeof kv.value === 'string') key = kv.value;
          else key = undefined;
        }
        if (key === undefined) throw new LiftFailure(`computed parameter name ${this.code(p.key)}`, line(p));
        out.push([key, p.value]);
      }
      return out;
    }
    if (n.type === 'Identifier') {
      const init = this.initOf(n.name);
      if (init) return this.objectParams(init, at);
    }
    throw new LiftFailure(`request parameters ${this.code(n)} are not an object literal the analyser can read`, line(at));
  }

  /** The initialiser of a module-level `const` (for params objects written in a const). */
  private initOf(name: string): t.Node | undefined {
    const b = this.module.bindings.get(name);
    return b?.init && b.path.length === 0 ? b.init : undefined;
  }

  private dynamoStep(op: DynamoOp, paramsNode: t.Node | undefined, values: 'document' | 'typed', rule: string, at: t.Node): DynamoCall {
    let entries: Array<[string, t.Node]>;
    let paramsValue: ValueExpr | undefined;
    const pn = paramsNode ? unwrapTs(paramsNode) : undefined;
    if (pn?.type === 'Identifier') {
      const e = this.lookup(pn.name);
      if (e?.kind === 'value' && e.value.kind === 'object') paramsValue = e.value;
    }
    const params: Record<string, DynamoParam> = {};
    let tableRef: TableRef | undefined;
    const marshalKeys = new Set(['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey']);
    const handle = (key: string, v: ValueExpr, node: t.Node) => {
      if (key === 'TableName') {
        if (v.kind === 'env') tableRef = { name: `\${${v.substitution}}`, key: v.envVar, envVar: v.envVar };
        else if (isLiteral(v) && typeof v.value === 'string') tableRef = { name: v.value, key: v.value, literal: v.value };
        else throw new LiftFailure(`TableName ${this.code(node)} is neither an environment variable nor a constant`, line(node), 'table-name-env');
        this.use('table-name-env');
        params[key] = { kind: 'plain', value: v.kind === 'env' ? { kind: 'literal', value: `\${${v.substitution}}` } : v };
        return;
      }
      if (marshalKeys.has(key)) {
        params[key] = values === 'document' ? { kind: 'marshal', value: v } : { kind: 'typed', value: v };
        return;
      }
      if (['RequestItems', 'TransactItems'].includes(key)) {
        params[key] = values === 'document' ? { kind: 'nested', value: v } : { kind: 'typed', value: v };
        const tables = tableNamesIn(v);
        if (!tables.length) throw new LiftFailure(`${key} has no table name the analyser can read`, line(node), 'table-name-env');
        tableRef ??= tables[0];
        this.use('table-name-env');
        return;
      }
      if (v.kind === 'env') {
        params[key] = { kind: 'plain', value: { kind: 'literal', value: `\${${v.substitution}}` } };
        return;
      }
      if (!isLiteral(v)) {
        const what = /Expression$/.test(key) ? 'built at run time (dynamic expression building has no JSONPath equivalent; JSONata can express it)' : 'not a constant';
        if ((key === 'Limit' && typeOfValue(v).kind === 'number') || (key === 'ConsistentRead' && typeOfValue(v).kind === 'boolean')) {
          params[key] = { kind: 'plain', value: v };
          return;
        }
        if (key === 'Limit') throw new LiftFailure(`Limit comes from the request as a string; convert it with Number(…) so its type is known`, line(node));
        throw new LiftFailure(`${key} is ${what}: ${this.code(node)}`, line(node));
      }
      params[key] = { kind: 'plain', value: v };
    };
    if (paramsValue && paramsValue.kind === 'object') {
      for (const [k, v] of paramsValue.entries) handle(k, v, at);
    } else {
      entries = this.objectParams(paramsNode, at);
      for (const [k, node] of entries) handle(k, this.valueOf(node), node);
    }
    if (!tableRef) throw new LiftFailure(`${op} call has no TableName the analyser can read`, line(at), 'table-name-env');
    const name = this.fresh(op === 'getItem' ? 'get' : op);
    if (op === 'getItem' || op === 'putItem' || op === 'deleteItem' || op === 'updateItem') {
      if (!params['Key'] && op !== 'putItem') throw new LiftFailure(`${op} without a Key`, line(at));
      if (!params['Item'] && op === 'putItem') throw new LiftFailure('putItem without an Item', line(at));
    }
    const schema = this.schemaFor(tableRef);
    return { kind: 'dynamo', op, result: name, params, table: { name: tableRef.name, key: tableRef.key }, schema, line: line(at), rule };
  }

  private schemaFor(table: { name: string; key: string }): ItemSchema | undefined {
    const lookup = table.name.startsWith('${') ? { envVar: table.key } : { literal: table.name };
    return this.opts.schemas.lookup(this.opts.module.path, lookup);
  }

  // ---------------------------------------------------------------- conditions

  liftCondition(node: t.Node): Condition {
    const n = unwrapTs(node);
    if (n.type === 'UnaryExpression' && n.operator === '!') return negate(this.liftCondition(n.argument));
    if (n.type === 'LogicalExpression' && (n.operator === '&&' || n.operator === '||')) {
      return { kind: n.operator === '&&' ? 'and' : 'or', items: [this.liftCondition(n.left), this.liftCondition(n.right)] };
    }
    if (n.type === 'BinaryExpression') {
      const op = n.operator;
      // typeof x === 'string'
      const typeofSide = (a: t.Node, b: t.Node) => (unwrapTs(a).type === 'UnaryExpression' && (unwrapTs(a) as t.UnaryExpression).operator === 'typeof' && b.type === 'StringLiteral' ? { v: (unwrapTs(a) as t.UnaryExpression).argument, t: b.value } : undefined);
      const tc = typeofSide(n.left, n.right) ?? typeofSide(n.right, n.left as t.Node);
      if (tc && (op === '===' || op === '!==' || op === '==' || op === '!=')) {
        if (!['string', 'number', 'boolean', 'object', 'undefined'].includes(tc.t)) throw new LiftFailure(`typeof check for ${tc.t}`, line(n), 'guard-choice');
        const v = this.valueOf(tc.v);
        const negateIt = op === '!==' || op === '!=';
        if (tc.t === 'undefined') return { kind: 'present', value: v, negate: !negateIt };
        return { kind: 'typeof', value: v, type: tc.t as 'string', negate: negateIt };
      }
      if (['===', '!==', '==', '!=', '<', '<=', '>', '>='].includes(op)) {
        let left = this.valueOf(n.left);
        let right = this.valueOf(n.right);
        let o: string = op;
        if (left.kind === 'undefined' && right.kind !== 'undefined') [left, right] = [right, left];
        if (isLiteral(left) && !isLiteral(right) && right.kind !== 'undefined') {
          [left, right] = [right, left];
          o = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
        }
        if (right.kind === 'undefined' || (isLiteral(right) && right.value === null && (o === '==' || o === '!='))) {
          return { kind: 'present', value: left, negate: o === '===' || o === '==' };
        }
        if (isLiteral(left) && isLiteral(right)) return { kind: 'and', items: [], ...(looseEquals(left.value, right.value, o) ? {} : { kind: 'or' as const }) };
        if (!isLiteral(right)) {
          return { kind: 'truthy', value: this.residualCondition(n), negate: false };
        }
        const norm = o === '===' ? '==' : o === '!==' ? '!=' : o;
        return { kind: 'compare', op: norm as '==', left, right: right.value };
      }
    }
    // CONST_LIST.includes(x)
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propName(n.callee) === 'includes' && n.arguments.length === 1) {
      const list = this.valueOf(n.callee.object);
      if (isLiteral(list) && Array.isArray(list.value)) {
        const x = this.valueOf(n.arguments[0]!);
        return { kind: 'or', items: list.value.map((v) => ({ kind: 'compare' as const, op: '==' as const, left: x, right: v })) };
      }
      if (typeOfValue(list).kind === 'array') {
        const x = this.valueOf(n.arguments[0]!);
        return { kind: 'compare', op: '==', left: { kind: 'intrinsic', fn: 'States.ArrayContains', args: [list, x], type: { kind: 'boolean' } }, right: true };
      }
    }
    const e = this.evalExpr(n);
    if (e.kind === 'ddb-result') return { kind: 'and', items: [] };
    if (e.kind !== 'value') throw new LiftFailure(`condition ${this.code(n)} is not understood`, line(n), 'guard-choice');
    return { kind: 'truthy', value: e.value };
  }

  /** A comparison whose both sides are run-time values: keep it in a residual Lambda. */
  private residualCondition(node: t.Node): ValueExpr {
    return this.residual(node, new LiftFailure(`comparison ${this.code(node)} between two run-time values has no Choice-rule equivalent in JSONPath`, line(node), 'guard-choice', true));
  }

  // ---------------------------------------------------------------- values

  valueOf(node: t.Node): ValueExpr {
    const e = this.evalExprOrResidual(node);
    if (e.kind === 'value') return e.value;
    if (e.kind === 'ddb-result') throw new LiftFailure(`the whole result of a DynamoDB call is used as a value (${this.code(node)}); it carries SDK metadata`, line(node));
    if (e.kind === 'sdk-result') throw new LiftFailure(`${this.code(node)}: the result of ${e.title} is used whole${e.path.length ? '' : ' (it carries SDK metadata)'}; only its mapped fields can be read`, line(node), e.rule);
    throw new LiftFailure(`${this.code(node)} is not a value the analyser can express`, line(node));
  }

  private evalExprOrResidual(node: t.Node): Entry {
    try {
      return this.evalExpr(node);
    } catch (e) {
      if (e instanceof LiftFailure && e.residualizable) return { kind: 'value', value: this.residual(node, e) };
      throw e;
    }
  }

  /** Keep a pure expression in a small Lambda; its free variables become the function's input. */
  private residual(node: t.Node, why: LiftFailure): ValueExpr {
    if (!this.opts.ruleEnabled('residual-lambda')) throw new LiftFailure(why.message, why.line, why.rule);
    if (this.inlineDepth > 0 || this.liftingAlternative) throw new LiftFailure(why.message, why.line, why.rule);
    const inputs: Array<[string, ValueExpr]> = [];
    const seen = new Set<string>();
    let bad: string | undefined;
    const visit = (n: t.Node | null | undefined, parent?: t.Node): void => {
      if (!n || typeof n !== 'object') return;
      if (n.type === 'AwaitExpression' || n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') bad = `${this.code(n)} has effects`;
      if (n.type === 'Identifier' && !(parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && (parent as t.MemberExpression).property === n && !(parent as t.MemberExpression).computed) && !(parent?.type === 'ObjectProperty' && (parent as t.ObjectProperty).key === n && !(parent as t.ObjectProperty).computed)) {
        if (!seen.has(n.name)) {
          seen.add(n.name);
          const local = this.findScope(n.name);
          if (local) {
            const e = local.get(n.name)!;
            if (e.kind === 'value') inputs.push([n.name, e.value]);
            else bad = `${n.name} is not a plain value`;
          } else if (n.name === this.eventName()) {
            inputs.push([n.name, { kind: 'event', path: [], type: { kind: 'object' } }]);
          }
          // Module-level names and imports stay with the extracted code.
        }
      }
      for (const key of Object.keys(n) as Array<keyof typeof n>) {
        if (['loc', 'leadingComments', 'trailingComments', 'typeAnnotation'].includes(key as string)) continue;
        const child = n[key] as unknown;
        if (Array.isArray(child)) child.forEach((c) => c && typeof c === 'object' && 'type' in c && visit(c as t.Node, n));
        else if (child && typeof child === 'object' && 'type' in (child as object)) visit(child as t.Node, n);
      }
    };
    visit(node);
    if (bad) throw new LiftFailure(`${why.message}; it cannot be kept in a Lambda either: ${bad}`, why.line, why.rule);
    const id = this.fresh('compute');
    const code = this.module.text.slice(node.start ?? 0, node.end ?? 0);
    const type = residualType(node);
    const blocker: Blocker = { rule: 'residual-lambda', line: line(node), message: `${why.message}; kept in a small Lambda function (lambda:invoke): ${this.code(node)}` };
    this.result.residualBlockers.push(blocker);
    this.use('residual-lambda');
    const jsonata = this.jsonataAlternative(node);
    if (jsonata) this.result.jsonataResolves.add(blocker);
    return { kind: 'residual', id, code, inputs, line: line(node), type, ...(jsonata ? { jsonata } : {}) };
  }

  /**
   * The same computation with a JSONata function (issue 8): Date.now(), toLowerCase/toUpperCase, join, replace with
   * string patterns, includes, length, concat. Lifting it must leave no trace (rules, assumptions, counters):
   * the JSONPath proposal is unchanged.
   */
  private jsonataAlternative(node: t.Node): ValueExpr | undefined {
    const before = { residual: this.result.residualBlockers.length, blockers: this.result.blockers.length, assumptions: this.result.assumptions.length, rules: new Set(this.result.rules), counter: this.counter, fields: new Set(this.result.eventFields) };
    this.liftingAlternative = true;
    try {
      return this.jsonataValue(unwrapTs(node));
    } catch (e) {
      if (e instanceof LiftFailure) return undefined;
      throw e;
    } finally {
      this.liftingAlternative = false;
      this.result.residualBlockers.splice(before.residual);
      this.result.blockers.splice(before.blockers);
      this.result.assumptions.splice(before.assumptions);
      this.result.rules = before.rules;
      this.counter = before.counter;
      this.result.eventFields = before.fields;
    }
  }

  private jsonataValue(n: t.Node): ValueExpr | undefined {
    const stringList = (v: ValueExpr) => (isLiteral(v) && Array.isArray(v.value) && v.value.every((x) => typeof x === 'string')) || (typeOfValue(v).kind === 'array' && (typeOfValue(v) as { element?: ValueType }).element?.kind === 'string');
    if (n.type === 'MemberExpression' && propName(n) === 'length') {
      const v = this.valueOf(n.object);
      const t = typeOfValue(v).kind;
      if (t !== 'string' && t !== 'array' && t !== 'unknown') return undefined;
      return { kind: 'fn', fn: 'length', args: [v], type: { kind: 'number' } };
    }
    if (n.type !== 'CallExpression') return undefined;
    const callee = unwrapTs(n.callee);
    const args = n.arguments;
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Date' && propName(callee) === 'now' && !args.length && !this.findScope('Date')) {
      return { kind: 'fn', fn: 'millis', args: [], type: { kind: 'number' } };
    }
    if (callee.type !== 'MemberExpression') return undefined;
    const method = propName(callee);
    const obj = unwrapTs(callee.object);
    if (method === 'getTime' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date' && !obj.arguments.length && !args.length) {
      return { kind: 'fn', fn: 'millis', args: [], type: { kind: 'number' } };
    }
    const strLit = (a: t.Node | undefined) => (a && a.type === 'StringLiteral' ? a.value : undefined);
    const target = this.valueOf(obj);
    const targetType = typeOfValue(target).kind;
    switch (method) {
      case 'toLowerCase': case 'toUpperCase':
        if (args.length || (targetType !== 'string' && targetType !== 'unknown')) return undefined;
        return { kind: 'fn', fn: method === 'toLowerCase' ? 'lowercase' : 'uppercase', args: [target], type: { kind: 'string' } };
      case 'join': {
        const sep = args.length ? strLit(args[0]) : ',';
        if (sep === undefined || !stringList(target)) return undefined;
        return { kind: 'fn', fn: 'join', args: [target, { kind: 'literal', value: sep }], type: { kind: 'string' } };
      }
      case 'replace': case 'replaceAll': {
        // String patterns only; a `$` in the replacement is a special pattern in JavaScript.
        const [from, to] = [strLit(args[0]), strLit(args[1])];
        if (args.length !== 2 || from === undefined || !from || to === undefined || to.includes('$') || targetType !== 'string') return undefined;
        return { kind: 'fn', fn: method === 'replace' ? 'replace' : 'replace-all', args: [target, { kind: 'literal', value: from }, { kind: 'literal', value: to }], type: { kind: 'string' } };
      }
      case 'includes': {
        if (args.length !== 1) return undefined;
        const x = this.valueOf(args[0]!);
        if (isLiteral(target) && Array.isArray(target.value)) return { kind: 'fn', fn: 'includes', args: [target, x], type: { kind: 'boolean' } };
        if (targetType === 'string' && typeOfValue(x).kind === 'string') return { kind: 'fn', fn: 'string-includes', args: [target, x], type: { kind: 'boolean' } };
        return undefined;
      }
      case 'concat': {
        if (args.length !== 1 || targetType !== 'array') return undefined;
        const other = this.valueOf(args[0]!);
        if (typeOfValue(other).kind !== 'array') return undefined;
        return { kind: 'fn', fn: 'concat', args: [target, other], type: { kind: 'array' } };
      }
      default: return undefined;
    }
  }

  private eventName(): string | undefined {
    for (const [name, e] of this.scopes[0] ?? []) if (e.kind === 'value' && e.value.kind === 'event' && e.value.path.length === 0) return name;
    return undefined;
  }

  /** Does this identifier name a DynamoDB client (directly, through a module constant, or imported)? */
  /** A client of SNS, EventBridge, SQS or Lambda (services with an optimized integration). */
  isServiceClientName(name: string): boolean {
    try {
      const e = this.lookup(name);
      return e?.kind === 'client' && isServiceClient(e.client);
    } catch {
      return false;
    }
  }

  isDynamoClientName(name: string): boolean {
    try {
      const e = this.lookup(name);
      return e?.kind === 'client' && isDynamoClient(e.client);
    } catch {
      return false;
    }
  }

  lookup(name: string): Entry | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const e = this.scopes[i]!.get(name);
      if (e) return e;
    }
    return this.moduleEntry(this.module, name);
  }

  private readonly moduleEntries = new Map<string, Entry | undefined>();

  private moduleEntry(mod: ModuleInfo, name: string, depth = 0): Entry | undefined {
    const cacheKey = `${mod.path}\u0000${name}`;
    if (this.moduleEntries.has(cacheKey)) return this.moduleEntries.get(cacheKey);
    this.moduleEntries.set(cacheKey, undefined); // cycle guard
    let entry: Entry | undefined;
    const imp = mod.imports.get(name);
    const b = mod.bindings.get(name);
    if (imp) {
      const target = depth < 5 ? this.opts.index.importTarget(mod, imp.source) : undefined;
      if (target) {
        const exported = imp.imported === 'default' ? target.exports.get('default') : imp.imported === '*' ? undefined : target.exports.get(imp.imported);
        if (exported) {
          this.moduleStack.push(target);
          try {
            entry = exported.node.type === 'Identifier' ? this.moduleEntry(target, exported.node.name, depth + 1) : this.entryOfNode(exported.node, imp.imported);
          } catch {
            entry = undefined;
          } finally {
            this.moduleStack.pop();
          }
        }
      } else if (!imp.source.startsWith('.')) {
        entry = { kind: 'package', source: imp.source.replace(/^node:/, ''), path: imp.imported === '*' || imp.imported === 'default' ? [] : imp.imported.split('.') };
      }
    } else if (b) {
      if (b.kind === 'function') entry = { kind: 'function', node: b.init as FunctionLike, module: mod, name };
      else if (b.init && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var')) {
        this.moduleStack.push(mod);
        try {
          const base = this.entryOfNode(b.init, name);
          entry = base && b.path.length ? this.memberEntry(base, b.path, b.init) : base;
          if (entry?.kind === 'value' && b.typeAnnotation) entry = { kind: 'value', value: this.withType(entry.value, typeFromTsType(b.typeAnnotation, mod)) };
        } catch {
          entry = undefined;
        } finally {
          this.moduleStack.pop();
        }
      }
    } else if (GLOBALS.has(name)) {
      entry = { kind: 'global', path: [name] };
    }
    this.moduleEntries.set(cacheKey, entry);
    return entry;
  }

  private entryOfNode(node: t.Node, name: string): Entry {
    const n = unwrapTs(node);
    if (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ObjectMethod') return { kind: 'function', node: n, module: this.module, name };
    return this.evalExpr(n);
  }

  evalExpr(node: t.Node): Entry {
    const n = unwrapTs(node);
    switch (n.type) {
      case 'StringLiteral': return { kind: 'value', value: { kind: 'literal', value: n.value } };
      case 'NumericLiteral': return { kind: 'value', value: { kind: 'literal', value: n.value } };
      case 'BooleanLiteral': return { kind: 'value', value: { kind: 'literal', value: n.value } };
      case 'NullLiteral': return { kind: 'value', value: { kind: 'literal', value: null } };
      case 'TemplateLiteral': return { kind: 'value', value: this.template(n) };
      case 'Identifier': {
        if (n.name === 'undefined') return { kind: 'value', value: { kind: 'undefined' } };
        const e = this.lookup(n.name);
        if (!e) throw new LiftFailure(`${n.name} is not defined in a way the analyser can follow`, line(n));
        if (e.kind === 'value') return { kind: 'value', value: this.refine(e.value) };
        return e;
      }
      case 'MemberExpression': case 'OptionalMemberExpression': {
        const name = propName(n);
        if (name === undefined) {
          throw new LiftFailure(`computed property access ${this.code(n)}`, line(n), UNSUPPORTED, true);
        }
        const base = this.evalExpr(n.object);
        return this.memberEntry(base, [name], n);
      }
      case 'ObjectExpression': {
        let entries: Array<[string, ValueExpr]> = [];
        /** Spreads of values whose fields are not known statically, in order with the objects between them. */
        const parts: ValueExpr[] = [];
        let spreadOf = '';
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            const v = this.valueOf(p.argument);
            if (v.kind === 'object') {
              for (const [k, x] of v.entries) {
                const i = entries.findIndex(([e]) => e === k);
                if (i >= 0) entries.splice(i, 1);
                entries.push([k, x]);
              }
              continue;
            }
            if (isLiteral(v) && v.value && typeof v.value === 'object' && !Array.isArray(v.value)) {
              for (const [k, x] of Object.entries(v.value)) entries.push([k, { kind: 'literal', value: x }]);
              continue;
            }
            if (v.kind === 'undefined' || isLiteral(v) || v.kind === 'format' || v.kind === 'uuid' || v.kind === 'now-iso') throw new LiftFailure(`spread of ${this.code(p.argument)}, which is not an object`, line(p));
            if (entries.length) parts.push(foldObject(entries));
            entries = [];
            parts.push(v);
            spreadOf ||= `spread of ${this.code(p.argument)}: its fields are not known statically (JSONPath needs every attribute typed; the JSONata emitter can handle it)|${line(p)}`;
            continue;
          }
          if (p.type === 'ObjectMethod') throw new LiftFailure(`object method ${this.code(p.key)}`, line(p));
          let key = keyName(p.key);
          if (p.computed) {
            const kv = this.valueOf(p.key);
            key = isLiteral(kv) && typeof kv.value === 'string' ? kv.value : kv.kind === 'env' ? `\${${kv.substitution}}` : undefined;
          }
          if (key === undefined) throw new LiftFailure(`computed key ${this.code(p.key)}`, line(p), UNSUPPORTED, true);
          const v = this.valueOf(p.value);
          const i = entries.findIndex(([e]) => e === key);
          if (i >= 0) entries.splice(i, 1);
          entries.push([key, v]);
        }
        if (parts.length) {
          if (entries.length) parts.push(foldObject(entries));
          const [what, at] = spreadOf.split('|');
          return { kind: 'value', value: { kind: 'merge', parts, why: what!, line: Number(at) } };
        }
        return { kind: 'value', value: foldObject(entries) };
      }
      case 'ArrayExpression': {
        const items: ValueExpr[] = [];
        for (const el of n.elements) {
          if (!el || el.type === 'SpreadElement') throw new LiftFailure(`array spread or hole in ${this.code(n)}`, line(n), UNSUPPORTED, true);
          items.push(this.valueOf(el));
        }
        return { kind: 'value', value: items.every(isLiteral) ? { kind: 'literal', value: items.map((i) => (i as { value: Json }).value) } : { kind: 'array', items } };
      }
      case 'LogicalExpression': {
        if (n.operator === '&&') throw new LiftFailure(`${this.code(n)} (&& as a value)`, line(n), UNSUPPORTED, true);
        const left = this.valueOf(n.left);
        const right = this.valueOf(n.right);
        if (left.kind === 'undefined' || (isLiteral(left) && left.value === null)) return { kind: 'value', value: right };
        if (isLiteral(left)) return { kind: 'value', value: n.operator === '??' ? left : left.value ? left : right };
        if (left.kind === 'env' && isLiteral(right) && typeof right.value === 'string') {
          this.assume(line(n), `process.env.${left.envVar} falls back to ${JSON.stringify(right.value)} in the handler; the state machine takes the value from the ${left.substitution} definition substitution, which must be set at deploy time`, 'table-name-env');
          return { kind: 'value', value: { ...left, fallback: right.value } };
        }
        return { kind: 'value', value: { kind: 'coalesce', op: n.operator, value: left, fallback: right } };
      }
      case 'ConditionalExpression': {
        const test = this.liftCondition(n.test);
        const folded = foldCondition(test);
        if (folded !== undefined) return this.evalExpr(folded ? n.consequent : n.alternate);
        return { kind: 'value', value: { kind: 'conditional', test, then: this.valueOf(n.consequent), else: this.valueOf(n.alternate) } };
      }
      case 'BinaryExpression': {
        if (n.operator === '+') {
          const l = this.valueOf(n.left);
          const r = this.valueOf(n.right);
          if (isLiteral(l) && isLiteral(r)) return { kind: 'value', value: { kind: 'literal', value: ((l.value as number) + (r.value as number)) as Json } };
          const lt = typeOfValue(l).kind;
          const rt = typeOfValue(r).kind;
          if (lt === 'string' || rt === 'string') {
            this.use('intrinsic-template-format');
            return { kind: 'value', value: { kind: 'format', quasis: ['', '', ''], args: [l, r] } };
          }
          if (lt === 'number' && rt === 'number' && (isLiteral(l) || isLiteral(r))) {
            this.assume(line(n), `${this.code(n)} uses States.MathAdd, which adds integers only`);
            return { kind: 'value', value: { kind: 'intrinsic', fn: 'States.MathAdd', args: [l, r], type: { kind: 'number' } } };
          }
        }
        throw new LiftFailure(`operator ${n.operator} in ${this.code(n)} has no JSONPath intrinsic`, line(n), UNSUPPORTED, true);
      }
      case 'CallExpression': case 'OptionalCallExpression':
        return this.evalCall(n);
      case 'NewExpression': {
        const ctor = n.callee.type === 'Identifier' || n.callee.type === 'MemberExpression' ? this.evalExprSafe(n.callee) : undefined;
        if (ctor?.kind === 'package') {
          const kind = clientFromConstructor(`${ctor.source}:${ctor.path.join('.') || '*'}`) ?? clientFromConstructor(`${ctor.source}:*.${ctor.path.join('.')}`);
          if (kind) return { kind: 'client', client: kind };
        }
        throw new LiftFailure(`new ${this.code(n.callee)}(…)`, line(n), UNSUPPORTED, true);
      }
      case 'AwaitExpression':
        throw new LiftFailure(`awaited ${this.code(n.argument)} is not a recognised service call`, line(n));
      case 'ArrowFunctionExpression': case 'FunctionExpression':
        return { kind: 'function', node: n, module: this.module, name: '(inline)' };
      default:
        throw new LiftFailure(`${this.code(n)} is not understood`, line(n), UNSUPPORTED, true);
    }
  }

  private evalExprSafe(node: t.Node): Entry | undefined {
    try {
      return this.evalExpr(node);
    } catch {
      return undefined;
    }
  }

  private template(n: t.TemplateLiteral): ValueExpr {
    const quasis = n.quasis.map((q) => q.value.cooked ?? q.value.raw);
    const args = n.expressions.map((e) => this.valueOf(e));
    if (args.every(isLiteral)) {
      let s = quasis[0]!;
      args.forEach((a, i) => (s += String((a as { value: Json }).value) + quasis[i + 1]));
      return { kind: 'literal', value: s };
    }
    this.use('intrinsic-template-format');
    return { kind: 'format', quasis, args };
  }

  memberEntry(base: Entry, path: string[], at: t.Node): Entry {
    let cur = base;
    for (const p of path) cur = this.member1(cur, p, at);
    return cur;
  }

  private member(v: ValueExpr, path: string[], at: t.Node): ValueExpr {
    const e = this.memberEntry({ kind: 'value', value: v }, path, at);
    if (e.kind !== 'value') throw new LiftFailure('member access', line(at));
    return e.value;
  }

  private member1(base: Entry, p: string, at: t.Node): Entry {
    if (base.kind === 'sdk-result') return this.sdkResultMember(base, p, at);
    const response = base.kind === 'value' && base.value.kind === 'var' && base.value.path.length === 0 ? this.responseFields.get(base.value.name) : undefined;
    if (base.kind === 'value' && base.value.kind === 'var' && response) {
      const field = Object.hasOwn(response.fields, p) ? response.fields[p] : undefined;
      if (!field) throw new LiftFailure(response.why?.[p] ?? `${this.code(at)}: ${response.client} response field ${p} has no HTTP Task equivalent (${Object.keys(response.fields).join(', ')})`, line(at), 'http-task');
      return { kind: 'value', value: { kind: 'var', name: base.value.name, path: [field], type: field === 'StatusCode' ? { kind: 'number' } : field === 'StatusText' ? { kind: 'string' } : { kind: 'unknown' } } };
    }
    if (base.kind === 'value' && base.value.kind === 'var' && base.value.path.length === 0 && this.lambdaResults.has(base.value.name) && p !== 'StatusCode') {
      throw new LiftFailure(`${this.code(at)}: a Lambda invoke result is read other than through JSON.parse of its decoded Payload or its StatusCode (the optimized integration returns the Payload as JSON and fails on function errors)`, line(at), 'lambda-invoke');
    }
    switch (base.kind) {
      case 'global':
        if (base.path[0] === 'process' && p === 'env' && base.path.length === 1) return { kind: 'env-namespace' };
        return { kind: 'global', path: [...base.path, p] };
      case 'env-namespace': {
        const sub = pascal(p);
        this.result.substitutions[sub] = `process.env.${p}`;
        return { kind: 'value', value: { kind: 'env', envVar: p, substitution: sub } };
      }
      case 'package': return { kind: 'package', source: base.source, path: [...base.path, p] };
      case 'ddb-result': {
        // Items of a table whose attribute types are known are unmarshalled by a Map state; otherwise a small Lambda does it.
        if (p === 'Items' && !base.raw && !base.schema) return { kind: 'value', value: this.unmarshalItems(base.step, at) };
        if (!['Item', 'Attributes', 'Items', 'Count', 'ScannedCount', 'LastEvaluatedKey'].includes(p)) throw new LiftFailure(`result field ${p} of a DynamoDB call`, line(at));
        const rv: ValueExpr = { kind: 'ddb', step: base.step, field: p as 'Item', path: [], schema: base.schema, ...(base.raw ? { raw: true } : {}) };
        if (this.isKnownPresent(rv)) rv.present = true;
        return { kind: 'value', value: rv };
      }
      case 'value': {
        const v = base.value;
        switch (v.kind) {
          case 'event': {
            if (p === 'length' && v.path.length > 0) return this.lengthOf(v, at);
            if (this.opts.bodyParsedByMiddleware && v.path.length === 0 && p === 'body') return { kind: 'value', value: { kind: 'var', name: 'parsedBody', path: [], type: { kind: 'unknown' } } };
            const path = [...v.path, p];
            this.result.eventFields.add(path.join('.'));
            return { kind: 'value', value: this.refine({ kind: 'event', path, type: fieldType(v.type, p) ?? eventFieldType(path) }) };
          }
          case 'var': {
            if (p === 'length') return this.lengthOf(v, at);
            return { kind: 'value', value: this.refine({ kind: 'var', name: v.name, path: [...v.path, p], type: fieldType(v.type, p) ?? { kind: 'unknown' } }) };
          }
          case 'json-parse': throw new LiftFailure(`field ${p} of an inline JSON.parse`, line(at));
          case 'ddb': {
            if (v.field === 'Items') {
              if (p === 'length') return { kind: 'value', value: { kind: 'intrinsic', fn: 'States.ArrayLength', args: [{ ...v, raw: true } as ValueExpr], type: { kind: 'number' } } };
              throw new LiftFailure(`Items.${p}`, line(at), UNSUPPORTED, true);
            }
            // A found item says nothing of its attributes: only a guard on the attribute itself proves it present.
            const { present: itemPresent, ...item } = v;
            const dv: ValueExpr = { ...item, path: [...v.path, p] };
            if (this.isKnownPresent(dv) || (v.path.length === 0 && itemPresent && v.schema?.attributes[p]?.optional === false)) dv.present = true;
            // `Item.x` with no item throws a TypeError in the handler (`Item?.x` does not).
            const optional = at.type === 'OptionalMemberExpression' && at.optional;
            if (v.path.length === 0 && (v.field === 'Item' || v.field === 'Attributes') && !v.present && !v.raw && !optional) {
              if (this.tryDepth > 0) throw new LiftFailure(`${this.code(at)} is read inside a try block without checking that the ${v.field === 'Item' ? 'item' : 'result'} exists: with none the handler throws a TypeError that its catch handles, where the state machine fails; check it first (if (!${v.field}) …) or read ${v.field}?.${p}`, line(at), 'try-catch');
              dv.unguarded = true;
            }
            return { kind: 'value', value: dv };
          }
          case 'object': {
            const hit = v.entries.find(([k]) => k === p);
            return { kind: 'value', value: hit ? hit[1] : { kind: 'undefined' } };
          }
          case 'literal': {
            const lv = v.value;
            if (lv !== null && typeof lv === 'object' && !Array.isArray(lv)) return { kind: 'value', value: p in lv ? { kind: 'literal', value: lv[p]! } : { kind: 'undefined' } };
            if ((Array.isArray(lv) || typeof lv === 'string') && p === 'length') return { kind: 'value', value: { kind: 'literal', value: lv.length } };
            throw new LiftFailure(`property ${p} of a constant`, line(at), UNSUPPORTED, true);
          }
          case 'undefined': throw new LiftFailure(`property ${p} of undefined`, line(at));
          case 'merge': {
            // Known only when written after the last spread (a later key overrides an earlier one).
            const last = v.parts[v.parts.length - 1]!;
            const hit = last.kind === 'object' ? last.entries.find(([k]) => k === p)?.[1] : isLiteral(last) && last.value && typeof last.value === 'object' && !Array.isArray(last.value) && p in last.value ? { kind: 'literal' as const, value: last.value[p]! } : undefined;
            if (hit) return { kind: 'value', value: hit };
            throw new LiftFailure(`property ${p} of an object built with a spread`, line(at), UNSUPPORTED, true);
          }
          default:
            throw new LiftFailure(`property ${p} of ${v.kind === 'residual' ? 'a computed value' : v.kind}`, line(at), UNSUPPORTED, true);
        }
      }
      case 'client': throw new LiftFailure(`client property ${p}`, line(at));
      default: throw new LiftFailure(`property ${p} of ${base.kind}`, line(at), UNSUPPORTED, true);
    }
  }

  /** `.length` is a property of strings and arrays, never a field of the value. */
  private lengthOf(v: ValueExpr, at: t.Node): Entry {
    if (typeOfValue(v).kind === 'array') return { kind: 'value', value: { kind: 'intrinsic', fn: 'States.ArrayLength', args: [v], type: { kind: 'number' } } };
    const what = typeOfValue(v).kind === 'string' ? 'the length of a string' : 'the length of a value whose type is not known (a string or a list)';
    throw new LiftFailure(`${this.code(at)}: ${what} has no JSONPath equivalent (JSONata: $length())`, line(at), UNSUPPORTED, true);
  }

  /** Query/Scan `Items` used as data: JSONPath cannot unmarshal a list of items generically, so a small Lambda does. */
  private unmarshalItems(step: string, at: t.Node): ValueExpr {
    if (!this.opts.ruleEnabled('residual-lambda')) throw new LiftFailure('Items needs a generic unmarshal of DynamoDB items, which JSONPath cannot express (JSONata can)', line(at));
    const blocker: Blocker = { rule: 'residual-lambda', line: line(at), message: 'Items from the query/scan needs a generic unmarshal of DynamoDB items, which JSONPath cannot express (the JSONata emitter can); kept in a small Lambda function (lambda:invoke)' };
    if (!this.result.residualBlockers.some((b) => b.message === blocker.message)) this.result.residualBlockers.push(blocker);
    this.use('residual-lambda');
    const raw: ValueExpr = { kind: 'ddb', step, field: 'Items', path: [], raw: true };
    this.result.jsonataResolves.add(this.result.residualBlockers.find((b) => b.message === blocker.message)!);
    // JSONata unmarshals the items generically (src/emit/jsonata/dynamoValues.ts).
    const jsonata: ValueExpr = { kind: 'ddb', step, field: 'Items', path: [] };
    return { kind: 'residual', id: this.fresh('unmarshallItems'), code: 'items.map((item) => unmarshall(item))', inputs: [['items', raw]], line: line(at), type: { kind: 'array' }, jsonata };
  }

  /** Buffer base64 round trips and crypto hashes that have an intrinsic. */
  private intrinsicCall(n: t.CallExpression | t.OptionalCallExpression): ValueExpr | undefined {
    const callee = unwrapTs(n.callee);
    if (callee.type !== 'MemberExpression') return undefined;
    const method = propName(callee);
    const strArg = (a: t.Node | undefined) => (a && a.type === 'StringLiteral' ? a.value : undefined);
    const obj = unwrapTs(callee.object);
    // Buffer.from(x).toString('base64') / Buffer.from(x, 'base64').toString('utf8')
    if (method === 'toString' && obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && obj.callee.object.type === 'Identifier' && obj.callee.object.name === 'Buffer' && propName(obj.callee) === 'from' && !this.findScope('Buffer')) {
      const from = strArg(obj.arguments[1]) ?? 'utf8';
      const to = strArg(n.arguments[0]) ?? 'utf8';
      const x = this.valueOf(obj.arguments[0]!);
      if (typeOfValue(x).kind !== 'string' && !(isLiteral(x) && typeof x.value === 'string')) return undefined;
      this.use('intrinsic-template-format');
      if (/^utf-?8$/.test(from) && to === 'base64') return { kind: 'intrinsic', fn: 'States.Base64Encode', args: [x], type: { kind: 'string' } };
      if (from === 'base64' && /^utf-?8$/.test(to)) return { kind: 'intrinsic', fn: 'States.Base64Decode', args: [x], type: { kind: 'string' } };
      return undefined;
    }
    // crypto.createHash('sha256').update(x).digest('hex')
    if (method === 'digest' && strArg(n.arguments[0]) === 'hex' && obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && propName(obj.callee) === 'update' && obj.arguments.length === 1) {
      const create = unwrapTs(obj.callee.object);
      if (create.type !== 'CallExpression') return undefined;
      const fn = this.evalExprSafe(create.callee);
      const isCreateHash = (fn?.kind === 'global' && fn.path.join('.') === 'crypto.createHash') || (fn?.kind === 'package' && fn.source === 'crypto' && fn.path.join('.') === 'createHash');
      const alg = ({ md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as Record<string, string>)[strArg(create.arguments[0])?.toLowerCase() ?? ''];
      if (!isCreateHash || !alg) return undefined;
      const x = this.valueOf(obj.arguments[0]!);
      if (typeOfValue(x).kind !== 'string') return undefined;
      this.assume(line(n), `${this.code(n)} becomes States.Hash(…, '${alg}'), which accepts at most 10,000 characters`);
      return { kind: 'intrinsic', fn: 'States.Hash', args: [x, { kind: 'literal', value: alg }], type: { kind: 'string' } };
    }
    return undefined;
  }

  private evalCall(n: t.CallExpression | t.OptionalCallExpression): Entry {
    // Bedrock's body decoded to text but not parsed: the Task has the parsed JSON only (JSON.parse is handled there).
    const bytes = decodedBytes(n);
    const bytesOf = bytes && unwrapTs(bytes);
    if (bytesOf?.type === 'MemberExpression' && propName(bytesOf) === 'body') {
      const model = this.evalExprSafe(bytesOf.object);
      if (model?.kind === 'sdk-result' && model.body) throw new LiftFailure(`${this.code(n)}: the Bedrock response body is read other than as JSON.parse of its decoded text (bedrock:invokeModel returns the parsed JSON Body)`, line(n), model.rule);
    }
    const intrinsic = this.intrinsicCall(n);
    if (intrinsic) return { kind: 'value', value: intrinsic };
    const callee = unwrapTs(n.callee);
    // Clients: new X() is handled in NewExpression; factories like DynamoDBDocumentClient.from(...)
    if (callee.type === 'MemberExpression' && propName(callee) === 'from') {
      const base = this.evalExpr(callee.object);
      if (base.kind === 'package') {
        const kind = clientFromFactory(`${base.source}:${[...base.path, 'from'].join('.')}`);
        if (kind) return { kind: 'client', client: kind };
      }
    }
    const calleeEntry = callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression' ? this.calleeMember(callee) : this.evalExpr(callee);
    const args = n.arguments;
    if (calleeEntry.kind === 'global') {
      const name = calleeEntry.path.join('.');
      switch (name) {
        case 'JSON.stringify':
          if (args.length !== 1) throw new LiftFailure('JSON.stringify with a replacer or indentation has no intrinsic equivalent', line(n), 'intrinsic-json', true);
          this.use('intrinsic-json');
          return { kind: 'value', value: foldStringify(this.valueOf(args[0]!)) };
        case 'JSON.parse': {
          if (args.length !== 1) throw new LiftFailure('JSON.parse with a reviver', line(n), 'intrinsic-json', true);
          const payload = this.decodedLambdaPayload(args[0]!);
          if (payload) return { kind: 'value', value: payload };
          this.use('intrinsic-json');
          const v = this.valueOf(args[0]!);
          if (isLiteral(v) && typeof v.value === 'string') return { kind: 'value', value: { kind: 'literal', value: JSON.parse(v.value) as Json } };
          return { kind: 'value', value: { kind: 'json-parse', value: v, type: { kind: 'unknown' } } };
        }
        case 'crypto.randomUUID':
          this.use('intrinsic-uuid');
          return { kind: 'value', value: { kind: 'uuid' } };
        case 'String': {
          const v = this.valueOf(args[0]!);
          if (isLiteral(v)) return { kind: 'value', value: { kind: 'literal', value: String(v.value) } };
          this.use('intrinsic-template-format');
          return { kind: 'value', value: { kind: 'format', quasis: ['', ''], args: [v] } };
        }
        case 'Number': case 'parseInt': case 'parseFloat': {
          const v = this.valueOf(args[0]!);
          if (name === 'parseInt' && !(args[1] && args[1].type === 'NumericLiteral' && args[1].value === 10)) {
            throw new LiftFailure(`parseInt without radix 10 (${this.code(n)})`, line(n), UNSUPPORTED, true);
          }
          const t = typeOfValue(v).kind;
          if (t === 'number') return { kind: 'value', value: v };
          if (t !== 'string') throw new LiftFailure(`${name}() of a value that is not known to be a string`, line(n), UNSUPPORTED, true);
          this.use('intrinsic-json');
          this.assume(line(n), `${this.code(n)} becomes States.StringToJson: a numeric string gives the same number; a non-numeric one fails the execution where the handler got NaN${name === 'parseInt' ? ', and a decimal string keeps its fraction where parseInt would drop it' : ''}`);
          return { kind: 'value', value: { kind: 'json-parse', value: v, type: { kind: 'number' } } };
        }
        case 'Date.now':
          throw new LiftFailure('Date.now(): epoch-millisecond time has no JSONPath equivalent (JSONata: $millis())', line(n), 'intrinsic-timestamp', true);
        default:
          throw new LiftFailure(`${name}(…) has no JSONPath equivalent`, line(n), UNSUPPORTED, true);
      }
    }
    if (calleeEntry.kind === 'package') {
      const qualified = `${calleeEntry.source}:${calleeEntry.path.join('.')}`;
      if (UUID_PACKAGES.has(calleeEntry.source) && ['v4', 'v1', 'default.v4'].includes(calleeEntry.path.join('.'))) {
        this.use('intrinsic-uuid');
        if (calleeEntry.path.join('.').endsWith('v1')) this.assume(line(n), 'uuid v1 is time-based; States.UUID() generates a random (v4) UUID', 'intrinsic-uuid');
        return { kind: 'value', value: { kind: 'uuid' } };
      }
      if (calleeEntry.source === 'crypto' && calleeEntry.path.join('.') === 'randomUUID') {
        this.use('intrinsic-uuid');
        return { kind: 'value', value: { kind: 'uuid' } };
      }
      if ((calleeEntry.source === '@aws-sdk/util-dynamodb' && calleeEntry.path[0] === 'marshall') || qualified === 'aws-sdk:DynamoDB.Converter.marshall') {
        return { kind: 'value', value: { kind: 'marshalled', value: this.valueOf(args[0]!) } };
      }
      if ((calleeEntry.source === '@aws-sdk/util-dynamodb' && calleeEntry.path[0] === 'unmarshall') || qualified === 'aws-sdk:DynamoDB.Converter.unmarshall') {
        const v = this.valueOf(args[0]!);
        if (v.kind === 'ddb' && v.raw && v.path.length === 0 && v.field !== 'Items') return { kind: 'value', value: { ...v, raw: false } };
        throw new LiftFailure(`unmarshall(${this.code(args[0]!)}) of something other than a whole item read in this handler`, line(n), UNSUPPORTED, true);
      }
      throw new LiftFailure(`${calleeEntry.source} ${calleeEntry.path.join('.') || '(module)'}(…) is library code with no Step Functions equivalent`, line(n), UNSUPPORTED, true);
    }
    if (calleeEntry.kind === 'function') return this.inlineHelper(calleeEntry, args, n);
    if (calleeEntry.kind === 'builtin-call') return this.builtinCall(calleeEntry, args, n);
    if (calleeEntry.kind === 'value') {
      // Methods on values: constant folding for literals, a few intrinsics otherwise.
      throw new LiftFailure(`${this.code(n)} has no JSONPath equivalent`, line(n), UNSUPPORTED, true);
    }
    throw new LiftFailure(`call ${this.code(n)} is not understood`, line(n), UNSUPPORTED, true);
  }

  /** `obj.method` as a callee: resolves global/package members and folds methods on constants. */
  private calleeMember(callee: t.MemberExpression | t.OptionalMemberExpression): Entry {
    const name = propName(callee);
    const obj = unwrapTs(callee.object);
    // new Date().toISOString()
    if (name === 'toISOString' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date' && obj.arguments.length === 0) {
      return { kind: 'builtin-call', method: 'iso-now' };
    }
    if (obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date') {
      throw new LiftFailure(`${this.code(callee)}(): time arithmetic and formatting have no JSONPath equivalent (JSONata: $now(), $millis(), $fromMillis())`, line(callee), 'intrinsic-timestamp', true);
    }
    const base = this.evalExpr(callee.object);
    if (name === undefined) throw new LiftFailure(`computed call ${this.code(callee)}`, line(callee), UNSUPPORTED, true);
    if (base.kind === 'value' && isLiteral(base.value)) {
      const lv = base.value.value;
      if (Array.isArray(lv) && name === 'join') return { kind: 'builtin-call', method: 'join', list: lv };
    }
    return this.member1(base, name, callee);
  }

  private builtinCall(fn: Extract<Entry, { kind: 'builtin-call' }>, args: t.Node[], at: t.CallExpression | t.OptionalCallExpression): Entry {
    if (fn.method === 'iso-now') {
      this.use('intrinsic-timestamp');
      this.assume(line(at), 'new Date().toISOString() becomes $$.State.EnteredTime: the time the state that stores it was entered, not the instant of the call', 'intrinsic-timestamp');
      return { kind: 'value', value: { kind: 'now-iso' } };
    }
    const sep = args[0] ? this.valueOf(args[0]) : { kind: 'literal' as const, value: ',' };
    if (!isLiteral(sep)) throw new LiftFailure('join with a computed separator', line(at), UNSUPPORTED, true);
    return { kind: 'value', value: { kind: 'literal', value: fn.list.join(String(sep.value)) } };
  }

  private inlineHelper(fn: Extract<Entry, { kind: 'function' }>, args: t.Node[], at: t.CallExpression | t.OptionalCallExpression): Entry {
    const node = fn.node;
    if (node.async || node.generator) throw new LiftFailure(`helper ${fn.name} is async; only pure synchronous helpers are inlined`, line(at), 'pure-helper-inline');
    if (this.inlineDepth > 4) throw new LiftFailure(`helper ${fn.name} nests too deeply`, line(at), 'pure-helper-inline');
    // A helper body: an expression, or declarations followed by one return.
    let bodyStmts: t.Statement[];
    if (node.body.type === 'BlockStatement') bodyStmts = node.body.body;
    else bodyStmts = [{ type: 'ReturnStatement', argument: node.body, loc: node.body.loc, start: node.body.start, end: node.body.end } as t.ReturnStatement];
    const scope = new Map<string, Entry>();
    node.params.forEach((p, i) => {
      const argVal: ValueExpr = args[i] ? this.valueOf(args[i]!) : { kind: 'undefined' };
      if (p.type === 'Identifier') scope.set(p.name, { kind: 'value', value: argVal });
      else if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') scope.set(p.left.name, { kind: 'value', value: argVal.kind === 'undefined' ? this.valueOf(p.right) : argVal });
      else if (p.type === 'ObjectPattern') for (const b of patternBindings(p)) scope.set(b.name, { kind: 'value', value: this.member(argVal, b.path, p) });
      else throw new LiftFailure(`helper ${fn.name} has a parameter pattern the analyser does not follow`, line(at), 'pure-helper-inline');
    });
    const savedScopes = this.scopes.splice(0);
    this.scopes.push(scope);
    this.moduleStack.push(fn.module);
    this.inlineDepth += 1;
    try {
      for (const s of bodyStmts) {
        if (s.type === 'VariableDeclaration' && s.kind === 'const') {
          for (const d of s.declarations) {
            if (!d.init) continue;
            const v = this.evalExpr(d.init);
            if (v.kind === 'value' && needsStore(v.value)) throw new LiftFailure(`helper ${fn.name} generates values`, line(s), 'pure-helper-inline');
            this.bindPattern(d.id, v, scope, d);
          }
          continue;
        }
        if (s.type === 'ReturnStatement' && s.argument) {
          const r = this.evalExpr(s.argument);
          this.use('pure-helper-inline');
          return r;
        }
        if (s.type === 'IfStatement' || s.type === 'ReturnStatement') {
          throw new LiftFailure(`helper ${fn.name} has control flow the analyser does not inline (line ${line(s)})`, line(at), 'pure-helper-inline');
        }
        throw new LiftFailure(`helper ${fn.name} is not a pure single-expression function (${this.code(s)})`, line(at), 'pure-helper-inline');
      }
      return { kind: 'value', value: { kind: 'undefined' } };
    } catch (e) {
      if (e instanceof LiftFailure && e.rule === UNSUPPORTED) throw new LiftFailure(`in helper ${fn.name} (called at line ${line(at)}): ${e.message}`, e.line || line(at), 'pure-helper-inline', e.residualizable);
      throw e;
    } finally {
      this.inlineDepth -= 1;
      this.moduleStack.pop();
      this.scopes.splice(0, this.scopes.length, ...savedScopes);
    }
  }
}

const ROUTE_FIELDS = new Set(['httpMethod', 'routeKey', 'resource', 'path', 'rawPath', 'requestContext.http.method', 'requestContext.routeKey', 'requestContext.eventType', 'operation', 'action']);

/** Does the condition compare a route field of the event (method, route key, path) with a constant, or test a path parameter (item vs collection)? */
function routesOn(c: Condition): boolean {
  if (c.kind === 'compare') return c.left.kind === 'event' && ROUTE_FIELDS.has(c.left.path.join('.'));
  if (c.kind === 'present' || c.kind === 'truthy') return c.value.kind === 'event' && c.value.path[0] === 'pathParameters';
  if (c.kind === 'and' || c.kind === 'or') return c.items.some(routesOn);
  if (c.kind === 'not') return routesOn(c.item);
  return false;
}

/** A route condition in words: `GET /orders/{id}`, `with pathParameters.id`. */
function routeLabel(c: Condition): string {
  switch (c.kind) {
    case 'compare': return c.op === '==' ? String(c.right) : `${c.left.kind === 'event' ? c.left.path.join('.') : '?'} ${c.op} ${String(c.right)}`;
    case 'present':
    case 'truthy': return `${c.negate ? 'without' : 'with'} ${c.value.kind === 'event' ? c.value.path.join('.') : '?'}`;
    case 'and': return c.items.filter(routesOn).map(routeLabel).join(' ');
    case 'or': return c.items.filter(routesOn).map(routeLabel).join(' | ');
    case 'not': return `not (${routeLabel(c.item)})`;
    default: return '?';
  }
}

const STRING_METHODS = new Set(['toString', 'toISOString', 'toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'replace', 'replaceAll', 'slice', 'substring', 'padStart', 'padEnd', 'join', 'toFixed', 'toDateString', 'toUTCString', 'normalize', 'repeat', 'charAt']);
const NUMBER_METHODS = new Set(['getTime', 'valueOf', 'indexOf', 'lastIndexOf', 'charCodeAt', 'getFullYear', 'getMonth', 'getDate', 'getHours', 'getDay', 'localeCompare']);
const BOOLEAN_METHODS = new Set(['includes', 'startsWith', 'endsWith', 'test', 'some', 'every', 'isArray', 'isInteger', 'isFinite', 'isNaN', 'has']);

/** The JSON type of a computed expression when its form says it (arithmetic → number, .trim() → string, …). */
function residualType(node: t.Node): ValueType {
  const n = unwrapTs(node);
  if (n.type === 'BinaryExpression') {
    if (['-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>'].includes(n.operator)) return { kind: 'number' };
    if (['<', '<=', '>', '>=', '===', '!==', '==', '!=', 'in', 'instanceof'].includes(n.operator)) return { kind: 'boolean' };
    const l = residualType(n.left).kind;
    const r = residualType(n.right).kind;
    if (l === 'string' || r === 'string' || n.left.type === 'StringLiteral' || n.right.type === 'StringLiteral' || n.left.type === 'TemplateLiteral') return { kind: 'string' };
    if (l === 'number' && (r === 'number' || n.right.type === 'NumericLiteral')) return { kind: 'number' };
    return { kind: 'unknown' };
  }
  if (n.type === 'UnaryExpression') return n.operator === '!' ? { kind: 'boolean' } : n.operator === 'typeof' ? { kind: 'string' } : { kind: 'number' };
  if (n.type === 'TemplateLiteral') return { kind: 'string' };
  if (n.type === 'NumericLiteral') return { kind: 'number' };
  if (n.type === 'MemberExpression' && n.property.type === 'Identifier' && n.property.name === 'length') return { kind: 'number' };
  if (n.type === 'CallExpression') {
    const c = n.callee;
    if (c.type === 'Identifier' && ['Number', 'parseInt', 'parseFloat'].includes(c.name)) return { kind: 'number' };
    if (c.type === 'Identifier' && c.name === 'String') return { kind: 'string' };
    if (c.type === 'Identifier' && c.name === 'Boolean') return { kind: 'boolean' };
    if (c.type === 'MemberExpression' && c.property.type === 'Identifier') {
      const m = c.property.name;
      if (c.object.type === 'Identifier' && (c.object.name === 'Math' || (c.object.name === 'Date' && m === 'now'))) return { kind: 'number' };
      if (STRING_METHODS.has(m)) return { kind: 'string' };
      if (NUMBER_METHODS.has(m)) return { kind: 'number' };
      if (BOOLEAN_METHODS.has(m)) return { kind: 'boolean' };
    }
  }
  return { kind: 'unknown' };
}

function foldObject(entries: Array<[string, ValueExpr]>): ValueExpr {
  if (entries.every(([, v]) => isLiteral(v) || v.kind === 'undefined')) {
    const out: Record<string, Json> = {};
    for (const [k, v] of entries) if (isLiteral(v)) out[k] = v.value;
    return { kind: 'literal', value: out };
  }
  return { kind: 'object', entries };
}

function foldStringify(v: ValueExpr): ValueExpr {
  if (isLiteral(v)) return { kind: 'literal', value: JSON.stringify(v.value) };
  if (v.kind === 'undefined') return { kind: 'undefined' };
  return { kind: 'json-stringify', value: v };
}

function looseEquals(a: Json, b: Json, op: string): boolean {
  switch (op) {
    case '===': case '==': return a === b;
    case '!==': case '!=': return a !== b;
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>': return (a as number) > (b as number);
    case '>=': return (a as number) >= (b as number);
    default: return false;
  }
}

/** Static truth value of a condition, when its operands are constants. */
export function foldCondition(c: Condition): boolean | undefined {
  switch (c.kind) {
    case 'and':
      if (c.items.length === 0) return true;
      return c.items.every((i) => foldCondition(i) === true) ? true : c.items.some((i) => foldCondition(i) === false) ? false : undefined;
    case 'or':
      if (c.items.length === 0) return false;
      return c.items.some((i) => foldCondition(i) === true) ? true : c.items.every((i) => foldCondition(i) === false) ? false : undefined;
    case 'not': {
      const f = foldCondition(c.item);
      return f === undefined ? undefined : !f;
    }
    case 'present': case 'truthy': {
      let r: boolean | undefined;
      if (c.value.kind === 'undefined') r = false;
      else if (isLiteral(c.value)) r = c.kind === 'present' ? c.value.value !== null : Boolean(c.value.value);
      else if (['object', 'array', 'uuid', 'now-iso', 'env'].includes(c.value.kind)) r = true;
      return r === undefined ? undefined : c.negate ? !r : r;
    }
    case 'compare':
      if (isLiteral(c.left)) return looseEquals(c.left.value, c.right, c.op);
      return undefined;
    default:
      return undefined;
  }
}

function negate(c: Condition): Condition {
  if (c.kind === 'truthy' || c.kind === 'present' || c.kind === 'typeof') return { ...c, negate: !c.negate };
  if (c.kind === 'not') return c.item;
  if (c.kind === 'and' && c.items.length === 0) return { kind: 'or', items: [] };
  if (c.kind === 'or' && c.items.length === 0) return { kind: 'and', items: [] };
  return { kind: 'not', item: c };
}

/**
 * What @middy/http-json-body-parser does before the handler runs: a 415 UnsupportedMediaTypeError unless the
 * content-type header is JSON (its regex /^application\/(.+\+)?json($|;.+)/ as StringMatches patterns), then the body
 * parsed, base64-decoded first when API Gateway encoded it.
 */
function middyJsonBodyParserSteps(lineNo: number): Step[] {
  const header = (name: string): ValueExpr => ({ kind: 'event', path: ['headers', name], type: { kind: 'string' } });
  const contentType: ValueExpr = { kind: 'coalesce', op: '??', value: { kind: 'coalesce', op: '??', value: header('content-type'), fallback: header('Content-Type') }, fallback: { kind: 'literal', value: '' } };
  const isJson: Condition = { kind: 'or', items: ['application/json', 'application/json;*', 'application/*+json', 'application/*+json;*'].map((pattern) => ({ kind: 'matches' as const, value: contentType, pattern })) };
  const body: ValueExpr = { kind: 'event', path: ['body'], type: { kind: 'string' } };
  const parse = (v: ValueExpr): Step => ({ kind: 'let', name: 'parsedBody', value: { kind: 'json-parse', value: v, type: { kind: 'unknown' } }, line: lineNo });
  return [
    { kind: 'if', test: { kind: 'not', item: isJson }, then: [{ kind: 'throw', error: 'UnsupportedMediaTypeError', cause: 'Unsupported Media Type', line: lineNo }], else: [], line: lineNo },
    {
      kind: 'if',
      test: { kind: 'compare', op: '==', left: { kind: 'event', path: ['isBase64Encoded'], type: { kind: 'boolean' } }, right: true },
      then: [parse({ kind: 'intrinsic', fn: 'States.Base64Decode', args: [body], type: { kind: 'string' } })],
      else: [parse(body)],
      line: lineNo,
    },
  ];
}

/** Table names in TransactItems (`TableName`) or RequestItems (the keys). */
function tableNamesIn(v: ValueExpr): TableRef[] {
  const out: TableRef[] = [];
  const fromValue = (x: ValueExpr) => {
    if (x.kind === 'env') out.push({ name: `\${${x.substitution}}`, key: x.envVar, envVar: x.envVar });
    else if (isLiteral(x) && typeof x.value === 'string') out.push({ name: x.value, key: x.value, literal: x.value });
  };
  const walk = (x: ValueExpr) => {
    if (x.kind === 'array') x.items.forEach(walk);
    if (x.kind === 'object') {
      for (const [k, e] of x.entries) {
        if (k === 'TableName') fromValue(e);
        else if (/^\$\{/.test(k)) out.push({ name: k, key: k.slice(2, -1) });
        else walk(e);
      }
    }
    if (isLiteral(x) && x.value && typeof x.value === 'object') {
      const lit = (j: Json): void => {
        if (Array.isArray(j)) j.forEach(lit);
        else if (j && typeof j === 'object') for (const [k, e] of Object.entries(j)) (k === 'TableName' && typeof e === 'string' ? out.push({ name: e, key: e, literal: e }) : lit(e));
      };
      lit(x.value);
    }
  };
  walk(v);
  return out;
}

function valueKey(v: ValueExpr): string | undefined {
  if (v.kind === 'event') return `event.${v.path.join('.')}`;
  if (v.kind === 'var') return `var.${v.name}.${v.path.join('.')}`;
  if (v.kind === 'ddb') return `ddb.${v.step}.${v.field}.${v.path.join('.')}`;
  return undefined;
}

function fieldType(t: ValueType, p: string): ValueType | undefined {
  if (t.kind === 'object' && t.fields?.[p]) return t.fields[p]!.type;
  return undefined;
}

/** Types API Gateway guarantees for event fields. */
function eventFieldType(path: string[]): ValueType {
  const [a] = path;
  if (path.length === 2 && (a === 'pathParameters' || a === 'queryStringParameters' || a === 'headers' || a === 'stageVariables')) return { kind: 'string' };
  if (path.length === 1 && ['httpMethod', 'resource', 'path', 'rawPath', 'routeKey', 'rawQueryString', 'body', 'version'].includes(a!)) return { kind: 'string' };
  if (path.length === 1 && a === 'isBase64Encoded') return { kind: 'boolean' };
  if (path.join('.') === 'requestContext.http.method' || path.join('.') === 'requestContext.http.path' || (path[0] === 'requestContext' && path[1] === 'authorizer' && path[2] === 'claims' && path.length === 4)) return { kind: 'string' };
  if (path.length === 2 && a === 'requestContext' && ['connectionId', 'routeKey', 'eventType', 'requestId', 'stage', 'domainName', 'apiId', 'accountId', 'resourcePath', 'httpMethod', 'path', 'messageId', 'resourceId'].includes(path[1]!)) return { kind: 'string' };
  if (path.length === 1 && a === 'Records') return { kind: 'array' };
  if (path.length === 1 && ['pathParameters', 'queryStringParameters', 'headers', 'requestContext', 'multiValueHeaders', 'stageVariables'].includes(a!)) return { kind: 'object' };
  return { kind: 'unknown' };
}

function eventSourceFromType(typeText: string): EventSource | undefined {
  if (/APIGatewayProxyEventV2|APIGatewayProxyHandlerV2/.test(typeText)) return 'apigw-http';
  if (/APIGatewayProxyEvent|APIGatewayEvent/.test(typeText)) return 'apigw-rest';
  if (/SQSEvent/.test(typeText)) return 'sqs';
  if (/DynamoDBStreamEvent/.test(typeText)) return 'dynamodb-stream';
  if (/EventBridgeEvent|ScheduledEvent/.test(typeText)) return 'eventbridge';
  return undefined;
}

export { eventSourceFromType };

function terminates(s: t.Statement): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some(terminates);
  if (s.type === 'IfStatement') return !!s.alternate && terminates(s.consequent) && terminates(s.alternate);
  if (s.type === 'ExpressionStatement' && s.expression.type === 'CallExpression' && s.expression.callee.type === 'Identifier' && /^(callback|cb|done|next)$/.test(s.expression.callee.name)) return true;
  if (s.type === 'TryStatement') return terminates(s.block) && (!s.handler || terminates(s.handler.body));
  if (s.type === 'SwitchStatement') return s.cases.some((c) => !c.test) && s.cases.every((c) => c.consequent.some(terminates));
  return false;
}

/** `terminates`, or a jump out of the current pass of a loop (`break`/`continue`): statements after it do not run. */
function leavesBlock(s: t.Statement): boolean {
  if (s.type === 'BreakStatement' || s.type === 'ContinueStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some(leavesBlock);
  if (s.type === 'IfStatement') return !!s.alternate && leavesBlock(s.consequent) && leavesBlock(s.alternate);
  return terminates(s);
}

function pollFailure(stmt: t.Statement, why: string): LiftFailure {
  return new LiftFailure(`polling loop (${stmt.type.replace('Statement', '')} with a sleep): ${why}; if the awaited job can call back, the callback pattern (.waitForTaskToken, Standard workflows only) replaces the polling`, line(stmt), 'sleep-wait');
}


function isConsoleCall(s: t.Statement): boolean {
  return s.type === 'ExpressionStatement' && s.expression.type === 'CallExpression' && s.expression.callee.type === 'MemberExpression' && s.expression.callee.object.type === 'Identifier' && s.expression.callee.object.name === 'console';
}

/** `err.name === 'X'`, `err.code === 'X'`, `err instanceof X`, `err?.name === 'X'`, joined with || → ['X', …]. */
/** Whether an object value has a member at `path`: 'unknown' when a part of it is not written out in the code. */
function objectHasPath(v: ValueExpr, path: string[]): 'yes' | 'no' | 'unknown' {
  if (!path.length) return 'yes';
  const [head, ...rest] = path as [string, ...string[]];
  if (v.kind === 'object') {
    const entry = v.entries.find(([k]) => k === head);
    return entry ? (entry[1].kind === 'undefined' ? 'no' : objectHasPath(entry[1], rest)) : 'no';
  }
  if (v.kind === 'literal') {
    if (!v.value || typeof v.value !== 'object' || Array.isArray(v.value)) return 'no';
    const inner = (v.value as Record<string, Json>)[head];
    return inner === undefined ? 'no' : objectHasPath({ kind: 'literal', value: inner }, rest);
  }
  return 'unknown';
}

/** The bytes `new TextDecoder().decode(b)` or `Buffer.from(b).toString()` (utf-8) decodes to text. */
function decodedBytes(node: t.Node): t.Node | undefined {
  const n = unwrapTs(node);
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return undefined;
  const method = propName(n.callee);
  const obj = unwrapTs(n.callee.object);
  if (method === 'decode' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'TextDecoder' && n.arguments.length === 1) return n.arguments[0];
  if (method === 'toString' && obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && propName(obj.callee) === 'from' && unwrapTs(obj.callee.object).type === 'Identifier' && (unwrapTs(obj.callee.object) as t.Identifier).name === 'Buffer' && obj.arguments.length === 1 && (n.arguments.length === 0 || (n.arguments[0]!.type === 'StringLiteral' && /^utf-?8$/i.test(n.arguments[0].value)))) return obj.arguments[0];
  return undefined;
}

function errorNameTest(test: t.Node, errName: string): string[] | undefined {
  const n = unwrapTs(test);
  if (n.type === 'LogicalExpression' && n.operator === '||') {
    const a = errorNameTest(n.left, errName);
    const b = errorNameTest(n.right, errName);
    return a && b ? [...a, ...b] : undefined;
  }
  if (n.type === 'BinaryExpression' && n.operator === 'instanceof' && n.left.type === 'Identifier' && n.left.name === errName && n.right.type === 'Identifier') return [n.right.name];
  if (n.type === 'BinaryExpression' && (n.operator === '===' || n.operator === '==')) {
    const side = (a: t.Node, b: t.Node) => {
      const m = unwrapTs(a);
      if ((m.type === 'MemberExpression' || m.type === 'OptionalMemberExpression') && m.object.type === 'Identifier' && m.object.name === errName && m.property.type === 'Identifier' && ['name', 'code'].includes(m.property.name) && b.type === 'StringLiteral') return [b.value];
      return undefined;
    };
    return side(n.left, n.right) ?? side(n.right, n.left);
  }
  return undefined;
}

/** A statement that leaves the loop or the handler early (`throw` is allowed: it fails the Map, as it fails the loop). */
function loopEscape(stmts: t.Statement[]): string | undefined {
  return loopJumps(stmts)[0];
}

/** The `return`, `break` and `continue` statements of `stmts` that leave them (not those of nested functions, loops or switches). */
function loopJumps(stmts: t.Statement[]): string[] {
  const found: string[] = [];
  // `break` of a nested loop or switch, and `continue` of a nested loop, stay inside it.
  const visit = (n: unknown, inFunction: boolean, breakStays: boolean, continueStays: boolean): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    if ((node.type === 'ReturnStatement' && !inFunction) || (!inFunction && ((node.type === 'BreakStatement' && !breakStays) || (node.type === 'ContinueStatement' && !continueStays)))) {
      found.push(node.type.replace('Statement', '').toLowerCase());
      return;
    }
    const fn = inFunction || node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ObjectMethod';
    const loop = ['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement'].includes(node.type);
    const b = breakStays || loop || node.type === 'SwitchStatement';
    const c = continueStays || loop;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(v)) v.forEach((x) => visit(x, fn, b, c));
      else if (v && typeof v === 'object' && 'type' in v) visit(v, fn, b, c);
    }
  };
  stmts.forEach((s) => visit(s, false, false, false));
  return found;
}

/** The endpoint with its substitutions, cut at the first run-time value (`*`): for the IAM condition. */
function endpointPattern(url: ValueExpr): string {
  const part = (v: ValueExpr): string | undefined => (v.kind === 'env' ? `\${${v.substitution}}` : v.kind === 'literal' && typeof v.value === 'string' ? v.value : undefined);
  if (url.kind !== 'format') return part(url) ?? '*';
  let out = '';
  for (let i = 0; i < url.quasis.length; i++) {
    out += url.quasis[i]!;
    if (i >= url.args.length) return out;
    const p = part(url.args[i]!);
    if (p === undefined) return `${out}*`;
    out += p;
  }
  return out;
}

/** An axios request as written: `name` says which axios (itself or an instance), `instance` is its axios.create config. */
interface AxiosCall { name: string; at: t.Node; instance?: t.Node; url?: t.Node; method?: string; data?: t.Node; config?: t.Node }

/** A got request as written; `json`: followed by `.json()`. */
interface GotCall { url: t.Node; options?: t.Node; method?: string; at: t.Node; json: boolean }

/** What every HTTP client call comes down to before it becomes an HTTP Task. */
interface HttpRequest {
  client: HttpClient;
  url: ValueExpr;
  /** The URL as the code writes it (for names and messages). */
  urlCode: string;
  method: string;
  /** Header nodes in the order the client merges them (later ones win). */
  headers: Array<[string, t.Node]>;
  body?: ValueExpr;
  /** The client sends a non-string body as JSON with this content-type header (its name as the client writes it), unless the code set one. */
  jsonContentType?: string;
  query?: ValueExpr;
  /** Basic auth given as options (axios auth, got username/password). */
  basic?: { user: t.Node; password: t.Node; at: t.Node };
  /** Headers the client adds on its own (got's accept for JSON answers), unless the code set them. */
  clientHeaders?: Array<[string, string]>;
  at: t.Node;
}

/** `x++`, `++x`, `x += 1`, `x = x + 1` as a statement: the name of x. */
function incrementedCounter(s: t.Statement | undefined): string | undefined {
  return s?.type === 'ExpressionStatement' ? incrementedName(s.expression) : undefined;
}

/** `x++`, `++x`, `x += 1`, `x = x + 1`: the name of x. */
function incrementedName(expr: t.Expression): string | undefined {
  const e = unwrapTs(expr);
  if (e.type === 'UpdateExpression' && e.operator === '++' && e.argument.type === 'Identifier') return e.argument.name;
  if (e.type !== 'AssignmentExpression' || e.left.type !== 'Identifier') return undefined;
  const one = (n: t.Node) => n.type === 'NumericLiteral' && n.value === 1;
  if (e.operator === '+=' && one(e.right)) return e.left.name;
  const r = unwrapTs(e.right);
  const name = e.left.name;
  if (e.operator === '=' && r.type === 'BinaryExpression' && r.operator === '+' && ((r.left.type === 'Identifier' && r.left.name === name && one(r.right)) || (r.right.type === 'Identifier' && r.right.name === name && one(r.left)))) return name;
  return undefined;
}

/** The name of a variable assigned (=, +=, ++) in `stmts` but declared outside them. */
function outerAssignment(stmts: t.Statement[]): string | undefined {
  return outerAssignments(stmts)[0];
}

/** The variables assigned (=, +=, ++) in `stmts` but declared outside them, in order. */
function outerAssignments(stmts: t.Statement[]): string[] {
  const declared = new Set<string>();
  const assigned: string[] = [];
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    if (node.type === 'VariableDeclarator') for (const b of patternBindings(node.id)) declared.add(b.name);
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') assigned.push(node.left.name);
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier') assigned.push(node.argument.name);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && 'type' in v) visit(v);
    }
  };
  stmts.forEach(visit);
  return assigned.filter((a) => !declared.has(a));
}
