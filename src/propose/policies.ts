// Least-privilege permissions of a state machine, worked out from its Task states.
import type { AslDefinition } from '../report/types.js';

export interface TaskAccess {
  /** e.g. 'dynamodb' or 'lambda' */
  service: string;
  /** IAM action names without the service prefix, e.g. 'PutItem'. */
  actions: Set<string>;
  /** The `${Placeholder}` names (or literal names) the tasks address: table names, function ARNs. */
  targets: Set<string>;
}

/** Task resources grouped by service and target. Unknown integrations are returned in `unknown`. */
export function taskAccess(definition: AslDefinition): { byTarget: Map<string, TaskAccess>; unknown: string[] } {
  const byTarget = new Map<string, TaskAccess>();
  const unknown: string[] = [];
  const visitStates = (states: Record<string, unknown>) => {
    for (const state of Object.values(states)) {
      const s = state as Record<string, unknown>;
      for (const nested of [s['ItemProcessor'], s['Iterator'], ...((s['Branches'] as unknown[]) ?? [])]) {
        const ns = (nested as { States?: Record<string, unknown> } | undefined)?.States;
        if (ns) visitStates(ns);
      }
      if (s['Type'] !== 'Task' || typeof s['Resource'] !== 'string') continue;
      const m = /^arn:aws:states:::(?:aws-sdk:)?(dynamodb|lambda):([a-zA-Z]+)(?:\..*)?$/.exec(s['Resource']);
      if (!m) {
        unknown.push(s['Resource']);
        continue;
      }
      const service = m[1]!;
      const action = service === 'lambda' ? 'InvokeFunction' : m[2]!.charAt(0).toUpperCase() + m[2]!.slice(1);
      const args = s['Parameters'] ?? s['Arguments'];
      const targets = service === 'lambda' ? functionTargets(args) : tableTargets(args);
      for (const target of targets.length ? targets : ['*']) {
        const key = `${service} ${target}`;
        const entry = byTarget.get(key) ?? { service, actions: new Set<string>(), targets: new Set([target]) };
        entry.actions.add(action);
        byTarget.set(key, entry);
      }
    }
  };
  visitStates(definition.States);
  return { byTarget, unknown };
}

/** Table names in DynamoDB parameters: TableName values and RequestItems keys (batch), at any depth (transactions). */
function tableTargets(args: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'TableName' && typeof x === 'string') out.add(x);
        else if (k === 'TableName.$') out.add('*');
        else if (k === 'RequestItems' && x && typeof x === 'object') for (const t of Object.keys(x)) out.add(t);
        walk(x);
      }
    }
  };
  walk(args);
  return [...out];
}

function functionTargets(args: unknown): string[] {
  const fn = (args as Record<string, unknown> | undefined)?.['FunctionName'];
  return typeof fn === 'string' ? [fn] : ['*'];
}

/** `${Name}` → Name; a literal stays as it is. */
export function placeholderName(target: string): string | undefined {
  const m = /^\$\{([A-Za-z0-9_]+)\}$/.exec(target);
  return m?.[1];
}

// The actions of the SAM policy templates (serverless-application-model policy_templates.json).
export const SAM_DYNAMODB_READ = new Set(['GetItem', 'Scan', 'Query', 'BatchGetItem', 'DescribeTable']);
export const SAM_DYNAMODB_WRITE = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export const subsetOf = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));
