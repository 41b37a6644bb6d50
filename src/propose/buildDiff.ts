// A git-style unified diff of file changes (`git apply` accepts it): a/ and b/ prefixes, new/deleted file modes.
import { structuredPatch } from 'diff';
import type { FileChange } from './types.js';

export function buildDiff(changes: FileChange[]): string {
  return changes.map(fileDiff).join('');
}

function fileDiff(c: FileChange): string {
  const header = [`diff --git a/${c.path} b/${c.path}`];
  if (c.before === null) header.push('new file mode 100644');
  if (c.after === null) header.push('deleted file mode 100644');
  header.push(`--- ${c.before === null ? '/dev/null' : `a/${c.path}`}`, `+++ ${c.after === null ? '/dev/null' : `b/${c.path}`}`);
  const patch = structuredPatch(c.path, c.path, c.before ?? '', c.after ?? '', undefined, undefined, { context: 3 });
  const body: string[] = [];
  for (const h of patch.hunks) {
    // A side with no lines names the line before it (0 for an empty file), as `diff -u` and git write it.
    const range = (start: number, count: number) => (count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`);
    const old = range(h.oldStart, h.oldLines);
    const neu = range(h.newStart, h.newLines);
    body.push(`@@ -${old} +${neu} @@`, ...h.lines);
  }
  return [...header, ...body].join('\n') + '\n';
}
