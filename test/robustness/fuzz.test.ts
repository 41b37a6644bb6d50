// Property-based fuzzing: the handlers of the golden cases, the example projects and the demo, mutated (tokens
// deleted, duplicated, swapped, replaced; text truncated; unicode injected; identifiers renamed; operators and
// literals flipped; statements reordered). Whatever the mutation, scan answers (never throws) and every definition
// it proposes validates; and wherever the folder has recorded events, a proposal of the mutated handler must do
// what the mutated handler does on them: a difference there is a proposal that is wrong, not just incomplete.
// Fixed seed and run counts; FUZZ_RUNS=N runs N cases of each property, FUZZ_SEED another seed.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { validateAsl } from '../../src/emit/validateAsl.js';
import { scanProject } from '../../src/scan/scanProject.js';
import type { Finding, ScanReport } from '../../src/report/types.js';
import { NO_HANDLER_FOR_EVENT, verifyCase } from '../../src/verify/verifyCase.js';
import { allGoldenCases, REPO_ROOT } from '../support/goldenCases.js';
import { applyMutation, type Mutation } from '../support/mutateSource.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 0);
const SEED = Number(process.env['FUZZ_SEED'] ?? 16_2026);
const SCAN_RUNS = RUNS || 300;
const VERIFY_RUNS = RUNS || 30;
// Room in proportion to the runs: a hang is what the timeout catches, not a slow machine (30 verify cases take
// 1-2 minutes on a loaded 2-core machine).
const TIMEOUT = 120_000 + (RUNS || VERIFY_RUNS) * 10_000;
const DEPS = join(REPO_ROOT, 'node_modules');
const SOURCE = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx']);

interface Subject {
  name: string;
  dir: string;
  /** Handler sources, relative to dir. */
  files: string[];
  queryLanguage?: 'auto' | 'jsonpath' | 'jsonata';
  hasEvents: boolean;
}

