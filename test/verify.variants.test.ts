// The variants verify derives on its own: what they change, and that they catch an unsafe proposal that the
// recorded events alone do not (a mutation of the proposal with no hand-written event for the difference).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { AslState, Finding } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { VariantPlanner } from '../src/verify/variants.js';
import { verifyCase } from '../src/verify/verifyCase.js';
import { REPO_ROOT } from './support/goldenCases.js';

const DEPS = join(REPO_ROOT, 'node_modules');
const CASE = join(REPO_ROOT, 'fixtures', 'cases', 'item-attribute-missing');
const ORDERS = [{ TableName: 'orders', KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' as const }] }];
const item = { orderId: { S: 'o-1' }, status: { S: 'NEW' }, total: { N: '42.5' } };
const before = { orders: [JSON.stringify(item), JSON.stringify({ orderId: { S: 'o-2' } })] };

describe('VariantPlanner', () => {
  test('an item read: each non-key attribute absent, NULL and of another type; the table empty', () => {
    const variants = new VariantPlanner(ORDERS).plan({ orderId: 'o-1' }, before, [{ table: 'orders', item }]);
    const items = (name: string) => variants.find((v) => v.name === name)!.tables['orders']!.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(variants.filter((v) => !v.name.startsWith('request')).map((v) => v.name)).toEqual([
      'item o-1 without status', 'item o-1 with status NULL', 'item o-1 with status as a number',
      'item o-1 without total', 'item o-1 with total NULL', 'item o-1 with total as a string',
      'table orders empty',
    ]);
    expect(items('item o-1 without status')).toContainEqual({ orderId: { S: 'o-1' }, total: { N: '42.5' } });
    expect(items('item o-1 with total as a string')).toContainEqual({ orderId: { S: 'o-1' }, status: { S: 'NEW' }, total: { S: '42.5' } });
    // The other item stays as it was; the key is never changed.
    expect(items('item o-1 with status NULL')).toContainEqual({ orderId: { S: 'o-2' } });
    expect(variants.some((v) => v.name.includes('orderId') && v.name.startsWith('item'))).toBe(false);
    expect(variants.find((v) => v.name === 'table orders empty')!.tables['orders']).toEqual([]);
  });

  test('a direct invocation: each top-level field absent and null, empty only when it is a string', () => {
    const names = new VariantPlanner(ORDERS).plan({ orderId: 'o-1', qty: 2 }, before, []).map((v) => v.name);
    expect(names).toEqual(['request without orderId', 'request with orderId empty', 'request with orderId null', 'request without qty', 'request with qty null']);
  });

  test('an API request: the JSON body fields and the query string, not what API Gateway sets', () => {
    const event = { httpMethod: 'POST', resource: '/orders', pathParameters: null, requestContext: { stage: 'prod' }, queryStringParameters: { dryRun: 'yes' }, body: JSON.stringify({ total: 5, note: 'hi' }) };
    const variants = new VariantPlanner(ORDERS).plan(event, before, []);
    expect(variants.map((v) => v.name)).toEqual([
      'request without body.total', 'request with body.total null',
      'request without body.note', 'request with body.note empty', 'request with body.note null',
      'request without queryStringParameters.dryRun', 'request with queryStringParameters.dryRun empty',
    ]);
    expect(variants[0]!.event).toEqual({ ...event, body: '{"note":"hi"}' });
    // No parameter left: a REST API sends null.
    expect((variants[5]!.event as { queryStringParameters: unknown }).queryStringParameters).toBeNull();
  });

  test('each change is planned once across events', () => {
    const planner = new VariantPlanner(ORDERS);
    expect(planner.plan({ orderId: 'o-1' }, before, [{ table: 'orders', item }]).length).toBeGreaterThan(0);
    expect(planner.plan({ orderId: 'o-1' }, before, [{ table: 'orders', item }])).toEqual([]);
  });
});

describe('verify with variants', () => {
  /** The case folder with only the first recorded event: nothing in it reads an item without an attribute. */
  function oneEventCase(): string {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-variants-'));
    for (const f of ['handler.ts', 'tables.json', 'env.json']) copyFileSync(join(CASE, f), join(dir, f));
    const events = JSON.parse(readFileSync(join(CASE, 'events.json'), 'utf8')) as unknown[];
    writeFileSync(join(dir, 'events.json'), JSON.stringify([events[0]]));
    return dir;
  }

  test('finds on its own an unguarded read of an optional attribute (a mutated proposal)', async () => {
    const dir = oneEventCase();
    const [finding] = (await scanProject([dir], { cwd: dir, queryLanguage: 'jsonpath' })).findings as [Finding];
    const states = finding.stateMachine!.definition.States as Record<string, AslState>;
    // The proposal as it was before attributes of a found item were optional: status read without a presence check.
    const guard = states['Has status?'] as unknown as { Choices: Array<Record<string, unknown>> };
    expect(guard).toBeDefined();
    guard.Choices[0] = { Variable: '$.vars.get1.Item', IsPresent: true, Next: guard.Choices[0]!['Next'] };
    const r = await verifyCase(dir, { cwd: dir, deps: DEPS, findings: [finding] });
    expect(r.events.map((e) => e.equal)).toEqual([true]);
    const missing = r.variants.find((v) => v.name === 'variant: item o-1 without status')!;
    expect(missing).toMatchObject({ equal: false, from: 'a new order' });
    expect(missing.stated).toBeUndefined();
    expect(missing.reason).toContain('Item.status.S');
    expect(r.equivalent).toBe(false);
  });

  test('the proposal as scanned agrees on the same variants; a stated type difference does not count against it', async () => {
    const dir = oneEventCase();
    const r = await verifyCase(dir, { cwd: dir, deps: DEPS, queryLanguage: 'jsonpath' });
    const differing = r.variants.filter((v) => !(v.equal && v.tables.equal && v.sideEffects.equal));
    expect(r.variants.find((v) => v.name === 'variant: item o-1 without status')!.equal).toBe(true);
    expect(differing.length).toBeGreaterThan(0);
    for (const v of differing) expect(v.stated).toContain('types it states');
    expect(r.equivalent).toBe(true);
  });

  test('--no-variants runs the recorded events only', async () => {
    const r = await verifyCase(oneEventCase(), { cwd: REPO_ROOT, deps: DEPS, variants: false });
    expect(r.variants).toEqual([]);
    expect(r.events).toHaveLength(1);
  });
});
