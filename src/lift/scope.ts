import type { LiftHooks } from './hooks.js';
import type * as t from '@babel/types';
import { isDynamoClient } from '../analyze/clients.js';
import type { ModuleInfo } from '../analyze/moduleIndex.js';
import { CascadeFailure, LiftFailure, type Entry, type FunctionLike, type LiftOptions, type LiftResult, type PollContext } from './context.js';
import { ruleMessage, type MessageData } from './ruleMessages.js';
import { isServiceClient } from './services/serviceCall.js';
import { keyName, unwrapTs } from './syntax.js';
import { typeFromTsType } from './tsTypes.js';
import type { Condition, Json, Step, ValueExpr, ValueType } from '../model/workflow.js';
import type { NullPartRead } from './nullPartReads.js';

/** A copy of the scopes' values, and of which literals in them may change in place. */
export type ScopeState = Array<Map<string, Entry>> & { literals?: Array<{ own: Set<string>; shared: Set<string> }> };

const GLOBALS = new Set(['JSON', 'Date', 'Math', 'console', 'process', 'crypto', 'Number', 'String', 'Object', 'Array', 'Promise', 'Boolean', 'parseInt', 'parseFloat', 'Buffer', 'encodeURIComponent', 'decodeURIComponent', 'setTimeout', 'fetch']);

function valueKey(v: ValueExpr): string | undefined {
  if (v.kind === 'event') return `event.${v.path.join('.')}`;
  if (v.kind === 'var') return `var.${v.name}.${v.path.join('.')}`;
  if (v.kind === 'ddb') return `ddb.${v.step}.${v.field}.${v.path.join('.')}`;
  return undefined;
}

export abstract class LiftScope {
  abstract evalExpr(node: t.Node): Entry;
  abstract memberEntry(base: Entry, path: string[], at: t.Node): Entry;
  abstract withType(v: ValueExpr, type: ValueType): ValueExpr;

  readonly scopes: Array<Map<string, Entry>> = [];

  readonly moduleStack: ModuleInfo[];

  readonly result: LiftResult;
  /** The rules' hooks (filled by the Lifter once it is built). */
  readonly hooks: LiftHooks[] = [];

  counter = 0;

  readonly pending: Step[] = [];
  /**
   * Per statement being lifted (innermost last): what each `await …` inside an expression gave. An expression may be
   * evaluated more than once (a JSONata alternative, a residual's inputs); its call must run once.
   */
  readonly awaitedValues: Array<Map<t.Node, Entry>> = [];

  /** Event/var paths proven present by a guard that returned early when they were missing. */
  readonly knownPresent = new Set<string>();

  /** Types proven by a guard (`typeof x !== 'number'` → return). */
  readonly knownTypes = new Map<string, ValueType>();

  inlineDepth = 0;

  /** Set while a residual's JSONata alternative is lifted: nothing nested may become a residual of its own. */
  liftingAlternative = false;

  /** Results of Lambda invokes: their Payload is JSON in Step Functions, bytes in the SDK. */
  readonly lambdaResults = new Set<string>();

  /** The loops and switches being lifted, innermost last: what a `break`/`continue` leaves. */
  readonly loopStack: Array<PollContext | { kind: 'switch' | 'Map loop' }> = [];

  /** Try blocks the statements being lifted are in (a throw there is caught by the code, not the end of the run). */
  tryDepth = 0;

  /**
   * Reads inside a try block that throw a TypeError in the handler when the request lacks a part
   * (`event.queryStringParameters.name` with no query string): the catch gets the runtime's message.
   */
  /** Conditional branches (`c ? a : b`, `a || b`) being evaluated: a service call there does not run on every path. */
  branchDepth = 0;

  inBranch<T>(fn: () => T): T {
    this.branchDepth += 1;
    try {
      return fn();
    } finally {
      this.branchDepth -= 1;
    }
  }

  readonly throwingReads: Array<{ line: number; code: string; part: string }> = [];
  /** Such reads outside a try, not yet checked for: the statement that makes them gets the checks (nullPartReads.ts). */
  readonly nullPartReads: NullPartRead[] = [];

  /** Variables holding an inlined helper's value that may be null or missing: why, for the blocker on a field read. */
  readonly nullishResults = new Map<string, string>();

  /** Variables holding JSON.parse of a text that may be null: null then, so reading a field of one throws. */
  readonly nullParsed = new Set<string>();

