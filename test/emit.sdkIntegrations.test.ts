// Catch names of AWS SDK integration Tasks: <ExceptionPrefix>.<error>, with `Exception` added where the SDK's error
// name has none (supported-services-awssdk: S3.BucketAlreadyExistsException for BucketAlreadyExists). SSM's
// GetParameter fails with ParameterNotFound in the SDK, so the Task's catcher must be Ssm.ParameterNotFoundException.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { scanProject } from '../src/scan/scanProject.js';
import { catchersFor } from '../src/emit/shared/catchers.js';

const dir = mkdtempSync(join(tmpdir(), 'l2s-sdk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'flag.ts'),
  [
    'import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";',
    'const ssm = new SSMClient({});',
    'export const handler = async (event: { name: string }) => {',
    '  try {',
    '    const res = await ssm.send(new GetParameterCommand({ Name: event.name }));',
    '    return { value: res.Parameter!.Value };',
    '  } catch (err: any) {',
    '    if (err.name === "ParameterNotFound") return { value: null };',
    '    throw err;',
    '  }',
    '};',
  ].join('\n'),
);

describe('catchers of aws-sdk Tasks', () => {
  test('catchersFor adds the Exception suffix only for AWS SDK integrations, and only where it is missing', () => {
    const stack = [[{ errors: ['ParameterNotFound', 'InternalServerError', 'ThrottlingException'], next: 'X' }]];
    expect(catchersFor(stack, { prefix: 'Ssm', exceptionSuffix: true })).toEqual([{ ErrorEquals: ['Ssm.ParameterNotFoundException', 'Ssm.InternalServerErrorException', 'Ssm.ThrottlingException'], Next: 'X' }]);
    expect(catchersFor(stack, 'Bedrock')).toEqual([{ ErrorEquals: ['Bedrock.ParameterNotFound', 'Bedrock.InternalServerError', 'Bedrock.ThrottlingException'], Next: 'X' }]);
  });

  test.each(['jsonpath', 'jsonata'] as const)('%s: the SDK error name in the catch becomes Ssm.ParameterNotFoundException', async (queryLanguage) => {
    const report = await scanProject([dir], { cwd: dir, queryLanguage });
    const f = report.findings[0]!;
    expect(f.convertible).toBe('full');
    const task = Object.values(f.stateMachine!.definition.States).find((s) => s['Resource'] === 'arn:aws:states:::aws-sdk:ssm:getParameter')!;
    expect((task['Catch'] as Array<{ ErrorEquals: string[] }>).map((c) => c.ErrorEquals)).toEqual([['Ssm.ParameterNotFoundException']]);
    // JSONata machines keep the handler's event in the $event variable. In JSONPath the arguments are built first,
    // Name only when event.name is neither null nor missing (the SDK leaves a null member out), and taken whole.
    if (queryLanguage === 'jsonata') expect(task['Arguments']).toEqual({ Name: '{% $event.name %}' });
    else {
      const states = f.stateMachine!.definition.States;
      expect(task['Parameters']).toBeUndefined();
      expect(Object.values(states)).toContainEqual({ Type: 'Pass', Parameters: {}, ResultPath: task['InputPath'], Next: 'Has Name?' });
      expect(states['Has Name?']).toEqual({ Type: 'Choice', Choices: [{ And: [{ Variable: '$.event.name', IsPresent: true }, { Not: { Variable: '$.event.name', IsNull: true } }], Next: 'Set Name' }], Default: 'Get parameter' });
      expect(states['Set Name']).toEqual({ Type: 'Pass', InputPath: '$.event.name', ResultPath: `${String(task['InputPath'])}.Name`, Next: 'Get parameter' });
    }
  });
});
