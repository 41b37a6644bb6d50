// The whole JSON report of every fixture folder, under the option sets that reach every stage (both query
// languages, split routing, proposals with diffs). Used to prove a refactoring changes no output: the snapshot is
// written from one checkout (test/support/writeReportSnapshot.ts) and compared with the code under test.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

type Scan = (inputs: string[], options: Record<string, unknown>) => Promise<unknown>;

export const OPTION_SETS: Record<string, Record<string, unknown>> = {
  jsonpath: { queryLanguage: 'jsonpath', proposals: true },
  jsonata: { queryLanguage: 'jsonata', proposals: true },
  split: { queryLanguage: 'auto', routing: 'split', proposals: true },
};

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name)).sort();
}

/** Every folder that is one fixture: a case, a project, the demo, a rule fixture, an example project. */
export function fixtureFolders(repoRoot: string): string[] {
  const fx = join(repoRoot, 'fixtures');
  const dirs = [
    ...subdirs(join(fx, 'cases')),
    ...subdirs(join(fx, 'projects')),
    ...subdirs(join(fx, 'estimate')),
    join(fx, 'demo'),
    ...subdirs(join(repoRoot, 'test', 'beyond')),
    ...subdirs(join(repoRoot, 'rules')).flatMap((r) => subdirs(join(r, 'fixtures'))),
    ...subdirs(join(fx, 'examples')),
  ];
  return dirs.filter((d) => existsSync(d));
}

/** The checkout's own scanProject, so a snapshot can be taken from any commit. */
export async function loadScan(repoRoot: string): Promise<Scan> {
  const mod = (await import(pathToFileURL(join(repoRoot, 'src', 'scan', 'scanProject.ts')).href)) as { scanProject: Scan };
  return mod.scanProject;
}

/** Absolute paths differ between checkouts: they become relative to the checkout. */
function normalise(value: unknown, repoRoot: string): unknown {
  const text = JSON.stringify(value);
  return JSON.parse(text.split(JSON.stringify(repoRoot).slice(1, -1)).join('<repo>'));
}

/** The reports of one fixture folder, keyed `<folder> [<option set>]`. */
export async function snapshotOf(repoRoot: string, dir: string, scan: Scan): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const name = relative(repoRoot, dir);
  for (const [setName, options] of Object.entries(OPTION_SETS)) {
    let report: unknown;
    try {
      report = await scan([dir], { cwd: dir, ...options });
    } catch (e) {
      report = { threw: (e as Error).message };
    }
    out[`${name} [${setName}]`] = normalise(report, repoRoot);
  }
  return out;
}

export async function takeSnapshot(repoRoot: string, scan: Scan): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const dir of fixtureFolders(repoRoot)) Object.assign(out, await snapshotOf(repoRoot, dir, scan));
  return out;
}

/** Stored gzipped: the reports of every fixture are several megabytes of JSON. */
export function writeSnapshot(file: string, snapshot: Record<string, unknown>): void {
  writeFileSync(file, gzipSync(JSON.stringify(snapshot, null, 1) + '\n'));
}

export function readSnapshot(file: string): Record<string, unknown> {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Record<string, unknown>;
}
