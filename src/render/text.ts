// Text output: a pure renderer of the report. Colours only when asked (a TTY), via picocolors.
// By default a few lines per handler (verdict, why, blockers, assumptions, the figures), so a project fits on a
// screen; --verbose adds the cost model, substitutions, front-door notes and workflow reasons, --asl the definitions.
import pc from 'picocolors';
import type { Finding, ScanReport } from '../report/types.js';
import { costBlock, usd } from './costBlock.js';

export interface TextOptions {
  color: boolean;
  /** Print the proposed ASL under each convertible finding. */
  showAsl: boolean;
  /** Print everything the report says about each finding, not only the summary lines. */
  verbose?: boolean;
  /** Print each finding's proposal notes and unified diff (scan --diff). */
  showDiff?: boolean;
}

export function renderText(report: ScanReport, opts: TextOptions): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const verdict = (f: Finding) =>
    f.convertible === 'full' ? c.green('full') : f.convertible === 'partial' ? c.yellow('partial') : c.dim('none');
  for (const f of report.findings) {
    // Where the event source comes from: the infrastructure's declaration, or (no file named) the code's guess.
    const source = f.deployment?.eventSource ? `${f.eventSource}, declared in ${f.deployment.file}` : f.eventSource;
    out.push(`${c.bold(`${f.file}:${f.line}`)} ${c.cyan(f.export)} ${verdict(f)} ${c.dim(`[${source}]`)}`);
    out.push(`  ${f.reason}`);
    // With no proposal, a route's verdict says what it would do on its own.
    const words = f.convertible === 'none' ? ['would convert on its own', 'blocked'] : ['converts', 'stays in the handler'];
    if (f.routes) out.push(`  routes: ${f.routes.map((r) => `${r.route} ${r.convertible === 'full' ? c.green(words[0]!) : c.yellow(words[1]!)}`).join(', ')}`);
    for (const b of f.blockers) out.push(`  ${c.red('blocker')} line ${b.line}: ${b.message} ${c.dim(`(${b.rule})`)}`);
    for (const a of f.assumptions) out.push(`  ${c.yellow('assumes')} ${a.line ? `line ${a.line}: ` : ''}${a.message}`);
    if (f.stateMachine && f.convertible !== 'none' && !opts.verbose) {
      const sm = f.stateMachine;
      const l = f.savings.lines;
      out.push(`  state machine: ${sm.states} states, ${sm.queryLanguage}, ${sm.validation.valid ? c.green('valid') : c.red('INVALID')}; ${l.removed} of ${l.handler} handler lines removed, ${l.asl} ASL lines added`);
      const cost = f.savings.cost;
      if (cost) out.push(`  monthly cost: Lambda ${usd(cost.lambdaMonthlyUsd)} · Express ${usd(cost.expressMonthlyUsd)} · Standard ${usd(cost.standardMonthlyUsd)}${cost.cheapest ? ` (${cost.cheapest === 'lambda' ? c.yellow('Lambda is cheaper') : `${cost.cheapest} is cheapest`})` : ''}`);
      if (f.workflowType) out.push(`  workflow type: ${c.bold(f.workflowType.recommended)}${f.workflowType.required ? ' (required)' : ''}`);
      if (opts.showAsl) out.push(indent(JSON.stringify(sm.definition, null, 2), '    '));
    }
    if (f.stateMachine && f.convertible !== 'none' && opts.verbose) {
      const sm = f.stateMachine;
      out.push(`  state machine: ${sm.states} states, ${sm.queryLanguage}, ${sm.validation.valid ? c.green('valid') : c.red('INVALID')}; resources: ${sm.resources.join(', ')}`);
      if (sm.queryLanguage === 'JSONata' && sm.queryLanguageReason) out.push(c.dim(`  query language: JSONata: ${sm.queryLanguageReason}`));
      const subs = Object.entries(sm.substitutions);
      if (subs.length) out.push(`  substitutions: ${subs.map(([k, v]) => `\${${k}} ← ${v}`).join(', ')}`);
      for (const r of f.routeMachines ?? []) out.push(`  route ${r.route}: its own state machine, ${r.stateMachine.states} states, ${r.stateMachine.validation.valid ? c.green('valid') : c.red('INVALID')}${r.match ? ` (selected when ${r.match.field} is ${r.match.values.join(' or ')})` : ' (the catch-all route)'}`);
      if (sm.frontDoor) {
        out.push(`  front door: API Gateway REST → StartSyncExecution; request/response templates in the JSON report (stateMachine.frontDoor)`);
        for (const n of sm.frontDoor.notes) out.push(`    ${c.dim(`note: ${n}`)}`);
      }
      const l = f.savings.lines;
      out.push(`  lines: ${l.removed} of ${l.handler} handler lines removed, ${l.asl} ASL lines added`);
      if (f.savings.cost) {
        const b = costBlock(f.savings.cost);
        out.push(`  ${c.bold(b.headline)}`);
        out.push(`    ${f.savings.cost.cheapest === 'lambda' ? c.yellow(b.verdict) : b.verdict}`);
        out.push(`    ${c.dim('assumes:')} ${b.assumptions.join('; ')}`);
        for (const m of b.model) out.push(`    ${c.dim('model:')} ${m}`);
        out.push(`    ${c.dim('break-even:')} ${b.breakEven}`);
        if (b.range) out.push(`    ${c.yellow('range:')} ${b.range}`);
        for (const n of b.notes) out.push(`    ${c.dim('note:')} ${n}`);
      }
      if (f.workflowType) {
        out.push(`  workflow type: ${c.bold(f.workflowType.recommended)}${f.workflowType.required ? ' (required)' : ''}`);
        for (const r of f.workflowType.reasons) out.push(`    - ${r}`);
      }
      for (const fact of (f.savings.facts ?? []).filter((x) => x.kind !== 'lines')) out.push(`  ${c.dim('also:')} ${fact.message}`);
      if (opts.showAsl) out.push(indent(JSON.stringify(sm.definition, null, 2), '    '));
    }
    if (f.deployment) {
      const d = f.deployment;
      const dflt = (k: 'memoryMb' | 'timeoutS' | 'architecture') => (d.defaults?.includes(k) ? ' (default)' : '');
      const sizing = [d.memoryMb !== undefined ? `${d.memoryMb} MB${dflt('memoryMb')}` : '', d.timeoutS !== undefined ? `${d.timeoutS} s${dflt('timeoutS')}` : '', d.architecture ? `${d.architecture}${dflt('architecture')}` : '']
        .filter(Boolean)
        .join(', ');
      const routes = d.routes?.map((r) => `${r.method} ${r.path}`).join(', ');
      out.push(`  deployed by: ${d.file}${d.line ? `:${d.line}` : ''} ${d.resource} (${d.iac})${sizing ? `; ${sizing}` : ''}${routes ? `; ${routes}` : ''}`);
    }
    if (opts.showDiff && f.proposal) {
      for (const n of f.proposal.notes) out.push(`  ${c.cyan('note')} ${n}`);
      for (const n of f.proposal.conflicts) out.push(`  ${c.red('not applicable')} ${n}`);
      if (f.diff) out.push(colorDiff(f.diff.replace(/\n$/, ''), c));
    }
    out.push('');
  }
  // The file problems themselves go to stderr (the scan command prints them); the count stays here.
  const s = report.summary;
  out.push(
    `${s.handlers} handler${s.handlers === 1 ? '' : 's'} in ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'}: ` +
      `${c.green(`${s.full} full`)}, ${c.yellow(`${s.partial} partial`)}, ${s.none} none` +
      `${s.suppressed ? `, ${s.suppressed} suppressed` : ''}; ${s.handlerLinesRemovable} handler lines removable, ${s.aslLinesAdded} ASL lines added` +
      `${s.errors ? `; ${c.yellow(`${s.errors} file${s.errors === 1 ? '' : 's'} not scanned (see stderr)`)}` : ''}`,
  );
  if (!opts.verbose) {
    // The usage behind the cost figures, once when every finding shares it.
    const usages = new Set(report.findings.flatMap((f) => (f.savings.cost ? [costUsage(f.savings.cost)] : [])));
    if (usages.size === 1) out.push(c.dim(`monthly costs assume ${[...usages][0]}`));
    else if (usages.size > 1) out.push(c.dim('monthly costs assume different usage per handler (--verbose shows it)'));
    out.push(c.dim(`more: --verbose (cost model, substitutions, front door, workflow reasons), --asl (definitions), --format json (everything)`));
  }
  return out.join('\n') + '\n';
}

function costUsage(cost: NonNullable<Finding['savings']['cost']>): string {
  const b = costBlock(cost);
  return `${b.assumptions.join('; ')}; prices as of ${cost.assumptions.pricesAsOf}`;
}

export function colorDiff(diff: string, c: ReturnType<typeof pc.createColors>): string {
  return diff
    .split('\n')
    .map((l) => (/^(diff --git|new file|deleted file|--- |\+\+\+ )/.test(l) ? c.bold(l) : l.startsWith('@@') ? c.cyan(l) : l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l))
    .join('\n');
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => pad + l).join('\n');
}
