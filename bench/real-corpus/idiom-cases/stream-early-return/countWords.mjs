import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

// DynamoDB stream of the posts table: stores the word count of each new post. The batch stops at the first
// record that is not an insert (the remaining records of that batch are not counted).
export const handler = async (event) => {
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) {
      return;
    }
    const postId = record.dynamodb.Keys.postId.S;
    const text = record.dynamodb.NewImage.text?.S ?? '';
    await ddb.send(
      new UpdateCommand({
        TableName: process.env.POSTS_TABLE,
        Key: { postId },
        UpdateExpression: 'SET words = :n',
        ExpressionAttributeValues: { ':n': text.split(' ').length },
      }),
    );
  }
};
