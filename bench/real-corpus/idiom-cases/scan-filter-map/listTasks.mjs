import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

const client = new DynamoDBClient({});
const TASKS_TABLE = process.env.TASKS_TABLE;

// GET /projects/{projectId}/tasks[?status=open]: one scan page, filtered and projected in memory.
export const handler = async (event) => {
  const projectId = event.pathParameters.projectId;
  const status = event.queryStringParameters?.status ?? null;
  const { Items } = await client.send(new ScanCommand({ TableName: TASKS_TABLE }));
  const tasks = Items.map((item) => unmarshall(item))
    .filter((task) => task.projectId === projectId && (!status || task.status === status))
    .map((task) => ({ taskId: task.taskId, title: task.title, status: task.status }));
  const first = tasks.find((task) => task.status === 'open') || tasks[0] || null;
  return { statusCode: 200, body: JSON.stringify({ count: tasks.length, next: first ? first.taskId : null, tasks }) };
};
