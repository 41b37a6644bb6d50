// CloudFormation YAML: the short-form intrinsic tags (!Ref, !GetAtt, !Sub, …) for the `yaml` package.
// Documents are parsed with tags kept on their nodes, so an edit can splice text by node ranges and leave
// everything it does not touch byte-for-byte; `toCfnJson` turns a node into the long form ({ Ref: … }) for analysis.
import { DEFAULT_SCHEMA, load as loadYaml, Type } from 'js-yaml';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node, type Tags } from 'yaml';

const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

/** Every intrinsic tag in its scalar, sequence and mapping forms; each keeps its node as parsed. */
export const CFN_TAGS: Tags = Object.keys(INTRINSICS).flatMap((name) => [
  { tag: `!${name}`, resolve: (s: string) => s },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (n: unknown) => n },
  { tag: `!${name}`, collection: 'map' as const, resolve: (n: unknown) => n },
]);

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

/**
 * Parses CloudFormation/SAM/Serverless YAML; throws with the first error and its line.
 *
 * `lenient` reads what gets deployed: a repeated key is accepted, the last one winning, as CloudFormation does; a
 * flow collection whose lines are indented less than strict YAML 1.2 wants (`Properties: {` … `}` at the margin)
 * is read as PyYAML, which the AWS CLI and cfn-lint use, reads it (js-yaml follows PyYAML there). Such a document
 * has no source ranges, so nothing in it can be spliced. Editing keeps the strict default: a splice could land on
 * the pair that is not deployed.
 */
export function parseCfnYaml(text: string, opts: { lenient?: boolean } = {}): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { customTags: CFN_TAGS, lineCounter: lines, keepSourceTokens: false, uniqueKeys: !opts.lenient });
  const err = doc.errors[0];
  if (err) {
    const loose = opts.lenient ? parseLikePyYaml(text) : undefined;
    if (loose) return { doc: loose, lines };
    const line = err.linePos?.[0]?.line;
    throw new Error(`${err.message.split('\n')[0]}${line ? ` (line ${line})` : ''}`);
  }
  return { doc, lines };
}

/** Short-form intrinsics for js-yaml, in their long form straight away, as toCfnJson would give them. */
const PYYAML_LIKE_SCHEMA = DEFAULT_SCHEMA.extend(
  Object.keys(INTRINSICS).flatMap((name) =>
    (['scalar', 'sequence', 'mapping'] as const).map((kind) => new Type(`!${name}`, { kind, construct: (data: unknown) => wrapTag(`!${name}`, data) })),
  ),
);

function parseLikePyYaml(text: string): Document.Parsed | undefined {
  let data: unknown;
  try {
    // `json: true`: a repeated key overrides the earlier one instead of failing.
    data = loadYaml(text, { schema: PYYAML_LIKE_SCHEMA, json: true });
  } catch {
    return undefined;
  }
  return new Document(data) as unknown as Document.Parsed;
}

/**
 * A node as plain data, intrinsics in their long form (`!Ref X` → `{ Ref: 'X' }`, `!GetAtt A.B` → `{ 'Fn::GetAtt': ['A', 'B'] }`).
 * Aliases (`*name`) read as their anchor's value and merge keys (`<<: *name`) as the anchor's keys the mapping does
 * not set itself, as PyYAML (the AWS CLI, SAM CLI, cfn-lint) reads them. YAML defines every anchor before its
 * aliases, so one pass in document order knows each anchor when an alias names it.
 */
export function toCfnJson(node: unknown): unknown {
  return new AliasReader().read(node);
}

/** Values an alias may expand to, counted in nodes: a "billion laughs" document stops here instead of filling memory. */
const MAX_ALIAS_EXPANSION = 1_000_000;

class AliasReader {
  private readonly anchors = new Map<string, unknown>();
  private readonly values = new Map<unknown, { value: unknown; size: number }>();
  private expanded = 0;

  read(node: unknown): unknown {
    return this.sized(node).value;
  }

  private sized(node: unknown): { value: unknown; size: number } {
    if (node === null || node === undefined) return { value: node, size: 1 };
    if (isAlias(node)) {
      const target = this.anchors.get(node.source);
      if (target === undefined) throw new Error(`alias *${node.source} names no anchor defined before it`);
      const known = this.values.get(target);
      if (!known) throw new Error(`alias *${node.source} refers to the node that contains it`);
      this.expanded += known.size;
      if (this.expanded > MAX_ALIAS_EXPANSION) throw new Error(`aliases expand to over ${MAX_ALIAS_EXPANSION} values`);
      return known;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, node);
    const result = this.convert(node);
    this.values.set(node, result);
    return result;
  }

