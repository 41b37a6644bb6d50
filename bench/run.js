#!/usr/bin/env node
// Scan benchmark. The machine is shared and noisy, so every figure is a ratio against a baseline run
// alternately with it in the same process (never an absolute limit): R is ripgrep listing the JS/TS files
// that mention DynamoDB, i.e. the cost of reading the tree once.
//
// usage: npm run bench [-- --files 20000,1000] [--pairs 5] [--no-verify] [--keep]
// Without ripgrep (Debian: apt-get install ripgrep) R falls back to GNU `grep -rlE` with the same
// extensions and pattern; the bench says so, and the ratios are then not comparable with rg figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '20000,1000' },
    pairs: { type: 'string', default: '5' },
    verify: { type: 'boolean', default: true },
    keep: { type: 'boolean', default: false },
  },
  allowNegative: true,
});
const sizes = args.files.split(',').map(Number);
const pairs = Number(args.pairs);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(pairs) || pairs < 1) {
  console.error('usage: npm run bench [-- --files 20000,1000] [--pairs 5] [--no-verify] [--keep]');
  process.exit(2);
}

const cli = join(root, 'bin', 'lambda2sfn.js');
const work = mkdtempSync(join(tmpdir(), 'l2s-bench-'));
const timeBin = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p) && spawnSync(p, ['-v', 'true']).status === 0);
const hasRg = spawnSync('rg', ['--version']).status === 0;
const EXTENSIONS = ['js', 'jsx', 'ts', 'tsx', 'mjs', 'cjs', 'mts', 'cts'];
const PATTERN = 'lib-dynamodb|aws-sdk|DocumentClient|DynamoDB';
const baseline = (dir) =>
  hasRg
    ? ['rg', ['-l', '--type-add', `jsts:*.{${EXTENSIONS.join(',')}}`, '-t', 'jsts', PATTERN, dir]]
    : ['grep', ['-rlE', ...EXTENSIONS.map((e) => `--include=*.${e}`), PATTERN, dir]];

/**
 * Runs a command once: wall time, and the child's peak RSS (from time -v, else from a preload in node children).
 * `okExit`: the highest exit status that is not a failure (rg and grep: 1, nothing matched; scan: 2, file warnings
 * under --strict only; verify: 0, equivalent, so that a run refused early is never timed as if it had run).
 */
