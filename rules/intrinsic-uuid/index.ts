import { createRule } from '../../src/rules/createRule.js';

/** uuid v1/v4 and crypto.randomUUID() become States.UUID(), computed once and stored so every use sees the same id. */
export const rule = createRule({
  meta: {
    id: 'intrinsic-uuid',
    title: 'Generated UUIDs',
    description: 'uuid v1/v4 and crypto.randomUUID() become States.UUID(), computed once and stored so every use sees the same id.',
    stepFunctionsFeature: 'States.UUID()',
    docs: 'rules/intrinsic-uuid/README.md',
    messages: { v1: 'uuid v1 is time-based; States.UUID() produces a random v4 UUID' },
  },
});
