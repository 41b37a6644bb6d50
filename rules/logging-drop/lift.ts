import type * as t from '@babel/types';
import { LiftFailure } from '../../src/lift/context.js';
import { patternBindings, type ModuleInfo } from '../../src/analyze/moduleIndex.js';
import type { Lifter } from '../../src/lift/lifter.js';
import { isConsoleCall, line, LOGGING_DROPPED, propName, unwrapTs } from '../../src/lift/syntax.js';
import type { Step } from '../../src/model/workflow.js';
import { projectLoggerMethods } from './projectLogger.js';

export const ID = 'logging-drop';

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table']);
// Powertools Logger methods: they write log lines or change what later log lines carry, nothing else.
const LOGGER_METHODS = new Set(['info', 'warn', 'error', 'debug', 'critical', 'trace', 'addContext', 'appendKeys', 'appendPersistentKeys', 'removeKeys', 'removePersistentKeys', 'resetKeys', 'logEventIfEnabled', 'addPersistentLogAttributes', 'setPersistentLogAttributes', 'refreshSampleRateCalculation']);
const LOGGER_PACKAGE = '@aws-lambda-powertools/logger';
// Powertools Metrics methods: they buffer or write metric lines (CloudWatch embedded metric format) to the log.
// publishStoredMetrics throws only when throwOnEmptyMetrics is set, which a module's Metrics must then not set.
const METRICS_METHODS = new Set(['addMetric', 'addMetadata', 'addDimension', 'addDimensions', 'setDefaultDimensions', 'publishStoredMetrics', 'clearMetrics', 'clearDimensions', 'clearMetadata', 'clearDefaultDimensions', 'captureColdStartMetric']);
const METRICS_PACKAGE = '@aws-lambda-powertools/metrics';
const METRICS_DROPPED = 'Powertools metrics calls are dropped: the state machine publishes no custom metrics (Step Functions publishes its own execution metrics to CloudWatch)';
// Calls a log argument may make: they read and format, they change nothing.
const PURE_GLOBALS = new Set(['JSON.stringify', 'String', 'Number', 'Boolean', 'Object.keys', 'Object.values', 'Object.entries', 'Array.isArray', 'Date.now', 'encodeURIComponent', 'decodeURIComponent']);
const PURE_METHODS = new Set(['toString', 'toISOString', 'toJSON', 'join', 'slice', 'map', 'filter', 'includes', 'indexOf', 'trim', 'toLowerCase', 'toUpperCase', 'padStart', 'padEnd', 'substring', 'split', 'concat', 'keys', 'values', 'entries', 'getTime', 'toFixed', 'stringify']);

function isDefined(name: string, lx: Lifter): boolean {
  return !!lx.findScope(name) || lx.module.imports.has(name) || lx.module.bindings.has(name) || name in globalThis;
}

