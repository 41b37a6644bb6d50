// Calls with a Step Functions intrinsic: Buffer base64 round trips and crypto hashes.
import type * as t from '@babel/types';
import { typeOfValue } from '../../model/valueType.js';
import type { ValueExpr } from '../../model/workflow.js';
import type { Entry } from '../context.js';
import { line, propName, unwrapTs } from '../syntax.js';
import { isLiteral } from './fold.js';

/** What intrinsicCall needs of the value lifter. */
export interface ValueLifting {
  valueOf(node: t.Node): ValueExpr;
  evalExprSafe(node: t.Node): Entry | undefined;
  findScope(name: string): unknown;
  use(rule: string): void;
  assume(lineNo: number, message: string, rule?: string): void;
  code(node: t.Node): string;
}

/** Buffer base64 round trips and crypto hashes that have an intrinsic. */
export function intrinsicCall(lx: ValueLifting, n: t.CallExpression | t.OptionalCallExpression): ValueExpr | undefined {
  const callee = unwrapTs(n.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propName(callee);
  const strArg = (a: t.Node | undefined) => (a && a.type === 'StringLiteral' ? a.value : undefined);
  const obj = unwrapTs(callee.object);
  // Buffer.from(x).toString('base64') / Buffer.from(x, 'base64').toString('utf8')
  if (method === 'toString' && obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && obj.callee.object.type === 'Identifier' && obj.callee.object.name === 'Buffer' && propName(obj.callee) === 'from' && !lx.findScope('Buffer')) {
    const from = strArg(obj.arguments[1]) ?? 'utf8';
    const to = strArg(n.arguments[0]) ?? 'utf8';
    const x = lx.valueOf(obj.arguments[0]!);
    if (typeOfValue(x).kind !== 'string' && !(isLiteral(x) && typeof x.value === 'string')) return undefined;
    lx.use('intrinsic-template-format');
    if (/^utf-?8$/.test(from) && to === 'base64') return { kind: 'intrinsic', fn: 'States.Base64Encode', args: [x], type: { kind: 'string' } };
    if (from === 'base64' && /^utf-?8$/.test(to)) return { kind: 'intrinsic', fn: 'States.Base64Decode', args: [x], type: { kind: 'string' } };
    return undefined;
  }
  // crypto.createHash('sha256').update(x).digest('hex')
  if (method === 'digest' && strArg(n.arguments[0]) === 'hex' && obj.type === 'CallExpression' && obj.callee.type === 'MemberExpression' && propName(obj.callee) === 'update' && obj.arguments.length === 1) {
    const create = unwrapTs(obj.callee.object);
    if (create.type !== 'CallExpression') return undefined;
    const fn = lx.evalExprSafe(create.callee);
    const isCreateHash = (fn?.kind === 'global' && fn.path.join('.') === 'crypto.createHash') || (fn?.kind === 'package' && fn.source === 'crypto' && fn.path.join('.') === 'createHash');
    const alg = ({ md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as Record<string, string>)[strArg(create.arguments[0])?.toLowerCase() ?? ''];
    if (!isCreateHash || !alg) return undefined;
    const x = lx.valueOf(obj.arguments[0]!);
    if (typeOfValue(x).kind !== 'string') return undefined;
    lx.assume(line(n), `${lx.code(n)} becomes States.Hash(…, '${alg}'), which accepts at most 10,000 characters`);
    return { kind: 'intrinsic', fn: 'States.Hash', args: [x, { kind: 'literal', value: alg }], type: { kind: 'string' } };
  }
  return undefined;
}