function sourcesUnder(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((d) => {
    const rel = join(sub, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : sourcesUnder(dir, rel);
    return SOURCE.has(extname(d.name)) && !d.name.endsWith('.d.ts') && d.name !== 'run-handlers.mjs' ? [rel] : [];
  });
}

function subjects(): Subject[] {
  const out: Subject[] = allGoldenCases().map((c) => ({ name: c.name, dir: c.dir, files: sourcesUnder(c.dir), queryLanguage: c.expected.queryLanguage ?? 'jsonpath', hasEvents: existsSync(join(c.dir, 'events.json')) }));
  const examples = join(REPO_ROOT, 'fixtures', 'examples');
  for (const d of readdirSync(examples, { withFileTypes: true })) {
    if (d.isDirectory()) out.push({ name: `examples/${d.name}`, dir: join(examples, d.name), files: sourcesUnder(join(examples, d.name)), hasEvents: existsSync(join(examples, d.name, 'events.json')) });
  }
  const demo = join(REPO_ROOT, 'fixtures', 'demo');
  out.push({ name: 'demo', dir: demo, files: sourcesUnder(demo), hasEvents: true });
  return out.filter((s) => s.files.length > 0);
}

const ALL = subjects();
const WITH_EVENTS = ALL.filter((s) => s.hasEvents);

const index = fc.nat({ max: 10_000 });
const anyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: index }),
  fc.record({ op: fc.constant('duplicate' as const), at: index }),
  fc.record({ op: fc.constant('swap' as const), at: index, by: fc.nat({ max: 4 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: index }),
  fc.record({ op: fc.constant('unicode' as const), at: index, offset: fc.nat({ max: 20 }), snippet: fc.nat({ max: 20 }) }),
  fc.record({ op: fc.constant('rename' as const), at: index, name: fc.nat({ max: 30 }) }),
  fc.record({ op: fc.constant('renameOne' as const), at: index, name: fc.nat({ max: 30 }) }),
  fc.record({ op: fc.constant('flip' as const), at: index, choice: fc.nat({ max: 3 }) }),
  fc.record({ op: fc.constant('literal' as const), at: index, choice: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('replace' as const), at: index, with: index }),
  fc.record({ op: fc.constant('reorder' as const), at: index }),
);
// For the verify property: mutations that mostly keep the text parsing, so that the handler still gets a proposal.
const parsingMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('flip' as const), at: index, choice: fc.nat({ max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('literal' as const), at: index, choice: fc.nat({ max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), at: index, name: fc.nat({ max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reorder' as const), at: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renameOne' as const), at: index, name: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unicode' as const), at: index, offset: fc.nat({ max: 20 }), snippet: fc.nat({ max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: index }) },
);

interface Mutant {
  subject: Subject;
  file: string;
  original: string;
  text: string;
  mutations: Mutation[];
  dir: string;
}

/** A copy of the subject's folder with one of its files mutated. */
function makeMutant(subject: Subject, fileIndex: number, mutations: Mutation[]): Mutant {
  const file = subject.files[fileIndex % subject.files.length]!;
  const original = readFileSync(join(subject.dir, file), 'utf8');
  const typescript = /\.[mc]?tsx?$/.test(file);
  const text = mutations.reduce((t, m) => applyMutation(t, m, typescript), original);
  const dir = mkdtempSync(join(tmpdir(), 'l2s-fuzz-'));
  cpSync(subject.dir, dir, { recursive: true });
  writeFileSync(join(dir, file), text);
  return { subject, file, original, text, mutations, dir };
}

function describeMutant(m: Mutant): string {
  const patch = createTwoFilesPatch(m.file, m.file, m.original, m.text, '', '', { context: 1 }).split('\n').slice(2, 40).join('\n');
  return `${m.subject.name}: ${m.file} after ${JSON.stringify(m.mutations)}\n${patch}`;
}

function definitionProblems(report: ScanReport): string[] {
  const problems: string[] = [];
  for (const f of report.findings) {
    const machines = [f.stateMachine, ...(f.routeMachines ?? []).map((r) => r.stateMachine)];
    for (const sm of machines) {
      if (!sm) continue;
      const v = validateAsl(sm.definition);
      if (!v.valid) problems.push(`${f.file}#${f.export}: ${v.errors.join('; ')}`);
    }
  }
  return problems;
}

/**
 * A difference the proposal states it takes for granted: the machine fails reading an event field by path that an
 * assumption says is in every event (or a path parameter, which API Gateway's route guarantees).
 */
function statedDifference(e: { file: string; export: string; stateMachine: unknown; reason?: string }, findings: Finding[]): boolean {
  // Through a front door the failure is a 502; the reason keeps the machine's error.
  const message = `${e.reason ?? ''} ${JSON.stringify(e.stateMachine ?? '')}`;
  const path = /Path expression \\?'\$\.event\.([\w.]+)\\?' does not point to a value/.exec(message)?.[1];
  if (!path) return false;
  const f = findings.find((x) => x.file === e.file && x.export === e.export);
  const [top] = path.split('.');
  return !!f?.assumptions.some((a) => (top === 'pathParameters' && a.message.startsWith('every path parameter of the route is present')) || new RegExp(`(^|, )event\\.${top}\\b[^:]*(is|are) taken to be in every event`).test(a.message));
}

const fresh = () => ({ scans: 0, withErrors: 0, slowestScanMs: 0, slowest: '', verdicts: {} as Record<string, number>, verified: 0, verifyRefused: [] as string[] });
let stats = fresh();
const count = (key: string) => (stats.verdicts[key] = (stats.verdicts[key] ?? 0) + 1);

async function scanMutant(m: Mutant): Promise<ScanReport> {
  const started = Date.now();
  const report = await scanProject([m.dir], { cwd: m.dir, queryLanguage: m.subject.queryLanguage });
  const ms = Date.now() - started;
  stats.scans += 1;
  if (report.errors.length) stats.withErrors += 1;
  // How long a scan took is only reported, never asserted: Jest's timeout is what catches a hang.
  if (ms > stats.slowestScanMs) Object.assign(stats, { slowestScanMs: ms, slowest: `${m.subject.name}: ${m.file} after ${JSON.stringify(m.mutations)}` });
  return report;
}

function report(name: string, failures: string[]): void {
  if (!RUNS) return;
  console.log(`${name} (seed ${SEED}, ${RUNS} runs): ${JSON.stringify(stats, null, 1)}`);
  if (process.env['FUZZ_REPORT']) writeFileSync(`${process.env['FUZZ_REPORT']}.${name.split(' ')[0]}.json`, JSON.stringify({ name, seed: SEED, runs: RUNS, ...stats, failures }, null, 1));
}

describe('fuzzed handlers', () => {
  test('scan never throws and every definition it proposes validates', async () => {
    const failures: string[] = [];
    stats = fresh();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ALL), fc.nat(), fc.array(anyMutation, { minLength: 1, maxLength: 3 }), async (subject, fileIndex, mutations) => {
        const m = makeMutant(subject, fileIndex, mutations);
        try {
          const r = await scanMutant(m);
          for (const f of r.findings) if (f.file === m.file) count(f.convertible);
          for (const p of definitionProblems(r)) failures.push(`${describeMutant(m)}\ninvalid definition: ${p}`);
        } catch (e) {
          failures.push(`${describeMutant(m)}\nscan threw: ${(e as Error).stack}`);
        } finally {
          rmSync(m.dir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: SCAN_RUNS, endOnFailure: true },
    );
    report('scan property', failures);
    expect(failures).toEqual([]);
  }, TIMEOUT);

  test('a proposal for a mutated handler does what the mutated handler does on the recorded events', async () => {
    const failures: string[] = [];
    stats = fresh();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WITH_EVENTS), fc.nat(), fc.array(parsingMutation, { minLength: 1, maxLength: 2 }), async (subject, fileIndex, mutations) => {
        const m = makeMutant(subject, fileIndex, mutations);
        try {
          if (m.text === m.original) return;
          const r = await scanMutant(m);
          for (const p of definitionProblems(r)) failures.push(`${describeMutant(m)}\ninvalid definition: ${p}`);
          const proposed = r.findings.filter((f: Finding) => f.stateMachine && f.convertible !== 'none');
          if (!proposed.length) return;
          // A call the handler does not await may land before or after it answers: its own runs disagree, nothing to compare.
          if (r.findings.some((f) => f.blockers.some((b) => /is not awaited|calls a service/.test(b.message)))) return;
          for (const f of r.findings) if (f.file === m.file) count(`verified ${f.convertible}`);
          let v;
          try {
            v = await verifyCase(m.dir, { cwd: m.dir, deps: DEPS, queryLanguage: m.subject.queryLanguage, findings: r.findings, variants: false });
          } catch (e) {
            // verify refuses what it cannot run (a handler that does not load or never answers): not a difference.
            if ((e as { exitCode?: number }).exitCode === 2) {
              stats.verifyRefused.push(`${m.subject.name} ${JSON.stringify(m.mutations)}: ${(e as Error).message.slice(0, 200)}`);
              return;
            }
            throw e;
          }
          stats.verified += 1;
          const differing = v.events.filter((e) => !e.equal && e.reason !== NO_HANDLER_FOR_EVENT && !e.reason?.startsWith('not run:') && !statedDifference(e, r.findings));
          if (differing.length || !v.tables.equal || !v.sideEffects.equal) {
            const verdicts = r.findings.map((f) => `${f.file}#${f.export}: ${f.convertible}`).join(', ');
            const diffs = [...differing.map((e) => `event "${e.name}" (${e.reason ?? 'responses differ'}):\n${e.diff}`), v.tables.diff, v.sideEffects.diff].filter(Boolean).join('\n').slice(0, 2500);
            failures.push(`${describeMutant(m)}\nverdicts: ${verdicts}\n${diffs}`);
          }
        } catch (e) {
          failures.push(`${describeMutant(m)}\nthrew: ${(e as Error).stack}`);
        } finally {
          rmSync(m.dir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: VERIFY_RUNS, endOnFailure: true },
    );
    report('verify property', failures);
    expect(failures).toEqual([]);
  }, TIMEOUT);
});
