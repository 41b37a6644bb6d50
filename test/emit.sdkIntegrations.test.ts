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
    // JSONata machines keep the handler's event in the $event variable.
    expect(task[queryLanguage === 'jsonpath' ? 'Parameters' : 'Arguments']).toEqual(queryLanguage === 'jsonpath' ? { 'Name.$': '$.event.name' } : { Name: '{% $event.name %}' });
  });
});
