// The code a partial conversion keeps: one small module next to the handler exporting each extracted
// expression as a function of its inputs, plus a `handler` that dispatches the state machine's lambda:invoke
// payloads ({ compute, input }) to them. It keeps the handler module's imports and the module-level
// declarations the expressions use, so the extracted code runs exactly as it did inside the handler.
import type * as t from '@babel/types';
import type { ModuleInfo } from '../analyze/moduleIndex.js';
import type { ResidualFunction } from './emitJsonPath.js';

const BUILTINS = new Set(['JSON', 'Math', 'Date', 'Number', 'String', 'Object', 'Array', 'Boolean', 'Buffer', 'crypto', 'encodeURIComponent', 'decodeURIComponent', 'parseInt', 'parseFloat', 'undefined', 'console']);

function identifiers(code: string): Set<string> {
  return new Set(code.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []);
}

export function residualModuleSource(mod: ModuleInfo, residuals: ResidualFunction[]): string {
  const text = mod.text;
  const slice = (n: t.Node) => text.slice(n.start ?? 0, n.end ?? 0);
  const needed = new Set<string>();
  for (const r of residuals) for (const id of identifiers(r.code)) if (!r.inputs.includes(id) && !BUILTINS.has(id)) needed.add(id);
  // Module-level declarations the code uses, and what those use in turn.
  const decls: t.Node[] = [];
  const seen = new Set<t.Node>();
  const queue = [...needed];
  while (queue.length) {
    const name = queue.pop()!;
    const b = mod.bindings.get(name);
    if (!b || seen.has(b.decl)) continue;
    seen.add(b.decl);
    decls.push(b.decl);
    for (const id of identifiers(slice(b.decl))) if (!needed.has(id)) {
      needed.add(id);
      queue.push(id);
    }
  }
  const imports = mod.ast.program.body.filter((s) => {
    if (s.type === 'ImportDeclaration') return s.importKind !== 'type' && s.specifiers.some((sp) => needed.has(sp.local.name));
    return false;
  });
  const requires = mod.ast.program.body.filter((s) => s.type === 'VariableDeclaration' && /\brequire\s*\(/.test(slice(s)) && [...identifiers(slice(s))].some((id) => needed.has(id) && mod.imports.has(id)));
  const isCjs = requires.length > 0 || (!mod.ast.program.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export')) && /\bmodule\.exports\b|\bexports\./.test(text));
  const lines: string[] = [`// Kept by lambda2sfn from ${mod.path.split('/').pop()}: the computations the state machine cannot express.`];
  if (residuals.some((r) => r.id.startsWith('unmarshallItems'))) lines.push(isCjs ? "const { unmarshall } = require('@aws-sdk/util-dynamodb');" : "import { unmarshall } from '@aws-sdk/util-dynamodb';");
  for (const s of [...imports, ...requires]) lines.push(slice(s));
  const ordered = decls.sort((a, b) => (a.start ?? 0) - (b.start ?? 0)).map((d) => slice(d).replace(/^export\s+/, ''));
  lines.push(...ordered);
  const exportFn = (name: string, body: string) => (isCjs ? `exports.${name} = ${body};` : `export const ${name} = ${body};`);
  for (const r of residuals) lines.push(exportFn(r.id, `({ ${r.inputs.join(', ')} }) => (${r.code})`));
  lines.push(exportFn('handler', `async ({ compute, input }) => ({ ${residuals.map((r) => r.id).join(', ')} })[compute](input)`));
  // The dispatcher refers to the functions by name: in CommonJS they live on `exports`.
  if (isCjs) lines[lines.length - 1] = `exports.handler = async ({ compute, input }) => exports[compute](input);`;
  return lines.join('\n') + '\n';
}
