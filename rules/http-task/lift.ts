import type * as t from '@babel/types';
import { AUTH_HEADER, AXIOS_DATA_METHODS, AXIOS_OPTIONS, AXIOS_PLAIN_METHODS, AXIOS_RESPONSE_FIELDS, AXIOS_RESPONSE_WHY, GOT_METHODS, GOT_OPTIONS, GOT_RETRIED_METHODS, GOT_RETRIED_STATUSES, basicAuthParts, clientCredentialsGrant, joinBaseUrl, type HttpClient } from './httpClients.js';
import { LiftFailure, type Entry } from '../../src/lift/context.js';
import type { Lifter } from '../../src/lift/lifter.js';
import { line, propName, terminates, unwrapTs } from '../../src/lift/syntax.js';
import { isLiteral, needsStore } from '../../src/lift/values/fold.js';
import { typeOfValue } from '../../src/model/valueType.js';
import { HTTP_ERROR_STATUSES, type HttpConnection, type Json, type Publish, type Step, type ValueExpr } from '../../src/model/workflow.js';

/** The secret is the connection's: the definition does not get the variable. */
function dropEnvSubstitution(substitutions: Record<string, string>, envVar: string): void {
  for (const [k, v] of Object.entries(substitutions)) if (v === `process.env.${envVar}`) delete substitutions[k];
}

