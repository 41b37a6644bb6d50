// Runs the user's original Lambda handler for `verify`: the project is copied to a temporary folder (the user's
// files are never touched) with a node_modules link, and the handler runs there in a child Node.js process
// (runtime/handler-child.mjs, TypeScript through tsx) with the function's environment, dummy credentials and the
// AWS endpoints pointed at the local DynamoDB and stubs.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface HandlerRunnerOptions {
  /** The folder holding the handler's project (copied to a temp folder so the user's files are never touched). */
  projectDir: string;
  /** node_modules folder to link into the copy when the project has none (e.g. --deps); default: the project's own
   *  node_modules if present, else lambda2sfn's own node_modules. */
  deps?: string;
  /** The function's environment (env.json), already with stub URLs filled in. */
  env: Record<string, string>;
  /** `http2`: the stubs over h2c, for clients that speak only HTTP/2 (Bedrock Runtime). */
  endpoints: { dynamodb: string; stubs?: string; http2?: string };
  /** Per invocation, default 30_000. */
  timeoutMs?: number;
  /** Heap limit of the child in MB (default 1024); a handler that needs more is stopped and reported. */
  memoryMb?: number;
}

export interface HandlerError {
  errorType: string;
  errorMessage: string;
}

export interface InvokeResult {
  response?: unknown;
  error?: HandlerError;
  /** Connections the handler tried to open to anything but this machine's stubs: refused. */
  refusedConnections?: string[];
  /** What the handler left running after it answered (timers, sockets…), by kind. */
  leftRunning?: Record<string, number>;
  /** What the handler printed during this invocation (and, for the first one, while its module loaded). */
  logs: string;
}

export interface HandlerRunner {
  /** Process id of the child running the handler (undefined once it could not start). */
  readonly pid: number | undefined;
  /** The temporary copy of the project. */
  readonly workDir: string;
  /** Loads `file` (relative to projectDir) and resolves when loaded; rejects with a clear Error when the module throws on import. */
  load(file: string, exportName: string): Promise<void>;
  invoke(event: unknown): Promise<InvokeResult>;
  /** Writes an extra module into the copied project (e.g. an extracted residual function next to the handler) */
  writeFile(relativePath: string, text: string): Promise<void>;
  /** Calls `exportName` of `file` (relative to the copy) with `input`; rejects with a ComputeError when it fails. */
  compute(file: string, exportName: string, input: unknown): Promise<unknown>;
  /** Kills the child, removes the temp copy; idempotent; nothing left running. */
  close(): Promise<void>;
}

/** A compute() whose function threw or failed: `name` and `errorType` are what Lambda would report. */
export class ComputeError extends Error {
  readonly errorType: string;
  readonly logs: string;
  constructor(error: HandlerError, logs: string) {
    super(error.errorMessage);
    this.name = error.errorType;
    this.errorType = error.errorType;
    this.logs = logs;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MEMORY_MB = 1024;
/** Loading includes tsx compiling the handler and its imports: never less than this. */
const MIN_LOAD_TIMEOUT_MS = 30_000;
const REGION = 'us-east-1';
/** Nothing listens there: AWS calls without a stub fail fast on this machine instead of reaching AWS. */
const UNREACHABLE = 'http://127.0.0.1:9';
const CHILD_SCRIPT = join('runtime', 'handler-child.mjs');
/** Excluded anywhere in the project. */
const SKIP_ANYWHERE = new Set(['node_modules', '.git']);
/** Excluded at the top of the project only. */
const SKIP_AT_TOP = new Set(['dist']);
const LOG_TAIL = 4000;
/** Output kept between two answers (a handler logging in the background must not grow memory without bound). */
const MAX_LOG = 1_000_000;

/** Children still running: killed if this process exits without close(), so none outlives it. */
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of liveChildren) c.kill('SIGKILL');
});

// ------------------------------------------------------------------------------------------- locations

