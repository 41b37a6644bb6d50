// Which findings are helpers a handler calls, not handlers of their own.
import { resolve } from 'node:path';
import type * as t from '@babel/types';
import { resolveImport, type ModuleInfo } from '../analyze/moduleIndex.js';
import type { Finding } from '../report/types.js';

/**
 * Exported under a handler's name: `handler` itself, `main` (the Serverless Framework's TypeScript template deploys
 * `handler.main`) or a name ending in `Handler` (`connectHandler`).
 */
export function isHandlerName(name: string): boolean {
  return name === 'handler' || name === 'main' || /.Handler$/.test(name);
}

/**
 * What the library walk needs of one parsed module, kept instead of the module so that its syntax tree can be
 * released as soon as its handlers are analysed: a scan parses hundreds of modules.
 */
export interface LibraryFacts {
  path: string;
  /** Imports in the module's order: local name, specifier, imported name. */
  imports: Array<{ local: string; source: string; imported: string }>;
  /** Local names exported as they are (`export { a }`, `export default a`). */
  exportedLocals: Set<string>;
  /** Specifiers of `export * from './x'` and `export { a } from './x'` (type-only ones excluded). */
  reexportSources: string[];
}

export function libraryFacts(mod: ModuleInfo): LibraryFacts {
  const reexportSources: string[] = [];
  for (const stmt of mod.ast.program.body) {
    const source = stmt.type === 'ExportAllDeclaration' || stmt.type === 'ExportNamedDeclaration' ? (stmt as t.ExportAllDeclaration | t.ExportNamedDeclaration).source : undefined;
    if (!source || (stmt as t.ExportNamedDeclaration).exportKind === 'type') continue;
    reexportSources.push(source.value);
  }
  const exportedLocals = new Set<string>();
  for (const e of mod.exports.values()) if (e.node.type === 'Identifier') exportedLocals.add(e.node.name);
  return { path: mod.path, imports: [...mod.imports].map(([local, imp]) => ({ local, source: imp.source, imported: imp.imported })), exportedLocals, reexportSources };
}

/** Modules `mod` imports or re-exports from (relative specifiers that name a project file; `import type` excluded). */
function importedModules(mod: LibraryFacts): string[] {
  const out = new Set<string>();
  for (const imp of mod.imports) {
    const target = resolveImport(mod.path, imp.source);
    if (target && target !== mod.path) out.add(target);
  }
  // `export * from './x'` and `export { a } from './x'` are not imports, but a barrel passes its handler's reach on.
  for (const source of mod.reexportSources) {
    const target = resolveImport(mod.path, source);
    if (target && target !== mod.path) out.add(target);
  }
  return [...out];
}

/**
 * A handler is what the infrastructure deploys or what is shaped like one, never a helper it calls. A module that a
 * handler's module imports, directly or through the modules it imports, is a library: its exports are kept only when
 * the infrastructure deploys them, or when they are exported under a handler's name and no handler's module imports
 * them by name (an export imported to be called is a callee whatever its name). A test or script importing a handler
 * changes nothing: only modules with a handler's finding start the walk.
 */
export function dropLibraryExports(findings: Finding[], modules: LibraryFacts[], root: string): void {
  // The walk starts from handlers (deployed, or named like one): a callee with a finding of its own (it reaches
  // DynamoDB through the modules it calls) is not one.
  const handlerFiles = new Set(findings.filter((f) => f.deployment || isHandlerName(f.export)).map((f) => resolve(root, f.file)));
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const calledByName = new Set<string>();
  const library = new Set<string>();
  const queue: string[] = [];
  for (const mod of modules) {
    if (!handlerFiles.has(mod.path)) continue;
    for (const imp of mod.imports) {
      const target = resolveImport(mod.path, imp.source);
      if (target && target !== mod.path && !mod.exportedLocals.has(imp.local)) calledByName.add(`${target}#${imp.imported.split('.')[0]}`);
    }
    for (const target of importedModules(mod)) queue.push(target);
  }
  // One walk over the modules the scan parsed (every module on a path to a candidate is one); nothing is read again.
  while (queue.length) {
    const path = queue.pop()!;
    if (library.has(path)) continue;
    library.add(path);
    const mod = byPath.get(path);
    if (mod) queue.push(...importedModules(mod));
  }
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]!;
    if (f.deployment) continue;
    const abs = resolve(root, f.file);
    const called = calledByName.has(`${abs}#${f.export}`) || calledByName.has(`${abs}#*`);
    if (called || (library.has(abs) && !isHandlerName(f.export))) findings.splice(i, 1);
  }
}
