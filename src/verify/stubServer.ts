// One loopback HTTP server standing in for the outside world of a handler: SNS (query protocol), EventBridge
// (JSON 1.1), SQS (JSON 1.0 and the older query protocol), Lambda and Bedrock Runtime (REST), the allow-listed AWS SDK
// integration commands (JSON protocol, X-Amz-Target) and the plain HTTP routes of stubs.json. Every call
// is recorded, in arrival order, in the shape of the SDK command input, so the calls of a handler and of a
// state machine compare directly (side-effects.json).
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback, readBody, type LoopbackServer } from './loopbackServer.js';
import { createHash } from 'node:crypto';
import { SDK_COMMANDS, type SdkCommandMapping } from '../lift/services/sdkIntegrations.js';

export interface StubResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
}

export interface StubRoute {
  method: string;
  path: string;
  responses: StubResponse[];
}

/** Canned answers of one Lambda function the handler invokes, in order (the last one repeats). */
export interface StubLambda {
  functionName: string;
  responses: Array<{ payload: unknown }>;
}

/** An AWS error a canned answer raises: its SDK name (`ResourceNotFoundException`) and message. */
export interface StubError {
  name: string;
  message?: string;
}

/** Canned answers of one Bedrock model, in order (the last one repeats): the JSON body the model answers, or an error. */
export interface StubBedrockModel {
  modelId: string;
  responses: Array<{ body?: unknown; error?: StubError }>;
}

/**
 * Canned answers of one allow-listed AWS SDK command (`{ "service": "ssm", "action": "GetParameter" }`), in order (the
 * last one repeats): the API response (as the JSON protocol carries it), or an error. No entry answers `{}`.
 */
export interface StubAwsAction {
  service: string;
  action: string;
  responses: Array<{ result?: unknown; error?: StubError }>;
}

/**
 * The stubs.json document: `{ "http": [routes], "lambda": [functions], "bedrock": [models], "aws": [actions],
 * "timerScale"?: number }`; a bare list of routes is accepted too. A Lambda function with no entry answers `null`.
 */
export interface StubsFile {
  http?: StubRoute[];
  lambda?: StubLambda[];
  bedrock?: StubBedrockModel[];
  aws?: StubAwsAction[];
  timerScale?: number;
}

export interface RecordedCall {
  service: 'sns' | 'eventbridge' | 'sqs' | 'lambda' | 'http' | 'bedrock' | SdkCommandMapping['recordService'];
  action: string;
  input: unknown;
}

/** What an in-process call of the machine side gets: the canned answer, or the error it raises. */
export type StubAnswer = { ok: true; value: unknown } | { ok: false; error: StubError };

export interface StubServer {
  url: string;
  /**
   * The same stubs over cleartext HTTP/2 (h2c): the Bedrock Runtime client speaks only HTTP/2 (its default
   * NodeHttp2Handler), so the handler's AWS_ENDPOINT_URL_BEDROCK_RUNTIME points here.
   */
  http2Url: string;
  calls: RecordedCall[];
  /**
   * Invoke a stubbed Lambda function in process (the state machine's side): records the call in the shape the
   * handler's Invoke is recorded in, and returns the canned payload (undefined for an Event invocation).
   */
  invokeLambda(functionName: string, payload: unknown, invocationType?: string): unknown;
  /** Bedrock InvokeModel in process: records `{modelId, body}` as the handler's call is recorded; the canned body. */
  invokeModel(modelId: string, body: unknown): StubAnswer;
  /** An allow-listed SDK command in process, with its SDK input: recorded like the handler's; the canned result. */
  callAws(service: RecordedCall['service'], action: string, input: unknown): StubAnswer;
  close(): Promise<void>;
}

/** The account id in queue URLs the stub makes up (GetQueueUrl). */
export const STUB_ACCOUNT = '123456789012';

type Json = Record<string, unknown>;

export function lambdasOf(stubs: StubRoute[] | StubsFile | undefined | null): StubLambda[] {
  return stubs && !Array.isArray(stubs) ? stubs.lambda ?? [] : [];
}

/** The function name a Lambda invoke names: the last part of a function ARN (a qualifier is kept apart by the API). */
function functionKey(name: string): string {
  const m = /^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(name);
  return m ? m[1]! : name;
}

export function routesOf(stubs: StubRoute[] | StubsFile | undefined | null): StubRoute[] {
  if (!stubs) return [];
  if (Array.isArray(stubs)) return stubs;
  return stubs.http ?? [];
}

