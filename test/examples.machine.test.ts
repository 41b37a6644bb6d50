// Differential check of the proposals for the example projects (fixtures/examples): every `full` state machine is run on an embedded
// DynamoDB with the recorded events, and must answer exactly as the real handler did (events.json was recorded by
// running the handlers), leave the same table contents (final-tables.json) and make the same calls (side-effects.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, test } from '@jest/globals';
import type { Finding, ScanReport } from '../src/report/types.js';
import { scanProject } from '../src/scan/scanProject.js';
import { REPO_ROOT } from './support/goldenCases.js';
import { expectMachinesMatchRecording } from './support/runRecorded.js';

const EXAMPLES = join(REPO_ROOT, 'fixtures', 'examples');

let report: ScanReport;
beforeAll(async () => {
  report = await scanProject([EXAMPLES], { cwd: REPO_ROOT });
});

const cases = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'events.json')));

describe.each(cases)('%s', (name) => {
  const dir = join(EXAMPLES, name);
  test('every full proposal answers the recorded events like the handler', async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { handlers: Array<{ file: string; export: string | null }> };
    const first = expected.handlers[0]!;
    const full = (file: string, exp: string | null): Finding | undefined =>
      report.findings.find((f) => f.file === `${name}/${file}` && f.export === exp && f.convertible === 'full');
    // Partial proposals need the residual Lambda run; the verify command covers them.
    if (!expected.handlers.some((h) => full(h.file, h.export))) return;
    await expectMachinesMatchRecording(dir, (e) => full(e.file ?? first.file, e.export ?? first.export));
  });
});
