// Attribute types the proposal had to leave to run time: a value written to DynamoDB with no static type is typed
// by a Choice on its run-time type (string → S, number → N, …). A `tables` hint (table → attribute → type) lets the
// next scan write it with its type instead. Read from the proposed definition, so the emitters stay as they are.
import type { AslDefinition, AslState } from '../report/types.js';

export interface UntypedAttribute {
  /** The key of `tables` hints: the environment variable holding the table name, or the name written in the code. */
  table: string;
  attribute: string;
  /** The Task state that writes it. */
  state: string;
}

export const ATTRIBUTE_TYPES = ['S', 'N', 'BOOL'] as const;

/** Attributes of Item/Key maps whose value comes from a run-time type Choice, once each. */
export function untypedAttributes(definition: AslDefinition, substitutions: Record<string, string>): UntypedAttribute[] {
  const states = allStates(definition.States);
  // The paths the run-time typing assigns: the ResultPath of the Pass states its Choices lead to.
  const typedAtRunTime = new Set<string>();
  for (const state of states.values()) {
    if (state.Type !== 'Choice' || !isRunTimeTypeChoice(state)) continue;
    for (const rule of state['Choices'] as Array<Record<string, unknown>>) {
      const target = states.get(String(rule['Next']));
      if (target?.Type === 'Pass' && typeof target['ResultPath'] === 'string') typedAtRunTime.add(target['ResultPath']);
    }
  }
  const out: UntypedAttribute[] = [];
  if (typedAtRunTime.size === 0) return out;
  for (const [name, state] of states) {
    if (state.Type !== 'Task' || typeof state['Resource'] !== 'string' || !state['Resource'].includes(':dynamodb:')) continue;
    const params = (state['Parameters'] ?? {}) as Record<string, unknown>;
    const table = tableKey(params['TableName'], substitutions);
    if (!table) continue;
    for (const field of ['Item', 'Key']) {
      // An Item with optional attributes is built first (a Pass per attribute that is there) and passed as a path.
      const built = params[`${field}.$`];
      if (typeof built === 'string') {
        for (const pass of states.values()) {
          const into = pass['ResultPath'];
          if (pass.Type !== 'Pass' || typeof into !== 'string' || !into.startsWith(`${built}.`) || !typedAtRunTime.has(String(pass['InputPath']))) continue;
          const attribute = into.slice(built.length + 1);
          if (!out.some((u) => u.table === table && u.attribute === attribute)) out.push({ table, attribute, state: name });
        }
      }
      const map = params[field];
      if (!map || typeof map !== 'object') continue;
      for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
        if (!key.endsWith('.$') || typeof value !== 'string' || !typedAtRunTime.has(value)) continue;
        const attribute = key.slice(0, -2);
        if (!out.some((u) => u.table === table && u.attribute === attribute)) out.push({ table, attribute, state: name });
      }
    }
  }
  return out;
}

/** `--types ORDERS_TABLE.total=N,ORDERS_TABLE.paid=BOOL` → table → attribute → type. */
export function parseTypesFlag(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^.=\s]+)\.([^=\s]+)=(\S+)$/.exec(part);
    if (!m) throw new Error(`--types: "${part}" is not TABLE.ATTRIBUTE=TYPE (e.g. ORDERS_TABLE.total=N)`);
    if (!(ATTRIBUTE_TYPES as readonly string[]).includes(m[3]!) && m[3] !== 'auto') throw new Error(`--types: ${m[3]} is not one of ${ATTRIBUTE_TYPES.join(', ')} or auto (typed at run time)`);
    (out[m[1]!] ??= {})[m[2]!] = m[3]!;
  }
  return out;
}

function isRunTimeTypeChoice(state: AslState): boolean {
  const choices = state['Choices'] as Array<Record<string, unknown>>;
  return choices.length > 0 && choices.every((c) => Array.isArray(c['And']) && (c['And'] as Array<Record<string, unknown>>).some((r) => ['IsString', 'IsNumeric', 'IsBoolean', 'IsNull'].some((k) => k in r)));
}

/** `${ItemsTable}` whose substitution is `process.env.ITEMS_TABLE` → ITEMS_TABLE; a literal name stays itself. */
function tableKey(name: unknown, substitutions: Record<string, string>): string | undefined {
  if (typeof name !== 'string') return undefined;
  const sub = /^\$\{([A-Za-z0-9_]+)\}$/.exec(name);
  if (!sub) return name;
  const source = substitutions[sub[1]!];
  return source ? /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(source)?.[1] : undefined;
}

/** Every state, also those inside Map and Parallel states. */
function allStates(states: Record<string, AslState>, out = new Map<string, AslState>()): Map<string, AslState> {
  for (const [name, state] of Object.entries(states)) {
    out.set(name, state);
    const processor = (state['ItemProcessor'] ?? state['Iterator']) as { States?: Record<string, AslState> } | undefined;
    if (processor?.States) allStates(processor.States, out);
    for (const branch of (state['Branches'] as Array<{ States: Record<string, AslState> }> | undefined) ?? []) allStates(branch.States, out);
  }
  return out;
}
