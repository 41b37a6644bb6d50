import { createRule } from '../../src/rules/createRule.js';
import { LOW_LEVEL_COMMANDS, LOW_LEVEL_METHODS } from '../../src/lift/services/dynamoCall.js';

/** SDK v3 `@aws-sdk/client-dynamodb`: `client.send(new GetItemCommand({Key: marshall({id})}))` and `new DynamoDB().getItem(...)`. */
export const rule = createRule({
  meta: {
    id: 'dynamodb-v3-low-level',
    title: 'SDK v3 low-level DynamoDB client',
    description: 'Recognises DynamoDBClient.send() with GetItemCommand/PutItemCommand/… and the aggregated DynamoDB client methods; typed values, marshall() and unmarshall() are followed.',
    stepFunctionsFeature: 'arn:aws:states:::dynamodb:* (optimized) and arn:aws:states:::aws-sdk:dynamodb:*',
    docs: 'rules/dynamodb-v3-low-level/README.md',
    messages: {},
  },
  recogniseDynamoCall(call) {
    if (call.client === 'v3-low-methods') {
      const op = LOW_LEVEL_METHODS[call.method];
      return op ? { op, params: call.args[0], values: 'typed' } : undefined;
    }
    if (call.client !== 'v3-low-send' || call.method !== 'send' || !call.command) return undefined;
    const { name, source, args } = call.command;
    if (source === '@aws-sdk/client-dynamodb' && LOW_LEVEL_COMMANDS[name]) return { op: LOW_LEVEL_COMMANDS[name]!, params: args[0], values: 'typed' };
    return undefined;
  },
});
