// The rule API: a rule's metadata (id, title, Step Functions feature, docs, messages by id) and the lifting hooks it
// implements live together in rules/<id>/index.ts; rules/index.ts lists the rules in the order the lifter asks them.
import type { LiftRule } from '../lift/hooks.js';
import type { RuleMeta } from './types.js';

export interface Rule extends LiftRule {
  meta: RuleMeta;
}

export function createRule(rule: Rule): Rule {
  return rule;
}
