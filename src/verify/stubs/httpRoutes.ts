// The plain HTTP routes of stubs.json: matched by method and path pattern, answered in order (the last repeats).
import type http from 'node:http';
import { routesOf, type RecordedCall, type StubResponse, type StubRoute, type StubsFile } from './types.js';
import { decode, type Reply } from './wire.js';

interface CompiledRoute {
  index: number;
  method: string;
  segments: Array<{ literal: string } | { param: string; greedy: boolean }>;
  query?: string;
  literals: number;
  responses: StubResponse[];
  used: number;
}

function compileRoute(route: StubRoute, index: number): CompiledRoute {
  if (!route || typeof route.path !== 'string' || typeof route.method !== 'string') throw new Error(`stub route ${index + 1} needs a method and a path`);
  const [pathname, query] = route.path.split('?', 2) as [string, string | undefined];
  const segments = pathname.split('/').map((s) => {
    const m = /^\{([^{}+]+)(\+?)\}$/.exec(s);
    return m ? { param: m[1]!, greedy: m[2] === '+' } : { literal: s };
  });
  return {
    index,
    method: route.method.toUpperCase(),
    segments,
    query,
    literals: segments.filter((s) => 'literal' in s).length,
    responses: Array.isArray(route.responses) ? route.responses : [],
    used: 0,
  };
}


function matches(route: CompiledRoute, method: string, pathname: string, search: string): boolean {
  if (route.method !== method && route.method !== 'ANY' && route.method !== '*') return false;
  if (route.query !== undefined && search.replace(/^\?/, '') !== route.query) return false;
  const parts = pathname.split('/');
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const part = parts[i];
    if (part === undefined) return false;
    if ('literal' in seg) {
      if (decode(part) !== decode(seg.literal)) return false;
    } else if (seg.greedy) {
      return i === route.segments.length - 1 && parts.slice(i).join('/') !== '';
    } else if (part === '') return false;
  }
  return parts.length === route.segments.length;
}

/** Headers a client adds on its own (not the handler's choice): dropped from recorded HTTP calls. */
const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'user-agent', 'accept-encoding', 'transfer-encoding', 'keep-alive']);
/** Defaults of fetch (undici) and axios: dropped when they hold exactly the default value. */
const CLIENT_DEFAULTS: Record<string, string[]> = {
  accept: ['*/*', 'application/json, text/plain, */*'],
  'accept-language': ['*'],
  'sec-fetch-mode': ['cors'],
};

function handlerHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || DROPPED_HEADERS.has(k)) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    if (CLIENT_DEFAULTS[k]?.includes(value)) continue;
    out[k] = value;
  }
  return out;
}

export function httpRouteStub(stubs: StubRoute[] | StubsFile) {
  const routes = routesOf(stubs).map(compileRoute);
const httpRoute = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } => {
  const u = new URL(req.url ?? '/', 'http://stub');
  const method = (req.method ?? 'GET').toUpperCase();
  let body: unknown = raw === '' ? null : raw;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      /* text body */
    }
  }
  const call: RecordedCall = { service: 'http', action: method, input: { method, path: u.pathname + u.search, headers: handlerHeaders(req.headers), body } };
  const candidates = routes.filter((r) => matches(r, method, u.pathname, u.search));
  const route = candidates.sort((a, b) => b.literals - a.literals || a.index - b.index)[0];
  if (!route) return { call, reply: { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `no stub route for ${method} ${u.pathname}` }) } };
  const answer = route.responses[Math.min(route.used++, route.responses.length - 1)] ?? {};
  const headers: Record<string, string> = { ...(answer.headers ?? {}) };
  let payload = answer.body ?? '';
  if (answer.json !== undefined) {
    payload = JSON.stringify(answer.json);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  return { call, reply: { status: answer.status ?? 200, headers, body: payload } };
};
  return httpRoute;
}
