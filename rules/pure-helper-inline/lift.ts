import type * as t from '@babel/types';
import { patternBindings } from '../../src/analyze/moduleIndex.js';
import { type Entry, LiftFailure, UNSUPPORTED } from '../../src/lift/context.js';
import type { CallNode } from '../../src/lift/hooks.js';
import type { Lifter } from '../../src/lift/lifter.js';
import type { RuleContext } from '../../src/lift/ruleMessages.js';
import { line } from '../../src/lift/syntax.js';
import { needsStore } from '../../src/lift/values/fold.js';
import type { ValueExpr } from '../../src/model/workflow.js';

export const ID = 'pure-helper-inline';

export class HelperInlining {
  constructor(readonly lx: Lifter, readonly rule: RuleContext) {}

  liftCall(callee: Entry, args: CallNode['arguments'], at: CallNode): Entry | undefined {
    return callee.kind === 'function' ? this.inlineHelper(callee, args, at) : undefined;
  }

  inlineHelper(fn: Extract<Entry, { kind: 'function' }>, args: t.Node[], at: t.CallExpression | t.OptionalCallExpression): Entry {
    const node = fn.node;
    if (node.async || node.generator) throw new LiftFailure(`helper ${fn.name} is async; only pure synchronous helpers are inlined`, line(at), ID);
    if (this.lx.inlineDepth > 4) throw new LiftFailure(`helper ${fn.name} nests too deeply`, line(at), ID);
    // A helper body: an expression, or declarations followed by one return.
    let bodyStmts: t.Statement[];
    if (node.body.type === 'BlockStatement') bodyStmts = node.body.body;
    else bodyStmts = [{ type: 'ReturnStatement', argument: node.body, loc: node.body.loc, start: node.body.start, end: node.body.end } as t.ReturnStatement];
    const scope = new Map<string, Entry>();
    node.params.forEach((p, i) => {
      const argVal: ValueExpr = args[i] ? this.lx.valueOf(args[i]!) : { kind: 'undefined' };
      if (p.type === 'Identifier') scope.set(p.name, { kind: 'value', value: argVal });
      else if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') scope.set(p.left.name, { kind: 'value', value: argVal.kind === 'undefined' ? this.lx.valueOf(p.right) : argVal });
      else if (p.type === 'ObjectPattern') for (const b of patternBindings(p)) scope.set(b.name, { kind: 'value', value: this.lx.member(argVal, b.path, p) });
      else throw new LiftFailure(`helper ${fn.name} has a parameter pattern the analyser does not follow`, line(at), ID);
    });
    const callerModule = this.lx.module;
    const savedScopes = this.lx.scopes.splice(0);
    this.lx.scopes.push(scope);
    this.lx.moduleStack.push(fn.module);
    this.lx.inlineDepth += 1;
    try {
      for (const s of bodyStmts) {
        if (s.type === 'VariableDeclaration' && s.kind === 'const') {
          for (const d of s.declarations) {
            if (!d.init) continue;
            const v = this.lx.evalExpr(d.init);
            if (v.kind === 'value' && needsStore(v.value)) throw new LiftFailure(`helper ${fn.name} generates values`, line(s), ID);
            this.lx.bindPattern(d.id, v, scope, d);
          }
          continue;
        }
        if (s.type === 'ReturnStatement' && s.argument) {
          const r = this.lx.evalExpr(s.argument);
          this.lx.use(ID);
          return r;
        }
        if (s.type === 'IfStatement' || s.type === 'ReturnStatement') {
          throw new LiftFailure(`helper ${fn.name} has control flow the analyser does not inline (line ${line(s)})`, line(at), ID);
        }
        throw this.rule.failure('impure', at, { name: fn.name, code: this.lx.code(s) });
      }
      return { kind: 'value', value: { kind: 'undefined' } };
    } catch (e) {
      // The failure's line is in the helper's file: it is kept only when that is the caller's file too.
      if (e instanceof LiftFailure && e.rule === UNSUPPORTED) throw new LiftFailure(`in helper ${fn.name} (called at line ${line(at)}): ${e.message}`, (fn.module === callerModule && e.line) || line(at), ID, e.residualizable);
      throw e;
    } finally {
      this.lx.inlineDepth -= 1;
      this.lx.moduleStack.pop();
      this.lx.scopes.splice(0, this.lx.scopes.length, ...savedScopes);
    }
  }
}
