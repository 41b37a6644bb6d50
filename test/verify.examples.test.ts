// verify end to end: the example projects' handlers (fixtures/examples) (run for real in a child process) against their proposals,
// and mutated proposals that the verifier must report as different.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { AslState, Finding, ScanReport } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { verifyCase } from '../src/verify/verifyCase.js';
import { REPO_ROOT } from './support/goldenCases.js';

const EXAMPLES = join(REPO_ROOT, 'fixtures', 'examples');
const DEPS = join(REPO_ROOT, 'node_modules');
const cases = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'events.json')));

let report: ScanReport;
beforeAll(async () => {
  report = await scanProject([EXAMPLES], { cwd: REPO_ROOT });
});

function proposalOf(name: string): Finding | undefined {
  const expected = JSON.parse(readFileSync(join(EXAMPLES, name, 'expected.json'), 'utf8')) as { handlers: Array<{ file: string; export: string | null }> };
  const h = expected.handlers[0]!;
  return report.findings.find((f) => f.file === `${name}/${h.file}` && f.export === h.export);
}

/** The finding as the case folder sees it (paths relative to the case), with its definition changed. */
function mutated(name: string, change: (states: Record<string, AslState>) => void): Finding[] {
  const f = structuredClone(proposalOf(name)!);
  f.file = f.file.slice(name.length + 1);
  if (f.stateMachine?.residual) f.stateMachine.residual.file = f.stateMachine.residual.file.slice(name.length + 1);
  change(f.stateMachine!.definition.States);
  return [f];
}

describe('verify on the example projects', () => {
  test.each(cases)('%s: every proposal is equivalent to the handler', async (name) => {
    const f = proposalOf(name);
    const r = await verifyCase(join(EXAMPLES, name), { cwd: REPO_ROOT, deps: DEPS });
    if (!f || f.convertible === 'none') {
      // Nothing is proposed: verify says so for every event and is not "equivalent".
      expect(r.equivalent).toBe(false);
      expect(r.events.every((e) => !e.equal && /no state machine is proposed/.test(e.reason ?? ''))).toBe(true);
      return;
    }
    expect({ events: r.events.filter((e) => !e.equal), tables: r.tables, sideEffects: r.sideEffects }).toEqual({ events: [], tables: { equal: true, diff: '' }, sideEffects: { equal: true, diff: '' } });
    // The derived variants agree, or differ only where the proposal states what it assumes, or are listed gaps.
    const known = (JSON.parse(readFileSync(join(EXAMPLES, name, 'expected.json'), 'utf8')) as { knownVariantDifferences?: Array<{ variant: string }> }).knownVariantDifferences ?? [];
    const differing = r.variants.filter((v) => !v.stated && !(v.equal && v.tables.equal && v.sideEffects.equal)).map((v) => v.name.replace(/^variant: /, ''));
    expect(differing.sort()).toEqual(known.map((k) => k.variant).sort());
    expect(r.equivalent).toBe(known.length === 0);
    const events = JSON.parse(readFileSync(join(EXAMPLES, name, 'events.json'), 'utf8')) as unknown[];
    expect(r.events).toHaveLength(events.length);
  });
});

describe('verify catches a wrong proposal', () => {
  test('a Catch that no longer matches (04: the conditional update failure must answer 404)', async () => {
    const findings = mutated('04-update-returnvalues', (s) => {
      for (const st of Object.values(s)) for (const c of (st['Catch'] as Array<{ ErrorEquals: string[] }> | undefined) ?? []) c.ErrorEquals = ['DynamoDB.ResourceNotFoundException'];
    });
    const r = await verifyCase(join(EXAMPLES, '04-update-returnvalues'), { cwd: REPO_ROOT, deps: DEPS, findings });
    expect(r.equivalent).toBe(false);
    const wrong = r.events.find((e) => !e.equal);
    expect(wrong?.reason).toMatch(/^the state machine failed \(DynamoDB\.ConditionalCheckFailedException: .+\), the handler answered$/);
    // Judged as HTTP: the client would now get API Gateway's 502 instead of the handler's 404.
    expect(wrong).toMatchObject({ throughFrontDoor: true, handler: { statusCode: 404 }, stateMachine: { statusCode: 502, body: { json: { message: 'Internal server error' } } } });
  });

  test('a wrong status code (02: 404 → 410)', async () => {
    const findings = mutated('02-v3-get-404', (s) => {
      for (const st of Object.values(s)) {
        for (const field of ['Result', 'Parameters']) {
          const response = st[field] as { statusCode?: number } | undefined;
          if (response?.statusCode === 404) response.statusCode = 410;
        }
      }
    });
    const r = await verifyCase(join(EXAMPLES, '02-v3-get-404'), { cwd: REPO_ROOT, deps: DEPS, findings });
    expect(r.equivalent).toBe(false);
    const bad = r.events.filter((e) => !e.equal);
    expect(bad.map((e) => e.name)).toEqual(['unknown ticket']);
    expect(bad[0]!.diff).toContain('410');
  });

  test('a wrong attribute type (06: rating written as S instead of N)', async () => {
    const findings = mutated('06-uuid-put-sns', (s) => {
      const item = (s['PutItem']!['Parameters'] as { Item: Record<string, Record<string, string>> }).Item;
      item['rating'] = { 'S.$': 'States.Format(\'{}\', $.vars.item.rating)' };
    });
    const r = await verifyCase(join(EXAMPLES, '06-uuid-put-sns'), { cwd: REPO_ROOT, deps: DEPS, findings });
    expect(r.equivalent).toBe(false);
    expect(r.tables.equal).toBe(false);
    expect(r.tables.diff).toMatch(/rating[^}]*"S[^}]*"4/);
  });

  test('a wrong key (01: the book is looked up under another key value)', async () => {
    const findings = mutated('01-v2-get-promise', (s) => {
      const params = s['GetItem']!['Parameters'] as { Key: Record<string, Record<string, string>> };
      params.Key['isbn'] = { 'S.$': 'States.Format(\'{}-x\', $.event.pathParameters.isbn)' };
    });
    const r = await verifyCase(join(EXAMPLES, '01-v2-get-promise'), { cwd: REPO_ROOT, deps: DEPS, findings });
    expect(r.equivalent).toBe(false);
    expect(r.events.some((e) => !e.equal)).toBe(true);
  });
});
