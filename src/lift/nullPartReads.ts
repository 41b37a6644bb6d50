// A field read of a request part that may be null (`event.queryStringParameters.limit` when API Gateway sends
// `queryStringParameters: null`) throws a TypeError in the handler. Outside a try the state machine does the same: a
// check before the statement fails it as the handler fails. A read that only some paths of the statement evaluate
// (behind ?:, &&, a callback) cannot take that check: a blocker.
import type * as t from '@babel/types';
import type { Step, ValueExpr } from '../model/workflow.js';
import { LiftFailure } from './context.js';

export interface NullPartRead {
  line: number;
  code: string;
  /** The request part (`queryStringParameters`) and the field read of it. */
  part: ValueExpr;
  partName: string;
  field: string;
  node: t.Node;
}

const inside = (n: t.Node, at: t.Node) => (n.start ?? -1) <= (at.start ?? -2) && (at.end ?? -1) <= (n.end ?? -2);

/** Is `at` evaluated whenever `stmt` runs (not only behind a condition, an operand, a callback or a loop)? */
export function evaluatedWhenever(stmt: t.Node, at: t.Node): boolean {
  if (stmt === at) return true;
  // A function's body runs when it is called, not where it is written.
  if (/Function|Method/.test(stmt.type)) return false;
  const n = stmt as unknown as Record<string, unknown>;
  for (const [key, child] of Object.entries(n)) {
    for (const c of Array.isArray(child) ? child : [child]) {
      if (!c || typeof c !== 'object' || typeof (c as t.Node).type !== 'string' || !inside(c as t.Node, at)) continue;
      const conditional =
        ((stmt.type === 'ConditionalExpression' || stmt.type === 'IfStatement') && key !== 'test') ||
        ((stmt.type === 'LogicalExpression' || stmt.type === 'AssignmentPattern') && key === 'right') ||
        ((stmt.type === 'OptionalMemberExpression' || stmt.type === 'OptionalCallExpression') && key !== 'object' && key !== 'callee') ||
        (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(stmt.type) && key !== 'init' && key !== 'right' && !(stmt.type === 'WhileStatement' && key === 'test')) ||
        /^(SwitchCase|TryStatement|CatchClause)$/.test(stmt.type);
      return !conditional && evaluatedWhenever(c as t.Node, at);
    }
  }
  return false;
}

/** The checks to run before `stmt` for the reads it makes (a blocker for a read only some of its paths make). */
export function nullPartChecks(stmt: t.Statement, reads: NullPartRead[]): Step[] {
  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const r of reads) {
    if (!evaluatedWhenever(stmt, r.node)) {
      throw new LiftFailure(`${r.code}: API Gateway sends event.${r.partName} as null when the request has none, and the handler then throws a TypeError here; this read is made on some paths of the statement only, where the state machine cannot check it first (check event.${r.partName} before, or read it with ?.)`, r.line);
    }
    if (seen.has(r.partName)) continue;
    seen.add(r.partName);
    const cause = `Cannot read properties of null (reading '${r.field}')`;
    steps.push({ kind: 'if', test: { kind: 'present', value: r.part, negate: true }, then: [{ kind: 'throw', error: 'TypeError', cause, line: r.line }], else: [], line: r.line });
  }
  return steps;
}
