// Messaging and invocation calls (SNS, EventBridge, SQS, Lambda, Bedrock) that have an optimized Step Functions integration,
// and the allow-listed SDK commands that become AWS SDK integrations (sdkIntegrations.ts).
// One table says which client call becomes which integration and which rule owns it.
import type { IntegrationService } from '../../model/workflow.js';
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

/**
 * The request members each optimized integration takes (its Parameters): a member the handler passes that the
 * integration does not take would make the Task fail where the SDK call does something else (or fails otherwise).
 */
export const INTEGRATION_PARAMETERS: Partial<Record<IntegrationService, ReadonlySet<string>>> = {
  sns: new Set(['TopicArn', 'TargetArn', 'PhoneNumber', 'Message', 'Subject', 'MessageStructure', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId']),
  sqs: new Set(['QueueUrl', 'MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageDeduplicationId', 'MessageGroupId']),
  eventbridge: new Set(['Entries']),
  lambda: new Set(['FunctionName', 'InvocationType', 'Qualifier', 'ClientContext', 'Payload']),
};