function run(cmd, argv, { stdout = 'ignore', cwd = root, okExit = cmd === 'rg' || cmd === 'grep' ? 1 : 2 } = {}) {
  const rssFile = join(work, 'rss');
  rmSync(rssFile, { force: true });
  let file = cmd;
  let list = argv;
  let env = process.env;
  if (timeBin) {
    file = timeBin;
    list = ['-v', '-o', rssFile, cmd, ...argv];
  } else if (cmd === process.execPath) {
    env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(root, 'bench', 'report-rss.cjs')}`, L2S_BENCH_RSS_FILE: rssFile };
  }
  const out = stdout === 'ignore' ? 'ignore' : 'pipe';
  const start = process.hrtime.bigint();
  const r = spawnSync(file, list, { cwd, env, stdio: ['ignore', out, 'pipe'], maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status === null || r.status > okExit || r.error) {
    throw new Error(`bench: ${cmd} ${argv.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr?.slice(-2000)}`);
  }
  let rssMb;
  if (existsSync(rssFile)) {
    const text = readFileSync(rssFile, 'utf8');
    const kb = timeBin ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1]) : Number(text);
    if (kb > 0) rssMb = kb / 1024;
  }
  return { ms, rssMb, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);

/** `pairs` alternating runs of `subject` and `base`: median per-pair ratio with its range, and the subject's figures. */
function compare(subject, base) {
  const ratios = [];
  const times = [];
  const baseTimes = [];
  const rss = [];
  for (let i = 0; i < pairs; i++) {
    const b = run(...base);
    const s = run(...subject);
    ratios.push(s.ms / b.ms);
    times.push(s.ms);
    baseTimes.push(b.ms);
    if (s.rssMb) rss.push(s.rssMb);
  }
  return { ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), ms: median(times), baseMs: median(baseTimes), rssMb: rss.length ? Math.max(...rss) : undefined };
}
const line = (label, c, extra = '') =>
  console.log(`${label.padEnd(34)} ${f1(c.ratio).padStart(6)}x  (${f1(c.min)}–${f1(c.max)})  ${Math.round(c.ms)} ms vs ${Math.round(c.baseMs)} ms${c.rssMb ? `, peak RSS ${Math.round(c.rssMb)} MB` : ''}${extra}`);

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`lambda2sfn bench: ${pairs} alternating pairs per figure; node ${process.version}; load average ${existsSync('/proc/loadavg') ? load() : 'unknown'}`);
console.log(`R = ${hasRg ? 'rg -l' : 'grep -rlE (ripgrep not found: fallback, not comparable with rg figures)'} over the JS/TS files for /${PATTERN}/; RSS from ${timeBin ? `${timeBin} -v` : 'process.resourceUsage().maxRSS of the child'}`);

const reportOnly = {};
try {
  for (const n of sizes) {
    const dir = join(work, `corpus-${n}`);
    execFileSync(process.execPath, [join(root, 'bench', 'gen-monorepo.cjs'), dir, String(n)], { stdio: 'ignore' });
    const full = run(process.execPath, [cli, 'scan', dir, '--format', 'json', '--diff'], { stdout: 'pipe' });
    const s = JSON.parse(full.stdout).summary;
    console.log(`\ncorpus: ${n} files; ${s.filesParsed} parsed, ${s.handlers} handlers (${s.full} full, ${s.partial} partial, ${s.none} none)`);
    const r = compare([process.execPath, [cli, 'scan', dir, '--no-asl']], baseline(dir));
    reportOnly[n] = r;
    line('scan --no-asl (report only) / R', r, `, ${Math.round(n / (r.ms / 1000))} files/s`);
    const e = compare([process.execPath, [cli, 'scan', dir, '--format', 'json', '--diff']], baseline(dir));
    line('scan --format json --diff / R', e, `, ${Math.round(n / (e.ms / 1000))} files/s`);
  }
  if (sizes.length > 1) {
    const [big, small] = [Math.max(...sizes), Math.min(...sizes)];
    console.log(`\nreport-only scan time ${big} / ${small} files: ${f2(reportOnly[big].ms / reportOnly[small].ms)} (files ratio ${big / small})`);
  }

  console.log('');
  line('lambda2sfn --version / node -e 0', compare([process.execPath, [cli, '--version']], [process.execPath, ['-e', '0']]));

  if (args.verify) {
    // Per event after start-up: the demo's events minus one event, so that starting dynalite, lifting and
    // the first run cancel out; variants off (--no-variants), each event runs once on each side.
    const demo = join(root, 'fixtures', 'demo');
    // An event names its handler relative to its events file: absolute here, since these files are elsewhere.
    const events = JSON.parse(readFileSync(join(demo, 'events.json'), 'utf8')).map((e) => ({ ...e, file: join(demo, e.file) }));
    const one = join(work, 'one-event.json');
    writeFileSync(one, JSON.stringify(events.slice(0, 1)));
    // The demo's events name four handlers, so "all minus one" also counts loading three more handlers in the
    // child (the SDK v2 among them). The same events five times over minus once counts the events alone (four
    // rounds of them, so that the difference stands above the noise of a shared machine).
    const ROUNDS = 5;
    const twice = join(work, 'events-repeated.json');
    writeFileSync(twice, JSON.stringify(Array.from({ length: ROUNDS }, (_, r) => events.map((e) => ({ ...e, name: r ? `${e.name} (round ${r + 1})` : e.name }))).flat()));
    const all = [];
    const first = [];
    const again = [];
    for (let i = 0; i < pairs; i++) {
      first.push(run(process.execPath, [cli, 'verify', demo, '--no-variants', '--events', one], { okExit: 0 }).ms);
      all.push(run(process.execPath, [cli, 'verify', demo, '--no-variants'], { okExit: 0 }).ms);
      again.push(run(process.execPath, [cli, 'verify', demo, '--no-variants', '--events', twice], { okExit: 0 }).ms);
    }
    const perEventSide = (median(all) - median(first)) / (events.length - 1) / 2;
    const perRepeatSide = (median(again) - median(all)) / (events.length * (ROUNDS - 1)) / 2;
    console.log(`verify fixtures/demo --no-variants: ${Math.round(median(all))} ms for ${events.length} events, ${Math.round(median(first))} ms for 1; ${f1(perEventSide)} ms per event per side after start-up (three more handlers loaded among them)`);
    console.log(`verify, the ${events.length} events ${ROUNDS} times over: ${Math.round(median(again))} ms; ${f1(perRepeatSide)} ms per event per side once the handlers are loaded`);
  }
} finally {
  if (args.keep) console.log(`\ncorpora kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
