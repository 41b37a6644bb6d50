// A logger of the project's own: an instance of a class (or an object of functions) whose code only writes log
// lines through console and keeps state of its own (`this.context = …`), so calling it has no other effect.
import type * as t from '@babel/types';
import { patternBindings, type ModuleIndex, type ModuleInfo } from '../../src/analyze/moduleIndex.js';
import { propName, unwrapTs } from '../../src/lift/syntax.js';

const CONSOLE = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table']);
// Methods of values that read, format or fill a local value: nothing outside it changes.
const VALUE_METHODS = new Set(['toString', 'toISOString', 'toJSON', 'join', 'slice', 'map', 'filter', 'some', 'every', 'find', 'forEach', 'reduce', 'includes', 'indexOf', 'trim', 'toLowerCase', 'toUpperCase', 'padStart', 'padEnd', 'substring', 'split', 'concat', 'getTime', 'toFixed', 'hasOwnProperty']);
// Methods that change the value they are called on: only on a value of the function's own.
const FILLING_METHODS = new Set(['push', 'unshift', 'set', 'add']);
const GLOBAL_CALLS = new Set(['JSON.stringify', 'Object.keys', 'Object.values', 'Object.entries', 'Object.assign', 'String', 'Number', 'Boolean', 'Array.isArray', 'Date.now', 'process.stdout.write', 'process.stderr.write']);
const SKIP = new Set(['loc', 'leadingComments', 'trailingComments', 'innerComments', 'typeAnnotation', 'returnType', 'typeParameters', 'extra']);

function rootName(n: t.Node): string | 'this' | undefined {
  let x = unwrapTs(n);
  while (x.type === 'MemberExpression' || x.type === 'OptionalMemberExpression') x = unwrapTs(x.object);
  return x.type === 'ThisExpression' ? 'this' : x.type === 'Identifier' ? x.name : undefined;
}

function dotted(callee: t.Node): string | undefined {
  const c = unwrapTs(callee);
  if (c.type === 'Identifier') return c.name;
  if (c.type !== 'MemberExpression' && c.type !== 'OptionalMemberExpression') return undefined;
  const base = dotted(c.object);
  const p = propName(c);
  return base !== undefined && p !== undefined ? `${base}.${p}` : undefined;
}

/** Names a function declares: its parameters and every variable declared in its body. */
function declaredIn(fn: t.Function): Set<string> {
  const names = new Set<string>(fn.params.flatMap((p) => patternBindings(p).map((b) => b.name)));
  const visit = (n: t.Node): void => {
    if (n.type === 'VariableDeclarator') for (const b of patternBindings(n.id)) names.add(b.name);
    for (const [k, v] of Object.entries(n)) {
      if (SKIP.has(k)) continue;
      for (const c of Array.isArray(v) ? v : [v]) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string' && !isFunction(c as t.Node)) visit(c as t.Node);
    }
  };
  visit(fn.body);
  return names;
}

function isFunction(n: t.Node): n is t.Function {
  return n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ClassMethod' || n.type === 'ClassPrivateMethod' || n.type === 'ObjectMethod';
}

/** Does the function only log, compute, and set its own locals or `this`'s fields? `own`: the class it is a method of. */
function onlyLogs(fn: t.Function, own: string | undefined, outer: ReadonlySet<string> = new Set()): boolean {
  if (fn.async || fn.generator) return false;
  const locals = new Set([...outer, ...declaredIn(fn)]);
  const settable = (target: t.Node) => {
    const root = rootName(target);
    return root === 'this' ? own !== undefined : root !== undefined && locals.has(root);
  };
  let ok = true;
  const visit = (n: t.Node): void => {
    if (!ok) return;
    switch (n.type) {
      case 'AwaitExpression': case 'YieldExpression': case 'ThrowStatement': case 'ImportExpression': ok = false; return;
      case 'AssignmentExpression': if (!settable(n.left)) ok = false; break;
      case 'UpdateExpression': if (!settable(n.argument)) ok = false; break;
      case 'UnaryExpression': if (n.operator === 'delete' && !settable(n.argument)) ok = false; break;
      case 'NewExpression': {
        const name = n.callee.type === 'Identifier' ? n.callee.name : undefined;
        if (name !== 'Date' && name !== own) ok = false;
        break;
      }
      case 'CallExpression': case 'OptionalCallExpression': {
        const callee = unwrapTs(n.callee);
        const name = dotted(callee);
        const member = callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression';
        const method = member ? propName(callee) : undefined;
        const allowed = (name !== undefined && (GLOBAL_CALLS.has(name) || (name.startsWith('console.') && CONSOLE.has(name.slice(8)))))
          || (member && unwrapTs(callee.object).type === 'ThisExpression' && own !== undefined)
          || (member && method !== undefined && VALUE_METHODS.has(method) && rootName(callee.object) !== 'this')
          || (member && method !== undefined && FILLING_METHODS.has(method) && locals.has(rootName(callee.object) ?? ''));
        if (!allowed) ok = false;
        break;
      }
      default: break;
    }
    if (n !== fn && isFunction(n)) {
      if (!onlyLogs(n, own, locals)) ok = false;
      return;
    }
    for (const [k, v] of Object.entries(n)) {
      if (SKIP.has(k)) continue;
      for (const c of Array.isArray(v) ? v : [v]) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') visit(c as t.Node);
    }
  };
  visit(fn.body);
  return ok;
}

