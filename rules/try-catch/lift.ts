import type * as t from '@babel/types';
import { type Entry, LiftFailure, UNSUPPORTED } from '../../src/lift/context.js';
import type { Lifter } from '../../src/lift/lifter.js';
import type { RuleContext } from '../../src/lift/ruleMessages.js';
import { checkDroppedConsoleCalls } from '../logging-drop/lift.js';
import { isConsoleCall, LOGGING_DROPPED, leavesBlock, line, unwrapTs } from '../../src/lift/syntax.js';
import { CAUGHT_ERROR, type Catcher, type Step, type ValueExpr } from '../../src/model/workflow.js';

export function errorNameTest(test: t.Node, errName: string): string[] | undefined {
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

export const ID = 'try-catch';

/** `throw err` (or a block of just that) for the caught error `errName`. */
function isRethrow(s: t.Statement, errName: string | undefined): boolean {
  const only = s.type === 'BlockStatement' && s.body.length === 1 ? s.body[0]! : s;
  return only.type === 'ThrowStatement' && only.argument.type === 'Identifier' && only.argument.name === errName;
}

/** Is there a computation kept in a Lambda function, one that can fail, anywhere in `x`? */
function failingResidual(x: unknown): boolean {
  if (Array.isArray(x)) return x.some(failingResidual);
  if (!x || typeof x !== 'object') return false;
  const o = x as { kind?: unknown; cannotFail?: unknown };
  if (o.kind === 'residual' && !o.cannotFail) return true;
  return Object.values(o).some(failingResidual);
}

/** The steps nested in a control-flow step (the branches of an if or a switch, a try's body); undefined for others. */
function nestedSteps(s: Step): Step[] | undefined {
  switch (s.kind) {
    case 'if': return [...s.then, ...s.else];
    case 'switch': return [...s.cases.flatMap((c) => c.body), ...s.default];
    case 'try': return s.body;
    default: return undefined;
  }
}

/** What in `steps`, besides DynamoDB calls and control flow, could fail into a catch (undefined when nothing). */
function otherThanDynamo(steps: Step[]): string | undefined {
  if (failingResidual(steps)) return 'computes a value in a small Lambda function';
  for (const s of steps) {
    const nested = nestedSteps(s);
    const w = nested ? otherThanDynamo(nested) : ['dynamo', 'return', 'throw', 'let'].includes(s.kind) ? undefined : `runs a ${s.kind} step`;
    if (w) return w;
  }
  return undefined;
}

/** Request fields a service call may take without a request being able to make it fail: the route's path parameters and what API Gateway adds. */
const TRUSTED_REQUEST_PARTS = new Set(['pathParameters', 'requestContext']);

/**
 * A request value in `x` that can make a service call fail (a missing field, a value of the wrong type), by its
 * code path. `stored`: values earlier states of the same block stored; any other stored value may come from the request.
 */
function requestValue(x: unknown, stored: Map<string, ValueExpr>): string | undefined {
  if (Array.isArray(x)) {
    for (const y of x) { const hit = requestValue(y, stored); if (hit) return hit; }
    return undefined;
  }
  if (!x || typeof x !== 'object') return undefined;
  const o = x as { kind?: unknown; path?: unknown; name?: unknown; jsonata?: unknown };
  if (o.kind === 'event' && Array.isArray(o.path) && !TRUSTED_REQUEST_PARTS.has(String(o.path[0]))) return ['event', ...o.path].join('.');
  if (o.kind === 'var' && o.name !== CAUGHT_ERROR) {
    const name = String(o.name);
    const value = stored.get(name);
    if (!value) return `a stored value (${name})`;
    const rest = new Map(stored);
    rest.delete(name);
    return requestValue(value, rest);
  }
  // A computation with a JSONata form reads what that form reads.
  if (o.kind === 'residual' && 'jsonata' in o) return requestValue(o.jsonata, stored);
  for (const v of Object.values(o)) { const hit = requestValue(v, stored); if (hit) return hit; }
  return undefined;
}

/** What in `steps` a request can make fail, or undefined when only service faults can. */
function clientReachable(steps: Step[], stored: Map<string, ValueExpr>): string | undefined {
  if (failingResidual(steps)) return 'computes a value in a small Lambda function';
  for (const s of steps) {
    const w = clientReachableStep(s, stored);
    if (w) return w;
  }
  return undefined;
}

function clientReachableStep(s: Step, stored: Map<string, ValueExpr>): string | undefined {
  const nested = nestedSteps(s);
  if (nested) return clientReachable(nested, stored);
  switch (s.kind) {
    case 'dynamo': {
      if ('ConditionExpression' in s.params) return `makes a conditional DynamoDB ${s.op} (line ${s.line}), whose condition a request can fail`;
      const input = requestValue(s.params, stored);
      return input && `sends ${input} to DynamoDB (line ${s.line}), which rejects a value of the wrong type`;
    }
    // A message to a queue, topic or bus fails only by a service fault; a function or an HTTP API may fail on any input.
    case 'publish': {
      if (s.service !== 'sns' && s.service !== 'sqs' && s.service !== 'eventbridge') return `runs a ${s.service} step (line ${s.line})`;
      const input = requestValue(s.params, stored);
      return input && `sends ${input} to ${s.service} (line ${s.line}), which may reject it`;
    }
    case 'let': {
      const input = requestValue(s.value, stored);
      return input && `computes a value from ${input} (line ${s.line})`;
    }
    case 'return': return undefined;
    case 'throw': return `throws at line ${s.line}`;
    default: return `runs a ${s.kind} step (line ${s.line})`;
  }
}

/** Do the steps raise only SDK v3 DynamoDB errors and errors the code throws? */
function sdkV3Only(steps: Step[]): boolean {
  return steps.every((s) => {
    const nested = nestedSteps(s);
    if (nested) return sdkV3Only(nested);
    return s.kind === 'dynamo' ? s.rule.startsWith('dynamodb-v3') : s.kind === 'let' || s.kind === 'return' || s.kind === 'throw';
  });
}

export class TryCatchLifting {
  constructor(readonly lx: Lifter, readonly rule: RuleContext) {}

  /** `err.stack` and `err.statusCode` of an error this rule caught (the core reads its message). */
  member(base: Entry, p: string, at: t.Node): Entry | undefined {
    if (base.kind !== 'error-var' || !base.faults) return undefined;
    if (p === 'statusCode' && base.faults.sdkV3Only) {
      this.lx.assume(line(at), `${this.lx.code(at)} is undefined: SDK v3 errors carry their HTTP status in $metadata.httpStatusCode, and the errors this code throws have no statusCode`, ID);
      return { kind: 'value', value: { kind: 'undefined' } };
    }
    if (p === 'stack') return { kind: 'value', value: this.faultText(base.faults, at, 'the stack of a caught error', 'the runtime\'s stack trace', 'the error\'s Cause', ['Cause']) };
    return undefined;
  }

  wholeValue(e: Entry, at: t.Node): ValueExpr | undefined {
    if (e.kind !== 'error-var' || !e.faults) return undefined;
    return this.faultText(e.faults, at, 'a whole caught error', 'the SDK error\'s own fields (name, $fault, $metadata)', 'the caught error as {Error, Cause}', []);
  }

  /**
   * Runtime-made text of a caught error (its stack, the SDK error object): no state machine reproduces it, so it is
   * proposed only where no request reaches the catch, with the difference stated.
   */
  private faultText(faults: { clientReachable?: string }, node: t.Node, what: string, handlerSends: string, machineSends: string, path: string[]): ValueExpr {
    if (faults.clientReachable) throw new LiftFailure(`${this.lx.code(node)}: ${what} has no Step Functions equivalent, and ${faults.clientReachable}`, line(node), UNSUPPORTED);
    this.lx.assume(line(node), `${this.lx.code(node)} is sent only when a service fault (throttling, a missing table or permission) reaches the catch, as no request can make the try fail: there the handler sends ${handlerSends}, the state machine ${machineSends}`, ID);
    const text = { type: { kind: 'string' as const }, optional: false };
    return { kind: 'var', name: CAUGHT_ERROR, path, type: path.length ? { kind: 'string' } : { kind: 'object', fields: { Error: text, Cause: text } }, present: true };
  }

  liftStatement(stmt: t.Statement, out: Step[]): boolean {
    if (stmt.type === 'TryStatement') {
      out.push(this.liftTry(stmt, out));
      return true;
    }
    return false;
  }

  /** A finally block whose statements a rule drops without a state (log calls): it changes nothing on any path. */
  finallyOnlyLogs(block: t.BlockStatement): boolean {
    return block.body.every((s) => {
      if (s.type !== 'ExpressionStatement') return false;
      const out: Step[] = [];
      const e = unwrapTs(s.expression);
      return this.lx.hooks.some((h) => h.liftExpression?.(e, out) ?? false) && out.length === 0;
    });
  }

  /** `preceding`: the steps of the same block before the try. */
  liftTry(stmt: t.TryStatement, preceding: Step[] = []): Step {
    if (stmt.finalizer && !this.finallyOnlyLogs(stmt.finalizer)) throw this.rule.failure('finally', stmt.finalizer);
    this.lx.use(ID);
    const before = this.lx.scopeState();
    const readsBefore = this.lx.throwingReads.length;
    const blockersBefore = this.lx.result.blockers.length;
    const body = this.lx.inTryBody(() => this.lx.withScope(() => this.lx.liftBlock(stmt.block.body)));
    const afterBody = this.lx.scopeState();
    const bodyChanged = this.lx.changedSince(before);
    const catchers: Catcher[] = [];
    // A catch that goes on after the try: the code after it runs after the body or the catch, with other values
    // (the catch may start anywhere in the body) unless neither assigns any.
    const liftCatcher = (stmts: t.Statement[]): Step[] => {
      this.lx.restoreScopeState(before);
      // The catch may start before or after the body's assignments: what the body assigned has no single value here.
      for (const name of bodyChanged) this.lx.findScope(name)?.set(name, { kind: 'ambiguous', rule: ID, why: `${name} is assigned in the try at line ${line(stmt)}: in the catch it holds the value from before or after that assignment, depending on which step failed; not converted` });
      const steps = this.lx.withScope(() => this.lx.liftBlock(stmts));
      const changed = [...new Set([...bodyChanged, ...this.lx.changedSince(before)])];
      if (!stmts.some(leavesBlock) && changed.length) throw new LiftFailure(`${changed.join(', ')} ${changed.length > 1 ? 'are' : 'is'} assigned in a try/catch whose catch goes on after it; the analyser does not merge the values of the try and the catch`, line(stmt.handler ?? stmt), ID);
      return steps;
    };
    if (stmt.handler) {
      const param = stmt.handler.param;
      const errName = param?.type === 'Identifier' ? param.name : undefined;
      const throwingRead = this.lx.throwingReads[readsBefore];
      // Where the try has code that is not converted, what can reach the catch is not known.
      const notConverted = !throwingRead && this.lx.result.blockers.length > blockersBefore;
      const reachedBy = throwingRead ? `reads ${throwingRead.code} (line ${throwingRead.line}), which throws a TypeError when the request has no ${throwingRead.part}`
        : notConverted ? undefined : clientReachable(body, new Map(preceding.flatMap((s) => (s.kind === 'let' ? [[s.name, s.value] as const] : []))));
      const clientReach = notConverted ? 'what reaches this catch is not known: its try has code the analyser does not convert' : reachedBy && `a request reaches this catch: the try ${reachedBy}`;
      this.lx.withScope(() => {
        if (errName) this.lx.scopes[this.lx.scopes.length - 1]!.set(errName, { kind: 'error-var', faults: { ...(clientReach ? { clientReachable: clientReach } : {}), ...(sdkV3Only(body) && !failingResidual(body) ? { sdkV3Only: true } : {}) } });
        const stmts = stmt.handler!.body.body.filter((s) => !isConsoleCall(s));
        checkDroppedConsoleCalls(stmt.handler!.body.body, this.lx);
        if (stmts.length !== stmt.handler!.body.body.length) this.lx.assume(line(stmt.handler), LOGGING_DROPPED);
        let i = 0;
        // Leading `if (err.name === 'X') return …` checks become specific catchers.
        for (; i < stmts.length; i++) {
          const s = stmts[i]!;
          if (s.type !== 'IfStatement' || !errName) break;
          const names = errorNameTest(s.test, errName);
          // `if (err.name === 'X') … else throw err` as the last statement: only X is caught.
          const elseRethrows = !!s.alternate && i === stmts.length - 1 && isRethrow(s.alternate, errName);
          if (!names || (s.alternate && !elseRethrows)) break;
          const cons = s.consequent.type === 'BlockStatement' ? s.consequent.body : [s.consequent];
          catchers.push({ errors: names, body: liftCatcher(cons) });
        }
        const rest = stmts.slice(i);
        const rethrows = rest.length === 1 && isRethrow(rest[0]!, errName);
        if (!rethrows && rest.length > 0) {
          const readsMessage = rest.some((s) => this.lx.module.text.slice(s.start ?? 0, s.end ?? 0).match(new RegExp(`\\b${errName}\\.message\\b`)));
          const other = readsMessage ? otherThanDynamo(body) : undefined;
          if (other) throw this.rule.failure('errorMessage', stmt.handler, { error: String(errName), other });
          const read = readsMessage ? this.lx.throwingReads[readsBefore] : undefined;
          if (read) throw new LiftFailure(`the catch reads ${errName}.message, and the try reads ${read.code} at line ${read.line}, which throws a TypeError when the request has no ${read.part}: the catch would answer with the runtime's message, which the state machine cannot reproduce (check it before the try, or read it with ?.)`, line(stmt.handler), ID);
          if (readsMessage && /\bJSON\.parse\(/.test(this.lx.module.text.slice(stmt.block.start ?? 0, stmt.block.end ?? 0))) this.lx.assume(line(stmt.handler), `a request body that is not JSON reaches this catch with the JavaScript parser's message as ${errName}.message in the handler and the state machine's own text in the Cause: malformed bodies are taken to be outside the contract`, ID);
          catchers.push({ errors: ['*'], body: liftCatcher(rest) });
        } else if (rest.length === 0 && catchers.length === 0) {
          // catch {} swallows the error: continue after the try.
          catchers.push({ errors: ['*'], body: liftCatcher([]) });
        }
      });
    }
    this.lx.restoreScopeState(afterBody);
    return { kind: 'try', body, catchers, line: line(stmt) };
  }
}
