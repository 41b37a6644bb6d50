// The optional proof before anything is applied: the handler and the proposed machine side by side on the
// recorded events of the case folder (events.json beside the handler or above it, up to the scan root).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Finding } from '../report/types.js';
import type { VerifyReport } from '../verify/verifyCase.js';
import type { GeneratedCase } from './generatedEvents.js';

export interface CaseEvents {
  caseDir: string;
  events: Array<Record<string, unknown>>;
  /** Generated cases bring their own tables (tables.json format) and handler environment. */
  tables?: unknown[];
  env?: Record<string, string>;
}

/** The recorded events for this handler, from the nearest events.json that names it. */
export function findCaseEvents(root: string, f: Finding): CaseEvents | undefined {
  const handlerFile = resolve(root, f.file);
  for (let dir = dirname(handlerFile); ; dir = dirname(dir)) {
    const file = join(dir, 'events.json');
    if (existsSync(file)) {
      let all: unknown;
      try {
        all = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        all = undefined;
      }
      const events = Array.isArray(all)
        ? (all as Array<Record<string, unknown>>).filter((e) => {
            const target = typeof e['file'] === 'string' ? resolve(dir, e['file']) : dir === dirname(handlerFile) ? handlerFile : undefined;
            return target === handlerFile && (e['export'] ?? 'handler') === f.export;
          })
        : [];
      if (events.length) return { caseDir: dir, events };
    }
    if (dir === root || relative(root, dir).startsWith('..') || dirname(dir) === dir) return undefined;
  }
}

/** A generated case as verify's files see it: each event names the handler (absolute path) and its export. */
export function generatedCaseEvents(root: string, f: Finding, generated: GeneratedCase): CaseEvents {
  return { caseDir: root, events: generated.events.map((e) => ({ name: e.name, file: resolve(root, f.file), export: f.export, event: e.event })), tables: generated.tables, env: generated.env };
}

/** Temp folders of verify runs in progress, for a signal handler to remove before the process ends. */
export const verifyTempDirs = new Set<string>();

/** Runs verify on these events with the wizard's proposal (not a fresh scan). Temp files are removed whatever happens. */
export async function verifyProposal(root: string, f: Finding, found: CaseEvents): Promise<VerifyReport> {
  const { verifyCase } = await import('../verify/verifyCase.js');
  const temp = mkdtempSync(join(tmpdir(), 'lambda2sfn-migrate-'));
  verifyTempDirs.add(temp);
  try {
    const events = join(temp, 'events.json');
    // An events file names handler files relative to itself: this copy lives elsewhere, so its paths are absolute.
    writeFileSync(events, JSON.stringify(found.events.map((e) => (typeof e['file'] === 'string' ? { ...e, file: resolve(found.caseDir, e['file']) } : e))));
    const own = (name: string, value: unknown) => {
      if (value === undefined) return undefined;
      writeFileSync(join(temp, name), JSON.stringify(value));
      return join(temp, name);
    };
    return await verifyCase(found.caseDir, { cwd: found.caseDir, events, tables: own('tables.json', found.tables), env: own('env.json', found.env), findings: [{ ...f, file: relative(found.caseDir, resolve(root, f.file)).split('\\').join('/') }] });
  } finally {
    rmSync(temp, { recursive: true, force: true });
    verifyTempDirs.delete(temp);
  }
}
