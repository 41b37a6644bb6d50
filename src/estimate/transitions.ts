// Walks an ASL definition route by route: for every end state, the path with the most state transitions (what a
// Standard execution pays for) and the path with the longest estimated duration (what an Express execution pays for).
// Map iterations and loops multiply; retries are noted, not counted.
import type { AslDefinition, AslState } from '../report/types.js';
import { successors } from '../model/aslGraph.js';

/** Per-call latencies used to estimate an Express execution's duration. Assumptions, stated in every estimate. */
export interface Latencies {
  /** Optimized DynamoDB single-item task (getItem, putItem, updateItem, deleteItem). */
  dynamoItemMs: number;
  /** aws-sdk:dynamodb task (query, scan, batch*, transact*). */
  dynamoSdkMs: number;
  /** SNS publish, SQS send, EventBridge putEvents. */
  messagingMs: number;
  /** HTTP Task: an outside API. */
  httpMs: number;
  /** Any other service integration. */
  otherTaskMs: number;
  /** Step Functions' own time per state, on top of the work the state does. */
  perStateMs: number;
  /** lambda:invoke overhead on top of the function's own duration. */
  lambdaInvokeMs: number;
}

export const DEFAULT_LATENCIES: Latencies = {
  dynamoItemMs: 10,
  dynamoSdkMs: 25,
  messagingMs: 20,
  httpMs: 300,
  otherTaskMs: 50,
  perStateMs: 2,
  lambdaInvokeMs: 20,
};

export const LATENCY_SOURCE =
  'lambda2sfn assumption, not measured: typical in-region latencies (DynamoDB item call 10 ms, query/batch/transact 25 ms, SNS/SQS/EventBridge 20 ms, HTTP Task 300 ms, other integrations 50 ms, lambda:invoke 20 ms + the function, 2 ms per state); set expressDurationMs in a usage file to use a measured figure';

export interface WalkOptions {
  /** Iterations assumed for each Map state (its items are only known at run time). */
  mapItems: number;
  /** Times a loop (a back edge in the graph) is assumed to run. */
  loopIterations: number;
  latencies: Latencies;
  /** Duration of a residual Lambda function (pure computation) per invocation. */
  residualDurationMs: number;
  /** Duration of the original handler, when routes that do not convert invoke it. */
  handlerDurationMs: number;
  /** Loops whose passes are bounded (polling loops: their Choice state and maxPolls): never assumed to run more. */
  loopBounds?: Array<{ state: string; maxPasses: number }>;
}

export interface LambdaInvocations {
  /** Invocations of the small residual function (`${ResidualFunctionArn}`). */
  residual: number;
  /** Invocations of the original handler (`${OriginalHandlerArn}`), for routes that stay there. */
  original: number;
}

export interface RoutePath {
  /** The end state of the route (its response, or the last state). */
  end: string;
  /** Top-level states on the path, in order. */
  states: string[];
  transitions: number;
  durationMs: number;
  lambda: LambdaInvocations;
  /** Map iterations + Parallel branches on the path (AWS's Express memory formula multiplies the data by this). */
  mapOrParallelSteps: number;
}

export interface MachineWalk {
  /** Per end state: the path with the most transitions. */
  routes: RoutePath[];
  /** The route with the most transitions (the Standard estimate uses it). */
  mostTransitions: RoutePath;
  /** The route with the longest estimated duration (the Express estimate uses it). */
  longest: RoutePath;
  /** States that declare Retry: each retry is one more transition (Standard) and more time (Express); not counted. */
  retryStates: string[];
  /** Waits, callbacks, .sync tasks: what the workflow-type advisor needs. */
  waits: Array<{ state: string; seconds: number | null }>;
  callbackTasks: Array<{ state: string; resource: string }>;
  notes: string[];
  definitionBytes: number;
}

interface Weight {
  transitions: number;
  durationMs: number;
  lambda: LambdaInvocations;
  steps: number;
}

