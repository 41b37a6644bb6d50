import type * as t from '@babel/types';
import { LiftFailure, type PollContext } from '../../src/lift/context.js';
import type { Lifter } from '../../src/lift/lifter.js';
import { incrementedName, line, loopJumps, outerAssignments, unwrapTs } from '../../src/lift/syntax.js';
import { isLiteral } from '../../src/lift/values/fold.js';
import { typeOfValue } from '../../src/model/valueType.js';
import type { PollLoop, Step, ValueExpr, ValueType } from '../../src/model/workflow.js';

function pollFailure(stmt: t.Statement, why: string): LiftFailure {
  return new LiftFailure(`polling loop (${stmt.type.replace('Statement', '')} with a sleep): ${why}; if the awaited job can call back, the callback pattern (.waitForTaskToken, Standard workflows only) replaces the polling`, line(stmt), 'sleep-wait');
}

/** `x++`, `++x`, `x += 1`, `x = x + 1` as a statement: the name of x. */
function incrementedCounter(s: t.Statement | undefined): string | undefined {
  return s?.type === 'ExpressionStatement' ? incrementedName(s.expression) : undefined;
}

export class WaitLifting {
  constructor(readonly lx: Lifter) {}

  liftStatement(stmt: t.Statement, out: Step[]): boolean {
    if (stmt.type !== 'WhileStatement' && stmt.type !== 'DoWhileStatement' && stmt.type !== 'ForStatement') return false;
    if (/setTimeout|sleep|delay|wait/i.test(this.lx.module.text.slice(stmt.start ?? 0, stmt.end ?? 0))) {
      out.push(...this.lx.flushPending());
      out.push(stmt.type === 'ForStatement' ? this.lx.withScope(() => this.liftForPollLoop(stmt, out)) : this.liftPollLoop(stmt, out));
      return true;
    }
    return false;
  }

  liftExpression(e: t.Node, out: Step[]): boolean {
    const wait = this.sleepStep(e);
    if (wait) {
      out.push(...this.lx.flushPending(), wait);
      return true;
    }
    return false;
  }

  /**
   * `await sleep(ms)` (a helper returning `new Promise((r) => setTimeout(r, ms))`), the inline promise, or
   * `await setTimeout(ms)` from timers/promises → a Wait state.
   */
  sleepStep(e: t.Node): Step | undefined {
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
      const callee = this.lx.lookup(n.callee.name);
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
    const v = this.lx.valueOf(ms);
    if (!isLiteral(v) || typeof v.value !== 'number' || v.value < 0) throw new LiftFailure(`sleep of ${this.lx.code(ms)} ms, computed at run time: a Wait state takes whole seconds (SecondsPath), and JSONPath cannot divide milliseconds`, line(e), 'sleep-wait');
    const seconds = Math.ceil(v.value / 1000);
    if (seconds * 1000 !== v.value) this.lx.assume(line(e), `the sleep of ${v.value} ms becomes a Wait of ${seconds} s: Wait states count whole seconds`, 'sleep-wait');
    this.lx.use('sleep-wait');
    return { kind: 'wait', seconds, line: line(e) };
  }

  /**
   * `while (… && tries < N) { …; tries++ }` (or do…while) → a PollLoop. The max-tries bound must be the loop's own:
   * a counter that starts at a number, is compared with < or <= to a number in the test (joined with &&) and is
   * increased by one as the body's last statement, nowhere else. Variables the body assigns are stored under $.vars
   * before the loop and at the end of each pass, so the test and the code after the loop read the latest values.
   */
  liftPollLoop(stmt: t.WhileStatement | t.DoWhileStatement, out: Step[]): Step {
    const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [stmt.body];
    const counter = incrementedCounter(body[body.length - 1]);
    return this.liftBoundedPoll({ stmt, test: stmt.test, counter, rest: body.slice(0, -1), form: stmt.type === 'WhileStatement' ? 'while' : 'do-while' }, out);
  }

  /**
   * `for (let i = 0; i < N; i++) { …; await sleep(…) }`: the same bounded loop, the counter declared in the loop head
   * (a scope of its own) and increased by the loop's update; `break` and `continue` are allowed in the body.
   */
  liftForPollLoop(stmt: t.ForStatement, out: Step[]): Step {
    const fail = (why: string) => pollFailure(stmt, why);
    const decl = stmt.init?.type === 'VariableDeclaration' && stmt.init.declarations.length === 1 ? stmt.init.declarations[0]! : undefined;
    if (!decl || decl.id.type !== 'Identifier' || !stmt.test || !stmt.update) throw fail('no max-tries bound (a counter declared in the loop head, compared with < or <= to a number in the loop test and increased by one by the loop update); an unbounded polling loop is not converted');
    const counter = decl.id.name;
    if (incrementedName(stmt.update) !== counter) throw fail(`the loop update ${this.lx.code(stmt.update)} does not increase the counter ${counter} by one`);
    this.lx.liftDeclarator(decl, out);
    const body = stmt.body.type === 'BlockStatement' ? stmt.body.body : [stmt.body];
    return this.liftBoundedPoll({ stmt, test: stmt.test, counter, rest: body, form: 'for' }, out);
  }

  liftBoundedPoll(loop: { stmt: t.Statement; test: t.Expression; counter: string | undefined; rest: t.Statement[]; form: PollLoop['form'] }, out: Step[]): Step {
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
    const max = this.lx.valueOf(bound.right);
    const startEntry = this.lx.lookup(counter);
    const start = startEntry?.kind === 'value' && startEntry.value.kind === 'literal' ? startEntry.value.value : undefined;
    if (max.kind !== 'literal' || typeof max.value !== 'number' || typeof start !== 'number' || !Number.isInteger(start)) throw fail(`the bound ${this.lx.code(bound)} does not compare a counter that starts at a known whole number with a known number`);
    const limit = bound.operator === '<' ? max.value : max.value + 1;
    const maxPolls = Math.max(loop.form === 'do-while' ? 1 : 0, Math.ceil(limit - start));
    const counterScope = this.lx.findScope(counter)!;
    const carried = [...new Set(outerAssignments(rest))];
    const storable = (v: ValueExpr): boolean => ['literal', 'undefined', 'event', 'var', 'ddb'].includes(v.kind);
    const initialTypes = new Map<string, ValueType>();
    for (const name of carried) {
      const scope = this.lx.findScope(name);
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
    const steps = this.lx.insideJumpTarget(context, () => this.lx.withScope(() => this.lx.liftBlock(rest)));
    // Store what each pass assigned; a value that reads another variable the loop changes could see it updated.
    const finals = carried.map((name) => ({ name, scope: this.lx.findScope(name)!, entry: this.lx.findScope(name)!.get(name)! }));
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
      const scope = this.lx.findScope(name)!;
      const before = initialTypes.get(name)!;
      if (types.some((x) => x.kind !== before.kind)) scope.set(name, { kind: 'value', value: { kind: 'var', name, path: [], type: { kind: 'unknown' } } });
    }
    const test = this.lx.liftCondition(loop.test);
    this.lx.use('sleep-wait');
    return { kind: 'poll', form: loop.form, counter, start, maxPolls, test, body: steps, checkFirst: loop.form !== 'do-while', line: at, rule: 'sleep-wait' };
  }
}