/** The folder holding package.json and runtime/handler-child.mjs (works from src/ under Jest and from dist/src/). */
export function runtimeRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, CHILD_SCRIPT))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`lambda2sfn: cannot find ${CHILD_SCRIPT} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const ownRequire = createRequire(import.meta.url);

/** tsx's loader, resolved from lambda2sfn's own dependencies (the user's project need not have tsx). */
function tsxLoaderUrl(): string {
  return pathToFileURL(ownRequire.resolve('tsx')).href;
}

/** lambda2sfn's own node_modules: the folder tsx was installed into (dependencies may be hoisted). */
function ownNodeModules(): string {
  const tsxPackage = ownRequire.resolve('tsx/package.json');
  const candidate = dirname(dirname(tsxPackage));
  return basename(candidate) === 'node_modules' ? candidate : join(runtimeRoot(), 'node_modules');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function nodeModulesFor(projectDir: string, deps: string | undefined): string {
  const own = join(projectDir, 'node_modules');
  if (isDir(own)) return own;
  if (deps) {
    let dir = resolve(deps);
    if (basename(dir) !== 'node_modules' && isDir(join(dir, 'node_modules'))) dir = join(dir, 'node_modules');
    if (!isDir(dir)) throw new Error(`dependencies folder ${deps} does not exist`);
    return dir;
  }
  return ownNodeModules();
}

// ------------------------------------------------------------------------------------------- environment

/**
 * The only variables the child takes from this process: what Node and child processes need to run (the search
 * path, the locale, the temp folder, Windows' system folders). Nothing else: no AWS_* setting, no GITHUB_TOKEN or
 * other secret, no NODE_OPTIONS from a test runner; HOME points at an empty folder, so no credentials file either.
 */
const INHERITED = /^(PATH|PATHEXT|LANG|LANGUAGE|LC_[A-Z]+|TMPDIR|TMP|TEMP|SYSTEMROOT|SYSTEMDRIVE|WINDIR|COMSPEC)$/i;

function inheritable(name: string): boolean {
  return INHERITED.test(name);
}

/** The parent's NODE_OPTIONS without what only makes sense here (Jest's --experimental-vm-modules). */
function childNodeOptions(): string | undefined {
  const kept = (process.env.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((o) => o && o !== '--experimental-vm-modules' && !/^(?:-r|--require|--import|--loader|--experimental-loader|--max-old-space-size)\b/.test(o));
  return kept.length ? kept.join(' ') : undefined;
}

/** The empty folder the child's HOME points at (inside the copy, removed with it). */
export const CHILD_HOME = '.lambda2sfn-home';

export function childEnvironment(opts: Pick<HandlerRunnerOptions, 'env' | 'endpoints'>, workDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && inheritable(k)) out[k] = v;
  const nodeOptions = childNodeOptions();
  if (nodeOptions) out['NODE_OPTIONS'] = nodeOptions;
  Object.assign(out, {
    HOME: join(workDir, CHILD_HOME),
    USERPROFILE: join(workDir, CHILD_HOME),
    TZ: 'UTC',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  // The function's own environment; Lambda reserves the AWS_* names set below, so those are not taken from it.
  Object.assign(out, opts.env);
  const stubs = opts.endpoints.stubs ?? UNREACHABLE;
  Object.assign(out, {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDA2SFNVERIFY',
    AWS_SECRET_ACCESS_KEY: 'lambda2sfn-verify-not-a-real-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    // No shared config or credentials files: nothing of this machine's AWS set-up reaches the handler.
    AWS_CONFIG_FILE: join(workDir, '.lambda2sfn-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, '.lambda2sfn-no-aws-credentials'),
    AWS_ENDPOINT_URL: stubs,
    AWS_ENDPOINT_URL_DYNAMODB: opts.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SNS: stubs,
    AWS_ENDPOINT_URL_EVENTBRIDGE: stubs,
    AWS_ENDPOINT_URL_SQS: stubs,
    // Named per service for SDK v2, which runtime/handler-child.mjs points at them (v3 also reads AWS_ENDPOINT_URL).
    AWS_ENDPOINT_URL_SSM: stubs,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stubs,
    AWS_ENDPOINT_URL_SFN: stubs,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: opts.endpoints.http2 ?? stubs,
  });
  return out;
}

// ------------------------------------------------------------------------------------------- the runner

interface ChildAnswer {
  type: 'loaded' | 'error' | 'result';
  id: number;
  response?: unknown;
  error?: HandlerError;
  phase?: string;
  errorType?: string;
  errorMessage?: string;
  refusedConnections?: string[];
  leftRunning?: Record<string, number>;
}

interface Pending {
  id: number;
  what: string;
  answer?: ChildAnswer;
  logs?: string;
  timer: NodeJS.Timeout;
  grace?: NodeJS.Timeout;
  resolve(v: { answer: ChildAnswer; logs: string }): void;
  reject(e: Error): void;
}

const MARKER = /\u0000l2s:done:(\d+)\u0000/;

function tail(text: string): string {
  const t = text.trim();
  return t.length > LOG_TAIL ? `…${t.slice(-LOG_TAIL)}` : t;
}

async function copyProject(projectDir: string, workDir: string): Promise<void> {
  await cp(projectDir, workDir, {
    recursive: true,
    filter: (src) => {
      const rel = relative(projectDir, src);
      if (!rel) return true;
      const name = basename(src);
      if (SKIP_ANYWHERE.has(name)) return false;
      return !(SKIP_AT_TOP.has(name) && !rel.includes(sep));
    },
  });
}

/** A path inside the copy; refuses anything that would land outside it. */
function inside(workDir: string, file: string): string {
  const abs = resolve(workDir, file);
  const rel = relative(workDir, abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${file} is not inside the project`);
  return abs;
}