interface Best {
  weight: Weight;
  prev: string | undefined;
}

function isEnd(state: AslState): boolean {
  return state['End'] === true || state.Type === 'Succeed' || state.Type === 'Fail';
}

const ZERO: Weight = { transitions: 0, durationMs: 0, lambda: { residual: 0, original: 0 }, steps: 0 };

function add(a: Weight, b: Weight): Weight {
  return {
    transitions: a.transitions + b.transitions,
    durationMs: a.durationMs + b.durationMs,
    lambda: { residual: a.lambda.residual + b.lambda.residual, original: a.lambda.original + b.lambda.original },
    steps: a.steps + b.steps,
  };
}

function scale(a: Weight, k: number): Weight {
  return { transitions: a.transitions * k, durationMs: a.durationMs * k, lambda: { residual: a.lambda.residual * k, original: a.lambda.original * k }, steps: a.steps * k };
}

export function walkMachine(definition: AslDefinition, opts: WalkOptions): MachineWalk {
  const acc = { retryStates: [] as string[], waits: [] as MachineWalk['waits'], callbackTasks: [] as MachineWalk['callbackTasks'], notes: [] as string[] };
  const top = walkGraph(definition.StartAt, definition.States, opts, acc, '');
  if (top.routes.length === 0) throw new Error('the definition has no end state reachable from StartAt');
  const mostTransitions = top.routes.reduce((a, b) => (b.transitions > a.transitions ? b : a));
  const longest = top.routes.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  return { routes: top.routes, mostTransitions, longest, ...acc, definitionBytes: Buffer.byteLength(JSON.stringify(definition), 'utf8') };
}

interface GraphResult {
  routes: RoutePath[];
  /** Max over routes, per metric (used for a Map iteration or a Parallel branch). */
  maxTransitions: Weight;
  maxDuration: Weight;
}

