// What stubs.json holds, what the stub server records, and what the machine side's in-process calls get.
import type { SdkCommandMapping } from '../../lift/services/sdkIntegrations.js';

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


export function lambdasOf(stubs: StubRoute[] | StubsFile | undefined | null): StubLambda[] {
  return stubs && !Array.isArray(stubs) ? stubs.lambda ?? [] : [];
}


export function routesOf(stubs: StubRoute[] | StubsFile | undefined | null): StubRoute[] {
  if (!stubs) return [];
  if (Array.isArray(stubs)) return stubs;
  return stubs.http ?? [];
}
