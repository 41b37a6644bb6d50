import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

const client = new DynamoDBClient({});
const TASKS_TABLE = process.env.TASKS_TABLE;

// POST /projects/{projectId}/close: marks every open task of the project as closed.
export const handler = async (event) => {
  const projectId = event.pathParameters.projectId;
  const { Items } = await client.send(new ScanCommand({ TableName: TASKS_TABLE }));
  const open = Items.map((item) => unmarshall(item)).filter((task) => task.projectId === projectId && task.status === 'open');
  await Promise.all(
    open.map((task) =>
      client.send(
        new UpdateItemCommand({
          TableName: TASKS_TABLE,
          Key: marshall({ taskId: task.taskId }),
          UpdateExpression: 'SET #s = :closed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: marshall({ ':closed': 'closed' }),
        }),
      ),
    ),
  );
  return { statusCode: 200, body: JSON.stringify({ projectId, closed: open.length }) };
};
