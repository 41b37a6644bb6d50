// The API front door of a proposal: an API Gateway REST integration with `states:action/StartSyncExecution`
// (a synchronous Express execution answers the HTTP request). The request template rebuilds, from the HTTP request, the part of the Lambda proxy event the
// state machine reads, with the same names and shapes, so the machine runs unchanged; the response template turns
// the execution result back into the HTTP response the handler gave. Both are VTL; `verify` renders them.
import type { AslDefinition, EventSource, FrontDoor } from '../report/types.js';

/** The ARN placeholder the request template names; the infrastructure fills it like the definition's substitutions. */
export const STATE_MACHINE_ARN = '${StateMachineArn}';

/** Event paths (dot-joined, after `$.event`, or `$event` in JSONata) the definition reads; '' when it passes the whole event on. */
export function machineEventPaths(definition: AslDefinition): Set<string> {
  const paths = new Set<string>();
  const visit = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (key === 'Comment') return;
      for (const m of v.matchAll(/\$\.event((?:\.[A-Za-z_$][\w$]*|\['(?:[^'\\]|\\.)*'\]|\[\d+\])*)/g)) {
        const parts = [...m[1]!.matchAll(/\.([A-Za-z_$][\w$]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g)].map((p) => p[1] ?? p[2]?.replace(/\\'/g, "'") ?? p[3]!);
        paths.add(parts.join('.'));
      }
      // JSONata definitions keep the event in the variable $event (src/emit/jsonata/emitter.ts): `$event.a.`b-c``.
      if (v.includes('{%')) {
        for (const m of v.matchAll(/\$event(?![\w$])((?:\.(?:[A-Za-z_][\w]*|`[^`]*`)|\[\d+\])*)/g)) {
          const parts = [...m[1]!.matchAll(/\.([A-Za-z_]\w*)|\.`([^`]*)`|\[(\d+)\]/g)].map((p) => p[1] ?? p[2] ?? p[3]!);
          paths.add(parts.join('.'));
        }
      }
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(definition, '');
  return paths;
}

/**
 * Does a state other than a Lambda invocation (the original handler, a residual computation, which read their fields
 * of it) use the whole event as a value: `$.event` as a whole path or an intrinsic's argument, `$event` in JSONata?
 */
function wholeEventAsData(definition: AslDefinition): boolean {
  const whole = (v: unknown): boolean => {
    if (typeof v === 'string') return /\$\.event(?![\w.[$])/.test(v) || (v.includes('{%') && /\$event(?![\w.[$`])/.test(v));
    if (Array.isArray(v)) return v.some(whole);
    return !!v && typeof v === 'object' && Object.entries(v).some(([k, x]) => k !== 'Comment' && whole(x));
  };
  const states = (s: Record<string, unknown>): boolean =>
    Object.values(s).some((state) => {
      const st = state as Record<string, unknown>;
      const nested = [st['ItemProcessor'], st['Iterator'], ...((st['Branches'] as unknown[] | undefined) ?? [])].some((p) => !!p && states(((p as { States?: Record<string, unknown> }).States) ?? {}));
      if (st['Resource'] === 'arn:aws:states:::lambda:invoke') return nested;
      const { ItemProcessor: _i, Iterator: _it, Branches: _b, ...own } = st;
      return nested || whole(own);
    });
  return states(definition.States as Record<string, unknown>);
}

type Shape = 'v1' | 'v2';

/** One field of the rebuilt event: VTL statements that append `"name":value` to $json. */
interface Field {
  vtl: string[];
  note?: string;
}

const esc = (expr: string) => `$util.escapeJavaScript(${expr}).replaceAll("\\\\'","'")`;

/**
 * The input JSON is built with String.concat and single-quoted literals: no `${…}` in the template (Serverless Framework
 * would take it for one of its variables) and no reference run into the text after it.
 */
const cat = (...parts: string[]) => parts.map((p) => `#set($json = $json.concat(${p}))`).join('');
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** `"name":` preceded by a comma unless it is the first member of its object ($sep). */
const member = (name: string) => `${cat('$sep', lit(`"${name}":`))}#set($sep = ',')`;

/**
 * A string field. `null` when empty: as the proxy event has an absent body; `omit` when empty: a value that is
 * absent from the event when API Gateway has none (authorizer claims), so `?.`/`??` in the handler behave the same.
 */
function stringField(name: string, expr: string, empty: 'keep' | 'null' | 'omit' = 'keep'): string[] {
  const set = `#set($v = ${esc(expr)})`;
  const put = `${member(name)}${cat(lit('"'), '$v', lit('"'))}`;
  const quiet = `"$!${expr.slice(1)}"`;
  if (empty === 'keep') return [`${set}${put}##`];
  if (empty === 'null') return [`#if(${quiet} == "")${member(name)}${cat(lit('null'))}#else${set}${put}#end##`];
  return [`#if(${quiet} != "")${set}${put}#end##`];
}

/** A string→string map as a JSON object (null when empty, as Lambda proxy events have it). */
function mapField(name: string, expr: string, lowerCaseKeys = false): string[] {
  return [
    `#set($m = ${expr})${member(name)}##`,
    `#if(!$m || $m.isEmpty())${cat(lit('null'))}#else##`,
    `${cat(lit('{'))}#set($sep = '')##`,
    '#foreach($k in $m.keySet())##',
    `#set($kk = ${esc(lowerCaseKeys ? '$k.toLowerCase()' : '$k')})##`,
    `#set($vv = ${esc('$m.get($k)')})##`,
    `${cat('$sep', lit('"'), '$kk', lit('":"'), '$vv', lit('"'))}#set($sep = ',')##`,
    '#end##',
    `${cat(lit('}'))}#set($sep = ',')##`,
    '#end##',
  ];
}

const PATH_WITHOUT_STAGE = [
  '## $context.path starts with the stage (/prod/items/1); the proxy event\'s path does not.',
  '#set($p = $context.path)#if($p.startsWith("/$context.stage/"))#set($n = $context.stage.length() + 1)#set($p = $p.substring($n))#end##',
];

/** requestContext fields a REST API exposes as $context variables (same names in the v1 event). */
const V1_CONTEXT: Record<string, string> = {
  resourcePath: '$context.resourcePath', httpMethod: '$context.httpMethod', requestId: '$context.requestId', stage: '$context.stage',
  path: '$context.path', accountId: '$context.accountId', apiId: '$context.apiId', domainName: '$context.domainName', protocol: '$context.protocol',
  resourceId: '$context.resourceId', extendedRequestId: '$context.extendedRequestId', 'identity.sourceIp': '$context.identity.sourceIp',
  'identity.userAgent': '$context.identity.userAgent', 'authorizer.principalId': '$context.authorizer.principalId',
};
const V2_CONTEXT: Record<string, string> = {
  'http.method': '$context.httpMethod', 'http.sourceIp': '$context.identity.sourceIp', 'http.userAgent': '$context.identity.userAgent',
  'http.protocol': '$context.protocol', requestId: '$context.requestId', stage: '$context.stage', accountId: '$context.accountId',
  apiId: '$context.apiId', domainName: '$context.domainName',
};

class UnsupportedField extends Error {}

/** Appends the route key (computed by the preamble as $routeKey). */
const routeKey = (name: string) => [`${member(name)}${cat(lit('"'), '$routeKey', lit('"'))}##`];


function topField(shape: Shape, name: string): Field {
  switch (name) {
    case 'httpMethod': if (shape === 'v1') return { vtl: stringField(name, '$context.httpMethod') }; break;
    case 'resource': if (shape === 'v1') return { vtl: stringField(name, '$context.resourcePath') }; break;
    case 'routeKey': if (shape === 'v2') return { vtl: routeKey(name), note: 'routeKey is rebuilt as "<method> <resource path>", the format of HTTP API route keys, and as $default for the catch-all resource /{proxy+} (ANY), which the REST API needs in place of the HTTP API\'s $default route' }; break;
    case 'version': if (shape === 'v2') return { vtl: [`${member(name)}${cat(lit('"2.0"'))}##`] }; break;
    case 'path':
    case 'rawPath':
      if ((name === 'path') === (shape === 'v1'))
        return { vtl: [...PATH_WITHOUT_STAGE, ...stringField(name, '$p')], note: `${name} is $context.path without the stage prefix; behind a custom domain with a base path, check that it matches what the handler saw` };
      break;
    case 'headers': return { vtl: mapField(name, '$input.params().header', shape === 'v2'), ...(shape === 'v2' ? { note: 'header names are lower-cased, as HTTP API payload v2 events have them' } : {}) };
    case 'queryStringParameters': return { vtl: mapField(name, '$input.params().querystring'), note: 'a query parameter given several times arrives once (REST mapping templates see one value per name)' };
    case 'pathParameters': return { vtl: mapField(name, '$input.params().path') };
    case 'stageVariables': return { vtl: mapField(name, '$stageVariables') };
    case 'body': return { vtl: stringField(name, '$input.body', 'null'), note: 'the body is passed as the text the client sent (binary bodies are not supported)' };
    case 'isBase64Encoded': return { vtl: [`${member(name)}${cat(lit('false'))}##`] };
  }
  throw new UnsupportedField(`the state machine reads event.${name}, which an API Gateway REST mapping template cannot rebuild`);
}

function contextField(shape: Shape, sub: string): string[] {
  const name = sub.split('.').pop()!;
  const table = shape === 'v1' ? V1_CONTEXT : V2_CONTEXT;
  if (table[sub]) return stringField(name, table[sub]!, sub.startsWith('authorizer.') ? 'omit' : 'keep');
  if (shape === 'v2' && sub === 'routeKey') return routeKey(name);
  if (shape === 'v2' && sub === 'http.path') return [...PATH_WITHOUT_STAGE, ...stringField(name, '$p')];
  const claim = (shape === 'v1' ? /^authorizer\.claims\.([A-Za-z_][\w:-]*)$/ : /^authorizer\.jwt\.claims\.([A-Za-z_][\w:-]*)$/).exec(sub);
  if (claim) return stringField(name, `$context.authorizer.claims.get('${claim[1]}')`, 'omit');
  throw new UnsupportedField(`the state machine reads event.requestContext.${sub}, which an API Gateway REST mapping template cannot rebuild`);
}

/** Every field a whole event of this shape carries that a REST mapping template can rebuild. */
const WHOLE_EVENT: Record<Shape, { top: string[]; context: string[] }> = {
  v1: { top: ['resource', 'path', 'httpMethod', 'headers', 'queryStringParameters', 'pathParameters', 'stageVariables', 'body', 'isBase64Encoded'], context: ['resourcePath', 'httpMethod', 'path', 'stage', 'requestId', 'accountId', 'apiId', 'domainName', 'identity.sourceIp'] },
  v2: { top: ['version', 'routeKey', 'rawPath', 'headers', 'queryStringParameters', 'pathParameters', 'stageVariables', 'body', 'isBase64Encoded'], context: ['http.method', 'http.path', 'http.sourceIp', 'routeKey', 'stage', 'requestId', 'accountId', 'apiId', 'domainName'] },
};

/** Nest dot paths into a tree so each object is opened once. */
type Tree = Map<string, Tree | null>;
function insert(tree: Tree, parts: string[]): void {
  const [head, ...rest] = parts;
  if (!rest.length) {
    tree.set(head!, null);
    return;
  }
  let child = tree.get(head!);
  if (child === null) return; // the whole parent is already taken
  if (!child) tree.set(head!, (child = new Map()));
  insert(child, rest);
}

export interface FrontDoorInput {
  definition: AslDefinition;
  eventSource: EventSource;
  /** Response header names the handler may set (case kept). */
  responseHeaders: string[];
  /** Why some response headers cannot be listed (e.g. built at run time); becomes a note. */
  responseHeaderNotes: string[];
}

export type FrontDoorResult = { ok: true; frontDoor: FrontDoor } | { ok: false; reason: string };

/** A header name the response template can set (`$context.responseOverride.header.<name>` takes an identifier). */
export function settableResponseHeader(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]*$/.test(name);
}

export function emitFrontDoor(input: FrontDoorInput): FrontDoorResult {
  if (input.eventSource !== 'apigw-rest' && input.eventSource !== 'apigw-http') return { ok: false, reason: `the handler is not invoked by API Gateway (${input.eventSource})` };
  const shape: Shape = input.eventSource === 'apigw-rest' ? 'v1' : 'v2';
  const paths = machineEventPaths(input.definition);
  const notes: string[] = [];
  const tree: Tree = new Map();
  // The whole event as data (returned, stored, stringified): the rebuilt event is not the one a Lambda function gets.
  if (paths.has('') && wholeEventAsData(input.definition)) {
    return { ok: false, reason: `the state machine uses the whole request event as a value, and the event a mapping template rebuilds (${WHOLE_EVENT[shape].top.join(', ')}, part of requestContext) is not the one API Gateway gives a Lambda function` };
  }
  if (paths.has('')) {
    // Some route passes the event on whole (to the original handler): rebuild every field the template can.
    const whole = WHOLE_EVENT[shape];
    for (const f of whole.top) tree.set(f, null);
    const ctx: Tree = new Map();
    for (const c of whole.context) insert(ctx, c.split('.'));
    tree.set('requestContext', ctx);
    notes.push(`a route passes the whole request event on; the front door rebuilds ${[...whole.top, 'requestContext'].join(', ')} (not multiValueHeaders, multiValueQueryStringParameters${shape === 'v2' ? ', rawQueryString, cookies' : ''})`);
  }
  for (const p of paths) {
    if (!p) continue;
    const parts = p.split('.');
    const top = parts[0]!;
    // Reading one header/parameter: forward the whole map (exact, and names keep their case).
    if (['headers', 'queryStringParameters', 'pathParameters', 'stageVariables'].includes(top) || parts.length === 1) insert(tree, [top]);
    else if (top === 'requestContext') insert(tree, parts);
    else insert(tree, [top]);
  }
  const lines: string[] = [];
  const emitObject = (t: Tree, prefix: string[]) => {
    lines.push(`${cat(lit('{'))}#set($sep = '')##`);
    for (const [key, child] of t) {
      if (child) {
        lines.push(`${member(key)}##`);
        emitObject(child, [...prefix, key]);
      } else if (prefix.length === 0) {
        const f = topField(shape, key);
        lines.push(...f.vtl);
        if (f.note && !notes.includes(f.note)) notes.push(f.note);
      } else lines.push(...contextField(shape, [...prefix.slice(1), key].join('.')));
    }
    lines.push(`${cat(lit('}'))}#set($sep = ',')##`);
  };
  try {
    for (const [key, child] of tree) if (child && key !== 'requestContext') throw new UnsupportedField(`the state machine reads a field inside event.${key}, which an API Gateway REST mapping template cannot rebuild`);
    emitObject(tree, []);
  } catch (e) {
    if (e instanceof UnsupportedField) return { ok: false, reason: e.message };
    throw e;
  }
  if (shape === 'v2') notes.push('the handler reads HTTP API (payload v2) events; HTTP APIs cannot map a StartSyncExecution result to a status code and headers, so the front door is a REST API whose template rebuilds the v2 fields the machine reads');
  notes.push(...input.responseHeaderNotes);

  const preamble: string[] = [];
  if (lines.some((l) => l.includes('$routeKey'))) {
    preamble.push(
      '## HTTP API route keys are "<method> <resource path>"; the catch-all resource /{proxy+} stands for the $default route.',
      '#set($routeKey = "$context.httpMethod $context.resourcePath")##',
      '#if($context.resourcePath == "/{proxy+}")#set($routeKey = \'$default\')#end##',
    );
  }
  const requestTemplate = [
    '## lambda2sfn front door (request): API Gateway REST → states:StartSyncExecution.',
    '## Rebuilds the fields of the Lambda proxy event the state machine reads, with their names and shapes.',
    '## Values are escaped for JSON; escapeJavaScript also turns \' into \\\', which JSON rejects, hence replaceAll.',
    "#set($json = '')##",
    "#set($sep = '')##",
    ...preamble,
    ...lines,
    '{',
    `  "stateMachineArn": "${STATE_MACHINE_ARN}",`,
    `  "input": "${esc('$json')}"`,
    '}',
    '',
  ].join('\n');

  const headerNames = [...new Set(input.responseHeaders)].filter((h) => {
    if (settableResponseHeader(h)) return true;
    notes.push(`response header "${h}" cannot be set from a mapping template (not a VTL identifier); it is dropped`);
    return false;
  });
  const responseTemplate = [
    '## lambda2sfn front door (response): the StartSyncExecution result → the HTTP response the Lambda handler gave.',
    '## StartSyncExecution answers 200 even when the execution failed: the status decides.',
    "#set($status = $input.path('$.status'))##",
    '#if($status == "SUCCEEDED")##',
    "#set($out = $util.parseJson($input.path('$.output')))##",
    '#set($context.responseOverride.status = $out.statusCode)##',
    ...headerNames.map((h) => `#if($out.headers && $out.headers.get("${h}"))#set($context.responseOverride.header.${h} = $out.headers.get("${h}"))#end##`),
    '$!out.body##',
    '#elseif($status == "TIMED_OUT")##',
    '## What API Gateway answers when a Lambda integration times out.',
    '#set($context.responseOverride.status = 504)##',
    '{"message": "Endpoint request timed out"}##',
    '#else##',
    '## What API Gateway answered when the Lambda handler threw (proxy integration): 502, not the 500 of CDK\'s template.',
    '#set($context.responseOverride.status = 502)##',
    '{"message": "Internal server error"}##',
    '#end',
    '',
  ].join('\n');
  return { ok: true, frontDoor: { api: 'rest', requestTemplate, responseTemplate, notes } };
}
