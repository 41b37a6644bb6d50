// Which exports of a module are Lambda handlers, unwrapping middy(handler).use(…) chains.
import type * as t from '@babel/types';
import type { ExportTarget, ModuleIndex, ModuleInfo } from './moduleIndex.js';

export type HandlerFunction = t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration | t.ObjectMethod | t.ClassMethod;

export interface HandlerCandidate {
  exportName: string;
  /** Undefined when the handler is built by a call the analyser cannot see into (e.g. serverless-http). */
  fn?: HandlerFunction;
  target: ExportTarget;
  /** middy middleware package names, in order, when wrapped. */
  middleware?: string[];
  /** A wrapper call the analyser does not know (e.g. `wrap(handler)`). */
  unknownWrapper?: string;
  /** Looks like a Lambda handler by name or signature (reported even without DynamoDB calls). */
  handlerLike: boolean;
  /** A method of a class instance exported as the handler (`export const handler = instance.handler`). */
  classMethod?: ClassMethodHandler;
}

export interface ClassMethodHandler {
  className: string;
  /** The class: its other methods are what `this.m(…)` in the handler calls. */
  classNode: t.ClassDeclaration | t.ClassExpression;
  /** Decorators on the method, as written (`tracer.captureLambdaHandler()`). */
  decorators: Array<{ text: string; line: number; node: t.Decorator }>;
  /** Lines of the class and of the statement creating the instance (they go away with the handler). */
  ranges: Array<[number, number]>;
}

function isFunction(n: t.Node): n is HandlerFunction {
  return n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ObjectMethod';
}

function resolveLocalFunction(mod: ModuleInfo, node: t.Node): HandlerFunction | undefined {
  if (isFunction(node)) return node;
  if (node.type === 'Identifier') {
    const b = mod.bindings.get(node.name);
    if (b?.init && isFunction(b.init)) return b.init;
  }
  return undefined;
}

/** A function the module defines or imports by name, where it is defined (the project's own modules only). */
export type FunctionLookup = (mod: ModuleInfo, name: string) => { mod: ModuleInfo; fn: HandlerFunction } | undefined;

/** Functions of the module itself or exported by a project module it imports them from. */
export function projectFunctions(index: ModuleIndex): FunctionLookup {
  return (mod, name) => {
    const own = mod.bindings.get(name)?.init;
    if (own && isFunction(own)) return { mod, fn: own };
    const imp = mod.imports.get(name);
    const target = imp && imp.imported !== '*' ? index.importTarget(mod, imp.source) : undefined;
    const exported = target?.exports.get(imp!.imported);
    const fn = exported && resolveLocalFunction(target!, exported.node);
    return fn ? { mod: target!, fn } : undefined;
  };
}

/** `x.use(a()).use(b())` → x and the middleware packages, in order. */
function middyUses(mod: ModuleInfo, node: t.Node): { base: t.Node; middleware: string[] } {
  const middleware: string[] = [];
  let n = node;
  while (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && n.callee.property.type === 'Identifier' && n.callee.property.name === 'use') {
    for (const arg of n.arguments) {
      const call = arg.type === 'CallExpression' && arg.callee.type === 'Identifier' ? arg.callee.name : arg.type === 'Identifier' ? arg.name : '(inline)';
      middleware.unshift(mod.imports.get(call)?.source ?? call);
    }
    n = n.callee.object;
  }
  return { base: n, middleware };
}

const isMiddyCore = (mod: ModuleInfo, callee: string): boolean => /^(@middy\/core|middy)$/.test(mod.imports.get(callee)?.source ?? '');

/**
 * A wrapper of the project's own that only builds a middy chain on the function it is given
 * (`const middyfy = (handler) => middy(handler).use(jsonBodyParser())`, as the Serverless Framework's TypeScript
 * template writes it) → its middleware packages.
 */