// ---------------------------------------------------------------- query protocol

type Tree = { [k: string]: string | Tree };

function fold(node: string | Tree): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length && keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => fold(node[k]!));
  if (keys.length === 1 && keys[0] === 'member') {
    const list = fold(node['member']!);
    return Array.isArray(list) ? list : [list];
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const list = fold(node['entry']!);
    return entriesToMap(Array.isArray(list) ? list : [list]);
  }
  return Object.fromEntries(keys.map((k) => [k, fold(node[k]!)]));
}

/** `[{Name, Value}]` (or `key`/`value`) as a map. */
function entriesToMap(list: unknown[]): Json {
  const out: Json = {};
  for (const e of list) {
    if (!e || typeof e !== 'object') continue;
    const o = e as Json;
    const name = o['Name'] ?? o['name'] ?? o['Key'] ?? o['key'];
    if (typeof name === 'string') out[name] = o['Value'] ?? o['value'];
  }
  return out;
}

/**
 * A query-protocol body (`Action=Publish&Version=...&TopicArn=...`) as the API input: `X.member.N` become lists,
 * `X.entry.N.Name` / `X.entry.N.Value.*` become maps (`MessageAttributes` → `{ name: { DataType, StringValue } }`),
 * flattened `X.N` lists become lists. Values stay strings, as sent.
 */
export function parseQueryProtocol(text: string): Record<string, unknown> {
  const root: Tree = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const path = k.split('.');
    let node = root;
    for (const seg of path.slice(0, -1)) {
      const next = node[seg];
      if (typeof next !== 'object') node[seg] = {};
      node = node[seg] as Tree;
    }
    const last = path[path.length - 1]!;
    // "List=" marks an empty list; members, when they come, win.
    if (typeof node[last] !== 'object') node[last] = v;
  }
  return fold(root) as Record<string, unknown>;
}

// ---------------------------------------------------------------- SQS helpers

interface MessageAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: string | Uint8Array;
}

/** SQS's MD5 of message attributes (what MD5OfMessageAttributes holds): sorted by name, length-prefixed fields. */
export function sqsMessageAttributesMd5(attrs: Record<string, MessageAttribute>): string {
  const parts: Buffer[] = [];
  const put = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const a = attrs[name]!;
    put(Buffer.from(name, 'utf8'));
    put(Buffer.from(a.DataType ?? '', 'utf8'));
    if (a.BinaryValue !== undefined && a.BinaryValue !== null) {
      parts.push(Buffer.from([2]));
      put(typeof a.BinaryValue === 'string' ? Buffer.from(a.BinaryValue, 'base64') : Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      put(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

/** A FIFO sequence number (20 digits) for a made-up message id. */
const sequenceNumber = (id: string) => `1${BigInt(`0x${id.slice(-12)}`).toString().padStart(19, '0')}`;

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/** SQS query-protocol parameters in the JSON (SendMessageCommand) input shape. */
function sqsQueryInput(params: Json): Json {
  const entry = (p: Json): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries(p)) {
      if (k === 'Action' || k === 'Version') continue;
      if (k === 'MessageAttribute' || k === 'MessageSystemAttribute') out[`${k}s`] = entriesToMap(Array.isArray(v) ? v : [v]);
      else if (k === 'SendMessageBatchRequestEntry') out['Entries'] = (Array.isArray(v) ? v : [v]).map((e) => entry(e as Json));
      else if (k === 'DelaySeconds' && typeof v === 'string' && /^\d+$/.test(v)) out[k] = Number(v);
      else out[k] = v;
    }
    return out;
  };
  return entry(params);
}

function sqsSendResult(m: Json, id: string): Json {
  const body = m['MessageBody'];
  const attrs = m['MessageAttributes'] as Record<string, MessageAttribute> | undefined;
  const system = m['MessageSystemAttributes'] as Record<string, MessageAttribute> | undefined;
  return {
    MessageId: id,
    MD5OfMessageBody: md5(typeof body === 'string' ? body : ''),
    ...(attrs && Object.keys(attrs).length ? { MD5OfMessageAttributes: sqsMessageAttributesMd5(attrs) } : {}),
    ...(system && Object.keys(system).length ? { MD5OfMessageSystemAttributes: sqsMessageAttributesMd5(system) } : {}),
    ...(m['MessageGroupId'] !== undefined ? { SequenceNumber: sequenceNumber(id) } : {}),
  };
}

// ---------------------------------------------------------------- HTTP routes

interface CompiledRoute {
  index: number;
  method: string;
  segments: Array<{ literal: string } | { param: string; greedy: boolean }>;
  query?: string;
  literals: number;
  responses: StubResponse[];
  used: number;
}

function compileRoute(route: StubRoute, index: number): CompiledRoute {
  if (!route || typeof route.path !== 'string' || typeof route.method !== 'string') throw new Error(`stub route ${index + 1} needs a method and a path`);
  const [pathname, query] = route.path.split('?', 2) as [string, string | undefined];
  const segments = pathname.split('/').map((s) => {
    const m = /^\{([^{}+]+)(\+?)\}$/.exec(s);
    return m ? { param: m[1]!, greedy: m[2] === '+' } : { literal: s };
  });
  return {
    index,
    method: route.method.toUpperCase(),
    segments,
    query,
    literals: segments.filter((s) => 'literal' in s).length,
    responses: Array.isArray(route.responses) ? route.responses : [],
    used: 0,
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matches(route: CompiledRoute, method: string, pathname: string, search: string): boolean {
  if (route.method !== method && route.method !== 'ANY' && route.method !== '*') return false;
  if (route.query !== undefined && search.replace(/^\?/, '') !== route.query) return false;
  const parts = pathname.split('/');
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i];
    if (part === undefined) return false;
    if ('literal' in seg) {
      if (decode(part) !== decode(seg.literal)) return false;
    } else if (seg.greedy) {
      return i === route.segments.length - 1 && parts.slice(i).join('/') !== '';
    } else if (part === '') return false;
  }
  return parts.length === route.segments.length;
}

/** Headers a client adds on its own (not the handler's choice): dropped from recorded HTTP calls. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'user-agent', 'accept-encoding', 'transfer-encoding', 'keep-alive']);
/** Defaults of fetch (undici) and axios: dropped when they hold exactly the default value. */
const CLIENT_DEFAULTS: Record<string, string[]> = {
  accept: ['*/*', 'application/json, text/plain, */*'],
  'accept-language': ['*'],
  'sec-fetch-mode': ['cors'],
};

function handlerHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || DROPPED_HEADERS.has(k)) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    if (CLIENT_DEFAULTS[k]?.includes(value)) continue;
    out[k] = value;
  }
  return out;
}

