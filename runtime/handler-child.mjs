// handler-child.mjs: runs a user's Lambda handler for `lambda2sfn verify`, in its own Node.js process.
//
// Started by src/verify/handlerRunner.ts as `node --import <tsx> runtime/handler-child.mjs`, with the copied
// project as its working folder, and driven over the IPC channel, one request at a time:
//   { type: 'load', id, file, exportName, functionName? }  -> { type: 'loaded', id }
//                                                              | { type: 'error', id, phase: 'load', errorType, errorMessage }
//   { type: 'invoke', id, event, functionName, timeoutMs? } -> { type: 'result', id, response } | { type: 'result', id, error }
//   { type: 'compute', id, file, exportName, input }        -> same as invoke
// Everything the handler prints (console, process.stdout) goes to this process's stderr, which the parent
// captures; after each answer a marker ("\0l2s:done:<id>\0") is written to stderr so the parent can cut the
// log of that request. Nothing but the answers goes over the IPC channel.
//
// Plain JavaScript on purpose: it is shipped as is (not compiled) and must run from the published package.

import dns from 'node:dns';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const REGION = process.env.AWS_REGION || 'us-east-1';
const DEFAULT_TIMEOUT_MS = 30_000;

// ------------------------------------------------------------------------------------- output

const writeStderr = process.stderr.write.bind(process.stderr);
// The handler's stdout shares stderr, so its output and the end markers keep their order.
process.stdout.write = (chunk, encoding, cb) => writeStderr(chunk, encoding, cb);

function marker(id) {
  writeStderr(`\u0000l2s:done:${id}\u0000`);
}

function send(message) {
  marker(message.id);
  if (process.connected) {
    try {
      process.send(message);
    } catch (err) {
      writeStderr(`[lambda2sfn] cannot answer the parent: ${err?.message ?? err}\n`);
    }
  }
}

// The parent went away: nothing left to do.
process.on('disconnect', () => process.exit(0));


// ------------------------------------------------------------------------------------- network

// Only this machine: the local DynamoDB, the stubs and the emulators all listen on loopback. Any other host is
// refused before a packet leaves (and before a DNS query), and reported with the invocation.
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1|::ffff:127(?:\.\d{1,3}){3})$/i;
let refusedConnections = [];

