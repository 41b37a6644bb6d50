// One handler through lift → emit → validate → estimate (lines), into one report finding.
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type * as t from '@babel/types';
import { exportTypeText, type HandlerCandidate } from '../analyze/findHandlers.js';
import type { ModuleIndex, ModuleInfo } from '../analyze/moduleIndex.js';
import { chooseEmission, emitIn, type QueryLanguageOption } from '../emit/chooseQueryLanguage.js';
import { emitFrontDoor, settableResponseHeader } from '../emit/frontDoor.js';
import { splitRoutes } from '../model/splitRoutes.js';
import { residualModuleSource } from '../emit/residualModule.js';
import { validateAsl } from '../emit/validateAsl.js';
import { aslLines, codeLines } from '../estimate/lineSavings.js';
import { RULES } from '../../rules/index.js';
import type { Rule } from '../rules/createRule.js';
import { Lifter } from '../lift/lifter.js';
import { ruleMessage } from '../lift/ruleMessages.js';
import { eventSourceFromType } from '../lift/values/fold.js';
import type { SchemaSources } from '../lift/schemaSources.js';
import type { AslDefinition, Assumption, Blocker, EventSource, Finding, StateMachineProposal } from '../report/types.js';
import { isTracingDecorator } from '../analyze/tracing.js';
import { DOCUMENT_METHODS, LOW_LEVEL_METHODS } from '../lift/services/dynamoCall.js';
import { isDynamoClient } from '../analyze/clients.js';
import { delegatedDynamoCall } from '../analyze/delegatedDynamo.js';
import { eventParamTypeText, invocationContractProblem } from '../analyze/invocationContract.js';

export interface AnalyzeContext {
  root: string;
  index: ModuleIndex;
  schemas: SchemaSources;
  ruleEnabled: (id: string) => boolean;
  /** The rules the lifter asks, in order (default: the built-in ones). */
  rules?: readonly Rule[];
  /** `--routing`: one state machine with a Choice (default), or one per route. */
  routing?: 'choice' | 'split';
  /** `--query-language`: auto (JSONPath unless JSONata converts more), jsonpath or jsonata. */
  queryLanguage?: QueryLanguageOption;
  /** The event source the infrastructure declares for a handler (module path, export), and the file declaring it. */
  declaredEventSource?: (modulePath: string, exportName: string) => { eventSource: EventSource; file: string } | undefined;
}

const KNOWN_MIDDLEWARE: Record<string, 'json-body' | 'harmless'> = {
  '@middy/http-json-body-parser': 'json-body',
};

/**
 * Validation by distinct definition: handlers of one shape differ only in the top-level Comment (it names the
 * file), which the validator only requires to be a string; asl-validator compiles and walks every path each call.
 */
const validations = new Map<string, { valid: boolean; errors: string[] }>();
const MAX_VALIDATIONS_KEPT = 2_000;
function validateOnce(definition: AslDefinition): { valid: boolean; errors: string[] } {
  const key = JSON.stringify(typeof definition.Comment === 'string' ? { ...definition, Comment: '' } : definition);
  let result = validations.get(key);
  if (!result) {
    if (validations.size >= MAX_VALIDATIONS_KEPT) validations.clear();
    result = validateAsl(definition);
    validations.set(key, result);
  }
  return { valid: result.valid, errors: [...result.errors] };
}

export function findingId(file: string, exportName: string): string {
  return createHash('sha1').update(`${file}#${exportName}`).digest('hex').slice(0, 12);
}

const DYNAMO_METHODS = new Set(['send', ...Object.keys(DOCUMENT_METHODS), ...Object.keys(LOW_LEVEL_METHODS)]);

function inferEventSource(hint: EventSource | undefined, fields: Set<string>): EventSource {
  if (hint) return hint;
  const has = (re: RegExp) => [...fields].some((f) => re.test(f));
  if (has(/^(routeKey|rawPath|rawQueryString|cookies)$|^requestContext\.http/)) return 'apigw-http';
  if (has(/^(httpMethod|resource|path|multiValueHeaders|multiValueQueryStringParameters)$/)) return 'apigw-rest';
  if (has(/^Records/)) return 'sqs';
  if (has(/^detail/)) return 'eventbridge';
  if (has(/^(pathParameters|queryStringParameters|body|headers|requestContext)/)) return 'apigw-rest';
  return 'unknown';
}

