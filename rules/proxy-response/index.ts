import { createRule } from '../../src/rules/createRule.js';

/** return { statusCode, headers, body: JSON.stringify(x) } (directly or through a response helper) becomes a Pass state that builds the same object; DynamoDB results are unmarshalled to the shape the handler returned. */
export const rule = createRule({
  meta: {
    id: 'proxy-response',
    title: 'Proxy responses',
    description: 'return { statusCode, headers, body: JSON.stringify(x) } (directly or through a response helper) becomes a Pass state that builds the same object; DynamoDB results are unmarshalled to the shape the handler returned.',
    stepFunctionsFeature: 'Pass state (Parameters + States.JsonToString)',
    docs: 'rules/proxy-response/README.md',
    messages: {},
  },
});
