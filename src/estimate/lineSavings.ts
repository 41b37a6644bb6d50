// Code-line counts: non-blank, non-comment lines. Reported next to the ASL lines added, never netted.
import type * as t from '@babel/types';

/** Lines [from, to] (1-based, inclusive) of `text` that hold code, ignoring comments and blank lines. */
export function codeLines(text: string, ast: t.File, ranges: Array<[number, number]>): number {
  const lines = text.split('\n');
  const commentOnly = new Set<number>();
  // Mark characters inside comments, then a line counts when something else remains.
  const masked = lines.map((l) => l.split(''));
  for (const c of ast.comments ?? []) {
    const s = c.loc!.start;
    const e = c.loc!.end;
    for (let ln = s.line; ln <= e.line; ln++) {
      const row = masked[ln - 1];
      if (!row) continue;
      const from = ln === s.line ? s.column : 0;
      const to = ln === e.line ? e.column : row.length;
      for (let i = from; i < to; i++) row[i] = ' ';
    }
  }
  masked.forEach((row, i) => {
    if (row.join('').trim() === '') commentOnly.add(i + 1);
  });
  const counted = new Set<number>();
  for (const [from, to] of ranges) for (let ln = from; ln <= to; ln++) if (!commentOnly.has(ln)) counted.add(ln);
  return counted.size;
}

export function aslLines(definition: unknown): number {
  return JSON.stringify(definition, null, 2).split('\n').length;
}