/**
 * Calls `visit` on each child of a syntax node: every own property but positions and comments, arrays element by
 * element. A for-in loop, not Object.entries: these walks run over every node of every handler.
 */
function eachChild(node: object, visit: (n: unknown) => void): void {
  for (const k in node) {
    if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
    const v = (node as Record<string, unknown>)[k];
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(v[i]);
    else if (v && typeof v === 'object' && 'type' in v) visit(v);
  }
}

/** Does the function call a method on a client `isClient` accepts anywhere (even in code the lifter gave up on)? */
function callsClient(fn: t.Node, isClient: (name: string) => boolean, methods?: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    const node = n as t.Node;
    const method = (node.type === 'CallExpression' || node.type === 'OptionalCallExpression') && (node.callee.type === 'MemberExpression' || node.callee.type === 'OptionalMemberExpression') && node.callee.property.type === 'Identifier' ? node.callee.property.name : undefined;
    // Only operations count: client.destroy() or client.config are not DynamoDB calls.
    if (method && (!methods || methods.has(method)) && (node as t.CallExpression).callee.type !== 'Identifier' && ((node as t.CallExpression).callee as t.MemberExpression).object.type === 'Identifier' && isClient((((node as t.CallExpression).callee as t.MemberExpression).object as t.Identifier).name)) {
      found = true;
      return;
    }
    eachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** A DynamoDB client constructed in place (`new DynamoDB.DocumentClient()`, `DynamoDBDocumentClient.from(…)`). */
const LOCAL_DYNAMO_CLIENT = /^(new )?(\w+\.)*(DocumentClient|DynamoDBClient|DynamoDB|DynamoDBDocumentClient\.from|DynamoDBDocument\.from)$/;

/** The callee of a client construction as dotted text (`new DynamoDB.DocumentClient`), or '' for anything else. */
function calleeText(init: t.Node): string {
  const n = init.type === 'TSAsExpression' || init.type === 'TSNonNullExpression' ? init.expression : init;
  if (n.type !== 'NewExpression' && n.type !== 'CallExpression') return '';
  const parts: string[] = [];
  let c: t.Node = n.callee;
  while (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
    parts.unshift(c.property.name);
    c = c.object;
  }
  if (c.type !== 'Identifier') return '';
  parts.unshift(c.name);
  return `${n.type === 'NewExpression' ? 'new ' : ''}${parts.join('.')}`;
}

/**
 * Does the function call a project function (same module, imported, through a namespace or re-export) that calls
 * DynamoDB, itself or through further helpers? Then the handler uses DynamoDB even when lifting stopped before it.
 */
function helperCallsDynamo(fn: t.Node, mod: ModuleInfo, lifter: Lifter, depth = 0, seen = new Set<t.Node>()): boolean {
  if (depth > 4) return false;
  const callees: Array<{ node: t.Node; module: ModuleInfo }> = [];
  const isClientIn = (m: ModuleInfo) => (name: string): boolean => {
    try {
      const e = lifter.moduleEntry(m, name);
      return e?.kind === 'client' && isDynamoClient(e.client);
    } catch {
      return false;
    }
  };
  // A DynamoDB client handed to a project function (`db.Todos.create(client, todo)`) is used by it.
  let passesClient = false;
  const resolve = (callee: t.Node, args: t.Node[]): void => {
    const path: string[] = [];
    let n = callee;
    while (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') {
      path.unshift(n.property.name);
      n = n.object;
    }
    if (n.type !== 'Identifier') return;
    let entry = lifter.moduleEntry(mod, n.name);
    for (const p of path) entry = entry?.kind === 'namespace' ? lifter.exportedEntry(entry.module, p) : undefined;
    entry ??= path.length ? lifter.objectLiteralMethod(mod, n.name, path) : undefined;
    if (entry?.kind === 'function' && args.some((a) => a.type === 'Identifier' && isClientIn(mod)(a.name))) passesClient = true;
    if (entry?.kind === 'function' && !seen.has(entry.node)) {
      seen.add(entry.node);
      callees.push({ node: entry.node, module: entry.module });
    }
  };
  const visit = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    const node = x as t.Node;
    if (node.type === 'CallExpression') resolve(node.callee, node.arguments);
    eachChild(node, visit);
  };
  visit(fn);
  // A helper may build its own client: `const db = new DynamoDB.DocumentClient()` in its body.
  const localClients = (node: t.Node): Set<string> => {
    const names = new Set<string>();
    const find = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const n = x as t.Node;
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && LOCAL_DYNAMO_CLIENT.test(calleeText(n.init))) names.add(n.id.name);
      eachChild(n, find);
    };
    find(node);
    return names;
  };
  return passesClient || callees.some((c) => {
    const local = localClients(c.node);
    return callsClient(c.node, (name) => local.has(name) || isClientIn(c.module)(name), DYNAMO_METHODS) || helperCallsDynamo(c.node, c.module, lifter, depth + 1, seen);
  });
}