export async function startHandlerRunner(opts: HandlerRunnerOptions): Promise<HandlerRunner> {
  const projectDir = resolve(opts.projectDir);
  if (!isDir(projectDir)) throw new Error(`project folder ${opts.projectDir} does not exist`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const nodeModules = nodeModulesFor(projectDir, opts.deps);
  const childScript = join(runtimeRoot(), CHILD_SCRIPT);
  const tsx = tsxLoaderUrl();

  const workDir = await mkdtemp(join(tmpdir(), 'lambda2sfn-handler-'));
  let child: ChildProcess;
  try {
    await copyProject(projectDir, workDir);
    await symlink(nodeModules, join(workDir, 'node_modules'), process.platform === 'win32' ? 'junction' : 'dir');
    await rm(join(workDir, CHILD_HOME), { recursive: true, force: true });
    await mkdir(join(workDir, CHILD_HOME));
    child = fork(childScript, [], {
      cwd: workDir,
      env: childEnvironment(opts, workDir),
      execPath: process.execPath,
      execArgv: ['--import', tsx, `--max-old-space-size=${opts.memoryMb ?? DEFAULT_MEMORY_MB}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
  } catch (err) {
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }

  let nextId = 0;
  let logBuffer = '';
  let pending: Pending | undefined;
  /** Set once the child can no longer answer: every later call fails with it. */
  let dead: Error | undefined;
  let exited = false;
  let loaded: { file: string; exportName: string; functionName: string } | undefined;
  /** What the module printed while loading: reported with the first invocation, as Lambda logs init with it. */
  let initLogs = '';
  let closing: Promise<void> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const exitPromise = new Promise<void>((done) => {
    child.once('exit', () => {
      exited = true;
      done();
    });
  });
  liveChildren.add(child);

  const finish = (p: Pending): void => {
    if (pending !== p || !p.answer) return;
    clearTimeout(p.timer);
    if (p.grace) clearTimeout(p.grace);
    pending = undefined;
    p.resolve({ answer: p.answer, logs: p.logs ?? '' });
  };

  const takeMarkers = (): void => {
    for (;;) {
      const m = MARKER.exec(logBuffer);
      if (!m) return;
      const before = logBuffer.slice(0, m.index);
      logBuffer = logBuffer.slice(m.index + m[0].length);
      if (pending && Number(m[1]) === pending.id) {
        pending.logs = before;
        finish(pending);
      } else logBuffer = before + logBuffer;
    }
  };
  const onOutput = (chunk: string): void => {
    logBuffer += chunk;
    if (logBuffer.includes('\u0000')) takeMarkers();
    if (logBuffer.length > MAX_LOG) logBuffer = logBuffer.slice(-MAX_LOG);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', onOutput);
  }

  const die = (reason: Error): void => {
    dead ??= reason;
    const p = pending;
    pending = undefined;
    if (p) {
      clearTimeout(p.timer);
      if (p.grace) clearTimeout(p.grace);
      p.reject(reason);
    }
  };

  child.on('message', (raw: unknown) => {
    const msg = raw as ChildAnswer;
    const p = pending;
    if (!p || msg?.id !== p.id) return;
    p.answer = msg;
    if (p.logs !== undefined) finish(p);
    else {
      // The end marker travels on stderr, which may be read a little after the IPC answer.
      p.grace = setTimeout(() => {
        p.logs = logBuffer.replace(/\u0000l2s:done:\d+\u0000/g, '');
        logBuffer = '';
        finish(p);
      }, 2000);
      takeMarkers();
    }
  });
  child.on('error', (err) => die(new Error(`the handler process failed: ${err.message}`)));
  child.on('exit', (code, signal) => {
    liveChildren.delete(child);
    if (closing) {
      die(new Error('the handler runner is closed'));
      return;
    }
    // Its last words (a crash report on stderr) may still be in the pipe: wait for the streams to close, briefly.
    let reported = false;
    const report = (): void => {
      if (reported) return;
      reported = true;
      const outOfMemory = /heap limit|JavaScript heap out of memory/.test(logBuffer);
      const how = outOfMemory ? `ran out of memory (the limit is ${opts.memoryMb ?? DEFAULT_MEMORY_MB} MB) and was stopped` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const doing = pending ? ` while ${pending.what}` : '';
      const logs = tail(logBuffer.replace(/\u0000l2s:done:\d+\u0000/g, ''));
      die(new Error(`the handler process ${how}${doing}${logs ? `; its last output:\n${logs}` : ''}`));
    };
    child.once('close', report);
    setTimeout(report, 300).unref();
  });

  /** Sends one request and waits for its answer; requests go one at a time. */
  const request = (what: string, message: Record<string, unknown>, limitMs: number): Promise<{ answer: ChildAnswer; logs: string }> => {
    const run = queue.then(
      () =>
        new Promise<{ answer: ChildAnswer; logs: string }>((resolvePromise, rejectPromise) => {
          if (dead) {
            rejectPromise(new Error(`${what}: the handler process is not running (${dead.message})`));
            return;
          }
          const id = ++nextId;
          const p: Pending = {
            id,
            what,
            resolve: resolvePromise,
            reject: rejectPromise,
            timer: setTimeout(() => {
              const seconds = Math.round(limitMs / 100) / 10;
              die(new Error(`${what} timed out after ${seconds} s; the handler process was stopped${logBuffer.trim() ? `; its last output:\n${tail(logBuffer)}` : ''}`));
              child.kill('SIGKILL');
            }, limitMs),
          };
          pending = p;
          try {
            child.send({ ...message, id });
          } catch (err) {
            die(new Error(`cannot reach the handler process: ${(err as Error).message}`));
          }
        }),
    );
    queue = run.catch(() => undefined);
    return run;
  };

  const runner: HandlerRunner = {
    get pid() {
      return child.pid;
    },
    workDir,

    async load(file, exportName) {
      const abs = inside(workDir, file);
      if (!existsSync(abs)) {
        // A handler in an excluded top-level folder (a built dist/): bring that folder in.
        const top = relative(workDir, abs).split(sep)[0]!;
        if (SKIP_AT_TOP.has(top) && existsSync(join(projectDir, top))) await cp(join(projectDir, top), join(workDir, top), { recursive: true, filter: (s) => !SKIP_ANYWHERE.has(basename(s)) });
        else throw new Error(`cannot load ${file}: no such file in ${projectDir}`);
      }
      const functionName = `${basename(file).replace(/\.[^.]+$/, '')}-${exportName}`;
      const { answer, logs } = await request(`loading ${file}`, { type: 'load', file: relative(workDir, abs), exportName, functionName }, Math.max(timeoutMs, MIN_LOAD_TIMEOUT_MS));
      if (answer.type !== 'loaded') {
        const detail = tail(logs);
        throw new Error(`cannot load ${file} (export ${exportName}): ${answer.errorType ?? 'Error'}: ${answer.errorMessage ?? 'unknown error'}${detail ? `\n${detail}` : ''}`);
      }
      loaded = { file, exportName, functionName };
      initLogs += logs;
    },

    async invoke(event) {
      if (!loaded && !dead) throw new Error('invoke() before load(): no handler is loaded');
      const { answer, logs: own } = await request(`invoking ${loaded?.file ?? 'the handler'}`, { type: 'invoke', event, functionName: loaded?.functionName, timeoutMs }, timeoutMs);
      const logs = initLogs + own;
      initLogs = '';
      const extra = { ...(answer.refusedConnections?.length ? { refusedConnections: answer.refusedConnections } : {}), ...(answer.leftRunning && Object.keys(answer.leftRunning).length ? { leftRunning: answer.leftRunning } : {}) };
      return answer.error ? { error: answer.error, logs, ...extra } : { response: answer.response ?? null, logs, ...extra };
    },

    async writeFile(relativePath, text) {
      const abs = inside(workDir, relativePath);
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, text);
    },

    async compute(file, exportName, input) {
      const abs = inside(workDir, file);
      const { answer, logs } = await request(`computing ${exportName} of ${file}`, { type: 'compute', file: relative(workDir, abs), exportName, input, timeoutMs }, timeoutMs);
      if (answer.error) throw new ComputeError(answer.error, logs);
      return answer.response ?? null;
    },

    close() {
      closing ??= (async () => {
        if (!exited) {
          child.kill('SIGTERM');
          const stopped = await Promise.race([exitPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
          if (!stopped) {
            child.kill('SIGKILL');
            await exitPromise;
          }
        }
        die(new Error('the handler runner is closed'));
        child.stdout?.destroy();
        child.stderr?.destroy();
        await rm(workDir, { recursive: true, force: true, maxRetries: 3 });
      })();
      return closing;
    },
  };
  return runner;
}
