// The PR bot against a GitHub API on 127.0.0.1 (test/support/fakeGithub.ts): create, update in place, no write when
// nothing changed, the other behaviors, pagination, and the failures a user can meet, with their messages and exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunIO } from '../src/cli.js';
import { runComment, type CommentCliOptions } from '../src/commands/comment.js';
import type { ScanReport } from '../src/report/types.js';
import { FakeGithub } from './support/fakeGithub.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const MARKER = '<!-- lambda2sfn:default -->';
const reportFile = fileURLToPath(new URL('../fixtures/comment/mixed/report.json', import.meta.url));

let gh: FakeGithub;
let out: string[];
let sleeps: number[];

beforeEach(async () => {
  gh = new FakeGithub(TOKEN);
  await gh.start();
  out = [];
  sleeps = [];
});
afterEach(async () => {
  // Whatever happened, the token never reached the output.
  expect(out.join('')).not.toContain(TOKEN);
  await gh.stop();
});

function io(env: NodeJS.ProcessEnv = {}): RunIO {
  return { stdout: (s) => out.push(s), stderr: (s) => out.push(s), isTTY: false, cwd: process.cwd(), env: { GITHUB_TOKEN: TOKEN, ...env } };
}

async function comment(opts: Partial<CommentCliOptions> = {}, env?: NodeJS.ProcessEnv): Promise<number> {
  const options: CommentCliOptions = { report: reportFile, tag: 'default', behavior: 'update', repo: 'acme/shop', pr: '7', commit: 'c0ffee', apiUrl: gh.url, ...opts };
  return runComment('github', [], options, io(env), { retry: { sleep: async (ms) => void sleeps.push(ms), now: () => Date.UTC(2026, 0, 1) } });
}

function changedReport(): string {
  const r = JSON.parse(readFileSync(reportFile, 'utf8')) as ScanReport;
  r.findings[0]!.reason = 'a different reason, so a different body';
  const file = join(mkdtempSync(join(tmpdir(), 'l2s-comment-')), 'report.json');
  writeFileSync(file, JSON.stringify(r));
  return file;
}

test('the first run creates the comment, a rerun writes nothing, a changed report edits the same comment', async () => {
  gh.seed('LGTM');
  expect(await comment()).toBe(0);
  expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/shop/issues/7/comments']);
  expect(gh.requests[0]!.authorization).toBe(`token ${TOKEN}`);
  const created = gh.comments[1]!;
  expect(created.body.startsWith(`${MARKER}\n`)).toBe(true);
  expect(out.join('')).toContain(`created ${created.html_url}`);

  gh.requests.length = 0;
  expect(await comment()).toBe(0);
  expect(gh.writes()).toEqual([]);
  expect(gh.requests.map((r) => r.method)).toEqual(['GET']);

  expect(await comment({ report: changedReport() })).toBe(0);
  expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/acme/shop/issues/comments/${created.id}`]);
  expect(gh.comments).toHaveLength(2);
  expect(gh.comments[1]!.body).toContain('a different reason, so a different body');
});

test('the marked comment is found on a later page of a pull request with more than 100 comments', async () => {
  for (let i = 0; i < 130; i++) gh.seed(`comment ${i}`);
  const mine = gh.seed(`${MARKER}\nold body`, 'github-actions[bot]');
  for (let i = 0; i < 20; i++) gh.seed(`later ${i}`);
  expect(await comment()).toBe(0);
  expect(gh.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
    '/repos/acme/shop/issues/7/comments?per_page=100',
    '/repos/acme/shop/issues/7/comments?per_page=100&page=2',
  ]);
  expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/acme/shop/issues/comments/${mine.id}`]);
});

test('a different --tag keeps its own comment beside the default one', async () => {
  const other = gh.seed('<!-- lambda2sfn:nightly -->\nnightly');
  expect(await comment()).toBe(0);
  expect(gh.writes().map((r) => r.method)).toEqual(['POST']);
  expect(other.body).toBe('<!-- lambda2sfn:nightly -->\nnightly');
});

test('--behavior new always adds a comment', async () => {
  gh.seed(`${MARKER}\nold`);
  expect(await comment({ behavior: 'new' })).toBe(0);
  expect(await comment({ behavior: 'new' })).toBe(0);
  expect(gh.writes().map((r) => r.method)).toEqual(['POST', 'POST']);
  expect(gh.comments.filter((c) => c.body.includes(MARKER))).toHaveLength(3);
});

