// Messaging and invocation calls (SNS, EventBridge, SQS, Lambda, Bedrock) that have an optimized Step Functions integration,
// and the allow-listed SDK commands that become AWS SDK integrations (sdkIntegrations.ts).
// One table says which client call becomes which integration and which rule owns it.
import type { IntegrationService, Json, ValueExpr } from '../../model/workflow.js';
import { typeOfValue } from '../../model/valueType.js';
import type { ClientKind } from '../../analyze/clients.js';
import type { SdkCallShape } from './dynamoCall.js';
import { SDK_INTEGRATION_CLIENTS, sdkCommand, sdkMethodV2, type SdkCommandMapping } from './sdkIntegrations.js';

export interface ServiceCallMatch {
  rule: string;
  title: string;
  service: IntegrationService;
  /** The request parameters node (the command's or the method's first argument). */
  params: unknown;
  /** SDK v2 method call not awaited with .promise(): fire-and-forget, not convertible. */
  unawaitedV2: boolean;
  /** `aws-sdk`: the allow-listed command. */
  sdk?: SdkCommandMapping;
}

const RULES: Record<IntegrationService, { rule: string; title: string }> = {
  sns: { rule: 'sns-publish', title: 'SNS publish' },
  eventbridge: { rule: 'eventbridge-put-events', title: 'EventBridge PutEvents' },
  sqs: { rule: 'sqs-send-message', title: 'SQS SendMessage' },
  lambda: { rule: 'lambda-invoke', title: 'Lambda Invoke' },
  http: { rule: 'http-task', title: 'HTTP call (fetch)' },
  bedrock: { rule: 'bedrock-invoke-model', title: 'Bedrock InvokeModel' },
  'aws-sdk': { rule: 'aws-sdk-integration', title: 'AWS SDK call' },
};

/** `client kind:command` (v3 send) or `client kind.method` (v2) → service. */
const CALLS: Record<string, IntegrationService> = {
  'v3-sns:PublishCommand': 'sns',
  'v3-eventbridge:PutEventsCommand': 'eventbridge',
  'v3-sqs:SendMessageCommand': 'sqs',
  'v3-lambda:InvokeCommand': 'lambda',
  'v3-bedrock-runtime:InvokeModelCommand': 'bedrock',
  'v2-sns.publish': 'sns',
  'v2-eventbridge.putEvents': 'eventbridge',
  'v2-sqs.sendMessage': 'sqs',
  'v2-lambda.invoke': 'lambda',
};

export function recogniseServiceCall(call: SdkCallShape): ServiceCallMatch | undefined {
  const v2 = call.client.startsWith('v2-');
  const key = v2 ? `${call.client}.${call.method}` : call.method === 'send' && call.command ? `${call.client}:${call.command.name}` : undefined;
  const service = key ? CALLS[key] : undefined;
  const sdk = v2 ? sdkMethodV2(call.client, call.method) : call.method === 'send' && call.command ? sdkCommand(call.client, call.command.name) : undefined;
  if (sdk) return { rule: RULES['aws-sdk'].rule, title: `${sdk.apiAction} (${sdk.integration.service})`, service: 'aws-sdk', params: v2 ? call.args[0] : call.command!.args[0], unawaitedV2: v2 && !call.promise, sdk };
  if (!service) return undefined;
  return { ...RULES[service], service, params: v2 ? call.args[0] : call.command!.args[0], unawaitedV2: v2 && !call.promise };
}

/** Is this a client of a service the analyser converts (beyond DynamoDB)? */
export function isServiceClient(kind: ClientKind): boolean {
  return SDK_INTEGRATION_CLIENTS.has(kind) || Object.keys(CALLS).some((k) => k.startsWith(`${kind}:`) || k.startsWith(`${kind}.`));
}

/** What a request member holds: a scalar (or a value passed as is), a structure with named members, a list or a string-keyed map. */
export type ParamShape = 'value' | { members: Readonly<Record<string, ParamShape>> } | { list: ParamShape } | { map: ParamShape };

