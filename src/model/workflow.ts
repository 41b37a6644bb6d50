// The workflow model: what a handler does, independent of the query language that will express it.
// lift/ builds it from source; emit/ turns it into ASL (JSONPath today; a JSONata emitter can be added).
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What is known about a value's JSON type. Drives DynamoDB marshalling (S/N/BOOL/…) and unmarshalling. */
export type ValueType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'object'; fields?: Record<string, FieldType> }
  | { kind: 'array'; element?: ValueType }
  | { kind: 'unknown' };

export interface FieldType {
  type: ValueType;
  optional: boolean;
}

export interface Provenance {
  line: number;
}

/** Where a value lives at run time. `event` is the handler's event; `var` a value an earlier state stored. */
export type ValueExpr =
  | { kind: 'literal'; value: Json }
  | { kind: 'undefined' }
  /** `present`: a guard earlier on this path returned when the value was missing. */
  | { kind: 'event'; path: string[]; type: ValueType; present?: boolean }
  | { kind: 'var'; name: string; path: string[]; type: ValueType; present?: boolean }
  /** A DynamoDB result field in AttributeValue form (Item, Attributes, Items, Count); `schema` describes the item. */
  /**
   * `unguarded`: an attribute read as `Item.x` where the item is not known to exist (no `if (!Item)` before, no `?.`):
   * the handler throws a TypeError when there is no item, so the state machine must fail there too.
   */
  | { kind: 'ddb'; step: string; field: 'Item' | 'Attributes' | 'Items' | 'Count' | 'ScannedCount' | 'LastEvaluatedKey'; path: string[]; schema?: ItemSchema; present?: boolean; raw?: boolean; unguarded?: boolean }
  | { kind: 'env'; envVar: string; substitution: string; fallback?: string }
  | { kind: 'uuid' }
  | { kind: 'now-iso' }
  | { kind: 'format'; quasis: string[]; args: ValueExpr[] }
  | { kind: 'json-stringify'; value: ValueExpr }
  /** `nullable`: the text may be null, which JSON.parse turns into null (the intrinsic would fail). */
  | { kind: 'json-parse'; value: ValueExpr; type: ValueType; nullable?: boolean }
  | { kind: 'object'; entries: Array<[string, ValueExpr]> }
  | { kind: 'array'; items: ValueExpr[] }
  /** `value ?? fallback` (nullish) or `value || fallback` (falsy). */
  | { kind: 'coalesce'; op: '??' | '||'; value: ValueExpr; fallback: ValueExpr }
  /** `cond ? a : b` */
  | { kind: 'conditional'; test: Condition; then: ValueExpr; else: ValueExpr }
  /** `assumes`: what the intrinsic takes for granted (States.MathAdd: integers), stated where it is emitted. */
  | { kind: 'intrinsic'; fn: string; args: ValueExpr[]; type: ValueType; assumes?: { line: number; message: string } }
  /** `marshall(value)` in low-level SDK code: a native value turned into an AttributeValue map. */
  | { kind: 'marshalled'; value: ValueExpr }
  /** An expression kept in a small Lambda function (lambda:invoke): pure computation with no ASL equivalent. */
  /** `jsonata`: the same computation in model terms only the JSONata emitter can express (JSONPath keeps the Lambda). */
  /** `cannotFail`: the computation cannot fail on the values it is given (the generic unmarshal of returned items). */
  | { kind: 'residual'; id: string; code: string; inputs: Array<[string, ValueExpr]>; line: number; type: ValueType; jsonata?: ValueExpr; cannotFail?: true }
  /** A function JSONata has and JSONPath does not (only inside a residual's `jsonata` alternative or JSONata-only values). */
  | { kind: 'fn'; fn: JsonataFunction; args: ValueExpr[]; type: ValueType }
  /** `{ ...a, k: v, ...b }` with parts whose fields are not known statically: later keys override earlier ones. */
  /** `why`/`line`: what JSONPath reports when it meets one (the first spread). */
  | { kind: 'merge'; parts: ValueExpr[]; why: string; line: number };

/**
 * millis: Date.now(); lowercase/uppercase: String methods; join: array.join(sep); replace/replace-all: String
 * replace with a string pattern; includes: array.includes(x); string-includes: s.includes(t); length: .length;
 * concat: a.concat(b) of two arrays; substring-before: the text of a string before a delimiter (all of it without one);
 * trim, starts-with, ends-with, split: the String methods (split by a non-empty string);
 * add … power: arithmetic on numbers that are always defined; floor, ceil, abs, min, max: the Math functions;
 * map, filter: list.map(x => value) and list.filter(x => test), as [list, element variable, value or test];
 * from-millis: new Date(ms).toISOString(); decode-uri-component, encode-uri-component: the global functions, of a string;
 * is-array, is-integer: Array.isArray, Number.isInteger; strict-equals, strict-not-equals: === and !== of two values.
 */
