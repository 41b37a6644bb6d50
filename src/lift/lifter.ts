import { duplicateTails } from './tailDuplication.js';
import { nullPartChecks } from './nullPartReads.js';
import { paginationLoop } from './paginationLoop.js';
import type * as t from '@babel/types';
import type { SdkCallShape } from './services/dynamoCall.js';
import { patternBindings } from '../analyze/moduleIndex.js';
import { typeOfValue } from '../model/valueType.js';
import type { Condition, Json, Step, ValueExpr } from '../model/workflow.js';
import { type Entry, type FunctionLike, LiftFailure, type LiftOptions, type LiftResult, UNSUPPORTED } from './context.js';
import { ruleContext } from './ruleMessages.js';
import { LiftServiceCalls } from './serviceCalls.js';
import { constAssignments, leavesBlock, line, propName, terminates, unwrapTs } from './syntax.js';
import { typeFromTsType } from './tsTypes.js';
import { isDefinedNumber } from './values/arithmetic.js';
import { eventSourceFromType, foldCondition, isLiteral, needsStore, ROUTE_FIELDS, routesOn } from './values/fold.js';

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


/** The variable a computed value is stored in; a number that is never missing stays known as one. */
function storedVar(name: string, value: ValueExpr): ValueExpr {
  return { kind: 'var', name, path: [], type: typeOfValue(value), ...(isDefinedNumber(value) ? { present: true } : {}) };
}

export class Lifter extends LiftServiceCalls {
  constructor(opts: LiftOptions) {
    super(opts);
    // The rules' hooks, in the order of the rule list: the first that lifts a construct wins.
    for (const rule of opts.rules) if (rule.create) this.hooks.push(rule.create(this, ruleContext(rule.meta)));
  }

  /** A statement a rule lifts itself (an HTTP check, a Map or polling loop): true when one did. */
  askRules(stmt: t.Statement, out: Step[]): boolean {
    return this.hooks.some((h) => h.liftStatement?.(stmt, out) ?? false);
  }

  liftHandler(fn: FunctionLike): LiftResult {
    const scope = new Map<string, Entry>();
    this.scopes.push(scope);
    const [eventParam, contextParam] = fn.params;
    try {
      if (eventParam) this.bindParam(eventParam, { kind: 'value', value: { kind: 'event', path: [], type: { kind: 'object' } } }, scope);
    } catch (e) {
      if (!(e instanceof LiftFailure)) throw e;
      this.block(e);
    }
    const constant = constAssignments(fn)[0];
    if (constant) this.block(new LiftFailure(`${constant.name} is declared const: assigning it at line ${constant.line} throws a TypeError there, which the analyser does not reproduce`, constant.line));
    if (contextParam?.type === 'Identifier') scope.set(contextParam.name, { kind: 'context' });
    if (eventParam?.type === 'Identifier' && eventParam.typeAnnotation?.type === 'TSTypeAnnotation') {
      this.result.eventSourceHint = eventSourceFromType(this.code(eventParam.typeAnnotation.typeAnnotation));
    }
    const pre: Step[] = [];
    for (const h of this.hooks) pre.push(...(h.enterHandler?.(fn, scope) ?? []));
    try {
      if (fn.body.type === 'BlockStatement') this.result.steps = [...pre, ...this.liftBlock(fn.body.body)];
      else this.result.steps = [...pre, this.returnStep(fn.body)];
    } catch (e) {
      if (!(e instanceof LiftFailure)) throw e;
      this.block(e);
    }
    return this.result;
  }

  liftBlock(stmts: t.Statement[]): Step[] {
    const frame = { stmts: duplicateTails(stmts), index: 0 };
    this.blockStack.push(frame);
    try {
      return this.liftFrame(frame);
    } finally {
      this.blockStack.pop();
    }
  }

