import { createRule } from '../../src/rules/createRule.js';

/** Allow-listed SDK v3 commands (SSM GetParameter, Secrets Manager GetSecretValue, Step Functions StartExecution, SES v2 SendEmail) become AWS SDK integration Tasks. */
export const rule = createRule({
  meta: {
    id: 'aws-sdk-integration',
    title: 'AWS SDK integration',
    description: 'Allow-listed SDK v3 commands (SSM GetParameter, Secrets Manager GetSecretValue, Step Functions StartExecution, SES v2 SendEmail) become arn:aws:states:::aws-sdk:<service>:<action> Tasks with PascalCase parameters; only result fields that read the same in the Task result are allowed.',
    stepFunctionsFeature: 'arn:aws:states:::aws-sdk:<service>:<action>',
    docs: 'rules/aws-sdk-integration/README.md',
    messages: {},
  },
});
