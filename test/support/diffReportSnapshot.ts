// What changed between two report snapshots, finding by finding (verdict, query language, blockers, states), so a
// retaken snapshot is read before it is committed: `npx tsx test/support/diffReportSnapshot.ts <old.json.gz> <new.json.gz>`.
import { resolve } from 'node:path';
import { readSnapshot } from './reportSnapshot.js';

interface Report { findings?: Array<{ file: string; export: string; convertible: string; blockers: Array<{ line: number; message: string }>; stateMachine?: { queryLanguage?: string; definition?: { States?: Record<string, unknown> } } }>; threw?: string }

function summary(report: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const r = (report ?? {}) as Report;
  if (r.threw) out.set('(scan)', `threw ${r.threw}`);
  for (const f of r.findings ?? []) {
    const states = f.stateMachine?.definition?.States ? Object.keys(f.stateMachine.definition.States).length : 0;
    out.set(`${f.file}#${f.export}`, `${f.convertible}${f.stateMachine ? ` ${f.stateMachine.queryLanguage} ${states} states` : ''}${f.blockers.length ? `; first blocker line ${f.blockers[0]!.line}: ${f.blockers[0]!.message.slice(0, 100)}` : ''}`);
  }
  return out;
}

const [oldFile, newFile] = process.argv.slice(2);
if (!oldFile || !newFile) {
  process.stderr.write('usage: diffReportSnapshot.ts <old.json.gz> <new.json.gz>\n');
  process.exit(2);
}
const before = readSnapshot(resolve(oldFile));
const after = readSnapshot(resolve(newFile));
let changedReports = 0;
for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
  if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
  changedReports += 1;
  const a = summary(before[key]);
  const b = summary(after[key]);
  const lines: string[] = [];
  for (const f of [...new Set([...a.keys(), ...b.keys()])]) {
    if (a.get(f) !== b.get(f)) lines.push(`    ${f}\n      - ${a.get(f) ?? '(none)'}\n      + ${b.get(f) ?? '(none)'}`);
  }
  process.stdout.write(`${key}${lines.length ? `\n${lines.join('\n')}` : ' (details only: assumptions, definitions, estimates)'}\n`);
}
process.stdout.write(`${changedReports} of ${Object.keys(after).length} reports changed\n`);
