import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

// HTTP API (payload 2.0): GET /stock/{sku} and PUT /stock/{sku}. The body is serialised once, in finally,
// whichever way the try ended.
export const handler = async (event = {}) => {
  console.log('request', JSON.stringify(event));
  const { sku } = event.pathParameters || {};
  let statusCode = 200;
  let body;
  try {
    switch (event.routeKey) {
      case 'GET /stock/{sku}': {
        const { Item } = await ddb.send(new GetCommand({ TableName: process.env.STOCK_TABLE, Key: { sku } }));
        body = Item ? { sku, quantity: Item.quantity } : { sku, quantity: 0 };
        break;
      }
      case 'PUT /stock/{sku}': {
        const { quantity } = JSON.parse(event.body || '{}');
        await ddb.send(new PutCommand({ TableName: process.env.STOCK_TABLE, Item: { sku, quantity } }));
        console.info(`stock of ${sku} set to ${quantity}`);
        body = `stored ${sku}`;
        break;
      }
      default:
        throw new Error(`no route for ${event.routeKey}`);
    }
  } catch (err) {
    console.error('request failed', err.stack);
    statusCode = 400;
    body = err.message;
  } finally {
    body = JSON.stringify(body);
  }
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body };
};
