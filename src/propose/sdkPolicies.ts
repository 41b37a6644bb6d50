// IAM statements for Bedrock InvokeModel Tasks and the allow-listed AWS SDK integration Tasks: the action on the
// resource the Task addresses (a model, a parameter, a secret, a state machine), or `*` with a conflict saying why.
import type { AslDefinition } from '../report/types.js';
import { sdkCommandByResource } from '../lift/services/sdkIntegrations.js';
import { placeholderName } from './policies.js';

type Json = Record<string, unknown>;

const BEDROCK_INVOKE = 'arn:aws:states:::bedrock:invokeModel';
/** Cross-Region inference profile ids (`us.anthropic…`): their ARN is an inference-profile one, not a foundation model's. */
const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;

export interface SdkStatements {
  statements: Json[];
  /** Task resources these statements cover (no "no policy is known" conflict for them). */
  handled: Set<string>;
}

function forEachTask(states: Record<string, unknown>, visit: (s: Json) => void): void {
  for (const state of Object.values(states)) {
    const s = state as Json;
    for (const nested of [s['ItemProcessor'], s['Iterator'], ...((s['Branches'] as unknown[]) ?? [])]) {
      const ns = (nested as { States?: Record<string, unknown> } | undefined)?.States;
      if (ns) forEachTask(ns, visit);
    }
    if (s['Type'] === 'Task' && typeof s['Resource'] === 'string') visit(s);
  }
}

/** `${AWS::…}` pseudo parameters in a string need Fn::Sub. */
const sub = (arn: string): unknown => (arn.includes('${') ? { 'Fn::Sub': arn } : arn);

/**
 * `substitutions`: placeholder → its CloudFormation value (a string, or an intrinsic such as `{Ref: …}`).
 * Conflicts are pushed for Tasks whose resource cannot be named (their statement grants `*`).
 */
export function sdkIntegrationStatements(definition: AslDefinition, substitutions: Json, conflicts: string[]): SdkStatements {
  const byAction = new Map<string, unknown[]>();
  const handled = new Set<string>();
  const grant = (action: string, resource: unknown) => {
    const list = byAction.get(action) ?? [];
    if (!list.some((r) => JSON.stringify(r) === JSON.stringify(resource))) list.push(resource);
    byAction.set(action, list);
  };
  forEachTask(definition.States, (s) => {
    const resource = s['Resource'] as string;
    const command = sdkCommandByResource(resource);
    if (resource !== BEDROCK_INVOKE && !command) return;
    handled.add(resource);
    const args = (s['Parameters'] ?? s['Arguments'] ?? {}) as Json;
    const param = command ? command.params[command.resource.param]!.task : 'ModelId';
    const written = args[param];
    const key = typeof written === 'string' ? placeholderName(written) : undefined;
    // The value as CloudFormation sees it: a literal, a substitution's value, or undefined (read from the input).
    const value = typeof written === 'string' && !written.includes('{%') ? (key ? substitutions[key] : written) : undefined;
    const action = command ? command.iamAction : 'bedrock:InvokeModel';
    const what = command ? `${command.apiAction} (${command.integration.service})` : 'Bedrock InvokeModel';
    const wildcard = (why: string) => {
      conflicts.push(`${what}: ${action} is granted on * because ${why}: scope it by hand`);
      grant(action, '*');
    };
    if (value === undefined) return wildcard(command?.resource.why ?? `its ${param} is not a fixed value`);
    // A string holding ${…} is a deployment tool's variable (Serverless): as opaque as an intrinsic.
    const literal = typeof value === 'string' && !value.includes('${');
    if (!command) {
      if (!literal) return grant(action, { 'Fn::Sub': ['arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/${ModelId}', { ModelId: value }] });
      if ((value as string).startsWith('arn:')) return grant(action, value);
      if (INFERENCE_PROFILE.test(value as string)) return wildcard(`${value} is an inference profile (its ARN and the models it routes to, in several Regions)`);
      return grant(action, sub(`arn:\${AWS::Partition}:bedrock:\${AWS::Region}::foundation-model/${value as string}`));
    }
    if (literal) {
      const arn = command.resource.arn(value as string);
      return arn ? grant(action, sub(arn)) : wildcard(command.resource.why ?? `${param} ${value as string} is not an ARN`);
    }
    // An intrinsic: a state machine's Ref is its ARN; a parameter name or secret id may or may not be one.
    if (command.integration.service === 'sfn') return grant(action, value);
    return wildcard(command.resource.why ?? `its ${param} comes from ${JSON.stringify(value)}, which may be a name or an ARN`);
  });
  const statements = [...byAction].map(([action, resources]) => ({ Effect: 'Allow', Action: [action], Resource: resources.includes('*') ? '*' : resources }));
  return { statements, handled };
}

/**
 * The same statements without Fn::Sub (Serverless reads `${…}` as its own variables): each Fn::Sub becomes a
 * Fn::Join of its text, `{Ref: AWS::…}` for pseudo parameters and the mapped values for its variables.
 */
export function withoutSub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSub);
  if (!value || typeof value !== 'object') return value;
  const o = value as Json;
  if (!('Fn::Sub' in o)) return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withoutSub(v)]));
  const arg = o['Fn::Sub'];
  const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Json];
  const parts: unknown[] = [];
  text.split(/(\$\{[^}]+\})/).forEach((piece) => {
    const name = /^\$\{([^}]+)\}$/.exec(piece)?.[1];
    if (!name) {
      if (piece) parts.push(piece);
    } else parts.push(name in vars ? vars[name] : { Ref: name });
  });
  return { 'Fn::Join': ['', parts] };
}
