// The stub server's Bedrock Runtime (REST over h2c: the client speaks only HTTP/2) and the allow-listed JSON-protocol
// commands (SSM, Secrets Manager, Step Functions): real SDK v3 clients against a real server on 127.0.0.1, the calls
// recorded in the command-input shape, canned answers and errors from stubs.json; the in-process calls of the machine
// side record the same shape.
import { afterEach, describe, expect, test } from '@jest/globals';
import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { startStubServer, type StubsFile, type StubServer } from '../src/verify/stubServer.js';
import { bindTasks } from '../src/verify/runStateMachine.js';
import type { AslState } from '../src/report/types.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const region = 'us-east-1';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
async function stub(file: StubsFile): Promise<StubServer> {
  const s = await startStubServer(file);
  cleanup.push(() => s.close());
  return s;
}
function v3<T extends { destroy(): void }>(c: T): T {
  cleanup.push(() => c.destroy());
  return c;
}

describe('Bedrock Runtime', () => {
  test('InvokeModel over HTTP/2: the canned body comes back as bytes; modelId (with its colon) and the JSON body are recorded', async () => {
    const s = await stub({ bedrock: [{ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', responses: [{ body: { content: [{ type: 'text', text: 'Hi' }] } }] }] });
    const bedrock = v3(new BedrockRuntimeClient({ endpoint: s.http2Url, region, credentials }));
    const request = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'Hello' }] };
    const res = await bedrock.send(new InvokeModelCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', contentType: 'application/json', body: JSON.stringify(request) }));
    expect(JSON.parse(new TextDecoder().decode(res.body))).toEqual({ content: [{ type: 'text', text: 'Hi' }] });
    expect(s.calls).toEqual([{ service: 'bedrock', action: 'InvokeModel', input: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', body: request } }]);
  });

  test('a canned error reaches the SDK as that exception; a model without stubs answers ResourceNotFoundException', async () => {
    const s = await stub({ bedrock: [{ modelId: 'm', responses: [{ error: { name: 'ValidationException', message: 'bad input' } }] }] });
    const bedrock = v3(new BedrockRuntimeClient({ endpoint: s.http2Url, region, credentials }));
    await expect(bedrock.send(new InvokeModelCommand({ modelId: 'm', body: '{}' }))).rejects.toMatchObject({ name: 'ValidationException', message: 'bad input' });
    await expect(bedrock.send(new InvokeModelCommand({ modelId: 'other', body: '{}' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('JSON-protocol commands of the AWS SDK integrations', () => {
  test('SSM GetParameter, Secrets Manager GetSecretValue and SFN StartExecution: canned results, inputs recorded as sent', async () => {
    const s = await stub({
      aws: [
        { service: 'ssm', action: 'GetParameter', responses: [{ result: { Parameter: { Name: '/flag', Type: 'String', Value: 'on', Version: 2 } } }] },
        { service: 'secretsmanager', action: 'GetSecretValue', responses: [{ result: { Name: 'partner', SecretString: '{"k":1}' } }, { error: { name: 'ResourceNotFoundException', message: 'gone' } }] },
      ],
    });
    const ssm = v3(new SSMClient({ endpoint: s.url, region, credentials }));
    const secrets = v3(new SecretsManagerClient({ endpoint: s.url, region, credentials }));
    const sfn = v3(new SFNClient({ endpoint: s.url, region, credentials }));
    expect((await ssm.send(new GetParameterCommand({ Name: '/flag', WithDecryption: true }))).Parameter?.Value).toBe('on');
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'partner' }))).SecretString).toBe('{"k":1}');
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'partner' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // No canned answer: {} (StartExecution's output members are then simply absent).
    await sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x', input: '{"a":1}' }));
    expect(s.calls).toEqual([
      { service: 'ssm', action: 'GetParameter', input: { Name: '/flag', WithDecryption: true } },
      { service: 'secretsmanager', action: 'GetSecretValue', input: { SecretId: 'partner' } },
      { service: 'secretsmanager', action: 'GetSecretValue', input: { SecretId: 'partner' } },
      { service: 'sfn', action: 'StartExecution', input: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x', input: '{"a":1}' } },
    ]);
  });
});

describe('REST-JSON commands of the AWS SDK integrations', () => {
  test('SESv2 SendEmail: POST /v2/email/outbound-emails answered with the canned MessageId, the body recorded as the input; a canned error', async () => {
    const s = await stub({ aws: [{ service: 'sesv2', action: 'SendEmail', responses: [{ result: { MessageId: 'm-1' } }, { error: { name: 'MessageRejected', message: 'Email address is not verified.' } }] }] });
    const ses = v3(new SESv2Client({ endpoint: s.url, region, credentials }));
    const input = { FromEmailAddress: 'a@x.example', Destination: { ToAddresses: ['b@y.example'] }, Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } } };
    expect((await ses.send(new SendEmailCommand(input))).MessageId).toBe('m-1');
    await expect(ses.send(new SendEmailCommand(input))).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(s.calls).toEqual([
      { service: 'sesv2', action: 'SendEmail', input },
      { service: 'sesv2', action: 'SendEmail', input },
    ]);
  });
});

describe('machine side: the Tasks bound in process record the same shape', () => {
  const states = (resource: string): Record<string, AslState> => ({ T: { Type: 'Task', Resource: resource, End: true } as AslState });

  test('bedrock:invokeModel: {modelId, body} recorded, the answer under Body; a canned error is Bedrock.<name>', async () => {
    const s = await stub({ bedrock: [{ modelId: 'm', responses: [{ body: { results: [{ outputText: 'ok' }] } }, { error: { name: 'ValidationException' } }] }] });
    const handlers = bindTasks(states('arn:aws:states:::bedrock:invokeModel'), { client: undefined as never, sideEffects: [], invokeModel: s.invokeModel, callAws: s.callAws });
    await expect(handlers['T']!({ ModelId: 'm', Body: { inputText: 'x' }, ContentType: 'application/json' })).resolves.toEqual({ Body: { results: [{ outputText: 'ok' }] }, ContentType: 'application/json' });
    await expect(handlers['T']!({ ModelId: 'm', Body: { inputText: 'y' } })).rejects.toMatchObject({ name: 'Bedrock.ValidationException' });
    expect(s.calls).toEqual([
      { service: 'bedrock', action: 'InvokeModel', input: { modelId: 'm', body: { inputText: 'x' } } },
      { service: 'bedrock', action: 'InvokeModel', input: { modelId: 'm', body: { inputText: 'y' } } },
    ]);
  });

  test('aws-sdk:sfn:startExecution: PascalCase parameters recorded under the SDK names; errors get the prefix and the Exception suffix', async () => {
    const s = await stub({ aws: [{ service: 'ssm', action: 'GetParameter', responses: [{ error: { name: 'ParameterNotFound' } }] }] });
    const ctx = { client: undefined as never, sideEffects: [], invokeModel: s.invokeModel, callAws: s.callAws };
    const start = bindTasks(states('arn:aws:states:::aws-sdk:sfn:startExecution'), ctx)['T']!;
    await start({ StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x', Input: '{"a":1}' });
    const get = bindTasks(states('arn:aws:states:::aws-sdk:ssm:getParameter'), ctx)['T']!;
    // supported-services-awssdk: an error name without the suffix gets it (S3.BucketAlreadyExistsException).
    await expect(get({ Name: '/missing' })).rejects.toMatchObject({ name: 'Ssm.ParameterNotFoundException' });
    expect(s.calls).toEqual([
      { service: 'sfn', action: 'StartExecution', input: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x', input: '{"a":1}' } },
      { service: 'ssm', action: 'GetParameter', input: { Name: '/missing' } },
    ]);
  });

  test('an aws-sdk resource that is not on the allow-list stays unbound', () => {
    expect(() => bindTasks(states('arn:aws:states:::aws-sdk:s3:getObject'), { client: undefined as never, sideEffects: [], callAws: () => ({ ok: true, value: {} }) })).toThrow(/no local implementation/);
  });
});
