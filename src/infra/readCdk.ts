// AWS CDK apps in TypeScript/JavaScript: `new lambda.Function(…)` and `new NodejsFunction(…)` with the values
// written literally (handler, code/entry, memorySize, timeout, architecture, environment) and the API routes
// wired with `resource.addMethod(M, new LambdaIntegration(fn))` or `httpApi.addRoutes({ … })`.
// Values the reader cannot evaluate statically are left out, never guessed.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as t from '@babel/types';
import { parseSource } from '../parse/parseSource.js';
import type { Deployment } from '../report/types.js';
import { dropUndefined } from './readSam.js';
import { relPath, splitHandler, stripExt } from './paths.js';
import { withDefaults, type DeployedFunction } from './types.js';

const LAMBDA_MODULES = new Set(['aws-cdk-lib/aws-lambda', '@aws-cdk/aws-lambda']);

/** True when a source file is likely a CDK app or stack (cheap text test before parsing). */
export function looksLikeCdk(text: string): boolean {
  return /from\s+['"](?:aws-cdk-lib|@aws-cdk\/)|require\(\s*['"](?:aws-cdk-lib|@aws-cdk\/)/.test(text);
}

export function readCdk(text: string, absFile: string, root: string): DeployedFunction[] {
  const parsed = parseSource(text, absFile);
  if (!parsed.ok) throw new Error(parsed.message + (parsed.line ? ` (line ${parsed.line})` : ''));
  const ctx = new CdkContext(text, absFile, root);
  walk(parsed.ast.program, (n) => ctx.visit(n));
  walk(parsed.ast.program, (n) => ctx.visitRoutes(n));
  return ctx.functions.map((f) => ({ ...f, deployment: dropUndefined({ ...f.deployment, routes: f.deployment.routes?.length ? f.deployment.routes : undefined }) }));
}

class CdkContext {
  readonly functions: DeployedFunction[] = [];
  /** Variable (or `this.x` property) name → its initialiser. */
  private readonly vars = new Map<string, t.Node>();
  /** Local names bound to the aws-lambda module namespace or to its `Function` class. */
  private readonly lambdaNamespaces = new Set<string>();
  private readonly lambdaFunctionNames = new Set<string>();
  private readonly byNode = new Map<t.Node, DeployedFunction>();
  private readonly appDir: string;

  constructor(private readonly text: string, private readonly absFile: string, private readonly root: string) {
    // CDK resolves relative asset paths against the app's working folder: the one holding cdk.json.
    let dir = dirname(absFile);
    while (!existsSync(join(dir, 'cdk.json')) && dir.startsWith(root) && dir !== root) dir = dirname(dir);
    this.appDir = existsSync(join(dir, 'cdk.json')) ? dir : root;
  }

  visit(n: t.Node): void {
    if (n.type === 'ImportDeclaration' && LAMBDA_MODULES.has(n.source.value)) {
      for (const s of n.specifiers) {
        if (s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier') this.lambdaNamespaces.add(s.local.name);
        else if (s.type === 'ImportSpecifier' && name(s.imported) === 'Function') this.lambdaFunctionNames.add(s.local.name);
      }
      if (n.specifiers.length === 0) return;
    }
    if (n.type === 'ImportDeclaration' && n.source.value === 'aws-cdk-lib') {
      for (const s of n.specifiers) if (s.type === 'ImportSpecifier' && name(s.imported) === 'aws_lambda') this.lambdaNamespaces.add(s.local.name);
    }
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) this.vars.set(n.id.name, n.init);
    if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && n.left.object.type === 'ThisExpression' && n.left.property.type === 'Identifier') {
      this.vars.set(`this.${n.left.property.name}`, n.right);
    }
    if (n.type === 'NewExpression') this.readFunction(n);
  }

  private isFunctionClass(callee: t.Node): 'function' | 'nodejs' | undefined {
    if (callee.type === 'Identifier') {
      if (callee.name === 'NodejsFunction') return 'nodejs';
      if (this.lambdaFunctionNames.has(callee.name)) return 'function';
    }
    if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') {
      if (callee.property.name === 'NodejsFunction') return 'nodejs';
      if (callee.property.name === 'Function' && callee.object.type === 'Identifier' && this.lambdaNamespaces.has(callee.object.name)) return 'function';
    }
    return undefined;
  }

  private readFunction(n: t.NewExpression): void {
    const kind = this.isFunctionClass(n.callee);
    if (!kind) return;
    const [, idArg, propsArg] = n.arguments;
    const props = propsArg?.type === 'ObjectExpression' ? propsArg : undefined;
    // A NodejsFunction may take no props at all (its entry is then derived from its id, below).
    if (!props && !(kind === 'nodejs' && !propsArg)) return;
    const prop = (key: string) => props?.properties.find((p): p is t.ObjectProperty => p.type === 'ObjectProperty' && name(p.key) === key)?.value;
    let handlerModule: string | undefined;
    let handlerExport: string | undefined;
    if (kind === 'nodejs') {
      // Without `entry`, NodejsFunction bundles `<defining file>.<construct id>.ts` (or .js) beside the defining file.
      const id = this.evalString(idArg);
      const entry = prop('entry') ? this.evalPath(prop('entry')) : id ? `${stripExt(this.absFile)}.${id}.ts` : undefined;
      const handler = this.evalString(prop('handler')) ?? 'handler';
      if (!entry) return;
      handlerModule = stripExt(entry);
      // NodejsFunction's handler is the export name (a dotted value names file.export, as with lambda.Function).
      handlerExport = handler.includes('.') ? splitHandler(handler).exportName : handler;
    } else {
      const handler = this.evalString(prop('handler'));
      const code = prop('code');
      if (!handler?.includes('.') || code?.type !== 'CallExpression' || code.callee.type !== 'MemberExpression' || name(code.callee.property) !== 'fromAsset') return;
      const asset = this.evalPath(code.arguments[0]);
      if (!asset) return;
      const split = splitHandler(handler);
      handlerModule = resolve(asset, split.module);
      handlerExport = split.exportName;
    }
    const envNode = prop('environment');
    const envValues: Record<string, unknown> = {};
    const environment: Record<string, string> = {};
    if (envNode?.type === 'ObjectExpression') {
      for (const p of envNode.properties) {
        if (p.type !== 'ObjectProperty') continue;
        const key = name(p.key);
        if (!key) continue;
        const literal = this.evalString(p.value);
        const code = this.text.slice(p.value.start ?? 0, p.value.end ?? 0);
        envValues[key] = literal ?? { code };
        environment[key] = literal ?? code;
      }
    }
    const deployment: Deployment = {
      iac: 'cdk',
      file: relPath(this.root, this.absFile),
      resource: this.evalString(idArg) ?? '(unnamed construct)',
      line: n.loc?.start.line,
      memoryMb: numberValue(prop('memorySize')),
      timeoutS: durationSeconds(prop('timeout')),
      architecture: architecture(prop('architecture')),
      environment: Object.keys(environment).length ? environment : undefined,
      routes: [],
    };
    const set = { memoryMb: prop('memorySize') !== undefined, timeoutS: prop('timeout') !== undefined, architecture: prop('architecture') !== undefined };
    const fn: DeployedFunction = { deployment: withDefaults(deployment, set), absFile: this.absFile, handlerModule, handlerExport, envValues };
    this.functions.push(fn);
    this.byNode.set(n, fn);
  }

  visitRoutes(n: t.Node): void {
    if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return;
    const method = name(n.callee.property);
    if (method === 'addMethod') {
      const verb = this.evalString(n.arguments[0]);
      const path = this.resourcePath(n.callee.object);
      const fn = this.integrationTarget(n.arguments[1], 'LambdaIntegration', 0);
      if (verb && path && fn) fn.deployment.routes!.push({ api: 'rest', method: verb.toUpperCase(), path });
    }
    if (method === 'addRoutes' && n.arguments[0]?.type === 'ObjectExpression') {
      const o = n.arguments[0];
      const get = (k: string) => o.properties.find((p): p is t.ObjectProperty => p.type === 'ObjectProperty' && name(p.key) === k)?.value;
      const path = this.evalString(get('path'));
      const fn = this.integrationTarget(get('integration'), 'HttpLambdaIntegration', 1);
      const methods = get('methods');
      if (!path || !fn) return;
      const verbs = methods?.type === 'ArrayExpression' ? methods.elements.map((e) => (e?.type === 'MemberExpression' ? name(e.property) : undefined)) : ['ANY'];
      for (const v of verbs) if (v) fn.deployment.routes!.push({ api: 'http', method: v.toUpperCase(), path });
    }
  }

  private deref(n: t.Node | undefined, depth = 0): t.Node | undefined {
    if (!n || depth > 20) return n;
    if (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression') return this.deref(n.expression, depth + 1);
    if (n.type === 'Identifier' && this.vars.has(n.name)) return this.deref(this.vars.get(n.name), depth + 1);
    if (n.type === 'MemberExpression' && n.object.type === 'ThisExpression' && n.property.type === 'Identifier' && this.vars.has(`this.${n.property.name}`)) {
      return this.deref(this.vars.get(`this.${n.property.name}`), depth + 1);
    }
    return n;
  }

  private integrationTarget(arg: t.Node | undefined, cls: string, fnIndex: number): DeployedFunction | undefined {
    const n = this.deref(arg);
    if (n?.type !== 'NewExpression') return undefined;
    const callee = n.callee.type === 'MemberExpression' ? name(n.callee.property) : n.callee.type === 'Identifier' ? n.callee.name : undefined;
    if (callee !== cls) return undefined;
    const target = this.deref(n.arguments[fnIndex]);
    return target ? this.byNode.get(target) : undefined;
  }

  /** `api.root` → "/", `.addResource('x')` → "…/x", `.resourceForPath('a/b')`, through variables. */
  private resourcePath(node: t.Node, depth = 0): string | undefined {
    if (depth > 30) return undefined;
    const n = this.deref(node);
    if (!n) return undefined;
    if (n.type === 'MemberExpression' && name(n.property) === 'root') return '/';
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') {
      const m = name(n.callee.property);
      const seg = this.evalString(n.arguments[0]);
      if ((m === 'addResource' || m === 'resourceForPath') && seg !== undefined) {
        const parent = this.resourcePath(n.callee.object, depth + 1);
        if (parent === undefined) return undefined;
        return `${parent.replace(/\/$/, '')}/${seg.replace(/^\//, '')}`;
      }
    }
    return undefined;
  }

  private evalString(n: t.Node | undefined): string | undefined {
    const d = this.deref(n);
    if (d?.type === 'StringLiteral') return d.value;
    if (d?.type === 'TemplateLiteral' && d.expressions.length === 0) return d.quasis.map((q) => q.value.cooked ?? '').join('');
    return undefined;
  }

  /** A path argument: a literal (relative to the CDK app folder) or path.join/resolve(__dirname, '…'). */
  private evalPath(n: t.Node | undefined): string | undefined {
    const d = this.deref(n);
    if (!d) return undefined;
    const literal = this.evalString(d);
    if (literal !== undefined) return resolve(this.appDir, literal);
    if (d.type === 'CallExpression') {
      const callee = d.callee.type === 'MemberExpression' ? name(d.callee.property) : d.callee.type === 'Identifier' ? d.callee.name : undefined;
      if (callee !== 'join' && callee !== 'resolve') return undefined;
      const parts: string[] = [];
      for (const a of d.arguments) {
        if (a.type === 'Identifier' && a.name === '__dirname') parts.push(dirname(this.absFile));
        else {
          const s = this.evalString(a);
          if (s === undefined) return undefined;
          parts.push(s);
        }
      }
      if (parts[0] && !parts[0].startsWith('/')) parts.unshift(this.appDir);
      return resolve(...parts);
    }
    if (d.type === 'TemplateLiteral' && d.expressions.length === 1 && d.expressions[0]!.type === 'Identifier' && d.expressions[0]!.name === '__dirname' && d.quasis[0]!.value.cooked === '') {
      return resolve(dirname(this.absFile) + (d.quasis[1]!.value.cooked ?? ''));
    }
    return undefined;
  }
}

