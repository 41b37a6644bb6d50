// The pull-request comment: a pure renderer of the scan report, like every other output. One headline sentence,
// a table with a row per handler, then per handler a folded <details> with the proposed state machine as a mermaid
// flowchart, blockers and assumptions, the cost with its assumptions, the ASL and the diff. A hidden marker names
// the comment so the bot finds and updates it. The body stays under GitHub's size limit by leaving out the largest
// sections first (ASL, then diffs, …) and saying so in the comment.
import { posix } from 'node:path';
import type { Finding, ScanReport } from '../../report/types.js';
import { costBlock, usd } from '../costBlock.js';
import { code, esc } from '../markdown.js';
import { aslToMermaid } from './mermaid.js';

/** GitHub rejects issue comment bodies longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Whether `verify` proved a handler's proposal (from `verify --format json` results). */
export interface Verification {
  equivalent: boolean;
  events: number;
}

export interface CommentContext {
  /** Names the comment (`<!-- lambda2sfn:<tag> -->`) so several jobs can keep one comment each. */
  tag: string;
  /** The exact command that reproduces this comment locally. */
  reproduce: string;
  /** Links to the PR head: `<serverUrl>/<repo>/blob/<sha>/<pathPrefix>/<file>#L<line>`; plain text without it. */
  links?: { serverUrl: string; repo: string; sha: string; pathPrefix: string };
  /** Keyed `file#export`, file relative to the report's root. */
  verifications?: Record<string, Verification>;
  /** Where the full report is kept (the job's artifacts), named in the note when sections are left out. */
  artifactUrl?: string;
  /** What the report covers, for the empty comment: e.g. "the files this pull request changes". */
  scope: string;
  limit?: number;
}

export function commentMarker(tag: string): string {
  return `<!-- lambda2sfn:${tag} -->`;
}

interface Sections {
  asl: boolean;
  diff: boolean;
  flowchart: boolean;
  /** Details for the first this many findings. */
  details: number;
  /** Table rows for the first this many findings. */
  rows: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Text inside an HTML element such as <summary>, where markdown escapes would show as written. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A fence longer than any backtick run inside the text. */
function fenced(lang: string, text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, text.replace(/\n$/, ''), fence];
}

function lineLink(ctx: CommentContext, file: string, line: number, text: string): string {
  if (!ctx.links) return text;
  const { serverUrl, repo, sha, pathPrefix } = ctx.links;
  const path = posix.join(pathPrefix, file).split('/').map(encodeURIComponent).join('/');
  return `[${text}](${serverUrl}/${repo}/blob/${sha}/${path}#L${line})`;
}

/** Monthly cost after the migration: the recommended workflow type's figure. */
function afterUsd(f: Finding): number | null | undefined {
  const c = f.savings.cost;
  if (!c) return undefined;
  return f.workflowType?.recommended === 'STANDARD' ? c.standardMonthlyUsd : c.expressMonthlyUsd;
}

function costCell(f: Finding): string {
  const c = f.savings.cost;
  if (f.convertible === 'none') return '–';
  if (!c) return 'not estimated';
  const type = f.workflowType?.recommended === 'STANDARD' ? 'Standard' : 'Express';
  return `${usd(c.lambdaMonthlyUsd)} → ${usd(afterUsd(f))} (${type})`;
}

function verifiedCell(f: Finding, ctx: CommentContext): string {
  const v = ctx.verifications?.[`${f.file}#${f.export}`];
  if (!v) return 'not verified';
  return v.equivalent ? `equivalent on ${plural(v.events, 'event')}` : '**not equivalent**';
}

export function headline(report: ScanReport): string {
  const s = report.summary;
  const movable = report.findings.filter((f) => f.convertible !== 'none');
  const stays = s.none ? `; ${s.none} stay${s.none === 1 ? 's' : ''} in Lambda` : '';
  const lines = `${plural(s.handlerLinesRemovable, 'handler line')} removable, ${plural(s.aslLinesAdded, 'ASL line')} added`;
  if (!movable.length) return `**None of the ${plural(s.handlers, 'handler')} could move to Step Functions** yet: the blockers below keep ${s.handlers === 1 ? 'it' : 'them'} in Lambda.`;
  const kinds = [s.full ? `${s.full} full` : '', s.partial ? `${s.partial} partial` : ''].filter(Boolean).join(', ');
  return `**${movable.length} of ${plural(s.handlers, 'handler')} could move to Step Functions** (${kinds}${stays}): ${lines}; ${costSentence(movable)}.`;
}

