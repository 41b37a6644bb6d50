// Parse one source file with @babel/parser: fast, tolerant of every syntax real handlers use.
import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';

export type ParseResult = { ok: true; ast: t.File } | { ok: false; message: string; line?: number };

export function parseSource(text: string, filename: string): ParseResult {
  const isTs = /\.(ts|mts|cts|tsx)$/.test(filename);
  const plugins: ParserPlugin[] = isTs ? ['typescript'] : [];
  if (/\.(jsx|tsx|js)$/.test(filename)) plugins.push('jsx');
  try {
    const ast = parse(text, {
      sourceType: 'unambiguous',
      sourceFilename: filename,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      errorRecovery: false,
      plugins: [...plugins, 'decorators-legacy', 'importAttributes', 'topLevelAwait'],
    });
    return { ok: true, ast };
  } catch (err) {
    const e = err as Error & { loc?: { line: number; column: number } };
    // JS files sometimes hold JSX-incompatible TS-ish generics or `<T>` casts: retry without jsx.
    if (!isTs && plugins.includes('jsx')) {
      try {
        const ast = parse(text, { sourceType: 'unambiguous', sourceFilename: filename, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, plugins: [] });
        return { ok: true, ast };
      } catch { /* report the first error */ }
    }
    return { ok: false, message: `syntax error: ${e.message.replace(/\s*\(\d+:\d+\)$/, '')}`, line: e.loc?.line };
  }
}
