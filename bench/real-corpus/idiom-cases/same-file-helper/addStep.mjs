import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

const client = new DynamoDBClient({});
const STEPS_TABLE = process.env.STEPS_TABLE;

// The current last step of a plan, or null (also when the lookup fails).
async function findLastStep(planId) {
  try {
    const result = await client.send(
      new QueryCommand({
        TableName: STEPS_TABLE,
        KeyConditionExpression: 'planId = :p',
        FilterExpression: 'attribute_not_exists(nextStepId) OR nextStepId = :none',
        ExpressionAttributeValues: marshall({ ':p': planId, ':none': '' }),
      }),
    );
    if (!result.Items || result.Items.length === 0) {
      return null;
    }
    return unmarshall(result.Items[0]);
  } catch (error) {
    console.error('lookup failed', error);
    return null;
  }
}

// POST /plans/{planId}/steps  body: {"title": "..."}: appends a step to the plan's linked list.
export const handler = async (event) => {
  const planId = event.pathParameters.planId;
  const body = JSON.parse(event.body || '{}');
  const last = await findLastStep(planId);
  const step = { planId, stepId: randomUUID(), title: body.title || 'untitled', previousStepId: last ? last.stepId : '', nextStepId: '' };
  await client.send(new PutItemCommand({ TableName: STEPS_TABLE, Item: marshall(step) }));
  if (last) {
    await client.send(
      new UpdateItemCommand({
        TableName: STEPS_TABLE,
        Key: marshall({ planId, stepId: last.stepId }),
        UpdateExpression: 'SET nextStepId = :n',
        ExpressionAttributeValues: marshall({ ':n': step.stepId }),
      }),
    );
  }
  return { statusCode: 201, body: JSON.stringify({ stepId: step.stepId, after: step.previousStepId || null }) };
};
