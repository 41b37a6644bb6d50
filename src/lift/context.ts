import type { LiftRule } from './hooks.js';
import type * as t from '@babel/types';
import type { ClientKind } from '../analyze/clients.js';
import type { ModuleIndex, ModuleInfo } from '../analyze/moduleIndex.js';
import type { SchemaSources } from './schemaSources.js';
import type { DynamoOp, HttpConnection, ItemSchema, Json, PollLoop, Step, ValueExpr, ValueType } from '../model/workflow.js';
import type { Assumption, Blocker, EventSource } from '../report/types.js';

/** Blockers that no rule owns use this id. */
export const UNSUPPORTED = 'unsupported-construct';

/** A class method only as a handler (`export const handler = instance.handler`). */
export type FunctionLike = t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration | t.ObjectMethod | t.ClassMethod;

/** A polling loop being lifted: what its `break`/`continue` must store, and the types they stored. */
export interface PollContext {
  kind: 'poll';
  form: PollLoop['form'];
  carried: string[];
  exitTypes: Map<string, ValueType[]>;
  fail: (why: string) => LiftFailure;
}

export interface TableRef { name: string; key: string; envVar?: string; literal?: string }

export type Entry =
  | { kind: 'value'; value: ValueExpr }
  /** `raw`: a low-level client returned it, so the code reads AttributeValues (`Item.id.S`) itself. */
  /** `plain`: the result holds only the operation's output fields (SDK v2, no capacity or metrics asked for). */
  | { kind: 'ddb-result'; step: string; table: TableRef; schema?: ItemSchema; op: DynamoOp; raw: boolean; plain?: boolean; noAttributes?: boolean }
  /** `problem`: the client was built so that a Task would not call what it calls (its own region or credentials). */
  /** `undefinedThrows`: a lib-dynamodb client without removeUndefinedValues (an undefined value inside an attribute throws). */
  | { kind: 'client'; client: ClientKind; problem?: { message: string; line: number }; undefinedThrows?: boolean }
  | { kind: 'function'; node: FunctionLike; module: ModuleInfo; name: string }
  /** A project module imported whole (`import * as repo`, `require('./repo')`, `export * as X`): its members are its exports. */
  | { kind: 'namespace'; module: ModuleInfo }
  /**
   * `const command = new GetCommand(args)`: an SDK command kept for the `send(command)` that uses it. Its arguments are
   * read where it is sent, so only in the function (`scope`: that function's outermost scope) and module that built it.
   */
  | { kind: 'sdk-command'; name: string; source: string; args: t.CallExpression['arguments']; module: ModuleInfo; scope: Map<string, Entry> | undefined }
  /** `new Date().toISOString` and `CONSTANT_LIST.join` as callees: folded when called. */
  | { kind: 'builtin-call'; method: 'iso-now' } | { kind: 'builtin-call'; method: 'join'; list: Json[] }
  | { kind: 'package'; source: string; path: string[] }
  | { kind: 'global'; path: string[] }
  | { kind: 'env-namespace' }
  /**
   * The error a catch receives; the emitters store it in the variable CAUGHT_ERROR ({Error, Cause}). `faults`, where
   * the catch's try is known: why more than a service fault (throttling, a missing table or permission) may reach the
   * catch (`clientReachable`: what in the try a request can make fail, or that the try is not all converted); `sdkV3Only`: every error the try can raise is an
   * SDK v3 DynamoDB error or one this code throws (none has a statusCode).
   */
  | { kind: 'error-var'; faults?: { clientReachable?: string; sdkV3Only?: boolean } }
  /** An element of a low-level Items list in a list callback: AttributeValues, readable only through unmarshall(…). */
  | { kind: 'raw-item'; value: ValueExpr }
  | { kind: 'callback' }
  | { kind: 'context' }
  /** A name whose declaration was a blocker (at `line`): what reads it is a consequence, not a cause of its own. */
  | { kind: 'blocked'; line: number }
  /** A name whose value depends on where control came from (a catch after a try that assigns it): reading it is `why`. */
  | { kind: 'ambiguous'; why: string; rule: string }
  /**
   * The result of a Bedrock InvokeModel or an allow-listed AWS SDK call, or a part of it (`path`): only the fields
   * `fields` lists can be read (the same in the SDK output and the Task result); `unsafe` ones are blockers with
   * their reason. `body`: Bedrock's response body, readable only as JSON.parse of its decoded bytes.
   */
  | { kind: 'sdk-result'; name: string; title: string; rule: string; path: string[]; fields: Record<string, 'string' | 'number' | 'array'>; unsafe: Record<string, string>; body?: boolean };

/** Thrown inside the lifter; caught where a blocker (or a residual Lambda step) can be recorded. */
/**
 * Thrown and caught inside the lifter as control flow (one per construct it gives up on), never shown with a stack:
 * capturing a stack trace for each is a measurable part of a scan, so none is captured.
 */
export class LiftFailure extends Error {
  constructor(message: string, readonly line: number, readonly rule: string = UNSUPPORTED, readonly residualizable = false) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** A statement that fails only because it reads a name whose declaration failed: the finding names the first cause. */
export class CascadeFailure extends LiftFailure {}

export interface LiftResult {
  steps: Step[];
  rules: Set<string>;
  blockers: Blocker[];
  /** Blockers that were handled by keeping a pure expression in a residual Lambda. */
  residualBlockers: Blocker[];
  /**
   * Those of residualBlockers whose expression the JSONata emitter expresses itself (the residual's `jsonata`), with
   * the rule whose construct it is (Date.now(): intrinsic-timestamp), if any.
   */
  jsonataResolves: Map<Blocker, string | undefined>;
  assumptions: Assumption[];
  substitutions: Record<string, string>;
  dynamoCalls: number;
  /** Calls to the other services with an integration (SNS, EventBridge, SQS, Lambda, fetch), converted or not. */
  serviceCalls: number;
  eventFields: Set<string>;
  eventSourceHint?: EventSource;
  /** EventBridge connections the HTTP Tasks need. */
  httpConnections: HttpConnection[];
  /** A loop over event.Records (SQS/stream batch): the machine also accepts the batch as a list (EventBridge Pipes). */
  recordsBatch?: boolean;
  /** Routes of a route switch and whether each converts. */
  routes: Array<{ route: string; convertible: 'full' | 'none'; line: number; endLine: number }>;
}

export interface LiftOptions {
  module: ModuleInfo;
  index: ModuleIndex;
  schemas: SchemaSources;
  ruleEnabled: (id: string) => boolean;
  /** The rules, in the order the lifter asks them. */
  rules: readonly LiftRule[];
  /** @middy/http-json-body-parser ran before the handler: event.body is already an object. */
  bodyParsedByMiddleware?: boolean;
}
