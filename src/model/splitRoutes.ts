// `--routing split`: one workflow per route instead of one with a Choice. API Gateway then picks the route (one
// integration per method/route key), so only a top-level switch on a route field can be split, and only when
// nothing but plain values is computed before it (each route's workflow repeats those steps).
import type { Step } from './workflow.js';

export interface RouteWorkflow {
  route: string;
  /** The event field and the values that select this route; absent for the default route. */
  match?: { field: string; values: string[] };
  steps: Step[];
}

export type SplitResult = { ok: true; routes: RouteWorkflow[] } | { ok: false; reason: string };

export function splitRoutes(steps: Step[]): SplitResult {
  const at = steps.findIndex((s) => s.kind !== 'let');
  const sw = steps[at];
  if (!sw || sw.kind !== 'switch' || sw.on.kind !== 'event') return { ok: false, reason: 'split routing needs the handler to start with a switch on a route field (if-chains and nested routes keep one state machine with a Choice)' };
  if (at !== steps.length - 1) return { ok: false, reason: 'split routing needs the route switch to be the last statement of the handler' };
  const prefix = steps.slice(0, at);
  const field = sw.on.path.join('.');
  const routes: RouteWorkflow[] = sw.cases.map((c) => ({ route: c.values.join(' | '), match: { field, values: c.values }, steps: [...prefix, ...c.body] }));
  routes.push({ route: 'default', steps: [...prefix, ...sw.default] });
  return { ok: true, routes };
}
