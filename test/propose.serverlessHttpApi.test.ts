// Serverless Framework proposal for a handler behind an HTTP API (httpApi event): the routes move to a REST API, so
// the notes say plainly that the base URL changes and what clients must do, and nothing claims the same URL.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import type { ScanReport } from '../src/report/types.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function proposalNotes(serverlessYml: (text: string) => string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-sls-httpapi-'));
  dirs.push(dir);
  cpSync(join(REPO_ROOT, 'fixtures', 'projects', 'serverless'), dir, { recursive: true, filter: (src) => !src.endsWith('expected.diff') });
  writeFileSync(join(dir, 'serverless.yml'), serverlessYml(readFileSync(join(dir, 'serverless.yml'), 'utf8')));
  let out = '';
  await run(['node', 'lambda2sfn', 'scan', '.', '--json', '--diff'], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd: dir, env: {} });
  const finding = (JSON.parse(out) as ScanReport).findings.find((f) => f.file === 'src/handlers/getItem.ts')!;
  expect(finding.convertible).toBe('full');
  return finding.proposal!.notes;
}

test('httpApi route: the base URL changes, clients must switch or use a custom domain; no "same URL" note', async () => {
  const notes = await proposalNotes((t) => t.replace('      - http:\n          path: items/{id}\n          method: get\n', "      - httpApi: 'GET /items/{id}'\n"));
  const route = notes.filter((n) => n.includes('GET /items/{id}'));
  expect(route).toHaveLength(1);
  expect(route[0]).toMatch(/move from the HTTP API \(httpApi\) to the service's REST API \(http events\).*their base URL changes/);
  expect(route[0]).toMatch(/Clients must switch to the new URL, or keep theirs through a custom domain mapped to the REST API/);
  expect(notes.join('\n')).not.toMatch(/same (API|paths|URL)/);
});

test('REST route: same REST API, same paths and URL', async () => {
  const notes = await proposalNotes((t) => t);
  expect(notes).toContain('the route GET /items/{id} now calls StartSyncExecution on GetItemStateMachine (same REST API, same paths and URL)');
  expect(notes.join('\n')).not.toMatch(/base URL changes/);
});
