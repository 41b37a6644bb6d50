// Infrastructure for the integrations beyond DynamoDB: SAM gets SQS/EventBridge policy templates and a BASIC
// EventBridge connection (secret as a NoEcho parameter); an API without auth is a conflict (a connection needs an
// AuthorizationType); Serverless says exactly what to add by hand. Expectations written from the SAM policy
// templates (SQSSendMessagePolicy QueueName, EventBridgePutEventsPolicy EventBusName) and the HTTP Task IAM needs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import { parseCfnYaml, toCfnJson } from '../src/infra/cfnYaml.js';
import type { ScanReport } from '../src/report/types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'l2s-integrations-')), 'project');
  dirs.push(join(dir, '..'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function scan(dir: string): Promise<ScanReport> {
  let out = '';
  const code = await run(['node', 'lambda2sfn', 'scan', '.', '--json', '--diff'], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: dir, env: {} });
  expect(code).toBe(0);
  return JSON.parse(out) as ScanReport;
}

/** The template after applying the proposal's diff with git apply. */
function proposedTemplate(report: ScanReport, dir: string): Record<string, unknown> {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fixture');
  writeFileSync(join(dir, '..', `${report.findings[0]!.export}-${process.pid}.diff`), report.findings[0]!.diff!);
  git('apply', join(dir, '..', `${report.findings[0]!.export}-${process.pid}.diff`));
  return toCfnJson(parseCfnYaml(readFileSync(join(dir, 'template.yaml'), 'utf8')).doc.contents) as Record<string, unknown>;
}

const handler = `import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import axios from "axios";

const sqs = new SQSClient({});
const events = new EventBridgeClient({});

export const handler = async (event) => {
  const { data } = await axios.post(\`\${process.env.BILLING_API_URL}/invoices\`, { orderId: event.orderId }, { auth: { username: "shop", password: process.env.BILLING_PASSWORD } });
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: JSON.stringify({ invoiceId: data.id }) }));
  await events.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.SHOP_BUS, Source: "shop", DetailType: "Invoiced", Detail: JSON.stringify({ invoiceId: data.id }) }] }));
  return { invoiceId: data.id };
};
`;

describe('SAM: policies and connections for SQS, EventBridge and the HTTP Task', () => {
  test('policy templates on the named queue and bus, a BASIC connection with a NoEcho password, no conflicts', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'src/invoice.mjs': handler,
      'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  JobsQueue:
    Type: AWS::SQS::Queue
  ShopBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: shop
  InvoiceFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: invoice.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          BILLING_API_URL: https://billing.example.com
          BILLING_PASSWORD: not-a-real-secret
          JOBS_QUEUE_URL: !Ref JobsQueue
          SHOP_BUS: !Ref ShopBus
`,
    });
    const report = await scan(dir);
    const f = report.findings[0]!;
    expect(f.convertible).toBe('full');
    expect(f.proposal!.conflicts).toEqual([]);
    const t = proposedTemplate(report, dir) as { Parameters: Record<string, unknown>; Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(t.Parameters).toEqual({ BillingApiUrlConnectionPassword: { Type: 'String', NoEcho: true, Description: expect.stringContaining('process.env.BILLING_PASSWORD') } });
    // The secret's value in the old template must not travel into the proposal.
    expect(JSON.stringify(t)).not.toContain('not-a-real-secret');
    expect(t.Resources['BillingApiUrlConnection']).toEqual({
      Type: 'AWS::Events::Connection',
      Properties: {
        Description: expect.any(String),
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'shop', Password: { Ref: 'BillingApiUrlConnectionPassword' } } },
      },
    });
    const sm = t.Resources['InvoiceStateMachine']!.Properties;
    expect((sm['DefinitionSubstitutions'] as Record<string, unknown>)['BillingApiUrlConnectionArn']).toEqual({ 'Fn::GetAtt': ['BillingApiUrlConnection', 'Arn'] });
    expect(sm['Policies']).toEqual([
      { SQSSendMessagePolicy: { QueueName: { 'Fn::GetAtt': ['JobsQueue', 'QueueName'] } } },
      { EventBridgePutEventsPolicy: { EventBusName: { Ref: 'ShopBus' } } },
      { Statement: [{ Effect: 'Allow', Action: 'events:RetrieveConnectionCredentials', Resource: { 'Fn::GetAtt': ['BillingApiUrlConnection', 'Arn'] } }] },
      { Statement: [{ Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: { 'Fn::GetAtt': ['BillingApiUrlConnection', 'SecretArn'] } }] },
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'states:InvokeHTTPEndpoint',
            Resource: '*',
            Condition: { StringEquals: { 'states:HTTPMethod': ['POST'] }, StringLike: { 'states:HTTPEndpoint': { 'Fn::Sub': ['${BillingApiUrl}/invoices', { BillingApiUrl: 'https://billing.example.com' }] } } },
          },
        ],
      },
    ]);
  });

  test('an API without auth: no made-up connection, a conflict that says what to choose', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'src/rates.mjs': `export const handler = async () => {
  const res = await fetch(\`\${process.env.RATES_API_URL}/latest\`);
  if (!res.ok) return { ok: false };
  const body = await res.json();
  return { ok: true, eur: body.eur };
};
`,
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  RatesFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: rates.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          RATES_API_URL: https://rates.example.com
`,
    });
    const f = (await scan(dir)).findings[0]!;
    expect(f.proposal!.conflicts).toEqual([expect.stringContaining('takes no auth, but an EventBridge connection needs an AuthorizationType')]);
    expect(f.diff).not.toContain('AWS::Events::Connection');
  });
});

describe('SAM: an endpoint built at run time', () => {
  test('states:HTTPEndpoint is the constant part of the URL followed by *', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'src/stock.mjs': `export const handler = async (event) => {
  const res = await fetch(\`\${process.env.STOCK_API_URL}/stock/\${event.sku}\`, { headers: { "x-api-key": process.env.STOCK_API_KEY } });
  if (!res.ok) return { known: false };
  const body = await res.json();
  return { known: true, available: body.available };
};
`,
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  StockFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: stock.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          STOCK_API_URL: https://stock.example.com/v1
          STOCK_API_KEY: '{{resolve:secretsmanager:stock-key}}'
`,
    });
    const report = await scan(dir);
    expect(report.findings[0]!.proposal!.conflicts).toEqual([]);
    const t = proposedTemplate(report, dir) as { Parameters: Record<string, { Description: string }>; Resources: Record<string, { Properties: Record<string, unknown> }> };
    const policies = t.Resources['StockStateMachine']!.Properties['Policies'] as Array<{ Statement?: Array<{ Action: unknown; Condition?: unknown }> }>;
    const invoke = policies.flatMap((p) => p.Statement ?? []).find((s) => s.Action === 'states:InvokeHTTPEndpoint');
    expect(invoke!.Condition).toEqual({
      StringEquals: { 'states:HTTPMethod': ['GET'] },
      StringLike: { 'states:HTTPEndpoint': { 'Fn::Sub': ['${StockApiUrl}/stock/*', { StockApiUrl: 'https://stock.example.com/v1' }] } },
    });
    expect(t.Resources['StockApiUrlConnection']!.Properties['AuthParameters']).toEqual({ ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: { Ref: 'StockApiUrlConnectionApiKey' } } });
    expect(t.Parameters['StockApiUrlConnectionApiKey']!.Description).toContain('from the dynamic reference resolve:secretsmanager:stock-key');
  });
});

describe('Serverless: messaging permissions written; what it cannot write is a conflict that says what to add', () => {
  test('SNS publish and a bearer-token HTTP call', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'src/notify.mjs': `import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
const sns = new SNSClient({});
export const handler = async (event) => {
  const res = await fetch(\`\${process.env.CRM_API_URL}/contacts\`, { method: "POST", headers: { authorization: \`Bearer \${process.env.CRM_TOKEN}\` }, body: JSON.stringify({ email: event.email }) });
  if (!res.ok) return { ok: false };
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: "contact added" }));
  return { ok: true };
};
`,
      'serverless.yml': `service: crm
provider:
  name: aws
  runtime: nodejs20.x
functions:
  notify:
    handler: src/notify.handler
    environment:
      CRM_API_URL: https://crm.example.com
      CRM_TOKEN: token
      TOPIC_ARN: arn:aws:sns:eu-west-1:123456789012:contacts
`,
    });
    const f = (await scan(dir)).findings[0]!;
    expect(f.proposal!.iac).toBe('serverless');
    expect(f.proposal!.conflicts).toEqual(
      expect.arrayContaining([
        '${CrmApiUrlConnectionArn}: create an EventBridge connection for `${process.env.CRM_API_URL}/contacts` (AuthorizationType API_KEY, ApiKeyName authorization, ApiKeyValue Bearer <the secret of process.env.CRM_TOKEN>) and pass its ARN by hand',
        expect.stringMatching(/^arn:aws:states:::http:invoke needs states:InvokeHTTPEndpoint/),
      ]),
    );
    // The topic is named (a literal ARN): sns:Publish is written, not left to the user.
    expect(f.proposal!.conflicts.join('\n')).not.toContain('sns:Publish');
  });

  test('SNS, SQS and EventBridge Tasks get iamRoleStatements on the ARNs they address', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'src/announce.mjs': `import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
const sns = new SNSClient({});
const sqs = new SQSClient({});
const events = new EventBridgeClient({});
export const handler = async (event) => {
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: "saved" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: "saved" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.AUDIT_QUEUE_URL, MessageBody: "saved" }));
  await events.send(new PutEventsCommand({ Entries: [{ Source: "shop", DetailType: "Saved", Detail: JSON.stringify({ id: event.id }) }] }));
  return { ok: true };
};
`,
      'serverless.yml': `service: shop
provider:
  name: aws
  runtime: nodejs20.x
functions:
  announce:
    handler: src/announce.handler
    environment:
      TOPIC_ARN: { Ref: SavedTopic }
      QUEUE_URL: { Ref: JobsQueue }
      AUDIT_QUEUE_URL: https://sqs.eu-west-1.amazonaws.com/123456789012/audit.fifo
resources:
  Resources:
    SavedTopic:
      Type: AWS::SNS::Topic
    JobsQueue:
      Type: AWS::SQS::Queue
`,
    });
    const report = await scan(dir);
    const f = report.findings[0]!;
    expect(f.proposal!.iac).toBe('serverless');
    expect(f.proposal!.conflicts).toEqual([]);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'fixture');
    writeFileSync(join(dir, '..', 'announce.diff'), f.diff!);
    git('apply', join(dir, '..', 'announce.diff'));
    const yml = toCfnJson(parseCfnYaml(readFileSync(join(dir, 'serverless.yml'), 'utf8')).doc.contents) as { stepFunctions: { stateMachines: Record<string, { iamRoleStatements: unknown[] }> } };
    // Worked out by hand: Ref of a topic is its ARN; a queue's ARN is GetAtt Arn (Ref is its URL); a literal URL
    // https://sqs.<region>.amazonaws.com/<account>/<name> is arn:aws:sqs:<region>:<account>:<name>; no EventBusName is the default bus.
    expect(yml.stepFunctions.stateMachines['AnnounceStateMachine']!.iamRoleStatements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: ['sns:Publish'], Resource: [{ Ref: 'SavedTopic' }] },
        { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': ['JobsQueue', 'Arn'] }, 'arn:aws:sqs:eu-west-1:123456789012:audit.fifo'] },
        { Effect: 'Allow', Action: ['events:PutEvents'], Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']] }] },
      ]),
    );
  });
});

