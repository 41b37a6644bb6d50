// verify runs the user's handler, so it isolates it: a minimal environment (no AWS_* of this machine, no
// GITHUB_TOKEN, HOME an empty folder), network only to this machine, a time and a memory limit, and a handler that
// never answers, calls process.exit or leaves timers is reported, never waited on.
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, jest, test } from '@jest/globals';
import { startHandlerRunner, type HandlerRunner, type HandlerRunnerOptions } from '../src/verify/handlerRunner.js';

jest.setTimeout(120_000);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch: string[] = [];
const runners: HandlerRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
  scratch.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function project(handler: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2s-robust-v-'));
  scratch.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'handler.mjs'), handler);
  return dir;
}

async function runnerFor(handler: string, opts: Partial<HandlerRunnerOptions> = {}): Promise<HandlerRunner> {
  const runner = await startHandlerRunner({ projectDir: project(handler), deps: join(ROOT, 'node_modules'), env: { TABLE: 'Items' }, endpoints: { dynamodb: 'http://127.0.0.1:9' }, ...opts });
  runners.push(runner);
  await runner.load('src/handler.mjs', 'handler');
  return runner;
}

describe('the environment the handler sees', () => {
  test('none of this machine\'s AWS settings or tokens; HOME is an empty folder; the function\'s own variables are there', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_PROFILE: 'prod-admin', AWS_SESSION_TOKEN: 'secret-session', GITHUB_TOKEN: 'ghp_secret', NPM_TOKEN: 'npm_secret', MY_APP_PASSWORD: 'hunter2' });
    let runner: HandlerRunner;
    try {
      runner = await runnerFor(`import { readdirSync } from 'node:fs';
export const handler = async () => ({ env: process.env, home: readdirSync(process.env.HOME) });
`);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    const r = await runner.invoke({});
    const { env, home } = r.response as { env: Record<string, string>; home: string[] };
    expect(home).toEqual([]);
    expect(env['HOME']).toBe(join(runner.workDir, '.lambda2sfn-home'));
    for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'GITHUB_TOKEN', 'NPM_TOKEN', 'MY_APP_PASSWORD']) expect(env[k]).toBeUndefined();
    expect(env['TABLE']).toBe('Items');
    expect(env['AWS_ACCESS_KEY_ID']).toBe('AKIDLAMBDA2SFNVERIFY');
    // Only what a process needs, the variables Lambda sets, and the function's own.
    const unexpected = Object.keys(env).filter((k) => !/^(PATH|LANG|LC_\w+|TMPDIR|TMP|TEMP|HOME|USERPROFILE|TZ|NODE_OPTIONS|TABLE|AWS_[A-Z0-9_]+|_HANDLER|LAMBDA_[A-Z_]+)$/.test(k));
    expect(unexpected).toEqual([]);
  });
});

describe('the network', () => {
  let server: Server;
  let port: number;
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('loopback is reachable; any other host is refused before any packet or DNS query, and reported', async () => {
    server = createServer((_req, res) => res.end('local'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    const runner = await runnerFor(`import http from 'node:http';
import net from 'node:net';
import dns from 'node:dns/promises';
const get = (url) => new Promise((resolve) => http.get(url, (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => resolve(b)); }).on('error', (e) => resolve('error ' + e.code)));
const tcp = (host, port) => new Promise((resolve) => net.connect({ host, port }).on('connect', () => resolve('connected')).on('error', (e) => resolve('error ' + e.code)));
export const handler = async (event) => ({
  local: await get('http://127.0.0.1:' + event.port + '/'),
  remote: await get('http://example.com/'),
  ip: await tcp('93.184.215.14', 443),
  fetched: await fetch('https://api.github.com/').then(() => 'fetched', (e) => 'error ' + (e.cause?.code ?? e.message)),
  dns: await dns.lookup('example.org').then(() => 'resolved', (e) => 'error ' + e.code),
});
`);
    const r = await runner.invoke({ port });
    expect(r.response).toEqual({ local: 'local', remote: 'error ECONNREFUSED', ip: 'error ECONNREFUSED', fetched: 'error ECONNREFUSED', dns: 'error ENOTFOUND' });
    expect(r.refusedConnections).toEqual(['example.com:80', '93.184.215.14:443', 'api.github.com:443', 'example.org (DNS lookup)']);
    expect(r.logs).toContain('[lambda2sfn] refused a connection to example.com:80');
  });
});

describe('handlers that do not end well are reported, not waited on', () => {
  test('a handler that never resolves: stopped at the time limit, reported', async () => {
    const runner = await runnerFor(`export const handler = () => new Promise(() => { setInterval(() => undefined, 1000); });\n`, { timeoutMs: 1500 });
    await expect(runner.invoke({})).rejects.toThrow(/^invoking src\/handler\.mjs timed out after 1\.5 s; the handler process was stopped/);
  });

  test('a handler that calls process.exit: the invocation is reported with the exit code, later ones refused at once', async () => {
    const runner = await runnerFor(`export const handler = async () => { process.exit(3); };\n`);
    await expect(runner.invoke({})).rejects.toThrow(/^the handler process exited with code 3 while invoking src\/handler\.mjs/);
    await expect(runner.invoke({})).rejects.toThrow(/the handler process is not running \(the handler process exited with code 3/);
  });

  test('a handler that leaves timers: its answer comes back at once, the timers are reported', async () => {
    const runner = await runnerFor(`export const handler = async () => { setTimeout(() => undefined, 3_600_000); setTimeout(() => undefined, 3_600_000); return 'answered'; };\n`);
    expect(await runner.invoke({})).toMatchObject({ response: 'answered', leftRunning: { timers: 2 } });
  });

  test('a handler that needs more memory than the limit: stopped, reported as out of memory', async () => {
    const runner = await runnerFor(`const keep = [];
export const handler = async () => { for (;;) keep.push(new Array(1_000_000).fill(keep.length)); };
`, { memoryMb: 64 });
    await expect(runner.invoke({})).rejects.toThrow(/^the handler process ran out of memory \(the limit is 64 MB\) and was stopped while invoking src\/handler\.mjs/);
  });
});