export function analyzeHandler(c: HandlerCandidate, mod: ModuleInfo, ctx: AnalyzeContext): Finding | undefined {
  const file = relative(ctx.root, mod.path) || mod.path;
  const blockers: Blocker[] = [];
  const rules = ctx.rules ?? RULES;
  let bodyParsed = false;
  for (const m of c.middleware ?? []) {
    if (KNOWN_MIDDLEWARE[m] === 'json-body') bodyParsed = true;
    else blockers.push({ rule: 'middy-wrapper', line: c.target.line, message: ruleMessage(rules, 'middy-wrapper', 'unknownMiddleware', { name: m }) });
  }
  const assumptions = c.classMethod ? classMethodFacts(c, mod, blockers) : [];
  const declared = ctx.declaredEventSource?.(mod.path, c.exportName);
  if (c.unknownWrapper) blockers.push({ rule: 'unsupported-construct', line: c.target.line, message: c.fn ? `the handler is wrapped by ${c.unknownWrapper}(…), whose behaviour is unknown` : `the handler is built by ${c.unknownWrapper}(…) (a framework or router); the analyser cannot see the code that answers requests` });
  if (!c.fn) {
    return {
      id: findingId(file, c.exportName), file, export: c.exportName, line: c.target.line, endLine: c.target.endLine, eventSource: declared?.eventSource ?? 'unknown',
      convertible: 'none', reason: 'the handler is produced by a framework; nothing the analyser can convert', rules: [], blockers, assumptions: [],
      savings: { lines: { handler: codeLines(mod.text, mod.ast, [[c.target.line, c.target.endLine]]), removed: 0, asl: 0 } },
    };
  }

  const lifter = new Lifter({ module: mod, index: ctx.index, schemas: ctx.schemas, ruleEnabled: ctx.ruleEnabled, rules, bodyParsedByMiddleware: bodyParsed });
  const fn = c.fn;
  const lifted = lifter.liftHandler(fn);
  // A class method handler may reach the service through the class's other methods (`this.save(…)`), any handler
  // through the project functions it calls.
  const searched = c.classMethod?.classNode ?? fn;
  const usesDynamo = lifted.dynamoCalls > 0 || callsClient(searched, (n) => lifter.isDynamoClientName(n), DYNAMO_METHODS) || helperCallsDynamo(fn, mod, lifter);
  // Beyond DynamoDB: a handler that publishes, sends or invokes through another service converts too.
  const usesService = usesDynamo || lifted.serviceCalls > 0 || callsClient(searched, (n) => lifter.isServiceClientName(n));
  if (!usesService && !c.handlerLike) return undefined;

  const handlerLines = codeLines(mod.text, mod.ast, [[c.target.line, c.target.endLine], ...(c.classMethod?.ranges ?? []), ...helperRanges(c, mod)]);
  // The infrastructure says what invokes the handler; the code's fields only suggest it.
  const guessed = inferEventSource(lifted.eventSourceHint ?? eventSourceFromType(exportTypeText(mod, c.target) ?? ''), lifted.eventFields);
  if (declared && guessed !== 'unknown' && guessed !== declared.eventSource) {
    assumptions.push({ line: c.target.line, message: `the event source is ${declared.eventSource}, as ${declared.file} declares it; the fields the code reads alone suggest ${guessed}` });
  }
  const base: Finding = {
    id: findingId(file, c.exportName),
    file,
    export: c.exportName,
    line: c.target.line,
    endLine: c.target.endLine,
    eventSource: declared?.eventSource ?? guessed,
    convertible: 'none',
    reason: '',
    rules: [...lifted.rules].sort(),
    blockers: [...blockers, ...lifted.blockers],
    assumptions: [...assumptions, ...lifted.assumptions],
    savings: { lines: { handler: handlerLines, removed: 0, asl: 0 } },
  };
  if (c.middleware) base.rules = [...new Set([...base.rules, 'middy-wrapper'])].sort();
  if (lifted.routes.length) base.routes = lifted.routes;
  const delegated = usesService ? undefined : delegatedDynamoCall(fn, mod, ctx.index, (n) => lifter.isDynamoClientName(n));
  if (delegated) {
    const message = delegated.through === 'odm' ? `${delegated.code} goes through ${delegated.module}, an ODM whose models and queries the analyser does not follow`
      : delegated.through === 'layer' ? `${delegated.code} calls code in the Lambda layer ${delegated.module}, which the analyser cannot read (only the function's file system has it)`
      : `${delegated.code} reaches DynamoDB in ${delegated.module} through ${delegated.through === 'instance' ? 'a class instance, whose methods the analyser does not follow' : 'code the analyser does not follow'}`;
    base.blockers = [...blockers, { rule: 'unsupported-construct', line: delegated.line, message }];
    base.reason = delegated.through === 'layer' ? 'the handler calls layer code the analyser cannot read; no state machine is proposed' : 'the DynamoDB calls are in code the analyser does not follow; no state machine is proposed';
    return base;
  }
  if (!usesService) {
    base.reason = 'no DynamoDB call in this handler: nothing to convert';
    base.blockers = [];
    base.assumptions = [];
    return base;
  }
  const contract = invocationContractProblem(lifted.eventFields, `${exportTypeText(mod, c.target) ?? ''} ${eventParamTypeText(fn, mod.text)}`);
  if (contract) base.blockers.unshift({ rule: 'unsupported-construct', line: c.target.line, message: contract });
  if (base.blockers.length > 0) {
    base.reason = `${base.blockers.length} construct${base.blockers.length > 1 ? 's' : ''} without a correct Step Functions equivalent; no state machine is proposed`;
    base.blockers.push(...lifted.residualBlockers);
    markBlockedRoutes(base);
    return base;
  }
  const choice = chooseEmission(ctx.queryLanguage ?? 'auto', { steps: lifted.steps, substitutions: lifted.substitutions, recordsBatch: lifted.recordsBatch, eventSource: base.eventSource }, `Proposed by lambda2sfn for ${file} (${c.exportName})`);
  if (!choice.ok) {
    const e = choice.failure;
    base.blockers.push({ rule: 'unsupported-construct', line: e.line || c.target.line, message: e.message }, ...lifted.residualBlockers);
    base.reason = `a value cannot be expressed in ${choice.language}; no state machine is proposed`;
    markBlockedRoutes(base);
    return base;
  }
  const emitted = choice.result;
  const language = choice.language;
  if (base.eventSource === 'apigw-rest' || base.eventSource === 'apigw-http') {
    // A header the response template cannot set would be lost behind the front door.
    const headers = responseHeaderNames(mod, emitted.definition);
    const unsettable = headers.answered.filter((h) => !settableResponseHeader(h));
    if (unsettable.length) {
      for (const h of unsettable) {
        base.blockers.push({ rule: 'proxy-response', line: headers.lines.get(h) ?? c.target.line, message: `the response header name ${JSON.stringify(h)} cannot be set by an API Gateway mapping template (only names of letters, digits, - and _ starting with a letter), and what API Gateway's Lambda proxy integration answers for it is not documented` });
      }
      base.blockers.push(...lifted.residualBlockers);
      base.reason = `${unsettable.length > 1 ? 'response headers' : 'a response header'} the API front door cannot send; no state machine is proposed`;
      markBlockedRoutes(base);
      return base;
    }
  }
  // In JSONata, the computations with a JSONata alternative are no longer kept in a Lambda function.
  const residualBlockers = language === 'JSONata' ? lifted.residualBlockers.filter((b) => !lifted.jsonataResolves.has(b)) : lifted.residualBlockers;
  if (language === 'JSONata' && emitted.residuals.length === 0 && !residualBlockers.some((b) => b.rule === 'residual-lambda')) {
    const byLambda = lifted.residualBlockers.some((b) => b.rule === 'residual-lambda' && lifted.jsonataResolves.has(b));
    if (byLambda) base.rules = base.rules.filter((r) => r !== 'residual-lambda');
  }
  if (language === 'JSONata') {
    const expressed = [...lifted.jsonataResolves.values()].filter((rule): rule is string => !!rule);
    base.rules = [...new Set([...base.rules, ...expressed])].sort();
  }
  const validation = validateOnce(emitted.definition);
  const substitutions = { ...lifted.substitutions };
  if (emitted.invokesHandler) substitutions['OriginalHandlerArn'] = `ARN of the current Lambda function (${file} ${c.exportName}), kept for the routes that do not convert`;
  if (emitted.residuals.length) substitutions['ResidualFunctionArn'] = `ARN of the Lambda function that keeps the code at line${emitted.residuals.length > 1 ? 's' : ''} ${emitted.residuals.map((r) => r.line).join(', ')}`;
  base.assumptions = [...assumptions, ...lifted.assumptions, ...emitted.assumptions];
  base.stateMachine = {
    queryLanguage: language,
    ...(choice.reason ? { queryLanguageReason: choice.reason } : {}),
    definition: emitted.definition,
    resources: emitted.resources,
    states: countStates(emitted.definition.States),
    substitutions,
    validation,
  };
  if (lifted.httpConnections.length) base.stateMachine.httpConnections = lifted.httpConnections;
  if (emitted.pollingLoops.length) base.stateMachine.pollingLoops = emitted.pollingLoops;
  if (lifted.recordsBatch) base.stateMachine.recordsBatch = true;
  if (emitted.residuals.length) {
    const ext = file.match(/\.[cm]?[jt]sx?$/)?.[0] ?? '.js';
    base.stateMachine.residual = {
      file: `${file.slice(0, -ext.length)}.${c.exportName}.kept${ext}`,
      functions: emitted.residuals.map((r) => ({ id: r.id, line: r.line, code: r.code, inputs: r.inputs })),
      source: residualModuleSource(mod, emitted.residuals),
    };
  }
  if (!validation.valid) {
    base.blockers.push({ rule: 'unsupported-construct', line: c.target.line, message: `the generated definition failed validation (a lambda2sfn bug; please report it): ${validation.errors.join('; ')}` });
    base.reason = 'the generated definition is invalid; it is shown for diagnosis only';
    return base;
  }
  const residualLines = emitted.residuals.reduce((n, r) => n + r.code.split('\n').length, 0);
  base.blockers = residualBlockers;
  base.convertible = residualBlockers.length ? 'partial' : 'full';
  base.reason =
    base.convertible === 'full'
      ? `every step has a direct service integration (${emitted.resources.join(', ')})`
      : emitted.invokesHandler
        ? `${lifted.routes.filter((r) => r.convertible === 'full').length} of ${lifted.routes.length} routes convert; the others stay in the original handler (lambda:invoke)`
        : `${emitted.residuals.length} pure computation${emitted.residuals.length > 1 ? 's stay' : ' stays'} in a small Lambda function; the DynamoDB calls move into the state machine`;
  // Routes left to the original handler keep the whole function deployed: nothing is removed yet.
  base.savings.lines = { handler: handlerLines, removed: emitted.invokesHandler ? 0 : Math.max(0, handlerLines - residualLines), asl: aslLines(emitted.definition) };
  const api = base.eventSource === 'apigw-rest' || base.eventSource === 'apigw-http';
  const attachFrontDoor = (sm: StateMachineProposal): void => {
    if (!api) return;
    const headers = responseHeaderNames(mod, sm.definition);
    const door = emitFrontDoor({ definition: sm.definition, eventSource: base.eventSource, responseHeaders: headers.names, responseHeaderNotes: headers.notes });
    if (door.ok) sm.frontDoor = door.frontDoor;
    else base.assumptions.push({ line: c.target.line, rule: 'route-switch', message: `no API Gateway front door is proposed: ${door.reason}; wire the state machine to the API yourself` });
  };
  attachFrontDoor(base.stateMachine);
  if (ctx.routing === 'split' && lifted.routes.length) {
    const split = splitRoutes(lifted.steps);
    if (!split.ok) base.assumptions.push({ line: c.target.line, rule: 'route-switch', message: `--routing split: ${split.reason}` });
    else {
      base.routeMachines = split.routes.map((r) => {
        const e = emitIn(language, { steps: r.steps, substitutions: lifted.substitutions, recordsBatch: lifted.recordsBatch }, `Proposed by lambda2sfn for ${file} (${c.exportName}), route ${r.route}`);
        const sm: StateMachineProposal = { queryLanguage: language, definition: e.definition, resources: e.resources, states: countStates(e.definition.States), substitutions, validation: validateOnce(e.definition) };
        attachFrontDoor(sm);
        return { route: r.route, ...(r.match ? { match: r.match } : {}), stateMachine: sm };
      });
      base.assumptions.push({ line: c.target.line, rule: 'route-switch', message: `--routing split: one state machine per route; API Gateway selects it (one integration per ${api ? 'method or route key' : 'caller'}), and the default route's machine answers the catch-all (ANY method / $default route)` });
    }
  }
  // The workflow type and the cost estimate come later, from the estimate stage (src/estimate/estimateFindings.ts).
  return base;
}

