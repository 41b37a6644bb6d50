import { createRule } from '../../src/rules/createRule.js';

/** EventBridgeClient.send(new PutEventsCommand(...)) and SDK v2 eventBridge.putEvents(...).promise() become the optimized EventBridge integration with the same Entries. */
export const rule = createRule({
  meta: {
    id: 'eventbridge-put-events',
    title: 'EventBridge PutEvents',
    description: 'EventBridgeClient.send(new PutEventsCommand(...)) and SDK v2 eventBridge.putEvents(...).promise() become the optimized EventBridge integration with the same Entries.',
    stepFunctionsFeature: 'arn:aws:states:::events:putEvents',
    docs: 'rules/eventbridge-put-events/README.md',
    messages: {},
  },
});
