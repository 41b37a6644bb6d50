import { relative, dirname } from 'node:path';
import type * as t from '@babel/types';
import { type Entry, type FunctionLike, LiftFailure } from '../../src/lift/context.js';
import type { LiftHooks } from '../../src/lift/hooks.js';
import type { Lifter } from '../../src/lift/lifter.js';
import type { RuleContext } from '../../src/lift/ruleMessages.js';
import { isConsoleCall, leavesBlock, line, loopJumps, unwrapTs } from '../../src/lift/syntax.js';
import { foldCondition, isLiteral, needsStore } from '../../src/lift/values/fold.js';
import { typeOfValue } from '../../src/model/valueType.js';
import type { Catcher, Step, ValueExpr, ValueType } from '../../src/model/workflow.js';
import { errorNameTest } from '../try-catch/lift.js';
import { checkDroppedConsoleCalls } from '../logging-drop/lift.js';

export const ID = 'async-helper-inline';

/** Helpers calling helpers: deeper than this is not followed (a blocker says so). */
const MAX_DEPTH = 4;

type FunctionEntry = Extract<Entry, { kind: 'function' }>;

/** What one inlined call is lifting: its callee, and where the callee's `return`s put their value. */
interface InlineContext {
  fn: FunctionEntry;
  /** Model variable every `return` stores its value in, when the callee returns from more than one place and the caller reads the value. */
  resultVar?: string;
  /** The caller reads the value (the call is not an expression statement). */
  valueUsed: boolean;
  returned: ValueExpr[];
  /** Names of stored values are prefixed per call so that two calls (or the caller) never share one. */
  prefix: string;
}

const returnsIn = (stmts: t.Statement[]): boolean => loopJumps(stmts).includes('return');

/** A `return` other than the callee's last statement. */
function hasEarlyReturn(body: t.Statement[]): boolean {
  const last = body[body.length - 1];
  return returnsIn(last?.type === 'ReturnStatement' ? body.slice(0, -1) : body);
}

const asList = (s: t.Statement | null | undefined): t.Statement[] => (!s ? [] : s.type === 'BlockStatement' ? s.body : [s]);

/** Values that are never `undefined` at run time (a default parameter would not apply). */
function definitelyDefined(v: ValueExpr): boolean {
  return isLiteral(v) || ['object', 'array', 'format', 'json-stringify', 'uuid', 'now-iso', 'env'].includes(v.kind) || ((v.kind === 'event' || v.kind === 'var' || v.kind === 'ddb') && v.present === true);
}

/**
 * The type of a value that one of several `return`s gave: null beside objects (or lists) is still read as
 * present-and-not-null by a truthiness test, so it keeps the object type; any other mix is unknown.
 */
function mergedType(values: ValueExpr[]): ValueType {
  const types = values.map(typeOfValue);
  const nonNull = types.filter((x) => x.kind !== 'null');
  const first = nonNull[0];
  if (!first) return { kind: 'null' };
  if (nonNull.some((x) => x.kind !== first.kind)) return { kind: 'unknown' };
  if (nonNull.length === types.length) return nonNull.length === 1 ? first : { kind: first.kind } as ValueType;
  return first.kind === 'object' || first.kind === 'array' ? { kind: first.kind } : { kind: 'unknown' };
}

export class AsyncHelperInlining implements LiftHooks {
  /** The callees being inlined, outermost first (recursion guard). */
  private readonly active: FunctionLike[] = [];

  constructor(readonly lx: Lifter, readonly rule: RuleContext) {}

  // ------------------------------------------------------------------ hooks

  liftDeclaration(d: t.VariableDeclarator, init: t.Node, out: Step[]): boolean {
    const h = this.awaitedHelper(init);
    if (!h) {
      if (init.type === 'AwaitExpression') this.refuseConcurrent(init);
      return false;
    }
    const entry = this.stored(this.inline(h.fn, h.call, out, true), d.id.type === 'Identifier' ? d.id.name : undefined, out, d);
    this.lx.bindPattern(d.id, entry, this.lx.scopes[this.lx.scopes.length - 1]!, d);
    return true;
  }

  liftAwaitedValue(e: t.AwaitExpression, out: Step[]): Entry | undefined {
    const h = this.awaitedHelper(e);
    return h ? this.stored(this.inline(h.fn, h.call, out, true), undefined, out, e) : undefined;
  }