const SNS_ATTRIBUTE: ParamShape = { members: { DataType: 'value', StringValue: 'value', BinaryValue: 'value' } };
const SQS_ATTRIBUTE: ParamShape = { members: { DataType: 'value', StringValue: 'value', BinaryValue: 'value', StringListValues: 'value', BinaryListValues: 'value' } };

/**
 * The request members each optimized integration takes (its Parameters), nested ones included: a member the
 * handler passes that the integration does not take would make the Task fail where the SDK call does something
 * else (v2 refuses it, v3 leaves it out of the request).
 */
export const INTEGRATION_PARAMETERS: Partial<Record<IntegrationService, { members: Readonly<Record<string, ParamShape>> }>> = {
  sns: { members: { TopicArn: 'value', TargetArn: 'value', PhoneNumber: 'value', Message: 'value', Subject: 'value', MessageStructure: 'value', MessageAttributes: { map: SNS_ATTRIBUTE }, MessageDeduplicationId: 'value', MessageGroupId: 'value' } },
  sqs: { members: { QueueUrl: 'value', MessageBody: 'value', DelaySeconds: 'value', MessageAttributes: { map: SQS_ATTRIBUTE }, MessageDeduplicationId: 'value', MessageGroupId: 'value' } },
  eventbridge: { members: { Entries: { list: { members: { Time: 'value', Source: 'value', Resources: 'value', DetailType: 'value', Detail: 'value', EventBusName: 'value', TraceHeader: 'value' } } } } },
  lambda: { members: { FunctionName: 'value', InvocationType: 'value', Qualifier: 'value', ClientContext: 'value', Payload: 'value' } },
};

/**
 * The first member, at any depth, that a value holds and its shape does not take (`Entries[0].params`), as far as
 * the value's structure is visible: literals, object and array expressions, the branches of a choice, the parts of a
 * merge and the known fields of a typed value.
 */
export function unknownMember(v: ValueExpr, shape: ParamShape, path: string): string | undefined {
  if (shape === 'value') return undefined;
  const alternatives = (vs: ValueExpr[]) => vs.map((x) => unknownMember(x, shape, path)).find(Boolean);
  switch (v.kind) {
    case 'conditional': return alternatives([v.then, v.else]);
    case 'coalesce': return alternatives([v.value, v.fallback]);
    case 'merge': return alternatives(v.parts);
    case 'residual': return v.jsonata ? unknownMember(v.jsonata, shape, path) : undefined;
    case 'literal': return unknownInJson(v.value, shape, path);
    case 'array': return 'list' in shape ? v.items.map((x, i) => unknownMember(x, shape.list, `${path}[${i}]`)).find(Boolean) : undefined;
    case 'object': return unknownInFields(v.entries, shape, path, (x, s, at) => unknownMember(x, s, at));
    default: {
      const type = typeOfValue(v);
      if (type.kind !== 'object' || !type.fields) return undefined;
      return unknownInFields(Object.entries(type.fields), shape, path, () => undefined);
    }
  }
}

function unknownInJson(value: Json, shape: ParamShape, path: string): string | undefined {
  if (shape === 'value' || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return 'list' in shape ? value.map((x, i) => unknownInJson(x, shape.list, `${path}[${i}]`)).find(Boolean) : undefined;
  return unknownInFields(Object.entries(value), shape, path, unknownInJson);
}

function unknownInFields<T>(fields: Array<[string, T]>, shape: Exclude<ParamShape, 'value'>, path: string, inner: (x: T, s: ParamShape, at: string) => string | undefined): string | undefined {
  for (const [k, x] of fields) {
    const at = path ? `${path}.${k}` : k;
    const member = 'members' in shape ? (Object.hasOwn(shape.members, k) ? shape.members[k] : undefined) : 'map' in shape ? shape.map : undefined;
    if (!member) return at;
    const deeper = inner(x, member, at);
    if (deeper) return deeper;
  }
  return undefined;
}
