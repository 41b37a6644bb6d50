// The JSON report is the single source every renderer reads. docs/report.md documents every field and a test
// checks it against these types. Keep field names and meanings stable; add freely.

export type Convertible = 'full' | 'partial' | 'none';

export type EventSource =
  | 'apigw-rest'
  | 'apigw-http'
  | 'sqs'
  | 'dynamodb-stream'
  | 'eventbridge'
  | 's3'
  | 'sns'
  | 'sfn-task'
  | 'unknown';

/** Something the analyser did not fully understand: what, which line, why. */
export interface Blocker {
  rule: string;
  line: number;
  message: string;
}

/** A choice the analyser made that the user should know about. */
export interface Assumption {
  line: number;
  message: string;
  rule?: string;
}

import type { AslDefinition, AslState } from '../model/asl.js';

export type { AslDefinition, AslState };

export interface StateMachineProposal {
  queryLanguage: 'JSONPath' | 'JSONata';
  /** Why this query language (with `--query-language auto`, or when the one asked for could not express the handler). */
  queryLanguageReason?: string;
  definition: AslDefinition;
  resources: string[];
  states: number;
  /** DefinitionSubstitutions key → where its value comes from, e.g. "process.env.TABLE_NAME". */
  substitutions: Record<string, string>;
  /** Result of asl-validator on the definition. */
  validation: { valid: boolean; errors: string[] };
  /** For `partial`: the code kept in a small Lambda function (the `${ResidualFunctionArn}` target). */
  residual?: ResidualCode;
  /** For API Gateway handlers: the REST integration templates that keep the HTTP contract (absent with the reason in an assumption). */
  frontDoor?: FrontDoor;
  /** HTTP Tasks: the EventBridge connections they need (auth moved out of the code's headers; secrets left to the user). */
  httpConnections?: HttpConnection[];
  /** Bounded polling loops (Wait + Task + Choice): their bound and cost, read by the workflow-type advisor. */
  pollingLoops?: PollingLoop[];
  /** The handler loops over event.Records: the machine also takes the batch as a bare list (an EventBridge pipe's input). */
  recordsBatch?: boolean;
}

/** A polling loop of the definition, with the figures its assumption states. */
export interface PollingLoop {
  /** Line of the loop in the handler. */
  line: number;
  /** The Choice state that decides whether to poll again. */
  choiceState: string;
  /** At most this many passes, like the code's bound. */
  maxPolls: number;
  /** Seconds of Wait states in one pass. */
  waitSecondsPerPoll: number;
  /** States entered in one pass (Choice, body, counter), so up to maxPolls × statesPerPoll transitions. */
  statesPerPoll: number;
}

/** VTL templates of an API Gateway REST integration with `states:action/StartSyncExecution`. */
export type { HttpConnection } from '../model/workflow.js';
import type { HttpConnection } from '../model/workflow.js';

export interface FrontDoor {
  api: 'rest';
  /** Builds `{stateMachineArn, input}`; `${StateMachineArn}` is left for the infrastructure to fill. */
  requestTemplate: string;
  /** Turns the StartSyncExecution result into the handler's status, headers and body. */
  responseTemplate: string;
  notes: string[];
}

export interface ResidualCode {
  /** Suggested path of the module, relative to the scan root, next to the handler. */
  file: string;
  functions: Array<{ id: string; line: number; code: string; inputs: string[] }>;
  /** The module's source: the handler's imports and constants the code uses, one export per computation, and a `handler` dispatching { compute, input }. */
  source: string;
}

export interface LineSavings {
  /** Non-blank, non-comment lines of the handler plus the helpers only it uses. */
  handler: number;
  /** Lines the migration removes (0 for `none`; the residual Lambda stays for `partial`). */
  removed: number;
  /** Lines of the proposed ASL, pretty-printed with 2 spaces. */
  asl: number;
}

export interface Finding {
  id: string;
  file: string;
  export: string;
  line: number;
  endLine: number;
  eventSource: EventSource;
  convertible: Convertible;
  /** One line on why this verdict. */
  reason: string;
  rules: string[];
  blockers: Blocker[];
  assumptions: Assumption[];
  stateMachine?: StateMachineProposal;
  workflowType?: WorkflowTypeAdvice;
  savings: { lines: LineSavings; cost?: CostSavings; facts?: SavingsFact[] };
  /** Unified diff of every file the migration would add, change or delete (scan --diff / --write). */
  diff?: string;
  /** What the diff does, in short, and whether `apply` may apply it (scan --diff / --write). */
  proposal?: ProposalSummary;
  /** How the handler is deployed, read from the repository's infrastructure (absent when none was found). */
  deployment?: Deployment;
  /** With `--routing split`: one state machine per route, selected by API Gateway instead of a Choice. */
  routeMachines?: RouteMachine[];
  /** For a route switch: each route and whether it converts (a route that does not stays in the original handler). */
  routes?: Array<{ route: string; convertible: 'full' | 'none'; line: number; endLine?: number }>;
}

export interface RouteMachine {
  route: string;
  /** The event field and values that select this route; absent for the default route (ANY method / `$default`). */
  match?: { field: string; values: string[] };
  stateMachine: StateMachineProposal;
}

export interface WorkflowTypeAdvice {
  recommended: 'EXPRESS' | 'STANDARD';
  reasons: string[];
  /** True when a hard constraint decides (callbacks, long waits, a synchronous API), not cost or preference. */
  required?: boolean;
  /** Writes or side effects that change the outcome when an execution runs twice. */
  nonIdempotentWrites?: Array<{ state: string; what: string }>;
}

