// String and list methods that JSONata expresses with the JavaScript semantics (JSONata emission only).
import type * as t from '@babel/types';
import { typeOfValue } from '../../model/valueType.js';
import type { ValueExpr, ValueType } from '../../model/workflow.js';
import { isLiteral } from './fold.js';

/** What jsonataMethod needs of the value lifter. */
export interface MethodLifting {
  valueOf(node: t.Node): ValueExpr;
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
