import { createRule } from '../../src/rules/createRule.js';
import { DOCUMENT_METHODS } from '../../src/lift/services/dynamoCall.js';

/** SDK v3 `DynamoDBDocument.from(client)`: `await db.get(params)`. */
export const rule = createRule({
  meta: {
    id: 'dynamodb-v3-document-methods',
    title: 'SDK v3 DynamoDBDocument methods',
    description: 'Recognises the aggregated DynamoDBDocument client methods (get, put, update, delete, query, scan, batch and transactions).',
    stepFunctionsFeature: 'arn:aws:states:::dynamodb:* (optimized) and arn:aws:states:::aws-sdk:dynamodb:*',
    docs: 'rules/dynamodb-v3-document-methods/README.md',
    messages: {},
  },
  recogniseDynamoCall(call) {
    if (call.client !== 'v3-document-methods') return undefined;
    const op = DOCUMENT_METHODS[call.method];
    return op ? { op, params: call.args[0], values: 'document' } : undefined;
  },
});
