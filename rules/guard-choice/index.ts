import { createRule } from '../../src/rules/createRule.js';

/** if (!x) return …, comparisons, typeof checks, includes() on constant lists and ?: become Choice states (IsPresent, IsNull, StringEquals, Numeric*, IsString, IsNumeric, And/Or/Not). */
export const rule = createRule({
  meta: {
    id: 'guard-choice',
    title: 'Guard clauses',
    description: 'if (!x) return …, comparisons, typeof checks, includes() on constant lists and ?: become Choice states (IsPresent, IsNull, StringEquals, Numeric*, IsString, IsNumeric, And/Or/Not).',
    stepFunctionsFeature: 'Choice state',
    docs: 'rules/guard-choice/README.md',
    messages: { unknownCondition: 'condition {{code}} is not understood' },
  },
});
