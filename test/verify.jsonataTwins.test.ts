// verify on JSONata machines: hand-written JSONata twins of two example projects' JSONPath proposals go
// through verifyCase → runDefinition → the JSONata executor (DynamoDB tasks on dynalite, the real handler on
// the other side) and must give the same verify result as the JSONPath proposals on aws-local-stepfunctions.
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { AslDefinition, Finding, ScanReport } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { DYNAMO_VALUE_FUNCTIONS, jsonataField, marshalItemExpression } from '../src/emit/jsonata/dynamoValues.js';
import { bindTasks, runDefinition } from '../src/verify/runStateMachine.js';
import { runJsonataMachine } from '../src/verify/jsonata/executeJsonata.js';
import { tablesFromKeyUsage, verifyCase, type VerifyReport } from '../src/verify/verifyCase.js';
import { REPO_ROOT } from './support/goldenCases.js';

const EXAMPLES = join(REPO_ROOT, 'fixtures', 'examples');
const DEPS = join(REPO_ROOT, 'node_modules');

const RETRY = [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.RequestLimitExceededException', 'DynamoDB.InternalServerErrorException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }];

/** 02-v3-get-404: GetItem, 404 when the item is missing, else the unmarshalled fields as a JSON body. */
const getTicketTwin = (): AslDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'GetItem',
  States: {
    GetItem: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Arguments: { TableName: '${TicketsTable}', Key: { ticketId: { S: '{% $states.input.pathParameters.ticketId %}' } } },
      Assign: { ticketId: '{% $states.input.pathParameters.ticketId %}' },
      Retry: RETRY,
      Next: 'Found?',
    },
    'Found?': { Type: 'Choice', Choices: [{ Condition: '{% $exists($states.input.Item) %}', Next: 'Respond 200' }], Default: 'Respond 404' },
    'Respond 404': {
      Type: 'Pass',
      Output: { statusCode: 404, headers: { 'content-type': 'application/json' }, body: "{% $string({'message': 'Ticket ' & $ticketId & ' does not exist'}) %}" },
      End: true,
    },
    'Respond 200': {
      Type: 'Pass',
      Output: {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: `{% ( ${DYNAMO_VALUE_FUNCTIONS}; $i := $l2sUnmarshalMap($states.input.Item); $string({'ticketId': $i.ticketId, 'subject': $i.subject, 'status': $i.status, 'priority': $i.priority, 'assignee': $exists($i.assignee) ? $i.assignee : null}) ) %}`,
      },
      End: true,
    },
  },
});

/** 04-update-returnvalues: conditional UpdateItem with UPDATED_NEW; the conditional failure answers 404. */
const likePostTwin = (catchName = 'DynamoDB.ConditionalCheckFailedException'): AslDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'UpdateItem',
  States: {
    UpdateItem: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Arguments: {
        TableName: '${PostsTable}',
        Key: { postId: { S: '{% $states.input.pathParameters.postId %}' } },
        UpdateExpression: 'ADD likeCount :inc SET lastLikedAt = :now, lastLikedBy = :who',
        ConditionExpression: 'attribute_exists(postId) AND #state = :published',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':inc': { N: '1' },
          ':now': { S: '{% $states.context.State.EnteredTime %}' },
          ':who': { S: "{% ($sub := $states.input.requestContext.authorizer.claims.sub; $exists($sub) and $sub != null ? $sub : 'anonymous') %}" },
          ':published': { S: 'PUBLISHED' },
        },
        ReturnValues: 'UPDATED_NEW',
      },
      Output: {
        statusCode: 200,
        body: "{% $string($merge([{'postId': $states.input.pathParameters.postId}, $exists($states.result.Attributes.likeCount) ? {'likes': $number($states.result.Attributes.likeCount.N)} : {}])) %}",
      },
      Retry: RETRY,
      Catch: [{ ErrorEquals: [catchName], Output: { statusCode: 404, body: '{"message":"post not found or not published"}' }, Next: 'Done' }],
      End: true,
    },
    Done: { Type: 'Succeed' },
  },
});

/**
 * 06-uuid-put-sns: parse the body, validate, build the item ($uuid, `??` defaults written with $exists),
 * PutItem with the generic marshaller (email null → {"NULL": true}), SNS Publish, 201.
 */
