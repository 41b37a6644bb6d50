// API Gateway, as far as a front door needs it: render the REST mapping templates with a real VTL engine
// (velocityjs) and the `$input`/`$util`/`$context` objects API Gateway gives them, built from a recorded Lambda
// proxy event; and what API Gateway sends the client for a Lambda proxy response. API Gateway runs Java
// Velocity, so strings and maps carry the Java methods the templates call (String.replaceAll takes a regex).
import velocity from 'velocityjs';

/** A Java String as Velocity sees it: toString for output, the Java methods for calls. */
class JavaString {
  constructor(private readonly s: string) {}
  toString(): string {
    return this.s;
  }
  valueOf(): string {
    return this.s;
  }
  length(): number {
    return this.s.length;
  }
  isEmpty(): boolean {
    return this.s.length === 0;
  }
  substring(from: number, to?: number): JavaString {
    return new JavaString(this.s.substring(from, to));
  }
  startsWith(prefix: unknown): boolean {
    return this.s.startsWith(String(prefix));
  }
  toLowerCase(): JavaString {
    return new JavaString(this.s.toLowerCase());
  }
  equals(other: unknown): boolean {
    return String(other) === this.s;
  }
  /** Java's replaceAll: the pattern is a regular expression (the simple ones templates use read the same in JS). */
  replaceAll(pattern: unknown, replacement: unknown): JavaString {
    return new JavaString(this.s.replace(new RegExp(String(pattern), 'g'), String(replacement).replace(/\$/g, '$$$$')));
  }
}

/**
 * A Java Map: entries readable as properties (Velocity's `$m.key`) and through get/keySet/isEmpty. The entries are
 * also kept apart, because velocityjs adds helper properties (e.g. `eval`) to the objects it renders.
 */
function javaMap(entries: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const own = new Map(Object.entries(entries ?? {}).map(([k, v]) => [k, toJava(v)]));
  const map = Object.create({
    get: (k: unknown) => own.get(String(k)),
    keySet: () => [...own.keys()],
    isEmpty: () => own.size === 0,
    size: () => own.size,
    containsKey: (k: unknown) => own.has(String(k)),
  }) as Record<string, unknown>;
  for (const [k, v] of own) map[k] = v;
  return map;
}

function toJava(v: unknown): unknown {
  if (typeof v === 'string') return new JavaString(v);
  if (Array.isArray(v)) return v.map(toJava);
  if (v && typeof v === 'object') return javaMap(v as Record<string, unknown>);
  return v;
}

