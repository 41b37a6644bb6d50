// What the infrastructure readers find: each function resource with the handler module it deploys.
import type { Deployment, EventSource } from '../report/types.js';

export interface DeployedFunction {
  /** The part that goes into the report (`Finding.deployment`). */
  deployment: Deployment;
  /** Absolute path of the infrastructure file. */
  absFile: string;
  /** Absolute path of the handler module without its extension (e.g. /repo/src/get). */
  handlerModule: string;
  /** The exported handler name. */
  handlerExport: string;
  /** Environment values as data: CloudFormation long form ({ Ref: 'ItemsTable' }) or CDK source text ({ code: 'table.tableName' }). */
  envValues: Record<string, unknown>;
}

export interface InfraFile {
  iac: Deployment['iac'];
  absFile: string;
}

export interface InfrastructureModel {
  /** Every file recognised as infrastructure (even with no function in it). */
  files: InfraFile[];
  functions: DeployedFunction[];
  /** Files that look like infrastructure but could not be read. */
  errors: Array<{ absFile: string; message: string; line?: number }>;
}

/** What a function gets when its infrastructure does not say: SAM/CloudFormation and CDK (lambda.Function, NodejsFunction) use Lambda's defaults, the Serverless Framework its own. */
export const TOOL_DEFAULTS = {
  sam: { memoryMb: 128, timeoutS: 3, architecture: 'x86_64' },
  cdk: { memoryMb: 128, timeoutS: 3, architecture: 'x86_64' },
  serverless: { memoryMb: 1024, timeoutS: 6, architecture: 'x86_64' },
} as const;

/** Fills the sizing fields the infrastructure leaves unset (`set` false) with the tool's defaults and lists them in `defaults`. */
export function withDefaults(d: Deployment, set: { memoryMb: boolean; timeoutS: boolean; architecture: boolean }): Deployment {
  const defaults: NonNullable<Deployment['defaults']> = [];
  const out: Deployment = { ...d };
  for (const key of ['memoryMb', 'timeoutS', 'architecture'] as const) {
    if (set[key]) continue;
    (out as unknown as Record<string, unknown>)[key] = TOOL_DEFAULTS[d.iac][key];
    defaults.push(key);
  }
  if (defaults.length) out.defaults = defaults;
  return out;
}

/**
 * The event source of a function from the kinds of its events (undefined for a kind without one, e.g. websocket):
 * declared only when there are events and every one maps to the same source.
 */
export function declaredEventSource(sources: Array<EventSource | undefined>): EventSource | undefined {
  const first = sources[0];
  return first && sources.every((s) => s === first) ? first : undefined;
}
