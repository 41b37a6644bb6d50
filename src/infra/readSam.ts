// AWS SAM / CloudFormation templates (YAML with short tags, or JSON): function resources and what deploys them.
import { dirname, extname, resolve } from 'node:path';
import { isMap, isScalar, type YAMLMap } from 'yaml';
import type { Deployment } from '../report/types.js';
import { parseCfnYaml, renderCfnValue, toCfnJson } from './cfnYaml.js';
import { declaredEventSource, withDefaults, type DeployedFunction } from './types.js';
import { relPath, splitHandler, stripExt } from './paths.js';

// Kept for src/scan/scanProject.ts until it imports from ./paths.js.
export { stripExt } from './paths.js';
import type { EventSource } from '../report/types.js';

type Json = Record<string, unknown>;

export interface SamTemplate {
  /** The template as long-form data. */
  data: Json;
  /** 1-based line of each resource's logical id (YAML only). */
  resourceLines: Map<string, number>;
}

/** Parses a template; JSON when the file ends in .json. Throws on a syntax error. */
export function parseTemplate(text: string, file: string): SamTemplate {
  if (extname(file) === '.json') {
    const data = JSON.parse(text) as Json;
    const resourceLines = new Map<string, number>();
    const res = (data['Resources'] ?? {}) as Json;
    for (const id of Object.keys(res)) {
      const at = text.indexOf(JSON.stringify(id) + ':') >= 0 ? text.indexOf(JSON.stringify(id) + ':') : text.indexOf(JSON.stringify(id));
      if (at >= 0) resourceLines.set(id, text.slice(0, at).split('\n').length);
    }
    return { data, resourceLines };
  }
  const { doc, lines } = parseCfnYaml(text, { lenient: true });
  const data = (toCfnJson(doc.contents) ?? {}) as Json;
  const resourceLines = new Map<string, number>();
  const resources = doc.get('Resources', true);
  if (isMap(resources)) {
    for (const pair of (resources as YAMLMap).items) {
      if (isScalar(pair.key) && pair.key.range) resourceLines.set(String(pair.key.value), lines.linePos(pair.key.range[0]).line);
    }
  }
  return { data, resourceLines };
}

/** True for a parsed document that is a CloudFormation/SAM template (has Resources with AWS types). */
export function isCloudFormation(data: unknown): data is Json {
  if (!data || typeof data !== 'object') return false;
  const res = (data as Json)['Resources'];
  if (!res || typeof res !== 'object') return false;
  return Object.values(res as Json).some((r) => typeof (r as Json)?.['Type'] === 'string' && String((r as Json)['Type']).startsWith('AWS::'));
}

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const asObject = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** Function resources of a parsed template: AWS::Serverless::Function (with Globals.Function) and AWS::Lambda::Function with a local Code path. */
export function readSamFunctions(template: SamTemplate, absFile: string, root: string): DeployedFunction[] {
  const dir = dirname(absFile);
  const globals = asObject(asObject(template.data['Globals'])?.['Function']) ?? {};
  const resources = asObject(template.data['Resources']) ?? {};
  const out: DeployedFunction[] = [];
  for (const [id, raw] of Object.entries(resources)) {
    const res = asObject(raw);
    const type = res?.['Type'];
    if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
    const own = asObject(res!['Properties']) ?? {};
    const props: Json = type === 'AWS::Serverless::Function' ? { ...globals, ...own } : own;
    const handler = props['Handler'];
    if (typeof handler !== 'string' || !handler.includes('.')) continue;
    const { module: modulePart, exportName } = splitHandler(handler);
    const codeDir = type === 'AWS::Serverless::Function' ? props['CodeUri'] : props['Code'];
    const base = resolve(dir, typeof codeDir === 'string' ? codeDir : '.');
    let handlerModule = resolve(base, modulePart);
    // sam build with esbuild: the handler names the bundle; the source is the entry point of the same name.
    const entryPoints = asObject(asObject(res!['Metadata'])?.['BuildProperties'])?.['EntryPoints'];
    if (Array.isArray(entryPoints)) {
      const entry = entryPoints.find((e): e is string => typeof e === 'string' && stripExt(e).split('/').pop() === modulePart.split('/').pop());
      if (entry) handlerModule = resolve(base, stripExt(entry));
    }
    const variables = {
      ...(asObject(asObject(type === 'AWS::Serverless::Function' ? globals['Environment'] : undefined)?.['Variables']) ?? {}),
      ...(asObject(asObject(own['Environment'])?.['Variables']) ?? {}),
    };
    const arch = Array.isArray(props['Architectures']) ? props['Architectures'][0] : undefined;
    const deployment: Deployment = {
      iac: 'sam',
      file: relPath(root, absFile),
      resource: id,
      line: template.resourceLines.get(id),
      memoryMb: asNumber(props['MemorySize']),
      timeoutS: asNumber(props['Timeout']),
      architecture: arch === 'arm64' || arch === 'x86_64' ? arch : undefined,
      environment: Object.keys(variables).length ? Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, renderCfnValue(v)])) : undefined,
      routes: samRoutes(asObject(own['Events'])),
      eventSource: samEventSource(asObject(own['Events'])),
    };
    const set = { memoryMb: props['MemorySize'] !== undefined, timeoutS: props['Timeout'] !== undefined, architecture: props['Architectures'] !== undefined };
    out.push({ deployment: dropUndefined(withDefaults(deployment, set)), absFile, handlerModule, handlerExport: exportName, envValues: variables });
  }
  return out;
}

const SAM_EVENT_SOURCES: Record<string, EventSource> = {
  Api: 'apigw-rest',
  HttpApi: 'apigw-http',
  SQS: 'sqs',
  DynamoDB: 'dynamodb-stream',
  S3: 's3',
  SNS: 'sns',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  Schedule: 'eventbridge',
};

function samEventSource(events: Json | undefined): EventSource | undefined {
  return declaredEventSource(Object.values(events ?? {}).map((e) => SAM_EVENT_SOURCES[String(asObject(e)?.['Type'])]));
}

function samRoutes(events: Json | undefined): Deployment['routes'] {
  const routes: NonNullable<Deployment['routes']> = [];
  for (const ev of Object.values(events ?? {})) {
    const e = asObject(ev);
    const p = asObject(e?.['Properties']);
    if (!p || (e!['Type'] !== 'Api' && e!['Type'] !== 'HttpApi')) continue;
    if (typeof p['Path'] !== 'string' || typeof p['Method'] !== 'string') continue;
    routes.push({ api: e!['Type'] === 'Api' ? 'rest' : 'http', method: p['Method'].toUpperCase(), path: p['Path'] });
  }
  return routes.length ? routes : undefined;
}

export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
