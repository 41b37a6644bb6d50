// Size limits of the source: no module over 800 lines, and the two emitters share their common code through
// src/emit/shared/ instead of repeating it (no run of six identical lines in both).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { REPO_ROOT } from './support/goldenCases.js';

/** Source files under `dir` (fixtures are sample projects, not the tool's code). */
function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(?:ts|js|mjs|cjs)$/.test(f) && !f.split(/[\\/]/).includes('fixtures'))
    .map((f) => join(REPO_ROOT, dir, f));
}

/** Non-blank lines, trimmed, with where they are. */
function codeLines(files: string[]): Array<{ text: string; at: string }> {
  return files.flatMap((f) =>
    readFileSync(f, 'utf8').split('\n').flatMap((l, i) => (l.trim() ? [{ text: l.trim(), at: `${relative(REPO_ROOT, f)}:${i + 1}` }] : [])),
  );
}

/** Runs of `n` consecutive lines of `a` that also occur, consecutively, in `b`. */
function sharedRuns(a: Array<{ text: string; at: string }>, b: Array<{ text: string; at: string }>, n: number): string[] {
  const key = (lines: typeof a, i: number) => lines.slice(i, i + n).map((l) => l.text).join('\n');
  const inB = new Map<string, string>();
  for (let i = 0; i + n <= b.length; i++) inB.set(key(b, i), b[i]!.at);
  const out: string[] = [];
  for (let i = 0; i + n <= a.length; i++) {
    const hit = inB.get(key(a, i));
    if (hit) out.push(`${a[i]!.at} = ${hit}`);
  }
  return out;
}

describe('code shape', () => {
  test('no source module is over 800 lines', () => {
    const long = ['src', 'rules', 'bin'].flatMap(sources).map((f) => ({ f: relative(REPO_ROOT, f), n: readFileSync(f, 'utf8').split('\n').length })).filter((x) => x.n > 800);
    expect(long).toEqual([]);
  });

  test('the JSONPath and JSONata emitters repeat no run of six lines', () => {
    expect(sharedRuns(codeLines(sources('src/emit/jsonpath')), codeLines(sources('src/emit/jsonata')), 6)).toEqual([]);
  });

  test('the repeated-run check finds a copied block', () => {
    const lines = (file: string, texts: string[]) => texts.map((text, i) => ({ text, at: `${file}:${i + 1}` }));
    const block = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(sharedRuns(lines('x', block), lines('y', ['z', ...block]), 6)).toEqual(['x:1 = y:2']);
    expect(sharedRuns(lines('x', block), lines('y', block.slice(1)), 6)).toEqual([]);
  });
});
