// The normalised view of an SDK call that the DynamoDB rules recognise.
import type * as t from '@babel/types';
import type { ClientKind } from '../../analyze/clients.js';
import type { DynamoOp } from '../../model/workflow.js';

export interface SdkCallShape {
  client: ClientKind;
  /** Method called on the client: 'get', 'send', 'getItem', … */
  method: string;
  args: t.Node[];
  /** For `send(new XCommand(p))`: the command's export name and package. */
  command?: { name: string; source: string; args: t.Node[] };
  /** `.promise()` was called on the request (SDK v2). */
  promise: boolean;
  /** The client throws on an undefined value nested in an attribute (lib-dynamodb without removeUndefinedValues). */
  undefinedThrows?: boolean;
}

export interface DynamoMatch {
  op: DynamoOp;
  /** The request parameters expression. */
  params: t.Node | undefined;
  /** 'document': native JS values that must be marshalled; 'typed': AttributeValues already. */
  values: 'document' | 'typed';
  /** SDK v2 callback `(err, data) => …`, when the call uses one. */
  callback?: t.Node;
}

export const DOCUMENT_METHODS: Record<string, DynamoOp> = {
  get: 'getItem', put: 'putItem', update: 'updateItem', delete: 'deleteItem', query: 'query', scan: 'scan',
  batchGet: 'batchGetItem', batchWrite: 'batchWriteItem', transactWrite: 'transactWriteItems', transactGet: 'transactGetItems',
};

export const LOW_LEVEL_METHODS: Record<string, DynamoOp> = {
  getItem: 'getItem', putItem: 'putItem', updateItem: 'updateItem', deleteItem: 'deleteItem', query: 'query', scan: 'scan',
  batchGetItem: 'batchGetItem', batchWriteItem: 'batchWriteItem', transactWriteItems: 'transactWriteItems', transactGetItems: 'transactGetItems',
};

export const DOCUMENT_COMMANDS: Record<string, DynamoOp> = {
  GetCommand: 'getItem', PutCommand: 'putItem', UpdateCommand: 'updateItem', DeleteCommand: 'deleteItem', QueryCommand: 'query', ScanCommand: 'scan',
  BatchGetCommand: 'batchGetItem', BatchWriteCommand: 'batchWriteItem', TransactWriteCommand: 'transactWriteItems', TransactGetCommand: 'transactGetItems',
};

export const LOW_LEVEL_COMMANDS: Record<string, DynamoOp> = {
  GetItemCommand: 'getItem', PutItemCommand: 'putItem', UpdateItemCommand: 'updateItem', DeleteItemCommand: 'deleteItem', QueryCommand: 'query', ScanCommand: 'scan',
  BatchGetItemCommand: 'batchGetItem', BatchWriteItemCommand: 'batchWriteItem', TransactWriteItemsCommand: 'transactWriteItems', TransactGetItemsCommand: 'transactGetItems',
};
