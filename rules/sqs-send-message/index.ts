import { createRule } from '../../src/rules/createRule.js';

/** SQSClient.send(new SendMessageCommand(...)) and SDK v2 sqs.sendMessage(...).promise() become the optimized SQS integration with the same QueueUrl, MessageBody and attributes. */
export const rule = createRule({
  meta: {
    id: 'sqs-send-message',
    title: 'SQS SendMessage',
    description: 'SQSClient.send(new SendMessageCommand(...)) and SDK v2 sqs.sendMessage(...).promise() become the optimized SQS integration with the same QueueUrl, MessageBody and attributes.',
    stepFunctionsFeature: 'arn:aws:states:::sqs:sendMessage',
    docs: 'rules/sqs-send-message/README.md',
    messages: {},
  },
});
