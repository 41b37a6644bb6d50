import { insertBookmark } from '../data/bookmarks.mjs';

// POST /users/{ownerId}/bookmarks  body: {"bookmarkId": "...", "url": "...", "title": "..."}
export const handler = async (event) => {
  const ownerId = event.pathParameters.ownerId;
  const input = JSON.parse(event.body);
  if (typeof input.url !== 'string' || typeof input.bookmarkId !== 'string') {
    return { statusCode: 400, body: JSON.stringify({ message: 'bookmarkId and url are required' }) };
  }
  try {
    const saved = await insertBookmark({ ownerId, bookmarkId: input.bookmarkId, url: input.url, title: input.title ?? input.url });
    return { statusCode: 201, body: JSON.stringify(saved) };
  } catch (err) {
    if (err.name === 'ConditionalCheckFailedException') {
      return { statusCode: 409, body: JSON.stringify({ message: 'bookmark exists' }) };
    }
    throw err;
  }
};
