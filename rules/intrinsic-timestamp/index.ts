import { createRule } from '../../src/rules/createRule.js';

const ID = 'intrinsic-timestamp';

/** new Date().toISOString() becomes $$.State.EnteredTime (the entry time of the state that stores it). Epoch arithmetic (Date.now(), getTime()) is a blocker: JSONPath has no clock arithmetic. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'Current time as ISO string',
    description: 'new Date().toISOString() becomes $$.State.EnteredTime (the entry time of the state that stores it). Epoch time (Date.now(), getTime(), TTL arithmetic) has no JSONPath equivalent: it is named as a blocker and kept in a small Lambda function (residual-lambda), its number written as N.',
    stepFunctionsFeature: '$$.State.EnteredTime',
    docs: 'rules/intrinsic-timestamp/README.md',
    messages: { entered: 'new Date().toISOString() becomes $$.State.EnteredTime: the time the state that stores it was entered, not the instant of the call', epoch: '{{construct}}: epoch-millisecond time has no JSONPath equivalent (JSONata: $millis())' },
  },
  create: (_lx, rule) => ({
    liftCall(callee, _args, n) {
      if (callee.kind !== 'global' || callee.path.join('.') !== 'Date.now') return undefined;
      throw rule.failure('epoch', n, { construct: 'Date.now()' }, true);
    },
  }),
});
