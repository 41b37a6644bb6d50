import { createRule } from '../../src/rules/createRule.js';

/** Template literals, String(x) and string concatenation become States.Format. */
export const rule = createRule({
  meta: {
    id: 'intrinsic-template-format',
    title: 'Template literals and string building',
    description: 'Template literals, String(x) and string concatenation become States.Format.',
    stepFunctionsFeature: 'States.Format',
    docs: 'rules/intrinsic-template-format/README.md',
    messages: {},
  },
});
