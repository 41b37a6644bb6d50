// SAM permissions and resources of a state machine's service integrations other than DynamoDB and Lambda:
// SNS publish, EventBridge putEvents, SQS sendMessage (SAM policy templates: SNSPublishMessagePolicy TopicName,
// SQSSendMessagePolicy QueueName, EventBridgePutEventsPolicy EventBusName — serverless-application-model
// policy_templates.json), and the HTTP Task with the EventBridge connection each endpoint needs (the role
// needs states:InvokeHTTPEndpoint, events:RetrieveConnectionCredentials on the connection, secretsmanager
// GetSecretValue/DescribeSecret on the connection's secret). Secrets are NoEcho template parameters, never values.
import type { AslDefinition, HttpConnection } from '../report/types.js';
import { placeholderName } from './policies.js';

type Json = Record<string, unknown>;

export const INTEGRATION_RESOURCES = {
  sns: 'arn:aws:states:::sns:publish',
  sqs: 'arn:aws:states:::sqs:sendMessage',
  eventbridge: 'arn:aws:states:::events:putEvents',
  http: 'arn:aws:states:::http:invoke',
} as const;

export interface SamIntegrationPlan {
  policies: unknown[];
  /** Task resources granted here: the generic policy code must not call them unknown. */
  handled: Set<string>;
  /** New resources (EventBridge connections), by logical id. */
  resources: Json;
  /** New template parameters (the connections' secrets, NoEcho), by name. */
  parameters: Json;
  /** DefinitionSubstitutions the plan fills (connection ARNs). */
  substitutions: Json;
}

/** Every Task state (Map item processors and Parallel branches included). */
function tasks(states: Record<string, unknown>, out: Json[] = []): Json[] {
  for (const state of Object.values(states)) {
    const s = state as Json;
    for (const nested of [s['ItemProcessor'], s['Iterator'], ...((s['Branches'] as unknown[]) ?? [])]) {
      const ns = (nested as { States?: Record<string, unknown> } | undefined)?.States;
      if (ns) tasks(ns, out);
    }
    if (s['Type'] === 'Task') out.push(s);
  }
  return out;
}

/**
 * The SNS / SQS / EventBridge Tasks of a definition with the placeholder each one targets (TopicArn, QueueUrl,
 * each entry's EventBusName; `default` for an entry naming no bus; undefined when the target is not a placeholder).
 */
export function messagingTargets(definition: AslDefinition): Array<{ resource: string; targets: Array<string | undefined> }> {
  const out: Array<{ resource: string; targets: Array<string | undefined> }> = [];
  const key = (v: unknown) => (typeof v === 'string' ? placeholderName(v) : undefined);
  for (const task of tasks(definition.States)) {
    const resource = task['Resource'] as string;
    const params = (task['Parameters'] ?? task['Arguments'] ?? {}) as Json;
    if (resource === INTEGRATION_RESOURCES.sns) out.push({ resource, targets: [key(params['TopicArn'])] });
    else if (resource === INTEGRATION_RESOURCES.sqs) out.push({ resource, targets: [key(params['QueueUrl'])] });
    else if (resource === INTEGRATION_RESOURCES.eventbridge) {
      const entries = params['Entries'];
      out.push({ resource, targets: Array.isArray(entries) ? (entries as Json[]).map((e) => (e['EventBusName'] === undefined && e['EventBusName.$'] === undefined ? 'default' : key(e['EventBusName']))) : [undefined] });
    }
  }
  return out;
}

/** The logical id a `{ Ref: Id }` names when that resource has the given type. */
function refTo(value: unknown, type: string, resources: Json): string | undefined {
  const id = value && typeof value === 'object' && typeof (value as Json)['Ref'] === 'string' ? ((value as Json)['Ref'] as string) : undefined;
  return id && (resources[id] as Json | undefined)?.['Type'] === type ? id : undefined;
}

/**
 * `substitutions`: placeholder → CloudFormation value (from the function's environment); `resources`: the template's
 * resources; `base`: the prefix of new logical ids. Unknown targets become conflicts, never guesses.
 */
