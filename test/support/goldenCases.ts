// Golden cases are data: a folder with handler source files and expected.json (+ optional expected.asl.json).
// They live in fixtures/cases/<case>/ and rules/<rule>/fixtures/<case>/. Adding a case is adding files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ExpectedFinding {
  file: string;
  export: string;
  convertible: 'full' | 'partial' | 'none';
  /** Each id must be among the finding's rules. */
  rules?: string[];
  /** Ids that must NOT be among the finding's rules. */
  notRules?: string[];
  /** Exact set of Resource ARNs (omit for `none`). */
  resources?: string[];
  /** Each entry must match one blocker: same rule, same line when given, message containing the text. */
  blockers?: Array<{ rule: string; line?: number; message: string }>;
  /** When true, the finding has exactly the listed blockers, no others. */
  onlyThoseBlockers?: boolean;
  /** Each text must appear in one assumption. */
  assumptions?: string[];
  substitutions?: Record<string, string>;
  eventSource?: string;
  /** Route labels in order; a label ending in " (stays)" is a route left to the original handler. */
  routes?: string[];
  /** The query language of the proposal (stateMachine.queryLanguage). */
  queryLanguage?: 'JSONPath' | 'JSONata';
  /** The API front door: `false` when none may be proposed; otherwise the exact response header names it carries over. */
  frontDoor?: false | { responseHeaders: string[] };
}

export interface ExpectedCase {
  description: string;
  /**
   * `--query-language` the case is scanned and verified with. Default `jsonpath`: the expectations of the cases written
   * before the JSONata emitter describe JSONPath proposals (test/queryLanguage.test.ts checks what auto and jsonata give).
   */
  queryLanguage?: 'auto' | 'jsonpath' | 'jsonata';
  /** For rule fixtures: does the case show the rule matching (positive) or not/blocked (negative)? */
  kind?: 'positive' | 'negative';
  findings: ExpectedFinding[];
  errors?: Array<{ file: string; message: string }>;
  /**
   * Variants verify derives that the proposal answers differently and states no assumption for: gaps of the
   * emitter, listed so that none is hidden; a new one, or one that no longer differs, fails the case.
   */
  knownVariantDifferences?: Array<{ variant: string; why: string }>;
}

export interface GoldenCase {
  name: string;
  dir: string;
  expected: ExpectedCase;
  /** expected.asl.json: the definition of the only finding, compared exactly. */
  expectedAsl?: unknown;
}

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

function casesUnder(dir: string, prefix: string): GoldenCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'expected.json')))
    .map((d) => {
      const caseDir = join(dir, d.name);
      const aslFile = join(caseDir, 'expected.asl.json');
      return {
        name: `${prefix}${d.name}`,
        dir: caseDir,
        expected: JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')) as ExpectedCase,
        expectedAsl: existsSync(aslFile) ? (JSON.parse(readFileSync(aslFile, 'utf8')) as unknown) : undefined,
      };
    });
}

export function allGoldenCases(): GoldenCase[] {
  const out = casesUnder(join(REPO_ROOT, 'fixtures', 'cases'), 'cases/');
  const rulesDir = join(REPO_ROOT, 'rules');
  for (const r of readdirSync(rulesDir, { withFileTypes: true })) {
    if (r.isDirectory()) out.push(...casesUnder(join(rulesDir, r.name, 'fixtures'), `${r.name}/`));
  }
  return out;
}

export function ruleFixtureCases(ruleId: string): GoldenCase[] {
  return casesUnder(join(REPO_ROOT, 'rules', ruleId, 'fixtures'), `${ruleId}/`);
}

export function rel(from: string, to: string): string {
  return relative(from, to);
}
