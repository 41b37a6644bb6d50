import type { RuleMeta } from '../../src/rules/types.js';

/** EventBridgeClient.send(new PutEventsCommand(...)) and SDK v2 eventBridge.putEvents(...).promise() become the optimized EventBridge integration with the same Entries. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'eventbridge-put-events',
    title: 'EventBridge PutEvents',
    description: 'EventBridgeClient.send(new PutEventsCommand(...)) and SDK v2 eventBridge.putEvents(...).promise() become the optimized EventBridge integration with the same Entries.',
    stepFunctionsFeature: 'arn:aws:states:::events:putEvents',
    docs: 'rules/eventbridge-put-events/README.md',
    messages: {},
  },
};
