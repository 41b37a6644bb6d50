import { findBookmark } from '../data/bookmarks.mjs';

// GET /users/{ownerId}/bookmarks/{bookmarkId}
export const handler = async (event) => {
  const { ownerId, bookmarkId } = event.pathParameters;
  const bookmark = await findBookmark(ownerId, bookmarkId);
  if (!bookmark) {
    return { statusCode: 404, body: JSON.stringify({ message: `bookmark ${bookmarkId} not found` }) };
  }
  return { statusCode: 200, body: JSON.stringify({ url: bookmark.url, title: bookmark.title }) };
};