  private convert(node: unknown): { value: unknown; size: number } {
    if (isScalar(node)) return { value: wrapTag(node.tag, node.value), size: 1 };
    if (isSeq(node)) {
      let size = 1;
      const items = node.items.map((i) => {
        const r = this.sized(i);
        size += r.size;
        return r.value;
      });
      return { value: wrapTag(node.tag, items), size };
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Record<string, unknown>[] = [];
      let size = 1;
      for (const pair of node.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const r = this.sized(pair.value);
        size += r.size;
        if (key === '<<' && (isAlias(pair.value) || isSeq(pair.value))) {
          for (const m of Array.isArray(r.value) ? r.value : [r.value]) if (m && typeof m === 'object' && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
          continue;
        }
        out[key] = r.value;
      }
      // Explicit keys win over merged ones; of several merged mappings, the first that has a key wins.
      for (const m of merged) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
      return { value: wrapTag(node.tag, out), size };
    }
    if (isPair(node)) return this.sized(node.value);
    return { value: node, size: 1 };
  }
}

function wrapTag(tag: string | undefined, value: unknown): unknown {
  const name = tag?.startsWith('!') ? tag.slice(1) : undefined;
  const long = name ? INTRINSICS[name] : undefined;
  if (!long) return value;
  if (long === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [long]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [long]: value };
}

/** A CloudFormation value as one line of text, in the short form a template author writes (`!Ref ItemsTable`). */
export function renderCfnValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [k, v] = entries[0]!;
      if (k === 'Ref' && typeof v === 'string') return `!Ref ${v}`;
      if (k === 'Fn::GetAtt' && Array.isArray(v)) return `!GetAtt ${v.join('.')}`;
      if (k === 'Fn::Sub' && typeof v === 'string') return `!Sub ${JSON.stringify(v)}`;
      const short = Object.entries(INTRINSICS).find(([, long]) => long === k)?.[0];
      if (short) return `!${short} ${JSON.stringify(v)}`;
    }
  }
  return JSON.stringify(value);
}

/** Long-form CloudFormation data → YAML nodes with short tags, for writing new resources. */
export function cfnJsonToNode(doc: Document, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [k, v] = entries[0]!;
      const short = Object.entries(INTRINSICS).find(([, long]) => long === k)?.[0];
      if (short) {
        if (short === 'GetAtt' && Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return tagged(new Scalar(v.join('.')), '!GetAtt');
        if (typeof v === 'string') {
          const s = new Scalar(v);
          if (v.includes('\n')) s.type = Scalar.BLOCK_LITERAL;
          return tagged(s, `!${short}`);
        }
        const inner = cfnJsonToNode(doc, v) as Node;
        return tagged(inner, `!${short}`);
      }
    }
    const map = new YAMLMap();
    for (const [k, v] of entries) map.add(doc.createPair(k, cfnJsonToNode(doc, v)));
    return map;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    for (const v of value) seq.add(cfnJsonToNode(doc, v));
    return seq;
  }
  if (typeof value === 'string' && value.includes('\n')) {
    const s = new Scalar(value);
    s.type = Scalar.BLOCK_LITERAL;
    return s;
  }
  // CloudFormation reads YAML 1.1, where 2012-10-17, yes/no/on/off and 010 are not strings: quote such text.
  if (typeof value === 'string' && /^(?:\d{4}-\d\d?-\d\d?|y|n|yes|no|on|off|true|false|null|~|[-+]?[\d._]+(?:e[-+]?\d+)?|0x[\da-f]+|0o?[0-7]+)$/i.test(value)) {
    const s = new Scalar(value);
    s.type = Scalar.QUOTE_DOUBLE;
    return s;
  }
  return doc.createNode(value);
}

function tagged<T extends Node>(node: T, tag: string): T {
  node.tag = tag;
  return node;
}

/** YAML text of a mapping of long-form CloudFormation data, intrinsics written with short tags. */
export function stringifyCfnYaml(value: Record<string, unknown>): string {
  const doc = new Document(null, { customTags: CFN_TAGS });
  doc.contents = cfnJsonToNode(doc, value) as YAMLMap;
  return doc.toString({ lineWidth: 0 });
}
