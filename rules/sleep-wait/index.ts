import { createRule } from '../../src/rules/createRule.js';
import { WaitLifting } from './lift.js';

/** await sleep(ms) (a setTimeout promise or timers/promises setTimeout) becomes a Wait state; bounded polling loops (while/do…while/for with a max-tries counter, break and continue included) become a Wait + Task + Choice loop with the same bound, with the callback pattern proposed as the alternative. */
export const rule = createRule({
  meta: {
    id: 'sleep-wait',
    title: 'sleep → Wait state',
    description: 'await sleep(ms) (a setTimeout promise or timers/promises setTimeout) becomes a Wait state; bounded polling loops (while/do…while/for with a max-tries counter, break and continue included) become a Wait + Task + Choice loop with the same bound, with the callback pattern proposed as the alternative.',
    stepFunctionsFeature: 'Wait state',
    docs: 'rules/sleep-wait/README.md',
    messages: {},
  },
  create: (lx) => new WaitLifting(lx),
});
