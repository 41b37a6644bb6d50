// Usage inputs for the cost estimate, each resolved with the place it came from. Priority, highest first:
// CLI flags → usage file entry for the handler → the infrastructure (Finding.deployment) → usage file defaults →
// configuration file `usage` → a documented profile (small | medium | large; medium unless chosen).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { UsageDefaults } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { Deployment, Finding } from '../report/types.js';
import { REGION_PRICES } from './prices.js';

export type UsageProfile = 'small' | 'medium' | 'large';
export type Architecture = 'x86_64' | 'arm64';

/** What a handler's usage can say; every key optional. */
export interface UsageValues {
  requestsPerMonth?: number;
  avgDurationMs?: number;
  memoryMb?: number;
  architecture?: Architecture;
  region?: string;
  /** Average size of an execution's data (event, results), in KB. */
  payloadKb?: number;
  /** Items per Map state per execution. */
  mapItems?: number;
  /** Runs of each loop per execution. */
  loopIterations?: number;
  /** Duration of the residual Lambda function per invocation (partial findings). */
  residualDurationMs?: number;
  /** A measured Express execution duration, replacing the per-call estimate. */
  expressDurationMs?: number;
}

export interface UsageOptions extends Pick<UsageValues, 'requestsPerMonth' | 'avgDurationMs' | 'memoryMb' | 'architecture' | 'region' | 'payloadKb'> {
  /** YAML usage file (relative to `cwd`). */
  usageFile?: string;
  freeTier?: boolean;
  profile?: UsageProfile;
  /** The configuration file's `usage` defaults. */
  configDefaults?: UsageDefaults & { freeTier?: boolean; profile?: UsageProfile };
  cwd?: string;
}

export interface ResolvedUsage {
  requestsPerMonth: number;
  avgDurationMs: number;
  memoryMb: number;
  architecture: Architecture;
  region: string;
  payloadKb: number;
  mapItems: number;
  loopIterations: number;
  residualDurationMs: number;
  expressDurationMs?: number;
  freeTier: boolean;
  /** Key → where its value came from, e.g. "template.yaml GetOrderFunction MemorySize". */
  sources: Record<string, string>;
  /** Keys whose value is a profile default (nothing about this handler said otherwise). */
  fromProfile: Array<'requestsPerMonth' | 'avgDurationMs' | 'memoryMb' | 'payloadKb'>;
}

/** Documented defaults: pick the one closest to the workload with --usage-profile. */
export const PROFILES: Record<UsageProfile, Required<Pick<UsageValues, 'requestsPerMonth' | 'avgDurationMs' | 'memoryMb' | 'payloadKb'>>> = {
  small: { requestsPerMonth: 100_000, avgDurationMs: 50, memoryMb: 128, payloadKb: 1 },
  medium: { requestsPerMonth: 1_000_000, avgDurationMs: 100, memoryMb: 512, payloadKb: 4 },
  large: { requestsPerMonth: 50_000_000, avgDurationMs: 200, memoryMb: 1024, payloadKb: 16 },
};

const FIXED_DEFAULTS = {
  architecture: { value: 'x86_64' as Architecture, source: 'AWS Lambda default (x86_64)' },
  region: { value: 'us-east-1', source: 'lambda2sfn default' },
  mapItems: { value: 10, source: 'lambda2sfn default (Map items are only known at run time)' },
  loopIterations: { value: 3, source: 'lambda2sfn default' },
  residualDurationMs: { value: 10, source: 'lambda2sfn default (a pure computation)' },
};

export interface UsageFile {
  path: string;
  /** Path as shown in sources (relative to the working folder when inside it). */
  label: string;
  defaults: UsageValues;
  /** Key: "file#export", "file" (relative to the scan root) or a function name from the infrastructure. */
  handlers: Record<string, UsageValues>;
  /** Values read from CloudWatch exports: entry key ("defaults" or a handlers key) → usage key → how. */
  derived: Record<string, Record<string, string>>;
}

const USAGE_KEYS = ['requestsPerMonth', 'avgDurationMs', 'memoryMb', 'architecture', 'region', 'payloadKb', 'mapItems', 'loopIterations', 'residualDurationMs', 'expressDurationMs'] as const;

