import { createRule } from '../../src/rules/createRule.js';

/** LambdaClient.send(new InvokeCommand(...)) with a JSON payload becomes the optimized Lambda integration; a decoded, parsed response Payload is read from the task result. */
export const rule = createRule({
  meta: {
    id: 'lambda-invoke',
    title: 'Lambda Invoke',
    description: 'LambdaClient.send(new InvokeCommand(...)) with a JSON payload becomes the optimized Lambda integration; a decoded, parsed response Payload is read from the task result.',
    stepFunctionsFeature: 'arn:aws:states:::lambda:invoke',
    docs: 'rules/lambda-invoke/README.md',
    messages: {},
  },
});
