// Where a handler hands its DynamoDB work to project code the lifter does not follow (a class instance, a
// promise-returning method, a module it cannot inline): the first such call, so the finding names its cause
// instead of saying the handler has no DynamoDB call.
import type * as t from '@babel/types';
import { relative, dirname } from 'node:path';
import type { ModuleIndex, ModuleInfo } from './moduleIndex.js';

const DYNAMO_PACKAGE = /^(@aws-sdk\/(client-dynamodb|lib-dynamodb)|aws-sdk(\/clients\/dynamodb)?|dynamoose|electrodb|dynamodb-toolbox)$/;

const ODM_PACKAGE = /^(dynamoose|electrodb|dynamodb-toolbox|@typedorm\/core|dynamodb-onetable)(\/.*)?$/;

export interface DelegatedCall {
  line: number;
  /** The call as written, shortened. */
  code: string;
  /** The project module (relative to the handler's folder) that talks to DynamoDB. */
  module: string;
  /** What the call goes through: a class instance, a function of that module, an ODM's models, or a layer's code. */
  through: 'instance' | 'function' | 'odm' | 'layer';
}

/** Does the module, or a project module it imports (a few levels down), use a DynamoDB client library? */
function touchesDynamo(mod: ModuleInfo, index: ModuleIndex, depth: number, seen: Set<string>): ModuleInfo | undefined {
  if (seen.has(mod.path)) return undefined;
  seen.add(mod.path);
  const sources = new Set([...mod.imports.values()].map((b) => b.source));
  const aws = [...sources].some((s) => DYNAMO_PACKAGE.test(s));
  // The v2 SDK serves every service: only its DynamoDB clients count.
  if (aws && (!sources.has('aws-sdk') || /\bDynamoDB\b|DocumentClient/.test(mod.text))) return mod;
  if (depth >= 3) return undefined;
  for (const s of sources) {
    const target = index.importTarget(mod, s);
    if (target && touchesDynamo(target, index, depth + 1, seen)) return target;
  }
  return undefined;
}

function rootIdentifier(n: t.Node): string | undefined {
  let x = n;
  while (x.type === 'MemberExpression' || x.type === 'OptionalMemberExpression' || x.type === 'CallExpression' || x.type === 'OptionalCallExpression' || x.type === 'NewExpression' || x.type === 'AwaitExpression') {
    x = x.type === 'AwaitExpression' ? x.argument : x.type === 'CallExpression' || x.type === 'OptionalCallExpression' || x.type === 'NewExpression' ? x.callee : x.object;
  }
  return x.type === 'Identifier' ? x.name : undefined;
}

/** The first call in `fn` whose callee comes, directly or through an instance `new X(…)`, from a DynamoDB-using project module. */
export function delegatedDynamoCall(fn: t.Node, mod: ModuleInfo, index: ModuleIndex, isClient: (name: string) => boolean): DelegatedCall | undefined {
  const locals = new Map<string, t.Node>();
  const collect = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) locals.set(node.id.name, node.init);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object' && 'type' in v) collect(v);
    }
  };
  collect(fn);
  const origin = (name: string, depth = 0): { module: string; through: DelegatedCall['through'] } | undefined => {
    const init = locals.get(name) ?? mod.bindings.get(name)?.init;
    // `new Broadcaster(ddb, …)`: an instance handed a DynamoDB client uses it in its methods.
    if (init?.type === 'NewExpression' && init.arguments.some((a) => a.type === 'Identifier' && isClient(a.name))) {
      const cls = rootIdentifier(init.callee);
      const imported = cls ? mod.imports.get(cls) : undefined;
      const user = (imported && index.importTarget(mod, imported.source)) || mod;
      return { module: relative(dirname(mod.path), user.path) || user.path, through: 'instance' };
    }
    if (init && depth < 4) {
      const root = rootIdentifier(init);
      const found = root && root !== name ? origin(root, depth + 1) : undefined;
      if (found) return { ...found, through: found.through === 'function' && init.type === 'NewExpression' ? 'instance' : found.through };
    }
    const imported = mod.imports.get(name);
    // An ODM's models and a layer's modules (only on the function's file system) are code the lifter cannot follow.
    if (imported && ODM_PACKAGE.test(imported.source)) return { module: imported.source, through: 'odm' };
    if (imported && imported.source.startsWith('/opt/')) return { module: imported.source, through: 'layer' };
    const target = imported ? index.importTarget(mod, imported.source) : undefined;
    const user = target && touchesDynamo(target, index, 0, new Set());
    return user ? { module: relative(dirname(mod.path), user.path) || user.path, through: 'function' } : undefined;
  };
  let hit: DelegatedCall | undefined;
  const visit = (n: unknown): void => {
    if (hit || !n || typeof n !== 'object') return;
    const node = n as t.Node;
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      const root = rootIdentifier(node.callee);
      const found = root ? origin(root) : undefined;
      if (found) {
        const code = mod.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
        const through = node.type === 'NewExpression' && found.through === 'function' ? 'instance' : found.through;
        hit = { line: node.loc?.start.line ?? 0, code: code.length > 60 ? `${code.slice(0, 57)}...` : code, module: found.module, through };
        return;
      }
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && 'type' in v) visit(v);
    }
  };
  visit(fn);
  return hit;
}
