// What the HTTP clients a handler may use (fetch, axios, got) do by themselves, as far as the HTTP Task must copy it:
// the options each client call may carry, how axios joins baseURL and path, which headers the client adds, and the
// auth forms an EventBridge connection can take over. Syntax only: the lifter evaluates the nodes these return.
import type * as t from '@babel/types';
import type { ValueExpr } from '../../src/model/workflow.js';

export type HttpClient = 'fetch' | 'axios' | 'got';

/** axios request methods: the ones taking a data argument, and the others. */
export const AXIOS_DATA_METHODS = new Set(['post', 'put', 'patch']);
export const AXIOS_PLAIN_METHODS = new Set(['get', 'delete', 'head']);
/** Options of an axios call (or an `axios.create` instance) that the HTTP Task reproduces. */
export const AXIOS_OPTIONS = new Set(['url', 'method', 'data', 'headers', 'auth', 'baseURL']);
/** axios response fields → HTTP Task result fields (only the ones the Task's ResultSelector keeps). */
export const AXIOS_RESPONSE_FIELDS: Readonly<Record<string, string>> = { data: 'ResponseBody', status: 'StatusCode' };
/** axios response fields whose Task counterpart is not kept or not known to match: why reading them does not convert. */
export const AXIOS_RESPONSE_WHY: Readonly<Record<string, string>> = {
  headers: "axios's res.headers (lower-case names, one string per header) is not known to match the HTTP Task's Headers result; not converted",
  statusText: "axios's res.statusText is the answer's reason phrase, which HTTP/2 answers do not have; the HTTP Task's StatusText is not known to match it; not converted",
};

/** got's request methods (got.get(url, options), …; got(url, options) takes the method from the options). */
export const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);
/** Options of a got call that the HTTP Task reproduces; any other one (timeout, hooks, agent, …) is a blocker. */
export const GOT_OPTIONS = new Set(['method', 'headers', 'json', 'body', 'searchParams', 'responseType', 'username', 'password', 'throwHttpErrors', 'retry']);
/**
 * got retries these methods on these answers twice by default (got documentation, "Retry API": limit 2, methods
 * GET PUT HEAD DELETE OPTIONS TRACE, statusCodes 408 413 429 500 502 503 504 521 522 524); POST and PATCH never.
 */
export const GOT_RETRIED_METHODS = new Set(['GET', 'PUT', 'HEAD', 'DELETE']);
export const GOT_RETRIED_STATUSES = [408, 413, 429, 500, 502, 503, 504, 521, 522, 524];

/** Header names whose value is a credential: the EventBridge connection sends them instead of the code. */
export const AUTH_HEADER = /^(authorization|x-api-key|api-key|x-auth-token)$/i;

/** axios `combineURLs` (lib/helpers/combineURLs.js): trailing slashes of the base and leading slashes of the path go, one slash joins them. */
export function joinBaseUrl(base: ValueExpr, path: ValueExpr): ValueExpr | undefined {
  const parts = (v: ValueExpr): { quasis: string[]; args: ValueExpr[] } | undefined => {
    if (v.kind === 'literal' && typeof v.value === 'string') return { quasis: [v.value], args: [] };
    if (v.kind === 'format') return { quasis: [...v.quasis], args: [...v.args] };
    if (v.kind === 'env') return { quasis: ['', ''], args: [v] };
    return undefined;
  };
  const b = parts(base);
  const p = parts(path);
  if (!b || !p) return undefined;
  // The path must start with constant text: a value could be an absolute URL, which axios would not join.
  if (p.args.length && p.quasis[0] === '') return undefined;
  if (/^([a-z][a-z\d+\-.]*:)?\/\//i.test(p.quasis[0]!)) return path;
  const last = b.quasis.length - 1;
  b.quasis[last] = b.quasis[last]!.replace(/\/+$/, '');
  p.quasis[0] = p.quasis[0]!.replace(/^\/+/, '');
  if (!p.args.length && p.quasis[0] === '') return base;
  const quasis = [...b.quasis.slice(0, last), `${b.quasis[last]}/${p.quasis[0]}`, ...p.quasis.slice(1)];
  const args = [...b.args, ...p.args];
  return args.length ? { kind: 'format', quasis, args } : { kind: 'literal', value: quasis[0]! };
}

/**
 * `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` (also with `+`, `btoa(…)` or
 * `'user:' + password`): the nodes of the user name and the password, else undefined.
 */
export function basicAuthParts(node: t.Node): { user: t.Node; password: t.Node } | undefined {
  const n = unwrap(node);
  let encoded: t.Node | undefined;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 1 && /^basic $/i.test(n.quasis[0]!.value.cooked ?? '') && (n.quasis[1]!.value.cooked ?? '') === '') encoded = n.expressions[0]!;
  else if (n.type === 'BinaryExpression' && n.operator === '+' && n.left.type === 'StringLiteral' && /^basic $/i.test(n.left.value)) encoded = n.right;
  if (!encoded) return undefined;
  const pair = base64Argument(unwrap(encoded));
  return pair ? userPassword(unwrap(pair)) : undefined;
}

