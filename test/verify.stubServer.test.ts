// The loopback stub server: SNS, EventBridge and SQS answered and recorded in the SDK input shape, and the
// HTTP routes of stubs.json. Real SDK clients (v3 and v2) against a real server on 127.0.0.1.
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishBatchCommand, PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import type AWSType from 'aws-sdk';
import { parseQueryProtocol, sqsMessageAttributesMd5, startStubServer, type StubRoute, type StubServer } from '../src/verify/stubServer.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let AWS: typeof AWSType;
beforeAll(async () => {
  process.env['AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE'] = '1';
  AWS = (await import('aws-sdk')).default;
});

// Every test's servers and clients are closed after it, also when it fails.
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
async function stub(routes: Parameters<typeof startStubServer>[0] = []): Promise<StubServer> {
  const s = await startStubServer(routes);
  cleanup.push(() => s.close());
  return s;
}
function v3<T extends { destroy(): void }>(c: T): T {
  cleanup.push(() => c.destroy());
  return c;
}

describe('SNS', () => {
  test('SDK v3 Publish: answered with a MessageId, recorded in the PublishCommand input shape', async () => {
    const s = await stub();
    const sns = v3(new SNSClient({ endpoint: s.url, region, credentials }));
    const input: PublishCommandInput = {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:product-feedback',
      Subject: 'New 4-star feedback',
      Message: JSON.stringify({ productId: 'kettle-1.7l-steel', rating: 4, note: 'a & b < c' }),
      MessageAttributes: {
        rating: { DataType: 'Number', StringValue: '4' },
        productId: { DataType: 'String', StringValue: 'kettle-1.7l-steel' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
      },
    };
    const out = await sns.send(new PublishCommand(input));
    expect(out.MessageId).toMatch(UUID);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(s.calls).toEqual([
      {
        service: 'sns',
        action: 'Publish',
        input: {
          TopicArn: input.TopicArn,
          Subject: input.Subject,
          Message: input.Message,
          MessageAttributes: {
            rating: { DataType: 'Number', StringValue: '4' },
            productId: { DataType: 'String', StringValue: 'kettle-1.7l-steel' },
            raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]).toString('base64') },
          },
        },
      },
    ]);
  });

  test('the 06-uuid-put-sns call reads exactly like its side-effects.json entry', async () => {
    const s = await stub();
    const sns = v3(new SNSClient({ endpoint: s.url, region, credentials }));
    const input = {
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:product-feedback',
      Subject: 'New 1-star feedback',
      Message: '{"productId":"toaster-2slot","rating":1,"comment":"","email":null}',
      MessageAttributes: { rating: { DataType: 'Number', StringValue: '1' }, productId: { DataType: 'String', StringValue: 'toaster-2slot' } },
    };
    await sns.send(new PublishCommand(input));
    expect(s.calls).toEqual([{ service: 'sns', action: 'Publish', input }]);
  });

  test('SDK v3 PublishBatch and a refused Publish (no Message)', async () => {
    const s = await stub();
    const sns = v3(new SNSClient({ endpoint: s.url, region, credentials, maxAttempts: 1 }));
    const out = await sns.send(
      new PublishBatchCommand({
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'b', Message: 'two' },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id)).toEqual(['a', 'b']);
    expect(out.Successful?.every((e) => UUID.test(e.MessageId ?? ''))).toBe(true);
    expect(s.calls[0]).toEqual({
      service: 'sns',
      action: 'PublishBatch',
      input: {
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
          { Id: 'b', Message: 'two' },
        ],
      },
    });
    await expect(sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t' } as PublishCommandInput))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  test('SDK v2 publish: parsed by v2, recorded in the same shape', async () => {
    const s = await stub();
    const sns = new AWS.SNS({ endpoint: s.url, region, credentials, maxRetries: 0 });
    const out = await sns
      .publish({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders', Message: 'hello', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } })
      .promise();
    expect(out.MessageId).toMatch(UUID);
    expect(s.calls).toEqual([
      { service: 'sns', action: 'Publish', input: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders', Message: 'hello', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } } },
    ]);
    const bad = (await sns
      .publish({ Message: 'no target' })
      .promise()
      .catch((e: unknown) => e)) as { code?: string; statusCode?: number };
    expect(bad).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
  });
});

describe('EventBridge', () => {
  test('SDK v3 PutEvents: one EventId per entry, recorded input as sent; bad entries fail like EventBridge', async () => {
    const s = await stub();
    const eb = v3(new EventBridgeClient({ endpoint: s.url, region, credentials }));
    const Entries = [
      { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ orderId: 'o-1' }), EventBusName: 'shop' },
      { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: 'not json' },
      { Source: 'shop.orders', DetailType: 'OrderPlaced' },
    ];
    const out = await eb.send(new PutEventsCommand({ Entries }));
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.[0]?.EventId).toMatch(UUID);
    expect(out.Entries?.slice(1)).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
    ]);
    expect(s.calls).toEqual([{ service: 'eventbridge', action: 'PutEvents', input: { Entries } }]);
    const ok = await eb.send(new PutEventsCommand({ Entries: [Entries[0]!] }));
    expect(ok).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.stringMatching(UUID) }] });
  });

  test('SDK v2 putEvents', async () => {
    const s = await stub();
    const eb = new AWS.EventBridge({ endpoint: s.url, region, credentials, maxRetries: 0 });
    const out = await eb.putEvents({ Entries: [{ Source: 'a.b', DetailType: 'T', Detail: '{"x":1}' }] }).promise();
    expect(out).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.stringMatching(UUID) }] });
    expect(s.calls).toEqual([{ service: 'eventbridge', action: 'PutEvents', input: { Entries: [{ Source: 'a.b', DetailType: 'T', Detail: '{"x":1}' }] } }]);
  });
});

