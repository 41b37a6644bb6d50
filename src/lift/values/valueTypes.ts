// The JSON type of a value from its syntax (arithmetic → number) or from where it comes (API Gateway event fields).
import type * as t from '@babel/types';
import type { ValueType } from '../../model/workflow.js';
import { ownEntry } from '../../model/valueType.js';
import { unwrapTs } from '../syntax.js';
import { BOOLEAN_METHODS, NUMBER_METHODS, STRING_METHODS } from './fold.js';

/** The JSON type of a computed expression when its form says it (arithmetic → number, .trim() → string, …). */
export function residualType(node: t.Node): ValueType {
  const n = unwrapTs(node);
  if (n.type === 'BinaryExpression') {
    if (['-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>'].includes(n.operator)) return { kind: 'number' };
    if (['<', '<=', '>', '>=', '===', '!==', '==', '!=', 'in', 'instanceof'].includes(n.operator)) return { kind: 'boolean' };
    const l = residualType(n.left).kind;
    const r = residualType(n.right).kind;
    if (l === 'string' || r === 'string' || n.left.type === 'StringLiteral' || n.right.type === 'StringLiteral' || n.left.type === 'TemplateLiteral') return { kind: 'string' };
    if (l === 'number' && (r === 'number' || n.right.type === 'NumericLiteral')) return { kind: 'number' };
    return { kind: 'unknown' };
  }
  if (n.type === 'UnaryExpression') return n.operator === '!' ? { kind: 'boolean' } : n.operator === 'typeof' ? { kind: 'string' } : { kind: 'number' };
  if (n.type === 'TemplateLiteral') return { kind: 'string' };
  if (n.type === 'NumericLiteral') return { kind: 'number' };
  if (n.type === 'MemberExpression' && n.property.type === 'Identifier' && n.property.name === 'length') return { kind: 'number' };
  if (n.type === 'CallExpression') {
    const c = n.callee;
    if (c.type === 'Identifier' && ['Number', 'parseInt', 'parseFloat'].includes(c.name)) return { kind: 'number' };
    if (c.type === 'Identifier' && c.name === 'String') return { kind: 'string' };
    if (c.type === 'Identifier' && c.name === 'Boolean') return { kind: 'boolean' };
    if (c.type === 'MemberExpression' && c.property.type === 'Identifier') {
      const m = c.property.name;
      if (c.object.type === 'Identifier' && (c.object.name === 'Math' || (c.object.name === 'Date' && m === 'now'))) return { kind: 'number' };
      if (STRING_METHODS.has(m)) return { kind: 'string' };
      if (m === 'map' || m === 'filter' || m === 'flatMap') return { kind: 'array' };
      if (NUMBER_METHODS.has(m)) return { kind: 'number' };
      if (BOOLEAN_METHODS.has(m)) return { kind: 'boolean' };
    }
  }
  return { kind: 'unknown' };
}

export function fieldType(t: ValueType, p: string): ValueType | undefined {
  return t.kind === 'object' ? ownEntry(t.fields, p)?.type : undefined;
}

/** Types API Gateway guarantees for event fields. */
export function eventFieldType(path: string[]): ValueType {
  const [a] = path;
  if (path.length === 2 && (a === 'pathParameters' || a === 'queryStringParameters' || a === 'headers' || a === 'stageVariables')) return { kind: 'string' };
  if (path.length === 1 && ['httpMethod', 'resource', 'path', 'rawPath', 'routeKey', 'rawQueryString', 'body', 'version'].includes(a!)) return { kind: 'string' };
  if (path.length === 1 && a === 'isBase64Encoded') return { kind: 'boolean' };
  if (path.join('.') === 'requestContext.http.method' || path.join('.') === 'requestContext.http.path' || (path[0] === 'requestContext' && path[1] === 'authorizer' && path[2] === 'claims' && path.length === 4)) return { kind: 'string' };
  if (path.length === 2 && a === 'requestContext' && ['connectionId', 'routeKey', 'eventType', 'requestId', 'stage', 'domainName', 'apiId', 'accountId', 'resourcePath', 'httpMethod', 'path', 'messageId', 'resourceId'].includes(path[1]!)) return { kind: 'string' };
  if (path.length === 1 && a === 'Records') return { kind: 'array' };
  if (path.length === 1 && ['pathParameters', 'queryStringParameters', 'headers', 'requestContext', 'multiValueHeaders', 'stageVariables'].includes(a!)) return { kind: 'object' };
  return { kind: 'unknown' };
}
