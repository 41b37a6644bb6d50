// Events for verify when a handler has no recorded ones: the requests API Gateway would send for each route the
// machine serves, carrying every request field the state machine reads (path and query parameters, headers, the
// JSON body's fields), and a table seed so that the item a request addresses is there, with the attributes the
// machine reads typed as it reads them. Only API Gateway events are generated: other sources' payloads cannot be
// guessed from what a machine reads. Verify's variants then take each field and item attribute away in turn.
import type { AslDefinition, EventSource } from '../report/types.js';

export interface GeneratedEvent {
  name: string;
  event: Record<string, unknown>;
}

/** A CreateTable input with seed items (plain values), as verify's tables.json holds them. */
export interface SeedTable {
  TableName: string;
  KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' }>;
  AttributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  items: Array<Record<string, unknown>>;
}

export interface GeneratedCase {
  events: GeneratedEvent[];
  tables: SeedTable[];
  /** Environment of the handler: each variable a substitution reads, set to the name the machine gets for it. */
  env: Record<string, string>;
}

export interface GenerateInput {
  eventSource: EventSource;
  definition: AslDefinition;
  /** Substitution name → `process.env.X`. */
  substitutions: Record<string, string>;
  /** The API routes the infrastructure declares for the function. */
  routes?: Array<{ api: 'rest' | 'http'; method: string; path: string }>;
}

type Kind = 'string' | 'number' | 'boolean';

/** What the machine reads of the request. */
export interface RequestFields {
  /** `pathParameters.id`, `queryStringParameters.limit`, `headers.Authorization`, `body`, … */
  event: string[];
  /** The JSON body's top-level fields, with the kind the machine tests them for (string when it tests none). */
  body: Record<string, Kind>;
  /** The HTTP methods the machine branches on (`$.event.httpMethod = GET`). */
  methods: string[];
}

/** Every string in the definition (values and keys), where field references live. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(k), strings(x, out);
  return out;
}

/** Choice rules and their nested And/Or/Not, flattened. */
function rules(definition: AslDefinition): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const visit = (r: unknown) => {
    if (!r || typeof r !== 'object') return;
    const rule = r as Record<string, unknown>;
    out.push(rule);
    for (const k of ['And', 'Or']) if (Array.isArray(rule[k])) (rule[k] as unknown[]).forEach(visit);
    if (rule['Not']) visit(rule['Not']);
  };
  const walk = (states: Record<string, Record<string, unknown>>) => {
    for (const st of Object.values(states)) {
      if (Array.isArray(st['Choices'])) (st['Choices'] as unknown[]).forEach(visit);
      for (const inner of [st['Iterator'], st['ItemProcessor'], ...(Array.isArray(st['Branches']) ? (st['Branches'] as unknown[]) : [])]) {
        const s = (inner as { States?: Record<string, Record<string, unknown>> } | undefined)?.States;
        if (s) walk(s);
      }
    }
  };
  walk(definition.States as Record<string, Record<string, unknown>>);
  return out;
}

const FIELD = '[A-Za-z0-9_-]+';

