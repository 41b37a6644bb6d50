// Run a proposed definition locally: aws-local-stepfunctions, every Task bound to a local implementation
// (DynamoDB on dynalite; SNS, EventBridge, SQS and the handler's own Lambda calls to the recording stubs). Refuses to run when a Task has no binding: an unbound Task
// would fall through to a real AWS call.
import '../polyfills.js';
import * as ddb from '@aws-sdk/client-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { AslDefinition, AslState } from '../report/types.js';
import { publishRejected } from './stubs/sns.js';
import { UnboundTaskError } from './unboundTask.js';
import { onlyFalseDuplicates } from '../emit/validateAsl.js';
import { sdkCommandByResource } from '../lift/services/sdkIntegrations.js';
import type { RecordedCall, StubAnswer } from './stubServer.js';

export interface SideEffect {
  service: string;
  action: string;
  input: unknown;
}

export interface MachineRunContext {
  client: ddb.DynamoDBClient;
  sideEffects: SideEffect[];
  /** Residual Lambda code, by compute id: returns the value for its inputs. */
  residual?: (compute: string, input: Record<string, unknown>) => Promise<unknown>;
  /** The original handler, for routes the proposal leaves to it (its errors are thrown with their errorType as name). */
  handler?: (event: unknown) => Promise<unknown>;
  /** Lambda functions the handler itself invokes, answered by the stubs (records the call, returns the payload). */
  invokeLambda?: (functionName: string, payload: unknown, invocationType?: string) => unknown;
  /** Bedrock InvokeModel Tasks, answered by the stubs (records `{modelId, body}`, returns the canned body). */
  invokeModel?: (modelId: string, body: unknown) => StubAnswer;
  /** Allow-listed AWS SDK integration Tasks, answered by the stubs with the call recorded in its SDK input shape. */
  callAws?: (service: RecordedCall['service'], action: string, input: unknown) => StubAnswer;
  /** HTTP Tasks: the header each EventBridge connection (by its ConnectionArn as written) adds, as the handler sent it. */
  httpConnections?: Record<string, { name: string; value: string }>;
}

export type MachineOutcome = { ok: true; output: unknown } | { ok: false; error: string; cause: string };

const OPTIMIZED = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/;
const SDK = /^arn:aws:states:::aws-sdk:dynamodb:([a-zA-Z]+)$/;

type Handler = (input: unknown) => Promise<unknown>;

function commandFor(action: string): new (input: never) => ddb.DynamoDBClient extends never ? never : object {
  const name = `${action[0]!.toUpperCase()}${action.slice(1)}Command`;
  const Cmd = (ddb as unknown as Record<string, unknown>)[name];
  if (typeof Cmd !== 'function') throw new Error(`no DynamoDB command ${name}`);
  return Cmd as new (input: never) => object;
}

/**
 * The error a DynamoDB task fails with, as Step Functions reports it: the optimized integration
 * names Java SDK v1 exceptions (an unmodeled ValidationException is DynamoDB.AmazonDynamoDBException), the aws-sdk
 * one Java SDK v2 exceptions (DynamoDb.DynamoDbException); the Cause is DynamoDB's message followed by " (Service: …)".
 */
function dynamoTaskError(e: Error & { $metadata?: { httpStatusCode?: number; requestId?: string } }, optimized: boolean): Error {
  const status = e.$metadata?.httpStatusCode ?? 400;
  const requestId = 'LOCAL'; // dynalite's are random; nothing may depend on it
  const unmodeled = e.name === 'ValidationException';
  const err = new Error(optimized
    ? `${e.message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${e.name}; Request ID: ${requestId}; Proxy: null)`
    : `${e.message} (Service: DynamoDb, Status Code: ${status}, Request ID: ${requestId})`);
  err.name = optimized ? `DynamoDB.${unmodeled ? 'AmazonDynamoDBException' : e.name}` : `DynamoDb.${unmodeled ? 'DynamoDbException' : e.name}`;
  return err;
}

