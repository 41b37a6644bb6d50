// The estimate stage: for every `full`/`partial` finding, the monthly cost of the Lambda, an Express and a Standard
// workflow under stated usage, where Express becomes cheaper, the workflow type with reasons, and the savings that
// are facts rather than dollars. Runs once, after every finding is collected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CostSavings, Finding, PollingLoop, SavingsFact } from '../report/types.js';
import { addCosts, breakEven, formatUsd, expressMemoryMb, expressMonthlyCost, lambdaMonthlyCost, standardMonthlyCost, type CostEstimate } from './costModel.js';
import { PRICES_AS_OF, FREE_TIER, pricesFor, type RegionPrices } from './prices.js';
import { DEFAULT_LATENCIES, LATENCY_SOURCE, walkMachine, type LambdaInvocations } from './transitions.js';
import { checkUsageOptions, loadUsageFile, PROFILES, resolveUsage, type ResolvedUsage, type UsageOptions } from './usage.js';
import { adviseWorkflowType } from './workflowType.js';

export async function estimateFindings(findings: Finding[], usage: UsageOptions, root: string): Promise<void> {
  checkUsageOptions(usage);
  const usageFile = usage.usageFile ? await loadUsageFile(usage.usageFile, usage.cwd ?? root) : undefined;
  for (const f of findings) {
    if (f.convertible === 'none' || !f.stateMachine) continue;
    const u = resolveUsage(f, usage, usageFile);
    let estimate: ReturnType<typeof estimateOne>;
    try {
      estimate = estimateOne(f, u);
    } catch (e) {
      // A definition the walk cannot follow: say so on the finding rather than fail the scan.
      f.assumptions.push({ line: f.line, message: `no cost estimate or workflow type: ${(e as Error).message}` });
      continue;
    }
    const { cost, advice } = estimate;
    // The payload alone rarely moves a figure (only past a 64 MB chunk): a range is shown when traffic, duration or memory are defaults.
    if (u.fromProfile.some((k) => k !== 'payloadKb')) cost.range = profileRange(f, u);
    f.savings.cost = cost;
    f.workflowType = advice;
    f.savings.facts = savingsFacts(f, findings, root);
  }
}