export function requestFields(definition: AslDefinition): RequestFields {
  const text = strings(definition);
  const event = new Set<string>();
  const body: Record<string, Kind> = {};
  const jsonata = definition['QueryLanguage'] === 'JSONata';
  // JSONPath: `$.event.a.b`; JSONata: `$event.a.b` (the request is kept in the variable $event).
  const eventRef = jsonata ? new RegExp(`\\$event((?:\\.${FIELD})+)`, 'g') : new RegExp(`\\$\\.event((?:\\.${FIELD})+)`, 'g');
  for (const s of text) for (const m of s.matchAll(eventRef)) event.add(requestPart(m[1]!.slice(1)));
  event.delete('');

  // Where the parsed body is kept: JSONPath `"value.$": "States.StringToJson(…)"` under a ResultPath, JSONata an
  // Assign of `$parse(… $event.body …)`.
  const parsed: string[] = [];
  const walk = (states: Record<string, Record<string, unknown>>) => {
    for (const st of Object.values(states)) {
      const params = st['Parameters'] as Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(params ?? {})) {
        if (typeof v === 'string' && v.startsWith('States.StringToJson(') && typeof st['ResultPath'] === 'string') parsed.push(`${st['ResultPath']}.${k.replace(/\.\$$/, '')}`);
      }
      for (const [k, v] of Object.entries((st['Assign'] as Record<string, unknown> | undefined) ?? {})) {
        if (typeof v === 'string' && /\$parse\(/.test(v) && /\$event\.body/.test(v)) parsed.push(`$${k}`);
      }
      for (const inner of [st['Iterator'], st['ItemProcessor']]) {
        const s = (inner as { States?: Record<string, Record<string, unknown>> } | undefined)?.States;
        if (s) walk(s);
      }
    }
  };
  walk(definition.States as Record<string, Record<string, unknown>>);
  if (event.has('body')) {
    for (const p of parsed) {
      const ref = new RegExp(`${p.replace(/[.$]/g, (c) => `\\${c}`)}\\.(${FIELD})`, 'g');
      for (const s of text) for (const m of s.matchAll(ref)) body[m[1]!] ??= 'string';
    }
    // The kind a Choice tests a body field for.
    for (const r of rules(definition)) {
      for (const p of parsed) {
        const variable = typeof r['Variable'] === 'string' ? (r['Variable'] as string) : typeof r['Condition'] === 'string' ? (r['Condition'] as string) : '';
        for (const field of Object.keys(body)) {
          const at = `${p}.${field}`;
          if (!variable.includes(at)) continue;
          if (r['IsNumeric'] === true || Object.keys(r).some((k) => k.startsWith('Numeric')) || new RegExp(`\\$type\\(${at.replace(/[.$]/g, (c) => `\\${c}`)}\\) = "number"`).test(variable)) body[field] = 'number';
          else if (r['IsBoolean'] === true || 'BooleanEquals' in r) body[field] = 'boolean';
        }
      }
    }
  }
  const methods = new Set<string>();
  for (const r of rules(definition)) {
    if (typeof r['Variable'] === 'string' && /^\$\.event\.(httpMethod|requestContext\.http\.method)$/.test(r['Variable']) && typeof r['StringEquals'] === 'string') methods.add(r['StringEquals']);
    if (typeof r['Condition'] === 'string') for (const m of r['Condition'].matchAll(/\$event\.(?:httpMethod|requestContext\.http\.method) = "([A-Z]+)"/g)) methods.add(m[1]!);
  }
  return { event: [...event].sort(), body, methods: [...methods] };
}

/** The request part a reference reads: a parameter or header by name (`pathParameters.id`), else the field itself. */
function requestPart(path: string): string {
  const parts = path.split('.');
  if (['pathParameters', 'queryStringParameters', 'headers', 'stageVariables'].includes(parts[0]!)) return parts.slice(0, 2).join('.');
  return parts[0] === 'body' ? 'body' : parts.join('.');
}

const sample = (name: string, kind: Kind): unknown => (kind === 'number' ? 42 : kind === 'boolean' ? true : `${name}-1`);