  private liftFrame(frame: { stmts: t.Statement[]; index: number }): Step[] {
    const out: Step[] = [];
    for (; frame.index < frame.stmts.length; frame.index++) {
      const stmt = frame.stmts[frame.index]!;
      const at = out.length;
      const reads = this.nullPartReads.length;
      try {
        for (const h of this.hooks) h.beforeStatement?.(stmt);
        this.awaitedValues.push(new Map());
        try {
          this.liftStatement(stmt, out);
        } finally {
          this.awaitedValues.pop();
        }
        const checks = nullPartChecks(stmt, this.nullPartReads.splice(reads));
        out.splice(at, 0, ...checks);
        for (const c of checks) if (c.kind === 'if' && c.test.kind === 'present') this.learnPresentValue(c.test.value);
      } catch (e) {
        this.nullPartReads.splice(reads);
        if (!(e instanceof LiftFailure)) throw e;
        this.block(e);
        // What the statement declares is unknown from here on: reading it repeats this blocker, not a new one.
        if (stmt.type === 'VariableDeclaration') {
          const scope = this.scopes[this.scopes.length - 1]!;
          for (const d of stmt.declarations) for (const b of patternBindings(d.id)) if (!scope.has(b.name)) scope.set(b.name, { kind: 'blocked', line: e.line });
        }
      }
      out.push(...this.pending.splice(0));
      if (leavesBlock(stmt)) break;
    }
    try {
      for (const h of this.hooks) h.beforeStatement?.(undefined);
    } catch (e) {
      if (!(e instanceof LiftFailure)) throw e;
      this.block(e);
    }
    return out;
  }

