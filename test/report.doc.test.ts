// docs/report.md documents every field of the JSON report: checked here against src/report/types.ts (read with the
// TypeScript checker), so the document and the types cannot drift apart.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportShape } from './support/reportShape.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Section heading → the field names of its table, `?` kept. */
function documentedFields(markdown: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^### (\w+)\s*$/.exec(line);
    if (heading) sections.set(heading[1]!, (current = []));
    const row = /^\| `([\w.]+\??)` \|/.exec(line);
    if (row && current) current.push(row[1]!);
  }
  return sections;
}

describe('docs/report.md', () => {
  const shape = reportShape(REPO_ROOT);
  const documented = documentedFields(readFileSync(join(REPO_ROOT, 'docs', 'report.md'), 'utf8'));

  test('documents exactly the types reachable from ScanReport', () => {
    expect([...documented.keys()].sort()).toEqual([...shape.keys()].sort());
  });

  test.each([...shape.keys()])('%s: every field, with its optionality, and no other', (name) => {
    const fields = shape.get(name)!.map((f) => `${f.path}${f.optional ? '?' : ''}`);
    expect(documented.get(name)).toEqual(fields);
  });

  test('the shape reader sees the nested fields (it can fail)', () => {
    // Guards the checker itself: a reader that saw no fields would make the comparisons above trivially true.
    expect(shape.get('ScanReport')!.map((f) => f.path)).toEqual(['tool', 'version', 'schemaVersion', 'root', 'summary', 'findings', 'suppressed', 'errors']);
    expect(shape.get('Finding')!.map((f) => f.path)).toContain('savings.cost');
    expect(shape.get('ScanError')!.find((f) => f.path === 'line')!.optional).toBe(true);
  });
});
