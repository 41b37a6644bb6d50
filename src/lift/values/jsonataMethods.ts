// Values that JSONata expresses with the JavaScript semantics and JSONPath does not (JSONata emission only):
// string and list methods, arithmetic, the clock.
import type * as t from '@babel/types';
import { typeOfValue } from '../../model/valueType.js';
import type { Json, ValueExpr, ValueType } from '../../model/workflow.js';
import type { Entry } from '../context.js';
import { propName, unwrapTs } from '../syntax.js';
import { foldNumber, isDefinedNumber, jsonataArithmetic } from './arithmetic.js';
import { isLiteral } from './fold.js';

/** What the JSONata values need of the value lifter. */
export interface MethodLifting {
  readonly scopes: Array<Map<string, Entry>>;
  valueOf(node: t.Node): ValueExpr;
  booleanOf(test: t.Node): ValueExpr;
  constantOf(name: string): Json | undefined;
  findScope(name: string): Map<string, Entry> | undefined;
  withScope<T>(fn: () => T): T;
  fresh(base: string): string;
  listCallback(method: 'map' | 'filter', list: ValueExpr, args: t.Node[]): ValueExpr | undefined;
}

const strLit = (a: t.Node | undefined) => (a && a.type === 'StringLiteral' ? a.value : undefined);

const stringList = (v: ValueExpr) => (isLiteral(v) && Array.isArray(v.value) && v.value.every((x) => typeof x === 'string')) || (typeOfValue(v).kind === 'array' && (typeOfValue(v) as { element?: ValueType }).element?.kind === 'string');

/**
 * Can the regex `source` match an empty string anywhere? JSONata's $replace refuses a pattern that matches
 * zero characters, where JavaScript replaces the empty match. Assertions (^ $ \b \B) match nothing, so the
 * pattern without them matches more; lookarounds and back-references are not analysed (taken to match empty).
 */
export function mayMatchEmpty(source: string): boolean {
  if (/\(\?<?[=!]|\\[1-9]|\\k</.test(source)) return true;
  let stripped = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (next === 'b' || next === 'B')) { i++; continue; }
      stripped += c + next;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (!inClass && (c === '^' || c === '$')) continue;
    stripped += c;
  }
  try {
    return new RegExp(`^(?:${stripped})$`).test('');
  } catch {
    return true;
  }
}

/** `s.replace(/re/flags, 'text')`: JSONata's regexes are JavaScript RegExps, with the flags i and m only. */
function regexReplace(target: ValueExpr, args: t.Node[]): ValueExpr | undefined {
  const [re, to] = [args[0], strLit(args[1])];
  if (args.length !== 2 || re?.type !== 'RegExpLiteral' || to === undefined || to.includes('$')) return undefined;
  if (!/^[gim]*$/.test(re.flags) || re.pattern.includes('%}') || mayMatchEmpty(re.pattern)) return undefined;
  const global = re.flags.includes('g');
  const lit = (value: string | boolean): ValueExpr => ({ kind: 'literal', value });
  return { kind: 'fn', fn: 'regex-replace', args: [target, lit(re.pattern), lit(re.flags.replace('g', '')), lit(to), lit(global)], type: { kind: 'string' } };
}