const submitFeedbackTwin = (): AslDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'Parse',
  States: {
    Parse: { Type: 'Pass', Assign: { input: "{% $exists($states.input.body) and $states.input.body != null ? $parse($states.input.body) : {} %}" }, Next: 'Valid?' },
    'Valid?': {
      Type: 'Choice',
      Choices: [{ Condition: "{% $exists($input.productId) and $boolean($input.productId) and $type($input.rating) = 'number' and $input.rating >= 1 and $input.rating <= 5 %}", Next: 'Build item' }],
      Default: 'Respond 400',
    },
    'Respond 400': { Type: 'Pass', Output: { statusCode: 400, body: '{"error":"productId and a rating from 1 to 5 are required"}' }, End: true },
    'Build item': {
      Type: 'Pass',
      Assign: {
        item: "{% {'feedbackId': $uuid(), 'productId': $input.productId, 'rating': $input.rating, 'comment': $exists($input.comment) and $input.comment != null ? $input.comment : '', 'email': $exists($input.email) and $input.email != null ? $input.email : null, 'receivedAt': $states.context.State.EnteredTime} %}",
      },
      Next: 'PutItem',
    },
    PutItem: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Arguments: { TableName: '${FeedbackTable}', Item: jsonataField(marshalItemExpression('$item')) }, Retry: RETRY, Next: 'Publish' },
    Publish: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish',
      Arguments: {
        TopicArn: '${FeedbackTopicArn}',
        Subject: "{% 'New ' & $string($item.rating) & '-star feedback' %}",
        Message: '{% $string($item) %}',
        MessageAttributes: { rating: { DataType: 'Number', StringValue: '{% $string($item.rating) %}' }, productId: { DataType: 'String', StringValue: '{% $item.productId %}' } },
      },
      Next: 'Respond 201',
    },
    'Respond 201': { Type: 'Pass', Output: { statusCode: 201, body: "{% $string({'feedbackId': $item.feedbackId}) %}" }, End: true },
  },
});

/** fixtures/cases/query-items-map-unmarshal: aws-sdk Query, every item unmarshalled generically (lists, booleans, empty lists). */
const tracksTwin = (): AslDefinition => ({
  QueryLanguage: 'JSONata',
  StartAt: 'Query',
  States: {
    Query: {
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
      Arguments: { TableName: '${TracksTable}', KeyConditionExpression: 'playlistId = :p', ExpressionAttributeValues: { ':p': { S: '{% $states.input.pathParameters.playlistId %}' } } },
      Output: {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: `{% ( ${DYNAMO_VALUE_FUNCTIONS}; $string({'count': $states.result.Count, 'tracks': $reduce($states.result.Items, function($acc, $i){ $append($acc, [$l2sUnmarshalMap($i)]) }, [])}) ) %}`,
      },
      End: true,
    },
  },
});

let report: ScanReport;
beforeAll(async () => {
  report = await scanProject([EXAMPLES], { cwd: REPO_ROOT });
});

/** The example's proposal as its case folder sees it, with the definition replaced. */
function withDefinition(name: string, file: string, definition?: AslDefinition): Finding[] {
  const f = structuredClone(report.findings.find((x) => x.file === `${name}/${file}` && x.export === 'handler')!);
  f.file = f.file.slice(name.length + 1);
  if (definition) f.stateMachine = { ...f.stateMachine!, queryLanguage: 'JSONata', definition };
  return [f];
}

const summary = (r: VerifyReport) => ({ equivalent: r.equivalent, events: r.events.map((e) => [e.name, e.equal, e.reason ?? '']), tables: r.tables.equal, sideEffects: r.sideEffects.equal });

describe('verify runs JSONata machines on the lambda2sfn executor', () => {
  test.each([
    ['02-v3-get-404', 'src/getTicket.ts', getTicketTwin],
    ['04-update-returnvalues', 'src/handlers/likePost.ts', () => likePostTwin()],
    ['06-uuid-put-sns', 'src/submitFeedback.ts', submitFeedbackTwin],
  ])('%s: the JSONata twin gives the same verify result as the JSONPath proposal (equivalent)', async (name, file, twin) => {
    const dir = join(EXAMPLES, name);
    const jsonPath = await verifyCase(dir, { cwd: REPO_ROOT, deps: DEPS, findings: withDefinition(name, file) });
    const jsonata = await verifyCase(dir, { cwd: REPO_ROOT, deps: DEPS, findings: withDefinition(name, file, twin()) });
    expect(jsonata.events.filter((e) => !e.equal)).toEqual([]);
    expect(summary(jsonata)).toEqual(summary(jsonPath));
    expect(jsonata.equivalent).toBe(true);
  });

  test('a JSONata twin whose Catch names the wrong error is reported as different', async () => {
    const name = '04-update-returnvalues';
    const r = await verifyCase(join(EXAMPLES, name), { cwd: REPO_ROOT, deps: DEPS, findings: withDefinition(name, 'src/handlers/likePost.ts', likePostTwin('DynamoDb.ConditionalCheckFailedException')) });
    expect(r.equivalent).toBe(false);
    // The two events whose conditional update fails (events.json: a draft post and an unknown post).
    expect(r.events.filter((e) => !e.equal).map((e) => [e.name, e.reason])).toEqual([
      ['draft post cannot be liked', 'the state machine failed (DynamoDB.ConditionalCheckFailedException: The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: LOCAL; Proxy: null)), the handler answered'],
      ['unknown post', 'the state machine failed (DynamoDB.ConditionalCheckFailedException: The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: LOCAL; Proxy: null)), the handler answered'],
    ]);
  });
});