describe('CDK: the construct grants for SNS and SQS, a conflict for the HTTP Task', () => {
  test('topic.grantPublish and queue.grantSendMessages on the new state machine', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'cdk.json': '{ "app": "npx ts-node bin/app.ts" }',
      'src/handlers/announce.ts': `import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sns = new SNSClient({});
const sqs = new SQSClient({});
export const handler = async (event: { id: string }) => {
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: 'saved' }));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'saved' }));
  return { id: event.id };
};
`,
      'lib/stack.ts': `import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export class AnnounceStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const topic = new sns.Topic(this, 'Topic');
    const queue = new sqs.Queue(this, 'Queue');
    const announceFn = new NodejsFunction(this, 'AnnounceFunction', {
      entry: path.join(__dirname, '../src/handlers/announce.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_20_X,
      environment: { TOPIC_ARN: topic.topicArn, QUEUE_URL: queue.queueUrl },
    });
  }
}
`,
    });
    const f = (await scan(dir)).findings[0]!;
    expect(f.proposal!.iac).toBe('cdk');
    expect(f.proposal!.conflicts).toEqual([]);
    const added = f.diff!.split('\n').filter((l) => l.startsWith('+')).map((l) => l.slice(1).trim());
    expect(added).toEqual(expect.arrayContaining(['topic.grantPublish(announceStateMachine);', 'queue.grantSendMessages(announceStateMachine);']));
  });
});

