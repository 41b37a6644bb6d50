// SARIF and GitHub annotations are pure renderings of a report: checked on a hand-built report; the annotation
// paths end to end, in a git repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { run } from '../src/cli.js';
import type * as Sarif from 'sarif';
import { renderGithubAnnotations } from '../src/render/githubAnnotations.js';
import { renderSarif } from '../src/render/sarif.js';
import type { Finding, ScanReport } from '../src/report/types.js';

const finding = (over: Partial<Finding>): Finding => ({
  id: 'abc', file: 'src/a.ts', export: 'handler', line: 3, endLine: 20, eventSource: 'apigw-rest', convertible: 'full', reason: 'every step has a direct service integration',
  rules: ['route-switch'], blockers: [], assumptions: [], savings: { lines: { handler: 10, removed: 10, asl: 40 } }, ...over,
});

const report: ScanReport = {
  tool: 'lambda2sfn', version: '9.9.9', schemaVersion: 1, root: '/repo',
  summary: { filesScanned: 3, filesParsed: 3, handlers: 2, full: 1, partial: 0, none: 1, suppressed: 0, handlerLinesRemovable: 10, aslLinesAdded: 40, errors: 1 },
  findings: [
    finding({}),
    finding({ id: 'def', file: 'src/b.ts', export: 'main', convertible: 'none', reason: 'blocked', blockers: [{ rule: 'unsupported-construct', line: 7, message: 'loop (ForOf), 50% done: a, b\nnext' }] }),
  ],
  suppressed: [],
  errors: [{ file: 'src/c.ts', line: 2, message: 'Unexpected token', severity: 'warning' }],
};

describe('SARIF 2.1.0', () => {
  const log = JSON.parse(renderSarif(report)) as Sarif.Log;
  test('one run by lambda2sfn with its version; one result per convertible handler, blocker and error', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'lambda2sfn', version: '9.9.9' });
    expect(log.runs[0]!.results!.map((r) => [r.ruleId, r.level, r.locations![0]!.physicalLocation!.artifactLocation!.uri, r.locations![0]!.physicalLocation!.region!.startLine])).toEqual([
      ['migration-candidate', 'note', 'src/a.ts', 3],
      ['unsupported-construct', 'note', 'src/b.ts', 7],
      ['scan-error', 'warning', 'src/c.ts', 2],
    ]);
  });
  test('every result names a rule the driver declares', () => {
    const ids = new Set(log.runs[0]!.tool.driver.rules!.map((r) => r.id));
    for (const r of log.runs[0]!.results!) expect(ids.has(r.ruleId!)).toBe(true);
    expect(ids.has('route-switch')).toBe(true);
  });
});

describe('GitHub workflow commands', () => {
  test('annotations with escaped properties and messages', () => {
    expect(renderGithubAnnotations(report).split('\n')).toEqual([
      '::notice file=src/a.ts,line=3,endLine=20,title=lambda2sfn%3A handler converts fully::every step has a direct service integration',
      '::notice file=src/b.ts,line=7,title=lambda2sfn blocker (unsupported-construct)::loop (ForOf), 50%25 done: a, b%0Anext',
      '::warning file=src/c.ts,line=2,title=lambda2sfn could not scan this file::Unexpected token',
      'lambda2sfn: 2 handlers, 1 full, 0 partial, 1 none; 1 errors',
      '',
    ]);
  });
});

describe('GitHub annotation paths are relative to the repository root', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => {
  await db.send(new DeleteCommand({ TableName: process.env.TABLE, Key: { id: event.pathParameters.id } }));
  return { statusCode: 204, body: '' };
};
`;
  function repo(): string {
    const dir = mkdtempSync(join(tmpdir(), 'l2s-gh-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'services', 'orders', 'src'), { recursive: true });
    writeFileSync(join(dir, 'services', 'orders', 'src', 'del.mjs'), HANDLER);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    return dir;
  }
  async function annotations(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
    let out = '';
    await run(['node', 'lambda2sfn', 'scan', ...args, '--format', 'github'], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false, cwd, env });
    return out.split('\n').filter((l) => l.startsWith('::'));
  }

  test('scanning a subfolder: the path from the git top level, not from the scan root', async () => {
    const dir = repo();
    expect(await annotations(['services/orders'], dir)).toEqual([expect.stringMatching(/^::notice file=services\/orders\/src\/del\.mjs,line=4,/)]);
    expect(await annotations(['.'], join(dir, 'services', 'orders', 'src'))).toEqual([expect.stringMatching(/^::notice file=services\/orders\/src\/del\.mjs,/)]);
  });

  test('GITHUB_WORKSPACE wins; outside a repository the scan root is the base', async () => {
    const dir = repo();
    expect(await annotations(['orders'], join(dir, 'services'), { GITHUB_WORKSPACE: join(dir, 'services') })).toEqual([expect.stringMatching(/^::notice file=orders\/src\/del\.mjs,/)]);
    rmSync(join(dir, '.git'), { recursive: true });
    expect(await annotations(['services/orders'], dir)).toEqual([expect.stringMatching(/^::notice file=src\/del\.mjs,/)]);
  });
});
