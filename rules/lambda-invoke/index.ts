import type { RuleMeta } from '../../src/rules/types.js';

/** LambdaClient.send(new InvokeCommand(...)) with a JSON payload becomes the optimized Lambda integration; a decoded, parsed response Payload is read from the task result. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'lambda-invoke',
    title: 'Lambda Invoke',
    description: 'LambdaClient.send(new InvokeCommand(...)) with a JSON payload becomes the optimized Lambda integration; a decoded, parsed response Payload is read from the task result.',
    stepFunctionsFeature: 'arn:aws:states:::lambda:invoke',
    docs: 'rules/lambda-invoke/README.md',
    messages: {},
  },
};