function refuse(what) {
  refusedConnections.push(what);
  writeStderr(`[lambda2sfn] refused a connection to ${what}: verify lets the handler reach only the local stubs\n`);
  const err = new Error(`connect ECONNREFUSED ${what} (lambda2sfn verify allows only the local stubs)`);
  err.code = 'ECONNREFUSED';
  return err;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === 'object' ? first : typeof first === 'string' && !/^\d+$/.test(first) ? { path: first } : { port: first, host: args[1] };
  // As net itself decides: a truthy path is a local (Unix or named-pipe) socket, else host and port.
  const pipe = Boolean(options.path);
  const host = typeof options.host === 'string' && options.host ? options.host.replace(/^\[|\]$/g, '') : 'localhost';
  if (pipe || !LOOPBACK.test(host)) {
    const err = refuse(pipe ? `the socket ${options.path}` : `${host}:${options.port}`);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  if (typeof hostname === 'string' && !LOOPBACK.test(hostname)) {
    const callback = rest[rest.length - 1];
    const err = refuse(`${hostname} (DNS lookup)`);
    err.code = 'ENOTFOUND';
    if (typeof callback === 'function') process.nextTick(() => callback(err));
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async (hostname, options) => {
  if (typeof hostname === 'string' && !LOOPBACK.test(hostname)) {
    const err = refuse(`${hostname} (DNS lookup)`);
    err.code = 'ENOTFOUND';
    throw err;
  }
  return promisesLookup.call(dns.promises, hostname, options);
};

// ------------------------------------------------------------------------------------- errors

/** errorType / errorMessage the way Lambda reports a failed invocation (name, or class name for plain Errors). */
function errorInfo(err) {
  if (err !== null && typeof err === 'object') {
    const name = typeof err.name === 'string' && err.name && err.name !== 'Error' ? err.name : err.constructor?.name || 'Error';
    let message;
    try {
      message = err.message !== undefined ? String(err.message) : String(err);
    } catch {
      message = Object.prototype.toString.call(err);
    }
    return { errorType: String(name), errorMessage: message };
  }
  // `throw 'text'` / `callback('text')`: Lambda reports the JavaScript type.
  return { errorType: typeof err, errorMessage: String(err) };
}

function describe(err) {
  return err instanceof Error ? err.stack || `${err.name}: ${err.message}` : String(err);
}

// ------------------------------------------------------------------------------------- SDK v2 set-up

const configuredSdks = new Set();

/**
 * SDK v2 ignores the AWS_ENDPOINT_URL_* variables: point its global configuration at the local servers, for the
 * copy of `aws-sdk` the code in `dir` would load (the same module instance, so the handler sees it).
 */
function configureSdkV2(dir) {
  const req = createRequire(path.join(dir, '__lambda2sfn__.cjs'));
  let AWS;
  for (const id of ['aws-sdk/global', 'aws-sdk']) {
    let resolved;
    try {
      resolved = req.resolve(id);
    } catch {
      continue;
    }
    if (configuredSdks.has(resolved)) return;
    configuredSdks.add(resolved);
    AWS = req(id);
    break;
  }
  if (!AWS?.config || typeof AWS.config.update !== 'function') return;
  const env = process.env;
  const services = {};
  const endpoint = (url) => (url ? { endpoint: url } : undefined);
  if (env.AWS_ENDPOINT_URL_DYNAMODB) services.dynamodb = endpoint(env.AWS_ENDPOINT_URL_DYNAMODB);
  if (env.AWS_ENDPOINT_URL_SNS) services.sns = endpoint(env.AWS_ENDPOINT_URL_SNS);
  if (env.AWS_ENDPOINT_URL_EVENTBRIDGE) {
    services.eventbridge = endpoint(env.AWS_ENDPOINT_URL_EVENTBRIDGE);
    services.cloudwatchevents = endpoint(env.AWS_ENDPOINT_URL_EVENTBRIDGE);
  }
  if (env.AWS_ENDPOINT_URL_SQS) services.sqs = endpoint(env.AWS_ENDPOINT_URL_SQS);
  if (env.AWS_ENDPOINT_URL_SSM) services.ssm = endpoint(env.AWS_ENDPOINT_URL_SSM);
  if (env.AWS_ENDPOINT_URL_SECRETS_MANAGER) services.secretsmanager = endpoint(env.AWS_ENDPOINT_URL_SECRETS_MANAGER);
  if (env.AWS_ENDPOINT_URL_SFN) services.stepfunctions = endpoint(env.AWS_ENDPOINT_URL_SFN);
  AWS.config.update(
    {
      region: REGION,
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...services,
    },
    // Service keys (dynamodb, sns, ...) are only "known" once the service classes are loaded.
    true,
  );
}

// ------------------------------------------------------------------------------------- modules

const modules = new Map();

async function importModule(file) {
  const abs = path.resolve(file);
  let mod = modules.get(abs);
  if (!mod) {
    configureSdkV2(path.dirname(abs));
    mod = await import(pathToFileURL(abs).href);
    modules.set(abs, mod);
  }
  return mod;
}

/** The exported function: a named export, a property of a CommonJS default export, `default`, or a dotted path. */
function exportedFunction(mod, exportName, file) {
  const candidates = [mod[exportName], mod.default?.[exportName]];
  if (exportName === 'default') candidates.push(mod.default?.default, mod.default);
  if (exportName.includes('.')) {
    for (const root of [mod, mod.default]) {
      candidates.push(exportName.split('.').reduce((o, k) => (o == null ? undefined : o[k]), root));
    }
  }
  const fn = candidates.find((c) => typeof c === 'function');
  if (!fn) {
    const err = new Error(`${file} has no exported function "${exportName}"`);
    err.name = 'Runtime.HandlerNotFound';
    throw err;
  }
  return fn;
}

// ------------------------------------------------------------------------------------- invocation

let requestCount = 0;

function lambdaContext(functionName, timeoutMs, settle) {
  const deadline = Date.now() + timeoutMs;
  requestCount += 1;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '256',
    awsRequestId: `c0ffee00-0000-4000-8000-${String(requestCount).padStart(12, '0')}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2024/01/01/[$LATEST]00000000000000000000000000000000',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    // The legacy context methods.
    done: (err, value) => settle(err, value),
    succeed: (value) => settle(null, value),
    fail: (err) => settle(err ?? new Error('handler failed')),
  };
}

/** The invocation in progress: an uncaught error or unhandled rejection fails it, as in Lambda. */
let failCurrent;

function activeResources() {
  const counts = new Map();
  for (const type of process.getActiveResourcesInfo?.() ?? []) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/**
 * Calls `onEmpty` once nothing the handler started keeps the event loop busy (no more timers, sockets, file
 * requests... than before it ran): Lambda answers a handler that never calls back at that point, with null.
 */
function whenLoopEmpty(baseline, isSettled, onEmpty) {
  const check = () => {
    if (isSettled()) return;
    const now = activeResources();
    if ([...now].every(([type, n]) => n <= (baseline.get(type) ?? 0))) onEmpty();
    else setTimeout(check, 5).unref();
  };
  setTimeout(check, 5).unref();
}

/**
 * Calls the handler like the Lambda Node.js runtime: the first of callback, context.succeed/fail/done and the
 * returned promise wins. A handler that returns something else: with fewer than three parameters and a value,
 * that value is the result (as run-handlers.mjs does); otherwise the callback is awaited, and when the event loop
 * empties without it, the result is null.
 */
function invoke(fn, event, functionName, timeoutMs) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err, value) => {
      if (settled) return;
      settled = true;
      failCurrent = undefined;
      if (err !== null && err !== undefined) reject(err);
      else resolve(value);
    };
    failCurrent = (err) => settle(err);
    const callback = (err, value) => settle(err, value);
    const baseline = activeResources();
    try {
      const ret = fn(event, lambdaContext(functionName, timeoutMs, settle), callback);
      if (ret && typeof ret.then === 'function') {
        ret.then(
          (v) => settle(null, v),
          (e) => settle(e ?? new Error('handler rejected without a reason')),
        );
      } else if (fn.length < 3 && ret !== undefined) settle(null, ret);
      else whenLoopEmpty(baseline, () => settled, () => settle(null, null));
    } catch (e) {
      settle(e ?? new Error('handler threw without a reason'));
    }
  });
}

/** Lambda returns the JSON serialisation of the result (undefined becomes null). */
function serialise(value) {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

async function run(fn, payload, functionName, timeoutMs) {
  refusedConnections = [];
  const before = activeResources();
  let outcome;
  try {
    const value = await invoke(fn, payload, functionName, timeoutMs);
    outcome = { response: serialise(value) };
  } catch (err) {
    writeStderr(`[lambda2sfn] ${functionName} failed: ${describe(err)}\n`);
    outcome = { error: errorInfo(err) };
  }
  // Timers the handler left behind: Lambda would freeze them with the environment; reported, never waited for.
  const leftRunning = {};
  for (const [type, n] of activeResources()) if (type === 'Timeout' && n > (before.get(type) ?? 0)) leftRunning['timers'] = n - (before.get(type) ?? 0);
  return { ...outcome, ...(refusedConnections.length ? { refusedConnections } : {}), ...(Object.keys(leftRunning).length ? { leftRunning } : {}) };
}

function functionNameOf(file, exportName) {
  return `${path.basename(file).replace(/\.[^.]+$/, '')}-${exportName}`;
}

process.on('uncaughtException', (err) => {
  writeStderr(`[lambda2sfn] uncaught exception: ${describe(err)}\n`);
  failCurrent?.(err);
});

process.on('unhandledRejection', (reason) => {
  writeStderr(`[lambda2sfn] unhandled promise rejection: ${describe(reason)}\n`);
  if (failCurrent) {
    const inner = errorInfo(reason);
    const err = new Error(`${inner.errorType}: ${inner.errorMessage}`);
    err.name = 'Runtime.UnhandledPromiseRejection';
    failCurrent(err);
  }
});

// ------------------------------------------------------------------------------------- requests

let handler; // { fn, functionName }

async function handle(msg) {
  switch (msg?.type) {
    case 'load': {
      try {
        const mod = await importModule(msg.file);
        const fn = exportedFunction(mod, msg.exportName, msg.file);
        const functionName = msg.functionName || functionNameOf(msg.file, msg.exportName);
        process.env.AWS_LAMBDA_FUNCTION_NAME ||= functionName;
        handler = { fn, functionName };
        send({ type: 'loaded', id: msg.id });
      } catch (err) {
        writeStderr(`[lambda2sfn] loading ${msg.file} failed: ${describe(err)}\n`);
        send({ type: 'error', id: msg.id, phase: 'load', ...errorInfo(err) });
      }
      return;
    }
    case 'invoke': {
      if (!handler) {
        send({ type: 'result', id: msg.id, error: { errorType: 'Runtime.HandlerNotFound', errorMessage: 'no handler loaded' } });
        return;
      }
      const functionName = msg.functionName || handler.functionName;
      const outcome = await run(handler.fn, msg.event, functionName, msg.timeoutMs || DEFAULT_TIMEOUT_MS);
      send({ type: 'result', id: msg.id, ...outcome });
      return;
    }
    case 'compute': {
      let fn;
      try {
        fn = exportedFunction(await importModule(msg.file), msg.exportName, msg.file);
      } catch (err) {
        writeStderr(`[lambda2sfn] loading ${msg.file} failed: ${describe(err)}\n`);
        send({ type: 'result', id: msg.id, error: errorInfo(err) });
        return;
      }
      const outcome = await run(fn, msg.input, functionNameOf(msg.file, msg.exportName), msg.timeoutMs || DEFAULT_TIMEOUT_MS);
      send({ type: 'result', id: msg.id, ...outcome });
      return;
    }
    default:
      writeStderr(`[lambda2sfn] unknown request ${JSON.stringify(msg)?.slice(0, 200)}\n`);
  }
}

// One request at a time, in order, like a Lambda execution environment.
let queue = Promise.resolve();
process.on('message', (msg) => {
  queue = queue.then(() => handle(msg)).catch((err) => writeStderr(`[lambda2sfn] ${describe(err)}\n`));
});

if (!process.send) {
  writeStderr('handler-child.mjs is started by lambda2sfn verify (it needs an IPC channel)\n');
  process.exit(2);
}
