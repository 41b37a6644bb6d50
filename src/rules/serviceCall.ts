// Messaging and invocation calls (SNS, EventBridge, SQS, Lambda) that have an optimized Step Functions integration.
// One table says which client call becomes which integration and which rule owns it.
import type { IntegrationService } from '../model/workflow.js';
import type { ClientKind } from '../analyze/clients.js';
import type { SdkCallShape } from './dynamoCall.js';

export interface ServiceCallMatch {
  rule: string;
  title: string;
  service: IntegrationService;
  /** The request parameters node (the command's or the method's first argument). */
  params: unknown;
  /** SDK v2 method call not awaited with .promise(): fire-and-forget, not convertible. */
  unawaitedV2: boolean;
}

const RULES: Record<IntegrationService, { rule: string; title: string }> = {
  sns: { rule: 'sns-publish', title: 'SNS publish' },
  eventbridge: { rule: 'eventbridge-put-events', title: 'EventBridge PutEvents' },
  sqs: { rule: 'sqs-send-message', title: 'SQS SendMessage' },
  lambda: { rule: 'lambda-invoke', title: 'Lambda Invoke' },
  http: { rule: 'http-task', title: 'HTTP call (fetch)' },
};

/** `client kind:command` (v3 send) or `client kind.method` (v2) → service. */
const CALLS: Record<string, IntegrationService> = {
  'v3-sns:PublishCommand': 'sns',
  'v3-eventbridge:PutEventsCommand': 'eventbridge',
  'v3-sqs:SendMessageCommand': 'sqs',
  'v3-lambda:InvokeCommand': 'lambda',
  'v2-sns.publish': 'sns',
  'v2-eventbridge.putEvents': 'eventbridge',
  'v2-sqs.sendMessage': 'sqs',
  'v2-lambda.invoke': 'lambda',
};

export function recogniseServiceCall(call: SdkCallShape): ServiceCallMatch | undefined {
  const v2 = call.client.startsWith('v2-');
  const key = v2 ? `${call.client}.${call.method}` : call.method === 'send' && call.command ? `${call.client}:${call.command.name}` : undefined;
  const service = key ? CALLS[key] : undefined;
  if (!service) return undefined;
  return { ...RULES[service], service, params: v2 ? call.args[0] : call.command!.args[0], unawaitedV2: v2 && !call.promise };
}

/** Is this a client of a service the analyser converts (beyond DynamoDB)? */
export function isServiceClient(kind: ClientKind): boolean {
  return Object.keys(CALLS).some((k) => k.startsWith(`${kind}:`) || k.startsWith(`${kind}.`));
}