  /** A value generated when it is evaluated (a UUID, the time) is stored once, as the code computes it once. */
  private stored(entry: Entry, name: string | undefined, out: Step[], at: t.Node): Entry {
    if (entry.kind !== 'value' || !needsStore(entry.value)) return entry;
    const stored = name ?? this.lx.fresh('value');
    out.push(...this.lx.flushPending(), { kind: 'let', name: stored, value: entry.value, line: line(at) });
    return { kind: 'value', value: { kind: 'var', name: stored, path: [], type: typeOfValue(entry.value) } };
  }

  liftExpression(e: t.Node, out: Step[]): boolean {
    const h = this.awaitedHelper(e);
    if (h) {
      this.inline(h.fn, h.call, out, false);
      return true;
    }
    if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier') {
      const assigned = this.awaitedHelper(e.right);
      if (!assigned) return false;
      const target = this.lx.findScope(e.left.name);
      if (!target) throw new LiftFailure(`assignment to ${e.left.name}, which is not a local variable`, line(e));
      target.set(e.left.name, this.stored(this.inline(assigned.fn, assigned.call, out, true), e.left.name, out, e));
      return true;
    }
    if (e.type === 'CallExpression') {
      const fn = this.calleeFunction(e);
      if (fn?.node.async) throw new LiftFailure(`${fn.name}(…) is not awaited: the async helper would run alongside the rest of the handler, in an order the state machine cannot reproduce`, line(e), ID);
    }
    if (e.type === 'AwaitExpression') this.refuseConcurrent(e);
    return false;
  }

  private refuseConcurrent(e: t.AwaitExpression): void {
    const helpers = this.concurrentHelpers(e.argument);
    if (helpers.length) throw new LiftFailure(`${helpers.join(', ')} run concurrently (${this.lx.code(e.argument)}): the order of their effects is not fixed, so they are not inlined`, line(e), ID);
  }

  /** `return await f(…)` / `return f(…)` of a helper: its steps, then the return of its value (one folded Choice branch holds both). */
  liftReturn(arg: t.Node): Step | undefined {
    const h = this.awaitedHelper(arg) ?? this.promiseOfHelper(arg);
    if (!h) return undefined;
    const steps: Step[] = [];
    const entry = this.inline(h.fn, h.call, steps, true);
    if (entry.kind !== 'value') throw new LiftFailure(`the handler returns what ${h.fn.name}(…) returns, a raw service result (it carries SDK metadata); not converted`, line(arg), ID);
    if (entry.value.kind === 'object' && entry.value.entries.some(([k]) => k === 'statusCode')) this.lx.use('proxy-response');
    steps.push(...this.lx.flushPending(), { kind: 'return', value: entry.value, line: line(arg) });
    return { kind: 'if', test: { kind: 'and', items: [] }, then: steps, else: [], line: line(arg) };
  }

  // ------------------------------------------------------------------ recognising helper calls

  /** `await f(…)` where f is a project function. */
  private awaitedHelper(node: t.Node): { fn: FunctionEntry; call: t.CallExpression } | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const c = unwrapTs(n.argument);
    if (c.type !== 'CallExpression') return undefined;
    const fn = this.calleeFunction(c);
    return fn ? { fn, call: c } : undefined;
  }

  /** `f(…)` of an async project function, not awaited: what `return f(…)` of an async handler awaits. */
  private promiseOfHelper(node: t.Node): { fn: FunctionEntry; call: t.CallExpression } | undefined {
    const c = unwrapTs(node);
    if (c.type !== 'CallExpression') return undefined;
    const fn = this.calleeFunction(c);
    return fn?.node.async ? { fn, call: c } : undefined;
  }

  private calleeFunction(c: t.CallExpression): FunctionEntry | undefined {
    const callee = unwrapTs(c.callee);
    if (callee.type !== 'Identifier' && callee.type !== 'MemberExpression') return undefined;
    if (this.lx.sdkCall(c)) return undefined;
    let e: Entry | undefined;
    try {
      e = callee.type === 'Identifier' ? this.lx.lookup(callee.name) : this.lx.evalExpr(callee);
    } catch {
      e = undefined;
    }
    if (e?.kind === 'function') return e;
    if (callee.type !== 'MemberExpression') return undefined;
    const path: string[] = [];
    let n: t.Node = callee;
    while (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') {
      path.unshift(n.property.name);
      n = unwrapTs(n.object);
    }
    return n.type === 'Identifier' && !this.lx.findScope(n.name) ? this.lx.objectLiteralMethod(this.lx.module, n.name, path) : undefined;
  }

  /** Helpers called inside `Promise.all([...])` / `Promise.allSettled(...)`: names, for the blocker. */
  private concurrentHelpers(node: t.Node): string[] {
    const n = unwrapTs(node);
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || unwrapTs(n.callee.object).type !== 'Identifier' || (unwrapTs(n.callee.object) as t.Identifier).name !== 'Promise') return [];
    // Only a list written out: `Promise.all(items.map(…))` is a Map loop (rule map-loop).
    if (!n.arguments.every((a) => unwrapTs(a).type === 'ArrayExpression')) return [];
    const names: string[] = [];
    const visit = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const node2 = x as t.Node;
      if (node2.type === 'CallExpression') {
        const fn = this.calleeFunction(node2);
        if (fn) names.push(`${fn.name}(…)`);
      }
      for (const [k, v] of Object.entries(node2)) {
        if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
        if (Array.isArray(v)) v.forEach(visit);
        else if (v && typeof v === 'object' && 'type' in v) visit(v);
      }
    };
    n.arguments.forEach(visit);
    return [...new Set(names)];
  }

  // ------------------------------------------------------------------ inlining

  /** Lift the callee's statements into `out` with its parameters bound to the arguments; the call's value. */
  inline(fn: FunctionEntry, call: t.CallExpression, out: Step[], valueUsed: boolean): Entry {
    const node = fn.node;
    if (this.active.includes(node)) throw this.rule.failure('recursion', call, { name: fn.name });
    if (this.lx.inlineDepth >= MAX_DEPTH) throw new LiftFailure(`helper ${fn.name} is called ${MAX_DEPTH} helpers deep; the analyser does not inline deeper`, line(call), ID);
    if (node.generator) throw new LiftFailure(`helper ${fn.name} is a generator`, line(call), ID);
    const clean = fn.name.replace(/[^A-Za-z0-9]/g, '') || 'helper';
    // Arguments are evaluated in the caller, in order, once: a generated value (uuid, time) is stored first.
    const args = call.arguments.map((a, i) => {
      if (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder') throw new LiftFailure(`spread argument in ${this.lx.code(call)}`, line(call), ID);
      let entry = this.lx.evalExpr(a);
      if (entry.kind === 'value' && needsStore(entry.value)) {
        const name = this.lx.fresh(`${clean}Arg${i + 1}_`);
        out.push(...this.lx.flushPending(), { kind: 'let', name, value: entry.value, line: line(a) });
        entry = { kind: 'value', value: { kind: 'var', name, path: [], type: typeOfValue(entry.value) } };
      }
      return entry;
    });
    const body: t.Statement[] = node.body.type === 'BlockStatement' ? node.body.body : [{ type: 'ReturnStatement', argument: node.body, loc: node.body.loc, start: node.body.start, end: node.body.end } as t.ReturnStatement];
    const early = hasEarlyReturn(body);
    const ctx: InlineContext = { fn, valueUsed, returned: [], prefix: `${this.lx.fresh(clean)}_`, ...(early && valueUsed ? { resultVar: this.lx.fresh(`${clean}Result`) } : {}) };
    // A function written inside the caller sees the caller's variables (a closure); any other sees only its module.
    const closure = fn.module === this.lx.module && this.isNested(fn);
    const savedScopes = closure ? [...this.lx.scopes] : this.lx.scopes.splice(0);
    const scope = new Map<string, Entry>();
    this.lx.scopes.push(scope);
    this.lx.moduleStack.push(fn.module);
    this.lx.inlineDepth += 1;
    this.active.push(node);
    const blockersBefore = this.lx.result.blockers.length;
    const assumptionsBefore = this.lx.result.assumptions.length;
    try {
      node.params.forEach((p, i) => this.bindParam(p, args[i], scope, ctx));
      const value = this.block(body, out, ctx);
      this.lx.use(ID);
      if (ctx.resultVar) {
        // null returned, or a value stored only when present: the call's value may be nullish.
        const nullish = ctx.returned.find((v) => (isLiteral(v) && v.value === null) || ((v.kind === 'ddb' || v.kind === 'event' || v.kind === 'var') && !v.present && !(v.kind === 'event' && v.path.length === 0)));
        if (nullish) this.lx.nullishResults.set(ctx.resultVar, `${fn.name}(…) may return ${isLiteral(nullish) ? 'null' : nullish.kind === 'ddb' ? 'undefined (no item)' : 'undefined (a missing value)'}`);
      }
      if (ctx.resultVar) return { kind: 'value', value: { kind: 'var', name: ctx.resultVar, path: [], type: mergedType(ctx.returned) } };
      return value ?? { kind: 'value', value: { kind: 'undefined' } };
    } catch (e) {
      if (e instanceof LiftFailure) throw this.located(e, fn, call);
      throw e;
    } finally {
      // What the callee's lines caused is reported at the call, naming the callee and its line.
      const blockers = this.lx.result.blockers;
      for (let i = blockersBefore; i < blockers.length; i++) {
        const b = blockers[i]!;
        blockers[i] = { ...b, line: line(call), message: this.where(fn, b.line, b.message) };
      }
      for (let i = assumptionsBefore; i < this.lx.result.assumptions.length; i++) {
        const a = this.lx.result.assumptions[i]!;
        if (fn.module !== this.lx.opts.module) this.lx.result.assumptions[i] = { ...a, line: line(call), message: this.where(fn, a.line, a.message) };
      }
      this.active.pop();
      this.lx.inlineDepth -= 1;
      this.lx.moduleStack.pop();
      this.lx.scopes.splice(0, this.lx.scopes.length, ...savedScopes);
    }
  }

  /** Not a top-level function of its module (nor a method of a top-level object): declared inside another function. */
  private isNested(fn: FunctionEntry): boolean {
    const top = fn.module.ast.program.body;
    const start = fn.node.start ?? 0;
    const end = fn.node.end ?? 0;
    for (const stmt of top) {
      if ((stmt.start ?? 0) > start || (stmt.end ?? 0) < end) continue;
      // The statement holding the function: nested when a function of that statement other than fn encloses it.
      let nested = false;
      const visit = (x: unknown, inFunction: boolean): void => {
        if (nested || !x || typeof x !== 'object') return;
        const node = x as t.Node;
        if (node === fn.node) {
          nested = inFunction;
          return;
        }
        if ((node.start ?? 0) > start || (node.end ?? 0) < end) return;
        const isFn = node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ObjectMethod' || node.type === 'ClassMethod';
        for (const [k, v] of Object.entries(node)) {
          if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
          if (Array.isArray(v)) v.forEach((y) => visit(y, inFunction || isFn));
          else if (v && typeof v === 'object' && 'type' in v) visit(v, inFunction || isFn);
        }
      };
      visit(stmt, false);
      return nested;
    }
    return false;
  }

  private where(fn: FunctionEntry, at: number, message: string): string {
    const file = relative(dirname(this.lx.opts.module.path), fn.module.path) || fn.module.path;
    return `in ${fn.name} (${file}:${at}): ${message}`;
  }

  private located(e: LiftFailure, fn: FunctionEntry, call: t.Node): LiftFailure {
    return new LiftFailure(this.where(fn, e.line, e.message), line(call), e.rule);
  }

  private bindParam(p: t.Node, arg: Entry | undefined, scope: Map<string, Entry>, ctx: InlineContext): void {
    const undef: Entry = { kind: 'value', value: { kind: 'undefined' } };
    if (p.type === 'Identifier') {
      scope.set(p.name, arg ?? undef);
      return;
    }
    if (p.type === 'AssignmentPattern') {
      const missing = !arg || (arg.kind === 'value' && arg.value.kind === 'undefined');
      if (!missing && !(arg.kind !== 'value' || definitelyDefined(arg.value))) throw new LiftFailure(`parameter ${this.lx.code(p)} of ${ctx.fn.name} has a default, and the argument may be undefined at run time`, line(p), ID);
      this.lx.bindPattern(p.left, missing ? this.lx.evalExpr(p.right) : arg, scope, p);
      return;
    }
    if (p.type === 'ObjectPattern' || p.type === 'ArrayPattern') {
      this.lx.bindPattern(p, arg ?? undef, scope, p);
      return;
    }
    throw new LiftFailure(`parameter ${this.lx.code(p)} of ${ctx.fn.name} is a pattern the analyser does not follow`, line(p), ID);
  }

  /**
   * The callee's statements, in order. A `return` ends the path: its value is the call's value, or is stored in the
   * result variable when the callee returns from several places. An `if` or `try` that returns takes the statements
   * after it into the branch that goes on, so every path ends in one branch.
   */
  private block(stmts: t.Statement[], out: Step[], ctx: InlineContext): Entry | undefined {
    const value = this.blockBody(stmts, out, ctx);
    // As at the end of any block: a rule may require what follows (an HTTP status check).
    for (const h of this.lx.hooks) h.beforeStatement?.(undefined);
    return value;
  }

  private blockBody(stmts: t.Statement[], out: Step[], ctx: InlineContext): Entry | undefined {
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      const rest = stmts.slice(i + 1);
      for (const h of this.lx.hooks) h.beforeStatement?.(s);
      if (s.type === 'ReturnStatement') return this.returnValue(s, out, ctx);
      if (s.type === 'IfStatement' && returnsIn([s])) {
        this.ifThatReturns(s, rest, out, ctx);
        return undefined;
      }
      if (s.type === 'TryStatement' && returnsIn([s])) {
        this.tryThatReturns(s, rest, out, ctx);
        return undefined;
      }
      if (s.type === 'BlockStatement' && returnsIn([s])) {
        this.lx.withScope(() => this.block([...s.body, ...rest], out, ctx));
        return undefined;
      }
      if (returnsIn([s])) {
        const what = s.type === 'SwitchStatement' ? 'a switch' : /For|While/.test(s.type) ? 'a loop' : `a ${s.type}`;
        throw new LiftFailure(`return inside ${what}: the call's value depends on where it returns, which the analyser does not inline`, line(s), ID);
      }
      if (s.type === 'VariableDeclaration') for (const d of s.declarations) this.declare(d, out, ctx);
      else this.lx.liftStatement(s, out);
      out.push(...this.lx.flushPending());
      if (leavesBlock(s)) return undefined;
    }
    if (ctx.resultVar) throw new LiftFailure(`${ctx.fn.name} ends without a return on one path and returns a value on another; not converted`, line(stmts[stmts.length - 1] ?? ctx.fn.node), ID);
    return undefined;
  }

  /** `const x = …` in the callee: a stored value gets a name of its own, so that it never overwrites the caller's. */
  private declare(d: t.VariableDeclarator, out: Step[], ctx: InlineContext): void {
    if (d.id.type !== 'Identifier') {
      this.lx.liftDeclarator(d, out);
      return;
    }
    const original = d.id.name;
    const renamed = `${ctx.prefix}${original}`;
    this.lx.liftDeclarator({ ...d, id: { ...d.id, name: renamed } }, out);
    const scope = this.lx.scopes[this.lx.scopes.length - 1]!;
    const entry = scope.get(renamed);
    scope.delete(renamed);
    if (entry) scope.set(original, entry);
  }

  private returnValue(s: t.ReturnStatement, out: Step[], ctx: InlineContext): Entry | undefined {
    let entry: Entry = { kind: 'value', value: { kind: 'undefined' } };
    if (s.argument) {
      const arg = unwrapTs(s.argument);
      const helper = this.awaitedHelper(arg) ?? this.promiseOfHelper(arg);
      const call = helper ? undefined : this.lx.sdkCall(arg);
      if (helper) entry = this.inline(helper.fn, helper.call, out, ctx.valueUsed);
      else if (call) entry = this.lx.liftSdkCall(call, out, arg);
      else entry = this.lx.evalExpr(arg);
      out.push(...this.lx.flushPending());
    }
    if (!ctx.resultVar) return entry;
    if (entry.kind !== 'value') throw new LiftFailure(`${ctx.fn.name} returns ${s.argument ? this.lx.code(s.argument) : 'nothing'} at line ${line(s)} and returns early elsewhere: only a plain value can be stored as the call's value`, line(s), ID);
    if (entry.value.kind === 'undefined') throw new LiftFailure(`${ctx.fn.name} returns undefined on one path and a value on another; not converted`, line(s), ID);
    const v = entry.value;
    ctx.returned.push(v);
    // A value read from the event, a result or a stored variable may be missing (no Item): it is stored only when
    // present, so the variable stays missing like the code's `undefined` (a later read of it fails, as the code's does).
    if ((v.kind === 'ddb' || v.kind === 'event' || v.kind === 'var') && !v.present && !(v.kind === 'event' && v.path.length === 0)) {
      out.push({ kind: 'if', test: { kind: 'present', value: v }, then: [{ kind: 'let', name: ctx.resultVar, value: { ...v, present: true }, line: line(s) }], else: [], line: line(s) });
    } else out.push({ kind: 'let', name: ctx.resultVar, value: v, line: line(s) });
    return undefined;
  }

  private ifThatReturns(s: t.IfStatement, rest: t.Statement[], out: Step[], ctx: InlineContext): void {
    const test = this.lx.liftCondition(s.test);
    const thenStmts = asList(s.consequent);
    const elseStmts = asList(s.alternate);
    const thenBody = thenStmts.some(leavesBlock) ? thenStmts : [...thenStmts, ...rest];
    const elseBody = elseStmts.some(leavesBlock) ? elseStmts : [...elseStmts, ...rest];
    const folded = foldCondition(test);
    if (folded !== undefined) {
      this.lx.withScope(() => this.block(folded ? thenBody : elseBody, out, ctx));
      return;
    }
    this.lx.use('guard-choice');
    out.push(...this.lx.flushPending());
    const before = this.lx.scopeState();
    const thenSteps: Step[] = [];
    const elseSteps: Step[] = [];
    this.lx.assuming(test, true, () => this.lx.withScope(() => this.block(thenBody, thenSteps, ctx)));
    this.lx.restoreScopeState(before);
    this.lx.assuming(test, false, () => this.lx.withScope(() => this.block(elseBody, elseSteps, ctx)));
    this.lx.restoreScopeState(before);
    out.push({ kind: 'if', test, then: thenSteps, else: elseSteps, line: line(s) });
  }

  /**
   * A try that returns: its body, then one catcher per leading `if (err.name === 'X') …` of the catch and one for the
   * rest (all errors), each going on with the statements after the try when it does not end itself.
   */
  private tryThatReturns(s: t.TryStatement, rest: t.Statement[], out: Step[], ctx: InlineContext): void {
    if (s.finalizer) throw new LiftFailure('try/finally has no Step Functions equivalent', line(s.finalizer), 'try-catch');
    const bodyEnds = s.block.body.some(leavesBlock);
    if (!bodyEnds && rest.length) throw new LiftFailure(`${ctx.fn.name} returns inside a try whose body goes on after it; not converted`, line(s), ID);
    this.lx.use('try-catch');
    out.push(...this.lx.flushPending());
    const before = this.lx.scopeState();
    const body: Step[] = [];
    this.lx.inTryBody(() => this.lx.withScope(() => this.block(s.block.body, body, ctx)));
    const handler = s.handler;
    if (!handler) {
      out.push(...body);
      return;
    }
    const errName = handler.param?.type === 'Identifier' ? handler.param.name : undefined;
    if (handler.param && !errName) throw new LiftFailure('catch with a destructured error', line(handler), 'try-catch');
    const stmts = handler.body.body.filter((x) => !isConsoleCall(x));
    checkDroppedConsoleCalls(handler.body.body, this.lx, errName ? [errName] : []);
    if (stmts.length !== handler.body.body.length) this.lx.assume(line(handler), 'console logging is dropped: Step Functions records each state\'s input and output in the execution history (enable logging on the state machine to keep it in CloudWatch)');
    const catchers: Catcher[] = [];
    const liftCatcher = (c: t.Statement[]): Step[] => {
      this.lx.restoreScopeState(before);
      const steps: Step[] = [];
      this.lx.withScope(() => this.block(c.some(leavesBlock) ? c : [...c, ...rest], steps, ctx));
      return steps;
    };
    let i = 0;
    for (; i < stmts.length && errName; i++) {
      const x = stmts[i]!;
      const names = x.type === 'IfStatement' && !x.alternate ? errorNameTest(x.test, errName) : undefined;
      if (!names) break;
      catchers.push({ errors: names, body: liftCatcher(asList((x as t.IfStatement).consequent)) });
    }
    const tail = stmts.slice(i);
    const rethrows = tail.length === 1 && tail[0]!.type === 'ThrowStatement' && unwrapTs(tail[0].argument).type === 'Identifier' && (unwrapTs(tail[0].argument) as t.Identifier).name === errName;
    if (!rethrows) {
      if (errName && tail.some((x) => new RegExp(`\\b${errName}\\b`).test(this.lx.module.text.slice(x.start ?? 0, x.end ?? 0)))) {
        throw new LiftFailure(`the catch at line ${line(handler)} reads the error ${errName}; Step Functions passes a different error object, so it is not converted`, line(handler), 'try-catch');
      }
      catchers.push({ errors: ['*'], body: liftCatcher(tail) });
    }
    this.lx.restoreScopeState(before);
    out.push(catchers.length ? { kind: 'try', body, catchers, line: line(s) } : { kind: 'if', test: { kind: 'and', items: [] }, then: body, else: [], line: line(s) });
  }
}
