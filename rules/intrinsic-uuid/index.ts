import { createRule } from '../../src/rules/createRule.js';
import { line } from '../../src/lift/syntax.js';

const ID = 'intrinsic-uuid';
const UUID_PACKAGES = new Set(['uuid']);

/** uuid v1/v4 and crypto.randomUUID() become States.UUID(), computed once and stored so every use sees the same id. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'Generated UUIDs',
    description: 'uuid v1/v4 and crypto.randomUUID() become States.UUID(), computed once and stored so every use sees the same id.',
    stepFunctionsFeature: 'States.UUID()',
    docs: 'rules/intrinsic-uuid/README.md',
    messages: { v1: 'uuid v1 is time-based; States.UUID() generates a random (v4) UUID' },
  },
  create: (lx, rule) => ({
    liftCall(callee, _args, n) {
      const path = callee.kind === 'global' || callee.kind === 'package' ? callee.path.join('.') : '';
      const randomUUID = (callee.kind === 'global' && path === 'crypto.randomUUID') || (callee.kind === 'package' && callee.source === 'crypto' && path === 'randomUUID');
      const uuidPackage = callee.kind === 'package' && UUID_PACKAGES.has(callee.source) && ['v4', 'v1', 'default.v4'].includes(path);
      if (!randomUUID && !uuidPackage) return undefined;
      lx.use(ID);
      if (uuidPackage && path.endsWith('v1')) lx.assume(line(n), rule.message('v1'), ID);
      return { kind: 'value', value: { kind: 'uuid' } };
    },
  }),
});
