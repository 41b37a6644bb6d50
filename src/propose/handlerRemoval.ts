// What happens to the handler's source when its function goes: delete the file, or only the export when the file
// has other users (another module imports it, or another function deploys another export of it).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import fg from 'fast-glob';
import type * as t from '@babel/types';
import { ALWAYS_SKIPPED_DIRS, SOURCE_EXTENSIONS } from '../discover/discoverFiles.js';
import { relPath, stripExt } from '../infra/paths.js';
import type { InfrastructureModel } from '../infra/types.js';
import { parseSource } from '../parse/parseSource.js';
import type { Finding } from '../report/types.js';
import type { FileChange, FileView } from './types.js';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Source files (relative to the root) that import the given module, by relative specifier. */
export async function importersOf(root: string, absModule: string, view: FileView): Promise<string[]> {
  const files = await fg(`**/*.{${SOURCE_EXTENSIONS.join(',')}}`, {
    cwd: root,
    absolute: true,
    ignore: ALWAYS_SKIPPED_DIRS.flatMap((d) => [`**/${d}`, `**/${d}/**`]),
    suppressErrors: true,
  });
  const target = stripExt(absModule);
  const out: string[] = [];
  for (const file of files) {
    if (stripExt(file) === target) continue;
    const text = view(relPath(root, file)) ?? (await readFile(file, 'utf8').catch(() => ''));
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = resolve(dirname(file), m[1]!);
      if (stripExt(spec) === target || spec === target || stripExt(spec.replace(/\/index$/, '')) === target) {
        out.push(relPath(root, file));
        break;
      }
    }
  }
  return out.sort();
}

export interface HandlerRemoval {
  change?: FileChange;
  notes: string[];
  conflicts: string[];
}

export async function planHandlerRemoval(finding: Finding, root: string, model: InfrastructureModel, view: FileView): Promise<HandlerRemoval> {
  const abs = resolve(root, finding.file);
  const text = view(finding.file);
  if (text === null) return { notes: [], conflicts: [`${finding.file} no longer exists`] };
  const importers = await importersOf(root, abs, view);
  const otherDeployed = model.functions.filter((f) => f.handlerModule === stripExt(abs) && f.handlerExport !== finding.export).map((f) => f.handlerExport);
  const parsed = parseSource(text, abs);
  if (!parsed.ok) return { notes: [], conflicts: [`${finding.file} does not parse: ${parsed.message}`] };
  const exported = exportedNames(parsed.ast);
  const others = exported.filter((n) => n !== finding.export);
  const notes = ['helpers the handler imported are kept; remove those no other code uses by hand'];
  if (importers.length === 0 && others.length === 0) {
    return { change: { path: finding.file, before: text, after: null }, notes, conflicts: [] };
  }
  const why = [importers.length ? `imported by ${importers.join(', ')}` : '', otherDeployed.length ? `also deploys ${otherDeployed.join(', ')}` : '', others.length ? `exports ${others.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  const range = exportStatementLines(parsed.ast, finding.export);
  if (!range) return { notes: [...notes, `${finding.file} is kept (${why})`], conflicts: [`could not find the statement exporting ${finding.export} in ${finding.file}: remove it by hand`] };
  const lines = text.split('\n');
  let [from, to] = range;
  if (from > 1 && lines[from - 2]!.trim() === '' && lines[to]?.trim() === '') from -= 1;
  const after = [...lines.slice(0, from - 1), ...lines.slice(to)].join('\n');
  return { change: { path: finding.file, before: text, after }, notes: [...notes, `only the export ${finding.export} is removed from ${finding.file} (${why})`], conflicts: [] };
}

function exportedNames(ast: t.File): string[] {
  const names: string[] = [];
  for (const s of ast.program.body) {
    if (s.type === 'ExportNamedDeclaration') {
      const d = s.declaration;
      if (d?.type === 'VariableDeclaration') for (const v of d.declarations) if (v.id.type === 'Identifier') names.push(v.id.name);
      if ((d?.type === 'FunctionDeclaration' || d?.type === 'ClassDeclaration') && d.id) names.push(d.id.name);
      for (const sp of s.specifiers) if (sp.type === 'ExportSpecifier') names.push(sp.exported.type === 'Identifier' ? sp.exported.name : sp.exported.value);
    }
    if (s.type === 'ExportDefaultDeclaration') names.push('default');
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      const n = cjsExportName(s.expression.left);
      if (n) names.push(n);
    }
  }
  return [...new Set(names)];
}

/** `module.exports.x` / `exports.x` → x; `module.exports` → 'default'. */
function cjsExportName(left: t.Node): string | undefined {
  if (left.type !== 'MemberExpression' || left.property.type !== 'Identifier') return undefined;
  if (left.object.type === 'Identifier' && left.object.name === 'exports') return left.property.name;
  if (left.object.type === 'Identifier' && left.object.name === 'module' && left.property.name === 'exports') return 'default';
  if (left.object.type === 'MemberExpression' && left.object.object.type === 'Identifier' && left.object.object.name === 'module' && left.object.property.type === 'Identifier' && left.object.property.name === 'exports') {
    return left.property.name;
  }
  return undefined;
}

/** First and last line of the statement that defines the export (with the comments right above it). */
function exportStatementLines(ast: t.File, name: string): [number, number] | undefined {
  for (const s of ast.program.body) {
    let hit = false;
    if (s.type === 'ExportNamedDeclaration' && !s.specifiers.length) {
      const d = s.declaration;
      if (d?.type === 'VariableDeclaration' && d.declarations.length === 1 && d.declarations[0]!.id.type === 'Identifier' && d.declarations[0]!.id.name === name) hit = true;
      if (d?.type === 'FunctionDeclaration' && d.id?.name === name) hit = true;
    }
    if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && cjsExportName(s.expression.left) === name) hit = true;
    if (hit && s.loc) {
      const first = s.leadingComments?.[0]?.loc?.start.line ?? s.loc.start.line;
      return [first, s.loc.end.line];
    }
  }
  return undefined;
}
