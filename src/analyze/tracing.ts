// X-Ray tracing wrappers: Powertools `Tracer` and the X-Ray SDK. They instrument a value and hand the same value back.
import type * as t from '@babel/types';
import type { ModuleInfo } from './moduleIndex.js';

const POWERTOOLS_TRACER = '@aws-lambda-powertools/tracer';
const XRAY_SDK = /^aws-xray-sdk(-core)?$/;

/** Methods whose result is their argument, traced: the SDK module, a v2 client, a v3 client. */
export const CLIENT_WRAPPERS = new Set(['captureAWS', 'captureAWSClient', 'captureAWSv3Client']);

/** Is `node` a Powertools Tracer instance (`new Tracer(…)` bound at module level) or the X-Ray SDK module? */
export function isTracer(mod: ModuleInfo, node: t.Node): boolean {
  if (node.type !== 'Identifier') return false;
  const imp = mod.imports.get(node.name);
  if (imp) return XRAY_SDK.test(imp.source) && (imp.imported === 'default' || imp.imported === '*');
  const init = mod.bindings.get(node.name)?.init;
  if (init?.type !== 'NewExpression' || init.callee.type !== 'Identifier') return false;
  const ctor = mod.imports.get(init.callee.name);
  return ctor?.source === POWERTOOLS_TRACER && ctor.imported === 'Tracer';
}

/**
 * `tracer.captureAWSClient(x)`, `AWSXRay.captureAWSv3Client(x)`, `captureAWSv3Client(x)` (imported from the X-Ray SDK)
 * → x; undefined for any other call.
 */
export function tracedValue(mod: ModuleInfo, call: t.Node): t.Node | undefined {
  if (call.type !== 'CallExpression' || call.arguments.length !== 1) return undefined;
  const arg = call.arguments[0]!;
  if (arg.type === 'SpreadElement' || arg.type === 'ArgumentPlaceholder') return undefined;
  const callee = call.callee;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && CLIENT_WRAPPERS.has(callee.property.name) && isTracer(mod, callee.object)) return arg;
  if (callee.type === 'Identifier') {
    const imp = mod.imports.get(callee.name);
    if (imp && XRAY_SDK.test(imp.source) && CLIENT_WRAPPERS.has(imp.imported)) return arg;
  }
  return undefined;
}

/** `@tracer.captureLambdaHandler()` / `@tracer.captureMethod()` of a Powertools Tracer: tracing only. */
export function isTracingDecorator(mod: ModuleInfo, d: t.Decorator): boolean {
  const e = d.expression;
  if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression' || e.callee.computed || e.callee.property.type !== 'Identifier') return false;
  return /^(captureLambdaHandler|captureMethod)$/.test(e.callee.property.name) && isTracer(mod, e.callee.object);
}
