import type * as t from '@babel/types';
import { type Entry, type FunctionLike, LiftFailure } from '../../src/lift/context.js';
import type { Lifter } from '../../src/lift/lifter.js';
import { isConsoleCall, line, propName, unwrapTs } from '../../src/lift/syntax.js';
import { checkDroppedConsoleCalls } from '../logging-drop/lift.js';
import type { Step } from '../../src/model/workflow.js';

export const ID = 'callback-handler';

export class CallbackLifting {
  constructor(readonly lx: Lifter) {}

  /** The handler's third parameter is the Node callback. */
  enterHandler(fn: FunctionLike, scope: Map<string, Entry>): void {
    const callbackParam = fn.params[2];
    if (callbackParam?.type === 'Identifier') {
      scope.set(callbackParam.name, { kind: 'callback' });
      this.lx.use(ID);
    }
  }

  liftReturn(a: t.Node): Step | undefined {
    const chain = a.type === 'CallExpression' || a.type === 'AwaitExpression' ? this.liftThenChain(a.type === 'AwaitExpression' ? unwrapTs(a.argument) : a) : undefined;
    if (chain) return chain;
    // `(…) => callback(null, response)` inside promise chains.
    if (a.type === 'CallExpression' && a.callee.type === 'Identifier' && this.lx.lookup(a.callee.name)?.kind === 'callback') return this.callbackStep(a);
    return undefined;
  }

  liftExpression(e: t.Node, out: Step[]): boolean {
    if (e.type !== 'CallExpression') return false;
    const chain = this.liftThenChain(e);
    if (chain) {
      out.push(...this.lx.flushPending(), chain);
      return true;
    }
    if (e.callee.type === 'Identifier' && this.lx.lookup(e.callee.name)?.kind === 'callback') {
      out.push(...this.lx.flushPending());
      out.push(this.callbackStep(e));
      return true;
    }
    return false;
  }

  /** `db.get(p).promise().then((data) => …).catch((err) => …)` → the call, the then-bodies, a catcher. */
  liftThenChain(node: t.Node): Step | undefined {
    const links: Array<{ kind: 'then' | 'catch'; fn: t.Node; at: t.Node }> = [];
    let n: t.Node = node;
    while (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && ['then', 'catch'].includes(propName(n.callee) ?? '') && n.arguments.length >= 1) {
      links.unshift({ kind: propName(n.callee) as 'then' | 'catch', fn: n.arguments[0]!, at: n });
      if (n.arguments.length > 1) throw new LiftFailure('.then(onFulfilled, onRejected) with two callbacks is not converted', line(n), ID);
      n = unwrapTs(n.callee.object);
    }
    if (links.length === 0) return undefined;
    const call = this.lx.sdkCall(n);
    if (!call) return undefined;
    this.lx.use(ID);
    const body: Step[] = [];
    let current: Entry = this.lx.liftSdkCall(call, body, n);
    let returned = false;
    let catcherBody: Step[] | undefined;
    links.forEach((link, i) => {
      const fn = unwrapTs(link.fn);
      if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') throw new LiftFailure(`.${link.kind}() callback is not an inline function`, line(link.at), ID);
      if (link.kind === 'catch') {
        if (i !== links.length - 1) throw new LiftFailure('.catch() before another .then() is not converted', line(link.at), ID);
        catcherBody = this.lx.withScope(() => {
          const p = fn.params[0];
          if (p?.type === 'Identifier') this.lx.scopes[this.lx.scopes.length - 1]!.set(p.name, { kind: 'error-var' });
          if (fn.body.type === 'BlockStatement') checkDroppedConsoleCalls(fn.body.body, this.lx);
          return fn.body.type === 'BlockStatement' ? this.lx.liftBlock(fn.body.body.filter((x) => !isConsoleCall(x))) : [this.lx.returnStep(fn.body)];
        });
        return;
      }
      if (returned) throw new LiftFailure('.then() after a callback that returned a response', line(link.at), ID);
      this.lx.withScope(() => {
        const scope = this.lx.scopes[this.lx.scopes.length - 1]!;
        if (fn.params[0]) this.lx.bindPattern(fn.params[0], current, scope, fn);
        if (fn.body.type === 'BlockStatement') {
          body.push(...this.lx.liftBlock(fn.body.body));
          returned = true;
          return;
        }
        const next = unwrapTs(fn.body);
        const nextCall = this.lx.sdkCall(next);
        if (nextCall) current = this.lx.liftSdkCall(nextCall, body, next);
        else if (i === links.length - 1 || links[i + 1]?.kind === 'catch') {
          body.push(...this.lx.flushPending(), this.lx.returnStep(next));
          returned = true;
        } else current = this.lx.evalExprOrResidual(next);
      });
    });
    if (!returned) throw new LiftFailure('the promise chain resolves to an SDK result, which carries SDK metadata; not converted', line(node), ID);
    return { kind: 'try', body, catchers: catcherBody ? [{ errors: ['*'], body: catcherBody }] : [], line: line(node) };
  }

