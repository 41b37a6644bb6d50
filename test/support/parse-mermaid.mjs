// Parses mermaid flowcharts with mermaid's own parser (mermaid.parse) under jsdom, in a plain Node process:
// Jest's module loader cannot load jsdom's ESM dependencies. Reads a JSON array of sources on stdin and prints,
// per source, the parse error or the parsed vertices, edges and subgraphs.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// mermaid keeps #name; / #code; entities as placeholders until it renders, where the browser decodes them: do the same.
const NAMED = { quot: '"', lt: '<', gt: '>', amp: '&', nbsp: '\u00a0' };
const decode = (t) => String(t ?? '').replace(/ﬂ°°(\d+)¶ß/g, (_, n) => String.fromCodePoint(Number(n))).replace(/ﬂ°(\w+)¶ß/g, (m, name) => NAMED[name] ?? m);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const source of JSON.parse(input)) {
  try {
    await mermaid.parse(source);
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(source);
    results.push({
      vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: decode(v.text), type: v.type })),
      edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: decode(e.text), stroke: e.stroke })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: decode(s.title), nodes: s.nodes })),
    });
  } catch (e) {
    results.push({ error: String(e.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(results));