export type JsonataFunction = 'millis' | 'lowercase' | 'uppercase' | 'join' | 'replace' | 'replace-all' | 'regex-replace' | 'includes' | 'string-includes' | 'length' | 'concat' | 'substring-before' | 'trim' | 'starts-with' | 'ends-with' | 'split' | 'map' | 'filter' | 'item-at' | 'from-millis' | 'decode-uri-component' | 'encode-uri-component' | 'is-array' | 'is-integer' | 'strict-equals' | 'strict-not-equals' | ArithmeticFunction | MathFunction;

export type ArithmeticFunction = 'add' | 'subtract' | 'multiply' | 'divide' | 'remainder' | 'power';
export type MathFunction = 'floor' | 'ceil' | 'abs' | 'min' | 'max';

/** The variable a catch's error is stored in, as {Error, Cause} (JSONPath: the Catch's ResultPath `$.vars.error`). */
export const CAUGHT_ERROR = 'error';

export type AttributeTypeName = 'S' | 'N' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'B';

/** Attribute types of the items of a table, where known (config hints, TS types, seed data). */
export interface ItemSchema {
  attributes: Record<string, { type: ValueType; optional: boolean }>;
  source: string;
}

export type Condition =
  | { kind: 'present'; value: ValueExpr; negate?: boolean }
  | { kind: 'truthy'; value: ValueExpr; negate?: boolean }
  | { kind: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: ValueExpr; right: Json }
  | { kind: 'typeof'; value: ValueExpr; type: 'string' | 'number' | 'boolean' | 'object'; negate?: boolean }
  /** Choice StringMatches: `*` is the only wildcard. */
  | { kind: 'matches'; value: ValueExpr; pattern: string }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition };

export type DynamoOp =
  | 'getItem' | 'putItem' | 'updateItem' | 'deleteItem'
  | 'query' | 'scan' | 'batchGetItem' | 'batchWriteItem' | 'transactWriteItems' | 'transactGetItems';

export const OPTIMIZED_OPS: ReadonlySet<DynamoOp> = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem']);

/** A DynamoDB request parameter: either a value that must be marshalled (DocumentClient style) or already typed. */
export type DynamoParam =
  | { kind: 'plain'; value: ValueExpr }
  | { kind: 'marshal'; value: ValueExpr }
  | { kind: 'typed'; value: ValueExpr }
  /** TransactItems / RequestItems in DocumentClient style: the Item/Key/… maps inside are marshalled. */
  | { kind: 'nested'; value: ValueExpr };

export interface DynamoCall {
  kind: 'dynamo';
  op: DynamoOp;
  /** Name of the result in the model, referenced by `ddb` values. */
  result: string;
  params: Record<string, DynamoParam>;
  /** Table the call targets: substitution or literal, for schema look-ups. */
  table: { name: string; key: string };
  /** Attribute types of the table's items, when known: used to type values whose type the code does not say. */
  schema?: ItemSchema;
  /**
   * lib-dynamodb without removeUndefinedValues: an undefined value inside an attribute (below an attribute map's top
   * level, where the client leaves an undefined member out) throws in the handler.
   */
  undefinedThrows?: boolean;
  line: number;
  rule: string;
}

/** A message or invocation sent to another AWS service through an optimized integration (request/response). */
export interface Publish {
  kind: 'publish';
  service: IntegrationService;
  result: string;
  params: Record<string, ValueExpr>;
  /** The code may read the call's result: store it under `$.vars.<result>` (otherwise ResultPath null). */
  keepResult?: boolean;
  /** HTTP: the code reads the body as JSON (`await res.json()`); a text ResponseBody is parsed. */
  jsonBody?: boolean;
  /** `aws-sdk` only: which SDK integration (`arn:aws:states:::aws-sdk:<service>:<action>`) and its error prefix. */
  sdk?: SdkIntegration;
  line: number;
  rule: string;
}

/** An AWS SDK integration Task: resource `arn:aws:states:::aws-sdk:<service>:<action>`. */
export interface SdkIntegration {
  /** Lower-case service name of the resource (`ssm`, `secretsmanager`). */
  service: string;
  /** camelCase API action (`getParameter`). */
  action: string;
  /** The service's exception prefix from the supported-services table (`Ssm`, `SecretsManager`). */
  errorPrefix: string;
  /** Name of the Task state (`Get parameter`). */
  stateName: string;
}

