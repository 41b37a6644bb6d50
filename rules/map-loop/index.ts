import { createRule } from '../../src/rules/createRule.js';
import { MapLoopLifting } from './lift.js';

/** A for…of with awaits, or await Promise.all(list.map(…)), over a list in the input becomes an inline Map state (MaxConcurrency 1 or 0). */
export const rule = createRule({
  meta: {
    id: 'map-loop',
    title: 'Loop over a list → Map state',
    description: 'A for…of with awaits, or await Promise.all(list.map(…)), over a list in the input becomes an inline Map state (MaxConcurrency 1 or 0).',
    stepFunctionsFeature: 'Map state (inline)',
    docs: 'rules/map-loop/README.md',
    messages: {},
  },
  create: (lx) => new MapLoopLifting(lx),
});
