// Serverless Framework (serverless.yml): functions, their handler, provider defaults and http/httpApi events.
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, type YAMLMap } from 'yaml';
import type { Deployment } from '../report/types.js';
import { parseCfnYaml, renderCfnValue, toCfnJson } from './cfnYaml.js';
import { dropUndefined } from './readSam.js';
import { relPath, splitHandler } from './paths.js';
import { declaredEventSource, withDefaults, type DeployedFunction } from './types.js';
import type { EventSource } from '../report/types.js';

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function readServerless(text: string, absFile: string, root: string): DeployedFunction[] {
  const { doc, lines } = parseCfnYaml(text, { lenient: true });
  const data = asObject(toCfnJson(doc.contents)) ?? {};
  const provider = asObject(data['provider']) ?? {};
  const functions = asObject(data['functions']) ?? {};
  const keyLines = new Map<string, number>();
  const fnNode = doc.get('functions', true);
  if (isMap(fnNode)) {
    for (const pair of (fnNode as YAMLMap).items) if (isScalar(pair.key) && pair.key.range) keyLines.set(String(pair.key.value), lines.linePos(pair.key.range[0]).line);
  }
  const dir = dirname(absFile);
  const out: DeployedFunction[] = [];
  for (const [key, raw] of Object.entries(functions)) {
    const fn = asObject(raw);
    const handler = fn?.['handler'];
    if (typeof handler !== 'string' || !handler.includes('.')) continue;
    const { module, exportName } = splitHandler(handler);
    const variables = { ...(asObject(provider['environment']) ?? {}), ...(asObject(fn!['environment']) ?? {}) };
    const arch = fn!['architecture'] ?? provider['architecture'];
    const deployment: Deployment = {
      iac: 'serverless',
      file: relPath(root, absFile),
      resource: key,
      line: keyLines.get(key),
      memoryMb: asNumber(fn!['memorySize'] ?? provider['memorySize']),
      timeoutS: asNumber(fn!['timeout'] ?? provider['timeout']),
      architecture: arch === 'arm64' || arch === 'x86_64' ? arch : undefined,
      environment: Object.keys(variables).length ? Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, renderCfnValue(v)])) : undefined,
      routes: serverlessRoutes(fn!['events']),
      eventSource: serverlessEventSource(fn!['events']),
    };
    const set = { memoryMb: (fn!['memorySize'] ?? provider['memorySize']) !== undefined, timeoutS: (fn!['timeout'] ?? provider['timeout']) !== undefined, architecture: arch !== undefined };
    out.push({ deployment: dropUndefined(withDefaults(deployment, set)), absFile, handlerModule: resolve(dir, module), handlerExport: exportName, envValues: variables });
  }
  return out;
}

const SERVERLESS_EVENT_SOURCES: Record<string, EventSource> = {
  http: 'apigw-rest',
  httpApi: 'apigw-http',
  sqs: 'sqs',
  s3: 's3',
  sns: 'sns',
  eventBridge: 'eventbridge',
  cloudwatchEvent: 'eventbridge',
  schedule: 'eventbridge',
};

/** `stream` is a DynamoDB stream when its type or ARN says so (it may be Kinesis). */
function serverlessEventSource(events: unknown): EventSource | undefined {
  return declaredEventSource(
    (Array.isArray(events) ? events : []).map((ev) => {
      const kinds = Object.keys(asObject(ev) ?? {});
      if (kinds.length !== 1) return undefined;
      const kind = kinds[0]!;
      if (kind !== 'stream') return SERVERLESS_EVENT_SOURCES[kind];
      const stream = asObject(ev)!['stream'];
      const text = typeof stream === 'string' ? stream : JSON.stringify(stream ?? '');
      return asObject(stream)?.['type'] === 'dynamodb' || /:dynamodb:|StreamArn/.test(text) ? 'dynamodb-stream' : undefined;
    }),
  );
}

function serverlessRoutes(events: unknown): Deployment['routes'] {
  const routes: NonNullable<Deployment['routes']> = [];
  for (const ev of Array.isArray(events) ? events : []) {
    for (const kind of ['http', 'httpApi'] as const) {
      const e = asObject(ev)?.[kind];
      if (e === undefined) continue;
      let method: unknown;
      let path: unknown;
      if (typeof e === 'string') [method, path] = e.trim().split(/\s+/, 2);
      else ({ method, path } = asObject(e) ?? {});
      if (typeof method !== 'string' || typeof path !== 'string') continue;
      routes.push({ api: kind === 'http' ? 'rest' : 'http', method: method.toUpperCase(), path: path.startsWith('/') ? path : `/${path}` });
    }
  }
  return routes.length ? routes : undefined;
}
