import type { RuleMeta } from '../../src/rules/types.js';

/** await sleep(ms) (a setTimeout promise or timers/promises setTimeout) becomes a Wait state; polling loops are named as blockers. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'sleep-wait',
    title: 'sleep → Wait state',
    description: 'await sleep(ms) (a setTimeout promise or timers/promises setTimeout) becomes a Wait state; polling loops are named as blockers.',
    stepFunctionsFeature: 'Wait state',
    docs: 'rules/sleep-wait/README.md',
    messages: {},
  },
};