/**
 * A class method exported as the handler: a Powertools tracing decorator is an assumption, any other decorator a
 * blocker; so is a field the method assigns (the instance outlives the invocation, so the field is state kept across
 * invocations, which a state machine does not have). Reading `this` is left to the lifter.
 */
function classMethodFacts(c: HandlerCandidate, mod: ModuleInfo, blockers: Blocker[]): Assumption[] {
  const assumptions: Assumption[] = [];
  for (const d of c.classMethod!.decorators) {
    if (isTracingDecorator(mod, d.node)) assumptions.push({ line: d.line, message: `@${d.text} only adds X-Ray tracing to the handler; enable tracing on the state machine to trace its executions` });
    else blockers.push({ rule: 'unsupported-construct', line: d.line, message: `the handler method is decorated by @${d.text}, whose behaviour is unknown` });
  }
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    // A nested function (not an arrow) has a `this` of its own.
    if (node !== c.fn && (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ClassMethod' || node.type === 'ObjectMethod' || node.type === 'ClassDeclaration' || node.type === 'ClassExpression')) return;
    const target = node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : undefined;
    if (target && (target.type === 'MemberExpression' || target.type === 'OptionalMemberExpression') && target.object.type === 'ThisExpression') {
      const field = mod.text.slice(target.start ?? 0, target.end ?? 0);
      blockers.push({ rule: 'unsupported-construct', line: node.loc?.start.line ?? 0, message: `the handler method assigns ${field}: a field of the ${c.classMethod!.className} instance outlives the invocation, so it is state kept across invocations, which a state machine does not have` });
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments' || k === 'decorators') continue;
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && 'type' in v) visit(v);
    }
  };
  visit(c.fn);
  return assumptions;
}

