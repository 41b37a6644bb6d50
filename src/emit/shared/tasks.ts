// Task-state facts both emitters write the same way: retry policies, DynamoDB resources, literal marshalling,
// the names of response and residual states.
import { OPTIMIZED_OPS, BEDROCK_RETRY_ERRORS, type DynamoCall, type Json, type ValueExpr } from '../../model/workflow.js';

/** Optimized DynamoDB integrations name their errors `DynamoDB.*`, SDK integrations `DynamoDb.*`. */
export type DynamoErrorPrefix = 'DynamoDB' | 'DynamoDb';

const DYNAMO_RETRY_ERRORS: Record<DynamoErrorPrefix, string[]> = {
  DynamoDB: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.RequestLimitExceededException', 'DynamoDB.InternalServerErrorException'],
  DynamoDb: ['DynamoDb.ProvisionedThroughputExceededException', 'DynamoDb.RequestLimitExceededException', 'DynamoDb.InternalServerErrorException', 'DynamoDb.ThrottlingException'],
};

/** The SDK retries throttling and server errors: the Task does too. */
export function dynamoRetry(prefix: DynamoErrorPrefix): Array<Record<string, unknown>> {
  return [{ ErrorEquals: DYNAMO_RETRY_ERRORS[prefix], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }];
}

/** The standard Lambda retry. */
export function lambdaRetry(): Array<Record<string, unknown>> {
  return [{ ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }];
}

/** The SDK retries throttling and server errors (standard mode: 3 attempts); the Task retries the same errors twice. */
export function bedrockRetry(): Array<Record<string, unknown>> {
  return [{ ErrorEquals: BEDROCK_RETRY_ERRORS, IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, JitterStrategy: 'FULL' }];
}

/** The Retry a publish Task gets for its service, if any. */
export function publishRetry(service: string): Array<Record<string, unknown>> | undefined {
  if (service === 'lambda') return lambdaRetry();
  if (service === 'bedrock') return bedrockRetry();
  return undefined;
}

/** The resource of a DynamoDB call, its error prefix, and whether the code reads what it returns. */
export function dynamoTask(step: DynamoCall): { resource: string; prefix: DynamoErrorPrefix; returnsValues: boolean } {
  const optimized = OPTIMIZED_OPS.has(step.op);
  const resource = optimized ? `arn:aws:states:::dynamodb:${step.op}` : `arn:aws:states:::aws-sdk:dynamodb:${step.op}`;
  const returnValues = step.params['ReturnValues']?.value;
  const returnsValues = step.op === 'getItem' || step.op === 'query' || step.op === 'scan' || step.op.startsWith('batchGet') || step.op.startsWith('transactGet') || (returnValues?.kind === 'literal' && typeof returnValues.value === 'string' && returnValues.value !== 'NONE');
  return { resource, prefix: optimized ? 'DynamoDB' : 'DynamoDb', returnsValues };
}

/** Request members that hold a map of attribute name → AttributeValue. */
export const ATTRIBUTE_MAPS: readonly string[] = ['Item', 'Key', 'ExpressionAttributeValues', 'ExclusiveStartKey'];

/** A JSON constant → AttributeValue, as the SDK's marshall writes it. */
export function marshalLiteral(v: Json): unknown {
  if (v === null) return { NULL: true };
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map(marshalLiteral) };
  return { M: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, marshalLiteral(x)])) };
}

/** A literal TransactItems / RequestItems structure: the attribute maps inside are marshalled, the rest is kept. */
export function marshalNestedLiteral(v: Json): unknown {
  if (Array.isArray(v)) return v.map(marshalNestedLiteral);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (ATTRIBUTE_MAPS.includes(k) && x && typeof x === 'object' && !Array.isArray(x)) out[k] = Object.fromEntries(Object.entries(x).map(([a, y]) => [a, marshalLiteral(y)]));
      else out[k] = marshalNestedLiteral(x);
    }
    return out;
  }
  return v;
}

/** `Respond 200` when the returned object has a constant statusCode, else `Respond`. */
export function responseName(value: ValueExpr): string {
  const status =
    value.kind === 'object' ? value.entries.find(([k]) => k === 'statusCode')?.[1]
      : value.kind === 'literal' && value.value && typeof value.value === 'object' && !Array.isArray(value.value) && 'statusCode' in value.value ? { kind: 'literal' as const, value: value.value['statusCode']! }
        : undefined;
  return status && status.kind === 'literal' ? `Respond ${String(status.value)}` : 'Respond';
}

/** The Comment of the Task that runs a residual computation: its line and the start of its code. */
export function residualComment(v: Extract<ValueExpr, { kind: 'residual' }>): string {
  return `Kept in Lambda (line ${v.line}): ${v.code.replace(/\s+/g, ' ').slice(0, 120)}`;
}

/**
 * A value inside an attribute of an attribute map (below its top level) that may be missing, if there is one: a
 * lib-dynamodb client without removeUndefinedValues throws on it, where a state machine would write the attribute
 * without it. At the top level the client leaves an undefined member out, as the machine does.
 */
export function missingInsideAttribute(map: ValueExpr, missing: (v: ValueExpr) => boolean): string | undefined {
  const inside = (v: ValueExpr): ValueExpr | undefined => {
    switch (v.kind) {
      case 'object': return first(v.entries.map(([, x]) => x));
      case 'array': return first(v.items);
      case 'conditional': return inside(v.then) ?? inside(v.else);
      case 'coalesce': return inside(v.value) ?? inside(v.fallback);
      case 'merge': return v.parts.map(inside).find(Boolean);
      default: return undefined;
    }
  };
  const first = (xs: ValueExpr[]): ValueExpr | undefined => {
    for (const x of xs) {
      if (x.kind === 'undefined' || missing(x)) return x;
      const deeper = inside(x);
      if (deeper) return deeper;
    }
    return undefined;
  };
  if (map.kind !== 'object') return undefined;
  const hit = map.entries.map(([, x]) => inside(x)).find(Boolean);
  if (!hit) return undefined;
  return hit.kind === 'event' ? ['event', ...hit.path].join('.') : hit.kind === 'var' ? [hit.name, ...hit.path].join('.') : hit.kind === 'ddb' ? [hit.field, ...hit.path].join('.') : `a ${hit.kind} value`;
}

export const UNDEFINED_INSIDE_MARSHALL = 'may be missing inside an attribute given to marshall(): it throws on an undefined value, where the state machine would write the attribute without it; check the field first';

export const UNDEFINED_INSIDE_ATTRIBUTE = 'may be missing inside an item attribute: lib-dynamodb throws on an undefined value there (its marshallOptions.removeUndefinedValues is not set), where the state machine would write the attribute without it; set removeUndefinedValues, or check the field first';
