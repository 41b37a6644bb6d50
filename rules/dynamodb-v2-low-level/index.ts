import { createRule } from '../../src/rules/createRule.js';
import { LOW_LEVEL_METHODS } from '../../src/lift/services/dynamoCall.js';

/** SDK v2 `new AWS.DynamoDB()`: `ddb.getItem({Key: {id: {S: id}}}).promise()`. */
export const rule = createRule({
  meta: {
    id: 'dynamodb-v2-low-level',
    title: 'SDK v2 low-level DynamoDB calls',
    description: 'Recognises AWS.DynamoDB getItem/putItem/updateItem/deleteItem/query/scan calls whose parameters are already typed AttributeValues.',
    stepFunctionsFeature: 'arn:aws:states:::dynamodb:* (optimized) and arn:aws:states:::aws-sdk:dynamodb:*',
    docs: 'rules/dynamodb-v2-low-level/README.md',
    messages: {},
  },
  recogniseDynamoCall(call) {
    if (call.client !== 'v2-low') return undefined;
    const op = LOW_LEVEL_METHODS[call.method];
    if (!op) return undefined;
    const callback = call.args.length >= 2 ? call.args[call.args.length - 1] : undefined;
    return { op, params: call.args[0], values: 'typed', callback: !call.promise && callback ? callback : undefined };
  },
});