function middyWrapperUses(wrapper: { mod: ModuleInfo; fn: HandlerFunction } | undefined): string[] | undefined {
  if (!wrapper || wrapper.fn.params.length !== 1 || wrapper.fn.params[0]!.type !== 'Identifier') return undefined;
  const param = wrapper.fn.params[0].name;
  const body = wrapper.fn.body;
  const returned = body.type !== 'BlockStatement' ? body : body.body.length === 1 && body.body[0]!.type === 'ReturnStatement' ? body.body[0].argument : undefined;
  if (!returned) return undefined;
  const { base, middleware } = middyUses(wrapper.mod, returned);
  const [arg] = base.type === 'CallExpression' ? base.arguments : [];
  const wraps = base.type === 'CallExpression' && base.callee.type === 'Identifier' && isMiddyCore(wrapper.mod, base.callee.name) && base.arguments.length === 1 && arg?.type === 'Identifier' && arg.name === param;
  return wraps ? middleware : undefined;
}

/** `middy(fn).use(a()).use(b())` → fn and the middleware packages. */
function unwrapMiddy(mod: ModuleInfo, node: t.Node, lookup?: FunctionLookup): { fn?: HandlerFunction; middleware: string[]; wrapper?: string } | undefined {
  const { base: n, middleware } = middyUses(mod, node);
  if (n.type === 'CallExpression' && n.callee.type === 'Identifier') {
    const arg = n.arguments[0];
    if (isMiddyCore(mod, n.callee.name) && arg) return { fn: resolveLocalFunction(mod, arg), middleware };
    // A wrapper of the project's own (`wrap(fn)`, `middyfy(schema, fn)`): the one function among its arguments.
    const fns = n.arguments.filter((a) => resolveLocalFunction(mod, a));
    if (fns.length === 1) {
      const fn = resolveLocalFunction(mod, fns[0]!);
      const uses = n.arguments.length === 1 ? middyWrapperUses(lookup?.(mod, n.callee.name)) : undefined;
      return uses ? { fn, middleware: [...uses, ...middleware] } : { fn, middleware, wrapper: n.callee.name };
    }
  }
  return undefined;
}

/**
 * `instance.method` or `instance.method.bind(instance)`, where the instance is `new C()` of a class of the same module
 * (a module binding, or inline) → the method and its class. Static methods, getters and setters are not handlers.
 */
function resolveClassMethod(mod: ModuleInfo, node: t.Node): { fn: t.ClassMethod; classMethod: ClassMethodHandler } | undefined {
  let member = node;
  if (member.type === 'CallExpression' && member.callee.type === 'MemberExpression' && !member.callee.computed && member.callee.property.type === 'Identifier' && member.callee.property.name === 'bind') {
    const [self] = member.arguments;
    const receiver = member.callee.object;
    // `.bind(x)` to another object would run the method with another `this`.
    if (!self || receiver.type !== 'MemberExpression' || mod.text.slice(self.start ?? 0, self.end ?? 0) !== mod.text.slice(receiver.object.start ?? 0, receiver.object.end ?? 0)) return undefined;
    member = receiver;
  }
  if (member.type !== 'MemberExpression' || member.computed || member.property.type !== 'Identifier') return undefined;
  const methodName = member.property.name;
  let instance: t.Node = member.object;
  const ranges: Array<[number, number]> = [];
  if (instance.type === 'Identifier') {
    const b = mod.bindings.get(instance.name);
    if (!b?.init || b.path.length) return undefined;
    ranges.push([b.decl.loc?.start.line ?? 0, b.decl.loc?.end.line ?? 0]);
    instance = b.init;
  }
  if (instance.type !== 'NewExpression' || instance.callee.type !== 'Identifier') return undefined;
  const cls = mod.bindings.get(instance.callee.name);
  const decl = cls?.init;
  if (!cls || (decl?.type !== 'ClassDeclaration' && decl?.type !== 'ClassExpression')) return undefined;
  const method = decl.body.body.find((m): m is t.ClassMethod => m.type === 'ClassMethod' && m.kind === 'method' && !m.static && !m.computed && m.key.type === 'Identifier' && m.key.name === methodName);
  if (!method) return undefined;
  ranges.push([cls.decl.loc?.start.line ?? 0, cls.decl.loc?.end.line ?? 0]);
  const decorators = (method.decorators ?? []).map((d) => ({ text: mod.text.slice(d.expression.start ?? 0, d.expression.end ?? 0), line: d.loc?.start.line ?? 0, node: d }));
  return { fn: method, classMethod: { className: instance.callee.name, classNode: decl, decorators, ranges } };
}