// ---------------------------------------------------------------- responses

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

type Reply = { status: number; headers: Record<string, string>; body: string };

const jsonReply = (status: number, body: unknown, contentType: string): Reply => ({ status, headers: { 'content-type': contentType, 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify(body) });

function xmlReply(status: number, namespace: string, action: string, result: string): Reply {
  const body =
    status === 200
      ? `<?xml version="1.0"?>\n<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stub-request</RequestId></ResponseMetadata></${action}Response>`
      : `<?xml version="1.0"?>\n<ErrorResponse xmlns="${namespace}">${result}<RequestId>stub-request</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'stub-request' }, body };
}

const xmlError = (namespace: string, code: string, message: string, status = 400): Reply =>
  xmlReply(status, namespace, '', `<Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>`);

const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const SQS_NS = 'http://queue.amazonaws.com/doc/2012-11-05/';

// ---------------------------------------------------------------- server

interface AwsRequest {
  service: 'sns' | 'sqs' | 'eventbridge';
  protocol: 'json' | 'query';
  action: string;
  params: Json;
}

function classify(req: http.IncomingMessage, raw: string): AwsRequest | undefined {
  const target = String(req.headers['x-amz-target'] ?? '');
  const scope = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''))?.[1];
  const json = (): Json => {
    try {
      const v: unknown = raw ? JSON.parse(raw) : {};
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
    } catch {
      return {};
    }
  };
  if (target.startsWith('AWSEvents.')) return { service: 'eventbridge', protocol: 'json', action: target.slice('AWSEvents.'.length), params: json() };
  if (target.startsWith('AmazonSQS.')) return { service: 'sqs', protocol: 'json', action: target.slice('AmazonSQS.'.length), params: json() };
  if (target) return undefined;
  const form = /application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''));
  if (!form && scope !== 'sns' && scope !== 'sqs') return undefined;
  const params = parseQueryProtocol(raw);
  const action = params['Action'];
  if (typeof action !== 'string') return undefined;
  const version = params['Version'];
  const service = scope === 'sns' || scope === 'sqs' ? scope : version === '2010-03-31' ? 'sns' : version === '2012-11-05' ? 'sqs' : undefined;
  if (!service) return undefined;
  delete params['Action'];
  delete params['Version'];
  return { service, protocol: 'query', action, params: service === 'sqs' ? sqsQueryInput(params) : params };
}

export async function startStubServer(stubs: StubRoute[] | StubsFile): Promise<StubServer> {
  const routes = routesOf(stubs).map(compileRoute);
  const calls: RecordedCall[] = [];
  let ids = 0;
  const nextId = () => `00000000-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`;
  let url = '';

  // Arrival order: each request takes a slot when it arrives; calls appear once every earlier one is settled.
  let arrived = 0;
  let settledUpTo = 0;
  const settled = new Map<number, RecordedCall | null>();
  const settle = (slot: number, call: RecordedCall | null) => {
    if (settled.has(slot) || slot < settledUpTo) return;
    settled.set(slot, call);
    while (settled.has(settledUpTo)) {
      const c = settled.get(settledUpTo);
      settled.delete(settledUpTo);
      if (c) calls.push(c);
      settledUpTo++;
    }
  };

  const sns = (r: AwsRequest): Reply => {
    const p = r.params;
    if (r.action === 'Publish') {
      if (typeof p['Message'] !== 'string') return xmlError(SNS_NS, 'ValidationError', "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
      if (p['TopicArn'] === undefined && p['TargetArn'] === undefined && p['PhoneNumber'] === undefined) return xmlError(SNS_NS, 'InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      const id = nextId();
      const seq = p['MessageGroupId'] !== undefined ? `<SequenceNumber>${sequenceNumber(id)}</SequenceNumber>` : '';
      return xmlReply(200, SNS_NS, 'Publish', `<MessageId>${id}</MessageId>${seq}`);
    }
    if (r.action === 'PublishBatch') {
      const entries = p['PublishBatchRequestEntries'];
      if (typeof p['TopicArn'] !== 'string') return xmlError(SNS_NS, 'ValidationError', "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: Member must not be null");
      if (!Array.isArray(entries) || entries.length === 0) return xmlError(SNS_NS, 'EmptyBatchRequest', 'The batch request doesn\'t contain any entries');
      if (entries.length > 10) return xmlError(SNS_NS, 'TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible');
      const members = (entries as Json[])
        .map((e) => `<member><Id>${xmlEscape(String(e['Id'] ?? ''))}</Id><MessageId>${nextId()}</MessageId></member>`)
        .join('');
      return xmlReply(200, SNS_NS, 'PublishBatch', `<Successful>${members}</Successful><Failed/>`);
    }
    return xmlError(SNS_NS, 'InvalidAction', `The action ${r.action} is not valid for this web service (the stub answers Publish and PublishBatch)`);
  };

  const lambdas = lambdasOf(stubs).map((l) => ({ key: functionKey(l.functionName), responses: l.responses ?? [], used: 0 }));
  const lambdaCall = (functionName: string, payload: unknown, invocationType: string | undefined): { call: RecordedCall; answer: unknown } => {
    const input: Record<string, unknown> = { FunctionName: functionName, Payload: payload };
    if (invocationType !== undefined && invocationType !== 'RequestResponse') input['InvocationType'] = invocationType;
    const fn = lambdas.find((l) => l.key === functionKey(functionName));
    const answer = invocationType === 'Event' ? undefined : fn && fn.responses.length ? fn.responses[Math.min(fn.used++, fn.responses.length - 1)]!.payload : null;
    return { call: { service: 'lambda', action: 'Invoke', input }, answer };
  };
  /** POST /2015-03-31/functions/{name}/invocations (the Lambda REST API). */
  const lambdaHttp = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } | undefined => {
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(new URL(req.url ?? '/', 'http://stub').pathname);
    if (!m || req.method !== 'POST') return undefined;
    let payload: unknown = raw === '' ? null : raw;
    try {
      payload = raw === '' ? null : JSON.parse(raw);
    } catch {
      /* not JSON: recorded as text */
    }
    const type = req.headers['x-amz-invocation-type'];
    const r = lambdaCall(decode(m[1]!), payload, typeof type === 'string' ? type : undefined);
    if (type === 'Event') return { call: r.call, reply: { status: 202, headers: { 'x-amzn-requestid': 'stub-request' }, body: '' } };
    return { call: r.call, reply: { status: 200, headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify(r.answer) } };
  };

  const models = (stubs && !Array.isArray(stubs) ? stubs.bedrock ?? [] : []).map((m) => ({ modelId: m.modelId, responses: m.responses ?? [], used: 0 }));
  const modelCall = (modelId: string, body: unknown): { call: RecordedCall; answer: StubAnswer } => {
    const model = models.find((m) => m.modelId === modelId);
    const r = model && model.responses.length ? model.responses[Math.min(model.used++, model.responses.length - 1)]! : undefined;
    const answer: StubAnswer = r?.error ? { ok: false, error: r.error } : r ? { ok: true, value: r.body ?? null } : { ok: false, error: { name: 'ResourceNotFoundException', message: `no stub answers model ${modelId}` } };
    return { call: { service: 'bedrock', action: 'InvokeModel', input: { modelId, body } }, answer };
  };
  /** POST /model/{modelId}/invoke (Bedrock Runtime REST-JSON): the body is the model's own JSON, sent raw. */
  const bedrockHttp = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } | undefined => {
    const m = /^\/model\/([^/]+)\/invoke$/.exec(new URL(req.url ?? '/', 'http://stub').pathname);
    if (!m || req.method !== 'POST') return undefined;
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      /* not JSON: recorded as text */
    }
    const r = modelCall(decode(m[1]!), body);
    const reply: Reply = r.answer.ok
      ? { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify(r.answer.value) }
      : { status: 400, headers: { 'content-type': 'application/json', 'x-amzn-errortype': r.answer.error.name, 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify({ message: r.answer.error.message ?? r.answer.error.name }) };
    return { call: r.call, reply };
  };

  const awsActions = (stubs && !Array.isArray(stubs) ? stubs.aws ?? [] : []).map((a) => ({ service: a.service, action: a.action, responses: a.responses ?? [], used: 0 }));
  const awsCall = (service: RecordedCall['service'], action: string, input: unknown): { call: RecordedCall; answer: StubAnswer } => {
    const entry = awsActions.find((a) => a.service === service && a.action === action);
    const r = entry && entry.responses.length ? entry.responses[Math.min(entry.used++, entry.responses.length - 1)]! : undefined;
    const answer: StubAnswer = r?.error ? { ok: false, error: r.error } : { ok: true, value: r?.result ?? {} };
    return { call: { service, action, input }, answer };
  };
  /**
   * Requests of the allow-listed SDK commands, answered from stubs.json `aws`: JSON protocol (X-Amz-Target) or a
   * REST-JSON POST whose body is the whole input (SESv2 SendEmail).
   */
  const sdkJson = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } | undefined => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const pathname = new URL(req.url ?? '/', 'http://stub').pathname;
    const command = SDK_COMMANDS.find((c) => ('target' in c.wire ? c.wire.target === target : req.method === 'POST' && !target && c.wire.restPost === pathname));
    if (!command) return undefined;
    let input: unknown = {};
    try {
      input = raw ? JSON.parse(raw) : {};
    } catch {
      /* recorded as {} */
    }
    const r = awsCall(command.recordService, command.apiAction, input);
    if ('restPost' in command.wire) {
      const reply = r.answer.ok ? jsonReply(200, r.answer.value, 'application/json') : jsonReply(400, { message: r.answer.error.message ?? r.answer.error.name }, 'application/json');
      if (!r.answer.ok) reply.headers['x-amzn-errortype'] = r.answer.error.name;
      return { call: r.call, reply };
    }
    const type = String(req.headers['content-type'] ?? 'application/x-amz-json-1.1');
    return { call: r.call, reply: r.answer.ok ? jsonReply(200, r.answer.value, type) : jsonReply(400, { __type: r.answer.error.name, message: r.answer.error.message ?? r.answer.error.name }, type) };
  };

  const eventBridge = (r: AwsRequest): Reply => {
    const type = 'application/x-amz-json-1.1';
    if (r.action !== 'PutEvents') return jsonReply(400, { __type: 'UnknownOperationException', message: `the stub answers PutEvents, not ${r.action}` }, type);
    const entries = r.params['Entries'];
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
      return jsonReply(400, { __type: 'ValidationException', message: "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10" }, type);
    let failed = 0;
    const out = (entries as Json[]).map((e) => {
      for (const field of ['Source', 'DetailType', 'Detail']) {
        if (typeof e?.[field] !== 'string' || e[field] === '') {
          failed++;
          return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
        }
      }
      try {
        const detail: unknown = JSON.parse(e['Detail'] as string);
        if (!detail || typeof detail !== 'object' || Array.isArray(detail)) throw new Error('not an object');
      } catch {
        failed++;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      return { EventId: nextId() };
    });
    return jsonReply(200, { FailedEntryCount: failed, Entries: out }, type);
  };

  const sqs = (r: AwsRequest): Reply => {
    const p = r.params;
    const json = r.protocol === 'json';
    const error = (code: string, message: string) =>
      json ? { ...jsonReply(400, { __type: `com.amazonaws.sqs#${code}`, message }, 'application/x-amz-json-1.0'), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `AWS.SimpleQueueService.${code};Sender` } } : xmlError(SQS_NS, code, message);
    const ok = (result: Json, xml: string) => (json ? jsonReply(200, result, 'application/x-amz-json-1.0') : xmlReply(200, SQS_NS, r.action, xml));
    const tag = (k: string, v: unknown) => (v === undefined ? '' : `<${k}>${xmlEscape(String(v))}</${k}>`);
    const resultXml = (o: Json) => Object.entries(o).map(([k, v]) => tag(k, v)).join('');
    if (r.action === 'SendMessage') {
      if (typeof p['QueueUrl'] !== 'string') return error('MissingParameter', 'The request must contain the parameter QueueUrl.');
      if (typeof p['MessageBody'] !== 'string') return error('MissingParameter', 'The request must contain the parameter MessageBody.');
      const result = sqsSendResult(p, nextId());
      return ok(result, resultXml(result));
    }
    if (r.action === 'SendMessageBatch') {
      const entries = p['Entries'];
      if (typeof p['QueueUrl'] !== 'string') return error('MissingParameter', 'The request must contain the parameter QueueUrl.');
      if (!Array.isArray(entries) || entries.length === 0) return error('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
      const results = (entries as Json[]).map((e) => ({ Id: e['Id'], ...sqsSendResult(e, nextId()) }));
      return ok({ Successful: results, Failed: [] }, results.map((x) => `<SendMessageBatchResultEntry>${resultXml(x)}</SendMessageBatchResultEntry>`).join(''));
    }
    if (r.action === 'GetQueueUrl') {
      const name = p['QueueName'];
      if (typeof name !== 'string') return error('MissingParameter', 'The request must contain the parameter QueueName.');
      const queueUrl = `${url}/${typeof p['QueueOwnerAWSAccountId'] === 'string' ? p['QueueOwnerAWSAccountId'] : STUB_ACCOUNT}/${name}`;
      return ok({ QueueUrl: queueUrl }, tag('QueueUrl', queueUrl));
    }
    return error('InvalidAction', `The action ${r.action} is not valid for this endpoint (the stub answers SendMessage, SendMessageBatch and GetQueueUrl)`);
  };

  const httpRoute = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } => {
    const u = new URL(req.url ?? '/', 'http://stub');
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown = raw === '' ? null : raw;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        /* text body */
      }
    }
    const call: RecordedCall = { service: 'http', action: method, input: { method, path: u.pathname + u.search, headers: handlerHeaders(req.headers), body } };
    const candidates = routes.filter((r) => matches(r, method, u.pathname, u.search));
    const route = candidates.sort((a, b) => b.literals - a.literals || a.index - b.index)[0];
    if (!route) return { call, reply: { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `no stub route for ${method} ${u.pathname}` }) } };
    const answer = route.responses[Math.min(route.used++, route.responses.length - 1)] ?? {};
    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    let payload = answer.body ?? '';
    if (answer.json !== undefined) {
      payload = JSON.stringify(answer.json);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    return { call, reply: { status: answer.status ?? 200, headers, body: payload } };
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, slot: number): Promise<void> => {
    let raw: string;
    try {
      raw = (await readBody(req)).toString('utf8');
    } catch {
      settle(slot, null);
      return;
    }
    const sdk = sdkJson(req, raw);
    const aws = sdk ? undefined : classify(req, raw);
    const invoke = aws || sdk ? undefined : lambdaHttp(req, raw) ?? bedrockHttp(req, raw);
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
      reply = aws.service === 'sns' ? sns(aws) : aws.service === 'sqs' ? sqs(aws) : eventBridge(aws);
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
    const slot = arrived++;
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
    const r = lambdaCall(functionName, payload, invocationType);
    calls.push(r.call);
    return r.answer;
  };
  const invokeModel = (modelId: string, body: unknown): StubAnswer => {
    const r = modelCall(modelId, body);
    calls.push(r.call);
    return r.answer;
  };
  const callAws = (service: RecordedCall['service'], action: string, input: unknown): StubAnswer => {
    const r = awsCall(service, action, input);
    calls.push(r.call);
    return r.answer;
  };
  return { url, http2Url, calls, invokeLambda, invokeModel, callAws, close: closeAll };
}
