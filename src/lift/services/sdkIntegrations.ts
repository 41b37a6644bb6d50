// The SDK v3 commands that become AWS SDK integration Tasks (`arn:aws:states:::aws-sdk:<service>:<action>`): an
// explicit allow-list, each entry saying which request members map to which Task parameters and which result fields
// mean the same in the SDK output and in the Task result. Anything else on these clients is a named blocker.
//
// Facts (supported-services-awssdk.md, AWS Step Functions developer guide): the action is camelCase, parameters are
// PascalCase, errors are `<ExceptionPrefix>.<ErrorName>` with the prefix from the table (SecretsManager, Ssm, Sfn, SesV2) and
// an `Exception` suffix added where the API's error name has none. The result is the API response as the service
// returns it, so JSON APIs with PascalCase members (SSM, Secrets Manager, SES v2) read the same fields; blobs and
// timestamps do not (the SDK turns them into Uint8Array / Date), so reading them is a blocker.
import type { ClientKind } from '../../analyze/clients.js';
import type { SdkIntegration } from '../../model/workflow.js';

export type ParamType = 'string' | 'boolean' | 'number' | 'object' | 'array';

export interface SdkCommandMapping {
  client: ClientKind;
  /** SDK v3 command class name. */
  command: string;
  integration: SdkIntegration;
  /** The API action as the SDK records it (PascalCase): what the stub server and the machine side record. */
  apiAction: string;
  /** Service name the recorded calls carry (verify's side-effects.json). */
  recordService: 'ssm' | 'secretsmanager' | 'sfn' | 'sesv2';
  /** How the SDK sends it (stub server): X-Amz-Target of a JSON-protocol request, or the path of a REST-JSON POST. */
  wire: { target: string } | { restPost: string };
  /** IAM action the Task needs. */
  iamAction: string;
  /** SDK input member → Task parameter name and the JSON type its value must have. */
  /** `forbidden`: dotted paths inside an object value that must not be present (blobs). */
  params: Record<string, { task: string; type: ParamType; forbidden?: Record<string, string> }>;
  required: string[];
  /** Result fields (dotted paths) the code may read: the same in the SDK output and the Task result. */
  results: Record<string, 'string' | 'number' | 'array'>;
  /** Result fields that must not be read, with the reason. */
  unsafeResults: Record<string, string>;
  /**
   * The request parameter (SDK name) naming the resource the call addresses, and the resource's ARN from it; `why`
   * says why a value gives no ARN (the grant is then `*` with a conflict).
   */
  resource: { param: string; arn: (name: string) => string | undefined; why?: string };
}

const ARN_PREFIX = 'arn:${AWS::Partition}';
const REGION_ACCOUNT = '${AWS::Region}:${AWS::AccountId}';

