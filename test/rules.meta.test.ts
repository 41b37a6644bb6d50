// Every rule folder holds a registered rule: its module, a README with before/after, at least one positive and one
// negative fixture, and metadata whose every message is reported somewhere (by message id, in the rule's own code
// or in the core) and names only messages the rule declares.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ALL_RULES } from '../rules/index.js';
import { REPO_ROOT, ruleFixtureCases } from './support/goldenCases.js';

const RULES_DIR = join(REPO_ROOT, 'rules');
const ruleFolders = readdirSync(RULES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

/** TypeScript files under `dir`, without the sample projects in fixtures/. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.split(/[\\/]/).includes('fixtures'))
    .map((f) => join(dir, f));
}

const read = (f: string) => readFileSync(f, 'utf8');
const coreSources = codeFiles(join(REPO_ROOT, 'src')).map((f) => ({ file: relative(REPO_ROOT, f), text: read(f) }));

/**
 * The message ids a text reports for rule `id`: `rule.message('x')` / `rule.failure('x', …)` (the rule's context,
 * own code only) and `ruleMessage('<id>', 'x')` (by rule id; in its own code the id may be its ID constant).
 */
function messageIdsIn(text: string, id: string, own: boolean): string[] {
  const ruleId = own ? `(?:ID|'${id}')` : `'${id}'`;
  const patterns = [new RegExp(`\\bruleMessage\\((?:[\\w.]+,\\s*)?${ruleId},\\s*'(\\w+)'`, 'g')];
  if (own) patterns.push(/\.(?:message|failure)\(\s*'(\w+)'/g);
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]!));
}

describe('rule folders', () => {
  test('every folder under rules/ is a registered rule, and every registered rule has its folder', () => {
    expect(ruleFolders).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  test.each(ruleFolders)('%s has its module', (folder) => {
    expect(existsSync(join(RULES_DIR, folder, 'index.ts'))).toBe(true);
  });

  test('the message-id scan finds what it should and nothing else', () => {
    const own = "throw this.rule.failure('finally', at); lx.assume(1, rule.message('v1'), ID); lx.ruleMessage(ID, 'effect', {}); e.message;";
    expect(messageIdsIn(own, 'x-rule', true).sort()).toEqual(['effect', 'finally', 'v1']);
    expect(messageIdsIn(own, 'x-rule', false)).toEqual([]);
    const core = "this.ruleMessage('x-rule', 'kept', {}); ruleMessage(RULES, 'x-rule', 'other'); ruleMessage(RULES, 'y-rule', 'not-mine');";
    expect(messageIdsIn(core, 'x-rule', false).sort()).toEqual(['kept', 'other']);
  });
});

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

  test('every message is reported by its id, and only declared messages are', () => {
    const own = codeFiles(join(RULES_DIR, id)).flatMap((f) => messageIdsIn(read(f), id, true));
    const core = coreSources.flatMap((s) => messageIdsIn(s.text, id, false));
    const used = new Set([...own, ...core]);
    const declared = Object.keys(rule.messages);
    expect(declared.filter((m) => !used.has(m))).toEqual([]);
    expect([...used].filter((m) => !declared.includes(m))).toEqual([]);
  });
});
