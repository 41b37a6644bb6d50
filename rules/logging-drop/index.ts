import { createRule } from '../../src/rules/createRule.js';
import { ID, LoggingDrop } from './lift.js';

/** console.*, Powertools Logger and Metrics calls are dropped with one assumption, when their arguments only read values. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'log calls',
    description: 'console.*, Powertools Logger and Metrics, and project logger calls (a class or object whose code only logs through console and sets its own fields) are dropped with one assumption (the execution history records every state\'s input and output), when their arguments only read values; a log call whose argument awaits, assigns or calls a function is a blocker.',
    stepFunctionsFeature: 'execution history and state machine logging',
    docs: 'rules/logging-drop/README.md',
    messages: {
      effect: 'the log call {{call}} runs {{effect}}, which may have effects; the analyser drops log calls only when their arguments just read values',
    },
  },
  create: (lx) => new LoggingDrop(lx),
});