function pascalWords(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** The endpoint with its substitutions, cut at the first run-time value (`*`): for the IAM condition. */
function endpointPattern(url: ValueExpr): string {
  const part = (v: ValueExpr): string | undefined => (v.kind === 'env' ? `\${${v.substitution}}` : v.kind === 'literal' && typeof v.value === 'string' ? v.value : undefined);
  if (url.kind !== 'format') return part(url) ?? '*';
  let out = '';
  for (let i = 0; i < url.quasis.length; i++) {
    out += url.quasis[i]!;
    if (i >= url.args.length) return out;
    const p = part(url.args[i]!);
    if (p === undefined) return `${out}*`;
    out += p;
  }
  return out;
}

/** An axios request as written: `name` says which axios (itself or an instance), `instance` is its axios.create config. */
interface AxiosCall { name: string; at: t.Node; instance?: t.Node; url?: t.Node; method?: string; data?: t.Node; config?: t.Node }

/** A got request as written; `json`: followed by `.json()`. */
interface GotCall { url: t.Node; options?: t.Node; method?: string; at: t.Node; json: boolean }

/** What every HTTP client call comes down to before it becomes an HTTP Task. */
interface HttpRequest {
  client: HttpClient;
  url: ValueExpr;
  /** The URL as the code writes it (for names and messages). */
  urlCode: string;
  method: string;
  /** Header nodes in the order the client merges them (later ones win). */
  headers: Array<[string, t.Node]>;
  body?: ValueExpr;
  /** The client sends a non-string body as JSON with this content-type header (its name as the client writes it), unless the code set one. */
  jsonContentType?: string;
  query?: ValueExpr;
  /** Basic auth given as options (axios auth, got username/password). */
  basic?: { user: t.Node; password: t.Node; at: t.Node };
  /** Headers the client adds on its own (got's accept for JSON answers), unless the code set them. */
  clientHeaders?: Array<[string, string]>;
  at: t.Node;
}

export class HttpLifting {
  constructor(readonly lx: Lifter) {}

  // ---- the hooks the lifter calls

  beforeStatement(next: t.Statement | undefined): void {
    this.requireOkCheck(next);
  }

  liftStatement(stmt: t.Statement, out: Step[]): boolean {
    if (stmt.type !== 'IfStatement') return false;
    const failed = this.httpNotOk(stmt, out);
    if (!failed) return false;
    out.push(failed);
    return true;
  }

  liftDeclaration(d: t.VariableDeclarator, init: t.Node, out: Step[]): boolean {
    const scope = this.lx.scopes[this.lx.scopes.length - 1]!;
    // `const res = await fetch(url, { … })` → HTTP Task; `const data = await res.json()` → its ResponseBody.
    const http = this.fetchCall(init);
    if (http && d.id.type === 'Identifier') {
      out.push(...this.lx.flushPending());
      const step = this.httpTask(this.fetchRequest(http, d), d);
      out.push(step);
      this.httpResults.set(d.id.name, { step, checked: false, line: line(d), client: 'fetch' });
      scope.set(d.id.name, { kind: 'value', value: { kind: 'var', name: step.result, path: [], type: { kind: 'object' } } });
      return true;
    }
    const ax = this.axiosCall(init);
    if (ax) {
      out.push(...this.lx.flushPending());
      const step = this.axiosStep(ax, d);
      out.push(step);
      this.lx.bindPattern(d.id, { kind: 'value', value: { kind: 'var', name: step.result, path: [], type: { kind: 'object' } } }, scope, d);
      return true;
    }
    const gotReq = this.gotCall(init);
    if (gotReq) {
      out.push(...this.lx.flushPending());
      const { step, checkStatus } = this.gotStep(gotReq, d);
      out.push(step);
      // `await got(…).json()` is the parsed body itself.
      if (gotReq.json) {
        this.lx.bindPattern(d.id, { kind: 'value', value: { kind: 'var', name: step.result, path: ['ResponseBody'], type: { kind: 'unknown' } } }, scope, d);
        return true;
      }
      if (checkStatus) {
        if (d.id.type !== 'Identifier') throw new LiftFailure('a got result with throwHttpErrors: false is destructured: its ok field must be checked first', line(d), 'http-task');
        this.httpResults.set(d.id.name, { step, checked: false, line: line(d), client: 'got' });
      }
      this.lx.bindPattern(d.id, { kind: 'value', value: { kind: 'var', name: step.result, path: [], type: { kind: 'object' } } }, scope, d);
      return true;
    }
    const body = this.httpJsonBody(init);
    if (body) {
      this.lx.bindPattern(d.id, { kind: 'value', value: body }, scope, d);
      return true;
    }
    return false;
  }

  liftExpression(e: t.Node, out: Step[]): boolean {
    // `await axios.post(…)` / `await got.post(…)` whose answer is not read: the HTTP Task's result is dropped.
    const ax = this.axiosCall(e);
    if (ax) {
      out.push(...this.lx.flushPending());
      const step = this.axiosStep(ax, e);
      out.push({ ...step, keepResult: false, jsonBody: false });
      return true;
    }
    const gotReq = this.gotCall(e);
    if (gotReq) {
      out.push(...this.lx.flushPending());
      const { step, checkStatus } = this.gotStep(gotReq, e);
      if (checkStatus) throw new LiftFailure('a got call with throwHttpErrors: false whose answer is not checked: non-2xx answers pass in the code where the HTTP Task fails (States.Http.StatusCode.<code>)', line(e), 'http-task');
      out.push({ ...step, keepResult: false, jsonBody: false });
      return true;
    }
    return false;
  }

  /** Fields of an axios or got response read from its HTTP Task result. */
  member(base: Entry, p: string, at: t.Node): Entry | undefined {
    const response = base.kind === 'value' && base.value.kind === 'var' && base.value.path.length === 0 ? this.responseFields.get(base.value.name) : undefined;
    if (base.kind === 'value' && base.value.kind === 'var' && response) {
      const field = Object.hasOwn(response.fields, p) ? response.fields[p] : undefined;
      if (!field) throw new LiftFailure(response.why?.[p] ?? `${this.lx.code(at)}: ${response.client} response field ${p} has no HTTP Task equivalent (${Object.keys(response.fields).join(', ')})`, line(at), 'http-task');
      return { kind: 'value', value: { kind: 'var', name: base.value.name, path: [field], type: field === 'StatusCode' ? { kind: 'number' } : field === 'StatusText' ? { kind: 'string' } : { kind: 'unknown' } } };
    }
    return undefined;
  }

  /** `fetch(url, init)` (global fetch), awaited: its arguments. */
  fetchCall(node: t.Node): { url: t.Node; init?: t.Node; at: t.Node } | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const call = unwrapTs(n.argument);
    if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== 'fetch' || this.lx.findScope('fetch') || this.lx.module.bindings.has('fetch')) return undefined;
    // Counted even when it does not convert: the handler is a candidate, with the reason.
    this.lx.result.serviceCalls += 1;
    if (!call.arguments.length || call.arguments.length > 2) throw new LiftFailure(`fetch with ${call.arguments.length} arguments`, line(call), 'http-task');
    return { url: call.arguments[0]!, init: call.arguments[1], at: call };
  }

  /** `name` is axios itself (imported from 'axios') or a module-level `axios.create(config)` instance (with its config). */
  axiosTarget(name: string): { instance?: t.Node } | undefined {
    if (this.lx.findScope(name)) return undefined;
    const imp = this.lx.module.imports.get(name);
    if (imp) return imp.source === 'axios' && ['default', '*'].includes(imp.imported) ? {} : undefined;
    const b = this.lx.module.bindings.get(name);
    const init = b && b.kind === 'const' && !b.path.length && b.init ? unwrapTs(b.init) : undefined;
    if (init?.type !== 'CallExpression' || init.callee.type !== 'MemberExpression' || init.callee.object.type !== 'Identifier' || propName(init.callee) !== 'create') return undefined;
    const base = this.axiosTarget(init.callee.object.name);
    if (!base || base.instance) return undefined;
    if (init.arguments.length > 1 || init.arguments.some((a) => a.type === 'SpreadElement')) throw new LiftFailure(`axios.create with ${init.arguments.length} arguments`, line(init), 'http-task');
    return { instance: init.arguments[0] ?? ({ type: 'ObjectExpression', properties: [] } as unknown as t.ObjectExpression) };
  }

  /**
   * An awaited axios request: `axios.get/delete/head(url, config)`, `axios.post/put/patch(url, data, config)`,
   * `axios(config)`, `axios(url, config)`, `axios.request(config)`, on axios itself or on a module-level
   * `axios.create({ baseURL, headers, auth })` instance. axios rejects non-2xx answers (default validateStatus) the
   * way the HTTP Task fails on them, so no status check is needed; data objects are sent as JSON.
   */
  axiosCall(node: t.Node): AxiosCall | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const call = unwrapTs(n.argument);
    if (call.type !== 'CallExpression') return undefined;
    const callee = call.callee;
    const local = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.object.type === 'Identifier' ? callee.object.name : undefined;
    const target = local ? this.axiosTarget(local) : undefined;
    if (!local || !target) return undefined;
    this.lx.result.serviceCalls += 1;
    const args = call.arguments;
    if (args.some((a) => a.type === 'SpreadElement')) throw new LiftFailure(`${this.lx.code(callee)} with spread arguments`, line(call), 'http-task');
    const name = target.instance ? `the axios instance ${local}` : 'axios';
    if (callee.type === 'Identifier' || propName(callee as t.MemberExpression) === 'request') {
      // axios(config) / axios(url, config) / axios.request(config)
      const withUrl = callee.type === 'Identifier' && args.length === 2;
      if (!args.length || args.length > (callee.type === 'Identifier' ? 2 : 1)) throw new LiftFailure(`${this.lx.code(callee)} with ${args.length} arguments`, line(call), 'http-task');
      return { name, at: call, instance: target.instance, url: withUrl ? args[0] : undefined, config: withUrl ? args[1] : args[0] };
    }
    const method = propName(callee as t.MemberExpression) ?? '';
    const withData = AXIOS_DATA_METHODS.has(method);
    if (!withData && !AXIOS_PLAIN_METHODS.has(method)) throw new LiftFailure(`${target.instance ? local : 'axios'}.${method}(…) is not a plain request method (get/delete/head/post/put/patch/request)`, line(call), 'http-task');
    const max = withData ? 3 : 2;
    if (!args.length || args.length > max) throw new LiftFailure(`axios.${method} with ${args.length} arguments`, line(call), 'http-task');
    return { name, at: call, instance: target.instance, url: args[0], method: method.toUpperCase(), data: withData ? args[1] : undefined, config: args[withData ? 2 : 1] };
  }

  /** An HTTP Task for an axios call: the instance's config, then the call's (later keys win, as axios merges them). */
  axiosStep(call: AxiosCall, at: t.Node): Publish {
    const rule = 'http-task';
    this.requireHttpRule(at);
    const options = [...(call.instance ? this.lx.objectParams(call.instance, at) : []), ...(call.config ? this.lx.objectParams(call.config, at) : [])];
    for (const [key, node] of options) {
      if (!AXIOS_OPTIONS.has(key)) throw new LiftFailure(`axios config option ${key} has no HTTP Task equivalent here`, line(node), rule);
    }
    const option = (key: string) => options.filter(([k]) => k === key).pop()?.[1];
    const urlNode = call.url ?? option('url');
    if (!urlNode) throw new LiftFailure(`${call.name} called without a URL`, line(call.at), rule);
    let method = call.method;
    const methodNode = method ? undefined : option('method');
    if (methodNode) {
      const m = this.lx.valueOf(methodNode);
      if (!isLiteral(m) || typeof m.value !== 'string' || !(AXIOS_DATA_METHODS.has(m.value.toLowerCase()) || AXIOS_PLAIN_METHODS.has(m.value.toLowerCase()))) throw new LiftFailure(`axios method ${this.lx.code(methodNode)} is not a constant get/delete/head/post/put/patch`, line(methodNode), rule);
      method = m.value.toUpperCase();
    }
    let url = this.lx.valueOf(urlNode);
    const baseNode = option('baseURL');
    if (baseNode) {
      const base = this.lx.valueOf(baseNode);
      const joined = joinBaseUrl(base, url);
      if (!joined) throw new LiftFailure(`axios joins baseURL ${this.lx.code(baseNode)} and URL ${this.lx.code(urlNode)} at run time (the URL is not a constant path): not converted`, line(urlNode), rule);
      if (joined !== url && (base.kind === 'env' || (base.kind === 'format' && base.quasis[base.quasis.length - 1] === ''))) {
        this.lx.assume(line(urlNode), `axios joins baseURL and the request path with one slash; the endpoint is written as \${base}/path, so the base URL (${this.lx.code(baseNode)}) must not end with a slash`, rule);
      }
      url = joined;
    }
    const headers: Array<[string, t.Node]> = [];
    for (const [, node] of options.filter(([k]) => k === 'headers')) {
      for (const [h, v] of this.lx.objectParams(node, at)) {
        if (/^(common|get|post|put|patch|delete|head|options)$/.test(h)) throw new LiftFailure(`axios header group ${h}: per-method header defaults are not converted`, line(v), rule);
        headers.push([h, v]);
      }
    }
    let basic: HttpRequest['basic'];
    const authNode = option('auth');
    if (authNode) {
      const auth = new Map(this.lx.objectParams(authNode, at));
      const password = auth.get('password');
      if (!password || [...auth.keys()].some((k) => k !== 'username' && k !== 'password')) throw new LiftFailure(`axios auth ${this.lx.code(authNode)} is not { username, password }`, line(authNode), rule);
      basic = { user: auth.get('username') ?? ({ type: 'StringLiteral', value: '' } as t.StringLiteral), password, at: authNode };
    }
    let body: ValueExpr | undefined;
    const dataNode = call.data ?? option('data');
    if (dataNode) {
      const d = this.lx.valueOf(dataNode);
      if (d.kind === 'residual' || (d.kind !== 'object' && d.kind !== 'var' && d.kind !== 'event' && typeOfValue(d).kind !== 'string')) throw new LiftFailure(`axios data ${this.lx.code(dataNode)} is not a JSON value or a string (a stream, form data or bytes): the HTTP Task sends JSON or text`, line(dataNode), rule);
      body = d;
    }
    // axios sends a non-string data value as JSON with Content-Type application/json, unless the code set one.
    const step = this.httpTask({ client: 'axios', url, urlCode: this.lx.code(urlNode), method: method ?? 'GET', headers, body, jsonContentType: 'Content-Type', basic, at: call.at }, at);
    // axios parses a JSON answer into res.data.
    step.jsonBody = true;
    this.responseFields.set(step.result, { client: 'axios', fields: AXIOS_RESPONSE_FIELDS, why: AXIOS_RESPONSE_WHY });
    this.lx.assume(line(at), 'axios rejects non-2xx answers (its default validateStatus) as the HTTP Task fails with States.Http.StatusCode.<code>; a ResponseBody that is not JSON is parsed anyway (axios would keep the text)', rule);
    return step;
  }

  /**
   * An awaited got request: `got(url, options)`, `got.get/post/put/patch/delete/head(url, options)`, optionally
   * followed by `.json()` (the parsed body). Other got functions (stream, paginate, extend) are blockers.
   */
  gotCall(node: t.Node): GotCall | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    let call = unwrapTs(n.argument);
    let readAs: string | undefined;
    if (call.type === 'CallExpression' && call.callee.type === 'MemberExpression' && !call.arguments.length && unwrapTs(call.callee.object).type === 'CallExpression') {
      const inner = unwrapTs(call.callee.object) as t.CallExpression;
      if (this.gotCallee(inner.callee)) {
        readAs = propName(call.callee);
        call = inner;
      }
    }
    if (call.type !== 'CallExpression') return undefined;
    const callee = this.gotCallee(call.callee);
    if (!callee) return undefined;
    this.lx.result.serviceCalls += 1;
    const rule = 'http-task';
    if (callee.method !== undefined && !GOT_METHODS.has(callee.method)) throw new LiftFailure(`got.${callee.method}(…) is not a plain request method (get/post/put/patch/delete/head): streams, pagination and instances are not converted`, line(call), rule);
    if (readAs !== undefined && readAs !== 'json') throw new LiftFailure(`got(…).${readAs}() reads the answer as ${readAs === 'text' ? 'text' : readAs}: the HTTP Task parses JSON answers (read them with .json() or responseType: 'json')`, line(n), rule);
    if (!call.arguments.length || call.arguments.length > 2 || call.arguments.some((a) => a.type === 'SpreadElement')) throw new LiftFailure(`got with ${call.arguments.length} arguments`, line(call), rule);
    return { url: call.arguments[0]!, options: call.arguments[1], method: callee.method?.toUpperCase(), at: call, json: readAs === 'json' };
  }

  /** `got` / `got.<method>` with got imported from 'got': the method name when there is one. */
  gotCallee(callee: t.Node): { method?: string } | undefined {
    const c = unwrapTs(callee);
    const local = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' && c.object.type === 'Identifier' ? c.object.name : undefined;
    if (!local || this.lx.findScope(local)) return undefined;
    const imp = this.lx.module.imports.get(local);
    if (!imp || imp.source !== 'got' || !['default', 'got'].includes(imp.imported)) return undefined;
    return c.type === 'Identifier' ? {} : { method: propName(c as t.MemberExpression) ?? '' };
  }

  /**
   * An HTTP Task for a got call. got rejects non-2xx answers (HTTPError) as the Task fails, unless
   * `throwHttpErrors: false`: then `checkStatus` is set and the code must check `res.ok` like a fetch.
   */
  gotStep(call: GotCall, at: t.Node): { step: Publish; checkStatus: boolean } {
    const rule = 'http-task';
    this.requireHttpRule(at);
    const options = call.options ? this.lx.objectParams(call.options, at) : [];
    for (const [key, node] of options) {
      if (!GOT_OPTIONS.has(key)) throw new LiftFailure(`got option ${key} has no HTTP Task equivalent here`, line(node), rule);
    }
    const option = (key: string) => options.filter(([k]) => k === key).pop()?.[1];
    const constant = (key: string): Json | undefined => {
      const node = option(key);
      if (!node) return undefined;
      const v = this.lx.valueOf(node);
      if (!isLiteral(v)) throw new LiftFailure(`got option ${key} ${this.lx.code(node)} is not a constant`, line(node), rule);
      return v.value;
    };
    let method = call.method;
    const m = constant('method');
    if (m !== undefined) {
      if (call.method !== undefined || typeof m !== 'string' || !GOT_METHODS.has(m.toLowerCase())) throw new LiftFailure(`got method ${JSON.stringify(m)} is not a plain request method here`, line(option('method')!), rule);
      method = m.toUpperCase();
    }
    const responseType = constant('responseType');
    if (responseType !== undefined && responseType !== 'json' && responseType !== 'text') throw new LiftFailure(`got responseType ${JSON.stringify(responseType)}: the HTTP Task answers JSON or text, not bytes or streams`, line(option('responseType')!), rule);
    const throwHttpErrors = constant('throwHttpErrors');
    if (throwHttpErrors !== undefined && typeof throwHttpErrors !== 'boolean') throw new LiftFailure('got option throwHttpErrors is not a boolean', line(option('throwHttpErrors')!), rule);
    const checkStatus = throwHttpErrors === false;
    if (checkStatus && call.json) throw new LiftFailure('got(…).json() with throwHttpErrors: false parses failed answers too: the HTTP Task fails on them; not converted', line(call.at), rule);
    // Only `retry: { limit: 0 }` (no retries, as the HTTP Task without a Retry field) is converted.
    const retryNode = option('retry');
    let retries = true;
    if (retryNode) {
      const r = this.lx.valueOf(retryNode);
      const limit = r.kind === 'object' && r.entries.length === 1 && r.entries[0]![0] === 'limit' ? r.entries[0]![1] : undefined;
      if (!limit || !isLiteral(limit) || limit.value !== 0) throw new LiftFailure(`got retry ${this.lx.code(retryNode)}: only { limit: 0 } is converted (the HTTP Task does not retry unless the state gets a Retry copying got's policy)`, line(retryNode), rule);
      retries = false;
    }
    const headers: Array<[string, t.Node]> = option('headers') ? this.lx.objectParams(option('headers'), at) : [];
    let body: ValueExpr | undefined;
    const jsonNode = option('json');
    const bodyNode = option('body');
    if (jsonNode && bodyNode) throw new LiftFailure('got with both json and body', line(bodyNode), rule);
    if (jsonNode) {
      const d = this.lx.valueOf(jsonNode);
      if (d.kind === 'residual' || (d.kind !== 'object' && d.kind !== 'var' && d.kind !== 'event' && d.kind !== 'array')) throw new LiftFailure(`got json ${this.lx.code(jsonNode)} is not a JSON value the HTTP Task can send`, line(jsonNode), rule);
      body = d;
    } else if (bodyNode) {
      const b = this.lx.valueOf(bodyNode);
      if (b.kind === 'residual' || typeOfValue(b).kind !== 'string') throw new LiftFailure(`got body ${this.lx.code(bodyNode)} is not a string (a stream, form data or bytes): the HTTP Task sends JSON or text`, line(bodyNode), rule);
      body = b;
    }
    let query: ValueExpr | undefined;
    const searchNode = option('searchParams');
    if (searchNode) {
      const q = this.lx.valueOf(searchNode);
      if (q.kind !== 'object' || q.entries.some(([, v]) => typeOfValue(v).kind !== 'string' || v.kind === 'residual')) throw new LiftFailure(`got searchParams ${this.lx.code(searchNode)} is not an object of string values: the HTTP Task's QueryParameters are strings`, line(searchNode), rule);
      query = q;
      this.lx.assume(line(searchNode), 'got encodes searchParams as URLSearchParams does (a space as +); the HTTP Task URL-encodes QueryParameters itself, so an API that tells + from %20 apart may see a difference', rule);
    }
    let basic: HttpRequest['basic'];
    if (option('password')) basic = { user: option('username') ?? ({ type: 'StringLiteral', value: '' } as t.StringLiteral), password: option('password')!, at: option('password')! };
    else if (option('username')) throw new LiftFailure('got username without a password', line(option('username')!), rule);
    const json = call.json || responseType === 'json';
    const step = this.httpTask({
      client: 'got', url: this.lx.valueOf(call.url), urlCode: this.lx.code(call.url), method: method ?? 'GET', headers, body, query, basic, at: call.at,
      // got sends a json option with content-type application/json and asks for JSON answers with accept application/json, unless the code set them.
      jsonContentType: jsonNode ? 'content-type' : undefined,
      clientHeaders: json ? [['accept', 'application/json']] : [],
    }, at);
    step.jsonBody = json;
    this.responseFields.set(step.result, {
      client: 'got',
      fields: json ? { body: 'ResponseBody', statusCode: 'StatusCode' } : { statusCode: 'StatusCode' },
      why: json ? {} : { body: `${this.lx.code(call.at)}: got's res.body is text here (responseType text), where the HTTP Task parses JSON answers: read it with responseType: 'json' or .json()` },
    });
    if (!checkStatus) this.lx.assume(line(at), 'got rejects non-2xx answers (HTTPError, its default throwHttpErrors) as the HTTP Task fails with States.Http.StatusCode.<code>', rule);
    if (retries && GOT_RETRIED_METHODS.has(step.params['Method']!.kind === 'literal' ? String((step.params['Method'] as { value: Json }).value) : '')) {
      this.lx.assume(line(at), `got retries ${step.params['Method']!.kind === 'literal' ? String((step.params['Method'] as { value: Json }).value) : ''} requests up to 2 times on ${GOT_RETRIED_STATUSES.join('/')} answers and network errors (its default retry); the HTTP Task does not retry: add a Retry on those States.Http.StatusCode.<code> errors if the API needs it`, rule);
    }
    return { step, checkStatus };
  }

  requireHttpRule(at: t.Node): void {
    if (!this.lx.opts.ruleEnabled('http-task')) throw new LiftFailure('HTTP call (rule http-task) is disabled in the configuration', line(at), 'http-task');
  }

  /** A fetch's request: method, headers and JSON.stringify(…) or string body from its init object. */
  fetchRequest(call: { url: t.Node; init?: t.Node; at: t.Node }, at: t.Node): HttpRequest {
    const rule = 'http-task';
    this.requireHttpRule(at);
    const req: HttpRequest = { client: 'fetch', url: this.lx.valueOf(call.url), urlCode: this.lx.code(call.url), method: 'GET', headers: [], at: call.at };
    this.requireEndpoint(req, at);
    for (const [key, node] of call.init ? this.lx.objectParams(call.init, at) : []) {
      if (key === 'method') {
        const m = this.lx.valueOf(node);
        if (!isLiteral(m) || typeof m.value !== 'string') throw new LiftFailure(`fetch method ${this.lx.code(node)} is not a constant`, line(node), rule);
        req.method = m.value.toUpperCase();
      } else if (key === 'headers') {
        req.headers.push(...this.lx.objectParams(node, at));
      } else if (key === 'body') {
        const b = this.lx.valueOf(node);
        if (b.kind === 'json-stringify') req.body = b.value;
        else if (typeOfValue(b).kind === 'string' && b.kind !== 'residual') req.body = b;
        else throw new LiftFailure(`fetch body ${this.lx.code(node)} is not JSON.stringify(…) or a string (a stream, form data or bytes): the HTTP Task sends JSON or text`, line(node), rule);
      } else throw new LiftFailure(`fetch option ${key} has no HTTP Task equivalent`, line(node), rule);
    }
    return req;
  }

  requireEndpoint(req: HttpRequest, at: t.Node): void {
    const url = req.url;
    if (url.kind !== 'env' && url.kind !== 'format' && !(isLiteral(url) && typeof url.value === 'string')) throw new LiftFailure(`${req.client} URL ${req.urlCode} is neither a constant, an environment variable nor a template`, line(at), 'http-task');
  }

  /**
   * The HTTP Task for a request of any client: endpoint, method, headers (credentials move to the EventBridge
   * connection: API key / bearer headers from the environment → API_KEY, basic auth → BASIC), body, query.
   */
  httpTask(req: HttpRequest, at: t.Node): Publish {
    const rule = 'http-task';
    this.requireEndpoint(req, at);
    const url = req.url;
    if (clientCredentialsGrant(req.at)) {
      throw new LiftFailure(`OAuth client-credentials token request (grant_type=client_credentials) by ${req.client}: an EventBridge connection of type OAUTH_CLIENT_CREDENTIALS fetches and refreshes the token itself, but the token request and the call using the token are not rewritten into one; not converted`, line(req.at), rule);
    }
    // Later headers win, names compared without case (as the clients merge them).
    const raw = req.headers.filter(([name], i) => !req.headers.slice(i + 1).some(([other]) => other.toLowerCase() === name.toLowerCase()));
    const headers: Array<[string, ValueExpr]> = [];
    let apiKey: HttpConnection['header'];
    let basic: HttpConnection['basic'];
    for (const [name, hv] of raw) {
      // RFC 9110 token characters: anything else is refused by the clients or by Node's HTTP stack, not sent.
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new LiftFailure(`header name ${JSON.stringify(name)} is not a valid HTTP field name; what the client does with it is not what the HTTP Task does`, line(hv), rule);
      const basicParts = /^authorization$/i.test(name) ? basicAuthParts(hv) : undefined;
      if (basicParts) {
        basic = this.basicCredentials({ ...basicParts, at: hv });
        continue;
      }
      const v = this.lx.valueOf(hv);
      if (v.kind === 'residual' || needsStore(v)) throw new LiftFailure(`header ${name} is computed at run time (${this.lx.code(hv)}), for example a request signature: the HTTP Task sends fixed or input headers and the connection's auth; not converted`, line(hv), rule);
      if (AUTH_HEADER.test(name)) {
        const env = v.kind === 'env' ? { prefix: '', envVar: v.envVar } : v.kind === 'format' && v.args.length === 1 && v.args[0]!.kind === 'env' && v.quasis[1] === '' ? { prefix: v.quasis[0]!, envVar: (v.args[0] as { envVar: string }).envVar } : undefined;
        if (!env) throw new LiftFailure(`auth header ${name} is not an environment variable (with a constant prefix): the EventBridge connection must hold the secret`, line(hv), rule);
        dropEnvSubstitution(this.lx.result.substitutions, env.envVar);
        apiKey = { name, ...env };
        continue;
      }
      headers.push([name, v]);
    }
    if (req.basic) {
      // axios `auth` / got username+password set the Authorization header themselves, over any the code wrote.
      if (apiKey && /^authorization$/i.test(apiKey.name)) apiKey = undefined;
      basic = this.basicCredentials(req.basic);
    }
    if (apiKey && basic) throw new LiftFailure(`${req.client} call sends both an API key header (${apiKey.name}) and basic auth: an EventBridge connection holds one kind of auth`, line(req.at), rule);
    const has = (h: string) => headers.some(([k]) => k.toLowerCase() === h);
    if (req.jsonContentType && req.body && typeOfValue(req.body).kind !== 'string' && !has('content-type')) headers.unshift([req.jsonContentType, { kind: 'literal', value: 'application/json' }]);
    for (const [k, v] of req.clientHeaders ?? []) if (!has(k)) headers.push([k, { kind: 'literal', value: v }]);
    const params: Record<string, ValueExpr> = { ApiEndpoint: url, Method: { kind: 'literal', value: req.method } };
    if (headers.length) params['Headers'] = { kind: 'object', entries: headers };
    if (req.body) params['RequestBody'] = req.body;
    if (req.query) params['QueryParameters'] = req.query;
    // Named after the URL's environment variable, or its host.
    const envArg = url.kind === 'env' ? url : url.kind === 'format' ? url.args.find((a) => a.kind === 'env') : undefined;
    const host = /^https?:\/\/([^/:]+)/.exec(url.kind === 'format' ? url.quasis[0]! : isLiteral(url) ? String(url.value) : '')?.[1];
    const substitution = `${envArg && envArg.kind === 'env' ? envArg.substitution : pascalWords(host ?? 'Api')}ConnectionArn`;
    params['Authentication'] = { kind: 'object', entries: [['ConnectionArn', { kind: 'literal', value: `\${${substitution}}` }]] };
    const user = basic ? ('envVar' in basic.username ? `process.env.${basic.username.envVar}` : JSON.stringify(basic.username.value)) : '';
    const authText = apiKey
      ? `API key auth: header ${apiKey.name} = ${apiKey.prefix}<secret of process.env.${apiKey.envVar}>`
      : basic ? `basic auth: user name ${user}, password <secret of process.env.${basic.passwordEnvVar}>` : 'any auth type; the API needs none';
    this.lx.result.substitutions[substitution] = `ARN of an EventBridge connection for ${req.urlCode} (${authText})`;
    this.lx.result.httpConnections.push({ substitution, endpoint: req.urlCode, endpointPattern: endpointPattern(url), authorization: apiKey ? 'API_KEY' : basic ? 'BASIC' : 'NONE', ...(apiKey ? { header: apiKey } : {}), ...(basic ? { basic } : {}) });
    const connectionText = apiKey
      ? `: API key auth sending ${apiKey.name}: ${apiKey.prefix}<secret>, whose secret (process.env.${apiKey.envVar} in the code) you fill in the connection; the header is no longer sent by the code`
      : basic
        ? `: basic auth (the connection sends Authorization: Basic base64(user:password)) with user name ${user} and the password (process.env.${basic.passwordEnvVar} in the code) you fill in the connection; the code no longer sends them`
        : '; the API takes no auth, but a connection is mandatory';
    this.lx.assume(line(at), `the HTTP Task needs an EventBridge connection (\${${substitution}})${connectionText}`, rule);
    this.lx.assume(line(at), 'the HTTP Task calls HTTPS endpoints only, times out after 60 seconds, and adds its own headers (user agent, …)', rule);
    this.lx.use(rule);
    return { kind: 'publish', service: 'http', result: this.lx.fresh('http'), params, keepResult: true, line: line(at), rule };
  }

  /** Basic auth the connection takes over: the password must come from the environment (the connection holds it). */
  basicCredentials(parts: { user: t.Node; password: t.Node; at: t.Node }): NonNullable<HttpConnection['basic']> {
    const rule = 'http-task';
    const u = this.lx.valueOf(parts.user);
    const p = this.lx.valueOf(parts.password);
    if (p.kind !== 'env') throw new LiftFailure(`basic auth password ${this.lx.code(parts.password)} is not an environment variable: the EventBridge connection (BASIC) must hold the secret`, line(parts.at), rule);
    const username = u.kind === 'env' ? { envVar: u.envVar } : isLiteral(u) && typeof u.value === 'string' ? { value: u.value } : undefined;
    if (!username) throw new LiftFailure(`basic auth user name ${this.lx.code(parts.user)} is neither a constant nor an environment variable`, line(parts.at), rule);
    for (const v of [u, p]) if (v.kind === 'env') delete this.lx.result.substitutions[v.substitution];
    return { username, passwordEnvVar: p.envVar };
  }

  /** `await res.json()` of a checked fetch result: its ResponseBody (parsed). */
  httpJsonBody(node: t.Node): ValueExpr | undefined {
    const n = unwrapTs(node);
    if (n.type !== 'AwaitExpression') return undefined;
    const call = unwrapTs(n.argument);
    if (call.type !== 'CallExpression' || call.callee.type !== 'MemberExpression' || call.callee.object.type !== 'Identifier' || call.arguments.length) return undefined;
    const res = this.httpResults.get(call.callee.object.name);
    const method = propName(call.callee);
    if (!res || (method !== 'json' && method !== 'text')) return undefined;
    if (!res.checked) throw new LiftFailure(`${call.callee.object.name}.${method}() before checking ${call.callee.object.name}.ok: fetch returns non-2xx answers where the HTTP Task fails (States.Http.StatusCode.<code>)`, line(n), 'http-task');
    if (method === 'json') res.step.jsonBody = true;
    return { kind: 'var', name: res.step.result, path: ['ResponseBody'], type: { kind: 'unknown' } };
  }

  /**
   * `if (!res.ok) { …; return/throw }` right after the fetch: the branch becomes the HTTP Task's catcher of the
   * non-2xx errors (States.Http.StatusCode.<code>).
   */
  httpNotOk(stmt: t.IfStatement, out: Step[]): Step | undefined {
    const test = unwrapTs(stmt.test);
    if (test.type !== 'UnaryExpression' || test.operator !== '!') return undefined;
    const arg = unwrapTs(test.argument);
    if (arg.type !== 'MemberExpression' || arg.object.type !== 'Identifier' || propName(arg) !== 'ok') return undefined;
    const name = arg.object.name;
    const res = this.httpResults.get(name);
    if (!res) return undefined;
    const last = out[out.length - 1];
    if (last !== res.step || stmt.alternate || !terminates(stmt.consequent)) throw new LiftFailure(`if (!${name}.ok) must directly follow the fetch and return or throw: it becomes the Catch of the HTTP Task`, line(stmt), 'http-task');
    out.pop();
    res.checked = true;
    const body = this.lx.withScope(() => {
      // The failed answer is not stored: reading it in the branch is not converted.
      this.lx.scopes[this.lx.scopes.length - 1]!.set(name, { kind: 'value', value: { kind: 'undefined' } });
      return this.lx.liftBlock(stmt.consequent.type === 'BlockStatement' ? stmt.consequent.body : [stmt.consequent]);
    });
    this.lx.assume(line(stmt), `the !${name}.ok branch catches the registered 4xx/5xx codes (States.Http.StatusCode.400…511); another code fails the execution`, 'http-task');
    return { kind: 'try', body: [res.step], catchers: [{ errors: HTTP_ERROR_STATUSES.map((c) => `StatusCode.${c}`), body }], line: line(stmt) };
  }

  /** A fetch must be followed directly by `if (!res.ok)`: fetch returns non-2xx answers, the HTTP Task fails on them. */
  requireOkCheck(next: t.Statement | undefined): void {
    const unchecked = [...this.httpResults].find(([, r]) => !r.checked && !r.reported);
    if (!unchecked) return;
    const [name, res] = unchecked;
    const test = next?.type === 'IfStatement' ? unwrapTs(next.test) : undefined;
    if (test?.type === 'UnaryExpression' && test.operator === '!' && test.argument.type === 'MemberExpression' && test.argument.object.type === 'Identifier' && test.argument.object.name === name && propName(test.argument) === 'ok') return;
    res.reported = true;
    const returns = res.client === 'fetch' ? 'fetch returns' : `${res.client} with throwHttpErrors: false returns`;
    throw new LiftFailure(`the ${res.client} result ${name} is not checked with if (!${name}.ok) right after the call: ${returns} non-2xx answers where the HTTP Task fails (States.Http.StatusCode.<code>)`, res.line, 'http-task');
  }

  /**
   * Results of axios and got calls (HTTP Task results), by step result: the Task result field each response field
   * reads (axios res.data → ResponseBody, got res.statusCode → StatusCode, …) and why other fields do not convert.
   */
  readonly responseFields = new Map<string, { client: HttpClient; fields: Readonly<Record<string, string>>; why?: Readonly<Record<string, string>> }>();

  /** Results that must be checked with `if (!res.ok)` (fetch; got with throwHttpErrors: false), by variable: their step, and whether it was. */
  readonly httpResults = new Map<string, { step: Publish; checked: boolean; line: number; reported?: boolean; client: HttpClient }>();
}

