// Text edits on a YAML document by node ranges: what is not edited stays byte-for-byte.
import { isMap, isScalar, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseCfnYaml } from '../infra/cfnYaml.js';

export interface Splice {
  start: number;
  end: number;
  text: string;
}

export function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  // From the end backwards; of two insertions at one place, the later one goes in first so the earlier ends up before it.
  const ordered = splices.map((s, i) => ({ s, i })).sort((a, b) => b.s.start - a.s.start || b.i - a.i);
  for (const { s } of ordered) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
/** Index just past the newline ending the last line with content before `at`. */
function endOfContent(text: string, at: number): number {
  const content = text.slice(0, at).trimEnd().length;
  const nl = text.indexOf('\n', content);
  return nl < 0 ? text.length : nl + 1;
}

export function findPair(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

/** Removes a block-map pair (key line through the last line of its value), and one blank line left doubled. */
export function removePairSplice(text: string, pair: Pair): Splice {
  const key = pair.key as { range?: [number, number, number] };
  const value = pair.value as { range?: [number, number, number] } | null;
  const start = lineStart(text, key.range![0]);
  let end = endOfContent(text, value?.range ? value.range[1] : key.range![1]);
  const before = text.slice(0, start);
  if ((before.endsWith('\n\n') || start === 0) && text.slice(end).startsWith('\n')) end += 1;
  // The last pair of the file: the blank line that separated it goes with it.
  else if (before.endsWith('\n\n') && text.slice(end).trim() === '') return { start: start - 1, end, text: '' };
  return { start, end, text: '' };
}

/** Adds pairs at the end of a block map, indented like its keys; a blank line before each when the map separates its pairs so. */
/** `blocks`: YAML text of one-key mappings, as written at indentation 0. */
export function appendToMapSplice(text: string, map: YAMLMap, blocks: string[]): Splice {
  const last = map.items[map.items.length - 1]!;
  const firstKey = map.items[0]!.key as { range: [number, number, number] };
  const indent = ' '.repeat(firstKey.range[0] - lineStart(text, firstKey.range[0]));
  const lastValue = last.value as { range?: [number, number, number] } | null;
  const at = endOfContent(text, lastValue?.range ? lastValue.range[1] : (last.key as { range: [number, number, number] }).range[1]);
  const secondKey = map.items[1]?.key as { range: [number, number, number] } | undefined;
  const spaced = secondKey !== undefined && /\n[ \t]*\n[ \t]*$/.test(text.slice(0, secondKey.range[0]));
  const prefix = spaced ? '\n' : '';
  const body = blocks.map((b) => prefix + indentBlock(b, indent)).join('');
  return { start: at, end: at, text: (text.slice(0, at).endsWith('\n') ? '' : '\n') + body };
}

/** Adds an item (one line of YAML) at the end of a block sequence, with the same dash indentation as its items. */
export function appendToSeqSplice(text: string, seq: YAMLSeq, item: string): Splice {
  const last = seq.items[seq.items.length - 1] as { range: [number, number, number] };
  const first = seq.items[0] as { range: [number, number, number] };
  // The first item's line up to its dash and the space after it (the node's own range may start after a tag).
  const dash = /^[ \t]*-[ \t]*/.exec(text.slice(lineStart(text, first.range[0])))?.[0] ?? '- ';
  const at = endOfContent(text, last.range[1]);
  return { start: at, end: at, text: (text.slice(0, at).endsWith('\n') ? '' : '\n') + dash + item + '\n' };
}

/** Replaces a scalar's text. */
export function replaceScalarSplice(node: { range?: [number, number, number] | null }, text: string): Splice {
  return { start: node.range![0], end: node.range![1], text };
}

export function indentBlock(block: string, indent: string): string {
  return block
    .split('\n')
    .map((l) => (l ? indent + l : l))
    .join('\n')
    .replace(/\n*$/, '\n');
}

export { parseCfnYaml };
