import { createRule } from '../../src/rules/createRule.js';
import { CallbackLifting, ID } from './lift.js';

/** Handlers written as (event, context, callback) with callback(null, response) / callback(err), and SDK v2 calls with (err, data) callbacks, are lifted like async code. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'Callback-style handlers',
    description: 'Handlers written as (event, context, callback) with callback(null, response) / callback(err), and SDK v2 calls with (err, data) callbacks, are lifted like async code.',
    stepFunctionsFeature: 'Task + Catch + Pass',
    docs: 'rules/callback-handler/README.md',
    messages: {},
  },
  create: (lx) => new CallbackLifting(lx),
});
