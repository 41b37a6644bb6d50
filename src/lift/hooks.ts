// What a rule adds to the lifter. The core walks statements, scopes and values; at fixed points it asks the
// rules' hooks, in the order of the rule list, whether one of them lifts the construct at hand.
import type * as t from '@babel/types';
import type { Step, ValueExpr } from '../model/workflow.js';
import type { Entry, FunctionLike } from './context.js';
import type { Lifter } from './lifter.js';
import type { RuleContext } from './ruleMessages.js';
import type { DynamoMatch, SdkCallShape } from './services/dynamoCall.js';

export type CallNode = t.CallExpression | t.OptionalCallExpression;

export interface LiftHooks {
  /** Once, before the handler's body: bind what the rule owns among the parameters; steps that run first. */
  enterHandler?(fn: FunctionLike, scope: Map<string, Entry>): Step[] | void;
  /** Before each statement of a block, and with `undefined` at its end: a rule may require what comes next. */
  beforeStatement?(next: t.Statement | undefined): void;
  /** A statement the rule lifts itself (its steps pushed to `out`): true when it did. */
  liftStatement?(stmt: t.Statement, out: Step[]): boolean;
  /** `const x = <init>` (init without TS wrappers): true when the rule lifted the declaration. */
  liftDeclaration?(d: t.VariableDeclarator, init: t.Node, out: Step[]): boolean;
  /** An expression statement (without TS wrappers): true when the rule lifted it. */
  liftExpression?(e: t.Node, out: Step[]): boolean;
  /** `await f(…)` inside an expression, outside any branch of it: its value, its steps pushed to `out` (they run before the statement). */
  liftAwaitedValue?(e: t.AwaitExpression, out: Step[]): Entry | undefined;
  /** `return <arg>` (arg without TS wrappers): the step when the rule lifts it. */
  liftReturn?(arg: t.Node): Step | undefined;
  /** An SDK v2 call's `(err, data) => …` callback, its call already lifted to `result`: true when the rule lifted it. */
  liftNodeCallback?(cb: t.Node, result: Entry, out: Step[], at: t.Node): boolean;
  /** A call of `callee` (a global or a package member) the rule evaluates; undefined when it is not the rule's. */
  liftCall?(callee: Entry, args: CallNode['arguments'], at: CallNode): Entry | undefined;
  /** An entry the rule produced used whole as a value (not a field of it); undefined when it is not the rule's. */
  wholeValue?(e: Entry, at: t.Node): ValueExpr | undefined;
  /** Field `p` of a value the rule produced; undefined when `base` is not the rule's. */
  member?(base: Entry, p: string, at: t.Node): Entry | undefined;
}

/**
 * The part of a rule the lifter uses: its id and messages, its hooks (made once per handler, given the rule's own
 * messages), a DynamoDB call it recognises.
 */
export interface LiftRule<M extends string = string> {
  meta: { id: string; title: string; messages: Readonly<Record<M, string>> };
  create?(lx: Lifter, rule: RuleContext<M>): LiftHooks;
  recogniseDynamoCall?(call: SdkCallShape): DynamoMatch | undefined;
}