/** `Buffer.from(x).toString('base64')` / `Buffer.from(x, 'utf8').toString('base64')` / `btoa(x)`: x. */
function base64Argument(n: t.Node): t.Node | undefined {
  if (n.type !== 'CallExpression') return undefined;
  if (n.callee.type === 'Identifier' && n.callee.name === 'btoa' && n.arguments.length === 1) return n.arguments[0];
  const callee = n.callee;
  if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'toString') return undefined;
  if (n.arguments.length !== 1 || n.arguments[0]!.type !== 'StringLiteral' || n.arguments[0].value !== 'base64') return undefined;
  const from = unwrap(callee.object);
  if (from.type !== 'CallExpression' || from.callee.type !== 'MemberExpression' || from.callee.object.type !== 'Identifier' || from.callee.object.name !== 'Buffer') return undefined;
  if (from.callee.property.type !== 'Identifier' || from.callee.property.name !== 'from') return undefined;
  const enc = from.arguments[1];
  if (from.arguments.length > 2 || (enc && !(enc.type === 'StringLiteral' && /^utf-?8$/i.test(enc.value)))) return undefined;
  return from.arguments[0];
}

/** `${user}:${password}` or `user + ':' + password` (or `'name:' + password`). */
function userPassword(n: t.Node): { user: t.Node; password: t.Node } | undefined {
  if (n.type === 'TemplateLiteral') {
    const q = n.quasis.map((x) => x.value.cooked ?? '');
    if (n.expressions.length === 2 && q[0] === '' && q[1] === ':' && q[2] === '') return { user: n.expressions[0]!, password: n.expressions[1]! };
    if (n.expressions.length === 1 && q[0]!.endsWith(':') && q[1] === '') return { user: { type: 'StringLiteral', value: q[0]!.slice(0, -1) } as t.StringLiteral, password: n.expressions[0]! };
    return undefined;
  }
  if (n.type !== 'BinaryExpression' || n.operator !== '+') return undefined;
  const l = unwrap(n.left);
  // (user + ':') + password
  if (l.type === 'BinaryExpression' && l.operator === '+' && l.right.type === 'StringLiteral' && l.right.value === ':') return { user: l.left, password: n.right };
  // 'user:' + password
  if (l.type === 'StringLiteral' && l.value.endsWith(':') && l.value.length > 1) return { user: { type: 'StringLiteral', value: l.value.slice(0, -1) } as t.StringLiteral, password: n.right };
  return undefined;
}

/**
 * An OAuth 2.0 client-credentials token request (`grant_type: 'client_credentials'` in an object, or
 * `grant_type=client_credentials` in a string) anywhere in `node`: an EventBridge connection of type
 * OAUTH_CLIENT_CREDENTIALS does that exchange itself.
 */
export function clientCredentialsGrant(node: t.Node): boolean {
  let found = false;
  const visit = (v: unknown): void => {
    if (found || !v || typeof v !== 'object') return;
    const x = v as t.Node;
    if (x.type === 'ObjectProperty' && ((x.key.type === 'Identifier' && x.key.name === 'grant_type') || (x.key.type === 'StringLiteral' && x.key.value === 'grant_type'))) {
      const val = unwrap(x.value);
      if (val.type === 'StringLiteral' && val.value === 'client_credentials') found = true;
    }
    if (x.type === 'StringLiteral' && /grant_type=client_credentials/.test(x.value)) found = true;
    if (x.type === 'TemplateElement' && /grant_type=client_credentials/.test(x.value.cooked ?? '')) found = true;
    for (const [k, c] of Object.entries(x)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
      if (Array.isArray(c)) c.forEach(visit);
      else if (c && typeof c === 'object' && 'type' in c) visit(c);
    }
  };
  visit(node);
  return found;
}

function unwrap(node: t.Node): t.Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  return n;
}
