// The proposed state machine as a mermaid flowchart, for a PR comment (GitHub renders ```mermaid blocks).
// Choice branches carry their condition, Catch edges are dashed and labelled with the errors they catch,
// Map and Parallel states are subgraphs holding their inner states. Node ids are generated (n0, n1, …) so state
// names, which may hold any character, only ever appear inside quoted, entity-escaped labels. Subgraphs say
// `direction TB`: mermaid otherwise lays a cluster linked from outside across the page.
import type { AslDefinition, AslState } from '../../report/types.js';

const LABEL_MAX = 60;

/** A label inside "…": mermaid decodes #name; / #code; entities; these characters would end or change the label. */
function label(text: string): string {
  const short = text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
  return short
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n]+/g, ' ');
}

const COMPARATORS: Array<[RegExp, string]> = [
  [/Equals$/, '=='],
  [/GreaterThanEquals$/, '>='],
  [/LessThanEquals$/, '<='],
  [/GreaterThan$/, '>'],
  [/LessThan$/, '<'],
  [/Matches$/, 'matches'],
];

/** A Choice rule in words: `$.event.httpMethod == "GET"`, `not ($.x is present)`, or a JSONata condition. */
export function choiceCondition(rule: Record<string, unknown>): string {
  if (typeof rule['Condition'] === 'string') return rule['Condition'].replace(/^\{%\s*|\s*%\}$/g, '');
  if (Array.isArray(rule['And'])) return rule['And'].map((r) => group(r as Record<string, unknown>)).join(' and ');
  if (Array.isArray(rule['Or'])) return rule['Or'].map((r) => group(r as Record<string, unknown>)).join(' or ');
  if (rule['Not'] && typeof rule['Not'] === 'object') return `not ${group(rule['Not'] as Record<string, unknown>)}`;
  const variable = String(rule['Variable'] ?? '?');
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next') continue;
    const test = /^Is(Present|Null|String|Numeric|Boolean|Timestamp)$/.exec(key);
    if (test) return `${variable} ${value === false ? 'is not' : 'is'} ${test[1]!.toLowerCase()}`;
    const base = key.replace(/Path$/, '');
    const op = COMPARATORS.find(([re]) => re.test(base))?.[1];
    if (op) return `${variable} ${op} ${key.endsWith('Path') ? String(value) : JSON.stringify(value)}`;
  }
  return variable;
}

function group(rule: Record<string, unknown>): string {
  const text = choiceCondition(rule);
  return rule['And'] || rule['Or'] ? `(${text})` : text;
}

/** The service action of a Task resource, e.g. `dynamodb:getItem` for `arn:aws:states:::dynamodb:getItem`. */
function taskAction(resource: unknown): string | undefined {
  if (typeof resource !== 'string') return undefined;
  const m = /^arn:aws:states:::(.+)$/.exec(resource);
  return m ? m[1] : resource.startsWith('${') ? resource : undefined;
}

interface Machine {
  StartAt: string;
  States: Record<string, AslState>;
}

class FlowchartWriter {
  private readonly lines: string[] = ['flowchart TD'];
  private count = 0;

  write(def: AslDefinition): string {
    this.lines.push('  start(("start"))');
    const ids = this.machine(def, '  ');
    const first = ids.get(def.StartAt);
    if (first) this.lines.push(`  start --> ${first}`);
    const ends = Object.entries(def.States).filter(([, s]) => s['End'] === true || s.Type === 'Succeed');
    if (ends.length) {
      this.lines.push('  done(("end"))');
      for (const [name] of ends) this.lines.push(`  ${ids.get(name)} --> done`);
    }
    return this.lines.join('\n');
  }

  /** Declares every state of one machine (top level, a Map's processor or a Parallel branch), then its edges. */
  private machine(m: Machine, indent: string): Map<string, string> {
    const ids = new Map<string, string>();
    for (const name of Object.keys(m.States)) ids.set(name, `n${this.count++}`);
    for (const [name, state] of Object.entries(m.States)) this.node(ids.get(name)!, name, state, indent);
    for (const [name, state] of Object.entries(m.States)) this.edges(ids, ids.get(name)!, state, indent);
    return ids;
  }

  private node(id: string, name: string, state: AslState, indent: string): void {
    const inner = (state['ItemProcessor'] ?? state['Iterator']) as Machine | undefined;
    if (state.Type === 'Map' && inner?.States) {
      this.lines.push(`${indent}subgraph ${id} ["${label(`Map: ${name}`)}"]`, `${indent}  direction TB`);
      this.machine(inner, `${indent}  `);
      this.lines.push(`${indent}end`);
      return;
    }
    if (state.Type === 'Parallel' && Array.isArray(state['Branches'])) {
      this.lines.push(`${indent}subgraph ${id} ["${label(`Parallel: ${name}`)}"]`);
      (state['Branches'] as Machine[]).forEach((branch, i) => {
        this.lines.push(`${indent}  subgraph ${id}_b${i} ["${label(`branch ${i + 1}`)}"]`, `${indent}    direction TB`);
        this.machine(branch, `${indent}    `);
        this.lines.push(`${indent}  end`);
      });
      this.lines.push(`${indent}end`);
      return;
    }
    const action = state.Type === 'Task' ? taskAction(state['Resource']) : undefined;
    const text = label(action ? `${name} (${action})` : name);
    const shape =
      state.Type === 'Choice' ? `{"${text}"}`
      : state.Type === 'Succeed' ? `(["${text}"])`
      : state.Type === 'Fail' ? `[["${label(`Fail: ${name}`)}"]]`
      : state.Type === 'Wait' ? `[/"${text}"/]`
      : `["${text}"]`;
    this.lines.push(`${indent}${id}${shape}`);
  }

  private edges(ids: Map<string, string>, id: string, state: AslState, indent: string): void {
    const to = (next: unknown) => (typeof next === 'string' ? ids.get(next) : undefined);
    for (const rule of (state['Choices'] as Array<Record<string, unknown>> | undefined) ?? []) {
      const target = to(rule['Next']);
      if (target) this.lines.push(`${indent}${id} -->|"${label(choiceCondition(rule))}"| ${target}`);
    }
    const fallback = to(state['Default']);
    if (fallback) this.lines.push(`${indent}${id} -->|"otherwise"| ${fallback}`);
    const next = to(state['Next']);
    if (next) this.lines.push(`${indent}${id} --> ${next}`);
    for (const c of (state['Catch'] as Array<Record<string, unknown>> | undefined) ?? []) {
      const target = to(c['Next']);
      // DynamoDB.X and DynamoDb.X are one error in the two spellings of the integrations: name it once.
      const names = Array.isArray(c['ErrorEquals']) ? (c['ErrorEquals'] as string[]) : ['error'];
      const errors = names.filter((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i).join(', ');
      if (target) this.lines.push(`${indent}${id} -.->|"${label(`catch ${errors}`)}"| ${target}`);
    }
  }
}

/** The body of a ```mermaid block (without the fences). */
export function aslToMermaid(def: AslDefinition): string {
  return new FlowchartWriter().write(def);
}
