import { createRule } from '../../src/rules/createRule.js';
import { AsyncHelperInlining, ID } from './lift.js';

/** Awaited calls of project functions (same file, imported, `import * as repo`, re-exported) are inlined: their DynamoDB calls become the caller's steps. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'Async helpers and repository modules',
    description: 'Awaited calls of project functions (in the same file, imported, through `import * as repo`, `export * as X` or re-exports) are inlined: parameters take the caller\'s values, the callee\'s DynamoDB calls become the caller\'s steps and its `return` gives the call\'s value; early returns become a Choice that stores the value.',
    stepFunctionsFeature: 'inlined into the caller\'s states (Choice + Pass for early returns)',
    docs: 'rules/async-helper-inline/README.md',
    messages: { recursion: 'helper {{name}} calls itself (directly or through another helper); recursion is not inlined' },
  },
  create: (lx, rule) => new AsyncHelperInlining(lx, rule),
});
