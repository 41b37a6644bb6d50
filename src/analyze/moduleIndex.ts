// One module's top-level facts (imports, bindings, exports) and cross-file resolution of
// relative imports, so a client or helper defined in another project file can be followed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type * as t from '@babel/types';
import { ImportAliases } from '../discover/importAliases.js';
import { parseSource } from '../parse/parseSource.js';

export interface ImportBinding {
  source: string;
  /** 'default', '*' (namespace or whole CommonJS module) or the exported name. */
  imported: string;
  line: number;
}

/** A top-level (or function-local) variable: its initialiser and, when destructured, the property path into it. */
export interface Binding {
  kind: 'const' | 'let' | 'var' | 'function' | 'class' | 'param';
  init?: t.Node;
  path: string[];
  line: number;
  /** The whole declaration statement, for line counting. */
  decl: t.Node;
  /** TypeScript type annotation on the declared name, when any. */
  typeAnnotation?: t.TSType;
}

export interface ExportTarget {
  /** The exported value: a function, an identifier, or any expression. */
  node: t.Node;
  line: number;
  endLine: number;
  /** The statement that exports it (for line counts and removal). */
  stmt: t.Node;
}

export interface ModuleInfo {
  path: string;
  text: string;
  ast: t.File;
  imports: Map<string, ImportBinding>;
  bindings: Map<string, Binding>;
  exports: Map<string, ExportTarget>;
  /** Local type declarations (interface / type alias) by name. */
  types: Map<string, t.TSInterfaceDeclaration | t.TSTypeAliasDeclaration>;
  /** `export { a as b } from './x'` (b → source, a) and `export * as X from './x'` (X → source, '*'). */
  reexports: Map<string, { source: string; imported: string }>;
  /** `export * from './x'`: modules whose exports this one passes on, in order. */
  starExports: string[];
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/** Resolve a relative specifier the way TypeScript/Node do; undefined for packages or missing files. */
export function resolveRelative(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return existingFile(resolve(dirname(fromFile), specifier));
}

const aliases = new ImportAliases();

/**
 * The project file an import names: a relative specifier, or one the project maps to its own files (tsconfig
 * `paths`, a `file:` dependency); undefined for registry packages and missing files.
 */
export function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return resolveRelative(fromFile, specifier);
  for (const base of aliases.basesOf(fromFile, specifier)) {
    const file = existingFile(base);
    if (file) return file;
  }
  return undefined;
}

/** The file a module path without its extension names, tried as TypeScript/Node do. */
function existingFile(base: string): string | undefined {
  const candidates = [base];
  const swapped = base.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts').replace(/\.jsx$/, '.tsx');
  if (swapped !== base) candidates.push(swapped);
  for (const ext of EXTENSIONS) candidates.push(base + ext);
  for (const ext of EXTENSIONS) candidates.push(resolve(base, 'index' + ext));
  for (const c of candidates) {
    try {
      if (existsSync(c) && statSync(c).isFile()) return c;
    } catch {
      /* unreadable: treat as missing */
    }
  }
  return undefined;
}

function line(node: t.Node): number {
  return node.loc?.start.line ?? 0;
}
function endLine(node: t.Node): number {
  return node.loc?.end.line ?? 0;
}

function requireSource(node: t.Node | null | undefined): { source: string; member?: string } | undefined {
  if (!node) return undefined;
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') {
    const arg = node.arguments[0];
    if (arg?.type === 'StringLiteral') return { source: arg.value };
  }
  // `tracer.captureAWS(require('aws-sdk'))` (Powertools, X-Ray SDK): the SDK module, instrumented.
  if (node.type === 'CallExpression' && node.arguments.length === 1) {
    const c = node.callee;
    const name = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? c.property.name : undefined;
    if (name === 'captureAWS') return requireSource(node.arguments[0]);
  }
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    const inner = requireSource(node.object);
    if (inner && !inner.member) return { source: inner.source, member: node.property.name };
  }
  return undefined;
}

/** Names bound by a pattern, with the property path from the initialiser to each. */
export function patternBindings(pattern: t.Node, path: string[] = []): Array<{ name: string; path: string[]; node: t.Identifier; defaultValue?: t.Expression }> {
  switch (pattern.type) {
    case 'Identifier':
      return [{ name: pattern.name, path, node: pattern }];
    case 'ObjectPattern': {
      const out: Array<{ name: string; path: string[]; node: t.Identifier; defaultValue?: t.Expression }> = [];
      for (const prop of pattern.properties) {
        if (prop.type === 'RestElement') continue;
        const key = prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'StringLiteral' ? prop.key.value : undefined;
        if (key === undefined) continue;
        if (prop.value.type === 'AssignmentPattern') {
          for (const b of patternBindings(prop.value.left, [...path, key])) out.push({ ...b, defaultValue: prop.value.right });
        } else {
          out.push(...patternBindings(prop.value, [...path, key]));
        }
      }
      return out;
    }
    case 'AssignmentPattern':
      return patternBindings(pattern.left, path).map((b) => ({ ...b, defaultValue: pattern.right }));
    default:
      return [];
  }
}