function bindTask(state: AslState, ctx: MachineRunContext): Handler | undefined {
  const resource = String(state['Resource'] ?? '');
  const optimized = OPTIMIZED.exec(resource);
  const sdk = SDK.exec(resource);
  if (optimized || sdk) {
    const Cmd = commandFor((optimized ?? sdk)![1]!);
    const prefix = optimized ? 'DynamoDB' : 'DynamoDb';
    return async (input) => {
      try {
        const out = (await ctx.client.send(new Cmd(input as never) as never)) as Record<string, unknown> & { $metadata: { httpStatusCode?: number; requestId?: string } };
        const { $metadata, ...rest } = out;
        return optimized ? { ...rest, SdkHttpMetadata: { HttpStatusCode: $metadata.httpStatusCode }, SdkResponseMetadata: { RequestId: $metadata.requestId } } : rest;
      } catch (e) {
        throw dynamoTaskError(e as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } }, !!optimized);
      }
    };
  }
  if (resource === 'arn:aws:states:::sns:publish') {
    return async (input) => {
      ctx.sideEffects.push({ service: 'sns', action: 'Publish', input });
      const rejected = publishRejected(input as Record<string, unknown>);
      // The optimized integrations name errors by the Java SDK's exception classes; an unmodeled code becomes the
      // service's generic exception (as DynamoDB's ValidationException becomes DynamoDB.AmazonDynamoDBException).
      if (rejected) throw Object.assign(new Error(rejected.message), { name: rejected.code === 'InvalidParameter' ? 'SNS.InvalidParameterException' : 'SNS.AmazonSNSException' });
      return { MessageId: `local-${ctx.sideEffects.length}` };
    };
  }
  if (resource === 'arn:aws:states:::events:putEvents') {
    return async (input) => {
      // The integration accepts Detail as a JSON object and sends it as its text; a string goes as it is.
      const entries = ((input as { Entries?: Array<Record<string, unknown>> }).Entries ?? []).map((e) => (e['Detail'] !== undefined && typeof e['Detail'] !== 'string' ? { ...e, Detail: JSON.stringify(e['Detail']) } : e));
      ctx.sideEffects.push({ service: 'eventbridge', action: 'PutEvents', input: { ...(input as object), Entries: entries } });
      return { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
    };
  }
  if (resource === 'arn:aws:states:::sqs:sendMessage') {
    return async (input) => {
      const message = input as Record<string, unknown>;
      // A JSON MessageBody is sent as its text.
      const body = message['MessageBody'];
      const sent = typeof body === 'string' || body === undefined ? message : { ...message, MessageBody: JSON.stringify(body) };
      ctx.sideEffects.push({ service: 'sqs', action: 'SendMessage', input: sent });
      return { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(String(sent['MessageBody'] ?? '')).digest('hex') };
    };
  }
  if (resource === 'arn:aws:states:::http:invoke') return (input) => httpInvoke(input as HttpTaskInput, ctx);
  if (resource === 'arn:aws:states:::bedrock:invokeModel' && ctx.invokeModel) {
    const invokeModel = ctx.invokeModel;
    return async (input) => {
      const { ModelId, Body } = input as { ModelId: string; Body?: unknown };
      const answer = invokeModel(ModelId, Body ?? null);
      if (!answer.ok) throw Object.assign(new Error(answer.error.message ?? answer.error.name), { name: `Bedrock.${answer.error.name}` });
      // The integration parses a JSON answer into Body (CDK docs: $.Body.results[0].outputText).
      return { Body: answer.value, ContentType: 'application/json' };
    };
  }
  const sdkCommand = sdkCommandByResource(resource);
  if (sdkCommand && ctx.callAws) {
    const callAws = ctx.callAws;
    return async (input) => {
      // Recorded in the SDK's input shape: the Task's PascalCase parameters under the SDK member names.
      const byTask = new Map(Object.entries(sdkCommand.params).map(([sdkName, p]) => [p.task, sdkName]));
      const sdkInput = Object.fromEntries(Object.entries(input as Record<string, unknown>).map(([k, v]) => [byTask.get(k) ?? k, v]));
      const answer = callAws(sdkCommand.recordService, sdkCommand.apiAction, sdkInput);
      if (!answer.ok) {
        const name = answer.error.name.endsWith('Exception') ? answer.error.name : `${answer.error.name}Exception`;
        throw Object.assign(new Error(answer.error.message ?? answer.error.name), { name: `${sdkCommand.integration.errorPrefix}.${name}` });
      }
      return answer.value;
    };
  }
  const functionName = String(((state['Parameters'] ?? state['Arguments']) as { FunctionName?: unknown } | undefined)?.FunctionName ?? '');
  if (resource === 'arn:aws:states:::lambda:invoke' && !functionName.includes('OriginalHandlerArn') && !functionName.includes('ResidualFunctionArn') && ctx.invokeLambda) {
    const invoke = ctx.invokeLambda;
    return async (input) => {
      const { FunctionName, Payload, InvocationType } = input as { FunctionName: string; Payload?: unknown; InvocationType?: string };
      const answer = invoke(FunctionName, Payload ?? null, InvocationType);
      return InvocationType === 'Event' ? { StatusCode: 202, Payload: '' } : { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: answer };
    };
  }
  if (resource === 'arn:aws:states:::lambda:invoke' && functionName.includes('OriginalHandlerArn') && ctx.handler) {
    const handler = ctx.handler;
    return async (input) => ({ StatusCode: 200, Payload: await handler((input as { Payload: unknown }).Payload) });
  }
  if (resource === 'arn:aws:states:::lambda:invoke' && ctx.residual && functionName.includes('ResidualFunctionArn')) {
    const residual = ctx.residual;
    return async (input) => {
      const { Payload } = input as { Payload: { compute: string; input: Record<string, unknown> } };
      return { StatusCode: 200, Payload: await residual(Payload.compute, Payload.input) };
    };
  }
  return undefined;
}

