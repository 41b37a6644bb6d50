// Source mutations for the fuzz test: each works on the tokens of a simple tokenizer (so it applies to text that no
// longer parses too) or, for statement reordering, on the statements @babel/parser finds. Every mutation is
// described by small integers that are taken modulo what the text offers, so any generated value applies.
import { parse } from '@babel/parser';

export interface Token {
  start: number;
  end: number;
  text: string;
  kind: 'word' | 'number' | 'string' | 'punct';
}

// Whitespace and comments are skipped; strings and template literals are one token (a template with `${}` inside
// ends at its closing backtick only when it holds no nested backtick, good enough for handler code).
const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|(`(?:\\[\s\S]|[^`\\])*`?|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?)|([A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*)|(\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?n?)|(=>|\.\.\.|[=!]==?|[<>]=?|&&=?|\|\|=?|\?\?=?|\?\.|\+\+|--|\*\*|[+\-*/%&|^]=?|[\s\S])/gy;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) {
    const kind = m[1] !== undefined ? 'string' : m[2] !== undefined ? 'word' : m[3] !== undefined ? 'number' : m[4] !== undefined ? 'punct' : undefined;
    if (kind) out.push({ start: m.index, end: m.index + m[0].length, text: m[0], kind });
  }
  return out;
}

/** Text that is valid in identifiers, strings and nowhere at all: a BOM, zero-width and bidi marks, astral characters, a line separator. */
export const UNICODE_SNIPPETS = ['\u200b', '\ufeff', 'é', 'ß', 'İ', 'ﬁ', '𝒳', '😀', '\u2028', '\u202e', 'Ω', '\u0301', '\ud800', '"', '\\', '${x}'];

/** Names a rename may pick: ordinary ones, ones the handler already uses for something else, and awkward ones. */
export const NEW_NAMES = ['x', 'event', 'result', 'item', 'params', 'body', 'id', 'undefined', 'ǅx', '$', '_', 'constructor', '__proto__', 'then', 'length', 'Item', 'TableName', 'statusCode', 'handler', 'await'];

/** Operators, keywords and literals a flip replaces with a neighbour that also parses (behaviour changes, syntax stays). */
const FLIPS: Record<string, string[]> = {
  '===': ['!==', '=='], '!==': ['===', '!='], '==': ['!=', '==='], '!=': ['==', '!=='],
  '<': ['>', '<='], '>': ['<', '>='], '<=': ['<', '>'], '>=': ['>', '<'],
  '&&': ['||', '??'], '||': ['&&', '??'], '??': ['||', '&&'],
  '+': ['-', '*'], '-': ['+'], '*': ['/'], '!': ['!!'], '?.': ['.'],
  true: ['false'], false: ['true'], null: ['undefined', '0'], undefined: ['null'],
  let: ['const', 'var'], const: ['let'], return: ['void'], await: ['void', ''], async: [''], if: ['while'], else: [''],
  push: ['unshift'], map: ['filter', 'forEach'], filter: ['map'], some: ['every'], every: ['some'],
  GetCommand: ['DeleteCommand'], PutCommand: ['UpdateCommand'], ALL_NEW: ['ALL_OLD', 'UPDATED_NEW', 'NONE'],
  attribute_not_exists: ['attribute_exists'], attribute_exists: ['attribute_not_exists'],
};

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number; by: number }
  | { op: 'truncate'; at: number }
  | { op: 'unicode'; at: number; offset: number; snippet: number }
  | { op: 'rename'; at: number; name: number }
  | { op: 'renameOne'; at: number; name: number }
  | { op: 'flip'; at: number; choice: number }
  | { op: 'literal'; at: number; choice: number }
  | { op: 'replace'; at: number; with: number }
  | { op: 'reorder'; at: number };

const mod = (n: number, m: number) => ((n % m) + m) % m;
const splice = (text: string, start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);

function pick(tokens: Token[], at: number, keep: (t: Token) => boolean): Token | undefined {
  const c = tokens.filter(keep);
  return c.length ? c[mod(at, c.length)] : undefined;
}

/** A string or number literal changed so that it still parses: empty, another case, one more, another value. */
function changedLiteral(t: Token, choice: number): string {
  if (t.kind === 'number') return [String(Number(t.text.replace(/_|n$/g, '')) + 1), '0', '-1', '1e21', '0.1'][mod(choice, 5)]!;
  const q = t.text[0]!;
  const inner = t.text.slice(1, t.text.endsWith(q) && t.text.length > 1 ? -1 : undefined);
  const variants = [``, inner.toUpperCase(), `${inner} `, `${inner}x`, inner.slice(1), 'Item', '#a', 'S'];
  return `${q}${variants[mod(choice, variants.length)]}${q}`;
}

function isStatement(s: unknown): boolean {
  const type = String((s as { type?: unknown } | null)?.type);
  return typeof (s as { start?: unknown } | null)?.start === 'number' && (type.endsWith('Statement') || type.endsWith('Declaration'));
}

/** The blocks' statement lists of the text (program, functions, if/else branches, cases) when it parses. */
function statementLists(text: string, typescript: boolean): Array<Array<{ start: number; end: number }>> {
  let ast: unknown;
  try {
    ast = parse(text, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins: typescript ? ['typescript'] : ['jsx'] });
  } catch {
    return [];
  }
  const lists: Array<Array<{ start: number; end: number }>> = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const node = n as Record<string, unknown>;
    for (const key of ['body', 'consequent']) {
      const list = node[key];
      if (Array.isArray(list) && list.length >= 2 && list.every((s) => isStatement(s))) {
        lists.push(list.map((s) => ({ start: (s as { start: number }).start, end: (s as { end: number }).end })));
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc' && k !== 'leadingComments' && k !== 'trailingComments') walk(v);
  };
  walk((ast as { program: unknown }).program);
  return lists;
}

/** The text with one mutation applied (unchanged when the text offers nothing it applies to). */
export function applyMutation(text: string, m: Mutation, typescript: boolean): string {
  const tokens = tokenize(text);
  if (m.op === 'reorder') {
    const lists = statementLists(text, typescript);
    if (!lists.length) return text;
    const list = lists[mod(m.at, lists.length)]!;
    const i = mod(Math.floor(m.at / Math.max(lists.length, 1)), list.length - 1);
    const [a, b] = [list[i]!, list[i + 1]!];
    return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
  }
  if (!tokens.length) return m.op === 'unicode' ? UNICODE_SNIPPETS[mod(m.snippet, UNICODE_SNIPPETS.length)]! + text : text;
  const t = tokens[mod(m.at, tokens.length)]!;
  switch (m.op) {
    case 'delete':
      return splice(text, t.start, t.end, '');
    case 'duplicate':
      return splice(text, t.end, t.end, ` ${t.text}`);
    case 'swap': {
      const j = Math.min(tokens.length - 1, tokens.indexOf(t) + 1 + mod(m.by, 5));
      const u = tokens[j]!;
      if (u === t) return text;
      return text.slice(0, t.start) + u.text + text.slice(t.end, u.start) + t.text + text.slice(u.end);
    }
    case 'truncate':
      return text.slice(0, t.start);
    case 'unicode':
      return splice(text, t.start + mod(m.offset, t.text.length + 1), t.start + mod(m.offset, t.text.length + 1), UNICODE_SNIPPETS[mod(m.snippet, UNICODE_SNIPPETS.length)]!);
    case 'rename': {
      const w = pick(tokens, m.at, (x) => x.kind === 'word');
      if (!w) return text;
      const name = NEW_NAMES[mod(m.name, NEW_NAMES.length)]!;
      // Every occurrence, back to front so that the offsets stay right (inside template literals too).
      let out = text;
      for (const x of [...tokens].reverse()) {
        if (x.kind === 'word' && x.text === w.text) out = splice(out, x.start, x.end, name);
        else if (x.kind === 'string' && x.text[0] === '`') out = splice(out, x.start, x.end, x.text.replace(new RegExp(`(?<![\\w$])${w.text.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'), name));
      }
      return out;
    }
    case 'renameOne': {
      const w = pick(tokens, m.at, (x) => x.kind === 'word');
      return w ? splice(text, w.start, w.end, NEW_NAMES[mod(m.name, NEW_NAMES.length)]!) : text;
    }
    case 'flip': {
      const f = pick(tokens, m.at, (x) => (x.kind === 'word' || x.kind === 'punct' || x.kind === 'string') && (FLIPS[x.text] !== undefined || FLIPS[x.text.slice(1, -1)] !== undefined));
      if (!f) return text;
      const quoted = FLIPS[f.text] === undefined;
      const options = FLIPS[quoted ? f.text.slice(1, -1) : f.text]!;
      const to = options[mod(m.choice, options.length)]!;
      return splice(text, f.start, f.end, quoted ? `${f.text[0]}${to}${f.text[0]}` : to);
    }
    case 'literal': {
      const l = pick(tokens, m.at, (x) => x.kind === 'number' || (x.kind === 'string' && x.text[0] !== '`'));
      return l ? splice(text, l.start, l.end, changedLiteral(l, m.choice)) : text;
    }
    case 'replace': {
      const u = tokens[mod(m.with, tokens.length)]!;
      return splice(text, t.start, t.end, u.text);
    }
  }
}

export function describeMutation(m: Mutation): string {
  return JSON.stringify(m);
}
