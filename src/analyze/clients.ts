// Which expressions create an AWS SDK client, and which SDK idiom each client speaks.

export type ClientKind =
  | 'v2-document' // new AWS.DynamoDB.DocumentClient()
  | 'v2-low' // new AWS.DynamoDB()
  | 'v3-document-send' // DynamoDBDocumentClient.from(...)
  | 'v3-document-methods' // DynamoDBDocument.from(...)
  | 'v3-low-send' // new DynamoDBClient()
  | 'v3-low-methods' // new DynamoDB() from @aws-sdk/client-dynamodb
  | 'v3-sns' // new SNSClient()
  | 'v3-eventbridge' // new EventBridgeClient()
  | 'v3-sqs' // new SQSClient()
  | 'v3-lambda' // new LambdaClient()
  | 'v3-bedrock-runtime' // new BedrockRuntimeClient()
  | 'v3-ssm' // new SSMClient()
  | 'v3-secretsmanager' // new SecretsManagerClient()
  | 'v3-sfn' // new SFNClient()
  | 'v2-ssm' // new AWS.SSM()
  | 'v2-secretsmanager' // new AWS.SecretsManager()
  | 'v2-sfn' // new AWS.StepFunctions()
  | 'v3-sesv2' // new SESv2Client()
  | 'v2-sns'
  | 'v2-eventbridge' // new AWS.EventBridge()
  | 'v2-sqs' // new AWS.SQS()
  | 'v2-lambda'; // new AWS.Lambda()

/** Package-qualified constructor/factory names → client kind. `pkg:name` where name is the dotted export path. */
const CONSTRUCTORS: Record<string, ClientKind> = {
  'aws-sdk:DynamoDB.DocumentClient': 'v2-document',
  'aws-sdk:*.DynamoDB.DocumentClient': 'v2-document',
  'aws-sdk/clients/dynamodb:DocumentClient': 'v2-document',
  'aws-sdk/clients/dynamodb:*.DocumentClient': 'v2-document',
  'aws-sdk/clients/dynamodb:default.DocumentClient': 'v2-document',
  'aws-sdk/lib/dynamodb/document_client:*': 'v2-document',
  'aws-sdk:DynamoDB': 'v2-low',
  'aws-sdk:*.DynamoDB': 'v2-low',
  'aws-sdk/clients/dynamodb:*': 'v2-low',
  'aws-sdk/clients/dynamodb:default': 'v2-low',
  'aws-sdk:SNS': 'v2-sns',
  'aws-sdk:*.SNS': 'v2-sns',
  'aws-sdk:EventBridge': 'v2-eventbridge',
  'aws-sdk:*.EventBridge': 'v2-eventbridge',
  'aws-sdk/clients/eventbridge:*': 'v2-eventbridge',
  'aws-sdk/clients/eventbridge:default': 'v2-eventbridge',
  'aws-sdk:SQS': 'v2-sqs',
  'aws-sdk:*.SQS': 'v2-sqs',
  'aws-sdk/clients/sqs:*': 'v2-sqs',
  'aws-sdk/clients/sqs:default': 'v2-sqs',
  'aws-sdk:Lambda': 'v2-lambda',
  'aws-sdk:*.Lambda': 'v2-lambda',
  'aws-sdk/clients/lambda:*': 'v2-lambda',
  'aws-sdk/clients/lambda:default': 'v2-lambda',
  '@aws-sdk/client-dynamodb:DynamoDBClient': 'v3-low-send',
  '@aws-sdk/client-dynamodb:DynamoDB': 'v3-low-methods',
  '@aws-sdk/client-sns:SNSClient': 'v3-sns',
  '@aws-sdk/client-eventbridge:EventBridgeClient': 'v3-eventbridge',
  '@aws-sdk/client-sqs:SQSClient': 'v3-sqs',
  '@aws-sdk/client-lambda:LambdaClient': 'v3-lambda',
  '@aws-sdk/client-bedrock-runtime:BedrockRuntimeClient': 'v3-bedrock-runtime',
  'aws-sdk:SSM': 'v2-ssm',
  'aws-sdk:*.SSM': 'v2-ssm',
  'aws-sdk/clients/ssm:*': 'v2-ssm',
  'aws-sdk/clients/ssm:default': 'v2-ssm',
  'aws-sdk:SecretsManager': 'v2-secretsmanager',
  'aws-sdk:*.SecretsManager': 'v2-secretsmanager',
  'aws-sdk/clients/secretsmanager:*': 'v2-secretsmanager',
  'aws-sdk/clients/secretsmanager:default': 'v2-secretsmanager',
  'aws-sdk:StepFunctions': 'v2-sfn',
  'aws-sdk:*.StepFunctions': 'v2-sfn',
  'aws-sdk/clients/stepfunctions:*': 'v2-sfn',
  'aws-sdk/clients/stepfunctions:default': 'v2-sfn',
  '@aws-sdk/client-ssm:SSMClient': 'v3-ssm',
  '@aws-sdk/client-secrets-manager:SecretsManagerClient': 'v3-secretsmanager',
  '@aws-sdk/client-sfn:SFNClient': 'v3-sfn',
  '@aws-sdk/client-sesv2:SESv2Client': 'v3-sesv2',
};

const FACTORIES: Record<string, ClientKind> = {
  '@aws-sdk/lib-dynamodb:DynamoDBDocumentClient.from': 'v3-document-send',
  '@aws-sdk/lib-dynamodb:DynamoDBDocument.from': 'v3-document-methods',
};

export function clientFromConstructor(qualified: string): ClientKind | undefined {
  return CONSTRUCTORS[qualified];
}

export function clientFromFactory(qualified: string): ClientKind | undefined {
  return FACTORIES[qualified];
}

export function isDynamoClient(kind: ClientKind): boolean {
  return kind.startsWith('v2-document') || kind === 'v2-low' || kind.startsWith('v3-document') || kind.startsWith('v3-low');
}