describe('SQS', () => {
  test('SDK v2 sendMessage (JSON protocol): the MD5 the SDK checks is right; GetQueueUrl is answered, not recorded', async () => {
    const s = await stub();
    const sqs = new AWS.SQS({ endpoint: s.url, region, credentials, maxRetries: 0 });
    const { QueueUrl } = await sqs.getQueueUrl({ QueueName: 'orders' }).promise();
    expect(QueueUrl).toBe(`${s.url}/123456789012/orders`);
    const MessageAttributes = { kind: { DataType: 'String', StringValue: 'order' }, n: { DataType: 'Number', StringValue: '3' } };
    const out = await sqs.sendMessage({ QueueUrl: QueueUrl!, MessageBody: 'héllo {"a":1}', DelaySeconds: 2, MessageAttributes }).promise();
    expect(out.MessageId).toMatch(UUID);
    expect(out.MD5OfMessageBody).toBe(createHash('md5').update('héllo {"a":1}').digest('hex'));
    expect(out.MD5OfMessageAttributes).toBe(sqsMessageAttributesMd5(MessageAttributes));
    const batch = await sqs.sendMessageBatch({ QueueUrl: QueueUrl!, Entries: [{ Id: 'm1', MessageBody: 'x' }, { Id: 'm2', MessageBody: 'y' }] }).promise();
    expect(batch.Successful.map((e) => e.Id)).toEqual(['m1', 'm2']);
    expect(s.calls).toEqual([
      { service: 'sqs', action: 'SendMessage', input: { QueueUrl, MessageBody: 'héllo {"a":1}', DelaySeconds: 2, MessageAttributes } },
      { service: 'sqs', action: 'SendMessageBatch', input: { QueueUrl, Entries: [{ Id: 'm1', MessageBody: 'x' }, { Id: 'm2', MessageBody: 'y' }] } },
    ]);
  });

  test('query protocol (older SDKs): XML answer, input folded into the SendMessage shape', async () => {
    const s = await stub();
    const form = new URLSearchParams({
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl: `${s.url}/123456789012/orders`,
      MessageBody: 'hello',
      DelaySeconds: '5',
      'MessageAttribute.1.Name': 'kind',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'order',
    });
    const res = await fetch(`${s.url}/123456789012/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0' },
      body: form.toString(),
    });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageResult>');
    expect(xml).toContain(`<MD5OfMessageBody>${createHash('md5').update('hello').digest('hex')}</MD5OfMessageBody>`);
    expect(xml).toContain(`<MD5OfMessageAttributes>${sqsMessageAttributesMd5({ kind: { DataType: 'String', StringValue: 'order' } })}</MD5OfMessageAttributes>`);
    expect(s.calls).toEqual([
      { service: 'sqs', action: 'SendMessage', input: { QueueUrl: `${s.url}/123456789012/orders`, MessageBody: 'hello', DelaySeconds: 5, MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } } },
    ]);
  });

  test('the MD5 of message attributes follows the SQS algorithm', () => {
    // Built by hand from the documented encoding: 4-byte big-endian lengths, transport byte 1 (string) / 2 (binary).
    const enc = (s: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, s.length]), s]);
    const expected = createHash('md5')
      .update(Buffer.concat([enc(Buffer.from('a')), enc(Buffer.from('Binary')), Buffer.from([2]), enc(Buffer.from([9, 8])), enc(Buffer.from('b')), enc(Buffer.from('String')), Buffer.from([1]), enc(Buffer.from('x'))]))
      .digest('hex');
    expect(sqsMessageAttributesMd5({ b: { DataType: 'String', StringValue: 'x' }, a: { DataType: 'Binary', BinaryValue: Buffer.from([9, 8]).toString('base64') } })).toBe(expected);
  });
});

describe('HTTP routes', () => {
  const routes: StubRoute[] = [
    {
      method: 'GET',
      path: '/rates/{currency}',
      responses: [{ json: { rate: 1.1 } }, { status: 503, body: 'busy', headers: { 'Retry-After': '1' } }, { json: { rate: 1.2 }, headers: { 'x-source': 'stub' } }],
    },
    { method: 'GET', path: '/rates/latest', responses: [{ json: { latest: true } }] },
    { method: 'POST', path: '/orders/{id}/notes', responses: [{ status: 201, json: { ok: true } }] },
  ];

  test('path parameters, a response sequence whose last answer repeats, literal routes first, 404 recorded', async () => {
    const s = await stub({ http: routes, timerScale: 0.001 });
    const get = (path: string) => fetch(`${s.url}${path}`);
    const answers: Array<[number, string, string | null]> = [];
    for (const path of ['/rates/EUR', '/rates/USD', '/rates/GBP', '/rates/EUR?x=1', '/rates/latest', '/nowhere']) {
      const r = await get(path);
      answers.push([r.status, await r.text(), r.headers.get('content-type')]);
    }
    expect(answers).toEqual([
      [200, '{"rate":1.1}', 'application/json'],
      [503, 'busy', null],
      [200, '{"rate":1.2}', 'application/json'],
      [200, '{"rate":1.2}', 'application/json'],
      [200, '{"latest":true}', 'application/json'],
      [404, '{"message":"no stub route for GET /nowhere"}', 'application/json'],
    ]);
    expect(s.calls.map((c) => [c.service, c.action, (c.input as { path: string }).path])).toEqual([
      ['http', 'GET', '/rates/EUR'],
      ['http', 'GET', '/rates/USD'],
      ['http', 'GET', '/rates/GBP'],
      ['http', 'GET', '/rates/EUR?x=1'],
      ['http', 'GET', '/rates/latest'],
      ['http', 'GET', '/nowhere'],
    ]);
    expect(s.calls[0]!.input).toEqual({ method: 'GET', path: '/rates/EUR', headers: {}, body: null });
  });

  test('records the headers the handler set and the body, parsed when it is JSON; a bare list of routes works', async () => {
    const s = await stub(routes);
    const r = await fetch(`${s.url}/orders/o-42/notes`, { method: 'POST', headers: { Authorization: 'Bearer t0k3n', 'Content-Type': 'application/json', 'X-Request-Id': 'r-1' }, body: JSON.stringify({ note: 'hi', n: 1 }) });
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ ok: true });
    await fetch(`${s.url}/orders/o-43/notes`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain text' });
    expect(s.calls).toEqual([
      { service: 'http', action: 'POST', input: { method: 'POST', path: '/orders/o-42/notes', headers: { authorization: 'Bearer t0k3n', 'content-type': 'application/json', 'x-request-id': 'r-1' }, body: { note: 'hi', n: 1 } } },
      { service: 'http', action: 'POST', input: { method: 'POST', path: '/orders/o-43/notes', headers: { 'content-type': 'text/plain' }, body: 'plain text' } },
    ]);
  });

  test('calls of every kind are recorded in arrival order', async () => {
    const s = await stub(routes);
    const sns = v3(new SNSClient({ endpoint: s.url, region, credentials }));
    const eb = v3(new EventBridgeClient({ endpoint: s.url, region, credentials }));
    await fetch(`${s.url}/rates/EUR`);
    await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }));
    await fetch(`${s.url}/rates/USD`);
    expect(s.calls.map((c) => `${c.service}:${c.action}`)).toEqual(['http:GET', 'sns:Publish', 'eventbridge:PutEvents', 'http:GET']);
  });
});

test('parseQueryProtocol folds lists and maps', () => {
  expect(
    parseQueryProtocol(
      'Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At&Message=a%26b%3Dc' +
        '&MessageAttributes.entry.2.Name=second&MessageAttributes.entry.2.Value.DataType=String&MessageAttributes.entry.2.Value.StringValue=2' +
        '&MessageAttributes.entry.1.Name=first&MessageAttributes.entry.1.Value.DataType=Number&MessageAttributes.entry.1.Value.StringValue=1' +
        '&Tags.member.1.Key=k&Tags.member.1.Value=v&Empty=',
    ),
  ).toEqual({
    Action: 'Publish',
    Version: '2010-03-31',
    TopicArn: 'arn:aws:sns:us-east-1:1:t',
    Message: 'a&b=c',
    MessageAttributes: { first: { DataType: 'Number', StringValue: '1' }, second: { DataType: 'String', StringValue: '2' } },
    Tags: [{ Key: 'k', Value: 'v' }],
    Empty: '',
  });
});

test('close() resolves with SDK keep-alive connections still open, and nothing listens afterwards', async () => {
  const s = await startStubServer([]);
  const sns = new SNSClient({ endpoint: s.url, region, credentials });
  try {
    await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }));
    await s.close();
    await s.close();
    await expect(fetch(s.url)).rejects.toThrow();
  } finally {
    sns.destroy();
    await s.close();
  }
});
