// The workflow type advisor: EXPRESS or STANDARD, with the reasons it gives.
// Hard constraints first (callbacks, .sync and long waits need Standard; a synchronous API needs Express), then
// execution semantics for writes that must not run twice, then cost. Both costs always appear in the reasons.
import type { AslDefinition, AslState, Deployment, EventSource, PollingLoop } from '../report/types.js';
import { formatUsd } from './costModel.js';
import type { MachineWalk } from './transitions.js';

export type WorkflowType = 'EXPRESS' | 'STANDARD';

/** Event sources that start a workflow asynchronously (StartExecution), where Express runs at least once. */
const ASYNC_SOURCES = new Set<EventSource>(['sqs', 'eventbridge', 'dynamodb-stream', 's3', 'sns']);

/** Express executions stop after 5 minutes. */
export const EXPRESS_MAX_MS = 5 * 60 * 1000;
/** Payload limit of both workflow types (256 KiB). */
export const PAYLOAD_LIMIT_KB = 256;

export interface NonIdempotentWrite {
  state: string;
  what: string;
}

export interface AdvisorInput {
  eventSource: EventSource;
  definition: AslDefinition;
  walk: MachineWalk;
  /** The definition's polling loops (StateMachineProposal.pollingLoops). */
  pollingLoops?: PollingLoop[];
  /** Estimated (or measured) duration of the longest route. */
  expressDurationMs: number;
  deployment?: Deployment;
  payloadKb: number;
  requestsPerMonth: number;
  expressMonthlyUsd: number | null;
  standardMonthlyUsd: number | null;
}

export interface WorkflowAdvice {
  recommended: WorkflowType;
  reasons: string[];
  /** True when a hard constraint decides (not only cost or preference). */
  required: boolean;
  nonIdempotentWrites: NonIdempotentWrite[];
}