export const SDK_COMMANDS: readonly SdkCommandMapping[] = [
  {
    client: 'v3-ssm',
    command: 'GetParameterCommand',
    integration: { service: 'ssm', action: 'getParameter', errorPrefix: 'Ssm', stateName: 'Get parameter' },
    apiAction: 'GetParameter',
    recordService: 'ssm',
    wire: { target: 'AmazonSSM.GetParameter' },
    iamAction: 'ssm:GetParameter',
    params: { Name: { task: 'Name', type: 'string' }, WithDecryption: { task: 'WithDecryption', type: 'boolean' } },
    required: ['Name'],
    results: {
      'Parameter.Name': 'string', 'Parameter.Type': 'string', 'Parameter.Value': 'string', 'Parameter.Version': 'number',
      'Parameter.ARN': 'string', 'Parameter.DataType': 'string', 'Parameter.Selector': 'string', 'Parameter.SourceResult': 'string',
    },
    unsafeResults: { 'Parameter.LastModifiedDate': 'a timestamp: a Date in the SDK, a number or text in the Task result' },
    // A parameter ARN is `parameter/<name without its leading slash>`: only a literal name gives it exactly.
    resource: { param: 'Name', arn: (name) => `${ARN_PREFIX}:ssm:${REGION_ACCOUNT}:parameter/${name.replace(/^\//, '')}` },
  },
  {
    client: 'v3-secretsmanager',
    command: 'GetSecretValueCommand',
    integration: { service: 'secretsmanager', action: 'getSecretValue', errorPrefix: 'SecretsManager', stateName: 'Get secret value' },
    apiAction: 'GetSecretValue',
    recordService: 'secretsmanager',
    wire: { target: 'secretsmanager.GetSecretValue' },
    iamAction: 'secretsmanager:GetSecretValue',
    params: { SecretId: { task: 'SecretId', type: 'string' }, VersionId: { task: 'VersionId', type: 'string' }, VersionStage: { task: 'VersionStage', type: 'string' } },
    required: ['SecretId'],
    results: { SecretString: 'string', Name: 'string', ARN: 'string', VersionId: 'string', VersionStages: 'array' },
    unsafeResults: {
      SecretBinary: 'bytes: a Uint8Array in the SDK, base64 text in the Task result',
      CreatedDate: 'a timestamp: a Date in the SDK, a number or text in the Task result',
    },
    // A secret ARN ends with a random 6-character suffix: a name matches it with `-??????`.
    resource: { param: 'SecretId', arn: (id) => (id.startsWith('arn:') ? id : `${ARN_PREFIX}:secretsmanager:${REGION_ACCOUNT}:secret:${id}-??????`) },
  },
  {
    client: 'v3-sfn',
    command: 'StartExecutionCommand',
    integration: { service: 'sfn', action: 'startExecution', errorPrefix: 'Sfn', stateName: 'Start execution' },
    apiAction: 'StartExecution',
    recordService: 'sfn',
    wire: { target: 'AWSStepFunctions.StartExecution' },
    iamAction: 'states:StartExecution',
    // The Step Functions API is camelCase; its Task parameters are PascalCase (supported-services-awssdk: StateMachineArn).
    params: { stateMachineArn: { task: 'StateMachineArn', type: 'string' }, input: { task: 'Input', type: 'string' }, name: { task: 'Name', type: 'string' } },
    required: ['stateMachineArn'],
    results: {},
    unsafeResults: {
      executionArn: 'the API answers camelCase members; how the AWS SDK integration names them in the Task result is not confirmed',
      startDate: 'a timestamp: a Date in the SDK, a number or text in the Task result',
    },
    resource: { param: 'stateMachineArn', arn: (arn) => (arn.startsWith('arn:') ? arn : undefined) },
  },
  {
    client: 'v3-sesv2',
    command: 'SendEmailCommand',
    integration: { service: 'sesv2', action: 'sendEmail', errorPrefix: 'SesV2', stateName: 'Send email' },
    apiAction: 'SendEmail',
    recordService: 'sesv2',
    wire: { restPost: '/v2/email/outbound-emails' },
    iamAction: 'ses:SendEmail',
    params: {
      FromEmailAddress: { task: 'FromEmailAddress', type: 'string' },
      Destination: { task: 'Destination', type: 'object' },
      ReplyToAddresses: { task: 'ReplyToAddresses', type: 'array' },
      // Raw messages and attachments are blobs (Uint8Array in the SDK, base64 text in a Task).
      Content: {
        task: 'Content',
        type: 'object',
        forbidden: { Raw: 'a raw MIME message is bytes', 'Simple.Attachments': 'attachments are bytes', 'Template.Attachments': 'attachments are bytes' },
      },
      ConfigurationSetName: { task: 'ConfigurationSetName', type: 'string' },
      EmailTags: { task: 'EmailTags', type: 'array' },
    },
    required: ['Content'],
    results: { MessageId: 'string' },
    unsafeResults: {},
    // The identity a send is authorised on is the verified address or its domain: the code does not say which.
    resource: { param: 'FromEmailAddress', arn: () => undefined, why: 'the sending identity may be the address or its domain (and a configuration set may need a grant too)' },
  },
];

export function sdkCommand(client: ClientKind, command: string): SdkCommandMapping | undefined {
  return SDK_COMMANDS.find((c) => c.client === client && c.command === command);
}

/** SDK v2 clients of the same services: same request members and response shapes, a method per command. */
const V2_CLIENTS: Partial<Record<ClientKind, ClientKind>> = { 'v2-ssm': 'v3-ssm', 'v2-secretsmanager': 'v3-secretsmanager', 'v2-sfn': 'v3-sfn' };

/** `ssm.getParameter(params).promise()` (SDK v2) → the mapping of GetParameterCommand. */
export function sdkMethodV2(client: ClientKind, method: string): SdkCommandMapping | undefined {
  const v3 = V2_CLIENTS[client];
  return v3 ? sdkCommand(v3, `${method.charAt(0).toUpperCase()}${method.slice(1)}Command`) : undefined;
}

export function sdkCommandByResource(resource: string): SdkCommandMapping | undefined {
  return SDK_COMMANDS.find((c) => resource === `arn:aws:states:::aws-sdk:${c.integration.service}:${c.integration.action}`);
}

/** Clients whose other commands are named blockers ("no known-safe mapping"). */
export const SDK_INTEGRATION_CLIENTS: ReadonlySet<ClientKind> = new Set([...SDK_COMMANDS.map((c) => c.client), ...(Object.keys(V2_CLIENTS) as ClientKind[])]);

/** Package names of those clients, for blocker messages. */
export const CLIENT_TITLES: Partial<Record<ClientKind, string>> = {
  'v3-ssm': 'SSM',
  'v3-secretsmanager': 'Secrets Manager',
  'v3-sfn': 'Step Functions',
  'v3-bedrock-runtime': 'Bedrock Runtime',
  'v3-sesv2': 'SES v2',
  'v2-ssm': 'SSM (SDK v2)',
  'v2-secretsmanager': 'Secrets Manager (SDK v2)',
  'v2-sfn': 'Step Functions (SDK v2)',
};