/**
 * Response header names the front door must carry over: the keys of every `headers` object in the definition and in
 * the handler's module (routes left to the original handler or a kept Lambda set theirs in code). `answered`: those
 * a response surely carries, from the definition or beside a `statusCode` in the module (not a request's headers),
 * with the line naming each.
 */
function responseHeaderNames(mod: ModuleInfo, definition: AslDefinition): { names: string[]; answered: string[]; lines: Map<string, number>; notes: string[] } {
  const names = new Set<string>();
  const answered = new Set<string>();
  const lines = new Map<string, number>();
  const notes: string[] = [];
  const isKey = (k: t.Node, name: string) => (k.type === 'Identifier' && k.name === name) || (k.type === 'StringLiteral' && k.value === name);
  const addKeys = (obj: t.ObjectExpression, at: number, response: boolean): void => {
    for (const p of obj.properties) {
      if (p.type === 'ObjectProperty' && !p.computed && (p.key.type === 'Identifier' || p.key.type === 'StringLiteral')) {
        const name = p.key.type === 'Identifier' ? p.key.name : p.key.value;
        names.add(name);
        if (response) answered.add(name);
        if (response && !lines.has(name)) lines.set(name, p.loc?.start.line ?? at);
      } else if (p.type === 'SpreadElement') addValue(p.argument, at, response);
      else notes.push(`some response headers at line ${at} are named at run time; the front door forwards only the headers named in the code`);
    }
  };
  const addValue = (v: t.Node, at: number, response: boolean): void => {
    const init = v.type === 'Identifier' ? mod.bindings.get(v.name)?.init : v;
    if (init?.type === 'ObjectExpression') addKeys(init, at, response);
    else notes.push(`the response headers at line ${at} are built at run time; the front door forwards only the headers named in the code`);
  };
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as t.Node;
    if (node.type === 'ObjectExpression') {
      const response = node.properties.some((p) => p.type === 'ObjectProperty' && !p.computed && isKey(p.key, 'statusCode'));
      for (const p of node.properties) if (p.type === 'ObjectProperty' && !p.computed && isKey(p.key, 'headers')) addValue(p.value, p.loc?.start.line ?? 0, response);
    }
    eachChild(node, visit);
  };
  visit(mod.ast);
  const visitAsl = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'headers' && x && typeof x === 'object' && !Array.isArray(x)) {
        for (const h of Object.keys(x).map((key) => key.replace(/\.\$$/, ''))) {
          names.add(h);
          answered.add(h);
        }
      }
      visitAsl(x);
    }
  };
  visitAsl(definition);
  return { names: [...names].sort(), answered: [...answered].sort(), lines, notes: [...new Set(notes)] };
}