/** Checks one usage value; `where` names its origin in the error (a flag, a usage-file path). */
export function checkUsageValue(key: string, value: unknown, where: string): void {
  const fail = (what: string) => {
    throw new UsageError(`${where}: ${what} (got ${JSON.stringify(value)})`);
  };
  switch (key) {
    case 'architecture':
      if (value !== 'x86_64' && value !== 'arm64') fail('architecture must be x86_64 or arm64');
      return;
    case 'region':
      if (typeof value !== 'string' || !REGION_PRICES[value]) fail(`region must be one of ${Object.keys(REGION_PRICES).join(', ')} (the regions the price table covers)`);
      return;
    case 'memoryMb':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 128 || value > 10240) fail('memory must be an integer number of MB from 128 to 10240');
      return;
    case 'requestsPerMonth':
    case 'mapItems':
    case 'loopIterations':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) fail(`${key} must be a whole number, 0 or more`);
      if (key === 'loopIterations' && (value as number) < 1) fail('loopIterations must be 1 or more');
      return;
    case 'avgDurationMs':
    case 'residualDurationMs':
    case 'expressDurationMs':
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 900_000) fail(`${key} must be a number of milliseconds above 0 and at most 900000`);
      return;
    case 'payloadKb':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail('payloadKb must be a number of KB, 0 or more');
      return;
    default:
      throw new UsageError(`${where}: unknown usage key "${key}" (known: ${USAGE_KEYS.join(', ')})`);
  }
}

/** Infracost-style snake_case names accepted in usage files, for people who already keep one. */
const KEY_ALIASES: Record<string, (typeof USAGE_KEYS)[number]> = {
  monthly_requests: 'requestsPerMonth',
  monthly_invocations: 'requestsPerMonth',
  requests_per_month: 'requestsPerMonth',
  request_duration_ms: 'avgDurationMs',
  avg_duration_ms: 'avgDurationMs',
  memory_mb: 'memoryMb',
  payload_kb: 'payloadKb',
  map_items: 'mapItems',
  loop_iterations: 'loopIterations',
  residual_duration_ms: 'residualDurationMs',
  workflow_duration_ms: 'expressDurationMs',
  express_duration_ms: 'expressDurationMs',
};

function checkValues(obj: unknown, where: string): UsageValues {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new UsageError(`${where}: expected a mapping of usage keys`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = KEY_ALIASES[k] ?? k;
    checkUsageValue(key, v, `${where}.${k}`);
    if (key in out) throw new UsageError(`${where}: ${key} is given twice (${k})`);
    out[key] = v;
  }
  return out as UsageValues;
}

