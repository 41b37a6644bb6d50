const { DynamoDB } = require('aws-sdk');

// GET /sessions/{token}: SDK v2 clients built inside the handler, one of them inline in the call; the table
// name comes from a variable the stack always sets, with a throwing fallback for a misconfigured deploy.
exports.handler = async (event) => {
  const table = process.env.SESSIONS_TABLE || (() => { throw new Error('SESSIONS_TABLE is not set'); })();
  const token = event.pathParameters && event.pathParameters.token;
  if (!token) {
    return { statusCode: 400, body: JSON.stringify({ message: 'token missing' }) };
  }
  const session = (await new DynamoDB.DocumentClient().get({ TableName: table, Key: { token } }).promise()).Item;
  if (!session) {
    return { statusCode: 404, body: JSON.stringify({ message: 'unknown session' }) };
  }
  const documentClient = new DynamoDB.DocumentClient();
  await documentClient
    .update({
      TableName: table,
      Key: { token },
      UpdateExpression: 'SET hits = if_not_exists(hits, :zero) + :one',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
    })
    .promise();
  return { statusCode: 200, body: JSON.stringify({ user: session.user, hits: (session.hits || 0) + 1 }) };
};
