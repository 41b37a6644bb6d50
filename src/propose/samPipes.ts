// SQS / DynamoDB stream / Kinesis triggers of a handler that loops over event.Records become an EventBridge pipe
// (AWS::Pipes::Pipe: source → the state machine). A pipe sends a Step Functions target the batch as one JSON list
// of records, even for a batch of one, and retries the records a returned { batchItemFailures: [{ itemIdentifier }] }
// names (docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-batching-concurrency.html); the machine reads the
// list as $.event.Records (Workflow.recordsBatch). Express machines are started synchronously (REQUEST_RESPONSE) so
// the pipe sees their result; Standard ones fire and forget.

type Json = Record<string, unknown>;

/** What each trigger type reads, and the pipe's source parameters. */
const SOURCES: Record<string, { sourceKey: string; parameters: string; actions: string[]; stream: boolean }> = {
  SQS: { sourceKey: 'Queue', parameters: 'SqsQueueParameters', actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], stream: false },
  DynamoDB: { sourceKey: 'Stream', parameters: 'DynamoDBStreamParameters', actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'], stream: true },
  Kinesis: {
    sourceKey: 'Stream',
    parameters: 'KinesisStreamParameters',
    actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard'],
    stream: true,
  },
};

/** Event properties carried to the pipe's source parameters as they are. */
const CARRIED = new Set(['BatchSize', 'MaximumBatchingWindowInSeconds', 'StartingPosition']);

export const isPipeTrigger = (type: unknown): boolean => typeof type === 'string' && type in SOURCES;

/**
 * The pipe (and its role) for one trigger event of the function: `stateMachineId` the new state machine, `type` its
 * workflow type. Event properties with no pipe equivalent here become conflicts.
 */
export function samPipe(eventName: string, event: Json, stateMachineId: string, type: 'EXPRESS' | 'STANDARD', base: string, resources: Json, conflicts: string[], notes: string[]): Json {
  const source = SOURCES[event['Type'] as string]!;
  const props = (event['Properties'] ?? {}) as Json;
  const pipeId = `${base}${eventName}Pipe`;
  const roleId = `${pipeId}Role`;
  for (const id of [pipeId, roleId]) if (resources[id] !== undefined) conflicts.push(`the template already defines ${id}`);
  const sourceParameters: Json = {};
  for (const [k, v] of Object.entries(props)) {
    if (k === source.sourceKey) continue;
    if (CARRIED.has(k)) sourceParameters[k] = v;
    else if (k === 'FunctionResponseTypes') notes.push(`event ${eventName}: ReportBatchItemFailures is how a pipe reads the batchItemFailures the state machine returns; nothing to set`);
    else if (k === 'Enabled') continue;
    else conflicts.push(`event ${eventName} property ${k} is not carried to ${pipeId}: set its pipe equivalent by hand`);
  }
  if (source.stream && sourceParameters['StartingPosition'] === undefined) conflicts.push(`event ${eventName} has no StartingPosition, which ${pipeId} requires`);
  const enabled = props['Enabled'];
  const sourceArn = props[source.sourceKey];
  notes.push(
    `event ${eventName} (${String(event['Type'])}) becomes ${pipeId}: the pipe starts ${stateMachineId} with the batch as a list of records (${type === 'EXPRESS' ? 'synchronously, so a returned batchItemFailures list makes it retry those records' : 'fire and forget: a Standard execution returns nothing to the pipe, so batchItemFailures are not read'}); the trigger changes from Lambda to EventBridge Pipes`,
  );
  return {
    [pipeId]: {
      Type: 'AWS::Pipes::Pipe',
      Properties: {
        ...(enabled === false ? { DesiredState: 'STOPPED' } : {}),
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Source: sourceArn,
        ...(Object.keys(sourceParameters).length ? { SourceParameters: { [source.parameters]: sourceParameters } } : {}),
        Target: { Ref: stateMachineId },
        TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: type === 'EXPRESS' ? 'REQUEST_RESPONSE' : 'FIRE_AND_FORGET' } },
      },
    },
    [roleId]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pipes.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [
          {
            PolicyName: 'source-and-target',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: source.actions, Resource: sourceArn },
                { Effect: 'Allow', Action: type === 'EXPRESS' ? 'states:StartSyncExecution' : 'states:StartExecution', Resource: { Ref: stateMachineId } },
              ],
            },
          },
        ],
      },
    },
  };
}