/** `target.method(args)` as a JSONata function, or undefined when JSONata cannot reproduce it exactly. */
export function jsonataMethod(lx: MethodLifting, method: string | undefined, target: ValueExpr, args: t.Node[]): ValueExpr | undefined {
  const targetType = typeOfValue(target).kind;
  const stringOrUnknown = targetType === 'string' || targetType === 'unknown';
  switch (method) {
    case 'toLowerCase': case 'toUpperCase':
      if (args.length || !stringOrUnknown) return undefined;
      return { kind: 'fn', fn: method === 'toLowerCase' ? 'lowercase' : 'uppercase', args: [target], type: { kind: 'string' } };
    case 'join': {
      const sep = args.length ? strLit(args[0]) : ',';
      if (sep === undefined || !stringList(target)) return undefined;
      return { kind: 'fn', fn: 'join', args: [target, { kind: 'literal', value: sep }], type: { kind: 'string' } };
    }
    case 'replace': case 'replaceAll': {
      // A target of unknown type: both fail when it is not a string (a TypeError, a JSONata error).
      if (method === 'replace' && args[0]?.type === 'RegExpLiteral') return stringOrUnknown ? regexReplace(target, args) : undefined;
      // String patterns only; a `$` in the replacement is a special pattern in JavaScript.
      const [from, to] = [strLit(args[0]), strLit(args[1])];
      if (args.length !== 2 || from === undefined || !from || to === undefined || to.includes('$') || targetType !== 'string') return undefined;
      return { kind: 'fn', fn: method === 'replace' ? 'replace' : 'replace-all', args: [target, { kind: 'literal', value: from }, { kind: 'literal', value: to }], type: { kind: 'string' } };
    }
    case 'includes': {
      if (args.length !== 1) return undefined;
      const x = lx.valueOf(args[0]!);
      if (isLiteral(target) && Array.isArray(target.value)) return { kind: 'fn', fn: 'includes', args: [target, x], type: { kind: 'boolean' } };
      if (targetType === 'string' && typeOfValue(x).kind === 'string') return { kind: 'fn', fn: 'string-includes', args: [target, x], type: { kind: 'boolean' } };
      return undefined;
    }
    // A target of unknown type: both fail when it is not a string (a TypeError, a JSONata error).
    case 'trim':
      if (args.length || !stringOrUnknown) return undefined;
      return { kind: 'fn', fn: 'trim', args: [target], type: { kind: 'string' } };
    case 'startsWith': case 'endsWith': {
      if (args.length !== 1 || !stringOrUnknown) return undefined;
      const x = lx.valueOf(args[0]!);
      if (typeOfValue(x).kind !== 'string' && !(isLiteral(x) && typeof x.value === 'string')) return undefined;
      return { kind: 'fn', fn: method === 'startsWith' ? 'starts-with' : 'ends-with', args: [target, x], type: { kind: 'boolean' } };
    }
    case 'split': {
      const sep = strLit(args[0]);
      if (args.length !== 1 || !sep || !stringOrUnknown) return undefined;
      return { kind: 'fn', fn: 'split', args: [target, { kind: 'literal', value: sep }], type: { kind: 'array', element: { kind: 'string' } } };
    }
    case 'map': case 'filter': return targetType === 'array' ? lx.listCallback(method, target, args) : undefined;
    // The first element that passes the test, or undefined: the filtered list's first item.
    case 'find': {
      const passed = targetType === 'array' ? lx.listCallback('filter', target, args) : undefined;
      return passed && { kind: 'fn', fn: 'item-at', args: [passed, { kind: 'literal', value: 0 }], type: { kind: 'unknown' } };
    }
    case 'concat': {
      if (args.length !== 1 || targetType !== 'array') return undefined;
      const other = lx.valueOf(args[0]!);
      if (typeOfValue(other).kind !== 'array') return undefined;
      return { kind: 'fn', fn: 'concat', args: [target, other], type: { kind: 'array' } };
    }
    default: return undefined;
  }
}

