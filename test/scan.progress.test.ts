// The progress line: drawn on an interactive standard error once a scan has run a second, never in CI, never with
// --no-progress, and cleared before the report's diagnostics. A fake clock stands in for time.
import { createProgressLine, formatProgress } from '../src/render/progress.js';
import { run } from '../src/cli.js';
import { projectFolders } from './support/cliHarness.js';

const project = projectFolders('l2s-progress-');

/** A clock that moves a second each time it is read: every update is past the delay and the redraw interval. */
const steppingClock = (): (() => number) => {
  let t = 0;
  return () => (t += 1000);
};

async function scanWith(args: string[], cwd: string, io: { stderrIsTTY: boolean; env?: NodeJS.ProcessEnv }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(['node', 'lambda2sfn', 'scan', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, stderrIsTTY: io.stderrIsTTY, now: steppingClock(), cwd, env: io.env ?? {} });
  return { code, out, err };
}

const files = {
  'src/a.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async (event: { id: string }) => ({ statusCode: 200, body: event.id });\n",
  'src/b.ts': 'export const plain = 1;\n',
};

test('a scan on a terminal shows files read, then candidates and handlers, and clears the line at the end', async () => {
  const dir = project(files);
  const r = await scanWith(['.', '--format', 'json'], dir, { stderrIsTTY: true });
  expect(r.code).toBe(0);
  expect(r.err).toContain('read 1/2 files');
  expect(r.err).toContain('read 2/2 files');
  expect(r.err).toMatch(/analysing 1 candidate: 1 handler so far/);
  expect(r.err.endsWith('\r\x1b[K')).toBe(true);
  // The report on standard output is untouched.
  expect(JSON.parse(r.out).summary.handlers).toBe(1);
});

test.each([
  ['standard error is not a terminal', [], { stderrIsTTY: false }],
  ['CI is set', [], { stderrIsTTY: true, env: { CI: 'true' } }],
  ['--no-progress', ['--no-progress'], { stderrIsTTY: true }],
])('no progress line when %s', async (_why, extra, io) => {
  const dir = project(files);
  const r = await scanWith(['.', '--format', 'json', ...extra], dir, io);
  expect(r.code).toBe(0);
  expect(r.err).toBe('');
});

test('nothing is drawn before the delay, and redraws are spaced by the interval', () => {
  let t = 0;
  const out: string[] = [];
  const line = createProgressLine({ write: (s) => out.push(s), now: () => t, delayMs: 1000, intervalMs: 100 });
  line.update({ files: 10, filesRead: 1, handlers: 0 });
  t = 999;
  line.update({ files: 10, filesRead: 2, handlers: 0 });
  expect(out).toEqual([]);
  t = 1000;
  line.update({ files: 10, filesRead: 3, handlers: 0 });
  t = 1050;
  line.update({ files: 10, filesRead: 4, handlers: 0 });
  t = 1100;
  line.update({ files: 10, filesRead: 5, handlers: 0 });
  line.done();
  expect(out).toEqual([`\r\x1b[K${formatProgress({ files: 10, filesRead: 3, handlers: 0 })}`, `\r\x1b[K${formatProgress({ files: 10, filesRead: 5, handlers: 0 })}`, '\r\x1b[K']);
});

test('a scan that never drew leaves nothing to clear; the bar fills with the files read', () => {
  const out: string[] = [];
  createProgressLine({ write: (s) => out.push(s), now: () => 0 }).done();
  expect(out).toEqual([]);
  expect(formatProgress({ files: 20_000, filesRead: 10_000, handlers: 0 })).toBe('lambda2sfn: [##########..........] read 10,000/20,000 files');
  expect(formatProgress({ files: 20_000, filesRead: 20_000, candidates: 765, handlers: 12 })).toBe('lambda2sfn: 20,000 files read, analysing 765 candidates: 12 handlers so far');
});

test('the line is cut to the terminal width', () => {
  const out: string[] = [];
  createProgressLine({ write: (s) => out.push(s), now: () => 0, delayMs: 0, columns: 20 }).update({ files: 10, filesRead: 1, handlers: 0 });
  expect(out).toEqual([`\r\x1b[K${formatProgress({ files: 10, filesRead: 1, handlers: 0 }).slice(0, 19)}`]);
});
