// What a Serverless or CDK proposal cannot write yet for the SNS / SQS / EventBridge / HTTP integrations, said
// exactly (the SAM proposal writes them: samIntegrations.ts). One conflict per missing piece, never silence.
import type { HttpConnection } from '../report/types.js';
import { INTEGRATION_RESOURCES } from './samIntegrations.js';

/** The permissions (and resources) a Task resource needs, for a conflict; undefined for other resources. */
export function manualIntegrationStep(resource: string, tool: 'serverless' | 'cdk'): string | undefined {
  const how = tool === 'cdk' ? 'grant it in the stack by hand (e.g. topic.grantPublish / queue.grantSendMessages / bus.grantPutEventsTo on the state machine)' : 'add it to the state machine role by hand (iamRoleStatements)';
  switch (resource) {
    case INTEGRATION_RESOURCES.sns: return `${resource} needs sns:Publish on the topic: ${how}`;
    case INTEGRATION_RESOURCES.sqs: return `${resource} needs sqs:SendMessage on the queue: ${how}`;
    case INTEGRATION_RESOURCES.eventbridge: return `${resource} needs events:PutEvents on the event bus: ${how}`;
    case INTEGRATION_RESOURCES.http:
      return `${resource} needs states:InvokeHTTPEndpoint (conditions states:HTTPEndpoint / states:HTTPMethod), events:RetrieveConnectionCredentials on its EventBridge connection and secretsmanager:GetSecretValue + DescribeSecret on the connection's secret: ${tool === 'cdk' ? 'the stack needs an events.Connection and these grants, added by hand' : 'add them by hand'}`;
    default: return undefined;
  }
}

/** The EventBridge connection a substitution names, to be created by hand: its auth, with the secret left to the user. */
export function manualConnection(c: HttpConnection): string {
  const auth = c.authorization === 'API_KEY' && c.header
    ? `AuthorizationType API_KEY, ApiKeyName ${c.header.name}, ApiKeyValue ${c.header.prefix}<the secret of process.env.${c.header.envVar}>`
    : c.authorization === 'BASIC' && c.basic
      ? `AuthorizationType BASIC, user name ${'envVar' in c.basic.username ? `<process.env.${c.basic.username.envVar}>` : JSON.stringify(c.basic.username.value)}, password <the secret of process.env.${c.basic.passwordEnvVar}>`
      : 'an AuthorizationType the API accepts (it takes no auth, but a connection needs one)';
  return `\${${c.substitution}}: create an EventBridge connection for ${c.endpoint} (${auth}) and pass its ARN by hand`;
}
