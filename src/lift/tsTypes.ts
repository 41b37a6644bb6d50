// TypeScript annotations (`as Feedback`, `: { price: number }`) → value types for DynamoDB marshalling.
// Only local interfaces and type aliases are followed; anything else is `unknown` (never guessed).
import type * as t from '@babel/types';
import type { ModuleInfo } from '../analyze/moduleIndex.js';
import type { FieldType, ValueType } from '../model/workflow.js';

function members(list: t.TSTypeElement[], mod: ModuleInfo, depth: number): Record<string, FieldType> {
  const fields: Record<string, FieldType> = {};
  for (const m of list) {
    if (m.type !== 'TSPropertySignature') continue;
    const key = m.key.type === 'Identifier' ? m.key.name : m.key.type === 'StringLiteral' ? m.key.value : undefined;
    if (!key) continue;
    const ann = m.typeAnnotation?.typeAnnotation;
    fields[key] = { type: ann ? typeFromTsType(ann, mod, depth + 1) : { kind: 'unknown' }, optional: !!m.optional };
  }
  return fields;
}

export function typeFromTsType(node: t.TSType, mod: ModuleInfo, depth = 0): ValueType {
  if (depth > 8) return { kind: 'unknown' };
  switch (node.type) {
    case 'TSStringKeyword': return { kind: 'string' };
    case 'TSNumberKeyword': return { kind: 'number' };
    case 'TSBooleanKeyword': return { kind: 'boolean' };
    case 'TSNullKeyword': return { kind: 'null' };
    case 'TSLiteralType':
      if (node.literal.type === 'StringLiteral') return { kind: 'string' };
      if (node.literal.type === 'NumericLiteral') return { kind: 'number' };
      if (node.literal.type === 'BooleanLiteral') return { kind: 'boolean' };
      return { kind: 'unknown' };
    case 'TSArrayType': return { kind: 'array', element: typeFromTsType(node.elementType, mod, depth + 1) };
    case 'TSTypeLiteral': return { kind: 'object', fields: members(node.members, mod, depth) };
    case 'TSUnionType': {
      // `string | undefined` is an optional string; mixed unions are unknown.
      const kinds = node.types.filter((x) => x.type !== 'TSUndefinedKeyword').map((x) => typeFromTsType(x, mod, depth + 1));
      const first = kinds[0];
      return first && kinds.every((k) => k.kind === first.kind) ? first : { kind: 'unknown' };
    }
    case 'TSParenthesizedType': return typeFromTsType(node.typeAnnotation, mod, depth + 1);
    case 'TSTypeReference': {
      if (node.typeName.type !== 'Identifier') return { kind: 'unknown' };
      const name = node.typeName.name;
      if (name === 'Array' && node.typeParameters?.params[0]) return { kind: 'array', element: typeFromTsType(node.typeParameters.params[0], mod, depth + 1) };
      const decl = mod.types.get(name);
      if (!decl) return { kind: 'unknown' };
      if (decl.type === 'TSInterfaceDeclaration') return { kind: 'object', fields: members(decl.body.body, mod, depth) };
      return typeFromTsType(decl.typeAnnotation, mod, depth + 1);
    }
    default:
      return { kind: 'unknown' };
  }
}