describe('CDK: an events.Connection per HTTP endpoint, secrets from NoEcho parameters', () => {
  test('a bearer token becomes an API key connection and the HTTP Task permissions', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'cdk.json': '{ "app": "npx ts-node bin/app.ts" }',
      'src/handlers/contact.ts': `export const handler = async (event: { email: string }) => {
  const res = await fetch(\`\${process.env.CRM_API_URL}/contacts\`, { method: 'POST', headers: { authorization: \`Bearer \${process.env.CRM_TOKEN}\` }, body: JSON.stringify({ email: event.email }) });
  if (!res.ok) return { ok: false };
  return { ok: true };
};
`,
      'lib/stack.ts': `import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';

export class CrmStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const contactFn = new NodejsFunction(this, 'ContactFunction', {
      entry: path.join(__dirname, '../src/handlers/contact.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_20_X,
      environment: { CRM_API_URL: 'https://crm.example.com', CRM_TOKEN: 'do-not-copy' },
    });
  }
}
`,
    });
    const f = (await scan(dir)).findings[0]!;
    expect(f.proposal!.conflicts).toEqual([]);
    const added = f.diff!.split('\n').filter((l) => l.startsWith('+')).map((l) => l.slice(1).trim());
    expect(added.join('\n')).not.toContain('do-not-copy');
    // Compared without layout (prettier breaks long lines and adds trailing commas).
    const norm = (x: string) => x.replace(/\s+/g, '').replace(/,([)\]}])/g, '$1');
    // The new stack file: the added and context lines of its (single, whole-file) hunk.
    const stackDiff = f.diff!.slice(f.diff!.indexOf('diff --git a/lib/stack.ts'), f.diff!.indexOf('diff --git a/src/'));
    const text = norm(stackDiff.split('\n').slice(4).filter((l) => l.startsWith('+') || l.startsWith(' ')).map((l) => l.slice(1)).join('\n'));
    for (const expected of [
      "import * as cdk from 'aws-cdk-lib';",
      "import * as events from 'aws-cdk-lib/aws-events';",
      "import * as iam from 'aws-cdk-lib/aws-iam';",
      "const crmApiUrlConnectionSecret = new cdk.CfnParameter(this, 'CrmApiUrlConnectionApiKey', { type: 'String', noEcho: true, description: 'The part after \"Bearer \" of the authorization header (process.env.CRM_TOKEN in the handler)' });",
      "const crmApiUrlConnection = new events.Connection(this, 'CrmApiUrlConnection', { authorization: events.Authorization.apiKey('authorization', new cdk.SecretValue(cdk.Fn.join('', ['Bearer ', crmApiUrlConnectionSecret.valueAsString]))) });",
      "definitionSubstitutions: { CrmApiUrl: 'https://crm.example.com', CrmApiUrlConnectionArn: crmApiUrlConnection.connectionArn }",
      "contactStateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['events:RetrieveConnectionCredentials'], resources: [crmApiUrlConnection.connectionArn] }));",
      "contactStateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resources: [crmApiUrlConnection.connectionSecretArn] }));",
      "contactStateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:InvokeHTTPEndpoint'], resources: ['*'], conditions: { StringEquals: { 'states:HTTPMethod': ['POST'] }, StringLike: { 'states:HTTPEndpoint': [`${'https://crm.example.com'}/contacts`] } } }));",
    ]) expect(text).toContain(norm(expected));
    // The connection exists before the state machine that names it.
    expect(text.indexOf(norm('const crmApiUrlConnection ='))).toBeLessThan(text.indexOf(norm('new sfn.StateMachine(')));
  });
});