export type IntegrationService = 'sns' | 'eventbridge' | 'sqs' | 'lambda' | 'http' | 'bedrock' | 'aws-sdk';

/**
 * How a Task's errors are named: `<prefix>.<SDK error name>`; AWS SDK integrations add `Exception` to names that do
 * not end with it (supported-services-awssdk: "S3.BucketAlreadyExistsException" for BucketAlreadyExists).
 */
export interface ErrorNaming {
  prefix: string;
  exceptionSuffix?: boolean;
}

/** Each service's optimized integration: its resource, the prefix of its error names, the state's name. */
export const SERVICE_INTEGRATIONS: Readonly<Record<IntegrationService, { resource: string; errorPrefix: string; stateName: string }>> = {
  sns: { resource: 'arn:aws:states:::sns:publish', errorPrefix: 'SNS', stateName: 'Publish' },
  eventbridge: { resource: 'arn:aws:states:::events:putEvents', errorPrefix: 'EventBridge', stateName: 'Put events' },
  sqs: { resource: 'arn:aws:states:::sqs:sendMessage', errorPrefix: 'SQS', stateName: 'Send message' },
  lambda: { resource: 'arn:aws:states:::lambda:invoke', errorPrefix: 'Lambda', stateName: 'Invoke function' },
  // Non-2xx answers fail the Task as States.Http.StatusCode.<code>.
  http: { resource: 'arn:aws:states:::http:invoke', errorPrefix: 'States.Http', stateName: 'Call HTTP API' },
  // Error names seen from this integration are Bedrock.<API error> (Bedrock.ValidationException, …): see rules/bedrock-invoke-model.
  bedrock: { resource: 'arn:aws:states:::bedrock:invokeModel', errorPrefix: 'Bedrock', stateName: 'Invoke model' },
  // Each step names its own service and action (Publish.sdk): see integrationOf.
  'aws-sdk': { resource: 'arn:aws:states:::aws-sdk', errorPrefix: '', stateName: 'Call AWS API' },
};

/** Bedrock InvokeModel's throttling and server errors (API reference, InvokeModel Errors), named as the integration reports them. */
export const BEDROCK_RETRY_ERRORS: readonly string[] = ['Bedrock.ThrottlingException', 'Bedrock.ServiceUnavailableException', 'Bedrock.InternalServerException'];

/** The integration a publish step uses: the service's optimized one, or its own AWS SDK integration. */
export function integrationOf(step: Publish): { resource: string; errors: ErrorNaming; stateName: string } {
  if (step.service === 'aws-sdk') {
    if (!step.sdk) throw new Error('an aws-sdk step without its service and action');
    const { service, action, errorPrefix, stateName } = step.sdk;
    return { resource: `arn:aws:states:::aws-sdk:${service}:${action}`, errors: { prefix: errorPrefix, exceptionSuffix: true }, stateName };
  }
  const i = SERVICE_INTEGRATIONS[step.service];
  return { resource: i.resource, errors: { prefix: i.errorPrefix }, stateName: i.stateName };
}

/** Error names of non-2xx answers (registered 4xx and 5xx codes) that a `!res.ok` branch catches. */
export const HTTP_ERROR_STATUSES: readonly number[] = [
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
];

/** An HTTP endpoint's EventBridge connection (mandatory for the HTTP Task); the secret is left to the user. */
export interface HttpConnection {
  /** DefinitionSubstitutions key of the connection ARN. */
  substitution: string;
  /** The endpoint as the code writes it. */
  endpoint: string;
  /**
   * The endpoint with `${Substitution}`s as the definition writes them, up to the first value known only at run
   * time, which becomes `*` (e.g. `${ApiUrl}/stock/*`): the IAM condition on states:HTTPEndpoint.
   */
  endpointPattern?: string;
  /**
   * The connection's AuthorizationType: API_KEY when the code sent an auth header from the environment (also
   * `Authorization: Bearer …`), BASIC for `Authorization: Basic base64(user:password)` / axios `auth` / got
   * `username`+`password`; NONE otherwise (a connection is mandatory even then).
   */
  authorization: 'API_KEY' | 'BASIC' | 'NONE';
  /** API_KEY: the header the connection sends, and where the code took its value (literal prefix + environment variable). */
  header?: { name: string; prefix: string; envVar: string };
  /** BASIC: where the code took the user name (environment variable or constant) and the password (environment variable). */
  basic?: { username: { envVar: string } | { value: string }; passwordEnvVar: string };
}

/**
 * The header an EventBridge connection adds to each request, with the secrets taken from `env` (verify gives the
 * machine the same environment as the handler): API key → its header as configured; BASIC → `Authorization: Basic
 * base64(user:password)` (RFC 7617, as the connection sends it).
 */