/** commons-lang StringEscapeUtils.escapeJavaScript, which `$util.escapeJavaScript` is. */
export function escapeJavaScript(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff) {
      // Java escapes each UTF-16 unit of a supplementary character.
      out += ch.split('').map((u) => `\\u${u.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join('');
    } else if (code > 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (ch === "'" || ch === '"' || ch === '\\' || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

const util = {
  escapeJavaScript: (s: unknown) => new JavaString(escapeJavaScript(s === undefined || s === null ? '' : String(s))),
  parseJson: (s: unknown) => toJava(JSON.parse(String(s))),
  base64Encode: (s: unknown) => new JavaString(Buffer.from(String(s), 'utf8').toString('base64')),
  base64Decode: (s: unknown) => new JavaString(Buffer.from(String(s), 'base64').toString('utf8')),
};

/** The HTTP request behind a recorded Lambda proxy event (REST v1 or HTTP API v2), as API Gateway REST sees it. */
export interface ApiRequest {
  method: string;
  resourcePath: string;
  stage: string;
  /** Path without the stage. */
  path: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  pathParams: Record<string, string>;
  stageVariables: Record<string, string>;
  body: string;
  requestId: string;
  sourceIp: string;
  claims: Record<string, string>;
}

type AnyEvent = Record<string, unknown> & { requestContext?: Record<string, unknown> };

export function isApiEvent(event: unknown): boolean {
  const e = event as AnyEvent | null;
  return Boolean(e && typeof e === 'object' && (typeof e['httpMethod'] === 'string' || typeof e['routeKey'] === 'string' || typeof (e.requestContext?.['http'] as { method?: unknown } | undefined)?.method === 'string'));
}

export function apiRequestFromEvent(event: unknown): ApiRequest {
  const e = event as AnyEvent;
  const rc = (e.requestContext ?? {}) as Record<string, unknown> & { http?: Record<string, string>; authorizer?: Record<string, unknown>; identity?: Record<string, string> };
  const v2 = e['version'] === '2.0' || typeof e['routeKey'] === 'string';
  // The REST front door stands for HTTP API's $default route with a catch-all /{proxy+} resource.
  const [routeMethod, routePath] = e['routeKey'] === '$default' ? [undefined, '/{proxy+}'] : typeof e['routeKey'] === 'string' ? (e['routeKey'] as string).split(' ') : [];
  const stage = typeof rc['stage'] === 'string' && rc['stage'] !== '$default' ? (rc['stage'] as string) : 'prod';
  const claims = (v2 ? (rc.authorizer?.['jwt'] as { claims?: Record<string, string> } | undefined)?.claims : (rc.authorizer?.['claims'] as Record<string, string> | undefined)) ?? {};
  return {
    method: String(e['httpMethod'] ?? rc.http?.['method'] ?? routeMethod ?? 'GET'),
    resourcePath: String(e['resource'] ?? rc['resourcePath'] ?? routePath ?? e['rawPath'] ?? e['path'] ?? '/'),
    stage,
    path: String(e['path'] ?? e['rawPath'] ?? rc.http?.['path'] ?? '/'),
    headers: (e['headers'] as Record<string, string> | null) ?? {},
    query: (e['queryStringParameters'] as Record<string, string> | null) ?? {},
    pathParams: (e['pathParameters'] as Record<string, string> | null) ?? {},
    stageVariables: (e['stageVariables'] as Record<string, string> | null) ?? {},
    body: typeof e['body'] === 'string' ? (e['body'] as string) : '',
    requestId: String(rc['requestId'] ?? 'request-1'),
    sourceIp: String(rc.identity?.['sourceIp'] ?? rc.http?.['sourceIp'] ?? '203.0.113.1'),
    claims,
  };
}

function contextFor(req: ApiRequest, responseOverride?: { status?: number; header: Record<string, unknown> }): Record<string, unknown> {
  return {
    httpMethod: new JavaString(req.method),
    resourcePath: new JavaString(req.resourcePath),
    path: new JavaString(`/${req.stage}${req.path}`),
    stage: new JavaString(req.stage),
    requestId: new JavaString(req.requestId),
    extendedRequestId: new JavaString(req.requestId),
    accountId: new JavaString('123456789012'),
    apiId: new JavaString('a1b2c3d4e5'),
    domainName: new JavaString('a1b2c3d4e5.execute-api.us-east-1.amazonaws.com'),
    protocol: new JavaString('HTTP/1.1'),
    identity: javaMap({ sourceIp: req.sourceIp, userAgent: req.headers['User-Agent'] ?? req.headers['user-agent'] ?? '' }),
    authorizer: javaMap({ claims: req.claims }),
    ...(responseOverride ? { responseOverride } : {}),
  };
}

/** The request template applied to a request: the StartSyncExecution call it makes, with `input` parsed. */
export function renderRequestTemplate(template: string, req: ApiRequest): { stateMachineArn: string; input: unknown } {
  const params = javaMap({ path: req.pathParams, querystring: req.query, header: req.headers });
  const input = { body: new JavaString(req.body), params: () => params };
  const text = velocity.render(template, { input, util, context: contextFor(req), stageVariables: javaMap(req.stageVariables) });
  let call: { stateMachineArn: string; input: string };
  try {
    call = JSON.parse(text) as typeof call;
  } catch (e) {
    throw new Error(`the request template rendered invalid JSON (${(e as Error).message}):\n${text}`);
  }
  try {
    return { stateMachineArn: call.stateMachineArn, input: JSON.parse(call.input) };
  } catch (e) {
    throw new Error(`the request template's "input" is not JSON (${(e as Error).message}): ${call.input}`);
  }
}

/** What StartSyncExecution returns (the fields the response template reads). */
export type SyncExecutionResult = { status: 'SUCCEEDED'; output: string } | { status: 'FAILED'; error: string; cause: string } | { status: 'TIMED_OUT' };

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The response template applied to a StartSyncExecution result: the HTTP response the client receives. */
export function renderResponseTemplate(template: string, result: SyncExecutionResult, req: ApiRequest): HttpResponse {
  const json = JSON.stringify(result);
  const input = {
    path: (p: unknown) => {
      const m = /^\$\.(\w+)$/.exec(String(p));
      if (!m) throw new Error(`$input.path('${String(p)}') is not supported by the lambda2sfn template harness`);
      return toJava((JSON.parse(json) as Record<string, unknown>)[m[1]!]);
    },
    json: (p: unknown) => {
      if (String(p) !== '$') throw new Error(`$input.json('${String(p)}') is not supported by the lambda2sfn template harness`);
      return json;
    },
    body: new JavaString(json),
  };
  const responseOverride: { status?: number; header: Record<string, unknown> } = { header: {} };
  const body = velocity.render(template, { input, util, context: contextFor(req, responseOverride) });
  return {
    statusCode: responseOverride.status === undefined ? 200 : Number(responseOverride.status),
    headers: Object.fromEntries(Object.entries(responseOverride.header).map(([k, v]) => [k, String(v)])),
    body,
  };
}

/** What API Gateway sends for a Lambda proxy integration: the handler's status, headers and body, or 502 when it threw. */
export function lambdaProxyResponse(outcome: { response?: unknown; error?: unknown }): HttpResponse & { multiValueHeaders?: unknown } {
  if (outcome.error) return { statusCode: 502, headers: {}, body: '{"message": "Internal server error"}' };
  const r = (outcome.response ?? {}) as { statusCode?: unknown; headers?: Record<string, unknown>; multiValueHeaders?: unknown; body?: unknown };
  return {
    statusCode: Number(r.statusCode ?? 200),
    headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: r.body === undefined || r.body === null ? '' : String(r.body),
    ...(r.multiValueHeaders ? { multiValueHeaders: r.multiValueHeaders } : {}),
  };
}