/** `require('./lib/create')`: a re-export of another module, whose own exports are its handlers. */
function isRequire(node: t.CallExpression): boolean {
  return node.callee.type === 'Identifier' && node.callee.name === 'require';
}

/** `export const handler: APIGatewayProxyHandlerV2 = …` → the annotation's text. */
export function exportTypeText(mod: ModuleInfo, target: ExportTarget): string | undefined {
  const stmt = target.stmt;
  const decl = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt;
  if (decl?.type !== 'VariableDeclaration') return undefined;
  for (const d of decl.declarations) {
    if (d.init === target.node && d.id.type === 'Identifier' && d.id.typeAnnotation?.type === 'TSTypeAnnotation') {
      const ann = d.id.typeAnnotation.typeAnnotation;
      return mod.text.slice(ann.start ?? 0, ann.end ?? 0);
    }
  }
  return undefined;
}

const EVENT_PARAM = /^_?(event|evt|e|req|request|input|payload|msg|message)$/;

/**
 * Reported even without DynamoDB calls (as `none`): functions that look like Lambda entry points. The first
 * parameter must look like an event (an event-like name or a destructuring pattern), and the name or the other
 * parameters must say "handler": named like one, or taking a context, or typed with aws-lambda types.
 */
function looksLikeHandler(name: string, fn: HandlerFunction, mod: ModuleInfo): boolean {
  const [first, second] = fn.params;
  if (!first || fn.params.length > 3) return false;
  const firstName = first.type === 'Identifier' ? first.name : undefined;
  if (firstName === 'event') return true;
  const eventLike = (firstName !== undefined && EVENT_PARAM.test(firstName)) || first.type === 'ObjectPattern';
  if (!eventLike) return false;
  if (/^(handler|main)$|handler$/i.test(name)) return true;
  if (second?.type === 'Identifier' && /^(context|ctx)$/.test(second.name)) return true;
  const annotation = first.type === 'Identifier' && first.typeAnnotation?.type === 'TSTypeAnnotation' ? mod.text.slice(first.typeAnnotation.start ?? 0, first.typeAnnotation.end ?? 0) : '';
  return /from ['"]aws-lambda['"]/.test(mod.text) && /Event|Request/.test(annotation);
}

/**
 * The module's handler candidates. `deployed`: the exports the infrastructure names as handlers of this module (e.g.
 * serverless `handler: src/users/handler.create`); each is a handler whatever its shape, e.g. every property of
 * `module.exports = { create, list }` the infrastructure names.
 */
export function findHandlers(mod: ModuleInfo, deployed: ReadonlySet<string> = new Set(), lookup?: FunctionLookup): HandlerCandidate[] {
  const out: HandlerCandidate[] = [];
  for (const [exportName, target] of mod.exports) {
    const node = target.node.type === 'TSAsExpression' || target.node.type === 'TSSatisfiesExpression' ? target.node.expression : target.node;
    const named = deployed.has(exportName);
    const fn = resolveLocalFunction(mod, node);
    if (fn) {
      out.push({ exportName, fn, target, handlerLike: named || looksLikeHandler(exportName, fn, mod) });
      continue;
    }
    const method = resolveClassMethod(mod, node);
    if (method) {
      out.push({ exportName, fn: method.fn, target, classMethod: method.classMethod, handlerLike: named || looksLikeHandler(exportName, method.fn, mod) });
      continue;
    }
    const wrapped = unwrapMiddy(mod, node, lookup);
    if (wrapped?.fn) {
      out.push({ exportName, fn: wrapped.fn, target, middleware: wrapped.middleware, unknownWrapper: wrapped.wrapper, handlerLike: true });
    } else if ((named || /handler/i.test(exportName)) && node.type === 'CallExpression' && !isRequire(node)) {
      const callee = node.callee.type === 'Identifier' ? node.callee.name : mod.text.slice(node.callee.start ?? 0, node.callee.end ?? 0);
      const source = node.callee.type === 'Identifier' ? mod.imports.get(node.callee.name)?.source : undefined;
      out.push({ exportName, target, unknownWrapper: source ? `${callee} (${source})` : callee, handlerLike: true });
    }
  }
  return out;
}
