import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

// GET /accounts?accountId=...  A DynamoDB error is answered with its message.
export const handler = async (event) => {
  const accountId = event.queryStringParameters?.accountId ?? '';
  try {
    const { Item } = await ddb.send(new GetCommand({ TableName: process.env.ACCOUNTS_TABLE, Key: { accountId } }));
    if (!Item) return { statusCode: 404, body: JSON.stringify({ error: 'no such account' }) };
    return { statusCode: 200, body: JSON.stringify({ accountId, balance: Item.balance }) };
  } catch (error) {
    console.error(error);
    return { statusCode: 500, body: JSON.stringify({ error: 'could not read the account', details: error.message }) };
  }
};
