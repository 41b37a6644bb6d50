import { createRule } from '../../src/rules/createRule.js';

/** BedrockRuntimeClient.send(new InvokeModelCommand(...)) with a JSON body becomes the optimized Bedrock integration; the parsed answer is read from the Task result's Body. */
export const rule = createRule({
  meta: {
    id: 'bedrock-invoke-model',
    title: 'Bedrock InvokeModel',
    description: 'BedrockRuntimeClient.send(new InvokeModelCommand(...)) with a JSON body becomes the optimized Bedrock integration; JSON.parse of the decoded response body reads the Task result\'s Body.',
    stepFunctionsFeature: 'arn:aws:states:::bedrock:invokeModel',
    docs: 'rules/bedrock-invoke-model/README.md',
    messages: {},
  },
});