/** Writes or side effects that change the outcome when an execution runs twice. */
export function findNonIdempotentWrites(definition: AslDefinition): NonIdempotentWrite[] {
  const out: NonIdempotentWrite[] = [];
  const generatesIds = /States\.UUID\(|\$uuid\(/.test(JSON.stringify(definition));
  const visit = (states: Record<string, AslState>, prefix: string) => {
    for (const [name, s] of Object.entries(states)) {
      const proc = (s['ItemProcessor'] ?? s['Iterator']) as { States?: Record<string, AslState> } | undefined;
      if (proc?.States) visit(proc.States, `${prefix}${name} › `);
      for (const b of (s['Branches'] as Array<{ States: Record<string, AslState> }> | undefined) ?? []) visit(b.States, `${prefix}${name} › `);
      if (s.Type !== 'Task') continue;
      const resource = String(s['Resource'] ?? '');
      const params = JSON.stringify(s['Parameters'] ?? s['Arguments'] ?? {});
      const state = prefix + name;
      if (/dynamodb:(updateItem|transactWriteItems|batchWriteItem)$/.test(resource)) {
        const expr = params.match(/"UpdateExpression":"((?:[^"\\]|\\.)*)"/g)?.join(' ') ?? '';
        if (/\bADD\b/.test(expr)) out.push({ state, what: 'an ADD update (a counter or a set): each run adds again' });
        else if (/([#\w]+)\s*=\s*\1\s*[+-]/.test(expr)) out.push({ state, what: 'a counter update (x = x + n): each run adds again' });
        else if (/list_append\(/.test(expr)) out.push({ state, what: 'a list_append update: each run appends again' });
      }
      if (/dynamodb:(putItem|batchWriteItem|transactWriteItems)$/.test(resource) && generatesIds && !params.includes('ConditionExpression'))
        out.push({ state, what: 'a write of values generated per execution (States.UUID): a second run writes a second item if the generated value is part of the key' });
      if (/^arn:aws:states:::(sns:publish|sqs:sendMessage|events:putEvents)/.test(resource)) out.push({ state, what: 'a published message: a second run publishes it again' });
      if (/^arn:aws:states:::http:invoke/.test(resource) && !/"Method":"(GET|HEAD)"/.test(params)) out.push({ state, what: 'an outside HTTP call that may change data: a second run calls it again' });
    }
  };
  visit(definition.States, '');
  return out;
}

export function adviseWorkflowType(input: AdvisorInput): WorkflowAdvice {
  const needsStandard: string[] = [];
  const needsExpress: string[] = [];
  const notes: string[] = [];
  for (const t of input.walk.callbackTasks)
    needsStandard.push(`state "${t.state}" uses ${t.resource.match(/\.(waitForTaskToken|sync(:\d+)?)$/)?.[0]}: Express workflows support neither .waitForTaskToken nor .sync`);
  for (const w of input.walk.waits) {
    if (w.seconds === null) needsStandard.push(`Wait state "${w.state}" waits for a time known only at run time: Express executions stop after 5 minutes`);
    else if (w.seconds * 1000 >= EXPRESS_MAX_MS) needsStandard.push(`Wait state "${w.state}" waits ${w.seconds} s: Express executions stop after 5 minutes`);
  }
  // Short Waits of a polling loop can add up.
  for (const loop of input.pollingLoops ?? []) {
    const total = loop.maxPolls * loop.waitSecondsPerPoll;
    if (total * 1000 >= EXPRESS_MAX_MS) needsStandard.push(`polling loop "${loop.choiceState}" waits up to ${total} s in all (${loop.maxPolls} polls): Express executions stop after 5 minutes`);
  }
  if (input.expressDurationMs > EXPRESS_MAX_MS) needsStandard.push(`the estimated duration (${Math.round(input.expressDurationMs / 1000)} s) is over Express's 5-minute limit`);
  if (input.deployment?.timeoutS !== undefined && input.deployment.timeoutS * 1000 > EXPRESS_MAX_MS)
    notes.push(`the function's timeout is ${input.deployment.timeoutS} s (${input.deployment.file} ${input.deployment.resource}): if it really runs beyond 5 minutes, Express cannot replace it`);
  const api = input.eventSource === 'apigw-rest' || input.eventSource === 'apigw-http';
  if (api) needsExpress.push('the handler answers an API request synchronously: API Gateway must call StartSyncExecution, which only Express workflows support');
  if (input.payloadKb > PAYLOAD_LIMIT_KB) notes.push(`the assumed execution data (${input.payloadKb} KB) is over the 256 KiB limit of both workflow types: executions would fail with States.DataLimitExceeded`);

  const writes = findNonIdempotentWrites(input.definition);
  const cost = costReason(input);
  let recommended: WorkflowType;
  let required = false;
  const reasons: string[] = [];
  if (needsStandard.length && needsExpress.length) {
    recommended = 'STANDARD';
    required = true;
    reasons.push(...needsStandard, `conflict: ${needsExpress[0]}; a Standard workflow can only be started asynchronously (StartExecution), so the API would no longer return the result`);
  } else if (needsStandard.length) {
    recommended = 'STANDARD';
    required = true;
    reasons.push(...needsStandard);
  } else if (needsExpress.length) {
    recommended = 'EXPRESS';
    required = true;
    reasons.push(...needsExpress);
    if (writes.length)
      reasons.push(
        `synchronous Express runs at most once, so Step Functions does not repeat ${describeWrites(writes)}; a failed execution is not retried either (the client sees the failure)`,
      );
  } else if (writes.length && !ASYNC_SOURCES.has(input.eventSource)) {
    // Unknown invoker: whether it starts the workflow synchronously decides the semantics; cost decides the type.
    recommended = input.expressMonthlyUsd !== null && input.standardMonthlyUsd !== null && input.standardMonthlyUsd < input.expressMonthlyUsd ? 'STANDARD' : 'EXPRESS';
    reasons.push(
      `the event source is ${input.eventSource === 'unknown' ? 'not known' : input.eventSource}: started asynchronously, Express runs at least once and may repeat ${describeWrites(writes)} — choose STANDARD (exactly once) or make these writes idempotent; started synchronously (StartSyncExecution), Express runs at most once`,
    );
  } else if (writes.length) {
    // Asynchronous event sources: Express is at-least-once, Standard exactly-once.
    recommended = 'STANDARD';
    reasons.push(`asynchronous Express executions run at least once (an execution can restart from the beginning), which may repeat ${describeWrites(writes)}; Standard runs exactly once. Choose EXPRESS only if these writes are made idempotent (a condition or an idempotency key)`);
  } else {
    const e = input.expressMonthlyUsd;
    const s = input.standardMonthlyUsd;
    recommended = e !== null && s !== null && s < e ? 'STANDARD' : 'EXPRESS';
    reasons.push(
      recommended === 'EXPRESS'
        ? `short-lived work with ${input.walk.waits.length ? 'waits that stay under Express\'s 5 minutes, and ' : ''}no callbacks or writes that must not run twice: Express bills per request and duration instead of per state transition`
        : 'no constraint decides, and Standard is cheaper at this traffic',
    );
  }
  reasons.push(cost, ...notes);
  return { recommended, reasons, required, nonIdempotentWrites: writes };
}

function describeWrites(writes: NonIdempotentWrite[]): string {
  return writes.map((w) => `"${w.state}" (${w.what})`).join('; ');
}

function costReason(input: AdvisorInput): string {
  const usd = (n: number | null) => (n === null ? 'not estimated (no verified price for the region)' : formatUsd(n));
  return `cost at ${Math.round(input.requestsPerMonth).toLocaleString('en-US')} requests/month: Express ${usd(input.expressMonthlyUsd)}, Standard ${usd(input.standardMonthlyUsd)}`;
}