/** Cost and workflow type of one finding that has a state machine. */
export function estimateOne(f: Finding, u: ResolvedUsage): { cost: CostSavings; advice: ReturnType<typeof adviseWorkflowType> } {
  const prices = pricesFor(u.region)!;
  const walk = walkMachine(f.stateMachine!.definition, {
    loopBounds: (f.stateMachine!.pollingLoops ?? []).map((l) => ({ state: l.choiceState, maxPasses: l.maxPolls })),
    mapItems: u.mapItems,
    loopIterations: u.loopIterations,
    latencies: DEFAULT_LATENCIES,
    residualDurationMs: u.residualDurationMs,
    handlerDurationMs: u.avgDurationMs,
  });
  const R = u.requestsPerMonth;
  const expressDurationMs = u.expressDurationMs ?? walk.longest.durationMs;
  const memoryMb = expressMemoryMb(walk.definitionBytes, u.payloadKb * 1000, walk.longest.mapOrParallelSteps);
  const transitions = walk.mostTransitions.transitions;

  const lambdaAt = (requests: number, durationMs: number) => lambdaMonthlyCost({ requestsPerMonth: requests, avgDurationMs: durationMs, memoryMb: u.memoryMb, architecture: u.architecture }, prices, u.freeTier);
  // Routes that keep code still invoke a Lambda function: its cost belongs to the state machine's side.
  const keptLambda = (requests: number, inv: LambdaInvocations): CostEstimate => {
    let c: CostEstimate = { usd: 0, lines: [], missing: [] };
    if (inv.residual > 0) c = addCosts(c, relabel(lambdaMonthlyCost({ requestsPerMonth: requests * inv.residual, avgDurationMs: u.residualDurationMs, memoryMb: u.memoryMb, architecture: u.architecture }, prices, u.freeTier), 'residual function'));
    if (inv.original > 0) c = addCosts(c, relabel(lambdaMonthlyCost({ requestsPerMonth: requests * inv.original, avgDurationMs: u.avgDurationMs, memoryMb: u.memoryMb, architecture: u.architecture }, prices, u.freeTier), 'original handler, routes that stay'));
    return c;
  };
  const expressAt = (requests: number) => addCosts(expressMonthlyCost({ requestsPerMonth: requests, durationMs: expressDurationMs, memoryMb }, prices), keptLambda(requests, walk.longest.lambda));
  const lambda = lambdaAt(R, u.avgDurationMs);
  const express = expressAt(R);
  const standard = addCosts(standardMonthlyCost({ requestsPerMonth: R, transitionsPerExecution: transitions }, prices, u.freeTier), keptLambda(R, walk.mostTransitions.lambda));

  const missing = [...new Set([...lambda.missing, ...express.missing, ...standard.missing])];
  let be: ReturnType<typeof breakEven> | undefined;
  if (lambda.usd !== null && express.usd !== null)
    be = breakEven({ requestsPerMonth: R, avgDurationMs: u.avgDurationMs, memoryMb: u.memoryMb, architecture: u.architecture }, (r, d) => lambdaAt(r, d).usd!, (r) => expressAt(r).usd!);

  const notes: string[] = [...walk.notes];
  if (missing.length) notes.push(`not estimated for lack of a verified price: ${missing.join('; ')}`);
  if (u.freeTier) notes.push(`free tiers applied (${FREE_TIER.source})`);
  if (walk.retryStates.length) notes.push(`retries are not counted: each retry adds a transition on Standard and billed time on Express (Retry on ${walk.retryStates.join(', ')})`);
  const inv = walk.mostTransitions.lambda;
  if (inv.residual + inv.original > 0 || walk.longest.lambda.residual + walk.longest.lambda.original > 0)
    notes.push(
      `the state machine still invokes a Lambda function (${[inv.residual ? `${inv.residual} call${inv.residual === 1 ? '' : 's'} of the residual function at ${u.residualDurationMs} ms` : '', inv.original ? `${inv.original} call${inv.original === 1 ? '' : 's'} of the original handler at ${u.avgDurationMs} ms` : ''].filter(Boolean).join(', ')} per execution on the longest route, with the handler's ${u.memoryMb} MB assumed): its cost is included in the Express and Standard figures`,
    );
  for (const loop of f.stateMachine!.pollingLoops ?? []) notes.push(pollingNote(loop, R, prices));
  notes.push('DynamoDB, CloudWatch Logs and data transfer are not included: DynamoDB requests are the same before and after; Express logging is extra if enabled');

  const api = f.eventSource === 'apigw-rest' ? prices.apiGateway.restUsdPerRequest : f.eventSource === 'apigw-http' ? prices.apiGateway.httpUsdPerRequest : undefined;
  const cost: CostSavings = {
    assumptions: {
      requestsPerMonth: R,
      avgDurationMs: u.avgDurationMs,
      memoryMb: u.memoryMb,
      architecture: u.architecture,
      region: u.region,
      pricesAsOf: PRICES_AS_OF,
      sources: {
        ...u.sources,
        expressDurationMs: u.expressDurationMs !== undefined ? u.sources['expressDurationMs']! : `estimated from the longest route ("${walk.longest.end}", ${walk.longest.states.length} states) with per-call latencies lambda2sfn assumes (assumptions.latencies; not measured)`,
        expressMemoryMb: `AWS formula: 50 MB + definition (${walk.definitionBytes} bytes) + execution data (${u.payloadKb} KB) × ${Math.max(1, walk.longest.mapOrParallelSteps)} (Map/Parallel steps, at least 1)`,
        transitionsPerExecution: `counted on the route with the most transitions ("${walk.mostTransitions.end}")`,
      },
      freeTier: u.freeTier,
      payloadKb: u.payloadKb,
      mapItems: u.mapItems,
      loopIterations: u.loopIterations,
      residualDurationMs: u.residualDurationMs,
      expressDurationMs,
      expressMemoryMb: round(memoryMb, 3),
      transitionsPerExecution: transitions,
      prices: priceSources(prices, u),
      latencies: { ...DEFAULT_LATENCIES, source: LATENCY_SOURCE },
    },
    lambdaMonthlyUsd: money(lambda.usd),
    expressMonthlyUsd: money(express.usd),
    standardMonthlyUsd: money(standard.usd),
    breakEven: be ? be.text : `not computed: ${missing.join('; ')}`,
    breakEvenDetail: { lambdaDurationMs: be?.lambdaDurationMs ?? null, lambdaGbSecondsPerInvocation: be?.lambdaGbSecondsPerInvocation ?? null, requestsPerMonth: be?.requestsPerMonth ?? null },
    cheapest: null,
    verdict: '',
    breakdown: { lambda: lambda.lines.map(roundLine), express: express.lines.map(roundLine), standard: standard.lines.map(roundLine) },
    routes: walk.routes.map((r) => ({ end: r.end, transitions: r.transitions, expressDurationMs: r.durationMs })),
    notes,
  };
  if (api) cost.apiGatewayMonthlyUsd = api.usd === null ? null : money(api.usd * R);
  Object.assign(cost, verdictOf(lambda.usd, express.usd, standard.usd, R));
  const advice = adviseWorkflowType({
    eventSource: f.eventSource,
    definition: f.stateMachine!.definition,
    walk,
    ...(f.stateMachine!.pollingLoops ? { pollingLoops: f.stateMachine!.pollingLoops } : {}),
    expressDurationMs,
    deployment: f.deployment,
    payloadKb: u.payloadKb,
    requestsPerMonth: R,
    expressMonthlyUsd: cost.expressMonthlyUsd,
    standardMonthlyUsd: cost.standardMonthlyUsd,
  });
  return { cost, advice };
}