  noteNullParsed(name: string, value: ValueExpr): void {
    if (value.kind === 'json-parse' && value.nullable) this.nullParsed.add(name);
    else this.nullParsed.delete(name);
  }

  /** The blocks being lifted, innermost last, with the index of the statement at hand. */
  readonly blockStack: Array<{ stmts: t.Statement[]; index: number }> = [];

  /** The declarator of the statement at hand whose init (TS wrappers aside) is `init`, and the code after it in its block. */
  declarationOf(init: t.Node): { id: t.VariableDeclarator['id']; rest: t.Node[] } | undefined {
    const frame = this.blockStack[this.blockStack.length - 1];
    const stmt = frame?.stmts[frame.index];
    if (stmt?.type !== 'VariableDeclaration') return undefined;
    const at = stmt.declarations.findIndex((d) => d.init && unwrapTs(d.init) === init);
    if (at < 0) return undefined;
    return { id: stmt.declarations[at]!.id, rest: [...stmt.declarations.slice(at + 1), ...frame!.stmts.slice(frame!.index + 1)] };
  }

  /**
   * Per scope, the arrays and objects declared there from a literal that nothing has read whole since: only these
   * may change in place (`xs.push(v)`, `o.k = v`), as no other value can hold the same one.
   */
  readonly ownLiterals = new WeakMap<Map<string, Entry>, Set<string>>();

  /** The names of `ownLiterals` read whole since: changing one in place would change what the reader holds too. */
  readonly sharedLiterals = new WeakMap<Map<string, Entry>, Set<string>>();

  /** Set while the object of a field read is evaluated: reading `o.k` does not share `o`. */
  readingField = false;

  withoutSharing<T>(read: () => T): T {
    const was = this.readingField;
    this.readingField = true;
    try {
      return read();
    } finally {
      this.readingField = was;
    }
  }

  /** `name` is read whole (or captured): another value may now hold its array or object, so it no longer changes in place. */
  shareLiteral(name: string): void {
    const scope = this.findScope(name);
    if (!scope || !this.ownLiterals.get(scope)?.delete(name)) return;
    const shared = this.sharedLiterals.get(scope) ?? new Set<string>();
    this.sharedLiterals.set(scope, shared.add(name));
  }

  /** Routes nest (a method switch inside a resource switch): inner routes are named after the outer one. */
  readonly routeStack: string[] = [];

  readonly moduleEntries = new Map<string, Entry | undefined>();

  constructor(readonly opts: LiftOptions) {
    this.moduleStack = [opts.module];
    this.result = {
      steps: [], rules: new Set(), blockers: [], residualBlockers: [], jsonataResolves: new Map(), assumptions: [], substitutions: {}, dynamoCalls: 0, serviceCalls: 0, eventFields: new Set(), routes: [], httpConnections: [],
    };
  }

  get module(): ModuleInfo {
    return this.moduleStack[this.moduleStack.length - 1]!;
  }

  use(rule: string): void {
    this.result.rules.add(rule);
  }

  /** Message `messageId` of rule `ruleId` (a blocker or assumption the core reports for that rule). */
  ruleMessage(ruleId: string, messageId: string, data?: MessageData): string {
    return ruleMessage(this.opts.rules, ruleId, messageId, data);
  }

  assume(lineNo: number, message: string, rule?: string): void {
    if (!this.result.assumptions.some((a) => a.message === message)) this.result.assumptions.push({ line: lineNo, message, rule });
  }

  fresh(base: string): string {
    this.counter += 1;
    return `${base}${this.counter}`;
  }

  code(node: t.Node): string {
    const text = this.module.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }

  block(e: LiftFailure): void {
    if (e instanceof CascadeFailure && this.result.blockers.length) return;
    if (!this.result.blockers.some((b) => b.line === e.line && b.message === e.message)) this.result.blockers.push({ rule: e.rule, line: e.line, message: e.message });
  }

  inTryBody<T>(fn: () => T): T {
    this.tryDepth += 1;
    try {
      return fn();
    } finally {
      this.tryDepth -= 1;
    }
  }

  /** The value of every variable in scope (an assignment replaces its entry, so copying the maps is a snapshot). */
  scopeState(): ScopeState {
    const state: ScopeState = this.scopes.map((scope) => new Map(scope));
    // Which literals may still change in place is part of the state: a branch that returns does not share them for the code after it.
    state.literals = this.scopes.map((scope) => ({ own: new Set(this.ownLiterals.get(scope)), shared: new Set(this.sharedLiterals.get(scope)) }));
    return state;
  }