function isModuleExports(node: t.Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    node.object.name === 'module' &&
    node.property.type === 'Identifier' &&
    node.property.name === 'exports'
  );
}

/** `exports.x` or `module.exports.x` → 'x'. */
function cjsExportName(node: t.Node): string | undefined {
  if (node.type !== 'MemberExpression' || node.computed || node.property.type !== 'Identifier') return undefined;
  if (node.object.type === 'Identifier' && node.object.name === 'exports') return node.property.name;
  if (isModuleExports(node.object)) return node.property.name;
  return undefined;
}

/**
 * The object a TypeScript enum is at run time, as an object literal (numeric members map back to their names), when
 * every member is a literal or follows a numeric one; undefined for an ambient enum or computed members.
 */
function enumObject(node: t.TSEnumDeclaration): t.ObjectExpression | undefined {
  if (node.declare) return undefined;
  const at = { start: node.start, end: node.end, loc: node.loc };
  const prop = (key: string, value: string | number): t.ObjectProperty => ({ type: 'ObjectProperty', key: { type: 'StringLiteral', value: key, ...at }, value: typeof value === 'number' ? { type: 'NumericLiteral', value, ...at } : { type: 'StringLiteral', value, ...at }, computed: false, shorthand: false, ...at } as t.ObjectProperty);
  const properties: t.ObjectProperty[] = [];
  let next: number | undefined = 0;
  for (const m of node.members) {
    const name = m.id.type === 'Identifier' ? m.id.name : m.id.value;
    const init = m.initializer;
    let value: string | number | undefined;
    if (!init) value = next;
    else if (init.type === 'NumericLiteral') value = init.value;
    else if (init.type === 'UnaryExpression' && init.operator === '-' && init.argument.type === 'NumericLiteral') value = -init.argument.value;
    else if (init.type === 'StringLiteral') value = init.value;
    if (value === undefined) return undefined;
    properties.push(prop(name, value));
    if (typeof value === 'number') properties.push(prop(String(value), name));
    next = typeof value === 'number' ? value + 1 : undefined;
  }
  return { type: 'ObjectExpression', properties, ...at } as t.ObjectExpression;
}

