// SAM policies of a state machine, least privilege from its Task states: the DynamoDB read or write policy template
// when the actions fit one, else the exact actions on the table (and its indexes); LambdaInvokePolicy for Lambda tasks;
// statements for Bedrock and AWS SDK integration tasks (sdkPolicies.ts).
import type { AslDefinition } from '../report/types.js';
import { sdkIntegrationStatements } from './sdkPolicies.js';
import { placeholderName, SAM_DYNAMODB_READ, SAM_DYNAMODB_WRITE, subsetOf, taskAccess } from './policies.js';

type Json = Record<string, unknown>;

const isGetAtt = (v: unknown) => Boolean(v && typeof v === 'object' && 'Fn::GetAtt' in (v as Json));

/** `substitutions`: placeholder → its CloudFormation value; `functionId`: the function a Lambda task invokes (kept or residual). */
/** `handled`: Task resources another module grants (samIntegrations), not to be reported as unknown. */
export function samPolicies(definition: AslDefinition, substitutions: Json, functionId: string, conflicts: string[], handled: ReadonlySet<string> = new Set()): unknown[] {
  const policies: unknown[] = [];
  const access = taskAccess(definition);
  const sdk = sdkIntegrationStatements(definition, substitutions, conflicts);
  if (sdk.statements.length) policies.push({ Statement: sdk.statements });
  for (const resource of access.unknown) if (!handled.has(resource) && !sdk.handled.has(resource)) conflicts.push(`no policy is known for ${resource}: add its permissions by hand`);
  for (const a of access.byTarget.values()) {
    const target = [...a.targets][0]!;
    const key = placeholderName(target);
    const value = key ? substitutions[key] : target === '*' ? undefined : target;
    if (a.service === 'lambda') {
      if (value === undefined) conflicts.push('a Lambda task names no function this proposal can grant: add lambda:InvokeFunction by hand');
      else policies.push({ LambdaInvokePolicy: { FunctionName: isGetAtt(value) ? { Ref: functionId } : value } });
      continue;
    }
    if (value === undefined) {
      conflicts.push(`DynamoDB ${[...a.actions].join(', ')} on a table this proposal cannot name: add the permissions by hand`);
      continue;
    }
    if (subsetOf(a.actions, SAM_DYNAMODB_READ)) policies.push({ DynamoDBReadPolicy: { TableName: value } });
    else if (subsetOf(a.actions, SAM_DYNAMODB_WRITE)) policies.push({ DynamoDBWritePolicy: { TableName: value } });
    else {
      policies.push({
        Statement: [
          {
            Effect: 'Allow',
            Action: [...a.actions].sort().map((x) => `dynamodb:${x}`),
            Resource: [
              { 'Fn::Sub': ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}', { TableName: value }] },
              { 'Fn::Sub': ['arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*', { TableName: value }] },
            ],
          },
        ],
      });
    }
  }
  return policies;
}