function walkGraph(startAt: string, states: Record<string, AslState>, opts: WalkOptions, acc: Omit<MachineWalk, 'routes' | 'mostTransitions' | 'longest' | 'definitionBytes'>, prefix: string): GraphResult {
  // Depth-first order; edges back to a state on the stack are loops.
  const order: string[] = [];
  const backEdges: Array<[string, string]> = [];
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    seen.add(name);
    onStack.add(name);
    const s = states[name];
    if (!s) throw new Error(`state "${name}" is referenced but not defined`);
    for (const n of successors(s)) {
      if (onStack.has(n)) backEdges.push([name, n]);
      else if (!seen.has(n)) visit(n);
    }
    onStack.delete(name);
    order.push(name);
  };
  visit(startAt);
  order.reverse(); // topological order of the graph without its back edges
  const isBack = (from: string, to: string) => backEdges.some(([a, b]) => a === from && b === to);

  const own = new Map<string, Weight>();
  for (const name of order) own.set(name, stateWeight(name, states[name]!, opts, acc, prefix));

  // Longest path per metric (transitions, duration), each remembering its predecessor.
  const longestBy = (metric: (w: Weight) => number): Map<string, Best> => {
    const best = new Map<string, Best>();
    best.set(startAt, { weight: own.get(startAt)!, prev: undefined });
    for (const name of order) {
      const here = best.get(name);
      if (!here) continue;
      for (const n of successors(states[name]!)) {
        if (isBack(name, n)) continue;
        const cand = add(here.weight, own.get(n)!);
        const cur = best.get(n);
        if (!cur || metric(cand) > metric(cur.weight)) best.set(n, { weight: cand, prev: name });
      }
    }
    return best;
  };
  const byTransitions = longestBy((w) => w.transitions);
  const byDuration = longestBy((w) => w.durationMs);
  const pathTo = (best: Map<string, Best>, end: string): string[] => {
    const path: string[] = [];
    for (let n: string | undefined = end; n !== undefined; n = best.get(n)?.prev) path.unshift(n);
    return path;
  };

  /** Can `to` be reached from `from` without taking a back edge? */
  const reaches = (from: string, to: string): boolean => {
    const seenHere = new Set<string>();
    const go = (n: string): boolean => n === to || (!seenHere.has(n) && (seenHere.add(n), successors(states[n]!).some((m) => !isBack(n, m) && go(m))));
    return go(from);
  };
  // A loop u → v repeats the states from v to u. A path through u (do…while: the first pass is on the path) gets
  // (iterations − 1) more passes; a path that leaves at v (while: the Choice's Default) gets every pass; a path that
  // leaves from inside the body (break, return) gets the passes before the one it leaves in.
  const loopExtra = (best: Map<string, Best>, path: string[]): Weight => {
    let extra = ZERO;
    for (const [u, v] of backEdges) {
      const at = path.indexOf(v);
      if (!path.includes(u) && at < 0) continue;
      const leavesInside = path.includes(u) || (at + 1 < path.length && reaches(path[at + 1]!, u));
      const body = subtract(best.get(u)!.weight, best.get(v)!.weight, own.get(v)!);
      const passes = passesOf(u, v);
      extra = add(extra, scale(body, Math.max(0, leavesInside ? passes - 1 : passes)));
    }
    return extra;
  };
  // A bounded loop's Choice lies on the loop (v … Choice … u): it runs min(assumed, bound) times.
  const boundOf = (u: string, v: string) => opts.loopBounds?.find((b) => states[b.state] && (b.state === v || b.state === u || (reaches(v, b.state) && reaches(b.state, u))));
  const passesOf = (u: string, v: string) => Math.min(opts.loopIterations, boundOf(u, v)?.maxPasses ?? Infinity);
  for (const [u, v] of backEdges) {
    const bound = boundOf(u, v);
    const passes = passesOf(u, v);
    acc.notes.push(`loop from "${prefix}${u}" back to "${prefix}${v}": assumed to run ${passes} time${passes === 1 ? '' : 's'} (usage loopIterations${bound && bound.maxPasses < opts.loopIterations ? `, capped by the loop's own bound of ${bound.maxPasses}` : ''})`);
  }

  const routes: RoutePath[] = [];
  for (const name of order) {
    if (!isEnd(states[name]!) || !byTransitions.has(name)) continue;
    const tPath = pathTo(byTransitions, name);
    const t = add(byTransitions.get(name)!.weight, loopExtra(byTransitions, tPath));
    const dPath = pathTo(byDuration, name);
    const d = add(byDuration.get(name)!.weight, loopExtra(byDuration, dPath));
    routes.push({ end: name, states: tPath, transitions: t.transitions, durationMs: Math.max(t.durationMs, d.durationMs), lambda: t.lambda, mapOrParallelSteps: t.steps });
  }
  const maxT = routes.length ? routes.reduce((a, b) => (b.transitions > a.transitions ? b : a)) : undefined;
  const maxD = routes.length ? routes.reduce((a, b) => (b.durationMs > a.durationMs ? b : a)) : undefined;
  const asWeight = (r: RoutePath | undefined): Weight => (r ? { transitions: r.transitions, durationMs: r.durationMs, lambda: r.lambda, steps: r.mapOrParallelSteps } : ZERO);
  return { routes, maxTransitions: asWeight(maxT), maxDuration: asWeight(maxD) };
}

function subtract(a: Weight, b: Weight, plus: Weight): Weight {
  return add(
    { transitions: a.transitions - b.transitions, durationMs: a.durationMs - b.durationMs, lambda: { residual: a.lambda.residual - b.lambda.residual, original: a.lambda.original - b.lambda.original }, steps: a.steps - b.steps },
    plus,
  );
}