export function indexModule(path: string, text: string, ast: t.File): ModuleInfo {
  const info: ModuleInfo = { path, text, ast, imports: new Map(), bindings: new Map(), exports: new Map(), types: new Map(), reexports: new Map(), starExports: [] };
  const addVar = (decl: t.VariableDeclaration, stmt: t.Node) => {
    for (const d of decl.declarations) {
      const req = requireSource(d.init);
      if (req) {
        if (d.id.type === 'Identifier') {
          info.imports.set(d.id.name, { source: req.source, imported: req.member ?? '*', line: line(d) });
        } else if (d.id.type === 'ObjectPattern') {
          for (const b of patternBindings(d.id)) {
            if (b.path.length === 1) info.imports.set(b.name, { source: req.source, imported: req.member ? `${req.member}.${b.path[0]}` : b.path[0]!, line: line(d) });
          }
        }
        continue;
      }
      for (const b of patternBindings(d.id)) {
        const typeAnnotation = b.node.typeAnnotation?.type === 'TSTypeAnnotation' ? b.node.typeAnnotation.typeAnnotation : undefined;
        info.bindings.set(b.name, { kind: decl.kind as Binding['kind'], init: d.init ?? undefined, path: b.path, line: line(d), decl: stmt, typeAnnotation });
      }
    }
  };
  const addDecl = (node: t.Node, stmt: t.Node) => {
    if (node.type === 'VariableDeclaration') addVar(node, stmt);
    else if (node.type === 'FunctionDeclaration' && node.id) info.bindings.set(node.id.name, { kind: 'function', init: node, path: [], line: line(node), decl: stmt });
    else if (node.type === 'ClassDeclaration' && node.id) info.bindings.set(node.id.name, { kind: 'class', init: node, path: [], line: line(node), decl: stmt });
    else if (node.type === 'TSInterfaceDeclaration' || node.type === 'TSTypeAliasDeclaration') info.types.set(node.id.name, node);
    else if (node.type === 'TSEnumDeclaration') {
      const init = enumObject(node);
      if (init) info.bindings.set(node.id.name, { kind: 'const', init, path: [], line: line(node), decl: stmt });
    }
  };
  const exportLocal = (name: string, local: string, stmt: t.Node) => {
    const b = info.bindings.get(local);
    const node = b?.init ?? stmt;
    info.exports.set(name, { node: b?.kind === 'function' || b?.init ? node : ({ type: 'Identifier', name: local } as t.Identifier), line: line(b?.decl ?? stmt), endLine: endLine(b?.decl ?? stmt), stmt: b?.decl ?? stmt });
  };
  const pendingLocalExports: Array<[string, string, t.Node]> = [];

  for (const stmt of ast.program.body) {
    switch (stmt.type) {
      case 'ImportDeclaration':
        if (stmt.importKind === 'type') break;
        for (const s of stmt.specifiers) {
          if (s.type === 'ImportSpecifier' && s.importKind === 'type') continue;
          const imported =
            s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
          info.imports.set(s.local.name, { source: stmt.source.value, imported, line: line(stmt) });
        }
        break;
      case 'ExportNamedDeclaration':
        if (stmt.declaration) {
          addDecl(stmt.declaration, stmt);
          const d = stmt.declaration;
          if (d.type === 'VariableDeclaration') {
            for (const v of d.declarations) {
              for (const b of patternBindings(v.id)) {
                if (v.init) info.exports.set(b.name, { node: v.init, line: line(stmt), endLine: endLine(stmt), stmt });
              }
            }
          } else if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) {
            info.exports.set(d.id.name, { node: d, line: line(stmt), endLine: endLine(stmt), stmt });
          } else if (d.type === 'TSEnumDeclaration') {
            const init = info.bindings.get(d.id.name)?.init;
            if (init) info.exports.set(d.id.name, { node: init, line: line(stmt), endLine: endLine(stmt), stmt });
          }
        } else if (stmt.source) {
          if (stmt.exportKind === 'type') break;
          for (const s of stmt.specifiers) {
            if (s.type === 'ExportSpecifier' && s.exportKind === 'type') continue;
            const exported = s.exported.type === 'Identifier' ? s.exported.name : s.exported.value;
            const imported = s.type === 'ExportNamespaceSpecifier' ? '*' : s.type === 'ExportDefaultSpecifier' ? 'default' : s.local.name;
            info.reexports.set(exported, { source: stmt.source.value, imported });
          }
        } else {
          for (const s of stmt.specifiers) {
            if (s.type !== 'ExportSpecifier' || s.exportKind === 'type') continue;
            const exported = s.exported.type === 'Identifier' ? s.exported.name : s.exported.value;
            pendingLocalExports.push([exported, s.local.name, stmt]);
          }
        }
        break;
      case 'ExportAllDeclaration':
        if (stmt.exportKind !== 'type') info.starExports.push(stmt.source.value);
        break;
      case 'ExportDefaultDeclaration': {
        const d = stmt.declaration;
        if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) addDecl(d, stmt);
        if (d.type === 'Identifier') pendingLocalExports.push(['default', d.name, stmt]);
        else info.exports.set('default', { node: d, line: line(stmt), endLine: endLine(stmt), stmt });
        break;
      }
      case 'ExpressionStatement': {
        const e = stmt.expression;
        if (e.type === 'AssignmentExpression' && e.operator === '=') {
          const name = cjsExportName(e.left);
          if (name) {
            if (e.right.type === 'Identifier') pendingLocalExports.push([name, e.right.name, stmt]);
            else info.exports.set(name, { node: e.right, line: line(stmt), endLine: endLine(stmt), stmt });
          } else if (isModuleExports(e.left) && e.right.type === 'ObjectExpression') {
            for (const p of e.right.properties) {
              if (p.type === 'SpreadElement') continue;
              const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'StringLiteral' ? p.key.value : undefined;
              if (!key) continue;
              if (p.type === 'ObjectMethod') info.exports.set(key, { node: p, line: line(p), endLine: endLine(p), stmt: p });
              else if (p.value.type === 'Identifier') pendingLocalExports.push([key, p.value.name, stmt]);
              else info.exports.set(key, { node: p.value, line: line(p), endLine: endLine(p), stmt: p });
            }
          } else if (isModuleExports(e.left)) {
            if (e.right.type === 'Identifier') pendingLocalExports.push(['module.exports', e.right.name, stmt]);
            else info.exports.set('module.exports', { node: e.right, line: line(stmt), endLine: endLine(stmt), stmt });
          }
        }
        break;
      }
      default:
        addDecl(stmt, stmt);
    }
  }
  for (const [name, local, stmt] of pendingLocalExports) exportLocal(name, local, stmt);
  return info;
}

/** Parses project modules on demand (for cross-file clients and helpers) and caches them. */
export class ModuleIndex {
  private readonly cache = new Map<string, ModuleInfo | null>();

  add(info: ModuleInfo): void {
    this.cache.set(info.path, info);
  }

  /** Forget a module no other one is expected to import (its syntax tree is most of a scan's memory); `get` would parse it again. */
  release(path: string): void {
    this.cache.delete(path);
  }

  get(path: string): ModuleInfo | undefined {
    if (!this.cache.has(path)) {
      let info: ModuleInfo | null = null;
      try {
        const text = readFileSync(path, 'utf8');
        const parsed = parseSource(text, path);
        if (parsed.ok) info = indexModule(path, text, parsed.ast);
      } catch {
        info = null;
      }
      this.cache.set(path, info);
    }
    return this.cache.get(path) ?? undefined;
  }

  /** The module an import points at, when it is a parseable project file. */
  importTarget(from: ModuleInfo, source: string): ModuleInfo | undefined {
    const target = resolveImport(from.path, source);
    return target ? this.get(target) : undefined;
  }
}