/** The same estimate with the defaulted values taken from the small and the large profile: how much the defaults matter. */
function profileRange(f: Finding, u: ResolvedUsage): NonNullable<CostSavings['range']> {
  const at = (name: 'small' | 'large') => {
    const p = PROFILES[name];
    const v: ResolvedUsage = { ...u, fromProfile: [] };
    for (const k of u.fromProfile) v[k] = p[k];
    const c = estimateOne(f, v).cost;
    return { lambdaMonthlyUsd: c.lambdaMonthlyUsd, expressMonthlyUsd: c.expressMonthlyUsd, standardMonthlyUsd: c.standardMonthlyUsd, cheapest: c.cheapest };
  };
  return { defaulted: [...u.fromProfile], small: at('small'), large: at('large') };
}

function relabel(c: CostEstimate, what: string): CostEstimate {
  return { ...c, lines: c.lines.map((l) => ({ ...l, item: l.item.replace(/^Lambda/, `Lambda (${what})`) })) };
}

/** Which option is cheapest at this traffic, said plainly (a Lambda that is cheaper is reported as such). */
export function verdictOf(lambda: number | null, express: number | null, standard: number | null, requests: number): Pick<CostSavings, 'cheapest' | 'verdict'> {
  const at = `at ${Math.round(requests).toLocaleString('en-US')} requests/month`;
  if (lambda === null || express === null) return { cheapest: null, verdict: 'no verdict: some prices are missing for this region' };
  const options: Array<['lambda' | 'express' | 'standard', number]> = [['lambda', lambda], ['express', express]];
  if (standard !== null) options.push(['standard', standard]);
  const [cheapest] = options.reduce((a, b) => (b[1] < a[1] ? b : a));
  const usd = formatUsd;
  const cheapestWorkflow = Math.min(express, standard ?? Infinity);
  if (Math.abs(cheapestWorkflow - lambda) < 0.005) return { cheapest, verdict: `the Lambda and the cheapest workflow cost the same ${at} (${usd(lambda)})` };
  if (cheapest === 'lambda') {
    const diff = cheapestWorkflow - lambda;
    return { cheapest, verdict: `Lambda is cheaper ${at}: the cheapest workflow costs ${usd(diff)}/month more (${usd(lambda)} vs Express ${usd(express)}${standard !== null ? `, Standard ${usd(standard)}` : ''}); migrate for the other reasons only` };
  }
  const saving = lambda - (cheapest === 'express' ? express : standard!);
  return { cheapest, verdict: `${cheapest === 'express' ? 'Express' : 'Standard'} is cheaper ${at}: ${usd(saving)}/month less than the Lambda (${usd(lambda)})` };
}

function priceSources(p: RegionPrices, u: ResolvedUsage): Record<string, string> {
  return {
    lambdaRequest: p.lambda.usdPerRequest.source,
    lambdaDuration: p.lambda.gbSecond[u.architecture].source,
    expressRequest: p.express.usdPerRequest.source,
    expressDuration: p.express.gbHour.source,
    standardTransition: p.standard.usdPerTransition.source,
  };
}

