// `comment github --base`: only the handlers in the files the pull request changes, plus those whose deploying
// infrastructure changed, on a temporary git repository with a base commit and a pull-request commit.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunIO } from '../src/cli.js';
import { runComment } from '../src/commands/comment.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function repoWith(dirs: Record<string, string>): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-pr-'));
  for (const [to, from] of Object.entries(dirs)) cpSync(join(fixtures, from), join(dir, to), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  return { dir, git };
}

async function dryRun(dir: string, base: string, report?: string): Promise<{ code: number; body: string }> {
  const out: string[] = [];
  const io: RunIO = { stdout: (s) => out.push(s), stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
  const code = await runComment('github', ['.'], { base, report, tag: 'default', behavior: 'update', dryRun: true, always: true, repo: 'acme/shop' }, io);
  return { code, body: out.join('') };
}

const rows = (body: string) => [...body.matchAll(/^\| \[`([^`]+)`\]/gm)].map((m) => m[1]);

test('only the handlers in changed files are reported, linked at the head commit', async () => {
  const { dir, git } = repoWith({ '.': 'demo' });
  appendFileSync(join(dir, 'src', 'getOrder.ts'), '\n// a change in the pull request\n');
  appendFileSync(join(dir, 'src', 'expireOrders.ts'), '\n// another one\n');
  git('commit', '-qam', 'change two handlers');
  const head = git('rev-parse', 'HEAD');
  const { code, body } = await dryRun(dir, 'main');
  expect(code).toBe(0);
  expect(rows(body)).toEqual(['src/expireOrders.ts:5', 'src/getOrder.ts:12']);
  expect(body).toContain(`(https://github.com/acme/shop/blob/${head}/src/getOrder.ts#L12)`);
  expect(body).toContain('**1 of 2 handlers could move to Step Functions** (1 full; 1 stays in Lambda)');
  expect(body).toContain('`npx lambda2sfn@');
  expect(body).toContain(' comment github . --base main --dry-run`');

  // A report of the whole project (e.g. kept as the job's artifact), restricted the same way.
  const scanned: string[] = [];
  await run(['node', 'lambda2sfn', 'scan', '.', '--format', 'json', '--diff', '--output', 'report.json'], { stdout: (s) => scanned.push(s), stderr: (s) => scanned.push(s), isTTY: false, cwd: dir, env: {} });
  const fromReport = await dryRun(dir, 'main', 'report.json');
  expect(rows(fromReport.body)).toEqual(['src/expireOrders.ts:5', 'src/getOrder.ts:12']);
  expect(fromReport.body).toContain(' comment github --report report.json --base main --dry-run`');
});

test('a handler whose deploying template changed is reported; nothing changed means nothing to report', async () => {
  const { dir, git } = repoWith({ '.': 'projects/sam' });
  expect((await dryRun(dir, 'main')).body).toContain('No Lambda handler to report in the files this pull request changes.');
  appendFileSync(join(dir, 'template.yaml'), '\n# a change to the infrastructure only\n');
  git('commit', '-qam', 'change the template');
  const { body } = await dryRun(dir, 'main');
  // The template deploys both handlers; health.ts calls no service (a row that says there is nothing to convert).
  expect(rows(body)).toEqual(['src/handlers/getItem.ts:8', 'src/handlers/health.ts:2']);
});

test('a base that git cannot find is a usage error that says how to fetch the history', async () => {
  const { dir } = repoWith({ '.': 'projects/sam' });
  await expect(dryRun(dir, 'origin/nope')).rejects.toThrow(/git merge-base origin\/nope HEAD \(in CI, check out the history: actions\/checkout with fetch-depth: 0\) failed/);
});