interface HttpTaskInput {
  ApiEndpoint: string;
  Method: string;
  Headers?: Record<string, string>;
  QueryParameters?: Record<string, string>;
  RequestBody?: unknown;
  Authentication?: { ConnectionArn?: string };
}

/** The HTTP Task, locally: the request goes to ApiEndpoint (the stub server in verify) with the connection's header. */
async function httpInvoke(input: HttpTaskInput, ctx: MachineRunContext): Promise<unknown> {
  const url = new URL(input.ApiEndpoint);
  for (const [k, v] of Object.entries(input.QueryParameters ?? {})) url.searchParams.append(k, String(v));
  const headers: Record<string, string> = { ...(input.Headers ?? {}) };
  const auth = ctx.httpConnections?.[input.Authentication?.ConnectionArn ?? ''];
  if (auth) headers[auth.name] = auth.value;
  let body: string | undefined;
  if (input.RequestBody !== undefined) {
    body = typeof input.RequestBody === 'string' ? input.RequestBody : JSON.stringify(input.RequestBody);
    if (typeof input.RequestBody !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=UTF-8';
  }
  const res = await fetch(url, { method: input.Method, headers, body });
  const text = await res.text();
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status} from ${url.pathname}: ${text.slice(0, 200)}`), { name: `States.Http.StatusCode.${res.status}` });
  let responseBody: unknown = text;
  if (/json/i.test(res.headers.get('content-type') ?? '')) {
    try {
      responseBody = JSON.parse(text);
    } catch {
      /* kept as text */
    }
  }
  return { StatusCode: res.status, StatusText: res.statusText, Headers: Object.fromEntries(res.headers), ResponseBody: responseBody };
}

export { UnboundTaskError };

/** Bind every Task state (also inside Map and Parallel); throws naming the first unbound one. */
export function bindTasks(states: Record<string, AslState>, ctx: MachineRunContext, out: Record<string, Handler> = {}): Record<string, Handler> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      const h = bindTask(state, ctx);
      if (!h) throw new UnboundTaskError(`Task state "${name}" (${String(state['Resource'])}) has no local implementation; refusing to run it (it would call AWS)`);
      out[name] = h;
    }
    const processor = (state['ItemProcessor'] ?? state['Iterator']) as { States?: Record<string, AslState> } | undefined;
    if (processor?.States) bindTasks(processor.States, ctx, out);
    for (const b of (state['Branches'] as Array<{ States: Record<string, AslState> }> | undefined) ?? []) bindTasks(b.States, ctx, out);
  }
  return out;
}

function waitStateNames(states: Record<string, AslState>): string[] {
  return Object.entries(states).flatMap(([name, s]) => [
    ...(s.Type === 'Wait' ? [name] : []),
    ...waitStateNames(((s['ItemProcessor'] ?? s['Iterator']) as { States?: Record<string, AslState> } | undefined)?.States ?? {}),
    ...((s['Branches'] as Array<{ States: Record<string, AslState> }> | undefined) ?? []).flatMap((b) => waitStateNames(b.States)),
  ]);
}

/** Replace ${Name} definition substitutions with their values. */
export function substitute(definition: AslDefinition, values: Record<string, string>): AslDefinition {
  const text = JSON.stringify(definition).replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, k: string) => (k in values ? JSON.stringify(values[k]).slice(1, -1) : m));
  return JSON.parse(text) as AslDefinition;
}

/** Whether any state (nested ones too) sets its own QueryLanguage to JSONata. */
function anyJsonataState(states: Record<string, AslState>): boolean {
  return Object.values(states).some(
    (s) =>
      s['QueryLanguage'] === 'JSONata' ||
      anyJsonataState(((s['ItemProcessor'] ?? s['Iterator']) as { States?: Record<string, AslState> } | undefined)?.States ?? {}) ||
      ((s['Branches'] as Array<{ States: Record<string, AslState> }> | undefined) ?? []).some((b) => anyJsonataState(b.States)),
  );
}

/** Definitions (as JSON) the emulator has accepted in this process. */
const validDefinitions = new Set<string>();
const MAX_DEFINITIONS_KEPT = 1_000;

export async function runDefinition(definition: AslDefinition, input: unknown, ctx: MachineRunContext): Promise<MachineOutcome> {
  const handlers = bindTasks(definition.States, ctx);
  // aws-local-stepfunctions runs JSONata silently wrong: JSONata machines go to lambda2sfn's own executor.
  if (definition['QueryLanguage'] === 'JSONata') {
    const { runJsonataMachine } = await import('./jsonata/executeJsonata.js');
    const { trace: _trace, ...outcome } = await runJsonataMachine(definition, input, handlers);
    return outcome;
  }
  if (anyJsonataState(definition.States)) throw new Error('a JSONPath definition with JSONata states cannot be verified (aws-local-stepfunctions ignores JSONata; the lambda2sfn executor runs whole-JSONata definitions only)');
  const retryIntervalOverrides = Object.fromEntries(Object.keys(handlers).map((k) => [k, 0]));
  // The handler's sleeps run (scaled by its runner); the machine's Wait states are skipped: time is not compared.
  const waitTimeOverrides = Object.fromEntries(waitStateNames(definition.States).map((k) => [k, 0]));
  let machine: StateMachine;
  // The emulator validates the definition each time it is built: once per distinct definition is enough.
  const text = JSON.stringify(definition);
  try {
    machine = new StateMachine(definition as never, { validationOptions: validDefinitions.has(text) ? { noValidate: true } : { checkPaths: true, checkArn: true } });
  } catch (e) {
    // A field named like an Object.prototype member (an item's `constructor` attribute) is no duplicate.
    if (!onlyFalseDuplicates((e as Error).message, definition)) return { ok: false, error: 'InvalidDefinition', cause: (e as Error).message };
    machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  }
  if (validDefinitions.size >= MAX_DEFINITIONS_KEPT) validDefinitions.clear();
  validDefinitions.add(text);
  const now = new Date().toISOString();
  try {
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides, waitTimeOverrides },
      context: { Execution: { StartTime: now }, State: { EnteredTime: now } } as never,
    });
    return { ok: true, output: await execution.result };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return { ok: false, error: err.cause?.name ?? err.name, cause: err.cause?.message ?? err.message };
  }
}