test('--behavior delete-and-new deletes the marked comments and adds one', async () => {
  const a = gh.seed(`${MARKER}\nfirst`);
  const keep = gh.seed('a human comment');
  const b = gh.seed(`${MARKER}\nsecond`);
  expect(await comment({ behavior: 'delete-and-new' })).toBe(0);
  expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
    `DELETE /repos/acme/shop/issues/comments/${a.id}`,
    `DELETE /repos/acme/shop/issues/comments/${b.id}`,
    'POST /repos/acme/shop/issues/7/comments',
  ]);
  expect(gh.comments.map((c) => c.id)).toEqual([keep.id, gh.comments[1]!.id]);
  expect(gh.comments[1]!.body).toContain('could move to Step Functions');
});

test('--behavior hide-and-new minimizes the marked comment through GraphQL and adds one', async () => {
  const old = gh.seed(`${MARKER}\nold`);
  expect(await comment({ behavior: 'hide-and-new' })).toBe(0);
  const [hide, create] = gh.writes();
  expect(hide!.path).toBe('/graphql');
  expect((hide!.body as { variables: unknown }).variables).toEqual({ id: old.node_id });
  expect(String((hide!.body as { query: string }).query)).toMatch(/minimizeComment\(input: \{ subjectId: \$id, classifier: OUTDATED \}\)/);
  expect(create!.method).toBe('POST');
  expect(old.minimized).toBe(true);
  expect(gh.comments).toHaveLength(2);
});

test('nothing to report: update edits the old comment to say so, hide-and-new hides it, neither adds one', async () => {
  const r = JSON.parse(readFileSync(reportFile, 'utf8')) as ScanReport;
  const empty = join(mkdtempSync(join(tmpdir(), 'l2s-comment-')), 'empty.json');
  writeFileSync(empty, JSON.stringify({ ...r, findings: [], errors: [] }));
  expect(await comment({ report: empty })).toBe(0);
  expect(gh.requests.map((q) => q.method)).toEqual(['GET']);
  const old = gh.seed(`${MARKER}\nold proposals`);
  expect(await comment({ report: empty })).toBe(0);
  expect(gh.writes().map((q) => `${q.method} ${q.path}`)).toEqual([`PATCH /repos/acme/shop/issues/comments/${old.id}`]);
  expect(old.body).toContain('No Lambda handler to report in the report.');
  gh.requests.length = 0;
  expect(await comment({ report: empty, behavior: 'hide-and-new' })).toBe(0);
  expect(gh.writes().map((q) => q.path)).toEqual(['/graphql']);
  expect(old.minimized).toBe(true);
  expect(gh.comments).toHaveLength(1);
});

test('--dry-run prints the body and the calls it would make, and writes nothing', async () => {
  gh.seed(`${MARKER}\nold`);
  expect(await comment({ dryRun: true })).toBe(0);
  expect(gh.writes()).toEqual([]);
  const text = out.join('');
  expect(text).toContain(`${MARKER}\n### lambda2sfn`);
  expect(text).toContain('listed 1 pull request comment');
  expect(text).toMatch(/would update comment \d+ \(\d+ characters\)/);
});

test('a missing token is exit 2 and says how to give one (through the CLI)', async () => {
  const err: string[] = [];
  const code = await run(['node', 'lambda2sfn', 'comment', 'github', '--report', reportFile, '--repo', 'acme/shop', '--pr', '7', '--api-url', gh.url], {
    stdout: (s) => err.push(s), stderr: (s) => err.push(s), isTTY: false, cwd: process.cwd(), env: {},
  });
  expect(code).toBe(2);
  expect(err.join('')).toMatch(/GITHUB_TOKEN is not set.*pull-requests: write/);
  expect(gh.requests).toEqual([]);
});

test('401: the token is rejected, exit 2, no retry', async () => {
  expect(await comment({}, { GITHUB_TOKEN: `${TOKEN}x` })).toBe(2);
  expect(out.join('')).toMatch(/GitHub rejected the token while trying to list the pull request comments \(401\) \(GitHub said: Bad credentials\): check that GITHUB_TOKEN/);
  expect(out.join('')).not.toContain(`${TOKEN}x`);
  expect(gh.requests).toHaveLength(1);
  expect(sleeps).toEqual([]);
});

test('403 from a fork\'s read-only token names the missing permission', async () => {
  gh.failures.push({ status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment', status: '403' } });
  gh.failures.unshift({ status: 200, body: [] }); // the list succeeds, the create is refused
  expect(await comment()).toBe(2);
  const text = out.join('');
  expect(text).toContain('The token may not create a pull request comment on acme/shop#7 (403) (GitHub said: Resource not accessible by integration): it needs the pull-requests: write permission');
  expect(text).toContain('A pull request from a fork gets a read-only GITHUB_TOKEN');
  expect(sleeps).toEqual([]);
});

test('404: names the repository and pull request and what to check', async () => {
  expect(await comment({ pr: '8' })).toBe(2);
  expect(out.join('')).toMatch(/GitHub found no acme\/shop#8 while trying to list the pull request comments \(404\).*check --repo and --pr/);
});

test('422: says GitHub refused the comment and why', async () => {
  gh.failures.push({ status: 200, body: [] }, { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }], status: '422' } });
  expect(await comment()).toBe(2);
  expect(out.join('')).toContain('GitHub refused to create a pull request comment (422 validation failed) (GitHub said: Validation Failed; body is too long (maximum is 65536 characters)).');
});