export function samIntegrations(definition: AslDefinition, connections: HttpConnection[], substitutions: Json, resources: Json, envValues: Json, conflicts: string[], notes: string[]): SamIntegrationPlan {
  const plan: SamIntegrationPlan = { policies: [], handled: new Set(), resources: {}, parameters: {}, substitutions: {} };
  const seen = new Set<string>();
  const push = (policy: unknown) => {
    const key = JSON.stringify(policy);
    if (!seen.has(key)) plan.policies.push(policy);
    seen.add(key);
  };
  const valueOf = (field: unknown): { value?: unknown; text: string } => {
    if (typeof field !== 'string') return { text: JSON.stringify(field) };
    const key = placeholderName(field);
    return { value: key ? substitutions[key] : field, text: field };
  };
  const http: Array<{ connection: string; endpoint?: string; method?: string }> = [];
  for (const task of tasks(definition.States)) {
    const resource = task['Resource'];
    const params = (task['Parameters'] ?? task['Arguments'] ?? {}) as Json;
    if (resource === INTEGRATION_RESOURCES.sns) {
      plan.handled.add(resource);
      const { value, text } = valueOf(params['TopicArn']);
      const topic = refTo(value, 'AWS::SNS::Topic', resources);
      if (topic) push({ SNSPublishMessagePolicy: { TopicName: { 'Fn::GetAtt': [topic, 'TopicName'] } } });
      else if (typeof value === 'string' && value.startsWith('arn:')) push({ Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: value }] });
      else conflicts.push(`sns:publish to a topic this proposal cannot name (TopicArn ${text}): grant sns:Publish on it by hand`);
    } else if (resource === INTEGRATION_RESOURCES.sqs) {
      plan.handled.add(resource);
      const { value, text } = valueOf(params['QueueUrl']);
      // Ref of an AWS::SQS::Queue is its URL; the policy template takes the queue name.
      const queue = refTo(value, 'AWS::SQS::Queue', resources);
      if (queue) push({ SQSSendMessagePolicy: { QueueName: { 'Fn::GetAtt': [queue, 'QueueName'] } } });
      else conflicts.push(`sqs:sendMessage to a queue this proposal cannot name (QueueUrl ${text}): grant sqs:SendMessage on it by hand`);
    } else if (resource === INTEGRATION_RESOURCES.eventbridge) {
      plan.handled.add(resource);
      const entries = params['Entries'];
      if (!Array.isArray(entries)) {
        conflicts.push('events:putEvents with entries built at run time: grant events:PutEvents on the event buses by hand');
        continue;
      }
      for (const entry of entries as Json[]) {
        if (entry['EventBusName'] === undefined && entry['EventBusName.$'] === undefined) {
          push({ EventBridgePutEventsPolicy: { EventBusName: 'default' } });
          continue;
        }
        const { value, text } = valueOf(entry['EventBusName']);
        // Ref of an AWS::Events::EventBus is its name.
        if (refTo(value, 'AWS::Events::EventBus', resources) || (typeof value === 'string' && !value.startsWith('arn:') && !value.includes('${'))) push({ EventBridgePutEventsPolicy: { EventBusName: value } });
        else if (typeof value === 'string' && value.startsWith('arn:')) push({ Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: value }] });
        else conflicts.push(`events:putEvents to an event bus this proposal cannot name (EventBusName ${text}): grant events:PutEvents on it by hand`);
      }
    } else if (resource === INTEGRATION_RESOURCES.http) {
      plan.handled.add(resource);
      const arn = ((params['Authentication'] ?? {}) as Json)['ConnectionArn'];
      const key = typeof arn === 'string' ? placeholderName(arn) : undefined;
      if (!key) {
        conflicts.push('an HTTP Task names no connection this proposal can create: add the EventBridge connection and the HTTP Task permissions by hand');
        continue;
      }
      const endpoint = typeof params['ApiEndpoint'] === 'string' ? (params['ApiEndpoint'] as string) : undefined;
      http.push({ connection: key, endpoint, method: typeof params['Method'] === 'string' ? (params['Method'] as string) : undefined });
    }
  }
  if (http.length) httpTaskPlan(http, connections, substitutions, resources, envValues, plan, conflicts, notes);
  return plan;
}

