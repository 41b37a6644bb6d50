import { createRule } from '../../src/rules/createRule.js';
import { DOCUMENT_COMMANDS, LOW_LEVEL_COMMANDS } from '../../src/lift/services/dynamoCall.js';

/** SDK v3 `@aws-sdk/lib-dynamodb`: `doc.send(new GetCommand(params))`. */
export const rule = createRule({
  meta: {
    id: 'dynamodb-v3-lib-send',
    title: 'SDK v3 lib-dynamodb send(new XCommand)',
    description: 'Recognises DynamoDBDocumentClient.send() with GetCommand, PutCommand, UpdateCommand, DeleteCommand, QueryCommand, ScanCommand and the batch/transaction commands, and marshals their native values.',
    stepFunctionsFeature: 'arn:aws:states:::dynamodb:* (optimized) and arn:aws:states:::aws-sdk:dynamodb:*',
    docs: 'rules/dynamodb-v3-lib-send/README.md',
    messages: {},
  },
  recogniseDynamoCall(call) {
    if (call.client !== 'v3-document-send' || call.method !== 'send' || !call.command) return undefined;
    const { name, source, args } = call.command;
    if (source === '@aws-sdk/lib-dynamodb' && DOCUMENT_COMMANDS[name]) return { op: DOCUMENT_COMMANDS[name]!, params: args[0], values: 'document' };
    // Low-level commands sent through a document client still take typed values.
    if (source === '@aws-sdk/client-dynamodb' && LOW_LEVEL_COMMANDS[name]) return { op: LOW_LEVEL_COMMANDS[name]!, params: args[0], values: 'typed' };
    return undefined;
  },
});
