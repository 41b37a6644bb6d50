import type { RuleMeta } from '../../src/rules/types.js';

/** new Date().toISOString() becomes $$.State.EnteredTime (the entry time of the state that stores it). Epoch arithmetic (Date.now(), getTime()) is a blocker: JSONPath has no clock arithmetic. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'intrinsic-timestamp',
    title: 'Current time as ISO string',
    description: 'new Date().toISOString() becomes $$.State.EnteredTime (the entry time of the state that stores it). Epoch arithmetic (Date.now(), getTime()) is a blocker: JSONPath has no clock arithmetic.',
    stepFunctionsFeature: '$$.State.EnteredTime',
    docs: 'rules/intrinsic-timestamp/README.md',
    messages: { entered: 'new Date().toISOString() becomes $$.State.EnteredTime: the time the state was entered, not the instant of the call', epoch: '{{construct}}: epoch-millisecond time has no JSONPath equivalent (JSONata: $millis())' },
  },
};