/** The events and table seed for an API handler; `why` when none can be generated. */
export function generateCase(input: GenerateInput): GeneratedCase | { why: string } {
  if (input.eventSource !== 'apigw-rest' && input.eventSource !== 'apigw-http') return { why: `events are generated for API Gateway handlers only (this one's event source is ${input.eventSource})` };
  const fields = requestFields(input.definition);
  const params = (part: string) => fields.event.filter((f) => f.startsWith(`${part}.`)).map((f) => f.slice(part.length + 1));
  const pathParams = params('pathParameters');
  const query = params('queryStringParameters');
  const headers = params('headers');
  const http = input.eventSource === 'apigw-http';
  const declared = input.routes?.filter((r) => r.api === (http ? 'http' : 'rest') || input.routes!.every((x) => x.api !== (http ? 'http' : 'rest'))) ?? [];
  // Without a declared route: one resource with the path parameters the machine reads, and the methods it branches on.
  const resource = `/resource${pathParams.map((p) => `/{${p}}`).join('')}`;
  const routes = declared.length
    ? declared.flatMap((r) => (r.method === 'ANY' || r.method === '*' ? (fields.methods.length ? fields.methods : ['GET']) : [r.method.toUpperCase()]).map((method) => ({ method, path: r.path })))
    : (fields.methods.length ? fields.methods : [fields.event.includes('body') ? 'POST' : 'GET']).map((method) => ({ method, path: resource }));

  const bodyValue = Object.keys(fields.body).length ? Object.fromEntries(Object.entries(fields.body).map(([k, kind]) => [k, sample(k, kind)])) : {};
  const events: GeneratedEvent[] = routes.map(({ method, path }) => {
    // Every path parameter of the route gets a value, the ones the machine reads and the others.
    const names = [...new Set([...[...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => m[1]!), ...pathParams])];
    const pathValues = Object.fromEntries(names.map((n) => [n, `${n}-1`]));
    const concrete = path.replace(/\{([A-Za-z0-9_]+)\+?\}/g, (_m, n: string) => pathValues[n]!);
    const hasBody = fields.event.includes('body') && method !== 'GET' && method !== 'HEAD';
    const headerValues: Record<string, string> = { Accept: '*/*', Host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com', 'User-Agent': 'curl/8.5.0', ...(hasBody ? { 'Content-Type': 'application/json' } : {}) };
    for (const h of headers) headerValues[h] ??= `${h}-1`;
    const queryValues = Object.fromEntries(query.map((q) => [q, `${q}-1`]));
    const body = hasBody ? JSON.stringify(bodyValue) : null;
    const name = `${method} ${concrete}${query.length ? `?${query.map((q) => `${q}=${queryValues[q]}`).join('&')}` : ''}${hasBody ? ` with ${Object.keys(bodyValue).length ? Object.keys(bodyValue).join(', ') : 'an empty JSON body'}` : ''} (generated)`;
    return { name, event: http ? httpApiEvent(method, path, concrete, pathValues, queryValues, headerValues, body) : restEvent(method, path, concrete, pathValues, queryValues, headerValues, body) };
  });

  const env = Object.fromEntries(Object.entries(input.substitutions).filter(([, v]) => v.startsWith('process.env.')).map(([k, v]) => [v.slice('process.env.'.length), k]));
  const tables = seedTables(input, events[0]?.event);
  const unkeyed = tables.find((t) => t.KeySchema.length === 0);
  if (unkeyed) return { why: `the key of table ${unkeyed.TableName} is not one attribute of a Key parameter, so no table can be created for it` };
  return { events, tables, env };
}

/** A REST API (v1) Lambda proxy event: every field API Gateway sends, null where the request has none. */
function restEvent(method: string, resource: string, path: string, pathParams: Record<string, string>, query: Record<string, string>, headers: Record<string, string>, body: string | null): Record<string, unknown> {
  const multi = (o: Record<string, string>) => (Object.keys(o).length ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [v]])) : null);
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: multi(headers),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: multi(query),
    pathParameters: Object.keys(pathParams).length ? pathParams : null,
    stageVariables: null,
    requestContext: {
      resourceId: 'abc123',
      resourcePath: resource,
      httpMethod: method,
      extendedRequestId: 'request-1',
      requestTime: '02/Dec/2026:12:00:00 +0000',
      path: `/prod${path}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'prod',
      domainPrefix: 'a1b2c3d4e5',
      requestTimeEpoch: 1796212800000,
      requestId: 'request-1',
      identity: { sourceIp: '203.0.113.1', userAgent: headers['User-Agent'] ?? null, accountId: null, caller: null, user: null, userArn: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, accessKey: null, apiKey: null, apiKeyId: null, principalOrgId: null, clientCert: null },
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      apiId: 'a1b2c3d4e5',
    },
    body,
    isBase64Encoded: false,
  };
}

/** An HTTP API (payload 2.0) event: API Gateway leaves out the parts the request does not have (body, parameters). */
function httpApiEvent(method: string, route: string, path: string, pathParams: Record<string, string>, query: Record<string, string>, headers: Record<string, string>, body: string | null): Record<string, unknown> {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    routeKey: `${method} ${route}`,
    rawPath: path,
    rawQueryString: Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'),
    headers: lower,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: lower['user-agent'] ?? '' },
      requestId: 'request-1',
      routeKey: `${method} ${route}`,
      stage: '$default',
      time: '02/Dec/2026:12:00:00 +0000',
      timeEpoch: 1796212800000,
    },
    ...(Object.keys(pathParams).length ? { pathParameters: pathParams } : {}),
    ...(body !== null ? { body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * One table per table the machine uses, keyed as its Key parameters say (single-attribute keys only). When a
 * key's value comes from the request, the item the first event addresses is seeded, with each attribute the
 * machine reads of the result (`$.vars.get1.Item.name.S`) of the type it reads. A table the machine only queries
 * or scans starts empty.
 */
function seedTables(input: GenerateInput, event: Record<string, unknown> | undefined): SeedTable[] {
  const text = strings(input.definition);
  const jsonata = input.definition['QueryLanguage'] === 'JSONata';
  const tables = new Map<string, SeedTable>();
  const valueAt = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), event);
  const walk = (states: Record<string, Record<string, unknown>>) => {
    for (const st of Object.values(states)) {
      for (const inner of [st['Iterator'], st['ItemProcessor'], ...(Array.isArray(st['Branches']) ? (st['Branches'] as unknown[]) : [])]) {
        const s = (inner as { States?: Record<string, Record<string, unknown>> } | undefined)?.States;
        if (s) walk(s);
      }
      const params = (st['Parameters'] ?? st['Arguments']) as { TableName?: string; Key?: Record<string, Record<string, unknown>> } | undefined;
      if (st['Type'] !== 'Task' || !/dynamodb:/.test(String(st['Resource'])) || typeof params?.TableName !== 'string') continue;
      const name = params.TableName.replace(/^\$\{([A-Za-z0-9_]+)\}$/, '$1');
      const table = tables.get(name) ?? { TableName: name, KeySchema: [], AttributeDefinitions: [], items: [] };
      tables.set(name, table);
      // JSONPath: {"id": {"S.$": "$.event.pathParameters.id"}}; JSONata: "{% {\"id\": {\"S\": $event.pathParameters.id}} %}".
      let key: Array<[string, string, string | undefined]> = [];
      if (params.Key && typeof params.Key === 'object') {
        key = Object.entries(params.Key).map(([attr, av]) => {
          const [typeKey = '', source] = Object.entries(av ?? {})[0] ?? [];
          const from = typeof source === 'string' && typeKey.endsWith('.$') ? /^\$\.event\.([A-Za-z0-9_.]+)$/.exec(source)?.[1] : undefined;
          return [attr, typeKey.replace(/\.\$$/, ''), from];
        });
      } else if (typeof params.Key === 'string') {
        const m = /^\{%\s*\{"([A-Za-z0-9_-]+)":\s*\{"(S|N|B)":\s*\$event\.([A-Za-z0-9_.]+)\}\}\s*%\}$/.exec(params.Key);
        if (m) key = [[m[1]!, m[2]!, m[3]]];
      }
      if (key.length !== 1 || table.KeySchema.length) continue;
      const [attr, type, from] = key[0]!;
      if (type !== 'S' && type !== 'N' && type !== 'B') continue;
      table.KeySchema.push({ AttributeName: attr, KeyType: 'HASH' });
      table.AttributeDefinitions.push({ AttributeName: attr, AttributeType: type });
      // The addressed item: its key from the request, the attributes the machine reads of it.
      const keyValue = from ? valueAt(from) : undefined;
      const assigned = Object.entries((st['Assign'] as Record<string, unknown> | undefined) ?? {}).find(([, v]) => typeof v === 'string' && /^\{%\s*\$states\.result\s*%\}$/.test(v))?.[0];
      const result = jsonata ? (assigned ? `$${assigned}.Item` : undefined) : typeof st['ResultPath'] === 'string' ? `${st['ResultPath']}.Item` : undefined;
      if (keyValue === undefined || !result || /dynamodb:(putItem|deleteItem)$/.test(String(st['Resource']))) continue;
      const item: Record<string, unknown> = { [attr]: type === 'N' ? Number(keyValue) : keyValue };
      const ref = new RegExp(`${result.replace(/[.$]/g, (c) => `\\${c}`)}\\.(${FIELD})\\.(S|N|BOOL|L|M|SS|NS)\\b`, 'g');
      for (const s of text) {
        for (const a of s.matchAll(ref)) {
          if (a[1] === attr || a[1]! in item) continue;
          const t = a[2]!;
          // A set cannot be written as a plain JSON seed value (an array is a list): left out.
          if (t === 'SS' || t === 'NS') continue;
          item[a[1]!] = t === 'N' ? 42 : t === 'BOOL' ? true : t === 'L' ? [] : t === 'M' ? {} : `${a[1]}-1`;
        }
      }
      table.items.push(item);
    }
  };
  walk(input.definition.States as Record<string, Record<string, unknown>>);
  return [...tables.values()];
}
