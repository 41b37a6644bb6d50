import type * as t from '@babel/types';
import type { ArithmeticFunction, Json, MathFunction, ValueExpr } from '../../model/workflow.js';
import { propName, unwrapTs } from '../syntax.js';

const ARITHMETIC: Record<string, { fn: ArithmeticFunction; apply: (a: number, b: number) => number }> = {
  '+': { fn: 'add', apply: (a, b) => a + b },
  '-': { fn: 'subtract', apply: (a, b) => a - b },
  '*': { fn: 'multiply', apply: (a, b) => a * b },
  '/': { fn: 'divide', apply: (a, b) => a / b },
  '%': { fn: 'remainder', apply: (a, b) => a % b },
  '**': { fn: 'power', apply: (a, b) => a ** b },
};

const MATH: Record<string, MathFunction> = { floor: 'floor', ceil: 'ceil', abs: 'abs', min: 'min', max: 'max' };

/**
 * The number a constant expression of number literals evaluates to (`24 * 60 * 60`), through names bound to
 * constants; undefined when any part is not a constant number or the result is not finite (no JSON for it).
 */
export function foldNumber(node: t.Node, constantOf: (name: string) => Json | undefined): number | undefined {
  const n = unwrapTs(node);
  let v: number | undefined;
  if (n.type === 'NumericLiteral') v = n.value;
  else if (n.type === 'Identifier') {
    const c = constantOf(n.name);
    v = typeof c === 'number' ? c : undefined;
  } else if (n.type === 'UnaryExpression' && n.operator === '-') {
    const x = foldNumber(n.argument, constantOf);
    v = x === undefined ? undefined : -x;
  } else if (n.type === 'BinaryExpression' && ARITHMETIC[n.operator] && n.left.type !== 'PrivateName') {
    const a = foldNumber(n.left, constantOf);
    const b = a === undefined ? undefined : foldNumber(n.right, constantOf);
    v = a === undefined || b === undefined ? undefined : ARITHMETIC[n.operator]!.apply(a, b);
  }
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/**
 * A number that is never missing: a number literal, the clock, arithmetic and Math functions of such numbers, or a
 * variable storing one.
 * JSONata arithmetic of a missing value gives nothing where JavaScript gives NaN, so only these are computed.
 */
export function isDefinedNumber(v: ValueExpr): boolean {
  if (v.kind === 'literal') return typeof v.value === 'number';
  if (v.kind === 'residual') return !!v.jsonata && isDefinedNumber(v.jsonata);
  if (v.kind === 'var') return v.path.length === 0 && v.present === true && v.type.kind === 'number';
  if (v.kind === 'fn') return (v.fn === 'millis' || Object.values(ARITHMETIC).some((a) => a.fn === v.fn) || Object.values(MATH).includes(v.fn as MathFunction)) && v.args.every(isDefinedNumber);
  return false;
}

/**
 * Arithmetic and Math functions of always-defined numbers, as JSONata expresses them (`$floor($millis() / 1000)`).
 * `/` and `%` only by a non-zero constant: JSONata fails on a result that is not finite, where JavaScript gives
 * Infinity or NaN. Math.round is left out: JSONata's $round rounds half to even.
 */
export function jsonataArithmetic(n: t.Node, operand: (x: t.Node) => ValueExpr, isShadowed: (name: string) => boolean): ValueExpr | undefined {
  const number = { kind: 'number' } as const;
  if (n.type === 'BinaryExpression' && ARITHMETIC[n.operator] && n.left.type !== 'PrivateName') {
    const [l, r] = [operand(n.left), operand(n.right)];
    if (!isDefinedNumber(l) || !isDefinedNumber(r)) return undefined;
    if ((n.operator === '/' || n.operator === '%') && !(r.kind === 'literal' && r.value !== 0)) return undefined;
    return { kind: 'fn', fn: ARITHMETIC[n.operator]!.fn, args: [l, r], type: number };
  }
  if (n.type !== 'CallExpression') return undefined;
  const callee = unwrapTs(n.callee);
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || callee.object.name !== 'Math' || isShadowed('Math')) return undefined;
  const fn = MATH[propName(callee) ?? ''];
  if (!fn || n.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
  const args = n.arguments.map(operand);
  const arity = fn === 'min' || fn === 'max' ? args.length >= 1 : args.length === 1;
  if (!arity || !args.every(isDefinedNumber)) return undefined;
  return { kind: 'fn', fn, args, type: number };
}
