// IAM statements of a Serverless state machine for its SNS / SQS / EventBridge Tasks, on the ARN each Task addresses:
// the topic ARN the code passes, the queue's ARN from its URL (a Ref to the queue → Fn::GetAtt Arn; a literal URL →
// arn:aws:sqs:<region>:<account>:<name>), the bus ARN from its name. Fn::Join, never Fn::Sub: Serverless would take
// `${…}` for its own variables. A target that cannot be named stays a conflict.
import type { AslDefinition } from '../report/types.js';
import { INTEGRATION_RESOURCES, messagingTargets } from './samIntegrations.js';

type Json = Record<string, unknown>;

const ACTIONS: Record<string, string> = {
  [INTEGRATION_RESOURCES.sns]: 'sns:Publish',
  [INTEGRATION_RESOURCES.sqs]: 'sqs:SendMessage',
  [INTEGRATION_RESOURCES.eventbridge]: 'events:PutEvents',
};

const refId = (v: unknown, type: string, resources: Json): string | undefined => {
  const id = v && typeof v === 'object' && typeof (v as Json)['Ref'] === 'string' ? ((v as Json)['Ref'] as string) : undefined;
  return id && (resources[id] as Json | undefined)?.['Type'] === type ? id : undefined;
};

/** `arn:<partition>:events:<region>:<account>:event-bus/<name>` as a Fn::Join. */
const busArn = (name: string): unknown => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:event-bus/${name}`]] });

/** The ARN a target value names, or why it cannot be named. */
function targetArn(resource: string, value: unknown, resources: Json): { arn: unknown } | { why: string } {
  const text = typeof value === 'string' && !value.includes('${') ? value : undefined;
  // The code passes the topic's ARN: whatever gives it to the function (a Ref, a literal, a Serverless variable that
  // resolves anywhere in the file) gives it here.
  if (resource === INTEGRATION_RESOURCES.sns) return { arn: value };
  if (resource === INTEGRATION_RESOURCES.sqs) {
    const queue = refId(value, 'AWS::SQS::Queue', resources);
    if (queue) return { arn: { 'Fn::GetAtt': [queue, 'Arn'] } };
    const m = text ? /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\/([\w-]+(?:\.fifo)?)$/.exec(text) : null;
    if (m) return { arn: `arn:aws:sqs:${m[1]}:${m[2]}:${m[3]}` };
    return { why: 'the queue URL is neither a Ref to a queue of this file nor a literal SQS URL' };
  }
  if (value === 'default') return { arn: busArn('default') };
  const bus = refId(value, 'AWS::Events::EventBus', resources);
  if (bus) return { arn: { 'Fn::GetAtt': [bus, 'Arn'] } };
  if (text?.startsWith('arn:')) return { arn: text };
  if (text && /^[\w.\-/]+$/.test(text)) return { arn: busArn(text) };
  return { why: 'the event bus is neither a Ref to a bus of this file nor a literal name or ARN' };
}

/**
 * `values`: placeholder → its value in serverless.yml; `resources`: the file's `resources.Resources`. Every messaging
 * Task is covered: its statement is returned or a conflict says what to add.
 */
export function serverlessMessagingStatements(definition: AslDefinition, values: Json, resources: Json, conflicts: string[]): { statements: Json[]; handled: Set<string> } {
  const byAction = new Map<string, unknown[]>();
  for (const { resource, targets } of messagingTargets(definition)) {
    for (const target of targets) {
      const value = target === 'default' ? 'default' : target !== undefined ? values[target] : undefined;
      const found = value === undefined ? { why: 'the Task names its target at run time' } : targetArn(resource, value, resources);
      if ('why' in found) {
        conflicts.push(`${resource}: ${found.why}; add ${ACTIONS[resource]} on it to the state machine's iamRoleStatements by hand`);
        continue;
      }
      const list = byAction.get(ACTIONS[resource]!) ?? [];
      if (!list.some((r) => JSON.stringify(r) === JSON.stringify(found.arn))) list.push(found.arn);
      byAction.set(ACTIONS[resource]!, list);
    }
  }
  // Unnamed targets were reported above, with the reason: no second, generic conflict for them.
  return { statements: [...byAction].map(([action, arns]) => ({ Effect: 'Allow', Action: [action], Resource: arns })), handled: new Set(Object.keys(ACTIONS)) };
}
