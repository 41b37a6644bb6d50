import { updatedAttributes, withKeyAttributes } from './schemaSources.js';
import type * as t from '@babel/types';
import { isDynamoClient } from '../analyze/clients.js';
import { typeOfValue } from '../model/valueType.js';
import type { DynamoCall, DynamoOp, DynamoParam, ItemSchema, Json, Step, ValueExpr } from '../model/workflow.js';
import { type Entry, LiftFailure, type TableRef } from './context.js';
import type { SdkCallShape } from './services/dynamoCall.js';
import { CLIENT_TITLES, SDK_INTEGRATION_CLIENTS } from './services/sdkIntegrations.js';
import { INTEGRATION_PARAMETERS, recogniseServiceCall, unknownMember, type ServiceCallMatch } from './services/serviceCall.js';
import { decodedBytes, keyName, line, propName, unwrapTs } from './syntax.js';
import { LiftValues } from './values/evaluate.js';
import { isLiteral } from './values/fold.js';

/** Table names in TransactItems (`TableName`) or RequestItems (the keys). */
function tableNamesIn(v: ValueExpr): TableRef[] {
  const out: TableRef[] = [];
  const fromValue = (x: ValueExpr) => {
    if (x.kind === 'env') out.push({ name: `\${${x.substitution}}`, key: x.envVar, envVar: x.envVar });
    else if (isLiteral(x) && typeof x.value === 'string') out.push({ name: x.value, key: x.value, literal: x.value });
  };
  const walk = (x: ValueExpr) => {
    if (x.kind === 'array') x.items.forEach(walk);
    if (x.kind === 'object') {
      for (const [k, e] of x.entries) {
        if (k === 'TableName') fromValue(e);
        else if (/^\$\{/.test(k)) out.push({ name: k, key: k.slice(2, -1) });
        else walk(e);
      }
    }
    if (isLiteral(x) && x.value && typeof x.value === 'object') {
      const lit = (j: Json): void => {
        if (Array.isArray(j)) j.forEach(lit);
        else if (j && typeof j === 'object') for (const [k, e] of Object.entries(j)) (k === 'TableName' && typeof e === 'string' ? out.push({ name: e, key: e, literal: e }) : lit(e));
      };
      lit(x.value);
    }
  };
  walk(v);
  return out;
}

/** `err.name === 'X'`, `err.code === 'X'`, `err instanceof X`, `err?.name === 'X'`, joined with || → ['X', …]. */
/** Whether an object value has a member at `path`: 'unknown' when a part of it is not written out in the code. */
function objectHasPath(v: ValueExpr, path: string[]): 'yes' | 'no' | 'unknown' {
  if (!path.length) return 'yes';
  const [head, ...rest] = path as [string, ...string[]];
  if (v.kind === 'object') {
    const entry = v.entries.find(([k]) => k === head);
    return entry ? (entry[1].kind === 'undefined' ? 'no' : objectHasPath(entry[1], rest)) : 'no';
  }
  if (v.kind === 'literal') {
    if (!v.value || typeof v.value !== 'object' || Array.isArray(v.value)) return 'no';
    const inner = (v.value as Record<string, Json>)[head];
    return inner === undefined ? 'no' : objectHasPath({ kind: 'literal', value: inner }, rest);
  }
  return 'unknown';
}

export abstract class LiftServiceCalls extends LiftValues {
  abstract liftBlock(stmts: t.Statement[]): Step[];

  /** Recognise a (possibly awaited) SDK call expression; returns its normalised shape. */
  sdkCall(node: t.Node): SdkCallShape | undefined {
    let n = unwrapTs(node);
    if (n.type === 'AwaitExpression') n = unwrapTs(n.argument);
    let promise = false;
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propName(n.callee) === 'promise' && n.arguments.length === 0) {
      promise = true;
      n = unwrapTs(n.callee.object);
    }
    if (n.type !== 'CallExpression' || (n.callee.type !== 'MemberExpression' && n.callee.type !== 'OptionalMemberExpression')) return undefined;
    const method = propName(n.callee);
    if (!method) return undefined;
    let clientEntry: Entry;
    try {
      clientEntry = this.evalExpr(n.callee.object);
    } catch {
      return undefined;
    }
    if (clientEntry.kind !== 'client') return undefined;
    if (clientEntry.problem) throw new LiftFailure(`${this.code(n.callee)}(…): ${clientEntry.problem.message} (line ${clientEntry.problem.line})`, line(n));
    const shape: SdkCallShape = { client: clientEntry.client, method, args: n.arguments, promise, ...(clientEntry.undefinedThrows ? { undefinedThrows: true } : {}) };
    if (method === 'send') {
      const arg = n.arguments[0] ? unwrapTs(n.arguments[0]) : undefined;
      if (arg?.type === 'NewExpression' && arg.callee.type === 'Identifier') {
        const imp = this.resolveImport(arg.callee.name);
        if (imp) shape.command = { name: imp.path.join('.'), source: imp.source, args: arg.arguments };
      } else if (arg?.type === 'Identifier') {
        // const cmd = new GetCommand(params); client.send(cmd), in this function or at module level
        const local = this.findScope(arg.name)?.get(arg.name);
        if (local?.kind === 'sdk-command') {
          if (local.module !== this.module || local.scope !== this.scopes[0]) return undefined;
          shape.command = { name: local.name, source: local.source, args: local.args };
          return shape;
        }
        const b = this.localInit(arg.name);
        if (b && b.type === 'NewExpression' && b.callee.type === 'Identifier') {
          const imp = this.resolveImport(b.callee.name);
          if (imp) shape.command = { name: imp.path.join('.'), source: imp.source, args: b.arguments };
        }
      }
    }
    return shape;
  }

  localInit(name: string): t.Node | undefined {
    const b = this.module.bindings.get(name);
    return b?.init && b.path.length === 0 ? unwrapTs(b.init) : undefined;
  }

  resolveImport(name: string): { source: string; path: string[] } | undefined {
    const e = this.lookup(name);
    return e?.kind === 'package' ? { source: e.source, path: e.path } : undefined;
  }

  liftSdkCall(call: SdkCallShape, out: Step[], at: t.Node): Entry {
    if (isDynamoClient(call.client)) {
      for (const rule of this.opts.rules) {
        const m = rule.recogniseDynamoCall?.(call);
        if (!m) continue;
        if (!this.opts.ruleEnabled(rule.meta.id)) throw new LiftFailure(`${rule.meta.title} (rule ${rule.meta.id}) is disabled in the configuration`, line(at), rule.meta.id);
        if (call.client.startsWith('v2') && !call.promise && !m.callback) throw new LiftFailure(`DynamoDB ${call.method}() is neither awaited with .promise() nor given a callback`, line(at), rule.meta.id);
        this.use(rule.meta.id);
        const step = this.dynamoStep(m.op, m.params, m.values, rule.meta.id, at);
        if (call.undefinedThrows && m.values === 'document') step.undefinedThrows = true;
        out.push(...this.flushPending());
        out.push(step);
        this.result.dynamoCalls += 1;
        const plain = call.client.startsWith('v2') && !('ReturnConsumedCapacity' in step.params) && !('ReturnItemCollectionMetrics' in step.params);
        // A write without ReturnValues (or with NONE) returns no Attributes: the Task keeps no result to read them from.
        const returnValues = step.params['ReturnValues']?.value;
        const noAttributes = (m.op === 'putItem' || m.op === 'updateItem' || m.op === 'deleteItem') && (!returnValues || (returnValues.kind === 'literal' && returnValues.value === 'NONE'));
        const entry: Entry = { kind: 'ddb-result', step: step.result, table: step.table, op: m.op, schema: withKeyAttributes(this.schemaFor(step.table), step), raw: m.values === 'typed', ...(plain ? { plain } : {}), ...(noAttributes ? { noAttributes } : {}) };
        // An update that succeeds returns what its SET/ADD clauses wrote (ALL_NEW, UPDATED_NEW).
        for (const name of updatedAttributes(step) ?? []) {
          this.learnPresentValue({ kind: 'ddb', step: step.result, field: 'Attributes', path: [] });
          this.learnPresentValue({ kind: 'ddb', step: step.result, field: 'Attributes', path: [name] });
        }
        if (m.callback) {
          for (const h of this.hooks) if (h.liftNodeCallback?.(m.callback, entry, out, at)) break;
          return { kind: 'value', value: { kind: 'undefined' } };
        }
        return entry;
      }
      throw new LiftFailure(`DynamoDB call ${call.method}${call.command ? `(new ${call.command.name})` : ''} is not a supported operation`, line(at));
    }
    const service = recogniseServiceCall(call);
    if (service) return this.liftServiceCall(service, out, at);
    const named = call.command ? `${call.command.name} (${CLIENT_TITLES[call.client] ?? call.client})` : `${CLIENT_TITLES[call.client] ?? call.client} ${call.method}`;
    if (call.client === 'v3-bedrock-runtime') {
      const why: Record<string, string> = {
        InvokeModelWithResponseStreamCommand: 'the answer arrives as an event stream, which no Task returns (bedrock:invokeModel answers the whole body at once)',
        ConverseCommand: 'Step Functions has no optimized Converse integration (only InvokeModel and CreateModelCustomizationJob), and the AWS SDK integration is not known to cover Bedrock Runtime',
        ConverseStreamCommand: 'a streamed answer, and no Step Functions integration for Converse',
      };
      throw new LiftFailure(`${named} is not converted: ${why[call.command?.name ?? ''] ?? 'no known-safe mapping (only InvokeModelCommand becomes bedrock:invokeModel)'}`, line(at), 'bedrock-invoke-model');
    }
    if (SDK_INTEGRATION_CLIENTS.has(call.client)) throw new LiftFailure(`${named} is not converted: no known-safe mapping to an AWS SDK integration (rule aws-sdk-integration lists the commands it maps)`, line(at), 'aws-sdk-integration');
    throw new LiftFailure(`${call.client} call ${call.method}${call.command ? `(new ${call.command.name})` : ''} is not converted yet`, line(at));
  }

  /** SNS publish, EventBridge putEvents, SQS sendMessage, Lambda invoke → a `publish` step (optimized integration). */
  liftServiceCall(m: ServiceCallMatch, out: Step[], at: t.Node): Entry {
    this.result.serviceCalls += 1;
    if (!this.opts.ruleEnabled(m.rule)) throw new LiftFailure(`${m.title} (rule ${m.rule}) is disabled in the configuration`, line(at), m.rule);
    if (m.unawaitedV2) throw new LiftFailure(`${m.title} call is neither awaited with .promise() nor given a callback`, line(at), m.rule);
    const params = this.objectParams(m.params as t.Node | undefined, at);
    if (m.service === 'bedrock' || m.service === 'aws-sdk') return this.liftSdkIntegration(m, params, out, at);
    const known = INTEGRATION_PARAMETERS[m.service]?.members;
    const unknown = known && params.find(([k]) => !Object.hasOwn(known, k));
    if (unknown) throw new LiftFailure(`${m.title} parameter ${unknown[0]} is not one the Step Functions integration takes (${Object.keys(known).join(', ')})`, line(unknown[1]), m.rule);
    const lifted: Record<string, ValueExpr> = {};
    for (const [k, node] of params) {
      lifted[k] = m.service === 'lambda' && k === 'Payload' ? this.lambdaPayload(node) : this.valueOf(node);
      const nested = known && unknownMember(lifted[k]!, known[k]!, k);
      if (nested) throw new LiftFailure(`${m.title} parameter ${nested} is not one the Step Functions integration takes`, line(node), m.rule);
    }
    if (m.service === 'lambda') {
      const type = lifted['InvocationType'];
      if (type && !(isLiteral(type) && (type.value === 'Event' || type.value === 'RequestResponse'))) throw new LiftFailure(`InvocationType ${this.code(params.find(([k]) => k === 'InvocationType')![1])} is not RequestResponse or Event`, line(at), m.rule);
      this.assume(line(at), 'lambda:invoke fails the Task when the invoked function throws (error name = its errorType, or Lambda.Unknown), where the SDK call returns normally with FunctionError set', m.rule);
    }
    if (m.service === 'eventbridge') this.assume(line(at), 'events:putEvents fails the Task (EventBridge.FailedEntry) when an entry is rejected, where the SDK call returns normally with FailedEntryCount > 0', m.rule);
    this.use(m.rule);
    out.push(...this.flushPending());
    const name = this.fresh(m.service === 'lambda' ? 'invoke' : m.service === 'sns' ? 'publish' : m.service === 'sqs' ? 'sent' : 'put');
    // SNS keeps its historical shape (result dropped); the others store the result in case the code reads it.
    const asyncInvoke = m.service === 'lambda' && isLiteral(lifted['InvocationType'] ?? { kind: 'undefined' }) && (lifted['InvocationType'] as { value: Json }).value === 'Event';
    const keepResult = m.service !== 'sns' && !asyncInvoke;
    out.push({ kind: 'publish', service: m.service, result: name, params: lifted, ...(keepResult ? { keepResult } : {}), line: line(at), rule: m.rule });
    if (m.service === 'lambda' && keepResult) this.lambdaResults.add(name);
    return { kind: 'value', value: keepResult ? { kind: 'var', name, path: [], type: { kind: 'object' } } : { kind: 'undefined' } };
  }

  /**
   * Bedrock InvokeModel (bedrock:invokeModel) or an allow-listed SDK command (aws-sdk:<service>:<action>): the SDK's
   * request members become the Task's PascalCase parameters; the result is stored and only its mapped fields can be read.
   */
  liftSdkIntegration(m: ServiceCallMatch, params: Array<[string, t.Node]>, out: Step[], at: t.Node): Entry {
    const lifted: Record<string, ValueExpr> = {};
    let title: string;
    let fields: Record<string, 'string' | 'number' | 'array'> = {};
    let unsafe: Record<string, string> = {};
    if (m.service === 'bedrock') {
      title = 'Bedrock InvokeModel';
      const bedrockParams: Record<string, string> = { modelId: 'ModelId', body: 'Body', contentType: 'ContentType', accept: 'Accept' };
      for (const [k, node] of params) {
        const task = bedrockParams[k];
        if (!task) throw new LiftFailure(`InvokeModel parameter ${k} has no known mapping to bedrock:invokeModel (ModelId, Body, ContentType, Accept)`, line(node), m.rule);
        if (k === 'body') {
          lifted[task] = this.jsonBytes(node, 'Bedrock InvokeModel body', m.rule);
          continue;
        }
        const v = this.valueOf(node);
        if ((k === 'contentType' || k === 'accept') && !(isLiteral(v) && v.value === 'application/json')) throw new LiftFailure(`InvokeModel ${k} ${this.code(node)} is not application/json: the Task reads and writes the body as JSON`, line(node), m.rule);
        if (k === 'modelId' && typeOfValue(v).kind !== 'string' && typeOfValue(v).kind !== 'unknown') throw new LiftFailure(`InvokeModel modelId ${this.code(node)} is not a string`, line(node), m.rule);
        lifted[task] = v;
      }
      for (const required of ['ModelId', 'Body']) if (!lifted[required]) throw new LiftFailure(`InvokeModel without ${required}`, line(at), m.rule);
      unsafe = { contentType: 'the Task result keeps the parsed Body only', performanceConfigLatency: 'not in the Task result', $metadata: 'SDK metadata' };
      this.assume(line(at), 'bedrock:invokeModel errors are taken to be named Bedrock.<API error name> (Bedrock.ValidationException, …), as public state machines catch them; the Step Functions documentation does not list them', m.rule);
    } else {
      const sdk = m.sdk!;
      title = `${sdk.apiAction} (${sdk.integration.service})`;
      for (const [k, node] of params) {
        const p = sdk.params[k];
        if (!p) throw new LiftFailure(`${sdk.command} parameter ${k} has no known mapping to aws-sdk:${sdk.integration.service}:${sdk.integration.action} (known: ${Object.keys(sdk.params).join(', ')})`, line(node), m.rule);
        const v = this.valueOf(node);
        const type = typeOfValue(v).kind;
        if (type !== p.type && type !== 'unknown') throw new LiftFailure(`${sdk.command} parameter ${k} ${this.code(node)} is not a ${p.type} (${type})`, line(node), m.rule);
        for (const [path, why] of Object.entries(p.forbidden ?? {})) {
          const has = objectHasPath(v, path.split('.'));
          if (has === 'yes') throw new LiftFailure(`${sdk.command} sends ${k}.${path}: ${why}, which the SDK and the Task encode differently`, line(node), m.rule);
          if (has === 'unknown') throw new LiftFailure(`${sdk.command} parameter ${k} ${this.code(node)} is not an object the analyser can see into: it could hold ${path} (${why})`, line(node), m.rule);
        }
        lifted[p.task] = v;
      }
      for (const required of sdk.required) if (!lifted[sdk.params[required]!.task]) throw new LiftFailure(`${sdk.command} without ${required}`, line(at), m.rule);
      fields = sdk.results;
      unsafe = { ...sdk.unsafeResults, $metadata: 'SDK metadata' };
    }
    this.use(m.rule);
    out.push(...this.flushPending());
    const name = this.fresh(m.service === 'bedrock' ? 'model' : m.sdk!.integration.action);
    out.push({ kind: 'publish', service: m.service, result: name, params: lifted, keepResult: true, ...(m.sdk ? { sdk: m.sdk.integration } : {}), line: line(at), rule: m.rule });
    return { kind: 'sdk-result', name, title, rule: m.rule, path: [], fields, unsafe, ...(m.service === 'bedrock' ? { body: true } : {}) };
  }

  /** `JSON.stringify(x)`, optionally as bytes (Buffer.from / TextEncoder): the integration sends x as JSON. */
  jsonBytes(node: t.Node, what: string, rule: string): ValueExpr {
    try {
      return this.lambdaPayload(node);
    } catch (e) {
      if (e instanceof LiftFailure) throw new LiftFailure(`${what} ${this.code(node)} is not JSON.stringify(…) of a value: the Task sends JSON`, line(node), rule);
      throw e;
    }
  }

  /** A field of an SDK integration result: mapped fields are read from the stored result, others are blockers. */
  sdkResultMember(base: Extract<Entry, { kind: 'sdk-result' }>, p: string, at: t.Node): Entry {
    const path = [...base.path, p];
    const dotted = path.join('.');
    if (base.body && dotted === 'body') throw new LiftFailure(`${this.code(at)}: the Bedrock response body is read other than as JSON.parse of its decoded text (bedrock:invokeModel returns the parsed JSON Body)`, line(at), base.rule);
    const unsafe = Object.hasOwn(base.unsafe, dotted) ? base.unsafe[dotted] : undefined;
    if (unsafe) throw new LiftFailure(`${this.code(at)}: result field ${dotted} of ${base.title} is not read the same from the Task result (${unsafe})`, line(at), base.rule);
    const type = Object.hasOwn(base.fields, dotted) ? base.fields[dotted] : undefined;
    if (type) return { kind: 'value', value: { kind: 'var', name: base.name, path, type: { kind: type } } };
    if (Object.keys(base.fields).some((f) => f.startsWith(`${dotted}.`))) return { ...base, path };
    throw new LiftFailure(`${this.code(at)}: result field ${dotted} of ${base.title} is not mapped${Object.keys(base.fields).length ? ` (readable: ${Object.keys(base.fields).join(', ')})` : ' (the code may not read this result)'}`, line(at), base.rule);
  }

  /** Lambda Payload: the optimized integration takes JSON, so `JSON.stringify(x)` (as bytes or not) becomes x. */
  lambdaPayload(node: t.Node): ValueExpr {
    let n = unwrapTs(node);
    // Buffer.from(s) / new TextEncoder().encode(s)
    if (n.type === 'CallExpression' && n.arguments.length === 1 && n.callee.type === 'MemberExpression') {
      const obj = unwrapTs(n.callee.object);
      const m = propName(n.callee);
      if ((m === 'from' && obj.type === 'Identifier' && obj.name === 'Buffer') || (m === 'encode' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'TextEncoder')) n = unwrapTs(n.arguments[0]!);
    }
    const v = this.valueOf(n);
    if (v.kind === 'json-stringify') return v.value;
    if (isLiteral(v) && typeof v.value === 'string') {
      try {
        return { kind: 'literal', value: JSON.parse(v.value) as Json };
      } catch {
        /* not JSON: falls through to the failure */
      }
    }
    throw new LiftFailure(`Lambda Payload ${this.code(node)} is not JSON.stringify(…) of a value: the optimized integration sends JSON`, line(node), 'lambda-invoke');
  }

  /** `JSON.parse(Buffer.from(r.Payload).toString())` / `JSON.parse(new TextDecoder().decode(r.Payload))` of a Lambda invoke result. */
  decodedLambdaPayload(node: t.Node): ValueExpr | undefined {
    const bytes = decodedBytes(node);
    if (!bytes) return undefined;
    const b = unwrapTs(bytes);
    if (b.type === 'MemberExpression' && propName(b) === 'body') {
      // Bedrock InvokeModel: the Task result holds the answer parsed from JSON under Body.
      const model = this.evalExprSafe(b.object);
      if (model?.kind === 'sdk-result' && model.body && model.path.length === 0) return { kind: 'var', name: model.name, path: ['Body'], type: { kind: 'unknown' } };
      return undefined;
    }
    if (b.type !== 'MemberExpression' || propName(b) !== 'Payload') return undefined;
    const base = this.evalExprSafe(b.object);
    if (base?.kind !== 'value' || base.value.kind !== 'var' || !this.lambdaResults.has(base.value.name) || base.value.path.length) return undefined;
    return { kind: 'var', name: base.value.name, path: ['Payload'], type: { kind: 'unknown' } };
  }

  objectParams(node: t.Node | undefined, at: t.Node): Array<[string, t.Node]> {
    if (!node) throw new LiftFailure('service call without parameters', line(at));
    const n = unwrapTs(node);
    if (n.type === 'ObjectExpression') {
      const out: Array<[string, t.Node]> = [];
      for (const p of n.properties) {
        if (p.type === 'SpreadElement') {
          const inner = this.objectParams(p.argument, at);
          for (const [k, v] of inner) {
            const i = out.findIndex(([x]) => x === k);
            if (i >= 0) out.splice(i, 1);
            out.push([k, v]);
          }
          continue;
        }
        if (p.type === 'ObjectMethod') throw new LiftFailure('method in request parameters', line(p));
        let key = keyName(p.key);
        if (p.computed) {
          const kv = this.valueOf(p.key);
          if (kv.kind === 'env') key = `\${${kv.substitution}}`;
          else if (isLiteral(kv) && typeof kv.value === 'string') key = kv.value;
          else key = undefined;
        }
        if (key === undefined) throw new LiftFailure(`computed parameter name ${this.code(p.key)}`, line(p));
        out.push([key, p.value]);
      }
      return out;
    }
    if (n.type === 'Identifier') {
      const init = this.initOf(n.name);
      if (init) return this.objectParams(init, at);
    }
    throw new LiftFailure(`request parameters ${this.code(n)} are not an object literal the analyser can read`, line(at));
  }

  /** The initialiser of a module-level `const` (for params objects written in a const). */
  initOf(name: string): t.Node | undefined {
    const b = this.module.bindings.get(name);
    return b?.init && b.path.length === 0 ? b.init : undefined;
  }

  dynamoStep(op: DynamoOp, paramsNode: t.Node | undefined, values: 'document' | 'typed', rule: string, at: t.Node): DynamoCall {
    let entries: Array<[string, t.Node]>;
    let paramsValue: ValueExpr | undefined;
    const pn = paramsNode ? unwrapTs(paramsNode) : undefined;
    if (pn?.type === 'Identifier') {
      const e = this.lookup(pn.name);
      if (e?.kind === 'value' && e.value.kind === 'object') paramsValue = e.value;
    }
    // `{ ...params, ExclusiveStartKey: key }` of a parameters object held in a variable (a helper's argument).
    if (pn?.type === 'ObjectExpression' && pn.properties.some((p) => p.type === 'SpreadElement' && unwrapTs(p.argument).type === 'Identifier' && !this.initOf((unwrapTs(p.argument) as t.Identifier).name))) {
      const e = this.evalExpr(pn);
      if (e.kind === 'value' && e.value.kind === 'object') paramsValue = e.value;
    }
    const params: Record<string, DynamoParam> = {};
    let tableRef: TableRef | undefined;
    const marshalKeys = new Set(['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey']);
    const handle = (key: string, v: ValueExpr, node: t.Node) => {
      if (key === 'TableName') {
        if (v.kind === 'env') tableRef = { name: `\${${v.substitution}}`, key: v.envVar, envVar: v.envVar };
        else if (isLiteral(v) && typeof v.value === 'string') tableRef = { name: v.value, key: v.value, literal: v.value };
        else throw new LiftFailure(`TableName ${this.code(node)} is neither an environment variable nor a constant`, line(node), 'table-name-env');
        this.use('table-name-env');
        params[key] = { kind: 'plain', value: v.kind === 'env' ? { kind: 'literal', value: `\${${v.substitution}}` } : v };
        return;
      }
      if (marshalKeys.has(key)) {
        params[key] = values === 'document' ? { kind: 'marshal', value: v } : { kind: 'typed', value: v };
        return;
      }
      if (['RequestItems', 'TransactItems'].includes(key)) {
        params[key] = values === 'document' ? { kind: 'nested', value: v } : { kind: 'typed', value: v };
        const tables = tableNamesIn(v);
        if (!tables.length) throw new LiftFailure(`${key} has no table name the analyser can read`, line(node), 'table-name-env');
        tableRef ??= tables[0];
        this.use('table-name-env');
        return;
      }
      if (v.kind === 'env') {
        params[key] = { kind: 'plain', value: { kind: 'literal', value: `\${${v.substitution}}` } };
        return;
      }
      if (!isLiteral(v)) {
        const what = /Expression$/.test(key) ? 'built at run time (dynamic expression building has no JSONPath equivalent; JSONata can express it)' : 'not a constant';
        if ((key === 'Limit' && typeOfValue(v).kind === 'number') || (key === 'ConsistentRead' && typeOfValue(v).kind === 'boolean')) {
          params[key] = { kind: 'plain', value: v };
          return;
        }
        if (key === 'Limit') throw new LiftFailure(`Limit comes from the request as a string; convert it with Number(…) so its type is known`, line(node));
        throw new LiftFailure(`${key} is ${what}: ${this.code(node)}`, line(node));
      }
      params[key] = { kind: 'plain', value: v };
    };
    if (paramsValue && paramsValue.kind === 'object') {
      for (const [k, v] of paramsValue.entries) handle(k, v, at);
    } else {
      entries = this.objectParams(paramsNode, at);
      for (const [k, node] of entries) handle(k, this.valueOf(node), node);
    }
    if (!tableRef) throw new LiftFailure(`${op} call has no TableName the analyser can read`, line(at), 'table-name-env');
    const name = this.fresh(op === 'getItem' ? 'get' : op);
    if (op === 'getItem' || op === 'putItem' || op === 'deleteItem' || op === 'updateItem') {
      if (!params['Key'] && op !== 'putItem') throw new LiftFailure(`${op} without a Key`, line(at));
      if (!params['Item'] && op === 'putItem') throw new LiftFailure('putItem without an Item', line(at));
    }
    const schema = this.schemaFor(tableRef);
    return { kind: 'dynamo', op, result: name, params, table: { name: tableRef.name, key: tableRef.key }, schema, line: line(at), rule };
  }

  schemaFor(table: { name: string; key: string }): ItemSchema | undefined {
    const lookup = table.name.startsWith('${') ? { envVar: table.key } : { literal: table.name };
    return this.opts.schemas.lookup(this.opts.module.path, lookup);
  }
}

