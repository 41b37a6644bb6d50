// Analysing a scan's candidate files on several threads: the main thread and `jobs - 1` worker threads
// (scanWorker.ts) take chunks of files from one queue; outcomes are put back in file order, so the report is the
// one a single thread makes. Workers start before the files are read (their modules load meanwhile) and are
// told the scan's facts once the candidates are known.
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Lambda2sfnConfig } from '../config/types.js';
import type { EventSource } from '../report/types.js';
import type { QueryLanguageOption } from '../emit/chooseQueryLanguage.js';
import { analyzeFile, type FileContext, type FileOutcome } from './analyzeFile.js';

/** What a worker needs to analyse files as the main thread would (all structured-cloneable). */
export interface PoolSetup {
  root: string;
  config: Lambda2sfnConfig;
  routing?: 'choice' | 'split';
  queryLanguage?: QueryLanguageOption;
  deployed: Map<string, Set<string>>;
  eventSources: Map<string, { eventSource: EventSource; file: string }>;
  imported: Set<string>;
}

export interface PoolFile {
  path: string;
  text?: string;
}

export type PoolRequest = { type: 'setup'; setup: PoolSetup } | { type: 'files'; chunk: number; files: PoolFile[] };
interface PoolReply {
  chunk: number;
  outcomes: FileOutcome[];
}

/** Below this many candidates one thread is faster: a worker's start-up costs about as much as analysing 100 files. */
export const MIN_CANDIDATES_FOR_WORKERS = 300;
/** Trees this large start their workers before the candidates are known (most such trees have enough of them). */
export const MIN_FILES_FOR_EARLY_WORKERS = 5_000;
const MAX_AUTO_JOBS = 4;
/** Files per chunk: small enough to balance the threads, large enough that messages cost little. */
const CHUNK = 8;

/** Fewer cores than this: one thread unless --jobs says otherwise (two cores never gained from a worker in the bench). */
export const MIN_CORES_FOR_WORKERS = 4;

/**
 * `--jobs`: a given number is kept. Auto: 1 under the thresholds; else one thread per core (up to 4, one per 150
 * candidates) that is idle, judging by the load average (this scan counts as one): on a busy machine a worker
 * only adds its start-up and a cold JIT to the work, it gets no core of its own.
 */
export function chooseJobs(requested: number | undefined, candidates: number, cores = availableParallelism(), load = loadavg()[0]!): number {
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  if (candidates < MIN_CANDIDATES_FOR_WORKERS || cores < MIN_CORES_FOR_WORKERS) return 1;
  const idle = Math.round(cores + 1 - load);
  return Math.max(1, Math.min(cores, MAX_AUTO_JOBS, Math.ceil(candidates / 150), idle));
}

/** The worker module beside this one: compiled JavaScript, or (run from the TypeScript sources, in tests) through tsx. */
function startWorker(): Worker {
  const own = new URL(import.meta.url);
  if (!own.pathname.endsWith('.ts')) return new Worker(new URL('./scanWorker.js', own));
  const source = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./scanWorker.ts', own).href)}); })`;
  return new Worker(source, { eval: true, execArgv: [] });
}

/** What the last pool did (tests check that workers did take part): chunks the workers analysed, and whether one failed. */
export const lastPoolRun = { workerChunks: 0, failed: false };

export class ScanPool {
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private onFailure: ((e: Error) => void) | undefined;

  /** Starts `count` worker threads (their modules load in the background). */
  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const w = startWorker();
      const fail = (e: Error) => {
        this.failure ??= e;
        this.onFailure?.(this.failure);
      };
      w.on('error', fail);
      w.on('exit', (code) => code !== 0 && fail(new Error(`scan worker exited with code ${code}`)));
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Stops the workers no longer needed (all of them by default). */
  async shrink(to = 0): Promise<void> {
    const stopping = this.workers.splice(to);
    for (const w of stopping) w.removeAllListeners('exit');
    await Promise.all(stopping.map((w) => w.terminate()));
  }

  /**
   * Analyses `files` on the main thread (with `ctx`) and on the workers; the outcomes in the order of `files`.
   * Rejects when a worker fails (the caller then analyses everything on one thread). `progress` after each chunk.
   */
  async analyze(files: PoolFile[], ctx: FileContext, setup: PoolSetup, progress: (done: FileOutcome[]) => void): Promise<FileOutcome[]> {
    if (this.failure) throw this.failure;
    const chunks: PoolFile[][] = [];
    for (let i = 0; i < files.length; i += CHUNK) chunks.push(files.slice(i, i + CHUNK));
    const results: FileOutcome[][] = new Array(chunks.length);
    let next = 0;
    let pending = 0;
    lastPoolRun.workerChunks = 0;
    lastPoolRun.failed = false;
    return new Promise<FileOutcome[]>((resolve, reject) => {
      let settled = false;
      const finish = (e?: Error) => {
        if (settled) return;
        settled = true;
        for (const w of this.workers) w.removeAllListeners('message');
        lastPoolRun.failed = Boolean(e);
        if (e) reject(e);
        else resolve(results.flat());
      };
      this.onFailure = finish;
      const send = (w: Worker) => {
        if (next >= chunks.length) return;
        const chunk = next++;
        pending += 1;
        w.postMessage({ type: 'files', chunk, files: chunks[chunk]! } satisfies PoolRequest);
      };
      const done = () => next >= chunks.length && pending === 0 && finish();
      for (const w of this.workers) {
        w.postMessage({ type: 'setup', setup } satisfies PoolRequest);
        w.on('message', (reply: PoolReply) => {
          results[reply.chunk] = reply.outcomes;
          pending -= 1;
          lastPoolRun.workerChunks += 1;
          progress(reply.outcomes);
          send(w);
          done();
        });
        // Two chunks in flight: a worker never waits while the main thread is busy with its own chunk.
        send(w);
        send(w);
      }
      // The main thread's share, one chunk per turn of the event loop so that workers' replies are taken.
      const step = () => {
        if (settled) return;
        if (next < chunks.length) {
          const chunk = next++;
          try {
            results[chunk] = chunks[chunk]!.map((f) => analyzeFile(f.path, f.text, ctx));
          } catch (e) {
            finish(e as Error);
            return;
          }
          progress(results[chunk]!);
          setImmediate(step);
        } else done();
      };
      setImmediate(step);
    });
  }
}
