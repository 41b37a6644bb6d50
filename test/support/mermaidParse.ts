// mermaid's own parser (mermaid.parse, what renders ```mermaid blocks on GitHub) run in a child process
// (parse-mermaid.mjs), and the parsed flowcharts: vertices, edges and subgraphs, so tests check what a reader sees.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ParsedFlowchart {
  vertices: Map<string, { id: string; text: string; type?: string }>;
  edges: Array<{ start: string; end: string; text: string; stroke: string }>;
  subgraphs: Array<{ id: string; title: string; nodes: string[] }>;
}

type Raw = { error: string } | { vertices: Array<{ id: string; text: string; type?: string }>; edges: ParsedFlowchart['edges']; subgraphs: ParsedFlowchart['subgraphs'] };

/** Parses every source in one child process; a parse error rejects with mermaid's message. */
export async function parseFlowcharts(sources: string[]): Promise<ParsedFlowchart[]> {
  const script = fileURLToPath(new URL('./parse-mermaid.mjs', import.meta.url));
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, [script], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } }, (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out)));
    child.stdin!.end(JSON.stringify(sources));
  });
  return (JSON.parse(stdout) as Raw[]).map((r, i) => {
    if ('error' in r) throw new Error(`mermaid could not parse block ${i + 1}: ${r.error}\n${sources[i]}`);
    return { vertices: new Map(r.vertices.map((v) => [v.id, v])), edges: r.edges, subgraphs: r.subgraphs };
  });
}

/** The bodies of the ```mermaid blocks of a markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]!);
}
