// Run a finding's state machine on recorded events (events.json) against an embedded DynamoDB seeded from
// tables.json, and compare responses, final tables and side effects the way verify does.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import type { Finding } from '../../src/report/types.js';
import { createTables, dumpTables, startLocalDynamo, type TableSpec } from '../../src/verify/localDynamo.js';
import { comparableResponse, inputStrings, normalizeValue, sortKeys } from '../../src/verify/normalize.js';
import { runDefinition, substitute, type SideEffect } from '../../src/verify/runStateMachine.js';

export interface RecordedEvent {
  name: string;
  file?: string;
  export?: string;
  event: unknown;
  expected_response?: unknown;
  expected_error?: { errorType: string; errorMessage: string };
  compare?: 'status';
}

const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;



/**
 * `pick` chooses the finding an event goes to (by its file/export); events of other handlers are skipped.
 * Every event, final table and side effect is asserted.
 */
export async function expectMachinesMatchRecording(dir: string, pick: (e: RecordedEvent) => Finding | undefined): Promise<void> {
  const tables = existsSync(join(dir, 'tables.json')) ? read<TableSpec[]>(join(dir, 'tables.json')) : [];
  const env = existsSync(join(dir, 'env.json')) ? read<Record<string, string>>(join(dir, 'env.json')) : {};
  const events = read<RecordedEvent[]>(join(dir, 'events.json'));
  const local = await startLocalDynamo();
  try {
    await createTables(local.client, tables);
    const sideEffects: SideEffect[] = [];
    const keep = inputStrings(events.map((e) => e.event), tables);
    for (const e of events) {
      const f = pick(e);
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
    if (existsSync(join(dir, 'final-tables.json'))) {
      const finalTables = read<Record<string, Array<Record<string, unknown>>>>(join(dir, 'final-tables.json'));
      const dumped = await dumpTables(local.client, Object.keys(finalTables));
      for (const [table, items] of Object.entries(finalTables)) {
        const got = dumped[table]!.map((line) => JSON.stringify(sortKeys(normalizeValue(JSON.parse(line), { keep, now: Date.now() })))).sort();
        const want = items.map((i) => JSON.stringify(sortKeys(normalizeValue(i, { keep })))).sort();
        expect({ table, items: got }).toEqual({ table, items: want });
      }
    }
    if (existsSync(join(dir, 'side-effects.json'))) {
      const want = read<SideEffect[]>(join(dir, 'side-effects.json'));
      expect(normalizeValue(sideEffects, { keep, now: Date.now() })).toEqual(normalizeValue(want, { keep }));
    }
  } finally {
    await local.close();
  }
}