function name(n: t.Node | undefined | null): string | undefined {
  if (!n) return undefined;
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'StringLiteral') return n.value;
  return undefined;
}

function numberValue(n: t.Node | undefined): number | undefined {
  return n?.type === 'NumericLiteral' ? n.value : undefined;
}

function durationSeconds(n: t.Node | undefined): number | undefined {
  if (n?.type !== 'CallExpression' || n.callee.type !== 'MemberExpression') return undefined;
  const unit = name(n.callee.property);
  const v = numberValue(n.arguments[0]);
  if (v === undefined) return undefined;
  return unit === 'seconds' ? v : unit === 'minutes' ? v * 60 : unit === 'millis' ? v / 1000 : undefined;
}

function architecture(n: t.Node | undefined): Deployment['architecture'] {
  const v = n?.type === 'MemberExpression' ? name(n.property) : undefined;
  return v === 'ARM_64' ? 'arm64' : v === 'X86_64' ? 'x86_64' : undefined;
}

/** Visits every AST node once, parents before children. */
function walk(node: t.Node, visit: (n: t.Node) => void): void {
  visit(node);
  for (const key of Object.keys(node) as Array<keyof t.Node>) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    const v = node[key] as unknown;
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as t.Node).type === 'string') walk(c as t.Node, visit);
    } else if (v && typeof v === 'object' && typeof (v as t.Node).type === 'string') walk(v as t.Node, visit);
  }
}