  /** callback(null, response) → return; callback(err) → throw. */
  callbackStep(call: t.CallExpression): Step {
    this.lx.use(ID);
    const [errArg, resArg] = call.arguments;
    const errIsNull = !errArg || (errArg.type === 'NullLiteral') || (errArg.type === 'Identifier' && errArg.name === 'undefined');
    if (errIsNull) return resArg ? this.lx.returnStep(resArg) : { kind: 'return', value: { kind: 'undefined' }, line: line(call) };
    return this.lx.throwStep(errArg!, line(call));
  }

  /** `db.get(params, (err, data) => { if (err) … else … })` */
  liftNodeCallback(cb: t.Node, result: Entry, out: Step[], at: t.Node): boolean {
    this.lx.use(ID);
    const fn = unwrapTs(cb);
    if ((fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.body.type !== 'BlockStatement') throw new LiftFailure('SDK callback is not an inline function with a block body', line(at), ID);
    const [errP, dataP] = fn.params;
    const errName = errP?.type === 'Identifier' ? errP.name : undefined;
    const all = fn.body.body;
    const stmts = all.filter((s) => !isConsoleCall(s));
    const first = stmts[0];
    const last = out[out.length - 1];
    if (!last || last.kind !== 'dynamo') throw new LiftFailure('callback without a preceding call', line(at));
    out.pop();
    const tryStep: Step = { kind: 'try', body: [last], catchers: [], line: line(at) };
    this.lx.withScope(() => {
      const scope = this.lx.scopes[this.lx.scopes.length - 1]!;
      if (errName) scope.set(errName, { kind: 'error-var' });
      if (dataP) this.lx.bindPattern(dataP, result, scope, at);
      // The log calls left out of the callback and of its error branch must pass the log rule's check all the same.
      checkDroppedConsoleCalls(all, this.lx);
      let rest = stmts;
      if (first?.type === 'IfStatement' && errName && first.test.type === 'Identifier' && first.test.name === errName) {
        const errBody = first.consequent.type === 'BlockStatement' ? first.consequent.body : [first.consequent];
        checkDroppedConsoleCalls(errBody, this.lx);
        tryStep.catchers.push({ errors: ['*'], body: this.lx.liftBlock(errBody.filter((s) => !isConsoleCall(s))) });
        rest = first.alternate ? (first.alternate.type === 'BlockStatement' ? first.alternate.body : [first.alternate]) : stmts.slice(1);
      } else if (errName && this.lx.module.text.slice(fn.start ?? 0, fn.end ?? 0).match(new RegExp(`\\b${errName}\\b`, 'g'))!.length > 1) {
        throw new LiftFailure(`callback error ${errName} is used in a way the analyser does not model`, line(fn), ID);
      }
      tryStep.body.push(...this.lx.liftBlock(rest));
    });
    out.push(tryStep);
    return true;
  }
}
