// JSON.parse(null) is null, where States.StringToJson and $parse fail the execution. The two agree only when the
// handler goes on to throw on the null before anything it does can be seen (a field of the parsed value read first:
// a TypeError, which API Gateway answers as a failed execution is answered). This module decides, from the code that
// follows the parse in evaluation order, whether that is certain.
import * as t from '@babel/types';
import { unwrapTs } from './syntax.js';

/** `deref`: the parsed value's field is read first (null throws); `escapes`: something else may happen first; `none`: nothing of either. */
type Touch = 'deref' | 'escapes' | 'none';

// Calls with no effect a client could see (a throw of theirs fails both sides alike).
const PURE_GLOBALS = new Set(['String', 'Number', 'Boolean', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'randomUUID', 'uuidv4', 'v4', 'Date', 'BigInt', 'Symbol']);
const PURE_OBJECTS = new Set(['JSON', 'Math', 'Object', 'Array', 'Number', 'String', 'Date', 'crypto', 'Buffer']);
const PURE_METHODS = new Set(['toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'includes', 'startsWith', 'endsWith', 'split', 'join', 'slice', 'substring', 'concat', 'replace', 'replaceAll', 'toString', 'toFixed', 'padStart', 'padEnd', 'indexOf', 'lastIndexOf', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce', 'flat', 'flatMap', 'at', 'charAt', 'toISOString', 'getTime', 'valueOf', 'keys', 'values', 'entries', 'has', 'get', 'test', 'match']);

function isConsole(callee: t.Node): boolean {
  const c = unwrapTs(callee);
  return c.type === 'MemberExpression' && unwrapTs(c.object).type === 'Identifier' && (unwrapTs(c.object) as t.Identifier).name === 'console';
}

function pureCallee(callee: t.Node): boolean {
  const c = unwrapTs(callee);
  if (c.type === 'Identifier') return PURE_GLOBALS.has(c.name);
  if ((c.type === 'MemberExpression' || c.type === 'OptionalMemberExpression') && !c.computed && c.property.type === 'Identifier') {
    const obj = unwrapTs(c.object);
    if (obj.type === 'Identifier' && PURE_OBJECTS.has(obj.name)) return true;
    return PURE_METHODS.has(c.property.name);
  }
  return false;
}

/** Several ways one of which runs: certain only when each of them dereferences (or none touches anything). */
function alternatives(ways: Touch[]): Touch {
  if (ways.every((w) => w === 'none')) return 'none';
  return ways.every((w) => w === 'deref') ? 'deref' : 'escapes';
}

function sequence(nodes: Array<t.Node | null | undefined>, name: string): Touch {
  for (const n of nodes) {
    if (!n) continue;
    const r = touch(n, name);
    if (r !== 'none') return r;
  }
  return 'none';
}

function mentions(n: t.Node, name: string): boolean {
  let found = false;
  t.traverseFast(n, (x) => {
    if (x.type === 'Identifier' && x.name === name) found = true;
  });
  return found;
}

function touch(node: t.Node, name: string): Touch {
  const n = unwrapTs(node);
  switch (n.type) {
    case 'Identifier': return n.name === name ? 'escapes' : 'none';
    case 'MemberExpression': case 'OptionalMemberExpression': {
      const obj = unwrapTs(n.object);
      if (obj.type === 'Identifier' && obj.name === name) return n.type === 'MemberExpression' ? 'deref' : 'escapes';
      return sequence([n.object, n.computed ? n.property : undefined], name);
    }
    case 'VariableDeclaration': return sequence(n.declarations, name);
    case 'VariableDeclarator': {
      const init = n.init ? unwrapTs(n.init) : undefined;
      // Destructuring null throws a TypeError.
      if (init?.type === 'Identifier' && init.name === name && (n.id.type === 'ObjectPattern' || n.id.type === 'ArrayPattern')) return 'deref';
      const r = init ? touch(init, name) : 'none';
      return r !== 'none' ? r : mentions(n.id, name) ? 'escapes' : 'none';
    }
    case 'CallExpression': case 'NewExpression': case 'OptionalCallExpression': {
      const callee = touch(n.callee, name);
      const args = callee === 'none' ? sequence(n.arguments, name) : callee;
      // A dropped log call can neither be seen nor make anything escape; a field it reads still throws.
      if (isConsole(n.callee)) return args === 'deref' ? 'deref' : 'none';
      if (args !== 'none') return args;
      return pureCallee(n.callee) ? 'none' : 'escapes';
    }
    case 'AwaitExpression': case 'YieldExpression': case 'ReturnStatement': case 'ThrowStatement': {
      const r = n.argument ? touch(n.argument, name) : 'none';
      return r !== 'none' ? r : 'escapes';
    }
    case 'IfStatement': case 'ConditionalExpression': {
      const r = touch(n.test, name);
      return r !== 'none' ? r : alternatives([touch(n.consequent, name), n.alternate ? touch(n.alternate, name) : 'none']);
    }
    case 'LogicalExpression': {
      const r = touch(n.left, name);
      return r !== 'none' ? r : alternatives([touch(n.right, name), 'none']);
    }
    case 'SwitchStatement': {
      const r = touch(n.discriminant, name);
      return r !== 'none' ? r : alternatives(n.cases.map((c) => sequence([c.test, ...c.consequent], name)));
    }
    case 'BlockStatement': return sequence(n.body, name);
    case 'ExpressionStatement': return touch(n.expression, name);
    case 'AssignmentExpression': {
      if (n.left.type === 'Identifier' && n.left.name === name) return 'escapes';
      return sequence([n.left.type === 'Identifier' ? undefined : n.left, n.right], name);
    }
    case 'ObjectProperty': return sequence([n.computed ? n.key : undefined, n.value], name);
    case 'ObjectMethod': case 'ClassMethod': case 'ArrowFunctionExpression': case 'FunctionExpression': case 'FunctionDeclaration':
    case 'ForStatement': case 'ForOfStatement': case 'ForInStatement': case 'WhileStatement': case 'DoWhileStatement':
    case 'TryStatement': case 'LabeledStatement': case 'ClassDeclaration': case 'ClassExpression':
      // A body that may run later, never, or under a catch: reading the value there proves nothing here.
      return mentions(n, name) ? 'escapes' : 'none';
    case 'BreakStatement': case 'ContinueStatement': return 'escapes';
    case 'EmptyStatement': case 'TSTypeAliasDeclaration': case 'TSInterfaceDeclaration': return 'none';
    default: {
      const keys = t.VISITOR_KEYS[n.type] ?? [];
      const children: t.Node[] = [];
      for (const k of keys) {
        const v = (n as unknown as Record<string, unknown>)[k];
        if (Array.isArray(v)) children.push(...(v.filter((x) => x && typeof x === 'object') as t.Node[]));
        else if (v && typeof v === 'object') children.push(v as t.Node);
      }
      return sequence(children, name);
    }
  }
}

/**
 * Whether `name`, bound to JSON.parse of a value that may be null, is certain to be dereferenced by the code that
 * follows its declaration (`rest`: the statements after it in its block) before anything observable happens.
 */
export function nullParseThrowsFirst(name: string, rest: t.Node[]): boolean {
  // Falling off the block leaves the value unread.
  return sequence(rest, name) === 'deref';
}
