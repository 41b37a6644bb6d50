import { createRule } from '../../src/rules/createRule.js';
import { ID, TryCatchLifting } from './lift.js';

/** try/catch becomes Catch on the Task states inside the try; err.name/err.code/instanceof checks for ConditionalCheckFailedException become specific catchers listing both spellings (DynamoDB.X, raised by optimized integrations, and DynamoDb.X, raised by aws-sdk integrations); a rethrow leaves other errors failing the execution. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'try/catch around DynamoDB calls',
    description: 'try/catch becomes Catch on the Task states inside the try; err.name/err.code/instanceof checks for ConditionalCheckFailedException become specific catchers listing both spellings (DynamoDB.X, raised by optimized integrations, and DynamoDb.X, raised by aws-sdk integrations); a rethrow leaves other errors failing the execution.',
    stepFunctionsFeature: 'Catch (ErrorEquals)',
    docs: 'rules/try-catch/README.md',
    messages: {
      finally: 'try/finally has no Step Functions equivalent (a finally that only logs is dropped; this one does more)',
      errorMessage: 'the catch reads {{error}}.message, and the try also {{other}}: only a DynamoDB task\'s Cause is known to start with the SDK\'s message',
    },
  },
  create: (lx, rule) => new TryCatchLifting(lx, rule),
});