/** With no proposal, a route whose lines hold a blocker does not convert (the others would, on their own). */
function markBlockedRoutes(f: Finding): void {
  for (const r of f.routes ?? []) if (f.blockers.some((b) => b.line >= r.line && b.line <= (r.endLine ?? r.line))) r.convertible = 'none';
}

function countStates(states: Record<string, unknown>): number {
  return Object.keys(states).length;
}

/** Module-level helper functions that only this handler calls (their lines go away with it). */
function helperRanges(c: HandlerCandidate, mod: ModuleInfo): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const handlerText = mod.text.slice(c.target.stmt.start ?? 0, c.target.stmt.end ?? 0);
  for (const [name, b] of mod.bindings) {
    if (b.kind !== 'function' && !(b.init && (b.init.type === 'ArrowFunctionExpression' || b.init.type === 'FunctionExpression'))) continue;
    if (b.decl === c.target.stmt) continue;
    // Most bindings are not named in the handler at all: a substring test says so without building a pattern
    // (a `$` in the name is a pattern anchor, so such names go to the pattern as before).
    if (!name.includes('$') && !handlerText.includes(name)) continue;
    const re = new RegExp(`\\b${name}\\b`, 'g');
    if (!re.test(handlerText)) continue;
    const total = (mod.text.match(re) ?? []).length;
    const inHandler = (handlerText.match(re) ?? []).length;
    const declText = mod.text.slice(b.decl.start ?? 0, b.decl.end ?? 0);
    const inDecl = (declText.match(re) ?? []).length;
    if (total === inHandler + inDecl) out.push([b.decl.loc!.start.line, b.decl.loc!.end.line]);
  }
  return out;
}