test('fixtures/cases/query-items-map-unmarshal: the JSONata twin gives the same verify result as the JSONPath proposal (equivalent)', async () => {
  const dir = join(REPO_ROOT, 'fixtures', 'cases', 'query-items-map-unmarshal');
  const scanned = await scanProject([dir], { cwd: dir });
  const proposal = scanned.findings.find((f) => f.file === 'handler.ts' && f.export === 'handler')!;
  const twin = structuredClone(proposal);
  twin.stateMachine = { ...twin.stateMachine!, queryLanguage: 'JSONata', definition: tracksTwin() };
  const jsonPath = await verifyCase(dir, { cwd: dir, deps: DEPS, findings: [proposal] });
  const jsonata = await verifyCase(dir, { cwd: dir, deps: DEPS, findings: [twin] });
  expect(jsonata.events.filter((e) => !e.equal)).toEqual([]);
  expect(summary(jsonata)).toEqual(summary(jsonPath));
  expect(jsonata.equivalent).toBe(true);
});

describe('verify refuses what the executor cannot run faithfully', () => {
  test('a Task with Credentials (not implemented) is a usage error before anything runs', async () => {
    const twin = getTicketTwin();
    twin.States['GetItem']!['Credentials'] = { RoleArn: 'arn:aws:iam::123456789012:role/reader' };
    const name = '02-v3-get-404';
    await expect(verifyCase(join(EXAMPLES, name), { cwd: REPO_ROOT, deps: DEPS, findings: withDefinition(name, 'src/getTicket.ts', twin) })).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringMatching(/not supported by the lambda2sfn JSONata executor: field Credentials/),
    });
  });
});

describe('runDefinition routing', () => {
  const ctx = { client: undefined as never, sideEffects: [] };

  test('a JSONata definition runs on the executor (aws-local-stepfunctions would ignore Output and return the input)', async () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: { x: '{% 1 + 2 %}' }, End: true } } };
    expect(await runDefinition(definition, { in: true }, ctx)).toEqual({ ok: true, output: { x: 3 } });
  });

  test('a JSONPath definition with a JSONata state is refused, not run silently wrong', async () => {
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { x: '{% 1 + 2 %}' }, End: true } } };
    await expect(runDefinition(definition, {}, ctx)).rejects.toThrow(/JSONata states cannot be verified/);
  });

  test('tables derived from key usage read JSONata Arguments too', () => {
    const f = withDefinition('02-v3-get-404', 'src/getTicket.ts', getTicketTwin())[0]!;
    expect(tablesFromKeyUsage([f], { TICKETS_TABLE: 'Tickets' }).tables?.map((t) => [t.TableName, t.KeySchema, t.AttributeDefinitions])).toEqual([
      ['Tickets', [{ AttributeName: 'ticketId', KeyType: 'HASH' }], [{ AttributeName: 'ticketId', AttributeType: 'S' }]],
    ]);
  });
});

describe('Task bindings for JSONata states', () => {
  test('lambda:invoke of the original handler is bound from Arguments.FunctionName and gets the evaluated Payload', async () => {
    const seen: unknown[] = [];
    const states = {
      Invoke: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: '${OriginalHandlerArn}', Payload: { path: '{% $states.input.rawPath %}' } },
        Output: '{% $states.result.Payload %}',
        End: true,
      },
    };
    const bindings = bindTasks(states, { client: undefined as never, sideEffects: [], handler: async (event) => (seen.push(event), { statusCode: 204 }) });
    const out = await runJsonataMachine({ QueryLanguage: 'JSONata', StartAt: 'Invoke', States: states }, { rawPath: '/x' }, bindings);
    expect(seen).toEqual([{ path: '/x' }]);
    expect(out).toMatchObject({ ok: true, output: { statusCode: 204 } });
  });
});
