// SAM policies of Bedrock and AWS SDK integration Tasks: the IAM action on the resource each Task addresses,
// worked out by hand from the IAM ARN formats (foundation-model, parameter, secret, stateMachine).
import { describe, expect, test } from '@jest/globals';
import type { AslDefinition } from '../src/report/types.js';
import { samPolicies } from '../src/propose/samPolicies.js';
import { sdkIntegrationStatements, withoutSub } from '../src/propose/sdkPolicies.js';

const task = (resource: string, params: Record<string, unknown>) => ({ Type: 'Task', Resource: resource, Parameters: params, End: true });

function policiesOf(states: Record<string, unknown>, substitutions: Record<string, unknown>): { policies: unknown[]; conflicts: string[] } {
  const conflicts: string[] = [];
  const policies = samPolicies({ StartAt: Object.keys(states)[0]!, States: states } as unknown as AslDefinition, substitutions, 'Fn', conflicts);
  return { policies, conflicts };
}

describe('SAM policies for Bedrock and AWS SDK integration Tasks', () => {
  test('a foundation model from a literal substitution, a parameter and a secret by literal name, a state machine by Ref', () => {
    const { policies, conflicts } = policiesOf(
      {
        A: task('arn:aws:states:::bedrock:invokeModel', { ModelId: '${ModelId}', Body: {} }),
        B: task('arn:aws:states:::aws-sdk:ssm:getParameter', { Name: '${FlagParam}' }),
        C: task('arn:aws:states:::aws-sdk:secretsmanager:getSecretValue', { SecretId: 'partner/acme' }),
        D: task('arn:aws:states:::aws-sdk:sfn:startExecution', { StateMachineArn: '${ExportMachineArn}', 'Input.$': '$.x' }),
      },
      { ModelId: 'amazon.titan-text-express-v1', FlagParam: '/exports/enabled', ExportMachineArn: { Ref: 'ExportMachine' } },
    );
    expect(conflicts).toEqual([]);
    expect(policies).toEqual([
      {
        Statement: [
          { Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/amazon.titan-text-express-v1' }] },
          // The parameter ARN drops the name's leading slash.
          { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/exports/enabled' }] },
          // A secret's ARN ends with -<6 random characters>.
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:partner/acme-??????' }] },
          { Effect: 'Allow', Action: ['states:StartExecution'], Resource: [{ Ref: 'ExportMachine' }] },
        ],
      },
    ]);
  });

  test('a model id from a template parameter goes into the foundation-model ARN through Fn::Sub', () => {
    const { policies, conflicts } = policiesOf({ A: task('arn:aws:states:::bedrock:invokeModel', { ModelId: '${ModelId}', Body: {} }) }, { ModelId: { Ref: 'ModelIdParam' } });
    expect(conflicts).toEqual([]);
    expect(policies).toEqual([
      { Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: [{ 'Fn::Sub': ['arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/${ModelId}', { ModelId: { Ref: 'ModelIdParam' } }] }] }] },
    ]);
  });

  test('an inference profile, or a secret id from Ref, is granted on * with a conflict (which also covers the other model)', () => {
    const { policies, conflicts } = policiesOf(
      {
        A: task('arn:aws:states:::bedrock:invokeModel', { ModelId: '${ModelId}', Body: {} }),
        B: task('arn:aws:states:::bedrock:invokeModel', { ModelId: 'us.anthropic.claude-3-haiku-20240307-v1:0', Body: {} }),
        C: task('arn:aws:states:::aws-sdk:secretsmanager:getSecretValue', { SecretId: '${PartnerSecretId}' }),
      },
      { ModelId: { Ref: 'ModelIdParam' }, PartnerSecretId: { Ref: 'PartnerSecret' } },
    );
    expect(policies).toEqual([
      {
        Statement: [
          { Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: '*' },
          { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: '*' },
        ],
      },
    ]);
    expect(conflicts).toEqual([
      'Bedrock InvokeModel: bedrock:InvokeModel is granted on * because us.anthropic.claude-3-haiku-20240307-v1:0 is an inference profile (its ARN and the models it routes to, in several Regions): scope it by hand',
      'GetSecretValue (secretsmanager): secretsmanager:GetSecretValue is granted on * because its SecretId comes from {"Ref":"PartnerSecret"}, which may be a name or an ARN: scope it by hand',
    ]);
  });

  test('SES v2 SendEmail: the sending identity cannot be named from the address, so * with a conflict', () => {
    const { policies, conflicts } = policiesOf({ A: task('arn:aws:states:::aws-sdk:sesv2:sendEmail', { FromEmailAddress: 'hello@shop.example', Content: {} }) }, {});
    expect(policies).toEqual([{ Statement: [{ Effect: 'Allow', Action: ['ses:SendEmail'], Resource: '*' }] }]);
    expect(conflicts).toEqual(['SendEmail (sesv2): ses:SendEmail is granted on * because the sending identity may be the address or its domain (and a configuration set may need a grant too): scope it by hand']);
  });

  test('no "no policy is known" conflict for these resources; other unknown resources still get it', () => {
    const { conflicts } = policiesOf(
      {
        A: task('arn:aws:states:::aws-sdk:ssm:getParameter', { Name: 'flag' }),
        B: task('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' }),
      },
      {},
    );
    expect(conflicts).toEqual(['no policy is known for arn:aws:states:::aws-sdk:s3:getObject: add its permissions by hand']);
  });
});

describe('Serverless statements (no Fn::Sub)', () => {
  test('Fn::Sub becomes Fn::Join of the text, pseudo-parameter Refs and the mapped values', () => {
    expect(withoutSub({ Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/flag' }] })).toEqual({
      Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/flag']] }],
    });
    expect(withoutSub({ 'Fn::Sub': ['arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/${ModelId}', { ModelId: '${self:custom.modelId}' }] })).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/', '${self:custom.modelId}']],
    });
  });

  test('a Serverless variable as the model id stays whole inside the ARN', () => {
    const conflicts: string[] = [];
    const { statements } = sdkIntegrationStatements({ StartAt: 'A', States: { A: task('arn:aws:states:::bedrock:invokeModel', { ModelId: '${ModelId}', Body: {} }) } } as unknown as AslDefinition, { ModelId: '${self:custom.modelId}' }, conflicts);
    expect(conflicts).toEqual([]);
    expect(withoutSub(statements)).toEqual([
      { Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/', '${self:custom.modelId}']] }] },
    ]);
  });
});
