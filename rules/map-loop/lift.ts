import type * as t from '@babel/types';
import { LiftFailure } from '../../src/lift/context.js';
import type { Lifter } from '../../src/lift/lifter.js';
import { patternBindings } from '../../src/analyze/moduleIndex.js';
import { checkDroppedConsoleCalls } from '../logging-drop/lift.js';
import { isConsoleCall, LOGGING_DROPPED, line, loopJumps, outerAssignments, propName, unwrapTs } from '../../src/lift/syntax.js';
import { typeOfValue } from '../../src/model/valueType.js';
import type { Step, ValueType } from '../../src/model/workflow.js';

/** A statement that leaves the loop or the handler early (`throw` is allowed: it fails the Map, as it fails the loop). */
function loopEscape(stmts: t.Statement[]): string | undefined {
  return loopJumps(stmts)[0];
}

/** The name of a variable assigned (=, +=, ++) in `stmts` but declared outside them. */
function outerAssignment(stmts: t.Statement[]): string | undefined {
  return outerAssignments(stmts)[0];
}

export class MapLoopLifting {
  constructor(readonly lx: Lifter) {}

  liftStatement(stmt: t.Statement, out: Step[]): boolean {
    if (stmt.type !== 'ForOfStatement') return false;
    if (stmt.await) throw new LiftFailure('for await…of over an async iterable has no Map equivalent', line(stmt), 'map-loop');
    const decl = stmt.left.type === 'VariableDeclaration' && stmt.left.declarations.length === 1 ? stmt.left.declarations[0]!.id : undefined;
    if (!decl) throw new LiftFailure('for…of whose loop variable is not declared in the loop head', line(stmt), 'map-loop');
    const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [stmt.body];
    out.push(...this.lx.flushPending());
    const collect = this.collectedFailures(body, patternBindings(decl).map((b) => b.name));
    // Awaits in a for…of run one element after the other: MaxConcurrency 1.
    out.push(this.liftLoop(stmt.right, decl, collect ? collect.body : body, 1, stmt, collect));
    return true;
  }

