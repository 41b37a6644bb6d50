// The proposed state machine as a box-and-arrow drawing for the terminal: the ASL becomes a mermaid flowchart
// (one node per top-level state, Choice branches labelled with their condition, Catch edges with the error),
// which beautiful-mermaid lays out as Unicode (or ASCII) text.
import { successors } from '../model/aslGraph.js';
import type { AslDefinition, AslState } from '../report/types.js';

/** A drawing taller than this many states is hard to read in a terminal: the states are listed instead. */
const MAX_DRAWN_STATES = 24;
const LABEL_MAX = 24;

export function aslToMermaid(definition: AslDefinition): string {
  const names = Object.keys(definition.States);
  const id = (name: string) => `s${names.indexOf(name)}`;
  const lines = ['flowchart TD'];
  for (const name of names) lines.push(`  ${id(name)}${shape(definition.States[name]!, name)}`);
  for (const name of names) {
    // Several rules with one target are one arrow (mermaid would draw their labels on top of each other).
    const merged = new Map<string, string[]>();
    for (const edge of edgesOf(definition.States[name]!)) {
      if (!names.includes(edge.to)) continue;
      const labels = merged.get(edge.to) ?? [];
      if (edge.label) labels.push(edge.label);
      merged.set(edge.to, labels);
    }
    for (const [to, labels] of merged) lines.push(`  ${id(name)} -->${labels.length ? `|${quote(shorten(labels.join(' or ')))}|` : ''} ${id(to)}`);
  }
  return lines.join('\n');
}

export interface DrawOptions {
  /** Terminal columns: lines are cut to fit. */
  width: number;
  color: boolean;
  ascii?: boolean;
}

export async function drawStateMachine(definition: AslDefinition, opts: DrawOptions): Promise<string> {
  const names = Object.keys(definition.States);
  if (names.length > MAX_DRAWN_STATES) return listStates(definition, opts.width, `${names.length} states, too many to draw here; their transitions:`);
  const { renderMermaidASCII } = await import('beautiful-mermaid');
  let text: string;
  try {
    text = renderMermaidASCII(aslToMermaid(definition), { useAscii: opts.ascii ?? false, colorMode: opts.color ? 'ansi16' : 'none', paddingX: 3, paddingY: 2, boxBorderPadding: 0 });
  } catch (e) {
    return listStates(definition, opts.width, `the drawing failed (${(e as Error).message}); the transitions:`);
  }
  const rows = text.replace(/\s+$/gm, '').split('\n');
  const widest = Math.max(...rows.map((r) => visibleLength(r)));
  if (widest > opts.width) return listStates(definition, opts.width, `the drawing is ${widest} columns wide, the terminal ${opts.width}; the transitions:`);
  return rows.join('\n');
}

/** One line per state and where it goes: the fallback when a drawing does not fit. */
export function listStates(definition: AslDefinition, width: number, heading: string): string {
  const out = [heading];
  for (const [name, state] of Object.entries(definition.States)) {
    const edges = edgesOf(state).map((e) => (e.label ? `${e.to} (${e.label})` : e.to));
    out.push(cut(`  ${name} [${state.Type}]${edges.length ? ` → ${edges.join(', ')}` : state.Type === 'Fail' || state.Type === 'Succeed' || state['End'] ? ' → end' : ''}`, width));
  }
  return out.join('\n');
}

interface Edge {
  to: string;
  label?: string;
}

function edgesOf(state: AslState): Edge[] {
  const edges: Edge[] = [];
  const choices = (state['Choices'] as Array<Record<string, unknown>> | undefined) ?? [];
  for (const rule of choices) if (typeof rule['Next'] === 'string') edges.push({ to: rule['Next'], label: describeRule(rule) });
  if (typeof state['Default'] === 'string') edges.push({ to: state['Default'], label: 'otherwise' });
  if (typeof state['Next'] === 'string') edges.push({ to: state['Next'] });
  for (const c of (state['Catch'] as Array<Record<string, unknown>> | undefined) ?? []) {
    if (typeof c['Next'] === 'string') edges.push({ to: c['Next'], label: `error: ${((c['ErrorEquals'] as string[] | undefined) ?? []).join(', ')}` });
  }
  // successors() is the project's definition of the edges: nothing it knows may be missing here.
  for (const to of successors(state)) if (!edges.some((e) => e.to === to)) edges.push({ to });
  return edges;
}

const COMPARATORS: Record<string, string> = {
  StringEquals: '=', NumericEquals: '=', BooleanEquals: '=', TimestampEquals: '=',
  StringLessThan: '<', NumericLessThan: '<', TimestampLessThan: '<',
  StringGreaterThan: '>', NumericGreaterThan: '>', TimestampGreaterThan: '>',
  StringLessThanEquals: '≤', NumericLessThanEquals: '≤', TimestampLessThanEquals: '≤',
  StringGreaterThanEquals: '≥', NumericGreaterThanEquals: '≥', TimestampGreaterThanEquals: '≥',
  StringMatches: 'matches',
};

/** A Choice rule in a few words: `httpMethod = GET`, `Item present`, `not (…)`, or its JSONata condition. */
export function describeRule(rule: Record<string, unknown>): string {
  if (typeof rule['Condition'] === 'string') return shorten(rule['Condition'].replace(/^\{%\s*|\s*%\}$/g, ''));
  if (Array.isArray(rule['And'])) {
    // `x present and x string` says no more than `x string`.
    const parts = (rule['And'] as Array<Record<string, unknown>>).filter((r, _, all) => !(r['IsPresent'] === true && all.some((o) => o !== r && o['Variable'] === r['Variable'])));
    return shorten(parts.map(describeRule).join(' and '));
  }
  if (Array.isArray(rule['Or'])) return shorten((rule['Or'] as Array<Record<string, unknown>>).map(describeRule).join(' or '));
  if (rule['Not'] && typeof rule['Not'] === 'object') return shorten(`not ${describeRule(rule['Not'] as Record<string, unknown>)}`);
  const variable = typeof rule['Variable'] === 'string' ? lastSegments(rule['Variable']) : '?';
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next') continue;
    const base = key.replace(/Path$/, '');
    if (COMPARATORS[base]) return shorten(`${variable} ${COMPARATORS[base]} ${key.endsWith('Path') ? lastSegments(String(value)) : String(value)}`);
    const test = /^Is(Present|Null|String|Numeric|Boolean|Timestamp)$/.exec(key);
    if (test) return shorten(`${variable} ${value === false ? 'not ' : ''}${test[1]!.toLowerCase()}`);
  }
  return 'rule';
}

function shape(state: AslState, name: string): string {
  const label = quote(shorten(name));
  switch (state.Type) {
    case 'Choice': return `{${label}}`;
    case 'Fail': return `([${label}])`;
    case 'Succeed': return `([${label}])`;
    case 'Map': case 'Parallel': return `[[${label}]]`;
    case 'Pass': return `(${label})`;
    default: return `[${label}]`;
  }
}

const lastSegments = (path: string) => path.replace(/^\$\.?/, '').split('.').slice(-2).join('.');
const shorten = (s: string) => (s.length > LABEL_MAX ? `${s.slice(0, LABEL_MAX - 1)}…` : s);
/** Mermaid labels in double quotes; a double quote inside becomes a single one. */
const quote = (s: string) => `"${s.replace(/"/g, "'")}"`;
// eslint-disable-next-line no-control-regex
const visibleLength = (s: string) => [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
const cut = (s: string, width: number) => ([...s].length > width ? `${[...s].slice(0, Math.max(1, width - 1)).join('')}…` : s);
