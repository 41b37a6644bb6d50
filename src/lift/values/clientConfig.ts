// An SDK client built with its own region or credentials talks to a table (topic, queue…) the state machine's
// Task would not reach the same way: a Task calls the service in the state machine's region with its execution
// role. So such a client is a blocker, never silently replaced.
import type * as t from '@babel/types';
import { keyName, unwrapTs } from '../syntax.js';

const OWN_REGION = /^process\.env\.(AWS_REGION|AWS_DEFAULT_REGION)$/;

function dotted(n: t.Node): string | undefined {
  const x = unwrapTs(n);
  if (x.type === 'Identifier') return x.name;
  if (x.type === 'MemberExpression' && !x.computed && x.property.type === 'Identifier') {
    const o = dotted(x.object);
    return o && `${o}.${x.property.name}`;
  }
  return undefined;
}

/** The region names written as string literals in a module's text (`region: 'eu-west-1'`). */
function literalRegions(moduleText: string): Set<string> {
  return new Set([...moduleText.matchAll(/\bregion\s*:\s*['"`]([a-z0-9-]+)['"`]/g)].map((m) => m[1]!));
}

/**
 * Why a client built with `config` (its constructor's first argument) cannot become a Task, if it cannot. A region
 * written as the only one in its module is where the code is deployed (the state machine is deployed there too);
 * two regions, or one computed at run time, mean a table elsewhere.
 */
export function clientConfigProblem(config: t.Node | undefined, code: (n: t.Node) => string, moduleText: string): string | undefined {
  const obj = config && unwrapTs(config);
  if (obj?.type !== 'ObjectExpression') return undefined;
  for (const p of obj.properties) {
    if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') continue;
    const key = p.computed ? undefined : keyName(p.key);
    if (key === 'credentials') return `the client is built with its own credentials (${code(p)}): a Task calls the service with the state machine's execution role`;
    const value = p.type === 'ObjectProperty' ? unwrapTs(p.value) : undefined;
    const onlyRegion = value?.type === 'StringLiteral' && literalRegions(moduleText).size === 1;
    if (key === 'region' && value && !onlyRegion && !OWN_REGION.test(dotted(value) ?? '')) {
      return `the client is built for region ${code(value)}: a Task calls the service in the state machine's own region, and the handler's region may be another`;
    }
  }
  return undefined;
}

// Document client options that change how values are marshalled or unmarshalled, where the state machine marshals as
// the clients do by default: only their default (false) is the same. removeUndefinedValues is modelled, and
// convertClassInstanceToMap only concerns class instances, which no request value is.
const MODELLED = new Set(['removeUndefinedValues', 'convertClassInstanceToMap']);

function literalBool(n: t.Node | undefined): boolean | undefined {
  const x = n && unwrapTs(n);
  return x?.type === 'BooleanLiteral' ? x.value : undefined;
}

/**
 * How a DynamoDB document client is built: a problem when its options marshal values otherwise than the state
 * machine does; `undefinedThrows` for lib-dynamodb without removeUndefinedValues (an undefined value inside an
 * attribute throws). `config`: the v2 DocumentClient's options, lib-dynamodb's translateConfig (`from`'s second argument).
 */
export function documentClientOptions(kind: 'v2' | 'lib', config: t.Node | undefined, code: (n: t.Node) => string): { problem?: string; undefinedThrows?: boolean } {
  const obj = config && unwrapTs(config);
  if (!obj) return kind === 'lib' ? { undefinedThrows: true } : {};
  if (obj.type !== 'ObjectExpression') return kind === 'lib' ? { problem: `the document client is built with options ${code(obj)} the analyser cannot read (they may change how values are marshalled)` } : {};
  let undefinedThrows = kind === 'lib';
  const check = (options: t.ObjectExpression['properties'], known: (key: string) => boolean): string | undefined => {
    for (const p of options) {
      const key = p.type === 'ObjectProperty' && !p.computed ? keyName(p.key) : undefined;
      if (p.type !== 'ObjectProperty' || !key) return `the document client's options hold ${code(p)}, which the analyser cannot read`;
      if (!known(key)) continue;
      const value = literalBool(p.value);
      if (key === 'removeUndefinedValues' && value !== undefined) undefinedThrows = !value;
      else if (!(MODELLED.has(key) && value !== undefined) && value !== false) return `the document client is built with ${code(p)}, which marshals or unmarshals values otherwise than the state machine does`;
    }
    return undefined;
  };
  if (kind === 'v2') {
    // The rest of a v2 DocumentClient's options configure the service client (its region: clientConfigProblem).
    const problem = check(obj.properties, (k) => k === 'convertEmptyValues' || k === 'wrapNumbers' || k === 'params');
    return problem ? { problem } : {};
  }
  for (const p of obj.properties) {
    const key = p.type === 'ObjectProperty' && !p.computed ? keyName(p.key) : undefined;
    const inner = p.type === 'ObjectProperty' ? unwrapTs(p.value) : undefined;
    if ((key !== 'marshallOptions' && key !== 'unmarshallOptions') || inner?.type !== 'ObjectExpression') return { problem: `the document client is built with ${code(p)}, which the analyser cannot read` };
    const problem = check(inner.properties, () => true);
    if (problem) return { problem };
  }
  return undefinedThrows ? { undefinedThrows } : {};
}