/** Why a log argument may have effects (the first call, await or assignment in it), or undefined when it only reads. */
function effectIn(node: t.Node, lx: Lifter, local: ReadonlySet<string> = new Set()): string | undefined {
  const n = unwrapTs(node);
  switch (n.type) {
    case 'AwaitExpression': case 'YieldExpression': return lx.code(n);
    case 'AssignmentExpression': case 'UpdateExpression': return lx.code(n);
    case 'UnaryExpression': if (n.operator === 'delete') return lx.code(n); break;
    case 'CallExpression': case 'OptionalCallExpression': case 'NewExpression': {
      const callee = unwrapTs(n.callee);
      const dotted = callee.type === 'Identifier' ? callee.name : (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && unwrapTs(callee.object).type === 'Identifier' ? `${(unwrapTs(callee.object) as t.Identifier).name}.${propName(callee) ?? ''}` : undefined;
      const global = dotted !== undefined && PURE_GLOBALS.has(dotted) && lx.lookup(dotted.split('.')[0]!)?.kind === 'global';
      const method = (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && PURE_METHODS.has(propName(callee) ?? '');
      const date = n.type === 'NewExpression' && callee.type === 'Identifier' && callee.name === 'Date';
      if (!global && !method && !date) return lx.code(n);
      break;
    }
    case 'Identifier':
      // A name defined nowhere throws a ReferenceError when the log call runs: dropping the call would drop it.
      return local.has(n.name) || isDefined(n.name, lx) ? undefined : `${n.name}, which is not defined there (a ReferenceError)`;
    case 'MemberExpression': case 'OptionalMemberExpression':
      return effectIn(n.object, lx, local) ?? (n.computed ? effectIn(n.property, lx, local) : undefined);
    case 'ObjectProperty':
      return (n.computed ? effectIn(n.key, lx, local) : undefined) ?? effectIn(n.value, lx, local);
    case 'ArrowFunctionExpression': case 'FunctionExpression':
      // A callback of map/filter: its body must only read too (its parameters are defined in it).
      return effectIn(n.body, lx, new Set([...local, ...n.params.flatMap((p) => patternBindings(p).map((b) => b.name))]));
    case 'BlockStatement':
      return n.body.length === 1 && n.body[0]!.type === 'ReturnStatement' && n.body[0].argument ? effectIn(n.body[0].argument, lx, local) : lx.code(n);
    default: break;
  }
  for (const key of Object.keys(n) as Array<keyof typeof n>) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
    const v = n[key] as unknown;
    const kids = Array.isArray(v) ? v : [v];
    for (const k of kids) {
      if (k && typeof k === 'object' && typeof (k as t.Node).type === 'string') {
        const found = effectIn(k as t.Node, lx, local);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Is `name` an instance of a Powertools class (`new Logger(…)` of `pkg`), bound in this module or in a relative module it imports? */
function isPowertoolsInstance(lx: Lifter, mod: ModuleInfo, name: string, pkg: string, depth = 0): boolean {
  const imp = mod.imports.get(name);
  if (imp) {
    if (imp.source === pkg) return false; // the class itself, not an instance
    const target = depth < 3 ? lx.opts.index.importTarget(mod, imp.source) : undefined;
    const exported = target && imp.imported !== '*' ? target.exports.get(imp.imported) : undefined;
    return !!target && exported?.node.type === 'Identifier' && isPowertoolsInstance(lx, target, exported.node.name, pkg, depth + 1);
  }
  const init = mod.bindings.get(name)?.init;
  const n = init && unwrapTs(init);
  if (n?.type !== 'NewExpression' || n.callee.type !== 'Identifier') return false;
  if (pkg === METRICS_PACKAGE && /throwOnEmptyMetrics/.test(mod.text.slice(n.start ?? 0, n.end ?? 0))) return false;
  return mod.imports.get(n.callee.name)?.source === pkg;
}

export class LoggingDrop {
  constructor(readonly lx: Lifter) {}

  /** A statement's log or metrics call (`console.log(…)`, `logger.info(…)`, `metrics.addMetric(…)`) and the assumption dropping it states. */
  droppedCall(e: t.Node): { call: t.CallExpression; assumption: string } | undefined {
    if (e.type !== 'CallExpression') return undefined;
    const callee = unwrapTs(e.callee);
    if (callee.type !== 'MemberExpression' || unwrapTs(callee.object).type !== 'Identifier') return undefined;
    const obj = (unwrapTs(callee.object) as t.Identifier).name;
    const method = propName(callee) ?? '';
    const logged = { call: e, assumption: LOGGING_DROPPED };
    if (obj === 'console' && this.lx.lookup('console')?.kind === 'global' && CONSOLE_METHODS.has(method)) return logged;
    if (this.lx.findScope(obj)) return undefined;
    if (LOGGER_METHODS.has(method) && isPowertoolsInstance(this.lx, this.lx.module, obj, LOGGER_PACKAGE)) return logged;
    if (METRICS_METHODS.has(method) && isPowertoolsInstance(this.lx, this.lx.module, obj, METRICS_PACKAGE)) return { call: e, assumption: METRICS_DROPPED };
    if (projectLoggerMethods(this.lx.opts.index, this.lx.module, obj)?.has(method)) return logged;
    return undefined;
  }

  liftExpression(e: t.Node, _out: Step[]): boolean {
    const dropped = this.droppedCall(e);
    if (!dropped) return false;
    checkLogArguments(dropped.call, this.lx);
    this.lx.use(ID);
    this.lx.assume(line(dropped.call), dropped.assumption, ID);
    return true;
  }
}

/** A dropped log call must only read: throws the blocker when an argument may have effects or throws a ReferenceError. */
export function checkLogArguments(call: t.CallExpression, lx: Lifter, names: readonly string[] = []): void {
  for (const a of call.arguments) {
    const effect = effectIn(a, lx, new Set(names));
    if (effect?.endsWith('(a ReferenceError)')) throw new LiftFailure(`the log call ${lx.code(call)} reads ${effect}; the analyser drops log calls only when their arguments just read values`, line(call), ID);
    if (effect) throw new LiftFailure(lx.ruleMessage(ID, 'effect', { call: lx.code(call), effect }), line(call), ID);
  }
}

/** The console calls a rule leaves out of a block (a catch's logging; `names`: what the catch binds): each must pass the same check. */
export function checkDroppedConsoleCalls(stmts: t.Statement[], lx: Lifter, names: readonly string[] = []): void {
  for (const s of stmts) if (s.type === 'ExpressionStatement' && s.expression.type === 'CallExpression' && isConsoleCall(s)) checkLogArguments(s.expression, lx, names);
}