test('500 then 200: retried after a backoff, then created', async () => {
  gh.failures.push({ status: 500, body: { message: 'Server Error' } });
  expect(await comment()).toBe(0);
  expect(sleeps).toEqual([1000]);
  expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
  expect(out.join('')).toContain('GitHub answered 500; retrying in 1 s');
});

test('5xx that does not stop: three retries with growing backoff, then exit 2', async () => {
  for (let i = 0; i < 4; i++) gh.failures.push({ status: 502, body: { message: 'Bad Gateway' } });
  expect(await comment()).toBe(2);
  expect(sleeps).toEqual([1000, 2000, 4000]);
  expect(out.join('')).toContain('GitHub kept failing while the bot tried to list the pull request comments (502)');
});

test('no server at the API URL: retried, then one message naming the URL, exit 2', async () => {
  const url = gh.url;
  await gh.stop();
  gh = new FakeGithub(TOKEN);
  await gh.start(); // afterEach stops this one
  expect(await comment({ apiUrl: url })).toBe(2);
  expect(sleeps).toEqual([1000, 2000, 4000]);
  expect(out.join('')).toMatch(new RegExp(`Could not reach the GitHub API at ${url} to list the pull request comments \\(.+\\); it retried with backoff`));
});

test('rate limits: waits for x-ratelimit-reset or retry-after, then goes on', async () => {
  const reset = Date.UTC(2026, 0, 1) / 1000 + 30;
  gh.failures.push(
    { status: 403, body: { message: 'API rate limit exceeded for installation ID 1.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } },
    { status: 429, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '5' } },
  );
  expect(await comment()).toBe(0);
  expect(sleeps).toEqual([30_000, 5000]);
  expect(gh.writes().map((r) => r.method)).toEqual(['POST']);
});

test('a rate limit that resets too late is reported, not waited for', async () => {
  const reset = Date.UTC(2026, 0, 1) / 1000 + 3600;
  gh.failures.push({ status: 403, body: { message: 'API rate limit exceeded for installation ID 1.' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
  expect(await comment()).toBe(2);
  expect(sleeps).toEqual([]);
  expect(out.join('')).toContain(`GitHub's rate limit stopped the bot while trying to list the pull request comments (403) (GitHub said: API rate limit exceeded for installation ID 1.); it resets at ${new Date(reset * 1000).toISOString()}.`);
});

test('repository, pull request and API URL come from the Actions environment; the job summary and outputs are written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-actions-'));
  const event = join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, head: { sha: 'headsha1' }, base: { sha: 'basesha1' } } }));
  const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: event, GITHUB_API_URL: gh.url, GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '42', GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output') };
  expect(await comment({ repo: undefined, pr: undefined, commit: undefined, apiUrl: undefined }, env)).toBe(0);
  const body = gh.comments[0]!.body;
  expect(body).toContain('(https://github.example/acme/shop/blob/headsha1/fixtures/cases/route-switch-partial-fallback/handler.mjs#L8)');
  expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe(body + '\n');
  expect(readFileSync(join(dir, 'output'), 'utf8')).toBe(`handlers=4\nfull=2\npartial=1\nnone=1\nlines-removable=31\ncomment-url=${gh.comments[0]!.html_url}\n`);
});

test('action.yml: the flags its steps pass exist, and its outputs are the ones the command writes', async () => {
  const { parse } = await import('yaml');
  const action = parse(readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8')) as {
    runs: { using: string; steps: Array<{ id?: string; run?: string }> };
    outputs: Record<string, { value: string }>;
  };
  expect(action.runs.using).toBe('composite');
  for (const [command, id] of [['scan', 'scan'], ['comment', 'comment']] as const) {
    const help: string[] = [];
    await run(['node', 'lambda2sfn', command, '--help'], { stdout: (s) => help.push(s), stderr: (s) => help.push(s), isTTY: false, cwd: process.cwd(), env: {} });
    const script = action.runs.steps.find((s) => s.id === id)!.run!;
    const flags = [...script.matchAll(/(?<![\w-])--[a-z][\w-]*/g)].map((m) => m[0]).filter((f) => f !== '--yes');
    expect(flags.length).toBeGreaterThan(2);
    for (const flag of flags) expect(help.join('')).toContain(flag);
  }
  expect(Object.values(action.outputs).map((o) => o.value)).toEqual(['handlers', 'full', 'partial', 'none', 'comment-url'].map((k) => `\${{ steps.comment.outputs.${k} }}`));
});
