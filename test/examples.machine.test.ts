// Differential check of the proposals for the shared examples: every `full` state machine is run on an embedded
// DynamoDB with the recorded events, and must answer exactly as the real handler did (events.json was recorded by
// running the handlers), leave the same table contents (final-tables.json) and make the same calls (side-effects.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Finding, ScanReport } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { createTables, dumpTables, startLocalDynamo, type LocalDynamo, type TableSpec } from '../src/verify/localDynamo.js';
import { comparableResponse, normalizeValue } from '../src/verify/normalize.js';
import { runDefinition, substitute, type SideEffect } from '../src/verify/runStateMachine.js';
import { REPO_ROOT } from './support/goldenCases.js';

const EXAMPLES = join(REPO_ROOT, '..', 'shared', 'examples');
const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

interface RecordedEvent {
  name: string;
  file?: string;
  export?: string;
  event: unknown;
  expected_response?: unknown;
  expected_error?: { errorType: string; errorMessage: string };
  compare?: 'status';
}

/** Strings present in the inputs are not "generated" and must not be normalised away. */
function inputStrings(...docs: unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  docs.forEach(walk);
  return out;
}

let report: ScanReport;
beforeAll(async () => {
  report = await scanProject([EXAMPLES], { cwd: REPO_ROOT });
});

const cases = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'events.json'))) : [];

describe.each(cases)('%s', (name) => {
  const dir = join(EXAMPLES, name);
  let local: LocalDynamo | undefined;
  afterAll(async () => local?.close());

  test('every full proposal answers the recorded events like the handler', async () => {
    const expected = read<{ handlers: Array<{ file: string; export: string | null }> }>(join(dir, 'expected.json'));
    const findings = expected.handlers
      .map((h) => report.findings.find((f) => f.file === `${name}/${h.file}` && f.export === h.export))
      .filter((f): f is Finding => f?.convertible === 'full');
    if (findings.length === 0) return; // partial proposals need the residual Lambda run: the verify issue covers them
    const tables = read<TableSpec[]>(join(dir, 'tables.json'));
    const env = existsSync(join(dir, 'env.json')) ? read<Record<string, string>>(join(dir, 'env.json')) : {};
    const events = read<RecordedEvent[]>(join(dir, 'events.json'));
    local = await startLocalDynamo();
    await createTables(local.client, tables);
    const sideEffects: SideEffect[] = [];
    const keep = inputStrings(events.map((e) => e.event), tables);
    const first = expected.handlers[0]!;
    for (const e of events) {
      const f = findings.find((x) => x.file === `${name}/${e.file ?? first.file}` && x.export === (e.export ?? first.export));
      if (!f) continue;
      const values = Object.fromEntries(Object.entries(f.stateMachine!.substitutions).map(([k, v]) => [k, env[v.replace(/^process\.env\./, '')] ?? '']));
      const outcome = await runDefinition(substitute(f.stateMachine!.definition, values), e.event, { client: local.client, sideEffects });
      if (e.expected_error) {
        expect({ event: e.name, failed: !outcome.ok }).toEqual({ event: e.name, failed: true });
        continue;
      }
      if (!outcome.ok) throw new Error(`${e.name}: the state machine failed (${outcome.error}: ${outcome.cause}); the handler answered ${JSON.stringify(e.expected_response)}`);
      const now = Date.now();
      const got = comparableResponse(outcome.output, { keep, now }) as { statusCode: unknown };
      const want = comparableResponse(e.expected_response, { keep, now }) as { statusCode: unknown };
      if (e.compare === 'status') expect({ event: e.name, statusCode: got.statusCode }).toEqual({ event: e.name, statusCode: want.statusCode });
      else expect({ event: e.name, response: got }).toEqual({ event: e.name, response: want });
    }
    const finalTables = read<Record<string, Array<Record<string, unknown>>>>(join(dir, 'final-tables.json'));
    const dumped = await dumpTables(local.client, Object.keys(finalTables));
    for (const [table, items] of Object.entries(finalTables)) {
      const got = dumped[table]!.map((line) => JSON.stringify(normalizeValue(JSON.parse(line), { keep, now: Date.now() }))).sort();
      const want = items.map((i) => JSON.stringify(normalizeValue(i, { keep }))).map((s) => JSON.stringify(sortKeys(JSON.parse(s)))).sort();
      expect({ table, items: got.map((s) => JSON.stringify(sortKeys(JSON.parse(s)))).sort() }).toEqual({ table, items: want });
    }
    if (existsSync(join(dir, 'side-effects.json'))) {
      const want = read<SideEffect[]>(join(dir, 'side-effects.json'));
      expect(normalizeValue(sideEffects, { keep, now: Date.now() })).toEqual(normalizeValue(want, { keep }));
    }
  });
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
