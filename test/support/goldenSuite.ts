// Every golden case: scan its folder, compare the findings with expected.json (and expected.asl.json),
// validate every definition, verify it with its variants, and check that the prefilter changes nothing. The cases
// are split into shards (test/golden.*.test.ts) so that Jest runs them on every worker.
import { describe, expect, test } from '@jest/globals';
import { validateAsl } from '../../src/emit/validateAsl.js';
import { scanProject } from '../../src/scan/scanProject.js';
import type { Finding } from '../../src/report/types.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { allGoldenCases, REPO_ROOT, type ExpectedFinding } from './goldenCases.js';
import { verifyCase } from '../../src/verify/verifyCase.js';


function check(f: Finding, e: ExpectedFinding): void {
  expect({ file: f.file, export: f.export, convertible: f.convertible }).toEqual({ file: e.file, export: e.export, convertible: e.convertible });
  for (const r of e.rules ?? []) expect(f.rules).toContain(r);
  for (const r of e.notRules ?? []) expect(f.rules).not.toContain(r);
  if (e.resources) expect(f.stateMachine?.resources ?? []).toEqual([...e.resources].sort());
  if (e.convertible === 'none') expect(f.stateMachine).toBeUndefined();
  if (e.convertible === 'full') expect(f.blockers).toEqual([]);
  for (const b of e.blockers ?? []) {
    const hit = f.blockers.find((x) => x.rule === b.rule && (b.line === undefined || x.line === b.line) && x.message.includes(b.message));
    if (!hit) throw new Error(`no blocker ${JSON.stringify(b)} among ${JSON.stringify(f.blockers, null, 2)}`);
  }
  if (e.onlyThoseBlockers) expect(f.blockers.length).toBe(e.blockers?.length ?? 0);
  if (e.convertible !== 'none' && !e.blockers) expect(f.blockers.filter((b) => b.rule !== 'residual-lambda')).toEqual([]);
  for (const a of e.assumptions ?? []) {
    if (!f.assumptions.some((x) => x.message.includes(a))) throw new Error(`no assumption containing ${JSON.stringify(a)} among ${JSON.stringify(f.assumptions.map((x) => x.message), null, 2)}`);
  }
  if (e.substitutions) expect(f.stateMachine?.substitutions).toEqual(e.substitutions);
  if (e.eventSource) expect(f.eventSource).toBe(e.eventSource);
  if (e.queryLanguage) expect(f.stateMachine?.queryLanguage).toBe(e.queryLanguage);
  if (e.routes) expect((f.routes ?? []).map((r) => (r.convertible === 'full' ? r.route : `${r.route} (stays)`))).toEqual(e.routes);
  if (e.frontDoor === false) expect(f.stateMachine?.frontDoor).toBeUndefined();
  else if (e.frontDoor) {
    const set = [...(f.stateMachine?.frontDoor?.responseTemplate ?? '').matchAll(/responseOverride\.header\.([A-Za-z0-9_-]+) =/g)].map((m) => m[1]);
    expect(set.sort()).toEqual([...e.frontDoor.responseHeaders].sort());
  }
}

/** The golden cases whose index is `shard` modulo `of`; shard 0 also checks the suite as a whole. */
export function describeGolden(shard: number, of: number): void {
  const all = allGoldenCases();
  const cases = all.filter((_c, i) => i % of === shard);
  describe(`golden cases (shard ${shard + 1} of ${of})`, () => {
    if (shard === 0) test('every full case carries events that verify runs', () => {
      const missing = all.filter((c) => c.expected.findings.some((f) => f.convertible === 'full') && !existsSync(join(c.dir, 'events.json'))).map((c) => c.name);
      expect(missing).toEqual([]);
    });

    if (shard === 0) test('there are at least 40 cases, 10 of them with blockers', () => {
      expect(all.length).toBeGreaterThanOrEqual(40);
      const withBlockers = all.filter((c) => c.expected.findings.some((f) => f.convertible !== 'full'));
      expect(withBlockers.length).toBeGreaterThanOrEqual(10);
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const queryLanguage = c.expected.queryLanguage ?? 'jsonpath';
      const report = await scanProject([c.dir], { cwd: c.dir, queryLanguage });
      expect(report.findings.map((f) => `${f.file}#${f.export}`)).toEqual(c.expected.findings.map((f) => `${f.file}#${f.export}`));
      c.expected.findings.forEach((e, i) => check(report.findings[i]!, e));
      expect(report.errors.map((e) => e.file)).toEqual((c.expected.errors ?? []).map((e) => e.file));
      (c.expected.errors ?? []).forEach((e, i) => expect(report.errors[i]!.message).toContain(e.message));
      for (const f of report.findings) {
        if (f.stateMachine) expect(validateAsl(f.stateMachine.definition)).toEqual({ valid: true, errors: [] });
      }
      if (c.expectedAsl) expect(report.findings[0]?.stateMachine?.definition).toEqual(c.expectedAsl);
      // Cases with events.json: verify runs the handler and the proposal side by side; they must be equivalent.
      if (existsSync(join(c.dir, 'events.json'))) {
        const v = await verifyCase(c.dir, { cwd: c.dir, deps: join(REPO_ROOT, 'node_modules'), queryLanguage });
        expect({ events: v.events.filter((e) => !e.equal), tables: v.tables, sideEffects: v.sideEffects }).toEqual({ events: [], tables: { equal: true, diff: '' }, sideEffects: { equal: true, diff: '' } });
        // Every derived variant agrees too, or differs only where the proposal states what it assumes, or is a listed gap.
        const differing = v.variants.filter((x) => !x.stated && !(x.equal && x.tables.equal && x.sideEffects.equal)).map((x) => x.name.replace(/^variant: /, ''));
        const known = (c.expected.knownVariantDifferences ?? []).map((k) => k.variant);
        expect(differing.sort()).toEqual([...known].sort());
        expect(v.equivalent).toBe(known.length === 0);
      }
      // The prefilter must never change which handlers are found.
      const unfiltered = await scanProject([c.dir], { cwd: c.dir, prefilter: false, queryLanguage });
      expect(unfiltered.findings).toEqual(report.findings);
    });
  });
}