/** One priced quantity of a monthly cost. */
export interface CostLineItem {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

/** Monthly cost before (Lambda) and after (Express, Standard), under stated assumptions. Never netted with lines. */
export interface CostSavings {
  assumptions: {
    requestsPerMonth: number;
    avgDurationMs: number;
    memoryMb: number;
    architecture: 'x86_64' | 'arm64';
    region: string;
    pricesAsOf: string;
    /** Usage key → where its value came from (flag, usage file, infrastructure, configuration, profile). */
    sources: Record<string, string>;
    freeTier: boolean;
    payloadKb: number;
    mapItems: number;
    loopIterations: number;
    residualDurationMs: number;
    /** Estimated duration of one Express execution (longest route), before the 100 ms rounding. */
    expressDurationMs: number;
    /** Estimated memory of one Express execution (AWS's formula), before the 64 MB chunking. */
    expressMemoryMb: number;
    /** State transitions per Standard execution (the route with the most). */
    transitionsPerExecution: number;
    /** Price figure → its source. */
    prices: Record<string, string>;
    /** Per-call latencies (ms) behind the Express duration estimate, and where they come from. */
    latencies: Record<string, number | string>;
  };
  /** `null`: a price the total needs has no source for the region. */
  lambdaMonthlyUsd: number | null;
  expressMonthlyUsd: number | null;
  standardMonthlyUsd: number | null;
  /** When Express becomes cheaper than the Lambda, in words and numbers. */
  breakEven: string;
  breakEvenDetail: { lambdaDurationMs: number | null; lambdaGbSecondsPerInvocation: number | null; requestsPerMonth: number | null };
  cheapest: 'lambda' | 'express' | 'standard' | null;
  /** One sentence: which is cheaper at this traffic, by how much. */
  verdict: string;
  breakdown: { lambda: CostLineItem[]; express: CostLineItem[]; standard: CostLineItem[] };
  /** Per end state of the machine: transitions (Standard) and estimated duration (Express). */
  routes: Array<{ end: string; transitions: number; expressDurationMs: number }>;
  /**
   * Present when some usage values are profile defaults: the figures again with those values from the small and the
   * large profile, so a reader sees how much the defaults decide.
   */
  range?: {
    defaulted: string[];
    small: { lambdaMonthlyUsd: number | null; expressMonthlyUsd: number | null; standardMonthlyUsd: number | null; cheapest: CostSavings['cheapest'] };
    large: { lambdaMonthlyUsd: number | null; expressMonthlyUsd: number | null; standardMonthlyUsd: number | null; cheapest: CostSavings['cheapest'] };
  };
  /** API Gateway requests: the same before and after, so outside the totals. */
  apiGatewayMonthlyUsd?: number | null;
  notes: string[];
}

/** A saving stated as a fact, not dollars. */
export interface SavingsFact {
  kind: 'lines' | 'cold-starts' | 'dependencies' | 'runtime';
  message: string;
}

export interface ProposalSummary {
  iac: 'sam' | 'serverless' | 'cdk' | 'none';
  files: Array<{ path: string; action: 'add' | 'change' | 'delete' }>;
  /** What the user should know or do by hand. */
  notes: string[];
  /** Why `apply` refuses this proposal (empty when it can apply it). */
  conflicts: string[];
  /** The infrastructure to add, as a snippet in the repository's tool (SAM resources YAML, Serverless YAML, CDK TypeScript). */
  snippet?: { language: 'yaml' | 'typescript'; text: string };
}

/** A function resource that deploys a handler, found in SAM/CloudFormation, Serverless Framework or CDK code. */
export interface Deployment {
  iac: 'sam' | 'serverless' | 'cdk';
  /** The infrastructure file, relative to the scan root. */
  file: string;
  /** Logical id (SAM/CloudFormation), function key (Serverless) or construct id (CDK). */
  resource: string;
  line?: number;
  memoryMb?: number;
  timeoutS?: number;
  architecture?: 'x86_64' | 'arm64';
  /** Which of memoryMb, timeoutS, architecture the infrastructure does not set, so they are the tool's defaults (a value set but not readable, e.g. a parameter, is left out). */
  defaults?: Array<'memoryMb' | 'timeoutS' | 'architecture'>;
  /** Environment variables as written in the infrastructure (values rendered as text, e.g. "!Ref ItemsTable"). */
  environment?: Record<string, string>;
  /** The API routes that invoke the function. */
  routes?: Array<{ api: 'rest' | 'http'; method: string; path: string }>;
  /** The event source the infrastructure declares (every event of the function is of this kind); the finding's `eventSource` is then this one, not the code's guess. */
  eventSource?: EventSource;
}

export interface ScanError {
  file: string;
  message: string;
  line?: number;
  /** `warning`: a file or path problem, the rest of the scan ran (exit 0 unless --strict); `error`: lambda2sfn failed on this file (exit 3). */
  severity: 'warning' | 'error';
}

export interface SuppressedFinding {
  file: string;
  export: string;
  line: number;
  reason?: string;
}

export interface ScanSummary {
  filesScanned: number;
  filesParsed: number;
  handlers: number;
  full: number;
  partial: number;
  none: number;
  suppressed: number;
  handlerLinesRemovable: number;
  aslLinesAdded: number;
  errors: number;
}

export interface ScanReport {
  tool: 'lambda2sfn';
  version: string;
  schemaVersion: 1;
  root: string;
  summary: ScanSummary;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  errors: ScanError[];
}
