// The check every rewritten SAM template passes before it is proposed.
import { describe, expect, test } from '@jest/globals';
import { validateSamTemplate } from '../src/propose/validateTemplate.js';

const SM = (props: string) => `Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n${props}`;

describe('validateSamTemplate', () => {
  test('a complete state machine referring to existing resources passes', () => {
    expect(validateSamTemplate(SM('      Type: EXPRESS\n      DefinitionUri: sm.asl.json\n      DefinitionSubstitutions:\n        T: !Ref T\n        R: !Sub "${AWS::Region}-${T}"\n'))).toEqual([]);
  });

  test('a Ref, GetAtt or ${Name} to nothing is reported; Sub variables and ${!literal} are not references', () => {
    const problems = validateSamTemplate(SM('      Type: EXPRESS\n      DefinitionUri: x\n      DefinitionSubstitutions:\n        A: !Ref Nope\n        B: !GetAtt Gone.Arn\n        C: !Sub "${Missing}"\n        D: !Sub ["${V}", { V: x }]\n        E: !Sub "${!Literal}"\n'));
    expect(problems.sort()).toEqual(['Gone is referenced but not defined', 'Missing is referenced but not defined', 'Nope is referenced but not defined']);
  });

  test('SAM requirements: Type EXPRESS|STANDARD and a definition', () => {
    expect(validateSamTemplate(SM('      Type: FAST\n')).sort()).toEqual([
      'M.Properties.Type: must be equal to one of the allowed values',
      "M.Properties: must have required property 'Definition'",
      "M.Properties: must have required property 'DefinitionUri'",
      'M.Properties: must match exactly one schema in oneOf',
    ]);
  });

  test('structure and syntax', () => {
    expect(validateSamTemplate('Resources:\n  X:\n    Type: Nope\n')).toEqual(['template.Resources.X.Type: must match pattern "^(AWS|Custom|Alexa)::"']);
    expect(validateSamTemplate('Resources: [')[0]).toMatch(/^the template does not parse: /);
  });
});