export function connectionAuthHeader(c: HttpConnection, env: Readonly<Record<string, string | undefined>>): { name: string; value: string } | undefined {
  if (c.authorization === 'API_KEY' && c.header) return { name: c.header.name, value: `${c.header.prefix}${env[c.header.envVar] ?? ''}` };
  if (c.authorization === 'BASIC' && c.basic) {
    const user = 'envVar' in c.basic.username ? (env[c.basic.username.envVar] ?? '') : c.basic.username.value;
    return { name: 'authorization', value: `Basic ${Buffer.from(`${user}:${env[c.basic.passwordEnvVar] ?? ''}`, 'utf8').toString('base64')}` };
  }
  return undefined;
}

export type Step =
  | DynamoCall
  | Publish
  /** Store a value once (uuid, timestamps, parsed bodies): every later use must see the same value. */
  | { kind: 'let'; name: string; value: ValueExpr; line: number }
  | { kind: 'if'; test: Condition; then: Step[]; else: Step[]; line: number }
  | { kind: 'switch'; on: ValueExpr; cases: Array<{ values: string[]; body: Step[] }>; default: Step[]; line: number }
  | { kind: 'return'; value: ValueExpr; line: number }
  /** `causeValue`: a message computed at run time (`new Error(\`No route ${key}\`)`), in place of `cause`. */
  | { kind: 'throw'; error: string; cause: string; causeValue?: ValueExpr; line: number }
  | { kind: 'try'; body: Step[]; catchers: Catcher[]; line: number }
  /** The original handler answers this path (a route that does not convert): lambda:invoke with the event. */
  | { kind: 'invoke-handler'; line: number }
  /**
   * A Query/Scan pagination loop: `call` runs again with ExclusiveStartKey = the previous page's LastEvaluatedKey
   * until there is none, appending each page's Items (unmarshalled unless `raw`) to the variable `into`, which starts
   * as an empty list. JSONata only ($append).
   */
  | { kind: 'paginate'; call: DynamoCall; into: string; raw: boolean; line: number }
  /** `await sleep(ms)`: a Wait state of `seconds`. */
  | { kind: 'wait'; seconds: number; line: number }
  /**
   * A loop over a list (for…of, Promise.all(list.map(…))): a Map state running `body` once per element, with the
   * element stored as variable `item`. `maxConcurrency` 1 is sequential (awaits in a for…of), 0 unbounded.
   */
  | MapLoop
  | PollLoop
  /** Leave the innermost polling loop (`break`), after storing the values the code after the loop reads. */
  | { kind: 'break'; line: number }
  /** Start the innermost polling loop's next pass (`continue` in a `for` loop: the counter still counts it). */
  | { kind: 'continue'; line: number };

/**
 * A bounded polling loop (`while (status !== 'DONE' && tries < 10) { await sleep(…); …; tries++ }`): a Choice on
 * `test` runs `body`, adds 1 to `counter` and jumps back to the Choice. The counter (stored by the emitter, starting at
 * `start`) is the loop's own bound, so the machine polls at most `maxPolls` times, like the code. `checkFirst` is false
 * for do…while (the body runs once before the first test).
 */
export interface PollLoop {
  kind: 'poll';
  /** The loop as written: `for` loops count a `continue` (their update runs), while loops do not allow one. */
  form: 'while' | 'do-while' | 'for';
  counter: string;
  start: number;
  maxPolls: number;
  test: Condition;
  body: Step[];
  checkFirst: boolean;
  line: number;
  rule: string;
}

export interface MapLoop {
  kind: 'map';
  items: ValueExpr;
  item: string;
  body: Step[];
  maxConcurrency: number;
  line: number;
  rule: string;
  /**
   * Each iteration returns a list (its `return` steps); the lists are concatenated into the stored variable
   * `collect` (the batchItemFailures idiom: `failures.push(x)` in the loop's catch).
   */
  collect?: string;
}

export interface Catcher {
  /** SDK exception names (ConditionalCheckFailedException), or ['*'] for any error. */
  errors: string[];
  body: Step[];
  /** Model variable the error is stored in, if the catch body reads it. */
  errorVar?: string;
}

export interface Workflow {
  steps: Step[];
  /**
   * The handler loops over `event.Records` (an SQS or stream batch): the machine also takes the batch as a bare
   * list of records, the input EventBridge Pipes gives a Step Functions target, and reads it as `{ Records: list }`.
   */
  recordsBatch?: boolean;
  /** Where the events come from, when known: which top-level fields every event has depends on it. */
  eventSource?: string;
  /** DefinitionSubstitutions: key → where its value comes from. */
  substitutions: Record<string, string>;
}