  liftExpression(e: t.Node, out: Step[]): boolean {
    const parallel = this.promiseAllMap(e);
    if (parallel) {
      out.push(...this.lx.flushPending());
      out.push(parallel);
      return true;
    }
    if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && propName(e.callee) === 'forEach') {
      throw new LiftFailure(`${this.lx.code(e.callee)}(…) does not wait for what its callback starts (an async callback's calls may still run when the handler returns); write for…of (sequential) or await Promise.all(list.map(…)) (parallel)`, line(e), 'map-loop');
    }
    return false;
  }

  /** `await Promise.all(list.map(async (x) => { … }))`, its result unused: a Map state with unbounded concurrency. */
  promiseAllMap(e: t.Node): Step | undefined {
    if (e.type !== 'AwaitExpression') return undefined;
    const all = unwrapTs(e.argument);
    if (all.type !== 'CallExpression' || all.callee.type !== 'MemberExpression' || propName(all.callee) !== 'all' || unwrapTs(all.callee.object).type !== 'Identifier' || (unwrapTs(all.callee.object) as t.Identifier).name !== 'Promise' || this.lx.findScope('Promise')) return undefined;
    const mapCall = all.arguments.length === 1 ? unwrapTs(all.arguments[0]!) : undefined;
    if (!mapCall || mapCall.type !== 'CallExpression' || mapCall.callee.type !== 'MemberExpression' || propName(mapCall.callee) !== 'map' || mapCall.arguments.length !== 1) return undefined;
    const fn = unwrapTs(mapCall.arguments[0]!);
    if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') throw new LiftFailure(`Promise.all over ${this.lx.code(mapCall)}: the callback is not an inline function`, line(e), 'map-loop');
    if (fn.params.length !== 1) throw new LiftFailure('Promise.all(list.map(…)) whose callback takes the index or the list too is not converted', line(fn), 'map-loop');
    let body: t.Statement[];
    // What the callback returns, Promise.all waits for: as if it were awaited there.
    const awaited = (x: t.Expression): t.Expression => (unwrapTs(x).type === 'AwaitExpression' ? x : ({ type: 'AwaitExpression', argument: x, loc: x.loc, start: x.start, end: x.end } as t.AwaitExpression));
    if (fn.body.type === 'BlockStatement') {
      body = [...fn.body.body];
      // `return client.send(…)` as the last statement: its value is discarded, the call is what matters.
      const last = body[body.length - 1];
      if (last?.type === 'ReturnStatement' && last.argument) body[body.length - 1] = { type: 'ExpressionStatement', expression: awaited(last.argument), loc: last.loc, start: last.start, end: last.end } as t.ExpressionStatement;
    } else body = [{ type: 'ExpressionStatement', expression: awaited(fn.body), loc: fn.body.loc, start: fn.body.start, end: fn.body.end } as t.ExpressionStatement];
    // Promise.all starts every call at once: unbounded concurrency (MaxConcurrency 0).
    return this.liftLoop(mapCall.callee.object, fn.params[0]!, body, 0, e);
  }

  /**
   * The partial-batch idiom: the loop body is one `try { … } catch (e) { list.push(x) }` where `list` is an empty
   * array declared before the loop. Returns the try block and what the catch pushes.
   */
  /** `names`: what the loop head binds (in scope in the catch, which is read before the iteration's scope exists). */
  collectedFailures(body: t.Statement[], names: readonly string[] = []): { name: string; body: t.Statement[]; pushed: t.Node; errName?: string } | undefined {
    const [stmt] = body;
    if (body.length !== 1 || stmt?.type !== 'TryStatement' || stmt.finalizer || !stmt.handler) return undefined;
    const rest = stmt.handler.body.body.filter((s) => !isConsoleCall(s));
    const push = rest.length === 1 && rest[0]!.type === 'ExpressionStatement' ? unwrapTs(rest[0].expression) : undefined;
    if (!push || push.type !== 'CallExpression' || push.callee.type !== 'MemberExpression' || propName(push.callee) !== 'push' || push.arguments.length !== 1 || push.callee.object.type !== 'Identifier') return undefined;
    const name = push.callee.object.name;
    const current = this.lx.lookup(name);
    const empty = current?.kind === 'value' && ((current.value.kind === 'literal' && Array.isArray(current.value.value) && current.value.value.length === 0) || (current.value.kind === 'array' && current.value.items.length === 0));
    if (!empty) return undefined;
    if (stmt.handler.body.body.length !== rest.length) this.lx.assume(line(stmt.handler), LOGGING_DROPPED);
    // The catch's log calls are left out here, not by the log rule: they must pass its check all the same.
    checkDroppedConsoleCalls(stmt.handler.body.body, this.lx, [...names, ...(stmt.handler.param?.type === 'Identifier' ? [stmt.handler.param.name] : [])]);
    return { name, body: stmt.block.body, pushed: push.arguments[0]!, errName: stmt.handler.param?.type === 'Identifier' ? stmt.handler.param.name : undefined };
  }

  /** One iteration body over the elements of `list`, as a Map state. */
  liftLoop(list: t.Node, itemPattern: t.Node, body: t.Statement[], maxConcurrency: number, at: t.Node, collect?: { name: string; pushed: t.Node; errName?: string }): Step {
    const what = at.type === 'ForOfStatement' ? 'loop (ForOf)' : 'loop (Promise.all over map)';
    if (itemPattern.type !== 'Identifier' && itemPattern.type !== 'ObjectPattern') throw new LiftFailure(`${what} with a ${this.lx.code(itemPattern)} pattern (entries of a Map, URLSearchParams, …) has no Map state equivalent`, line(at), 'map-loop');
    const items = this.lx.valueOf(list);
    if (items.kind !== 'event' && items.kind !== 'var') throw new LiftFailure(`${what} over ${this.lx.code(list)}: a Map state iterates over a list in the input or a stored value, not a list computed in place`, line(at), 'map-loop');
    const itemsType = typeOfValue(items);
    // A list in the input is JSON; a stored value must be known to be a list (not an iterable object).
    if (itemsType.kind !== 'array' && !(itemsType.kind === 'unknown' && items.kind === 'event')) throw new LiftFailure(`${what} over ${this.lx.code(list)}, which is not known to be a list`, line(at), 'map-loop');
    const escape = loopEscape(body);
    if (escape) throw new LiftFailure(`${escape} inside the loop at line ${line(at)}: a Map iteration cannot leave the loop or the handler early`, line(at), 'map-loop');
    const outer = outerAssignment(body);
    if (outer) throw new LiftFailure(`the loop at line ${line(at)} assigns ${outer}, declared outside it: Map iterations cannot change values outside themselves`, line(at), 'map-loop');
    const item = itemPattern.type === 'Identifier' ? itemPattern.name : this.lx.fresh('item');
    const element: ValueType = itemsType.kind === 'array' && itemsType.element ? itemsType.element : { kind: 'unknown' };
    const steps = this.lx.insideJumpTarget('Map loop', () => this.lx.withScope(() => {
      const scope = this.lx.scopes[this.lx.scopes.length - 1]!;
      this.lx.bindPattern(itemPattern, { kind: 'value', value: { kind: 'var', name: item, path: [], type: element, present: true } }, scope, at);
      if (collect) {
        // try { body } catch { list.push(x) } → each iteration returns [] or [x].
        this.lx.use('try-catch');
        const tried = this.lx.inTryBody(() => this.lx.withScope(() => [...this.lx.liftBlock(body), ...this.lx.flushPending()]));
        const failed = this.lx.withScope(() => {
          if (collect.errName) this.lx.scopes[this.lx.scopes.length - 1]!.set(collect.errName, { kind: 'error-var' });
          const x = this.lx.valueOf(collect.pushed);
          return [...this.lx.flushPending(), { kind: 'return', value: { kind: 'array', items: [x] }, line: line(collect.pushed) } as Step];
        });
        return [{ kind: 'try', body: tried, catchers: [{ errors: ['*'], body: failed }], line: line(at) } as Step, { kind: 'return', value: { kind: 'literal', value: [] }, line: line(at) } as Step];
      }
      const lifted = this.lx.liftBlock(body);
      return [...lifted, ...this.lx.flushPending()];
    }));
    if (items.kind === 'event' && items.path[0] === 'Records') {
      this.lx.result.recordsBatch = true;
      // EventBridge Pipes sends a Step Functions target the batch as one JSON array of records, even for a batch of 1,
      // and honours a returned { batchItemFailures: [{ itemIdentifier }] } (eb-pipes-batching-concurrency.html).
      this.lx.assume(line(at), 'the handler loops over the Records of an SQS or stream trigger: the trigger becomes a pipe of EventBridge Pipes (source → this state machine); a pipe sends the batch as a bare JSON list of records, which the machine reads as $.event.Records (it still takes { Records: [...] } too); a returned batchItemFailures list makes the pipe retry those records, as with Lambda', 'map-loop');
    }
    if (collect) {
      this.lx.use('map-loop');
      // After the loop the list holds what the iterations collected.
      this.lx.findScope(collect.name)!.set(collect.name, { kind: 'value', value: { kind: 'var', name: collect.name, path: [], type: { kind: 'array' } } });
      return { kind: 'map', items, item, body: steps, maxConcurrency, line: line(at), rule: 'map-loop', collect: collect.name };
    }
    if (steps.some(function returns(s: Step): boolean {
      return s.kind === 'return' || (s.kind === 'if' && (s.then.some(returns) || s.else.some(returns))) || (s.kind === 'try' && (s.body.some(returns) || s.catchers.some((c) => c.body.some(returns))));
    })) throw new LiftFailure(`a callback inside the loop at line ${line(at)} answers for the handler: not converted`, line(at), 'map-loop');
    this.lx.use('map-loop');
    return { kind: 'map', items, item, body: steps, maxConcurrency, line: line(at), rule: 'map-loop' };
  }
}

