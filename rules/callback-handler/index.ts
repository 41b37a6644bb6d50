import type { RuleMeta } from '../../src/rules/types.js';

/** Handlers written as (event, context, callback) with callback(null, response) / callback(err), and SDK v2 calls with (err, data) callbacks, are lifted like async code. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'callback-handler',
    title: 'Callback-style handlers',
    description: 'Handlers written as (event, context, callback) with callback(null, response) / callback(err), and SDK v2 calls with (err, data) callbacks, are lifted like async code.',
    stepFunctionsFeature: 'Task + Catch + Pass',
    docs: 'rules/callback-handler/README.md',
    messages: {},
  },
};
