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
    messages: { finally: 'try/finally has no Step Functions equivalent', errorMessage: 'the catch reads the error message, and the try also runs a step whose Cause is not known to start with it' },
  },
  create: (lx) => new TryCatchLifting(lx),
});