describe('CDK: Bedrock and AWS SDK integration Tasks get PolicyStatements on the state machine', () => {
  test('a literal model id → its foundation-model ARN; a parameter name from a construct → a wildcard with the conflict saying why', async () => {
    const dir = project({
      'package.json': '{"type":"module"}',
      'cdk.json': '{ "app": "npx ts-node bin/app.ts" }',
      'src/handlers/summarise.ts': `import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { SSMClient, GetParameterCommand } from '@aws-sdk/client-ssm';
const bedrock = new BedrockRuntimeClient({});
const ssm = new SSMClient({});
export const handler = async (event: { text: string }) => {
  const style = await ssm.send(new GetParameterCommand({ Name: process.env.STYLE_PARAM }));
  const res = await bedrock.send(new InvokeModelCommand({ modelId: process.env.MODEL_ID, contentType: 'application/json', accept: 'application/json', body: JSON.stringify({ inputText: event.text, style: style.Parameter!.Value }) }));
  const answer = JSON.parse(new TextDecoder().decode(res.body));
  return { summary: answer.results };
};
`,
      'lib/stack.ts': `import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

export class SummaryStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const style = new ssm.StringParameter(this, 'Style', { stringValue: 'short' });
    const summariseFn = new NodejsFunction(this, 'SummariseFunction', {
      entry: path.join(__dirname, '../src/handlers/summarise.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_20_X,
      environment: { MODEL_ID: 'amazon.titan-text-express-v1', STYLE_PARAM: style.parameterName },
    });
  }
}
`,
    });
    const f = (await scan(dir)).findings[0]!;
    expect(f.convertible).toBe('full');
    expect(f.proposal!.iac).toBe('cdk');
    // The parameter's name is CDK code (style.parameterName): it may be a name or an ARN, so ssm:GetParameter is on *.
    expect(f.proposal!.conflicts).toEqual([expect.stringMatching(/^GetParameter \(ssm\): ssm:GetParameter is granted on \* because .*: scope it by hand$/)]);
    const added = f.diff!.split('\n').filter((l) => l.startsWith('+')).map((l) => l.slice(1).trim());
    expect(added).toEqual(
      expect.arrayContaining([
        "import * as iam from 'aws-cdk-lib/aws-iam';",
        "import * as cdk from 'aws-cdk-lib';",
        // (prettier folds the long statement over several lines)
        "summariseStateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['*'] }));",
        'summariseStateMachine.addToRolePolicy(',
        'new iam.PolicyStatement({',
        "actions: ['bedrock:InvokeModel'],",
        'resources: [`arn:${cdk.Aws.PARTITION}:bedrock:${cdk.Aws.REGION}::foundation-model/amazon.titan-text-express-v1`],',
      ]),
    );
    expect(added.join('\n')).not.toContain('no grant is known');
  });
});
