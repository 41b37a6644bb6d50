// One loopback HTTP server standing in for the outside world of a handler: SNS (query protocol), EventBridge
// (JSON 1.1), SQS (JSON 1.0 and the older query protocol), Lambda and Bedrock Runtime (REST), the allow-listed AWS SDK
// integration commands (JSON protocol, X-Amz-Target) and the plain HTTP routes of stubs.json. Every call
// is recorded, in arrival order, in the shape of the SDK command input, so the calls of a handler and of a
// state machine compare directly (side-effects.json).
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback, readBody, type LoopbackServer } from './loopbackServer.js';
import { bedrockStub } from './stubs/bedrock.js';
import { classify } from './stubs/classify.js';
import { eventBridgeReply } from './stubs/eventbridge.js';
import { httpRouteStub } from './stubs/httpRoutes.js';
import { lambdaStub } from './stubs/lambda.js';
import { createRecorder } from './stubs/recorder.js';
import { sdkCommandStub } from './stubs/sdkCommands.js';
import { snsReply } from './stubs/sns.js';
import { sqsReply } from './stubs/sqs.js';
import type { RecordedCall, StubAnswer, StubRoute, StubServer, StubsFile } from './stubs/types.js';
import type { Reply } from './stubs/wire.js';

export { sqsMessageAttributesMd5 } from './stubs/sqs.js';
export { parseQueryProtocol } from './stubs/wire.js';
export * from './stubs/types.js';

export async function startStubServer(stubs: StubRoute[] | StubsFile): Promise<StubServer> {
  const recorder = createRecorder();
  const { calls, settle } = recorder;
  let ids = 0;
  const nextId = () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`;
  let url = '';
  const lambda = lambdaStub(stubs);
  const bedrock = bedrockStub(stubs);
  const sdkCommands = sdkCommandStub(stubs);
  const httpRoute = httpRouteStub(stubs);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, slot: number): Promise<void> => {
    let raw: string;
    try {
      raw = (await readBody(req)).toString('utf8');
    } catch {
      settle(slot, null);
      return;
    }
    const sdk = sdkCommands.http(req, raw);
    const aws = sdk ? undefined : classify(req, raw);
    const invoke = aws || sdk ? undefined : lambda.http(req, raw) ?? bedrock.http(req, raw);
    let reply: Reply;
    if (sdk) {
      settle(slot, sdk.call);
      reply = sdk.reply;
    } else if (invoke) {
      settle(slot, invoke.call);
      reply = invoke.reply;
    } else if (aws) {
      // Lookups answer without being a side effect.
      const lookup = aws.service === 'sqs' && aws.action === 'GetQueueUrl';
      settle(slot, lookup ? null : { service: aws.service, action: aws.action, input: aws.params });
      reply = aws.service === 'sns' ? snsReply(aws, nextId) : aws.service === 'sqs' ? sqsReply(aws, nextId, url) : eventBridgeReply(aws, nextId);
    } else {
      const r = httpRoute(req, raw);
      settle(slot, r.call);
      reply = r.reply;
    }
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
    res.end(reply.body);
  };

  let loopback!: LoopbackServer;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const slot = recorder.arrive();
    // An aborted request must not hold the later calls back.
    req.on('close', () => {
      if (!req.complete) settle(slot, null);
    });
    const work = handle(req, res, slot).catch(() => {
      settle(slot, null);
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      } else res.destroy();
    });
    loopback.track(work);
  };
  const server = http.createServer(onRequest);
  loopback = await listenOnLoopback(server);
  url = `http://127.0.0.1:${loopback.port}`;
  // The compatibility API's request and response carry what onRequest uses (headers, url, method, body, writeHead, end).
  const h2 = http2.createServer((req, res) => onRequest(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse));
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    h2.once('error', reject);
    h2.listen(0, '127.0.0.1', () => {
      h2.off('error', reject);
      resolve();
    });
  });
  const http2Url = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
  const closeAll = async () => {
    // The HTTP/1.1 side waits for requests in flight (those of both servers are tracked there).
    await loopback.close();
    const closed = new Promise<void>((resolve) => h2.close(() => resolve()));
    for (const session of sessions) session.destroy();
    await closed;
  };

  const invokeLambda = (functionName: string, payload: unknown, invocationType?: string): unknown => {
    const r = lambda.call(functionName, payload, invocationType);
    recorder.record(r.call);
    return r.answer;
  };
  const invokeModel = (modelId: string, body: unknown): StubAnswer => {
    const r = bedrock.call(modelId, body);
    recorder.record(r.call);
    return r.answer;
  };
  const callAws = (service: RecordedCall['service'], action: string, input: unknown): StubAnswer => {
    const r = sdkCommands.call(service, action, input);
    recorder.record(r.call);
    return r.answer;
  };
  return { url, http2Url, calls, invokeLambda, invokeModel, callAws, close: closeAll };
}
