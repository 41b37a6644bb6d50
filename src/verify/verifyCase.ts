// verify: run the original handler and the proposed state machine side by side, event by event, each side on
// its own embedded DynamoDB (behind the transaction emulator) and its own recording stubs, and compare
// responses, table contents after every event, and outgoing calls.
import { readJsonInput } from '../config/jsonInput.js';
import { ENV_SCHEMA, EVENTS_SCHEMA, STUBS_SCHEMA, TABLES_SCHEMA } from './inputSchemas.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { UsageError } from '../errors.js';
import type { Finding } from '../report/types.js';
import { scanProject } from '../scan/scanProject.js';
import { startDynamoProxy, type DynamoProxy } from './dynamoProxy.js';
import { startHandlerRunner, type HandlerRunner } from './handlerRunner.js';
import { createTables, dumpTables, restoreTables, startLocalDynamo, type LocalDynamo, type TableSpec } from './localDynamo.js';
import { VariantPlanner, type Variant } from './variants.js';
import { comparableResponse, inputStrings, normalizeValue, sortKeys } from './normalize.js';
import { validateAsl } from '../emit/validateAsl.js';
import { bindTasks, runDefinition, substitute, UnboundTaskError, type SideEffect } from './runStateMachine.js';
import { connectionAuthHeader } from '../model/workflow.js';
import { apiRequestFromEvent, isApiEvent, lambdaProxyResponse, renderRequestTemplate, renderResponseTemplate, type SyncExecutionResult } from './apiGateway.js';
import { startStubServer, type StubRoute, type StubServer, type StubsFile } from './stubServer.js';
import { checkJsonataDefinition } from './jsonata/executeJsonata.js';
import { InvalidJsonataDefinition, NotSupportedByExecutor } from './jsonata/errors.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface VerifyOptions {
  cwd: string;
  events?: string;
  tables?: string;
  env?: string;
  stubs?: string;
  exportName?: string;
  /** node_modules to run the handler with when its project has none. */
  deps?: string;
  /** `--routing split`: verify each route's own state machine (the one API Gateway would select for the event). */
  routing?: 'choice' | 'split';
  /** `--query-language`: which proposal to verify (auto, jsonpath or jsonata), as scan chooses it. */
  queryLanguage?: import('../emit/chooseQueryLanguage.js').QueryLanguageOption;
  /** Proposals to verify instead of scanning the handler again (e.g. from a saved report). */
  findings?: Finding[];
  /** Derive variants of the events (attributes absent, NULL or of another type; tables empty; request fields). Default on. */
  variants?: boolean;
}

export interface VerifyEvent {
  name: string;
  file: string;
  export: string;
  equal: boolean;
  handler: unknown;
  stateMachine: unknown;
  diff: string;
  reason?: string;
  /** Compared as HTTP responses: the handler behind a Lambda proxy integration, the machine behind its front-door templates. */
  throughFrontDoor?: boolean;
}

/** An event verify derived on its own (see variants.ts), run from the tables the original event found. */
export interface VerifyVariant extends VerifyEvent {
  /** The event it was derived from. */
  from: string;
  tables: { equal: boolean; diff: string };
  sideEffects: { equal: boolean; diff: string };
  /**
   * A difference that only a value the proposal states it takes for granted can cause (an attribute of another
   * type than the stated one): reported, not counted against equivalence.
   */
  stated?: string;
}

export interface VerifyReport {
  equivalent: boolean;
  handlers: Array<{ file: string; export: string; convertible: Finding['convertible'] | 'not found'; equivalent: boolean; reason?: string }>;
  events: VerifyEvent[];
  tables: { equal: boolean; diff: string };
  sideEffects: { equal: boolean; diff: string };
  /** How the run was set up, when it is not obvious (e.g. tables derived from key usage). */
  notes: string[];
  variants: VerifyVariant[];
}

interface RecordedEvent {
  name?: string;
  file?: string;
  export?: string;
  event: unknown;
  compare?: 'status';
}

interface Side {
  dynamo: LocalDynamo;
  proxy: DynamoProxy;
  client: DynamoDBClient;
  stubs: StubServer;
}