  restoreScopeState(state: ScopeState): void {
    state.forEach((saved, i) => {
      const scope = this.scopes[i]!;
      scope.clear();
      saved.forEach((entry, name) => scope.set(name, entry));
      const literals = state.literals?.[i];
      if (literals) {
        this.ownLiterals.set(scope, new Set(literals.own));
        this.sharedLiterals.set(scope, new Set(literals.shared));
      }
    });
  }

  /** Variables of the scopes in `state` whose value changed since (assigned in a branch). */
  changedSince(state: Array<Map<string, Entry>>): string[] {
    const names: string[] = [];
    state.forEach((saved, i) => this.scopes[i]!.forEach((entry, name) => {
      if (saved.get(name) !== entry) names.push(name);
    }));
    return names;
  }

  withScope<T>(fn: () => T): T {
    this.scopes.push(new Map());
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  findScope(name: string): Map<string, Entry> | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]!.has(name)) return this.scopes[i];
    return undefined;
  }

  flushPending(): Step[] {
    return this.pending.splice(0);
  }

  lookup(name: string): Entry | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const e = this.scopes[i]!.get(name);
      if (e) return e;
    }
    return this.moduleEntry(this.module, name);
  }

  moduleEntry(mod: ModuleInfo, name: string, depth = 0): Entry | undefined {
    const cacheKey = `${mod.path}\u0000${name}`;
    if (this.moduleEntries.has(cacheKey)) return this.moduleEntries.get(cacheKey);
    this.moduleEntries.set(cacheKey, undefined); // cycle guard
    let entry: Entry | undefined;
    const imp = mod.imports.get(name);
    const b = mod.bindings.get(name);
    if (imp) {
      const target = depth < 5 ? this.opts.index.importTarget(mod, imp.source) : undefined;
      if (target) {
        entry = imp.imported === '*' ? { kind: 'namespace', module: target } : this.exportedEntry(target, imp.imported, depth + 1);
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

  /**
   * What module `mod` exports as `name`: its own export, a re-export (`export { a as name } from`, `export * as name
   * from`), or the export of a module it passes on whole (`export * from`). Undefined when it cannot be followed.
   */
  exportedEntry(mod: ModuleInfo, name: string, depth = 0): Entry | undefined {
    if (depth > 8) return undefined;
    const exported = mod.exports.get(name);
    if (exported) {
      this.moduleStack.push(mod);
      try {
        return exported.node.type === 'Identifier' ? this.moduleEntry(mod, exported.node.name, depth + 1) : this.entryOfNode(exported.node, name);
      } catch {
        return undefined;
      } finally {
        this.moduleStack.pop();
      }
    }
    const re = mod.reexports.get(name);
    if (re) {
      const target = this.opts.index.importTarget(mod, re.source);
      if (!target) return re.source.startsWith('.') ? undefined : { kind: 'package', source: re.source.replace(/^node:/, ''), path: re.imported === '*' || re.imported === 'default' ? [] : [re.imported] };
      return re.imported === '*' ? { kind: 'namespace', module: target } : this.exportedEntry(target, re.imported, depth + 1);
    }
    if (name === 'default') return undefined;
    for (const source of mod.starExports) {
      const target = this.opts.index.importTarget(mod, source);
      const hit = target && this.exportedEntry(target, name, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }

  /**
   * `name.a.b` where `name` is an object literal of functions (`export const repo = { async find(id) {…} }`) in `mod`
   * or imported by it from a project module: the function at that path.
   */
  objectLiteralMethod(mod: ModuleInfo, name: string, path: string[]): Extract<Entry, { kind: 'function' }> | undefined {
    let owner = mod;
    let node: t.Node | undefined;
    const imp = mod.imports.get(name);
    if (imp) {
      const target = this.opts.index.importTarget(mod, imp.source);
      const exported = target && imp.imported !== '*' ? target.exports.get(imp.imported) : undefined;
      if (!target || !exported) return undefined;
      owner = target;
      node = exported.node.type === 'Identifier' ? target.bindings.get(exported.node.name)?.init : exported.node;
    } else {
      const b = mod.bindings.get(name);
      node = b && b.path.length === 0 && b.kind === 'const' ? b.init : undefined;
    }
    const fullName = [name, ...path].join('.');
    for (const [i, key] of path.entries()) {
      const obj = node && unwrapTs(node);
      if (obj?.type !== 'ObjectExpression') return undefined;
      const prop = obj.properties.find((p): p is t.ObjectMethod | t.ObjectProperty => (p.type === 'ObjectMethod' || p.type === 'ObjectProperty') && !p.computed && keyName(p.key) === key);
      if (!prop) return undefined;
      const last = i === path.length - 1;
      if (prop.type === 'ObjectMethod') return last && prop.kind === 'method' ? { kind: 'function', node: prop, module: owner, name: fullName } : undefined;
      const value = unwrapTs(prop.value);
      node = value.type === 'Identifier' ? owner.bindings.get(value.name)?.init : value;
      const fn = node && unwrapTs(node);
      if (last) return fn && (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression' || fn.type === 'FunctionDeclaration') ? { kind: 'function', node: fn, module: owner, name: fullName } : undefined;
    }
    return undefined;
  }

  entryOfNode(node: t.Node, name: string): Entry {
    const n = unwrapTs(node);
    if (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ObjectMethod') return { kind: 'function', node: n, module: this.module, name };
    return this.evalExpr(n);
  }

  eventName(): string | undefined {
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

  /** Lift `fn` with `target` as what a `break` inside it leaves. */
  insideJumpTarget<T>(target: PollContext | 'switch' | 'Map loop', fn: () => T): T {
    this.loopStack.push(typeof target === 'string' ? { kind: target } : target);
    try {
      return fn();
    } finally {
      this.loopStack.pop();
    }
  }

  /** Run `fn` knowing that `test` evaluated to `truth` (values it checks are then present). */
  assuming<T>(test: Condition, truth: boolean, fn: () => T): T {
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

  learnPresent(test: Condition, whenTrueExits: boolean): void {
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

  /** Record that `v` exists on every path from here (what a successful call certainly returns). */
  learnPresentValue(v: ValueExpr): void {
    const k = valueKey(v);
    if (k) this.knownPresent.add(k);
  }

  /** What the left operands of the conditions being lifted prove for their right ones (`!b || !b.name`). */
  private readonly operandFacts: Array<Set<string>> = [];

  /** Run `fn` (an operand's lifting) knowing that `test` evaluated to `truth`, for provenPresent only. */
  guardedBy<T>(test: Condition, truth: boolean, fn: () => T): T {
    const before = new Set(this.knownPresent);
    const beforeTypes = new Map(this.knownTypes);
    this.learnPresent(test, !truth);
    const proven = new Set([...this.knownPresent].filter((k) => !before.has(k)));
    this.knownPresent.clear();
    before.forEach((k) => this.knownPresent.add(k));
    this.knownTypes.clear();
    beforeTypes.forEach((x, k) => this.knownTypes.set(k, x));
    this.operandFacts.push(proven);
    try {
      return fn();
    } finally {
      this.operandFacts.pop();
    }
  }

  /** Present by a guard before, or by the operand that decides whether this one is evaluated. */
  provenPresent(v: ValueExpr): boolean {
    const k = valueKey(v);
    return this.isKnownPresent(v) || (k !== undefined && this.operandFacts.some((f) => f.has(k)));
  }

  isKnownPresent(v: ValueExpr): boolean {
    const k = valueKey(v);
    return k !== undefined && this.knownPresent.has(k);
  }

  /** The value with what guards proved about it: presence and type. */
  refine(v: ValueExpr): ValueExpr {
    const k = valueKey(v);
    if (!k) return v;
    let out = v;
    if (this.knownPresent.has(k) && 'path' in out && (out.kind === 'event' || out.kind === 'var' || out.kind === 'ddb') && !out.present) out = { ...out, present: true };
    const known = this.knownTypes.get(k);
    if (known && (out.kind === 'event' || out.kind === 'var') && out.type.kind === 'unknown') out = { ...out, type: known };
    return out;
  }

  routeName(label: string): string {
    return [...this.routeStack, label].join(' ');
  }

  withRoute<T>(route: string | undefined, fn: () => T): T {
    if (route === undefined) return fn();
    this.routeStack.push(route);
    try {
      return fn();
    } finally {
      this.routeStack.pop();
    }
  }
}

