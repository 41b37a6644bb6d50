// The rule API: a rule's metadata (id, title, Step Functions feature, docs, messages by id) and the lifting hooks it
// implements live together in rules/<id>/index.ts; rules/index.ts lists the rules in the order the lifter asks them.
import type { LiftRule } from '../lift/hooks.js';
import type { RuleMeta } from './types.js';

export interface Rule<M extends string = string> extends LiftRule<M> {
  meta: RuleMeta<M>;
}

/** A rule; its hooks may name only the message ids its meta declares. */
export function createRule<M extends string>(rule: Rule<M>): Rule {
  return rule;
}
