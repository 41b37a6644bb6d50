// Repository: the only module that knows how bookmarks are stored.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, BOOKMARKS_TABLE } from './client.mjs';

export async function findBookmark(ownerId, bookmarkId) {
  const command = new GetCommand({
    TableName: BOOKMARKS_TABLE,
    Key: { ownerId, bookmarkId },
  });
  const result = await ddb.send(command);
  return result.Item;
}

export async function insertBookmark(bookmark) {
  await ddb.send(
    new PutCommand({
      TableName: BOOKMARKS_TABLE,
      Item: bookmark,
      ConditionExpression: 'attribute_not_exists(bookmarkId)',
    }),
  );
  return bookmark;
}
