// The handler checklist: full findings first, then partial, each by handler lines removed and monthly cost saved;
// a `none` finding is listed greyed with its first blocker.
import { usd } from '../render/costBlock.js';
import type { Finding } from '../report/types.js';
import type { Choice } from './prompter.js';

/** Lambda cost minus the cheaper workflow's (positive: the state machine is cheaper); undefined when not estimated. */
export function costSaved(f: Finding): number | undefined {
  const c = f.savings.cost;
  if (!c || c.lambdaMonthlyUsd === null) return undefined;
  const after = [c.expressMonthlyUsd, c.standardMonthlyUsd].filter((x): x is number => x !== null);
  return after.length ? c.lambdaMonthlyUsd - Math.min(...after) : undefined;
}

const RANK: Record<Finding['convertible'], number> = { full: 0, partial: 1, none: 2 };

export function orderFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      RANK[a.convertible] - RANK[b.convertible] ||
      b.savings.lines.removed - a.savings.lines.removed ||
      (costSaved(b) ?? -Infinity) - (costSaved(a) ?? -Infinity) ||
      a.file.localeCompare(b.file) ||
      a.export.localeCompare(b.export),
  );
}

export const handlerKey = (f: Finding) => `${f.file}#${f.export}`;

/** The checklist entry of a finding: what it is, how it converts, what it saves, and why, on one line. */
export function handlerChoice(f: Finding, width: number): Choice<string> {
  const saved = costSaved(f);
  const figures = f.convertible === 'none' ? '' : ` −${f.savings.lines.removed} lines${saved !== undefined ? `, ${saved >= 0 ? `saves ${usd(saved)}` : `costs ${usd(-saved)} more`}/month` : ''}`;
  const head = `${handlerKey(f)}  ${f.convertible}${figures}`;
  if (f.convertible === 'none' || !f.stateMachine) {
    const first = f.blockers[0];
    return { value: f.id, name: fit(head, width), disabled: fit(first ? `line ${first.line}: ${first.message}` : f.reason, Math.max(20, width - head.length - 6)) };
  }
  return { value: f.id, name: fit(`${head} — ${f.reason}`, width), checked: f.convertible === 'full' };
}

/** `--handlers`: finding ids, `file#export`, or a file (all its handlers). */
export function matchHandlers(findings: Finding[], wanted: string[]): { ids: string[]; unknown: string[] } {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const w of wanted) {
    const hit = findings.filter((f) => f.id === w || handlerKey(f) === w || f.file === w);
    if (hit.length === 0) unknown.push(w);
    for (const f of hit) if (!ids.includes(f.id)) ids.push(f.id);
  }
  return { ids, unknown };
}

export function fit(s: string, width: number): string {
  const chars = [...s];
  return chars.length > width ? `${chars.slice(0, Math.max(1, width - 1)).join('')}…` : s;
}