/** Savings that are facts, not dollars: lines, cold starts, dependencies, runtime upgrades. */
export function savingsFacts(f: Finding, all: Finding[], root: string): SavingsFact[] {
  const facts: SavingsFact[] = [];
  const l = f.savings.lines;
  facts.push({ kind: 'lines', message: `${l.removed} of ${l.handler} handler lines removed; ${l.asl} ASL lines added (counted separately, never netted)` });
  const keepsOriginal = f.stateMachine?.substitutions['OriginalHandlerArn'] !== undefined;
  const keepsResidual = f.stateMachine?.residual !== undefined;
  if (f.convertible === 'full') {
    facts.push({ kind: 'cold-starts', message: 'no Lambda cold start on this path: the state machine has no init phase to run' });
    facts.push({ kind: 'runtime', message: 'no Node.js runtime to keep upgraded for this function (Lambda deprecates runtimes on a schedule)' });
  } else {
    const who = keepsOriginal ? 'the original handler, for the routes that stay there' : keepsResidual ? 'the residual function (pure computation only)' : 'the Lambda function that remains';
    facts.push({ kind: 'cold-starts', message: `cold starts remain for ${who}` });
    facts.push({ kind: 'runtime', message: `${who} still runs on a Node.js runtime that needs upgrades` });
  }
  const packages = importedPackages(join(root, f.file));
  if (packages.length) {
    const others = all.filter((g) => g !== f && g.file === f.file && g.convertible !== 'full');
    if (f.convertible === 'full' && others.length === 0)
      facts.push({ kind: 'dependencies', message: `the state machine needs none of the packages this module imports: ${packages.join(', ')}` });
    else
      facts.push({
        kind: 'dependencies',
        message: `the module imports ${packages.join(', ')}; ${others.length ? `it also holds ${others.map((g) => g.export).join(', ')}, which keeps` : 'the Lambda function that remains keeps'} what its code uses`,
      });
  }
  return facts;
}

/** Package names (not relative paths or node: builtins) a module imports or requires. */
export function importedPackages(path: string): string[] {
  let text: string;
  try {
    // Type-only imports do not ship.
    text = readFileSync(path, 'utf8').replace(/^\s*(import|export)\s+type\b[^;]*;?/gm, '');
  } catch {
    return [];
  }
  const found = new Set<string>();
  const re = /\bfrom\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)|\bimport\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    if (BUILTINS.has(name)) continue;
    found.add(name);
  }
  return [...found].sort();
}

const BUILTINS = new Set(['fs', 'path', 'crypto', 'util', 'os', 'events', 'stream', 'url', 'http', 'https', 'zlib', 'buffer', 'assert', 'child_process', 'querystring']);

function money(n: number | null): number | null {
  return n === null ? null : round(n, 4);
}

function round(n: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

function roundLine<T extends { usd: number; quantity: number }>(l: T): T {
  return { ...l, usd: round(l.usd, 4), quantity: round(l.quantity, 4) };
}

/**
 * A polling loop's worst case on Standard, next to the callback pattern's: up to maxPolls × statesPerPoll transitions,
 * where one `.waitForTaskToken` Task is one transition (the job calls back; nothing waits between polls).
 */
function pollingNote(loop: PollingLoop, requestsPerMonth: number, prices: RegionPrices): string {
  const polling = loop.maxPolls * loop.statesPerPoll;
  const saved = polling - 1;
  const perTransition = prices.standard.usdPerTransition.usd;
  const dollars = (transitions: number) => (perTransition === null ? 'not estimated (no Standard price for the region)' : `${formatUsd(requestsPerMonth * transitions * perTransition)}/month`);
  return `polling loop "${loop.choiceState}": up to ${loop.maxPolls} polls × ${loop.statesPerPoll} states = ${polling} transitions per execution at worst (${dollars(polling)} on Standard at ${requestsPerMonth.toLocaleString('en-US')} requests); the callback pattern (.waitForTaskToken, Standard only) needs 1 Task instead: ${saved} transitions (${dollars(saved)}) saved at worst, if the job can send the task token back`;
}
