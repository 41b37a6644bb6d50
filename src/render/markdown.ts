// Markdown output (`scan --format markdown`): a pure renderer of the report, for PR comments and READMEs.
// Costs appear with their assumptions beside them; cost and line counts are never netted into one number.
import type { Finding, ScanReport } from '../report/types.js';
import { costBlock, usd } from './costBlock.js';

export interface MarkdownOptions {
  /** Include the proposed ASL in a collapsed block under each convertible finding. */
  showAsl: boolean;
}

/** Escapes text for a table cell or inline prose. */
export function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`[\]<>])/g, '\\$1').replace(/\n/g, ' ');
}

export function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text.includes('`') ? ` ${text} ` : text}${ticks}`;
}

export function renderMarkdown(report: ScanReport, opts: MarkdownOptions): string {
  const s = report.summary;
  const out: string[] = [];
  out.push('# lambda2sfn scan', '');
  out.push(
    `${s.handlers} handler${s.handlers === 1 ? '' : 's'} in ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'}: **${s.full} full**, ${s.partial} partial, ${s.none} none` +
      `${s.suppressed ? `, ${s.suppressed} suppressed` : ''}; ${s.handlerLinesRemovable} handler lines removable, ${s.aslLinesAdded} ASL lines added` +
      `${s.errors ? `; ${s.errors} error${s.errors === 1 ? '' : 's'}` : ''}.`,
    '',
  );
  if (report.findings.length) {
    out.push('| Handler | Verdict | Event source | Lines removed / ASL added | Lambda $/month | Express $/month | Standard $/month | Workflow type |');
    out.push('|---|---|---|---|---|---|---|---|');
    for (const f of report.findings) {
      const c = f.savings.cost;
      out.push(
        `| ${code(`${f.file}:${f.line}`)} ${esc(f.export)} | ${f.convertible} | ${f.eventSource} | ${f.savings.lines.removed} / ${f.savings.lines.asl} | ${c ? usd(c.lambdaMonthlyUsd) : '–'} | ${c ? usd(c.expressMonthlyUsd) : '–'} | ${c ? usd(c.standardMonthlyUsd) : '–'} | ${f.workflowType?.recommended ?? '–'} |`,
      );
    }
    out.push('');
  }
  for (const f of report.findings) out.push(...finding(f, opts), '');
  if (report.errors.length) {
    out.push('## Errors', '');
    for (const e of report.errors) out.push(`- ${code(`${e.file}${e.line ? `:${e.line}` : ''}`)}: ${esc(e.message)}`);
    out.push('');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function finding(f: Finding, opts: MarkdownOptions): string[] {
  const out: string[] = [];
  out.push(`## ${code(`${f.file}:${f.line}`)} ${esc(f.export)}: ${f.convertible}`, '');
  out.push(esc(f.reason), '');
  const words = f.convertible === 'none' ? ['would convert on its own', 'blocked'] : ['converts', 'stays in the handler'];
  if (f.routes) out.push(`Routes: ${f.routes.map((r) => `${code(r.route)} ${r.convertible === 'full' ? words[0] : words[1]}`).join(', ')}`, '');
  if (f.blockers.length) {
    out.push('**Blockers**', '');
    for (const b of f.blockers) out.push(`- line ${b.line}: ${esc(b.message)} (${code(b.rule)})`);
    out.push('');
  }
  if (f.assumptions.length) {
    out.push('**Assumptions**', '');
    for (const a of f.assumptions) out.push(`- ${a.line ? `line ${a.line}: ` : ''}${esc(a.message)}`);
    out.push('');
  }
  if (!f.stateMachine || f.convertible === 'none') return out;
  const sm = f.stateMachine;
  out.push(`**State machine**: ${sm.states} states, ${sm.queryLanguage}, ${sm.validation.valid ? 'valid' : 'INVALID'}; resources: ${sm.resources.map(code).join(', ')}`, '');
  if (sm.frontDoor) {
    out.push('**API front door**: API Gateway REST → `StartSyncExecution`, with request/response templates that keep the HTTP contract (`stateMachine.frontDoor` in the JSON report)', '');
    for (const n of sm.frontDoor.notes) out.push(`- ${esc(n)}`);
    if (sm.frontDoor.notes.length) out.push('');
  }
  for (const r of f.routeMachines ?? []) out.push(`- route ${code(r.route)}: its own state machine, ${r.stateMachine.states} states${r.match ? `, selected when ${code(r.match.field)} is ${r.match.values.map(code).join(' or ')}` : ', the catch-all route'}`);
  if (f.routeMachines?.length) out.push('');
  const l = f.savings.lines;
  out.push(`**Lines**: ${l.removed} of ${l.handler} handler lines removed; ${l.asl} ASL lines added.`, '');
  if (f.savings.cost) {
    const b = costBlock(f.savings.cost);
    const c = f.savings.cost;
    out.push(`**Cost**: ${esc(b.headline)}`, '');
    out.push(`> ${esc(b.verdict)}`, '');
    out.push('| | $/month | How |', '|---|---|---|');
    const how = (lines: typeof c.breakdown.lambda) => lines.map((x) => `${esc(x.item)}: ${x.quantity.toLocaleString('en-US')} ${x.unit} = ${usd(x.usd)}`).join('; ') || 'no verified price';
    out.push(`| Lambda (today) | ${usd(c.lambdaMonthlyUsd)} | ${how(c.breakdown.lambda)} |`);
    out.push(`| Express | ${usd(c.expressMonthlyUsd)} | ${how(c.breakdown.express)} |`);
    out.push(`| Standard | ${usd(c.standardMonthlyUsd)} | ${how(c.breakdown.standard)} |`);
    out.push('');
    out.push('Assumptions:', '');
    for (const a of b.assumptions) out.push(`- ${esc(a)}`);
    for (const m of b.model) out.push(`- ${esc(m)}`);
    out.push('', `Break-even: ${esc(b.breakEven)}`, '');
    if (b.range) out.push(`Range: ${esc(b.range)}`, '');
    if (b.notes.length) {
      for (const n of b.notes) out.push(`- ${esc(n)}`);
      out.push('');
    }
  }
  if (f.workflowType) {
    out.push(`**Workflow type**: ${f.workflowType.recommended}${f.workflowType.required ? ' (required)' : ''}`, '');
    for (const r of f.workflowType.reasons) out.push(`- ${esc(r)}`);
    out.push('');
  }
  const facts = (f.savings.facts ?? []).filter((x) => x.kind !== 'lines');
  if (facts.length) {
    out.push('**Other savings** (facts, not dollars)', '');
    for (const x of facts) out.push(`- ${esc(x.message)}`);
    out.push('');
  }
  if (f.diff) out.push('<details><summary>The change (unified diff)</summary>', '', '```diff', f.diff.replace(/\n$/, ''), '```', '', '</details>', '');
  if (opts.showAsl) out.push('<details><summary>Proposed ASL</summary>', '', '```json', JSON.stringify(sm.definition, null, 2), '```', '', '</details>');
  return out;
}
