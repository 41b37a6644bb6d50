// The prefilter only saves parse work: on a generated monorepo (handlers that convert and that do not, files
// that merely mention DynamoDB, plain modules) plus import chains the text test cannot see on its own (a module
// with no DynamoDB word importing one that has, a gitignored module, a missing folder), the report is the same
// with it and without it: the same handlers, each with the same verdict, and the same everything else.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanProject } from '../src/scan/scanProject.js';
import { lastPoolRun } from '../src/scan/scanPool.js';
import type { ScanReport } from '../src/report/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CHAINS: Record<string, string> = {
  '.gitignore': 'vendored/\n',
  // No DynamoDB or handler word here: kept only because of what it imports.
  'packages/chain/src/api.ts': "import { load } from '../lib/store';\nexport const main = async (payload: { id: string }) => load(payload.id);\n",
  'packages/chain/lib/store.ts':
    "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst db = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const load = async (id: string) => (await db.send(new GetCommand({ TableName: 'T', Key: { id } }))).Item;\n",
  // Imports a module outside the scanned set (gitignored), which mentions DynamoDB.
  'packages/chain/src/viaIgnored.ts': "import { put } from '../../../vendored/db';\nexport const main = async (payload: { id: string }) => put(payload.id);\n",
  'vendored/db.ts': "import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';\nexport const put = async (id: string) => DynamoDBDocumentClient.prototype.send(new PutCommand({ TableName: 'T', Item: { id } }));\n",
  // Imports from folders that do not exist.
  'packages/chain/src/missing.ts': "import { x } from '../nowhere/x';\nimport { y } from './absent';\nexport const z = x + y;\n",
};

const verdicts = (r: ScanReport) => r.findings.map((f) => `${f.file}#${f.export}: ${f.convertible}`);

test('handlers, verdicts, suppressions and errors are identical with and without the prefilter', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'l2s-prefilter-'));
  try {
    // 300 files, 10% handlers: enough of each kind, seed fixed.
    execFileSync(process.execPath, [path.join(root, 'bench', 'gen-monorepo.cjs'), dir, '300', '0.1', '7'], { stdio: 'ignore' });
    for (const [name, text] of Object.entries(CHAINS)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const withPrefilter = await scanProject([dir], { cwd: dir });
    const without = await scanProject([dir], { cwd: dir, prefilter: false });
    expect(withPrefilter.summary.full).toBeGreaterThan(0);
    expect(withPrefilter.summary.none).toBeGreaterThan(0);
    // Every source file but the gitignored one.
    expect(without.summary.filesParsed).toBe(300 + 4);
    expect(withPrefilter.summary.filesParsed).toBeLessThan(without.summary.filesParsed);
    expect(verdicts(withPrefilter)).toEqual(verdicts(without));
    expect(withPrefilter.findings).toEqual(without.findings);
    expect(withPrefilter.suppressed).toEqual(without.suppressed);
    expect(withPrefilter.errors).toEqual(without.errors);
    expect({ ...withPrefilter.summary, filesParsed: 0 }).toEqual({ ...without.summary, filesParsed: 0 });
    // Worker threads (--jobs) change where files are analysed, never the report: byte for byte the same,
    // with the prefilter and without it.
    const threaded = await scanProject([dir], { cwd: dir, jobs: 3 });
    expect(lastPoolRun).toEqual({ workerChunks: expect.any(Number), failed: false });
    expect(lastPoolRun.workerChunks).toBeGreaterThan(0);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(await scanProject([dir], { cwd: dir, jobs: 1 })));
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(withPrefilter));
    const threadedWithout = await scanProject([dir], { cwd: dir, prefilter: false, jobs: 2 });
    expect(lastPoolRun.failed).toBe(false);
    expect(lastPoolRun.workerChunks).toBeGreaterThan(0);
    expect(JSON.stringify(threadedWithout)).toBe(JSON.stringify(without));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
