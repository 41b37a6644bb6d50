// `--routing split`: one state machine per route. Each is valid, none decides the route itself any more, and
// verify (choosing the machine API Gateway would select for each event) finds every one equivalent to the handler.
import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { validateAsl } from '../src/emit/validateAsl.js';
import { scanProject } from '../src/scan/scanProject.js';
import { verifyCase } from '../src/verify/verifyCase.js';
import { REPO_ROOT } from './support/goldenCases.js';

const FIXTURES = join(REPO_ROOT, 'rules', 'route-switch', 'fixtures');
const DEPS = join(REPO_ROOT, 'node_modules');

/** Choice rules that test $.event.<field>. */
function choicesOn(definition: unknown, field: string): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      if ((v as Record<string, unknown>)['Variable'] === `$.event.${field}`) n += 1;
      Object.values(v).forEach(visit);
    }
  };
  visit(definition);
  return n;
}

describe('--routing split', () => {
  test.each([
    ['routekey-crud-cors', 'routeKey', ['GET /products/{id}', 'GET /products', 'PUT /products/{id}', 'DELETE /products/{id}', 'default']],
    ['httpmethod-switch', 'httpMethod', ['GET', 'DELETE', 'default']],
    ['partial-route-calls-library', 'httpMethod', ['GET', 'PUT', 'default']],
    ['operation-payload-switch', 'operation', ['reserve', 'lookup', 'default']],
  ])('%s: one machine per route, no Choice on %s, all equivalent', async (name, field, routes) => {
    const dir = join(FIXTURES, name);
    const [f] = (await scanProject([dir], { cwd: dir, routing: 'split' })).findings;
    expect(f!.routeMachines?.map((r) => r.route)).toEqual(routes);
    for (const r of f!.routeMachines!) {
      expect(validateAsl(r.stateMachine.definition)).toEqual({ valid: true, errors: [] });
      expect(choicesOn(r.stateMachine.definition, field)).toBe(0);
    }
    // The Choice machine is still proposed, and it is the one deciding on the field.
    expect(choicesOn(f!.stateMachine!.definition, field)).toBeGreaterThan(0);
    const v = await verifyCase(dir, { cwd: dir, deps: DEPS, routing: 'split' });
    expect(v.events.filter((e) => !e.equal)).toEqual([]);
    expect(v.equivalent).toBe(true);
  });

  test('an if-chain cannot be split: one machine, and the assumption says why', async () => {
    const dir = join(FIXTURES, 'if-chain-method-resource');
    const [f] = (await scanProject([dir], { cwd: dir, routing: 'split' })).findings;
    expect(f!.routeMachines).toBeUndefined();
    expect(f!.assumptions.map((a) => a.message)).toContainEqual(expect.stringContaining('--routing split: split routing needs the handler to start with a switch on a route field'));
  });
});