/** One AWS::Events::Connection per connection substitution, its secret parameters, and the HTTP Task permissions. */
function httpTaskPlan(calls: Array<{ connection: string; endpoint?: string; method?: string }>, connections: HttpConnection[], substitutions: Json, resources: Json, envValues: Json, plan: SamIntegrationPlan, conflicts: string[], notes: string[]): void {
  const endpoints: unknown[] = [];
  const methods = new Set<string>();
  let anyEndpoint = false;
  for (const key of new Set(calls.map((c) => c.connection))) {
    const c = connections.find((x) => x.substitution === key);
    const id = key.replace(/Arn$/, '');
    if (!c) {
      conflicts.push(`no connection is known for \${${key}}: add the EventBridge connection by hand`);
      continue;
    }
    if (resources[id] !== undefined) {
      conflicts.push(`the template already defines ${id}: point \${${key}} at the EventBridge connection by hand`);
      continue;
    }
    const auth = connectionAuth(c, id, plan, envValues);
    if (!auth) {
      conflicts.push(`${c.endpoint} takes no auth, but an EventBridge connection needs an AuthorizationType (API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS): add ${id} by hand with one the API accepts and point \${${key}} at it`);
      continue;
    }
    plan.resources[id] = { Type: 'AWS::Events::Connection', Properties: { Description: `Auth of the HTTP Task calls to ${c.endpoint} (the handler's credentials; secret from the template parameters)`, ...auth } };
    plan.substitutions[key] = { 'Fn::GetAtt': [id, 'Arn'] };
    plan.policies.push({ Statement: [{ Effect: 'Allow', Action: 'events:RetrieveConnectionCredentials', Resource: { 'Fn::GetAtt': [id, 'Arn'] } }] });
    plan.policies.push({ Statement: [{ Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: { 'Fn::GetAtt': [id, 'SecretArn'] } }] });
  }
  const seen = new Set<string>();
  for (const call of calls) {
    if (call.method) methods.add(call.method);
    // An endpoint built at run time: the patterns the lifter recorded for its connection (`…/stock/*`).
    const patterns = call.endpoint !== undefined ? [call.endpoint] : connections.filter((c) => c.substitution === call.connection).map((c) => c.endpointPattern);
    for (const pattern of patterns) {
      if (pattern === undefined || pattern === '*' || pattern.startsWith('*')) {
        anyEndpoint = true;
        continue;
      }
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      // The endpoint with its ${Substitutions} filled the way DefinitionSubstitutions fill them.
      const vars = Object.fromEntries([...pattern.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => [m[1]!, substitutions[m[1]!]]));
      if (Object.values(vars).some((v) => v === undefined)) anyEndpoint = true;
      else endpoints.push(Object.keys(vars).length ? { 'Fn::Sub': [pattern, vars] } : pattern);
    }
  }
  const condition: Json = { StringEquals: { 'states:HTTPMethod': [...methods].sort() } };
  if (!anyEndpoint) condition['StringLike'] = { 'states:HTTPEndpoint': endpoints.length === 1 ? endpoints[0] : endpoints };
  else notes.push('an HTTP Task builds its endpoint at run time: states:InvokeHTTPEndpoint is granted for its methods on any endpoint; narrow the states:HTTPEndpoint condition if you can');
  plan.policies.push({ Statement: [{ Effect: 'Allow', Action: 'states:InvokeHTTPEndpoint', Resource: '*', Condition: condition }] });
  notes.push('each EventBridge connection takes its secret from a NoEcho template parameter (deploy with --parameter-overrides, or point the connection at your own secret); the handler read it from its environment');
}

/** AuthorizationType and AuthParameters of a connection, with NoEcho parameters for the secrets; undefined for no auth. */
/** Where the function took an environment variable in the template, for the parameter's description. */
function fromTemplate(envVar: string, envValues: Json): string {
  const v = envValues[envVar];
  // A dynamic reference is named without its braces: CloudFormation resolves {{resolve:…}} where it finds one.
  const dynamic = typeof v === 'string' ? /^\{\{resolve:(.+)\}\}$/.exec(v) : null;
  if (dynamic) return `, from the dynamic reference resolve:${dynamic[1]} in the template`;
  // A plain value is the secret itself: it is never copied into the proposal.
  if (typeof v === 'string') return ', written as plain text in the template: move it to a secret';
  const ref = v && typeof v === 'object' && typeof (v as Json)['Ref'] === 'string' ? ((v as Json)['Ref'] as string) : undefined;
  return ref ? `, from ${ref} in the template` : '';
}

function connectionAuth(c: HttpConnection, id: string, plan: SamIntegrationPlan, envValues: Json): Json | undefined {
  const secret = (name: string, what: string, noEcho = true) => {
    plan.parameters[name] = { Type: 'String', ...(noEcho ? { NoEcho: true } : {}), Description: what };
    return { Ref: name };
  };
  if (c.authorization === 'API_KEY' && c.header) {
    const param = `${id}ApiKey`;
    const value = secret(param, `${c.header.prefix ? `The part after "${c.header.prefix}" of the` : 'The'} ${c.header.name} header for ${c.endpoint} (process.env.${c.header.envVar} in the handler${fromTemplate(c.header.envVar, envValues)})`);
    return {
      AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: c.header.name, ApiKeyValue: c.header.prefix ? { 'Fn::Sub': `${c.header.prefix}\${${param}}` } : value } },
    };
  }
  if (c.authorization === 'BASIC' && c.basic) {
    const user = c.basic.username;
    const username = 'envVar' in user ? secret(`${id}Username`, `Basic auth user name for ${c.endpoint} (process.env.${user.envVar} in the handler${fromTemplate(user.envVar, envValues)})`, false) : user.value;
    const password = secret(`${id}Password`, `Basic auth password for ${c.endpoint} (process.env.${c.basic.passwordEnvVar} in the handler${fromTemplate(c.basic.passwordEnvVar, envValues)})`);
    return { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: username, Password: password } } };
  }
  return undefined;
}