  liftStatement(stmt: t.Statement, out: Step[]): void {
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
        if (this.askRules(stmt, out)) return;
        out.push(this.liftIf(stmt));
        return;
      }
      case 'SwitchStatement':
        out.push(this.insideJumpTarget('switch', () => this.liftSwitch(stmt)));
        return;
      case 'TryStatement':
        if (this.askRules(stmt, out)) return;
        throw new LiftFailure('try statement: no rule lifts it', line(stmt));
      case 'ThrowStatement':
        if (this.askRules(stmt, out)) return;
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
        if (this.askRules(stmt, out)) return;
        throw new LiftFailure(`loop (${stmt.type.replace('Statement', '')}) is not converted yet: it needs a Map state or a Choice loop`, line(stmt));
      }
      default:
        throw new LiftFailure(`statement ${this.code(stmt)} is not understood`, line(stmt));
    }
  }

  /**
   * `break` / `continue` of the polling loop being lifted: the values the loop carries are stored first (as at the end
   * of a pass), so the test and the code after the loop read what the code would.
   */
  liftLoopExit(stmt: t.BreakStatement | t.ContinueStatement, out: Step[]): void {
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

  /**
   * A service call in a statement of its own must be awaited: otherwise the handler goes on (and reads a Promise)
   * before the call is done, and its failure is not the handler's. A v2 call without .promise() is the callback
   * form, which the rules check themselves.
   */
  requireAwaited(node: t.Node, call: SdkCallShape): void {
    if (unwrapTs(node).type === 'AwaitExpression' || (call.client.startsWith('v2') && !call.promise)) return;
    throw new LiftFailure(`${this.code(node)} is not awaited: the handler goes on before the call is done, and a state machine's Task always waits for it`, line(node));
  }

  liftDeclarator(d: t.VariableDeclarator, out: Step[]): void {
    const scope = this.scopes[this.scopes.length - 1]!;
    if (!d.init) {
      for (const b of patternBindings(d.id)) scope.set(b.name, { kind: 'value', value: { kind: 'undefined' } });
      return;
    }
    const init = unwrapTs(d.init);
    for (const h of this.hooks) if (h.liftDeclaration?.(d, init, out)) return;
    // `const r = await ddb…` / `const { Item } = await ddb…`
    const call = this.sdkCall(init);
    if (call) {
      this.requireAwaited(init, call);
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
      this.noteNullParsed(name, entry.value);
      entry = { kind: 'value', value: storedVar(name, entry.value) };
    }
    this.bindPattern(d.id, entry, scope, d);
    if (d.id.type === 'Identifier' && (init.type === 'ArrayExpression' || init.type === 'ObjectExpression')) this.ownLiteralsOf(scope).add(d.id.name);
  }

  ownLiteralsOf(scope: Map<string, Entry>): Set<string> {
    let names = this.ownLiterals.get(scope);
    if (!names) this.ownLiterals.set(scope, (names = new Set()));
    return names;
  }

  /**
   * The current value of `name` when it is an array or object literal this code declared and no other value holds
   * (undefined otherwise). Inside a loop it would change once per pass, which a Map state does not carry.
   */
  private ownLiteral(name: string, e: t.Node, what: string): { scope: Map<string, Entry>; value: ValueExpr } | undefined {
    const scope = this.findScope(name);
    if (scope && this.sharedLiterals.get(scope)?.has(name)) throw new LiftFailure(`${this.code(e)} after ${name} was read whole: another value may hold the same ${what} and would change with it, which the analyser does not follow`, line(e));
    if (!scope || !this.ownLiterals.get(scope)?.has(name)) return undefined;
    if (this.loopStack.some((l) => l.kind !== 'switch')) throw new LiftFailure(`${this.code(e)} inside a loop: the ${what} changes once per pass, which a Map state does not carry from one iteration to the next`, line(e));
    const current = scope.get(name);
    return current?.kind === 'value' ? { scope, value: current.value } : undefined;
  }

  /** `name` now holds `value` (stored first when it must be computed once). */
  private rebind(scope: Map<string, Entry>, name: string, value: ValueExpr, at: t.Node, out: Step[]): void {
    if (value.kind === 'array' && value.items.every(isLiteral)) value = { kind: 'literal', value: value.items.map((i) => (i as { value: Json }).value) };
    if (needsStore(value)) {
      out.push(...this.flushPending());
      out.push({ kind: 'let', name, value, line: line(at) });
      value = storedVar(name, value);
    }
    scope.set(name, { kind: 'value', value });
  }

  /** `xs.push(a, b)` on a list of `ownLiteral`: xs becomes the longer list. */
  liftArrayPush(e: t.Node, out: Step[]): boolean {
    if (e.type !== 'CallExpression') return false;
    const callee = unwrapTs(e.callee);
    if (callee.type !== 'MemberExpression' || propName(callee) !== 'push') return false;
    const object = unwrapTs(callee.object);
    if (object.type !== 'Identifier') return false;
    const own = this.ownLiteral(object.name, e, 'list');
    const v = own?.value;
    const items = !v ? undefined : v.kind === 'array' ? v.items : isLiteral(v) && Array.isArray(v.value) ? v.value.map((value): ValueExpr => ({ kind: 'literal', value })) : undefined;
    if (!own || !items) return false;
    const added = e.arguments.map((a) => {
      if (a.type === 'SpreadElement') throw new LiftFailure(`${this.code(e)}: a spread into push is not converted`, line(e));
      return this.valueOf(a);
    });
    this.rebind(own.scope, object.name, { kind: 'array', items: [...items, ...added] }, e, out);
    return true;
  }

  /** `o.k = v` on an object of `ownLiteral`: o becomes the object with k set (in place when it was there, as in JavaScript). */
  liftFieldAssignment(e: t.Node, out: Step[]): boolean {
    if (e.type !== 'AssignmentExpression' || e.operator !== '=' || e.left.type !== 'MemberExpression') return false;
    const object = unwrapTs(e.left.object);
    const key = propName(e.left);
    if (object.type !== 'Identifier' || key === undefined) return false;
    if (key === '__proto__') throw new LiftFailure(`${this.code(e)} sets the object's prototype, not a field`, line(e));
    const own = this.ownLiteral(object.name, e, 'object');
    const v = own?.value;
    const entries: Array<[string, ValueExpr]> | undefined = !v ? undefined : v.kind === 'object' ? v.entries : isLiteral(v) && v.value !== null && typeof v.value === 'object' && !Array.isArray(v.value) ? Object.entries(v.value).map(([k, x]): [string, ValueExpr] => [k, { kind: 'literal', value: x }]) : undefined;
    if (!own || !entries) return false;
    const value = this.valueOf(e.right);
    const at = entries.findIndex(([k]) => k === key);
    const next: Array<[string, ValueExpr]> = at >= 0 ? entries.map(([k, x]) => [k, k === key ? value : x]) : [...entries, [key, value]];
    this.rebind(own.scope, object.name, { kind: 'object', entries: next }, e, out);
    return true;
  }

  liftExpressionStatement(expr: t.Expression, out: Step[]): void {
    const e = unwrapTs(expr);
    // Before anything evaluates the list or object (which would count as reading it whole).
    if (this.liftArrayPush(e, out) || this.liftFieldAssignment(e, out)) return;
    for (const h of this.hooks) if (h.liftExpression?.(e, out)) return;
    const call = this.sdkCall(e);
    if (call) {
      this.requireAwaited(e, call);
      this.liftSdkCall(call, out, e);
      return;
    }
    if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier') {
      const target = this.findScope(e.left.name);
      if (!target) throw new LiftFailure(`assignment to ${e.left.name}, which is not a local variable`, line(e));
      const rhs = unwrapTs(e.right);
      const call2 = this.sdkCall(rhs);
      if (call2) this.requireAwaited(rhs, call2);
      const entry = call2 ? this.liftSdkCall(call2, out, e) : this.evalExpr(e.right);
      this.ownLiterals.get(target)?.delete(e.left.name);
      this.sharedLiterals.get(target)?.delete(e.left.name);
      if (rhs.type === 'ArrayExpression' || rhs.type === 'ObjectExpression') this.ownLiteralsOf(target).add(e.left.name);
      if (entry.kind === 'value' && needsStore(entry.value)) {
        out.push({ kind: 'let', name: e.left.name, value: entry.value, line: line(e) });
        this.noteNullParsed(e.left.name, entry.value);
        target.set(e.left.name, { kind: 'value', value: storedVar(e.left.name, entry.value) });
      } else target.set(e.left.name, entry);
      return;
    }
    if (e.type === 'AwaitExpression') throw new LiftFailure(`awaited call ${this.code(e.argument)} is not a recognised service call`, line(e));
    throw new LiftFailure(`expression statement ${this.code(e)} has effects the analyser does not model`, line(e));
  }

  /**
   * A pagination loop (its shapes: paginationLoop) as one `paginate` step, when the list starts empty, the key
   * undefined, and the fetch is a query or scan from ExclusiveStartKey: key. Anything else stays a blocker.
   */
  liftPagination(stmt: t.DoWhileStatement, out: Step[]): boolean {
    const shape = paginationLoop(stmt, (name) => !!this.findScope(name));
    if (!shape) return false;
    const { keyName, pageName, fetch: d, assigned, accName } = shape;
    if (assigned) {
      const before = this.lookup(pageName);
      if (before?.kind !== 'value' || before.value.kind !== 'undefined') return false;
    }
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
    // After the loop the page variable holds the last page, which the state machine does not keep.
    if (assigned) this.findScope(pageName)?.set(pageName, { kind: 'ambiguous', rule: UNSUPPORTED, why: `${pageName} is read after the pagination loop at line ${line(stmt)}: the state machine keeps the items of every page, not the last page` });
    return true;
  }

  returnStep(arg: t.Node): Step {
    const a = unwrapTs(arg);
    for (const h of this.hooks) {
      const step = h.liftReturn?.(a);
      if (step) return step;
    }
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

  throwStep(arg: t.Node, lineNo: number): Step {
    const a = unwrapTs(arg);
    if (a.type === 'NewExpression' && a.callee.type === 'Identifier' && /Error$/.test(a.callee.name)) {
      const msg = a.arguments[0] ? this.valueOf(a.arguments[0]) : { kind: 'literal' as const, value: '' };
      if (isLiteral(msg) && typeof msg.value === 'string') return { kind: 'throw', error: a.callee.name, cause: msg.value, line: lineNo };
      // A template or a string value: a Fail state's CausePath (States.Format) or JSONata Cause computes it.
      if (msg.kind === 'format' || (typeOfValue(msg).kind === 'string' && msg.kind !== 'residual')) return { kind: 'throw', error: a.callee.name, cause: '', causeValue: msg, line: lineNo };
      throw new LiftFailure(`throw with a message that is not a string or a template (${this.code(a)}) is not converted`, lineNo);
    }
    throw new LiftFailure(`throw ${this.code(a)} is not converted`, lineNo);
  }

  liftIf(stmt: t.IfStatement): Step {
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

  /**
   * Lift one route's body. When it has blockers and nothing with effects ran before the routing, the original
   * handler answers the route instead (lambda:invoke), and what was kept in a small Lambda for it is not needed.
   */
  liftRoute(label: string | undefined, opts: { ends: boolean; fallbackAllowed: boolean; line: number; endLine: number }, lift: () => Step[]): Step[] {
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
  recordRoute(route: string, steps: Step[], routesBefore: number, at: number, endLine: number): void {
    const stays = steps.some((x) => x.kind === 'invoke-handler');
    if (stays) this.result.routes.splice(routesBefore);
    else if (this.result.routes.length > routesBefore) return;
    this.result.routes.push({ route, convertible: stays ? 'none' : 'full', line: at, endLine });
  }

  liftSwitch(stmt: t.SwitchStatement): Step {
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
    // A switch on anything else is a Choice like an if's.
    this.use(routing ? 'route-switch' : 'guard-choice');
    return { kind: 'switch', on, cases, default: defaultBody, line: line(stmt) };
  }
}

