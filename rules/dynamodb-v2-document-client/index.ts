import { createRule } from '../../src/rules/createRule.js';
import { DOCUMENT_METHODS } from '../../src/lift/services/dynamoCall.js';

/** SDK v2 `new AWS.DynamoDB.DocumentClient()`: `db.get(params).promise()` and `db.get(params, (err, data) => …)`. */
export const rule = createRule({
  meta: {
    id: 'dynamodb-v2-document-client',
    title: 'SDK v2 DocumentClient calls',
    description: 'Recognises DocumentClient get/put/update/delete/query/scan/batch/transact calls, with .promise() or a node-style callback, and marshals their native values into AttributeValues.',
    stepFunctionsFeature: 'arn:aws:states:::dynamodb:* (optimized) and arn:aws:states:::aws-sdk:dynamodb:* for query, scan, batch and transactions',
    docs: 'rules/dynamodb-v2-document-client/README.md',
    messages: {},
  },
  recogniseDynamoCall(call) {
    if (call.client !== 'v2-document') return undefined;
    const op = DOCUMENT_METHODS[call.method];
    if (!op) return undefined;
    const callback = call.args.length >= 2 ? call.args[call.args.length - 1] : undefined;
    return { op, params: call.args[0], values: 'document', callback: !call.promise && callback ? callback : undefined };
  },
});
