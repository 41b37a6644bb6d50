import { createRule } from '../../src/rules/createRule.js';
import { HelperInlining, ID } from './lift.js';

/** Small pure helpers (response builders, key builders, record mappers), in the same module or imported from the project, are followed and inlined; impure or unknown helpers are blockers. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'Pure local helpers',
    description: 'Small pure helpers (response builders, key builders, record mappers), in the same module or imported from the project, are followed and inlined; impure or unknown helpers are blockers.',
    stepFunctionsFeature: 'inlined into Pass/Task parameters',
    docs: 'rules/pure-helper-inline/README.md',
    messages: { impure: 'helper {{name}} is not a pure single-expression function ({{code}})' },
  },
  create: (lx, rule) => new HelperInlining(lx, rule),
});
