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

/** Why a client built with `config` (its constructor's first argument) cannot become a Task, if it cannot. */
export function clientConfigProblem(config: t.Node | undefined, code: (n: t.Node) => string): string | undefined {
  const obj = config && unwrapTs(config);
  if (obj?.type !== 'ObjectExpression') return undefined;
  for (const p of obj.properties) {
    if (p.type !== 'ObjectProperty' && p.type !== 'ObjectMethod') continue;
    const key = p.computed ? undefined : keyName(p.key);
    if (key === 'credentials') return `the client is built with its own credentials (${code(p)}): a Task calls the service with the state machine's execution role`;
    if (key === 'region' && p.type === 'ObjectProperty' && !OWN_REGION.test(dotted(p.value) ?? '')) {
      return `the client is built for region ${code(p.value)}: a Task calls the service in the state machine's own region, and the handler's region may be another`;
    }
  }
  return undefined;
}
