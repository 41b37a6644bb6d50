// What both emitters share about names and Catch blocks: the model's try/catch nesting becomes one Catch list per Task.
import type { ErrorNaming } from '../../model/workflow.js';

export interface CatchTarget {
  /** SDK exception names, or '*' for any error. */
  errors: string[];
  /** The state the catcher goes to. */
  next: string;
}

export function isIdent(k: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);
}

export function pascalWords(s: string): string {
  return s.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase());
}

/**
 * The Catch list of a Task whose errors carry `prefix` (DynamoDB's optimized and SDK integrations use different
 * prefixes, so both are caught), from the enclosing try blocks, innermost first; `extra` adds fields to each
 * catcher (JSONPath's ResultPath). States.ALL must be the last catcher, so what follows it is dropped.
 */
export function catchersFor(stack: CatchTarget[][], naming: string | ErrorNaming, extra: Record<string, unknown> = {}): Array<Record<string, unknown>> | undefined {
  const { prefix, exceptionSuffix } = typeof naming === 'string' ? { prefix: naming, exceptionSuffix: false } : naming;
  const suffixed = (e: string) => (exceptionSuffix && !e.endsWith('Exception') ? `${e}Exception` : e);
  const out: Array<Record<string, unknown>> = [];
  for (let i = stack.length - 1; i >= 0; i--) {
    for (const c of stack[i]!) {
      const errors = c.errors.includes('*') ? ['States.ALL'] : c.errors.flatMap((e) => (prefix === 'DynamoDB' || prefix === 'DynamoDb' ? [`DynamoDB.${e}`, `DynamoDb.${e}`] : [`${prefix}.${suffixed(e)}`]));
      out.push({ ErrorEquals: errors, ...extra, Next: c.next });
    }
  }
  const isAll = (c: Record<string, unknown>) => (c['ErrorEquals'] as string[])[0] === 'States.ALL';
  out.sort((a, b) => Number(isAll(a)) - Number(isAll(b)));
  const firstAll = out.findIndex(isAll);
  if (firstAll >= 0) out.splice(firstAll + 1);
  return out.length ? out : undefined;
}

/** Runs `fn` with `stack` holding `entries` for the time of the call (the enclosing try blocks of a continuation). */
export function withCatchStack<T>(stack: CatchTarget[][], entries: CatchTarget[][], fn: () => T): T {
  const saved = stack.splice(0, stack.length, ...entries);
  try {
    return fn();
  } finally {
    stack.splice(0, stack.length, ...saved);
  }
}

/**
 * Where code's own `throw new E(msg)` goes: the state of the innermost catcher that takes it (a catch-all, or one
 * naming E); undefined when no enclosing try catches it, so the execution fails.
 */
export function catcherOfThrow(stack: CatchTarget[][], errorName: string): string | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const hit = stack[i]!.find((c) => c.errors.includes('*') || c.errors.includes(errorName));
    if (hit) return hit.next;
  }
  return undefined;
}