/** Reads and checks a YAML usage file. Every problem is one UsageError naming the file and the key. */
export async function loadUsageFile(file: string, cwd: string): Promise<UsageFile> {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(cwd, path);
  const label = rel && !rel.startsWith('..') ? rel : path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read usage file ${label}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new UsageError(`usage file ${label} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`usage file ${label}: expected a mapping with "defaults" and/or "handlers"`);
  const known = ['version', 'defaults', 'handlers', 'resource_usage'];
  for (const k of Object.keys(doc as object)) if (!known.includes(k)) throw new UsageError(`usage file ${label}: unknown key "${k}" (expected version, defaults, handlers)`);
  const raw = doc as { defaults?: unknown; handlers?: unknown; resource_usage?: unknown };
  if (raw.handlers !== undefined && raw.resource_usage !== undefined) throw new UsageError(`usage file ${label}: give "handlers" or its Infracost-style alias "resource_usage", not both`);
  const d = { defaults: raw.defaults, handlers: raw.handlers ?? raw.resource_usage };
  const derived: UsageFile['derived'] = {};
  const entry = async (obj: unknown, where: string, key: string): Promise<UsageValues> => {
    const { values, exports } = splitCloudwatch(obj, where);
    const checked = checkValues(values, where);
    if (exports.invocations || exports.duration) derived[key] = await readCloudwatch(exports, dirname(path), checked, where);
    return checked;
  };
  const defaults = d.defaults === undefined ? {} : await entry(d.defaults, `usage file ${label}: defaults`, 'defaults');
  const handlers: Record<string, UsageValues> = {};
  if (d.handlers !== undefined) {
    if (d.handlers === null || typeof d.handlers !== 'object' || Array.isArray(d.handlers)) throw new UsageError(`usage file ${label}: "handlers" must map a handler ("file#export", "file") or a function name to usage keys`);
    for (const [k, v] of Object.entries(d.handlers)) handlers[k] = await entry(v, `usage file ${label}: handlers["${k}"]`, k);
  }
  return { path, label, defaults, handlers, derived };
}

/** Takes the CloudWatch export paths (cloudwatchInvocations, cloudwatchDuration) out of a usage entry. */
function splitCloudwatch(obj: unknown, where: string): { values: unknown; exports: { invocations?: string; duration?: string } } {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { values: obj, exports: {} };
  const { cloudwatchInvocations, cloudwatchDuration, ...values } = obj as Record<string, unknown>;
  for (const [k, v] of [['cloudwatchInvocations', cloudwatchInvocations], ['cloudwatchDuration', cloudwatchDuration]] as const)
    if (v !== undefined && typeof v !== 'string') throw new UsageError(`${where}.${k}: expected the path of a JSON file (got ${JSON.stringify(v)})`);
  return { values, exports: { invocations: cloudwatchInvocations as string | undefined, duration: cloudwatchDuration as string | undefined } };
}

/** Reads CloudWatch exports (paths relative to the usage file) into the entry; stated values win over them. */
async function readCloudwatch(exports: { invocations?: string; duration?: string }, base: string, into: UsageValues, where: string): Promise<Record<string, string>> {
  const how: Record<string, string> = {};
  const read = async (file: string, key: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(resolve(base, file), 'utf8'));
    } catch (e) {
      throw new UsageError(`${where}.${key}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const { requestsPerMonthFromInvocations, avgDurationMsFromDuration } = await import('./cloudwatch.js');
  const use = (key: 'requestsPerMonth' | 'avgDurationMs', file: string, exportKey: string, f: (j: unknown) => { value: number; how: string }, json: unknown) => {
    let fig: { value: number; how: string };
    try {
      fig = f(json);
    } catch (e) {
      throw new UsageError(`${where}.${exportKey}: ${file}: ${(e as Error).message}`);
    }
    if (into[key] !== undefined) return; // a value written in the file beats the export
    into[key] = fig.value;
    how[key] = `CloudWatch export ${file}: ${fig.how}`;
  };
  if (exports.invocations) use('requestsPerMonth', exports.invocations, 'cloudwatchInvocations', requestsPerMonthFromInvocations, await read(exports.invocations, 'cloudwatchInvocations'));
  if (exports.duration) use('avgDurationMs', exports.duration, 'cloudwatchDuration', avgDurationMsFromDuration, await read(exports.duration, 'cloudwatchDuration'));
  return how;
}

/** The usage-file entry for a finding: "file#export" first, then "file", then the function name from the infrastructure. */
export function usageEntryFor(file: UsageFile, f: Pick<Finding, 'file' | 'export' | 'deployment'>): { key: string; values: UsageValues } | undefined {
  const keys = [`${f.file}#${f.export}`, f.file, ...(f.deployment ? [f.deployment.resource] : [])];
  for (const key of keys) if (file.handlers[key]) return { key, values: file.handlers[key]! };
  return undefined;
}

/** How a deployment property is named in its infrastructure language, for the source text. */
function deploymentSource(d: Deployment, prop: 'memory' | 'architecture'): string {
  const name = {
    sam: { memory: 'MemorySize', architecture: 'Architectures' },
    serverless: { memory: 'memorySize', architecture: 'architecture' },
    cdk: { memory: 'memorySize', architecture: 'architecture' },
  }[d.iac][prop];
  const where = `${d.file}${d.line ? `:${d.line}` : ''} ${d.resource}`;
  // The infrastructure leaves it unset: the value is the deployment tool's default, and the source says so.
  if (d.defaults?.includes(prop === 'memory' ? 'memoryMb' : 'architecture')) return `${d.iac === 'serverless' ? 'Serverless Framework' : d.iac === 'sam' ? 'AWS SAM' : 'AWS CDK'} default (${name} not set for ${where})`;
  return `${where} ${name}`;
}

export function resolveUsage(f: Pick<Finding, 'file' | 'export' | 'deployment'>, opts: UsageOptions, usageFile?: UsageFile): ResolvedUsage {
  const entry = usageFile ? usageEntryFor(usageFile, f) : undefined;
  const profileName: UsageProfile = opts.profile ?? opts.configDefaults?.profile ?? 'medium';
  const profileSource = opts.profile ? `--usage-profile ${profileName}` : opts.configDefaults?.profile ? `configuration usage.profile ${profileName}` : `profile ${profileName} (lambda2sfn default)`;
  const profile = PROFILES[profileName];
  const sources: Record<string, string> = {};
  const d = f.deployment;
  const infra: UsageValues = {};
  const infraSource: Record<string, string> = {};
  if (d?.memoryMb !== undefined) {
    infra.memoryMb = d.memoryMb;
    infraSource['memoryMb'] = deploymentSource(d, 'memory');
  }
  if (d?.architecture !== undefined) {
    infra.architecture = d.architecture;
    infraSource['architecture'] = deploymentSource(d, 'architecture');
  }
  const layers: Array<{ values: UsageValues; source: (k: string) => string }> = [
    { values: pickFlags(opts), source: (k) => `--${flagName(k)} flag` },
    ...(entry ? [{ values: entry.values, source: (k: string) => usageFile!.derived[entry.key]?.[k] ?? `usage file ${usageFile!.label} handlers["${entry.key}"].${k}` }] : []),
    { values: infra, source: (k: string) => infraSource[k]! },
    ...(usageFile ? [{ values: usageFile.defaults, source: (k: string) => usageFile.derived['defaults']?.[k] ?? `usage file ${usageFile.label} defaults.${k}` }] : []),
    { values: (opts.configDefaults ?? {}) as UsageValues, source: (k: string) => `configuration usage.${k}` },
    { values: profile, source: () => profileSource },
  ];
  const profileLayer = layers[layers.length - 1]!;
  const fromProfile: ResolvedUsage['fromProfile'] = [];
  const pick = <K extends keyof UsageValues>(key: K, fallback?: { value: NonNullable<UsageValues[K]>; source: string }): NonNullable<UsageValues[K]> | undefined => {
    for (const layer of layers) {
      const v = layer.values[key];
      if (v !== undefined) {
        sources[key] = layer.source(key);
        if (layer === profileLayer) fromProfile.push(key as ResolvedUsage['fromProfile'][number]);
        return v as NonNullable<UsageValues[K]>;
      }
    }
    if (fallback) {
      sources[key] = fallback.source;
      return fallback.value;
    }
    return undefined;
  };
  const freeTier = opts.freeTier ?? opts.configDefaults?.freeTier ?? false;
  sources['freeTier'] = opts.freeTier !== undefined ? '--free-tier flag' : opts.configDefaults?.freeTier !== undefined ? 'configuration usage.freeTier' : 'lambda2sfn default (free tiers not applied: they are per account and shared)';
  const resolved: ResolvedUsage = {
    requestsPerMonth: pick('requestsPerMonth')!,
    avgDurationMs: pick('avgDurationMs')!,
    memoryMb: pick('memoryMb')!,
    architecture: pick('architecture', FIXED_DEFAULTS.architecture)!,
    region: pick('region', FIXED_DEFAULTS.region)!,
    payloadKb: pick('payloadKb')!,
    mapItems: pick('mapItems', FIXED_DEFAULTS.mapItems)!,
    loopIterations: pick('loopIterations', FIXED_DEFAULTS.loopIterations)!,
    residualDurationMs: pick('residualDurationMs', FIXED_DEFAULTS.residualDurationMs)!,
    freeTier,
    sources,
    fromProfile,
  };
  const expressDurationMs = pick('expressDurationMs');
  if (expressDurationMs !== undefined) resolved.expressDurationMs = expressDurationMs;
  return resolved;
}

function pickFlags(opts: UsageOptions): UsageValues {
  const out: UsageValues = {};
  for (const k of ['requestsPerMonth', 'avgDurationMs', 'memoryMb', 'architecture', 'region', 'payloadKb'] as const) {
    if (opts[k] !== undefined) (out as Record<string, unknown>)[k] = opts[k];
  }
  return out;
}

/** requestsPerMonth → requests-per-month */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Checks the values given as flags or in the configuration (a usage file is checked when it loads). */
export function checkUsageOptions(opts: UsageOptions): void {
  for (const k of ['requestsPerMonth', 'avgDurationMs', 'memoryMb', 'architecture', 'region', 'payloadKb'] as const) {
    if (opts[k] !== undefined) checkUsageValue(k, opts[k], `--${flagName(k)}`);
  }
  if (opts.profile !== undefined && !(opts.profile in PROFILES)) throw new UsageError(`--usage-profile: must be small, medium or large (got ${JSON.stringify(opts.profile)})`);
  const c = opts.configDefaults;
  if (c) {
    for (const [k, v] of Object.entries(c)) {
      if (k === 'freeTier' || k === 'profile') continue;
      checkUsageValue(k, v, `configuration usage.${k}`);
    }
  }
}
