// Every rule has metadata, a README with before/after, and at least one positive and one negative fixture.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ALL_RULES } from '../rules/index.js';
import { REPO_ROOT, ruleFixtureCases } from './support/goldenCases.js';

describe.each(ALL_RULES.map((r) => [r.id, r] as const))('rule %s', (id, rule) => {
  test('metadata', () => {
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(rule.title.length).toBeGreaterThan(3);
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.stepFunctionsFeature.length).toBeGreaterThan(3);
    expect(rule.docs).toBe(`rules/${id}/README.md`);
  });

  test('README with before and after', () => {
    const file = join(REPO_ROOT, rule.docs);
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(new RegExp(`^# ${id}`));
    expect(text).toMatch(/^## Before/m);
    expect(text).toMatch(/^## After/m);
  });

  test('positive and negative fixtures', () => {
    const cases = ruleFixtureCases(id);
    expect(cases.filter((c) => c.expected.kind === 'positive').length).toBeGreaterThanOrEqual(1);
    expect(cases.filter((c) => c.expected.kind === 'negative').length).toBeGreaterThanOrEqual(1);
    // A positive fixture shows the rule matching.
    for (const c of cases.filter((x) => x.expected.kind === 'positive')) {
      expect(c.expected.findings.some((f) => f.rules?.includes(id))).toBe(true);
    }
  });
});
