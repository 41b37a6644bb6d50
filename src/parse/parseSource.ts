// Parse one source file with @babel/parser: fast, tolerant of every syntax real handlers use.
import { parse, type ParserOptions, type ParserPlugin } from '@babel/parser';
import { createRequire } from 'node:module';
import type * as t from '@babel/types';

// The node definitions only: the package's entry point loads its builders and validators too (several times the code).
const { VISITOR_KEYS } = createRequire(import.meta.url)('@babel/types/lib/definitions/index.js') as { VISITOR_KEYS: Record<string, readonly string[]> };

export type ParseResult = { ok: true; ast: t.File } | { ok: false; message: string; line?: number };

/**
 * Deepest syntax tree the later stages accept. Their walkers recurse, and a generated file nested thousands of
 * levels deep would overflow the stack there; real handlers stay far below (a few dozen levels).
 */
export const MAX_AST_DEPTH = 1_000;

/** A Flow file announces itself with `@flow` in its leading comment (Flow's own rule). */
const FLOW_PRAGMA = /^\s*(?:(?:\/\/[^\n]*\n\s*)|(?:\/\*[\s\S]*?\*\/\s*))*?(?:\/\/|\/\*)[^\n]*@flow\b/;

export function parseSource(text: string, filename: string): ParseResult {
  const isTs = /\.(ts|mts|cts|tsx)$/.test(filename);
  const isFlow = !isTs && FLOW_PRAGMA.test(text);
  const plugins: ParserPlugin[] = isTs ? ['typescript'] : isFlow ? ['flow'] : [];
  if (/\.(jsx|tsx|js)$/.test(filename)) plugins.push('jsx');
  const options = (extra: ParserPlugin[]): ParserOptions => ({
    sourceType: 'unambiguous',
    sourceFilename: filename,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
    errorRecovery: false,
    plugins: [...extra, 'decorators-legacy', 'importAttributes', 'topLevelAwait'],
  });
  let ast: t.File;
  try {
    ast = parse(text, options(plugins));
  } catch (err) {
    if (err instanceof RangeError) return tooDeep('the parser ran out of stack');
    const e = err as Error & { loc?: { line: number; column: number } };
    const retried = isTs ? undefined : retryPlain(text, filename, plugins);
    if (!retried) return { ok: false, message: `syntax error: ${e.message.replace(/\s*\(\d+:\d+\)$/, '')}`, line: e.loc?.line };
    ast = retried;
  }
  const depth = depthOver(ast, MAX_AST_DEPTH);
  if (depth !== undefined) return tooDeep(`over ${MAX_AST_DEPTH} levels, at line ${depth.line}`);
  return { ok: true, ast };
}

/**
 * JS files sometimes hold JSX-incompatible TS-ish generics or `<T>` casts: retry without jsx; a Flow-annotated file
 * without its pragma: retry with Flow. Undefined when neither parses.
 */
function retryPlain(text: string, filename: string, tried: ParserPlugin[]): t.File | undefined {
  const attempts: ParserPlugin[][] = [[], ['flow', 'jsx']].filter((p) => p.join() !== tried.join()) as ParserPlugin[][];
  for (const plugins of attempts) {
    try {
      return parse(text, { sourceType: 'unambiguous', sourceFilename: filename, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowImportExportEverywhere: true, plugins: [...plugins, 'decorators-legacy', 'importAttributes', 'topLevelAwait'] });
    } catch {
      /* the next attempt, else the first error */
    }
  }
  return undefined;
}

function tooDeep(detail: string): ParseResult {
  return { ok: false, message: `nested too deeply to analyse (${detail}; probably generated); skipped` };
}

/** The first node deeper than `limit`, found without recursion; undefined when the tree is shallower. */
function depthOver(ast: t.File, limit: number): { line: number } | undefined {
  // Two parallel stacks instead of [node, depth] pairs: no allocation per node, on every parsed file.
  const nodes: t.Node[] = [ast];
  const depths: number[] = [0];
  while (nodes.length) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return { line: node.loc?.start.line ?? 0 };
    const keys = VISITOR_KEYS[node.type];
    if (!keys) continue;
    for (let k = 0; k < keys.length; k++) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!];
      if (child === null || typeof child !== 'object') continue;
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) {
          const c = child[i] as t.Node | null;
          if (c !== null && typeof c === 'object') {
            nodes.push(c);
            depths.push(depth + 1);
          }
        }
      } else {
        nodes.push(child as t.Node);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