function costSentence(movable: Finding[]): string {
  const missing = movable.filter((f) => !f.savings.cost);
  if (missing.length) return `monthly cost not estimated: ${plural(missing.length, 'handler')} without an estimate (${missing.map((f) => code(f.file)).join(', ')})`;
  const unpriced = movable.filter((f) => f.savings.cost!.lambdaMonthlyUsd === null || afterUsd(f) === null);
  if (unpriced.length) {
    const regions = [...new Set(unpriced.map((f) => f.savings.cost!.assumptions.region))];
    return `monthly cost not estimated: the prices ${regions.length === 1 ? `of ${regions[0]} are` : `of ${regions.join(', ')} are`} not all sourced`;
  }
  const before = movable.reduce((n, f) => n + f.savings.cost!.lambdaMonthlyUsd!, 0);
  const after = movable.reduce((n, f) => n + afterUsd(f)!, 0);
  return `monthly cost ${usd(before)} → ${usd(after)} under the stated usage (each handler's assumptions are in its details)`;
}

function table(report: ScanReport, ctx: CommentContext, rows: number): string[] {
  const out = ['| Handler | Verdict | Workflow type | Lines removed / ASL added | $/month before → after | Verified? |', '|---|---|---|---|---|---|'];
  for (const f of report.findings.slice(0, rows)) {
    const where = lineLink(ctx, f.file, f.line, code(`${f.file}:${f.line}`));
    const lines = f.convertible === 'none' ? '–' : `${f.savings.lines.removed} / ${f.savings.lines.asl}`;
    out.push(`| ${where} ${esc(f.export)} | ${f.convertible} | ${f.workflowType?.recommended ?? '–'} | ${lines} | ${costCell(f)} | ${f.convertible === 'none' ? '–' : verifiedCell(f, ctx)} |`);
  }
  if (rows < report.findings.length) out.push('', `…and ${plural(report.findings.length - rows, 'more handler')} (in the full report).`);
  return out;
}

/** What would unblock a blocker: the rule's documentation says which forms it recognises. */
function unblock(rule: string): string {
  return rule === 'unsupported-construct' ? 'rewrite it with a supported construct, or keep this code in Lambda' : `see \`npx lambda2sfn rules ${rule}\` for the forms it converts`;
}

function details(f: Finding, ctx: CommentContext, sec: Sections): string[] {
  const summary = html(`${f.file}:${f.line} ${f.export}: ${f.convertible}${f.workflowType ? ` · ${f.workflowType.recommended}` : ''}`);
  const out = [`<details><summary>${summary}</summary>`, '', esc(f.reason), ''];
  const sm = f.convertible === 'none' ? undefined : f.stateMachine;
  if (sm && sec.flowchart) out.push(...fenced('mermaid', aslToMermaid(sm.definition)), '');
  if (f.blockers.length) {
    out.push(f.convertible === 'none' ? '**Blockers** (they keep the handler in Lambda)' : '**Blockers** (this code stays in Lambda)', '');
    for (const b of [...f.blockers].sort((x, y) => x.line - y.line)) out.push(`- ${lineLink(ctx, f.file, b.line, `line ${b.line}`)}: ${esc(b.message)} (${code(b.rule)}); to unblock: ${unblock(b.rule)}`);
    out.push('');
  }
  if (f.assumptions.length) {
    out.push('**Assumptions**', '');
    for (const a of f.assumptions) out.push(`- ${a.line ? `${lineLink(ctx, f.file, a.line, `line ${a.line}`)}: ` : ''}${esc(a.message)}`);
    out.push('');
  }
  if (f.savings.cost && f.convertible !== 'none') {
    const b = costBlock(f.savings.cost);
    const sentence = (t: string) => (/[.!?]$/.test(t) ? t : `${t}.`);
    out.push(`**Cost**: ${esc(b.headline)}. ${esc(sentence(b.verdict))}`, '', `Assumed usage: ${b.assumptions.map(esc).join('; ')}.`, '');
  }
  if (sm && sec.asl) out.push('<details><summary>Proposed ASL</summary>', '', ...fenced('json', JSON.stringify(sm.definition, null, 2)), '', '</details>', '');
  if (f.diff && sec.diff) out.push('<details><summary>The change (unified diff)</summary>', '', ...fenced('diff', f.diff), '', '</details>', '');
  out.push('</details>');
  return out;
}