/** The transitions, time and Lambda invocations of entering one state (a Map or Parallel includes its iterations or branches). */
function stateWeight(name: string, s: AslState, opts: WalkOptions, acc: Omit<MachineWalk, 'routes' | 'mostTransitions' | 'longest' | 'definitionBytes'>, prefix: string): Weight {
  const L = opts.latencies;
  const base: Weight = { transitions: 1, durationMs: L.perStateMs, lambda: { residual: 0, original: 0 }, steps: 0 };
  if (Array.isArray(s['Retry']) && (s['Retry'] as unknown[]).length) acc.retryStates.push(prefix + name);
  switch (s.Type) {
    case 'Task': {
      const resource = String(s['Resource'] ?? '');
      if (/\.waitForTaskToken$|\.sync(:\d+)?$/.test(resource)) acc.callbackTasks.push({ state: prefix + name, resource });
      if (/^arn:aws:states:::lambda:invoke/.test(resource) || /^arn:aws:lambda:/.test(resource)) {
        const original = JSON.stringify(s['Parameters'] ?? s['Arguments'] ?? s['Resource']).includes('OriginalHandlerArn');
        return {
          ...base,
          durationMs: base.durationMs + L.lambdaInvokeMs + (original ? opts.handlerDurationMs : opts.residualDurationMs),
          lambda: original ? { residual: 0, original: 1 } : { residual: 1, original: 0 },
        };
      }
      return { ...base, durationMs: base.durationMs + taskLatency(resource, L) };
    }
    case 'Wait': {
      const seconds = typeof s['Seconds'] === 'number' ? (s['Seconds'] as number) : null;
      acc.waits.push({ state: prefix + name, seconds });
      if (seconds === null) acc.notes.push(`Wait state "${prefix}${name}" waits for a time known only at run time; its wait is not in the duration estimate`);
      return { ...base, durationMs: base.durationMs + (seconds ?? 0) * 1000 };
    }
    case 'Map': {
      const proc = (s['ItemProcessor'] ?? s['Iterator']) as { StartAt: string; States: Record<string, AslState> } | undefined;
      if (!proc) return base;
      const inner = walkGraph(proc.StartAt, proc.States, opts, acc, `${prefix}${name} › `);
      const items = opts.mapItems;
      const maxConcurrency = typeof s['MaxConcurrency'] === 'number' && (s['MaxConcurrency'] as number) > 0 ? (s['MaxConcurrency'] as number) : 40;
      acc.notes.push(`Map state "${prefix}${name}": ${items} item${items === 1 ? '' : 's'} assumed per execution (usage mapItems), up to ${maxConcurrency} at a time`);
      const perItem = inner.maxTransitions;
      return {
        transitions: 1 + items * perItem.transitions,
        durationMs: L.perStateMs + Math.ceil(items / Math.min(maxConcurrency, 40)) * inner.maxDuration.durationMs,
        lambda: { residual: items * perItem.lambda.residual, original: items * perItem.lambda.original },
        steps: items + items * perItem.steps,
      };
    }
    case 'Parallel': {
      const branches = (s['Branches'] as Array<{ StartAt: string; States: Record<string, AslState> }> | undefined) ?? [];
      let w: Weight = { ...base, steps: branches.length };
      let slowest = 0;
      branches.forEach((b, i) => {
        const inner = walkGraph(b.StartAt, b.States, opts, acc, `${prefix}${name} › branch ${i + 1} › `);
        w = add(w, { ...inner.maxTransitions, durationMs: 0 });
        slowest = Math.max(slowest, inner.maxDuration.durationMs);
      });
      return { ...w, durationMs: L.perStateMs + slowest };
    }
    default:
      return base;
  }
}

function taskLatency(resource: string, L: Latencies): number {
  if (/^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/.test(resource)) return L.dynamoItemMs;
  if (/^arn:aws:states:::aws-sdk:dynamodb:/.test(resource)) return L.dynamoSdkMs;
  if (/^arn:aws:states:::(sns:publish|sqs:sendMessage|events:putEvents)/.test(resource)) return L.messagingMs;
  if (/^arn:aws:states:::http:invoke/.test(resource)) return L.httpMs;
  return L.otherTaskMs;
}
