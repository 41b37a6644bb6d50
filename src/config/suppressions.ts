// Inline suppression comments.
//
//   // lambda2sfn-ignore-next-line
//   // lambda2sfn-ignore-next-line route-switch, unsupported-construct -- reason text
//   // lambda2sfn-ignore-file [rule-ids] [-- reason]          (anywhere in the file)
//   /* lambda2sfn-ignore-file */                              (block comments work for both forms)
//
// A directive must be the first thing in its comment. Rule ids are separated by commas and/or whitespace;
// everything after a ` -- ` is the reason. No rule ids means "every rule". `ignore-next-line` applies to the
// next line that holds code: blank lines and lines holding only comments are skipped. Several directives
// that reach the same line (or several file directives) are merged: the rule lists are united (a directive
// without rules wins and covers everything) and distinct reasons are joined with "; ".
//
// Limits (no parser is used; a small scanner only tells comments from code and string literals):
// - Regular-expression literals are not recognised. A regex holding a quote or a `//` / `/*` may hide or
//   invent a comment on that line; quote-delimited strings end at the end of their line, so the damage
//   stays on that line. Template literals (including `${...}` nesting) are followed across lines.
// - JSX text is treated as code, so an apostrophe in JSX text hides comments later on that line.
// - Only \n, \r\n and \r end lines (not U+2028/U+2029).

export interface SuppressionDirective {
  /** The 1-based line the directive applies to (the line after it that holds code). */
  line: number;
  /** Rule ids covered; empty covers every rule. */
  rules: string[];
  reason?: string;
}

export interface Suppressions {
  file?: { rules: string[]; reason?: string };
  lines: Map<number, SuppressionDirective>;
}

interface Comment {
  /** 1-based line the comment ends on. */
  endLine: number;
  /** Comment body without the delimiters. */
  text: string;
  block: boolean;
}

const DIRECTIVE = /^lambda2sfn-ignore-(next-line|file)(?=\s|$)([\s\S]*)$/;
const REASON_SEPARATOR = /(?:^|\s)--(?:\s|$)/;

export function parseSuppressions(text: string): Suppressions {
  const { comments, codeLines } = scan(text);
  const result: Suppressions = { lines: new Map() };

  for (const comment of comments) {
    const body = comment.block ? normaliseBlockComment(comment.text) : comment.text.trim();
    const m = DIRECTIVE.exec(body);
    if (!m) continue;
    const { rules, reason } = parseArguments(m[2] ?? '');

    if (m[1] === 'file') {
      result.file = merge(result.file, { rules, reason });
      continue;
    }
    const target = nextCodeLine(codeLines, comment.endLine);
    if (target === undefined) continue; // nothing below it to suppress
    const merged = merge(result.lines.get(target), { rules, reason });
    result.lines.set(target, { line: target, ...merged });
  }
  return result;
}

/**
 * Does a directive cover a finding that starts on `line`, given the rule ids involved in it?
 * An empty rules list covers everything; otherwise the finding is covered when any of its rule ids is listed.
 */
export function isSuppressed(
  s: Suppressions,
  line: number,
  ruleIds: string[],
): { suppressed: boolean; reason?: string } {
  for (const directive of [s.lines.get(line), s.file]) {
    if (directive && covers(directive.rules, ruleIds)) {
      return directive.reason === undefined ? { suppressed: true } : { suppressed: true, reason: directive.reason };
    }
  }
  return { suppressed: false };
}

// ---------------------------------------------------------------------------------------------------------

function covers(directiveRules: string[], ruleIds: string[]): boolean {
  return directiveRules.length === 0 || ruleIds.some((id) => directiveRules.includes(id));
}

function parseArguments(rest: string): { rules: string[]; reason?: string } {
  const sep = REASON_SEPARATOR.exec(rest);
  const ruleText = sep ? rest.slice(0, sep.index) : rest;
  const reasonText = sep ? rest.slice(sep.index + sep[0].length).trim() : '';
  const rules = [...new Set(ruleText.split(/[\s,]+/).filter((r) => r !== ''))];
  return reasonText === '' ? { rules } : { rules, reason: reasonText };
}

function merge(
  a: { rules: string[]; reason?: string } | undefined,
  b: { rules: string[]; reason?: string },
): { rules: string[]; reason?: string } {
  if (!a) return b.reason === undefined ? { rules: b.rules } : { rules: b.rules, reason: b.reason };
  const rules = a.rules.length === 0 || b.rules.length === 0 ? [] : [...new Set([...a.rules, ...b.rules])];
  const reasons = [...new Set([a.reason, b.reason].filter((r): r is string => r !== undefined))];
  return reasons.length === 0 ? { rules } : { rules, reason: reasons.join('; ') };
}

/** `/** \n * text\n *\/` → "text": drop each line's leading `*`, join lines with spaces. */
function normaliseBlockComment(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^\s*\*+/, '').trim())
    .filter((l) => l !== '')
    .join(' ')
    .trim();
}

function nextCodeLine(codeLines: Set<number>, after: number): number | undefined {
  let best: number | undefined;
  for (const l of codeLines) if (l > after && (best === undefined || l < best)) best = l;
  return best;
}

type Context = { kind: 'code'; braces: number } | { kind: 'template' };

/**
 * Splits source text into comments and records which lines hold code (anything outside a comment that is
 * not whitespace, string contents included).
 */
function scan(source: string): { comments: Comment[]; codeLines: Set<number> } {
  const text = source.replace(/\r\n?/g, '\n');
  const comments: Comment[] = [];
  const codeLines = new Set<number>();
  const stack: Context[] = [{ kind: 'code', braces: 0 }];
  let line = 1;
  let i = 0;
  const n = text.length;

  while (i < n) {
    const ch = text[i]!;
    const next = text[i + 1];
    const ctx = stack[stack.length - 1]!;

    if (ch === '\n') {
      line++;
      i++;
      continue;
    }

    if (ctx.kind === 'template') {
      codeLines.add(line);
      if (ch === '\\') {
        if (next === '\n') line++;
        i += 2;
      } else if (ch === '`') {
        stack.pop();
        i++;
      } else if (ch === '$' && next === '{') {
        stack.push({ kind: 'code', braces: 0 });
        i += 2;
      } else {
        i++;
      }
      continue;
    }

    // code context
    if (ch === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      comments.push({ endLine: line, text: text.slice(i + 2, stop), block: false });
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end;
      const body = text.slice(i + 2, stop);
      line += countNewlines(body);
      comments.push({ endLine: line, text: body, block: true });
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\ufeff' || ch === '\u00a0') {
      i++;
      continue;
    }

    codeLines.add(line);
    if (ch === '"' || ch === "'") {
      i = skipQuoted(text, i, ch, () => {
        line++;
        codeLines.add(line); // a line continuation inside the string: the next line holds string contents
      });
    } else if (ch === '`') {
      stack.push({ kind: 'template' });
      i++;
    } else if (ch === '{') {
      ctx.braces++;
      i++;
    } else if (ch === '}') {
      if (ctx.braces === 0 && stack.length > 1) stack.pop();
      else ctx.braces = Math.max(0, ctx.braces - 1);
      i++;
    } else {
      i++;
    }
  }
  return { comments, codeLines };
}

/** Returns the index after a '…' or "…" string. An unescaped newline ends it (unterminated), without consuming the newline. */
function skipQuoted(text: string, start: number, quote: string, onEscapedNewline: () => void): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      if (text[i + 1] === '\n') onEscapedNewline();
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === '\n') return i;
    i++;
  }
  return i;
}

function countNewlines(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) count++;
  return count;
}