/** `n` as a JSONata-only value: arithmetic, the clock, lengths, string and list methods. */
export function jsonataValue(lx: MethodLifting, n: t.Node): ValueExpr | undefined {
  const operand = (x: t.Node): ValueExpr => {
    const constant = foldNumber(x, (name) => lx.constantOf(name));
    return constant !== undefined ? { kind: 'literal', value: constant } : jsonataValue(lx, unwrapTs(x)) ?? lx.valueOf(x);
  };
  const arithmetic = jsonataArithmetic(n, operand, (name) => !!lx.findScope(name));
  if (arithmetic) return arithmetic;
  // a === b of two run-time values (JSONata's = is deep, and false for a missing side: the emitter makes it strict).
  if (n.type === 'BinaryExpression' && (n.operator === '===' || n.operator === '!==') && n.left.type !== 'PrivateName') {
    return { kind: 'fn', fn: n.operator === '===' ? 'strict-equals' : 'strict-not-equals', args: [lx.valueOf(n.left), lx.valueOf(n.right)], type: { kind: 'boolean' } };
  }
  if (n.type === 'MemberExpression' && propName(n) === 'length') {
    const v = lx.valueOf(n.object);
    const t = typeOfValue(v).kind;
    if (t !== 'string' && t !== 'array' && t !== 'unknown') return undefined;
    return { kind: 'fn', fn: 'length', args: [v], type: { kind: 'number' } };
  }
  if (n.type !== 'CallExpression') return undefined;
  const callee = unwrapTs(n.callee);
  const args = n.arguments;
  // Array.isArray(x), Number.isInteger(x): tests of the JSON type (false for a missing value, as in JavaScript).
  if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && args.length === 1 && args[0]!.type !== 'SpreadElement' && !lx.findScope(callee.object.name)) {
    const test = `${callee.object.name}.${propName(callee) ?? ''}`;
    if (test === 'Array.isArray' || test === 'Number.isInteger') return { kind: 'fn', fn: test === 'Array.isArray' ? 'is-array' : 'is-integer', args: [lx.valueOf(args[0]!)], type: { kind: 'boolean' } };
  }
  // Of a string only: JSONata's functions reject the other types that JavaScript turns into text first.
  if (callee.type === 'Identifier' && (callee.name === 'decodeURIComponent' || callee.name === 'encodeURIComponent') && args.length === 1 && args[0]!.type !== 'SpreadElement' && !lx.findScope(callee.name)) {
    const text = lx.valueOf(args[0]!);
    if (typeOfValue(text).kind !== 'string') return undefined;
    return { kind: 'fn', fn: callee.name === 'decodeURIComponent' ? 'decode-uri-component' : 'encode-uri-component', args: [text], type: { kind: 'string' } };
  }
  if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Date' && propName(callee) === 'now' && !args.length && !lx.findScope('Date')) {
    return { kind: 'fn', fn: 'millis', args: [], type: { kind: 'number' } };
  }
  if (callee.type !== 'MemberExpression') return undefined;
  const method = propName(callee);
  const obj = unwrapTs(callee.object);
  if (method === 'getTime' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date' && !obj.arguments.length && !args.length) {
    return { kind: 'fn', fn: 'millis', args: [], type: { kind: 'number' } };
  }
  // new Date(ms).toISOString() of a number that is never missing: $fromMillis writes the same ISO 8601 form.
  if (method === 'toISOString' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date' && obj.arguments.length === 1 && !args.length && !lx.findScope('Date')) {
    const at = obj.arguments[0]!;
    const ms = at.type === 'SpreadElement' ? undefined : jsonataValue(lx, unwrapTs(at)) ?? lx.valueOf(at);
    return ms && isDefinedNumber(ms) ? { kind: 'fn', fn: 'from-millis', args: [ms], type: { kind: 'string' } } : undefined;
  }
  return jsonataMethod(lx, method, lx.valueOf(obj), args);
}

/**
 * `list.map((x) => value)` / `list.filter((x) => test)` with a callback of one parameter whose body is one
 * expression: the body is lifted with the parameter bound to the element.
 */
export function listCallback(lx: MethodLifting, method: 'map' | 'filter', list: ValueExpr, args: t.Node[]): ValueExpr | undefined {
  const fn = args.length === 1 ? unwrapTs(args[0]!) : undefined;
  if (!fn || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.async || fn.generator || fn.params.length !== 1 || fn.params[0]!.type !== 'Identifier') return undefined;
  const only = fn.body.type === 'BlockStatement' && fn.body.body.length === 1 ? fn.body.body[0]! : undefined;
  const body = fn.body.type !== 'BlockStatement' ? fn.body : only?.type === 'ReturnStatement' ? only.argument : undefined;
  if (!body) return undefined;
  const param = fn.params[0].name;
  const element: ValueExpr = { kind: 'var', name: lx.fresh('element'), path: [], type: { kind: 'unknown' } };
  // The Items of a low-level client: JSONata unmarshals the list, so unmarshall(element) is the element itself.
  const rawItems = list.kind === 'ddb' && list.field === 'Items' && !!list.raw && !list.path.length;
  if (rawItems && list.kind === 'ddb') list = { ...list, raw: false };
  const value = lx.withScope(() => {
    lx.scopes[lx.scopes.length - 1]!.set(param, rawItems ? { kind: 'raw-item', value: element } : { kind: 'value', value: element });
    if (method === 'filter') return lx.booleanOf(body);
    return jsonataValue(lx, unwrapTs(body)) ?? lx.valueOf(body);
  });
  const elementType = method === 'map' ? typeOfValue(value) : (typeOfValue(list) as { element?: ValueType }).element;
  return { kind: 'fn', fn: method, args: [list, element, value], type: elementType && elementType.kind !== 'unknown' ? { kind: 'array', element: elementType } : { kind: 'array' } };
}
