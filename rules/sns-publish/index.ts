import { createRule } from '../../src/rules/createRule.js';

/** SNSClient.send(new PublishCommand(...)) becomes the optimized SNS integration with the same TopicArn, Message, Subject and MessageAttributes. */
export const rule = createRule({
  meta: {
    id: 'sns-publish',
    title: 'SNS publish',
    description: 'SNSClient.send(new PublishCommand(...)) becomes the optimized SNS integration with the same TopicArn, Message, Subject and MessageAttributes.',
    stepFunctionsFeature: 'arn:aws:states:::sns:publish',
    docs: 'rules/sns-publish/README.md',
    messages: {},
  },
});