/** The methods a caller can call on an instance of the class, when all its code only logs. */
function classOnlyLogs(cls: t.ClassDeclaration): Set<string> | undefined {
  if (cls.superClass || !cls.id) return undefined;
  const all = cls.body.body.every((m) => {
    if (m.type === 'ClassMethod' || m.type === 'ClassPrivateMethod') return m.kind !== 'get' && m.kind !== 'set' && onlyLogs(m, cls.id!.name);
    if (m.type === 'ClassProperty' || m.type === 'ClassPrivateProperty') return !m.value || ['ObjectExpression', 'ArrayExpression', 'StringLiteral', 'NumericLiteral', 'BooleanLiteral', 'NullLiteral'].includes(m.value.type);
    return false;
  });
  if (!all) return undefined;
  const callable = cls.body.body.filter((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.kind === 'method' && !m.static && !m.computed && m.accessibility !== 'private' && m.accessibility !== 'protected');
  return new Set(callable.map((m) => (m.key.type === 'Identifier' ? m.key.name : m.key.type === 'StringLiteral' ? m.key.value : '')).filter(Boolean));
}

function objectOnlyLogs(o: t.ObjectExpression): Set<string> | undefined {
  const all = o.properties.length > 0 && o.properties.every((p) => {
    if (p.type === 'ObjectMethod') return p.kind === 'method' && onlyLogs(p, undefined);
    if (p.type !== 'ObjectProperty') return false;
    const v = unwrapTs(p.value);
    return !p.computed && (v.type === 'ArrowFunctionExpression' || v.type === 'FunctionExpression') && onlyLogs(v, undefined);
  });
  if (!all) return undefined;
  return new Set(o.properties.map((p) => ((p as t.ObjectProperty).key.type === 'Identifier' ? ((p as t.ObjectProperty).key as t.Identifier).name : '')).filter(Boolean));
}

/**
 * The methods of `name` in `mod` when it is a logger of the project's own: `new C()` of a class of that module whose
 * code only logs and sets its own fields, or an object whose functions only log; bound in the module or in a
 * relative module it imports (up to three re-exports away).
 */
export function projectLoggerMethods(index: ModuleIndex, mod: ModuleInfo, name: string, depth = 0): Set<string> | undefined {
  const imp = mod.imports.get(name);
  if (imp) {
    const target = depth < 3 ? index.importTarget(mod, imp.source) : undefined;
    const exported = target && imp.imported !== '*' ? target.exports.get(imp.imported) : undefined;
    if (!target || !exported) return undefined;
    // `export const logger = new Logger()` exports the initialiser itself.
    if (exported.node.type !== 'Identifier') return target.bindings.get(imp.imported)?.kind === 'const' ? loggerOf(target, exported.node) : undefined;
    return projectLoggerMethods(index, target, exported.node.name, depth + 1);
  }
  const binding = mod.bindings.get(name);
  if (!binding || binding.kind !== 'const' || binding.path.length || !binding.init) return undefined;
  return loggerOf(mod, binding.init);
}

function loggerOf(mod: ModuleInfo, node: t.Node): Set<string> | undefined {
  const init = unwrapTs(node);
  if (init.type === 'ObjectExpression') return objectOnlyLogs(init);
  if (init?.type !== 'NewExpression' || init.callee.type !== 'Identifier') return undefined;
  const cls = mod.bindings.get(init.callee.name);
  return cls?.kind === 'class' && cls.init?.type === 'ClassDeclaration' ? classOnlyLogs(cls.init) : undefined;
}
