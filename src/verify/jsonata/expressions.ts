// Evaluating a JSONata-mode field value: `{% expr %}` strings are expressions (on the real `jsonata` library),
// every other string is a literal, objects and arrays are templates evaluated value by value.
import jsonata from 'jsonata';
import { InvalidJsonataDefinition, NotSupportedByExecutor, StatesFailure } from './errors.js';
import { ExpressionFailure, SFN_FUNCTIONS } from './sfnFunctions.js';

// No space is allowed before `{%` or after `%}`; newlines inside are allowed.
const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function expressionText(value: unknown): string | undefined {
  return typeof value === 'string' ? EXPRESSION.exec(value)?.[1] : undefined;
}

interface Compiled {
  expression: jsonata.Expression;
  /** Variables the expression reads that it does not define itself (its own `:=` and lambda parameters). */
  freeVariables: Set<string>;
}

const compiled = new Map<string, Compiled>();

function collectVariables(node: unknown, used: Set<string>, defined: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectVariables(n, used, defined);
    return;
  }
  const n = node as Record<string, unknown> & { type?: string; value?: unknown };
  if (n.type === 'variable' && typeof n.value === 'string') used.add(n.value);
  if (n.type === 'bind' || (n.type === 'binary' && n.value === ':=')) {
    const lhs = n['lhs'] as { value?: unknown } | undefined;
    if (typeof lhs?.value === 'string') defined.add(lhs.value);
  }
  if (n.type === 'lambda') for (const a of (n['arguments'] as Array<{ value?: unknown }> | undefined) ?? []) if (typeof a.value === 'string') defined.add(a.value);
  // Path steps can bind focus/index variables (`@$x`, `#$i`).
  for (const k of ['focus', 'index', 'tuple']) if (typeof n[k] === 'string') defined.add(n[k] as string);
  for (const [k, v] of Object.entries(n)) if (k !== 'value' || typeof v === 'object') collectVariables(v, used, defined);
}

const builtIns = new Map<string, boolean>();
/** Whether `$name` is one of JSONata's own functions (asked of the library itself, not a copied list). */
async function isBuiltIn(name: string): Promise<boolean> {
  let known = builtIns.get(name);
  if (known === undefined) {
    const v = (await jsonata(`$${name}`).evaluate(undefined)) as { _jsonata_function?: boolean } | undefined;
    known = v?._jsonata_function === true;
    builtIns.set(name, known);
  }
  return known;
}

function compile(text: string): Compiled {
  let c = compiled.get(text);
  if (!c) {
    let expression: jsonata.Expression;
    try {
      expression = jsonata(text);
    } catch (e) {
      throw new InvalidJsonataDefinition(`JSONata syntax error in {%${text}%}: ${(e as Error).message}`);
    }
    const used = new Set<string>();
    const defined = new Set<string>();
    collectVariables(expression.ast(), used, defined);
    const freeVariables = new Set([...used].filter((v) => !defined.has(v)));
    c = { expression, freeVariables };
    compiled.set(text, c);
  }
  return c;
}

export interface EvaluationData {
  /** `$states`: input, context, and result or errorOutput where the field may read them. */
  states: Record<string, unknown>;
  /** Every variable visible from the state (its own scope and the enclosing ones). */
  variables: Record<string, unknown>;
}

const RESERVED = new Set(['states', ...Object.keys(SFN_FUNCTIONS)]);

function queryError(where: string, message: string): StatesFailure {
  return new StatesFailure('States.QueryEvaluationError', `${where}: ${message}`);
}

/** One expression. Undefined results, failures and functions become States.QueryEvaluationError. */
export async function evaluateExpression(text: string, data: EvaluationData, where: string): Promise<unknown> {
  const { expression, freeVariables } = compile(text);
  for (const name of freeVariables) {
    // `$` (name '') and `$$` (name '$') at the top of an expression are not allowed in Step Functions.
    if (name === '' || name === '$') throw new InvalidJsonataDefinition(`${where}: $ and $$ are not allowed at the top level of an expression; use $states.input / $states.context`);
    if (RESERVED.has(name) || Object.hasOwn(data.variables, name)) continue;
    if (await isBuiltIn(name)) continue;
    // Referencing an unassigned variable is a QueryEvaluationError.
    throw queryError(where, `the variable $${name} is not assigned`);
  }
  let value: unknown;
  try {
    value = await expression.evaluate(undefined, { ...data.variables, ...SFN_FUNCTIONS, states: data.states });
  } catch (e) {
    if (e instanceof NotSupportedByExecutor || e instanceof StatesFailure) throw e;
    const message = e instanceof ExpressionFailure ? e.message : `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`.trim();
    throw queryError(where, message);
  }
  if (value === undefined) throw queryError(where, `the expression {%${text}%} returned no value`);
  if (typeof value === 'function' || (typeof value === 'object' && value !== null && ('_jsonata_function' in value || '_jsonata_lambda' in value))) {
    throw queryError(where, `the expression {%${text}%} returned a function`);
  }
  return toJson(value);
}

/** JSONata sequences carry extra properties; the state data is plain JSON. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** A field value: an expression string, a literal, or an object/array template of them. */
export async function evaluateTemplate(value: unknown, data: EvaluationData, where: string): Promise<unknown> {
  const text = expressionText(value);
  if (text !== undefined) return evaluateExpression(text, data, where);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, v] of value.entries()) out.push(await evaluateTemplate(v, data, `${where}[${i}]`));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('.$')) throw new InvalidJsonataDefinition(`${where}.${k}: keys ending in .$ are JSONPath syntax; JSONata states do not take them`);
      out[k] = await evaluateTemplate(v, data, `${where}.${k}`);
    }
    return out;
  }
  return value;
}
