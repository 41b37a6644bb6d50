import { createRule } from '../../src/rules/createRule.js';
import { isLiteral } from '../../src/lift/values/fold.js';

const ID = 'intrinsic-template-format';

/** Template literals, String(x) and string concatenation become States.Format. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'Template literals and string building',
    description: 'Template literals, String(x) and string concatenation become States.Format.',
    stepFunctionsFeature: 'States.Format',
    docs: 'rules/intrinsic-template-format/README.md',
    messages: {},
  },
  create: (lx) => ({
    liftCall(callee, args) {
      if (callee.kind !== 'global' || callee.path.join('.') !== 'String') return undefined;
      const v = lx.valueOf(args[0]!);
      if (isLiteral(v)) return { kind: 'value', value: { kind: 'literal', value: String(v.value) } };
      lx.use(ID);
      return { kind: 'value', value: { kind: 'format', quasis: ['', ''], args: [v] } };
    },
  }),
});
