#!/usr/bin/env node
// Scan benchmark: ratios against baselines measured in the same run (never absolute limits).
// usage: npm run bench [-- FILES]   (default 3000 files from ../shared/bench/gen-monorepo.js)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = Number(process.argv[2] ?? 3000);
const generator = join(root, '..', 'shared', 'bench', 'gen-monorepo.js');
if (!existsSync(generator)) {
  console.error(`bench: generator not found at ${generator}`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'l2s-bench-'));
execFileSync(process.execPath, [generator, dir, String(files)], { stdio: 'ignore' });

function time(fn) {
  const t = process.hrtime.bigint();
  const r = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
}
function readAll(d) {
  let n = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) n += readAll(p);
    else n += readFileSync(p, 'utf8').length > 0 ? 1 : 0;
  }
  return n;
}
const cli = join(root, 'bin', 'lambda2sfn.js');
const scan = (...extra) => {
  const out = spawnSync(process.execPath, [cli, 'scan', dir, '--format', 'json', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return JSON.parse(out.stdout).summary;
};
const nodeStart = time(() => spawnSync(process.execPath, ['-e', '0']));
const read = time(() => readAll(dir));
const rg = spawnSync('rg', ['--version']).status === 0 ? time(() => spawnSync('rg', ['-l', '-i', 'dynamo', dir])) : undefined;
const version = time(() => spawnSync(process.execPath, [cli, '--version']));
const withPrefilter = time(() => scan());
const withoutPrefilter = time(() => scan('--no-prefilter'));
rmSync(dir, { recursive: true, force: true });

const f = (x) => x.toFixed(2);
console.log(`files: ${files}; handlers found: ${withPrefilter.r.handlers} (without prefilter: ${withoutPrefilter.r.handlers}); parsed: ${withPrefilter.r.filesParsed} vs ${withoutPrefilter.r.filesParsed}`);
console.log(`--version start-up / node -e 0:          ${f(version.ms / nodeStart.ms)}  (${f(version.ms)} ms vs ${f(nodeStart.ms)} ms)`);
console.log(`scan / (node start-up + read every file): ${f(withPrefilter.ms / (nodeStart.ms + read.ms))}  (${f(withPrefilter.ms)} ms)`);
if (rg) console.log(`scan / rg -l:                             ${f(withPrefilter.ms / rg.ms)}`);
console.log(`scan --no-prefilter / scan:               ${f(withoutPrefilter.ms / withPrefilter.ms)}  (parse work cut ${f(withoutPrefilter.r.filesParsed / Math.max(1, withPrefilter.r.filesParsed))}x)`);
if (withPrefilter.r.handlers !== withoutPrefilter.r.handlers) {
  console.error('bench: the prefilter changed which handlers were found');
  process.exit(1);
}