export const NO_HANDLER_FOR_EVENT = 'no handler found for this event';

const isExecutorRefusal = (e: unknown) => e instanceof NotSupportedByExecutor || e instanceof InvalidJsonataDefinition;

/** Where the handler's project starts: the nearest folder above the file with a package.json, not above the case folder. */
function projectDirOf(file: string, caseDir: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir || dir === caseDir || relative(caseDir, parent).startsWith('..')) return caseDir;
    dir = parent;
  }
  return dir;
}

/** The nearest folder at or above a handler file with a package.json: what it imports from sibling folders is there. */
function packageRootOf(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function diffText(a: unknown, b: unknown): string {
  const left = JSON.stringify(a, null, 2) ?? 'undefined';
  const right = JSON.stringify(b, null, 2) ?? 'undefined';
  return left === right ? '' : createTwoFilesPatch('handler', 'state machine', left + '\n', right + '\n', '', '', { context: 3 });
}

async function startSide(tables: TableSpec[], stubsDoc: StubsFile, tablesSource: string): Promise<Side> {
  const dynamo = await startLocalDynamo();
  const proxy = await startDynamoProxy(dynamo.endpoint);
  const client = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const side: Side = { dynamo, proxy, client, stubs: await startStubServer(stubsDoc) };
  try {
    await createTables(dynamo.client, tables);
  } catch (e) {
    // Nothing is assigned to the caller yet: close here, or the servers keep the process alive.
    await closeSide(side);
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${tablesSource}: DynamoDB refused the tables: ${(e as Error).message}`);
  }
  return side;
}

async function closeSide(side: Side | undefined): Promise<void> {
  if (!side) return;
  side.client.destroy();
  await Promise.allSettled([side.stubs.close(), side.proxy.close()]);
  await side.dynamo.close();
}

/**
 * Without tables.json: the tables a proposal reads and writes, keyed as its Key parameters say. Only
 * single-attribute keys are unambiguous (with two, which one is the sort key cannot be known).
 */
export function tablesFromKeyUsage(findings: Finding[], env: Record<string, string>): { tables?: TableSpec[]; why: string } {
  const keys = new Map<string, Map<string, 'S' | 'N' | 'B'>>();
  const used = new Set<string>();
  const visit = (states: Record<string, Record<string, unknown>>) => {
    for (const st of Object.values(states)) {
      const params = (st['Parameters'] ?? st['Arguments']) as { TableName?: string; Key?: Record<string, Record<string, unknown>> } | undefined;
      if (st['Type'] !== 'Task' || !/dynamodb:/.test(String(st['Resource'])) || !params?.TableName) continue;
      const name = params.TableName.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, sub: string) => {
        const source = findings.find((f) => f.stateMachine?.substitutions[sub])?.stateMachine?.substitutions[sub] ?? '';
        return env[source.replace(/^process\.env\./, '')] ?? sub;
      });
      used.add(name);
      if (!params.Key) continue;
      const attrs = keys.get(name) ?? new Map();
      for (const [attr, av] of Object.entries(params.Key)) {
        const type = Object.keys(av)[0]?.replace('.$', '');
        if (type === 'S' || type === 'N' || type === 'B') attrs.set(attr, type);
      }
      keys.set(name, attrs);
    }
  };
  for (const f of findings) if (f.stateMachine) visit(f.stateMachine.definition.States as never);
  if (used.size === 0) return { why: 'the proposal uses no table' };
  const tables: TableSpec[] = [];
  for (const name of used) {
    const attrs = keys.get(name);
    if (!attrs || attrs.size === 0) return { why: `the key of table ${name} is not used in a Key parameter` };
    if (attrs.size > 1) return { why: `table ${name} has a composite key (${[...attrs.keys()].join(', ')}) whose partition and sort keys cannot be told apart` };
    const [[attr, type]] = [...attrs];
    tables.push({ TableName: name, KeySchema: [{ AttributeName: attr, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: attr, AttributeType: type }], items: [] });
  }
  return { tables, why: '' };
}

/** With split routing, the machine API Gateway would select for this event: its route's, else the catch-all's. */
function routeMachineFor(f: Finding, event: unknown): Finding['stateMachine'] {
  if (!f.routeMachines) return undefined;
  const valueAt = (field: string) => field.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), event);
  const hit = f.routeMachines.find((r) => r.match && r.match.values.includes(String(valueAt(r.match.field))));
  return (hit ?? f.routeMachines.find((r) => !r.match))?.stateMachine;
}

export async function verifyCase(target: string, opts: VerifyOptions): Promise<VerifyReport> {
  const abs = resolve(opts.cwd, target);
  if (!existsSync(abs)) throw new UsageError(`no such file or folder: ${target}`);
  const caseDir = statSync(abs).isDirectory() ? abs : dirname(abs);
  const at = (explicit: string | undefined, name: string) => (explicit ? resolve(opts.cwd, explicit) : join(caseDir, name));
  const eventsFile = at(opts.events, 'events.json');
  const tablesFile = at(opts.tables, 'tables.json');
  if (!existsSync(eventsFile)) throw new UsageError(`no events: ${relative(opts.cwd, eventsFile)} does not exist (pass --events FILE)`);
  const events = readJsonInput<RecordedEvent[]>(eventsFile, 'events file', EVENTS_SCHEMA);
  const envFile = at(opts.env, 'env.json');
  const env = existsSync(envFile) ? readJsonInput<Record<string, string>>(envFile, 'env file', ENV_SCHEMA) : {};
  const stubsFile = at(opts.stubs, 'stubs.json');
  const stubsDoc = existsSync(stubsFile) ? readJsonInput<StubRoute[] | StubsFile>(stubsFile, 'stubs file', STUBS_SCHEMA) : [];
  const routes = Array.isArray(stubsDoc) ? stubsDoc : stubsDoc.http ?? [];
  const stubsSpec: StubsFile = Array.isArray(stubsDoc) ? { http: stubsDoc } : stubsDoc;

  // The proposal for every handler the events name (or the single handler file given).
  const scanned = await scanProject([abs], { cwd: opts.cwd, routing: opts.routing, queryLanguage: opts.queryLanguage });
  const report = opts.findings ? { ...scanned, findings: opts.findings } : scanned;
  // An event names its handler file relative to the events file (the case folder's own events.json: the case folder).
  const fileOf = (e: RecordedEvent) => (e.file ? resolve(dirname(eventsFile), e.file) : statSync(abs).isFile() ? abs : undefined);
  for (const e of events) {
    const file = fileOf(e);
    if (file && !existsSync(file)) throw new UsageError(`event ${JSON.stringify(e.name ?? '')} in ${relative(opts.cwd, eventsFile)} names ${e.file}, which resolves to ${relative(opts.cwd, file) || file} (relative to the events file): no such file`);
  }
  const findingFor = (e: RecordedEvent): Finding | undefined => {
    const file = fileOf(e);
    const exp = e.export ?? opts.exportName;
    const candidates = report.findings.filter((f) => (!file || resolve(report.root, f.file) === file) && (!exp || f.export === exp));
    return candidates.length === 1 ? candidates[0] : exp ? candidates[0] : candidates.find((f) => f.export === 'handler') ?? candidates[0];
  };
  // A handler file that cannot be read or parsed cannot be verified; other files' problems do not matter here.
  const named = new Set(events.map((e) => fileOf(e)).filter(Boolean));
  for (const err of report.errors) if (named.has(resolve(report.root, err.file))) throw new UsageError(`${err.file}: ${err.message}`);

  const out: VerifyReport = { equivalent: true, handlers: [], events: [], tables: { equal: true, diff: '' }, sideEffects: { equal: true, diff: '' }, notes: [], variants: [] };
  let variantsNotRun = 0;
  const findings = new Map<string, Finding>();
  for (const e of events) {
    const f = findingFor(e);
    if (f) findings.set(`${f.file}#${f.export}`, f);
  }
  for (const f of findings.values()) {
    // Refuse before running anything: an invalid definition or a Task with no local binding.
    if (f.stateMachine) {
      const validation = validateAsl(f.stateMachine.definition);
      if (!validation.valid) throw new UsageError(`the proposed definition for ${f.file} (${f.export}) fails validation: ${validation.errors.join('; ')}`);
      try {
        bindTasks(f.stateMachine.definition.States, { client: undefined as never, sideEffects: [], residual: async () => undefined, handler: async () => undefined, invokeLambda: () => undefined, invokeModel: () => ({ ok: true, value: null }), callAws: () => ({ ok: true, value: null }) });
        if (f.stateMachine.definition['QueryLanguage'] === 'JSONata') checkJsonataDefinition(f.stateMachine.definition);
      } catch (e) {
        if (e instanceof UnboundTaskError || isExecutorRefusal(e)) throw new UsageError(`${f.file} (${f.export}): ${(e as Error).message}`);
        throw e;
      }
    }
    const ok = f.convertible !== 'none' && !!f.stateMachine;
    out.handlers.push({ file: f.file, export: f.export, convertible: f.convertible, equivalent: ok, reason: ok ? undefined : `no state machine is proposed: ${f.reason}` });
  }

  let tables: TableSpec[];
  if (existsSync(tablesFile)) tables = readJsonInput<TableSpec[]>(tablesFile, 'tables file', TABLES_SCHEMA);
  else {
    const derived = tablesFromKeyUsage([...findings.values()], env);
    if (!derived.tables) throw new UsageError(`no tables: ${relative(opts.cwd, tablesFile)} does not exist and ${derived.why} (pass --tables FILE with the CreateTable inputs and seed items)`);
    tables = derived.tables;
    out.notes.push(`tables created empty from the keys the handler uses: ${tables.map((t) => `${t.TableName} (${t.KeySchema!.map((k) => k.AttributeName).join(', ')})`).join('; ')}`);
  }

  const tablesSource = existsSync(tablesFile) ? tablesFile : 'the tables derived from the keys the handler uses';
  let handlerSide: Side | undefined;
  let machineSide: Side | undefined;
  let runner: HandlerRunner | undefined;
  // Routes a proposal leaves to the original handler run it again on the state machine's side (its own tables).
  let machineRunner: HandlerRunner | undefined;
  let machineLoaded: string | undefined;
  try {
    handlerSide = await startSide(tables, stubsSpec, tablesSource);
    const fill = (side: Side) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('{{STUB_URL}}', side.stubs.url)]));
    const projectDir = projectDirOf(fileOf(events[0]!) ?? join(caseDir, 'x'), statSync(abs).isDirectory() ? caseDir : packageRootOf(abs) ?? caseDir);
    // The machine's side starts while the handler's child process does (each is mostly waiting on the other process).
    const [machineStarted, runnerStarted] = await Promise.allSettled([
      startSide(tables, stubsSpec, tablesSource),
      startHandlerRunner({ projectDir, deps: opts.deps, env: fill(handlerSide), endpoints: { dynamodb: handlerSide.proxy.endpoint, stubs: handlerSide.stubs.url, http2: handlerSide.stubs.http2Url } }),
    ]);
    // Whichever started is closed below when the other did not.
    if (machineStarted.status === 'fulfilled') machineSide = machineStarted.value;
    if (runnerStarted.status === 'fulfilled') runner = runnerStarted.value;
    if (machineStarted.status === 'rejected') throw machineStarted.reason;
    if (runnerStarted.status === 'rejected') throw runnerStarted.reason;
    machineSide = machineStarted.value;
    runner = runnerStarted.value;
    const machineEnv = fill(machineSide);
    let loaded: string | undefined;
    const residualsWritten = new Set<string>();
    const keep = inputStrings(events.map((e) => e.event), tables, routes);

    const hs = handlerSide;
    const ms = machineSide;
    const hRunner = runner;
    // One event on both sides, from the tables as they are: the responses compared.
    const compareEvent = async (e: RecordedEvent, name: string): Promise<{ result: VerifyEvent; finding?: Finding }> => {
      const f = findingFor(e);
      const base = { name, file: f?.file ?? e.file ?? target, export: f?.export ?? e.export ?? opts.exportName ?? 'handler' };
      if (!f) return { result: { ...base, equal: false, handler: null, stateMachine: null, diff: '', reason: NO_HANDLER_FOR_EVENT } };
      const handlerFile = relative(projectDir, resolve(report.root, f.file));
      const key = `${f.file}#${f.export}`;
      if (!f.stateMachine || f.convertible === 'none') return { result: { ...base, equal: false, handler: null, stateMachine: null, diff: '', reason: `not run: no state machine is proposed (${f.reason})` } };
      // Handler side.
      // The child runs one handler at a time: load again whenever the event names another one.
      if (loaded !== key) {
        try {
          await hRunner.load(handlerFile, f.export);
        } catch (err) {
          throw new UsageError(`the handler ${f.file} (${f.export}) cannot be loaded: ${(err as Error).message}`);
        }
        loaded = key;
      }
      // A handler that never answers, runs out of memory or ends its process cannot be compared: say which and why.
      const h = await hRunner.invoke(e.event).catch((err: unknown) => {
        throw new UsageError(`event ${JSON.stringify(name)}: the handler ${f.file} (${f.export}) gave no answer: ${(err as Error).message}`);
      });
      const note = (n: string) => out.notes.includes(n) || out.notes.push(n);
      for (const c of h.refusedConnections ?? []) note(`event ${JSON.stringify(name)}: the handler tried to reach ${c}; refused (verify lets it reach only the local stubs: add a stub to stubs.json)`);
      if (h.leftRunning?.['timers']) note(`event ${JSON.stringify(name)}: the handler left ${h.leftRunning['timers']} timer${h.leftRunning['timers'] > 1 ? 's' : ''} running after it answered (Lambda freezes them with the environment; verify does not wait for them)`);
      // An API handler's proposal is judged by what the HTTP client receives: through the front-door templates.
      const sm = routeMachineFor(f, e.event) ?? f.stateMachine;
      const door = sm.frontDoor && isApiEvent(e.event) ? sm.frontDoor : undefined;
      const request = door ? apiRequestFromEvent(e.event) : undefined;
      const handlerResult = door ? comparableResponse(lambdaProxyResponse(h), { keep, now: Date.now() }) : h.error ? { error: h.error } : comparableResponse(h.response, { keep, now: Date.now() });
      let machineInput: unknown = e.event;
      if (door) {
        try {
          machineInput = renderRequestTemplate(door.requestTemplate, request!).input;
        } catch (err) {
          return { result: { ...base, equal: false, handler: handlerResult, stateMachine: null, diff: '', reason: `front door: ${(err as Error).message}`, throughFrontDoor: true }, finding: f };
        }
      }
      if (sm.residual && !residualsWritten.has(key)) {
        await hRunner.writeFile(relative(projectDir, resolve(report.root, sm.residual.file)), sm.residual.source);
        residualsWritten.add(key);
      }
      const values = Object.fromEntries(Object.entries(sm.substitutions).map(([k, v]) => [k, machineEnv[v.replace(/^process\.env\./, '')] ?? `\${${k}}`]));
      const residualFile = sm.residual ? relative(projectDir, resolve(report.root, sm.residual.file)) : undefined;
      const side = ms;
      const m = await runDefinition(substitute(sm.definition, values), machineInput, {
        client: ms.client,
        // Recorded with the stub server's calls, in the order they happen.
        sideEffects: ms.stubs.calls as SideEffect[],
        invokeLambda: side.stubs.invokeLambda,
        invokeModel: side.stubs.invokeModel,
        callAws: side.stubs.callAws,
        // The connection sends the auth header the handler sent itself, with the secret from the same environment.
        httpConnections: Object.fromEntries((sm.httpConnections ?? f.stateMachine.httpConnections ?? []).flatMap((c) => {
          const header = connectionAuthHeader(c, machineEnv);
          return header ? [[`\${${c.substitution}}`, header]] : [];
        })),
        residual: residualFile ? (compute, input) => hRunner.compute(residualFile, 'handler', { compute, input }) : undefined,
        handler: async (event) => {
          machineRunner ??= await startHandlerRunner({ projectDir, deps: opts.deps, env: machineEnv, endpoints: { dynamodb: side.proxy.endpoint, stubs: side.stubs.url, http2: side.stubs.http2Url } });
          if (machineLoaded !== key) {
            await machineRunner.load(handlerFile, f.export);
            machineLoaded = key;
          }
          const r = await machineRunner.invoke(event);
          if (r.error) throw Object.assign(new Error(r.error.errorMessage), { name: r.error.errorType });
          return r.response;
        },
      }).catch((err: unknown) => {
        // The JSONata executor refuses what it cannot run faithfully: say so rather than report a difference.
        throw isExecutorRefusal(err) ? new UsageError(`${f.file} (${f.export}), event "${name}": ${(err as Error).message}`) : err;
      });
      let machineResult: unknown;
      if (door) {
        const result: SyncExecutionResult = m.ok ? { status: 'SUCCEEDED', output: JSON.stringify(m.output) } : { status: 'FAILED', error: m.error, cause: m.cause };
        machineResult = comparableResponse(renderResponseTemplate(door.responseTemplate, result, request!), { keep, now: Date.now() });
      } else machineResult = m.ok ? comparableResponse(m.output, { keep, now: Date.now() }) : { error: { errorType: m.error, errorMessage: m.cause } };
      let equal: boolean;
      let reason: string | undefined;
      if (door && (h.error || !m.ok)) {
        // Both failures are a 502 to the client; the comparison below says whether the responses match.
        equal = JSON.stringify(sortKeys(handlerResult)) === JSON.stringify(sortKeys(machineResult));
        const machineError = m.ok ? '' : `${m.error}: ${m.cause}`;
        reason = h.error && !m.ok ? `both sides failed (the handler: ${h.error.errorType}; the state machine: ${machineError})` : h.error ? `the handler failed (${h.error.errorType}), the state machine answered` : `the state machine failed (${machineError}), the handler answered`;
      } else if (h.error || !m.ok) {
        equal = Boolean(h.error) && !m.ok;
        reason = equal ? 'both sides failed' : h.error ? 'the handler failed, the state machine answered' : 'the state machine failed, the handler answered';
      } else if (e.compare === 'status') {
        equal = (handlerResult as { statusCode?: unknown }).statusCode === (machineResult as { statusCode?: unknown }).statusCode;
      } else {
        equal = JSON.stringify(sortKeys(handlerResult)) === JSON.stringify(sortKeys(machineResult));
      }
      const result = { ...base, equal, handler: handlerResult, stateMachine: machineResult, diff: equal ? '' : diffText(sortKeys(handlerResult), sortKeys(machineResult)), ...(reason ? { reason } : {}), ...(door ? { throughFrontDoor: true } : {}) };
      return { result, finding: f };
    };

    const names = tables.map((t) => t.TableName!);
    const tablesDiff = async () => {
      const norm = (dump: Record<string, string[]>) => Object.fromEntries(Object.entries(dump).map(([t, items]) => [t, items.map((l) => JSON.stringify(sortKeys(normalizeValue(JSON.parse(l), { keep, now: Date.now() })))).sort()]));
      const [h, m] = await Promise.all([dumpTables(hs.dynamo.client, names), dumpTables(ms.dynamo.client, names)]);
      return diffText(norm(h), norm(m));
    };
    // Each side's stub URL (in SQS queue URLs, say) stands for the same outside world.
    const callsDiff = (fromHandler: number, fromMachine: number) => {
      const calls = (c: unknown[], url: string) => normalizeValue(JSON.parse(JSON.stringify(c).replaceAll(url, '{{STUB_URL}}')) as unknown[], { keep, now: Date.now() });
      return diffText(sortKeys(calls(hs.stubs.calls.slice(fromHandler), hs.stubs.url)), sortKeys(calls(ms.stubs.calls.slice(fromMachine), ms.stubs.url)));
    };

    const planner = new VariantPlanner(tables);
    const planned: Array<{ variant: Variant; from: RecordedEvent; fromName: string }> = [];
    let writtenAtLastDiff = 0;
    for (const [i, e] of events.entries()) {
      const name = e.name ?? `event ${i + 1}`;
      const before = opts.variants === false ? undefined : await dumpTables(hs.dynamo.client, names);
      hs.proxy.takeAccesses();
      const { result, finding } = await compareEvent(e, name);
      out.events.push(result);
      const accesses = hs.proxy.takeAccesses();
      ms.proxy.takeAccesses();
      if (before && finding) planned.push(...planner.plan(e.event, before, accesses).map((variant) => ({ variant, from: e, fromName: name })));
      // Tables after every event; both sides start with the same tables, and tables no request may have changed
      // since the last comparison are equal still.
      const written = hs.proxy.mayHaveWritten() + ms.proxy.mayHaveWritten();
      if (out.tables.equal && written !== writtenAtLastDiff) {
        writtenAtLastDiff = written;
        const d = await tablesDiff();
        if (d) out.tables = { equal: false, diff: `after event "${name}":\n${d}` };
      }
    }
    const d = callsDiff(0, 0);
    out.sideEffects = { equal: !d, diff: d };

    // Variants, each from the tables its event found, both sides put back to them first.
    for (const { variant, from, fromName } of planned) {
      try {
        await restoreTables(hs.dynamo.client, tables, variant.tables);
        await restoreTables(ms.dynamo.client, tables, variant.tables);
      } catch (err) {
        out.notes.push(`variant "${variant.name}" not run: DynamoDB refused its tables (${(err as Error).message})`);
        variantsNotRun += 1;
        continue;
      }
      const [hCalls, mCalls] = [hs.stubs.calls.length, ms.stubs.calls.length];
      const { result, finding } = await compareEvent({ ...from, event: variant.event }, `variant: ${variant.name}`);
      const tablesAfter = await tablesDiff();
      const callsAfter = callsDiff(hCalls, mCalls);
      const agrees = result.equal && !tablesAfter && !callsAfter;
      const stated = agrees ? undefined : statedDifference(variant, finding);
      out.variants.push({ ...result, from: fromName, tables: { equal: !tablesAfter, diff: tablesAfter }, sideEffects: { equal: !callsAfter, diff: callsAfter }, ...(stated ? { stated } : {}) });
    }
  } finally {
    await machineRunner?.close();
    await runner?.close();
    await closeSide(handlerSide);
    await closeSide(machineSide);
  }
  const variantAgrees = (v: VerifyVariant) => v.stated !== undefined || (v.equal && v.tables.equal && v.sideEffects.equal);
  // A variant that could not run proves nothing: then the proposal is not verified.
  out.equivalent = variantsNotRun === 0 && out.events.length > 0 && out.events.every((e) => e.equal) && out.tables.equal && out.sideEffects.equal && out.variants.every(variantAgrees) && out.handlers.every((h) => h.equivalent);
  for (const h of out.handlers) {
    const own = <T extends VerifyEvent>(list: T[]) => list.filter((e) => e.file === h.file && e.export === h.export);
    if (h.equivalent) h.equivalent = own(out.events).every((e) => e.equal) && own(out.variants).every(variantAgrees) && out.tables.equal && out.sideEffects.equal;
  }
  return out;
}

/** Why a variant's difference is one the proposal states it takes for granted, if it is. */
function statedDifference(variant: Variant, finding: Finding | undefined): string | undefined {
  if (!finding) return undefined;
  if (variant.breaks === 'attribute-type') {
    const typed = finding.assumptions.find((a) => a.message.startsWith('attribute types of the items read come from'));
    return typed ? `the proposal reads attributes by the types it states (${typed.message}); an attribute of another type is not unmarshalled as the handler would` : undefined;
  }
  // A top-level field of a directly invoked function's event that the proposal states it takes to be in every event.
  const field = variant.breaks === 'request-field' && variant.name.startsWith('request without ') ? variant.name.slice('request without '.length) : undefined;
  const present = finding.assumptions.find((a) => /^(.*) (is|are) taken to be in every event/.exec(a.message)?.[1]!.split(', ').includes(`event.${field}`));
  return field && present ? `the proposal states it takes event.${field} to be in every event (${present.message})` : undefined;
}