function shortenedNote(report: ScanReport, ctx: CommentContext, sec: Sections): string | undefined {
  const left: string[] = [];
  if (!sec.asl) left.push('the proposed ASL');
  if (!sec.diff && report.findings.some((f) => f.diff)) left.push('the diffs');
  if (!sec.flowchart) left.push('the flowcharts');
  const n = report.findings.length;
  if (sec.details < n) left.push(`the details of ${plural(n - sec.details, 'handler')}`);
  if (sec.rows < n) left.push(`the table rows of ${plural(n - sec.rows, 'handler')}`);
  if (!left.length) return undefined;
  const where = ctx.artifactUrl ? `the full report is in [the job's artifacts](${ctx.artifactUrl})` : 'run the command below for the full report';
  return `> [!NOTE]\n> Shortened to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: left out ${left.join(', ')}; ${where}.`;
}

function render(report: ScanReport, ctx: CommentContext, sec: Sections): string {
  const out = [commentMarker(ctx.tag), '### lambda2sfn: Step Functions proposals', '', headline(report), ''];
  const note = shortenedNote(report, ctx, sec);
  if (note) out.push(note, '');
  out.push(...table(report, ctx, sec.rows), '');
  for (const f of report.findings.slice(0, sec.details)) out.push(...details(f, ctx, sec), '');
  if (report.errors.length) {
    out.push(`**${plural(report.errors.length, 'file')} could not be scanned**`, '');
    for (const e of report.errors) out.push(`- ${lineLink(ctx, e.file, e.line ?? 1, code(`${e.file}${e.line ? `:${e.line}` : ''}`))}: ${esc(e.message)}`);
    out.push('');
  }
  out.push(...footer(ctx));
  return out.join('\n') + '\n';
}

function footer(ctx: CommentContext): string[] {
  return ['---', `Reproduce locally: ${code(ctx.reproduce)}. This comment updates itself on every push (tag ${code(ctx.tag)}).`];
}

/** The comment body, or undefined when the report has nothing to say and `always` is not set. */
export function renderPullRequestComment(report: ScanReport, ctx: CommentContext, always = false): string | undefined {
  if (!report.findings.length && !report.errors.length) {
    if (!always) return undefined;
    return [commentMarker(ctx.tag), '### lambda2sfn: Step Functions proposals', '', `No Lambda handler to report in ${ctx.scope}.`, '', ...footer(ctx)].join('\n') + '\n';
  }
  const limit = ctx.limit ?? GITHUB_COMMENT_LIMIT;
  const n = report.findings.length;
  const fits = (sec: Sections) => render(report, ctx, sec).length <= limit;
  // Largest sections first: every ASL, then every diff, then the flowcharts, then whole details, then table rows.
  const ladder: Sections[] = [
    { asl: true, diff: true, flowchart: true, details: n, rows: n },
    { asl: false, diff: true, flowchart: true, details: n, rows: n },
    { asl: false, diff: false, flowchart: true, details: n, rows: n },
    { asl: false, diff: false, flowchart: false, details: n, rows: n },
  ];
  for (const sec of ladder) if (fits(sec)) return render(report, ctx, sec);
  const bare: Sections = { asl: false, diff: false, flowchart: false, details: 0, rows: n };
  if (fits(bare)) return render(report, ctx, { ...bare, details: largest(n, (k) => fits({ ...bare, details: k })) });
  return render(report, ctx, { ...bare, rows: largest(n, (k) => fits({ ...bare, rows: k })) });
}

/** The largest k in [0, n] with ok(k), for ok true at 0 and monotone. */
function largest(n: number, ok: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
