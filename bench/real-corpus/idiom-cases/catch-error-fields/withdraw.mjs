import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

// POST /accounts/{accountId}/withdraw  body: {"amount": 25}
export const handler = async (event) => {
  const { accountId } = event.pathParameters;
  const { amount } = JSON.parse(event.body);
  try {
    const { Attributes } = await ddb.send(
      new UpdateCommand({
        TableName: process.env.ACCOUNTS_TABLE,
        Key: { accountId },
        UpdateExpression: 'SET balance = balance - :amount',
        ConditionExpression: 'attribute_exists(accountId) AND balance >= :amount',
        ExpressionAttributeValues: { ':amount': amount },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return { statusCode: 200, body: JSON.stringify({ accountId, balance: Attributes.balance }) };
  } catch (err) {
    if (err.name === 'ConditionalCheckFailedException') {
      return { statusCode: 409, body: JSON.stringify({ message: 'insufficient funds or no such account' }) };
    }
    throw err;
  }
};
