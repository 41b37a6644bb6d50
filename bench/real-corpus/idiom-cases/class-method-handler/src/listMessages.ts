import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { traced } from './tracing.js';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const { MESSAGES_TABLE } = process.env;

class MessagesApi {
  // GET /channels/{channelId}/messages: the channel's messages, oldest first.
  @traced()
  public async handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const channelId = decodeURIComponent(event.pathParameters?.channelId ?? '');
    if (!channelId) {
      return { statusCode: 400, body: JSON.stringify({ message: 'channelId is required' }) };
    }
    try {
      const result = await ddb.send(
        new QueryCommand({
          TableName: MESSAGES_TABLE,
          KeyConditionExpression: 'channelId = :c',
          ExpressionAttributeValues: { ':c': channelId },
        }),
      );
      return { statusCode: 200, body: JSON.stringify(result.Items ?? []) };
    } catch (e) {
      console.error('query failed', e);
      return { statusCode: 500, body: JSON.stringify({ message: 'could not read messages' }) };
    }
  }
}

export const api = new MessagesApi();
export const handler = api.handler;
