import type * as t from '@babel/types';
import { clientFromConstructor, clientFromFactory } from '../../analyze/clients.js';
import { tracedValue } from '../../analyze/tracing.js';
import { patternBindings } from '../../analyze/moduleIndex.js';
import { typeOfValue } from '../../model/valueType.js';
import { CAUGHT_ERROR, type Condition, type DynamoOp, type Json, type Step, type ValueExpr, type ValueType } from '../../model/workflow.js';
import type { SdkCallShape } from '../services/dynamoCall.js';
import type { Blocker } from '../../report/types.js';
import { clientConfigProblem, documentClientOptions } from './clientConfig.js';
import { CascadeFailure, type Entry, LiftFailure, UNSUPPORTED } from '../context.js';
import { LiftScope } from '../scope.js';
import { decodedBytes, keyName, line, propName, substitutionKey, unwrapTs } from '../syntax.js';
import { foldNumber } from './arithmetic.js';
import { intrinsicCall } from './intrinsicCalls.js';
import { jsonataValue, listCallback } from './jsonataMethods.js';
import { eventFieldType, fieldType, residualType } from './valueTypes.js';
import { foldCondition, foldObject, isLiteral, looseEquals, negate, ownsField, setEntry } from './fold.js';

/** The fields of an SDK v2 DynamoDB result, in the SDK's order. */
const WHOLE_RESULT_FIELDS: Partial<Record<DynamoOp, string[]>> = {
  getItem: ['Item'],
  query: ['Items', 'Count', 'ScannedCount', 'LastEvaluatedKey'],
  scan: ['Items', 'Count', 'ScannedCount', 'LastEvaluatedKey'],
  putItem: ['Attributes'],
  updateItem: ['Attributes'],
  deleteItem: ['Attributes'],
};

/** `(() => { throw new Error(…) })()` or `(function () { throw … })()`: an expression whose only effect is to throw. */
function throwsOnly(node: t.Node): boolean {
  const n = unwrapTs(node);
  if (n.type !== 'CallExpression' || n.arguments.length) return false;
  const fn = unwrapTs(n.callee);
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return false;
  return fn.body.type === 'BlockStatement' && fn.body.body.length === 1 && fn.body.body[0]!.type === 'ThrowStatement';
}

function isEmptyObject(v: Json): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Parts of an API Gateway proxy event that are null when the request has none. */
const NULLABLE_REQUEST_PARTS = new Set(['queryStringParameters', 'multiValueQueryStringParameters', 'headers', 'multiValueHeaders', 'stageVariables', 'body']);

export abstract class LiftValues extends LiftScope {
  abstract decodedLambdaPayload(node: t.Node): ValueExpr | undefined;
  abstract sdkResultMember(base: Extract<Entry, { kind: 'sdk-result' }>, p: string, at: t.Node): Entry;
  abstract sdkCall(node: t.Node): SdkCallShape | undefined;
  abstract liftSdkCall(call: SdkCallShape, out: Step[], at: t.Node): Entry;

  liftCondition(node: t.Node): Condition {
    const n = unwrapTs(node);
    if (n.type === 'UnaryExpression' && n.operator === '!') return negate(this.liftCondition(n.argument));
    if (n.type === 'LogicalExpression' && (n.operator === '&&' || n.operator === '||')) {
      const left = this.liftCondition(n.left);
      return { kind: n.operator === '&&' ? 'and' : 'or', items: [left, this.guardedBy(left, n.operator === '&&', () => this.liftCondition(n.right))] };
    }
    if (n.type === 'BinaryExpression') {
      const op = n.operator;
      // typeof x === 'string'
      const typeofSide = (a: t.Node, b: t.Node) => (unwrapTs(a).type === 'UnaryExpression' && (unwrapTs(a) as t.UnaryExpression).operator === 'typeof' && b.type === 'StringLiteral' ? { v: (unwrapTs(a) as t.UnaryExpression).argument, t: b.value } : undefined);
      const tc = typeofSide(n.left, n.right) ?? typeofSide(n.right, n.left as t.Node);
      if (tc && (op === '===' || op === '!==' || op === '==' || op === '!=')) {
        if (!['string', 'number', 'boolean', 'object', 'undefined'].includes(tc.t)) throw new LiftFailure(`typeof check for ${tc.t}`, line(n), 'guard-choice');
        const v = this.valueOf(tc.v);
        const negateIt = op === '!==' || op === '!=';
        if (tc.t === 'undefined') return { kind: 'present', value: v, negate: !negateIt };
        return { kind: 'typeof', value: v, type: tc.t as 'string', negate: negateIt };
      }
      if (['===', '!==', '==', '!=', '<', '<=', '>', '>='].includes(op)) {
        let left = this.valueOf(n.left);
        let right = this.valueOf(n.right);
        let o: string = op;
        if (left.kind === 'undefined' && right.kind !== 'undefined') [left, right] = [right, left];
        if (isLiteral(left) && !isLiteral(right) && right.kind !== 'undefined') {
          [left, right] = [right, left];
          o = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
        }
        if (right.kind === 'undefined' || (isLiteral(right) && right.value === null && (o === '==' || o === '!='))) {
          return { kind: 'present', value: left, negate: o === '===' || o === '==' };
        }
        if (isLiteral(left) && isLiteral(right)) return { kind: 'and', items: [], ...(looseEquals(left.value, right.value, o) ? {} : { kind: 'or' as const }) };
        if (!isLiteral(right)) {
          // Where no residual Lambda can go (a list callback, an inlined helper), JSONata compares the two values.
          const jsonata = this.inlineDepth > 0 || this.liftingAlternative ? this.jsonataValue(n) : undefined;
          return { kind: 'truthy', value: jsonata ?? this.residualCondition(n), negate: false };
        }
        const norm = o === '===' ? '==' : o === '!==' ? '!=' : o;
        return { kind: 'compare', op: norm as '==', left, right: right.value };
      }
    }
    // CONST_LIST.includes(x)
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propName(n.callee) === 'includes' && n.arguments.length === 1) {
      const list = this.valueOf(n.callee.object);
      if (isLiteral(list) && Array.isArray(list.value)) {
        const x = this.valueOf(n.arguments[0]!);
        return { kind: 'or', items: list.value.map((v) => ({ kind: 'compare' as const, op: '==' as const, left: x, right: v })) };
      }
      if (typeOfValue(list).kind === 'array') {
        const x = this.valueOf(n.arguments[0]!);
        return { kind: 'compare', op: '==', left: { kind: 'intrinsic', fn: 'States.ArrayContains', args: [list, x], type: { kind: 'boolean' } }, right: true };
      }
    }
    // A test JSONPath cannot express (`s.endsWith(x)`) is computed like any value: in a small Lambda, or by JSONata.
    const e = this.evalExprOrResidual(n);
    if (e.kind === 'ddb-result') return { kind: 'and', items: [] };
    if (e.kind !== 'value') throw new LiftFailure(this.ruleMessage('guard-choice', 'unknownCondition', { code: this.code(n) }), line(n), 'guard-choice');
    return { kind: 'truthy', value: e.value };
  }

  /** A comparison whose both sides are run-time values: keep it in a residual Lambda. */
  residualCondition(node: t.Node): ValueExpr {
    return this.residual(node, new LiftFailure(`comparison ${this.code(node)} between two run-time values has no Choice-rule equivalent in JSONPath`, line(node), 'guard-choice', true));
  }

  override valueOf(node: t.Node): ValueExpr {
    const e = this.evalExprOrResidual(node);
    if (e.kind === 'value') return e.value;
    if (e.kind === 'ddb-result' && e.plain) return this.wholeResult(e, node);
    if (e.kind === 'ddb-result') throw new LiftFailure(`the whole result of a DynamoDB call is used as a value (${this.code(node)}); it carries SDK metadata`, line(node));
    if (e.kind === 'raw-item') throw new LiftFailure(`${this.code(node)} is an item of a low-level Items list, read without unmarshall(…)`, line(node));
    if (e.kind === 'sdk-result') throw new LiftFailure(`${this.code(node)}: the result of ${e.title} is used whole${e.path.length ? '' : ' (it carries SDK metadata)'}; only its mapped fields can be read`, line(node), e.rule);
    for (const h of this.hooks) {
      const value = h.wholeValue?.(e, node);
      if (value) return value;
    }
    throw new LiftFailure(`${this.code(node)} is not a value the analyser can express`, line(node));
  }

  /** An SDK v2 result as a whole: the output fields DynamoDB returned (a missing one is left out), nothing else. */
  wholeResult(e: Extract<Entry, { kind: 'ddb-result' }>, at: t.Node): ValueExpr {
    const fields = WHOLE_RESULT_FIELDS[e.op];
    if (!fields) throw new LiftFailure(`the whole result of a DynamoDB ${e.op} is used as a value (${this.code(at)})`, line(at));
    return foldObject(fields.map((f) => {
      const v = this.member1(e, f, at);
      if (v.kind !== 'value') throw new LiftFailure(`result field ${f} of a DynamoDB call`, line(at));
      return [f, v.value];
    }));
  }

  evalExprOrResidual(node: t.Node): Entry {
    try {
      return this.evalExpr(node);
    } catch (e) {
      if (e instanceof LiftFailure && e.residualizable) return { kind: 'value', value: this.residual(node, e) };
      throw e;
    }
  }

  private isClientCall(callee: t.Node): boolean {
    let x = unwrapTs(callee);
    while (x.type === 'MemberExpression' || x.type === 'OptionalMemberExpression') x = unwrapTs(x.object);
    if (x.type !== 'Identifier') return false;
    try {
      return this.lookup(x.name)?.kind === 'client';
    } catch {
      return false;
    }
  }

  /** Keep a pure expression in a small Lambda; its free variables become the function's input. */
  residual(node: t.Node, why: LiftFailure): ValueExpr {
    if (!this.opts.ruleEnabled('residual-lambda')) throw new LiftFailure(why.message, why.line, why.rule);
    if (this.inlineDepth > 0 || this.liftingAlternative) throw new LiftFailure(why.message, why.line, why.rule);
    const inputs: Array<[string, ValueExpr]> = [];
    const seen = new Set<string>();
    let bad: string | undefined;
    const visit = (n: t.Node | null | undefined, parent?: t.Node): void => {
      if (!n || typeof n !== 'object') return;
      if (n.type === 'AwaitExpression' || n.type === 'AssignmentExpression' || n.type === 'UpdateExpression' || (n.type === 'UnaryExpression' && n.operator === 'delete')) bad = `${this.code(n)} has effects`;
      // A call on an SDK client is a service call, awaited or not: never a computation to keep.
      if ((n.type === 'CallExpression' || n.type === 'OptionalCallExpression') && this.isClientCall(n.callee)) bad = `${this.code(n)} calls a service`;
      if (n.type === 'Identifier' && !(parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && (parent as t.MemberExpression).property === n && !(parent as t.MemberExpression).computed) && !(parent?.type === 'ObjectProperty' && (parent as t.ObjectProperty).key === n && !(parent as t.ObjectProperty).computed)) {
        if (!seen.has(n.name)) {
          seen.add(n.name);
          const local = this.findScope(n.name);
          if (local) {
            const e = local.get(n.name)!;
            if (e.kind === 'value') {
              inputs.push([n.name, e.value]);
              this.shareLiteral(n.name);
            }
            else bad = `${n.name} is not a plain value`;
          } else if (n.name === this.eventName()) {
            inputs.push([n.name, { kind: 'event', path: [], type: { kind: 'object' } }]);
          }
          // Module-level names and imports stay with the extracted code.
        }
      }
      for (const key of Object.keys(n) as Array<keyof typeof n>) {
        if (['loc', 'leadingComments', 'trailingComments', 'typeAnnotation'].includes(key as string)) continue;
        const child = n[key] as unknown;
        if (Array.isArray(child)) child.forEach((c) => c && typeof c === 'object' && 'type' in c && visit(c as t.Node, n));
        else if (child && typeof child === 'object' && 'type' in (child as object)) visit(child as t.Node, n);
      }
    };
    visit(node);
    if (bad) {
      // No Lambda can keep it; JSONata may still express it (only the JSONata emitter accepts the value then).
      const value = this.inJsonata(node, true);
      if (value) return value;
      throw new LiftFailure(`${why.message}; it cannot be kept in a Lambda either: ${bad}`, why.line, why.rule);
    }
    const id = this.fresh('compute');
    const code = this.module.text.slice(node.start ?? 0, node.end ?? 0);
    const type = residualType(node);
    const blocker: Blocker = { rule: 'residual-lambda', line: line(node), message: this.ruleMessage('residual-lambda', 'kept', { why: why.message, code: this.code(node) }) };
    this.result.residualBlockers.push(blocker);
    this.use('residual-lambda');
    const jsonata = this.jsonataAlternative(node);
    if (jsonata) this.result.jsonataResolves.set(blocker, why.rule === UNSUPPORTED ? undefined : why.rule);
    return { kind: 'residual', id, code, inputs, line: line(node), type, ...(jsonata ? { jsonata } : {}) };
  }

  /**
   * The same computation with a JSONata function: Date.now(), toLowerCase/toUpperCase, join, replace with
   * string patterns, includes, length, concat. Lifting it must leave no trace (rules, assumptions, counters):
   * the JSONPath proposal is unchanged.
   */
  jsonataAlternative(node: t.Node): ValueExpr | undefined {
    return this.inJsonata(node, false);
  }

  /**
   * `node` lifted with JSONata's functions, or undefined when even they cannot express it. What a failed attempt
   * recorded (rules, assumptions, counters) is rolled back; a successful one keeps it only with `keepTrace`.
   */
  inJsonata(node: t.Node, keepTrace: boolean): ValueExpr | undefined {
    const before = { residual: this.result.residualBlockers.length, blockers: this.result.blockers.length, assumptions: this.result.assumptions.length, rules: new Set(this.result.rules), counter: this.counter, fields: new Set(this.result.eventFields), pending: this.pending.length };
    const wasAlternative = this.liftingAlternative;
    this.liftingAlternative = true;
    let value: ValueExpr | undefined;
    try {
      value = this.jsonataValue(unwrapTs(node));
      return value;
    } catch (e) {
      if (e instanceof LiftFailure) return undefined;
      throw e;
    } finally {
      this.liftingAlternative = wasAlternative;
      if (!value || !keepTrace) {
        this.result.residualBlockers.splice(before.residual);
        this.result.blockers.splice(before.blockers);
        // A call the attempt lifted (an await inside the expression) stays, to run once: so do its names and traces.
        if (this.pending.length === before.pending) {
          this.result.assumptions.splice(before.assumptions);
          this.result.rules = before.rules;
          this.counter = before.counter;
          this.result.eventFields = before.fields;
        }
      }
    }
  }

  /**
   * A call no JSONPath value expresses, where no residual Lambda can keep it either (inside an inlined helper, or
   * inside a JSONata alternative): its JSONata form, which only the JSONata emitter accepts.
   */
  callOrJsonata(n: t.CallExpression | t.OptionalCallExpression): Entry {
    try {
      return this.evalCall(n);
    } catch (e) {
      if (!(e instanceof LiftFailure) || !e.residualizable || (this.inlineDepth === 0 && !this.liftingAlternative)) throw e;
      const value = this.inJsonata(n, true);
      if (!value) throw e;
      return { kind: 'value', value };
    }
  }

  jsonataValue(n: t.Node): ValueExpr | undefined {
    return jsonataValue(this, n);
  }

  listCallback(method: 'map' | 'filter', list: ValueExpr, args: t.Node[]): ValueExpr | undefined {
    return listCallback(this, method, list, args);
  }

  evalExpr(node: t.Node): Entry {
    const n = unwrapTs(node);
    switch (n.type) {
      case 'StringLiteral': return { kind: 'value', value: { kind: 'literal', value: n.value } };
      case 'NumericLiteral': return { kind: 'value', value: { kind: 'literal', value: n.value } };
      case 'BooleanLiteral': return { kind: 'value', value: { kind: 'literal', value: n.value } };
      case 'NullLiteral': return { kind: 'value', value: { kind: 'literal', value: null } };
      case 'TemplateLiteral': return { kind: 'value', value: this.template(n) };
      case 'Identifier': {
        if (n.name === 'undefined') return { kind: 'value', value: { kind: 'undefined' } };
        if (!this.readingField) this.shareLiteral(n.name);
        const e = this.lookup(n.name);
        if (!e) throw new LiftFailure(`${n.name} is not defined in a way the analyser can follow`, line(n));
        if (e.kind === 'blocked') throw new CascadeFailure(`${n.name} comes from line ${e.line}, which is not converted`, line(n));
        if (e.kind === 'ambiguous') throw new LiftFailure(e.why, line(n), e.rule);
        if (e.kind === 'value') return { kind: 'value', value: this.refine(e.value) };
        return e;
      }
      case 'MemberExpression': case 'OptionalMemberExpression': {
        // `headers[HEADER]` with a module constant: the same as writing the key.
        // `Status[Status.RETIRED]`: a key that is a constant's member (a TypeScript enum's reverse mapping).
        const keyOf = (k: t.Node): Json | undefined => {
          const v = k.type === 'MemberExpression' ? this.evalExprSafe(k) : undefined;
          return v?.kind === 'value' && isLiteral(v.value) ? v.value.value : undefined;
        };
        const key = n.computed ? (n.property.type === 'Identifier' ? this.constantOf(n.property.name) : keyOf(n.property)) : undefined;
        const name = propName(n) ?? (typeof key === 'string' ? key : typeof key === 'number' && n.property.type !== 'Identifier' ? String(key) : undefined);
        if (name === undefined) {
          throw new LiftFailure(`computed property access ${this.code(n)}`, line(n), UNSUPPORTED, true);
        }
        // A field read is no alias of the object: it may still change in place afterwards.
        const object = unwrapTs(n.object);
        const base = object.type === 'Identifier' ? this.withoutSharing(() => this.evalExpr(object)) : this.evalExpr(n.object);
        return this.memberEntry(base, [name], n);
      }
      case 'ObjectExpression': {
        let entries: Array<[string, ValueExpr]> = [];
        /** Spreads of values whose fields are not known statically, in order with the objects between them. */
        const parts: ValueExpr[] = [];
        let spreadOf = '';
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            const v = this.valueOf(p.argument);
            if (v.kind === 'object') {
              for (const [k, x] of v.entries) setEntry(entries, k, x);
              continue;
            }
            if (isLiteral(v) && v.value && typeof v.value === 'object' && !Array.isArray(v.value)) {
              for (const [k, x] of Object.entries(v.value)) setEntry(entries, k, { kind: 'literal', value: x });
              continue;
            }
            if (v.kind === 'undefined' || isLiteral(v) || v.kind === 'format' || v.kind === 'uuid' || v.kind === 'now-iso') throw new LiftFailure(`spread of ${this.code(p.argument)}, which is not an object`, line(p));
            if (entries.length) parts.push(foldObject(entries));
            entries = [];
            parts.push(v);
            spreadOf ||= `spread of ${this.code(p.argument)}: its fields are not known statically (JSONPath needs every attribute typed; the JSONata emitter can handle it)|${line(p)}`;
            continue;
          }
          if (p.type === 'ObjectMethod') throw new LiftFailure(`object method ${this.code(p.key)}`, line(p));
          let key = keyName(p.key);
          if (p.computed) {
            const kv = this.valueOf(p.key);
            key = isLiteral(kv) && typeof kv.value === 'string' ? kv.value : kv.kind === 'env' ? `\${${kv.substitution}}` : undefined;
          }
          if (key === undefined) throw new LiftFailure(`computed key ${this.code(p.key)}`, line(p), UNSUPPORTED, true);
          if (key === '__proto__') throw new LiftFailure(p.computed || p.shorthand ? `${this.code(p)}: a field named __proto__, which the state machine's JSON objects cannot be trusted to keep (a JavaScript object given that key sets its prototype)` : `${this.code(p)} sets the object's prototype, not a field: the state machine would write a field`, line(p));
          setEntry(entries, key, this.valueOf(p.value));
        }
        if (parts.length) {
          if (entries.length) parts.push(foldObject(entries));
          const [what, at] = spreadOf.split('|');
          return { kind: 'value', value: { kind: 'merge', parts, why: what!, line: Number(at) } };
        }
        return { kind: 'value', value: foldObject(entries) };
      }
      case 'ArrayExpression': {
        const items: ValueExpr[] = [];
        for (const el of n.elements) {
          if (!el || el.type === 'SpreadElement') throw new LiftFailure(`array spread or hole in ${this.code(n)}`, line(n), UNSUPPORTED, true);
          items.push(this.valueOf(el));
        }
        return { kind: 'value', value: items.every(isLiteral) ? { kind: 'literal', value: items.map((i) => (i as { value: Json }).value) } : { kind: 'array', items } };
      }
      case 'LogicalExpression': {
        if (n.operator === '&&') {
          // `a && b` is b when a is truthy, else a itself.
          const test = this.liftCondition(n.left);
          const folded = foldCondition(test);
          if (folded !== undefined) return this.evalExpr(folded ? n.right : n.left);
          const then = this.inBranch(() => this.assuming(test, true, () => this.valueOf(n.right)));
          const left = this.valueOf(n.left);
          // An item read from DynamoDB is an object or missing: when it is falsy, it is undefined.
          const otherwise: ValueExpr = left.kind === 'ddb' && left.path.length === 0 && (left.field === 'Item' || left.field === 'Attributes') ? { kind: 'undefined' } : left;
          return { kind: 'value', value: { kind: 'conditional', test, then, else: otherwise } };
        }
        const left = this.valueOf(n.left);
        // `process.env.X || (() => { throw new Error('…') })()`: a start-up check of the deployment, not behaviour.
        if (left.kind === 'env' && throwsOnly(n.right)) {
          this.assume(line(n), `process.env.${left.envVar} is taken to be set by the deployment (the handler throws when it is not): the state machine takes it from the ${left.substitution} definition substitution`, 'table-name-env');
          return { kind: 'value', value: left };
        }
        const right = this.inBranch(() => this.valueOf(n.right));
        if (left.kind === 'undefined' || (isLiteral(left) && left.value === null)) return { kind: 'value', value: right };
        if (isLiteral(left)) return { kind: 'value', value: n.operator === '??' ? left : left.value ? left : right };
        if (left.kind === 'env' && isLiteral(right) && typeof right.value === 'string') {
          this.assume(line(n), this.ruleMessage('table-name-env', 'fallback', { name: left.envVar, fallback: JSON.stringify(right.value), substitution: left.substitution }), 'table-name-env');
          return { kind: 'value', value: { ...left, fallback: right.value } };
        }
        return { kind: 'value', value: { kind: 'coalesce', op: n.operator, value: left, fallback: right } };
      }
      case 'ConditionalExpression': {
        const test = this.liftCondition(n.test);
        const folded = foldCondition(test);
        if (folded !== undefined) return this.evalExpr(folded ? n.consequent : n.alternate);
        const then = this.inBranch(() => this.guardedBy(test, true, () => this.valueOf(n.consequent)));
        return { kind: 'value', value: { kind: 'conditional', test, then, else: this.inBranch(() => this.guardedBy(test, false, () => this.valueOf(n.alternate))) } };
      }
      case 'BinaryExpression': {
        const constant = foldNumber(n, (name) => this.constantOf(name));
        if (constant !== undefined) return { kind: 'value', value: { kind: 'literal', value: constant } };
        // A comparison used as a value (`done: item.done === true`, `items.length > 0`) is the boolean of its test.
        if (['===', '!==', '==', '!=', '<', '<=', '>', '>='].includes(n.operator)) return { kind: 'value', value: this.booleanOf(n) };
        if (n.operator === '+') {
          const l = this.valueOf(n.left);
          const r = this.valueOf(n.right);
          if (isLiteral(l) && isLiteral(r)) return { kind: 'value', value: { kind: 'literal', value: ((l.value as number) + (r.value as number)) as Json } };
          const lt = typeOfValue(l).kind;
          const rt = typeOfValue(r).kind;
          if (lt === 'string' || rt === 'string') {
            this.use('intrinsic-template-format');
            return { kind: 'value', value: { kind: 'format', quasis: ['', '', ''], args: [l, r] } };
          }
          if (lt === 'number' && rt === 'number' && (isLiteral(l) || isLiteral(r))) {
            const assumes = { line: line(n), message: `${this.code(n)} uses States.MathAdd, which adds integers only` };
            return { kind: 'value', value: { kind: 'intrinsic', fn: 'States.MathAdd', args: [l, r], type: { kind: 'number' }, assumes } };
          }
        }
        throw new LiftFailure(`operator ${n.operator} in ${this.code(n)} has no JSONPath intrinsic`, line(n), UNSUPPORTED, true);
      }
      case 'UnaryExpression':
        if (n.operator === '!') return { kind: 'value', value: this.booleanOf(n) };
        throw new LiftFailure(`${this.code(n)} is not understood`, line(n), UNSUPPORTED, true);
      case 'CallExpression': case 'OptionalCallExpression':
        return this.callOrJsonata(n);
      case 'NewExpression': {
        const ctor = n.callee.type === 'Identifier' || n.callee.type === 'MemberExpression' ? this.evalExprSafe(n.callee) : undefined;
        if (ctor?.kind === 'package') {
          const kind = clientFromConstructor(`${ctor.source}:${ctor.path.join('.') || '*'}`) ?? clientFromConstructor(`${ctor.source}:*.${ctor.path.join('.')}`);
          const problem = kind && (clientConfigProblem(n.arguments[0], (x) => this.code(x), this.module.text) ?? (kind === 'v2-document' ? documentClientOptions('v2', n.arguments[0], (x) => this.code(x)).problem : undefined));
          if (kind) return { kind: 'client', client: kind, ...(problem ? { problem: { message: problem, line: line(n) } } : {}) };
          // An SDK v3 command built ahead of its send(command).
          if (ctor.source.startsWith('@aws-sdk/') && /Command$/.test(ctor.path.join('.'))) return { kind: 'sdk-command', name: ctor.path.join('.'), source: ctor.source, args: n.arguments, module: this.module, scope: this.scopes[0] };
        }
        throw new LiftFailure(`new ${this.code(n.callee)}(…)`, line(n), UNSUPPORTED, true);
      }
      case 'AwaitExpression': {
        const memo = this.awaitedValues[this.awaitedValues.length - 1];
        const known = memo?.get(n);
        if (known) return known;
        const entry = this.awaitedValue(n);
        memo?.set(n, entry);
        return entry;
      }
      case 'ArrowFunctionExpression': case 'FunctionExpression':
        return { kind: 'function', node: n, module: this.module, name: '(inline)' };
      default:
        throw new LiftFailure(`${this.code(n)} is not understood`, line(n), UNSUPPORTED, true);
    }
  }

  /** `(await client.scan(…).promise()).Items`, `(await helper(…)).map(…)`: the call runs before its statement, unless in a branch. */
  private awaitedValue(n: t.AwaitExpression): Entry {
    const call = this.branchDepth === 0 ? this.sdkCall(n) : undefined;
    if (call) return this.liftSdkCall(call, this.pending, n);
    for (const h of this.branchDepth === 0 ? this.hooks : []) {
      const entry = h.liftAwaitedValue?.(n, this.pending);
      if (entry) return entry;
    }
    if (this.branchDepth && this.sdkCall(n)) throw new LiftFailure(`awaited ${this.code(n.argument)} runs on one branch of a conditional value only, and the analyser runs a call inside an expression before its statement; write the branch as an if statement`, line(n));
    throw new LiftFailure(`awaited ${this.code(n.argument)} is not a recognised service call`, line(n));
  }

  /** The constant a name is bound to, if it is one. */
  constantOf(name: string): Json | undefined {
    try {
      const e = this.lookup(name);
      return e?.kind === 'value' && isLiteral(e.value) ? e.value.value : undefined;
    } catch {
      return undefined;
    }
  }

  booleanOf(test: t.Node): ValueExpr {
    const c = this.liftCondition(test);
    const folded = foldCondition(c);
    if (folded !== undefined) return { kind: 'literal', value: folded };
    return { kind: 'conditional', test: c, then: { kind: 'literal', value: true }, else: { kind: 'literal', value: false } };
  }

  evalExprSafe(node: t.Node): Entry | undefined {
    try {
      return this.evalExpr(node);
    } catch {
      return undefined;
    }
  }

  template(n: t.TemplateLiteral): ValueExpr {
    const quasis = n.quasis.map((q) => q.value.cooked ?? q.value.raw);
    const args = n.expressions.map((e) => this.valueOf(e));
    if (args.every(isLiteral)) {
      let s = quasis[0]!;
      args.forEach((a, i) => (s += String((a as { value: Json }).value) + quasis[i + 1]));
      return { kind: 'literal', value: s };
    }
    this.use('intrinsic-template-format');
    return { kind: 'format', quasis, args };
  }

  memberEntry(base: Entry, path: string[], at: t.Node): Entry {
    let cur = base;
    for (const p of path) {
      // Inherited from Object.prototype: with no field of its own, JavaScript reads a function where the machine reads none.
      if (p in Object.prototype && (cur.kind === 'env-namespace' || (cur.kind === 'value' && !ownsField(cur.value, p)))) {
        throw new LiftFailure(`${this.code(at)}: ${p} is inherited from Object.prototype, so the handler reads it even where the data has no field ${p}, where the state machine reads only a field of that name`, line(at), UNSUPPORTED);
      }
      cur = this.member1(cur, p, at);
    }
    return cur;
  }

  member(v: ValueExpr, path: string[], at: t.Node): ValueExpr {
    const e = this.memberEntry({ kind: 'value', value: v }, path, at);
    if (e.kind !== 'value') throw new LiftFailure('member access', line(at));
    return e.value;
  }

  member1(base: Entry, p: string, at: t.Node): Entry {
    if (base.kind === 'sdk-result') return this.sdkResultMember(base, p, at);
    for (const h of this.hooks) {
      const entry = h.member?.(base, p, at);
      if (entry) return entry;
    }
    if (base.kind === 'value' && base.value.kind === 'var' && base.value.path.length === 0 && this.lambdaResults.has(base.value.name) && p !== 'StatusCode') {
      throw new LiftFailure(`${this.code(at)}: a Lambda invoke result is read other than through JSON.parse of its decoded Payload or its StatusCode (the optimized integration returns the Payload as JSON and fails on function errors)`, line(at), 'lambda-invoke');
    }
    switch (base.kind) {
      case 'global':
        if (base.path[0] === 'process' && p === 'env' && base.path.length === 1) return { kind: 'env-namespace' };
        return { kind: 'global', path: [...base.path, p] };
      case 'env-namespace': {
        // Lambda takes variable names of letters, digits and _ only: no deployment sets process.env.$ (nor A.B).
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) throw new LiftFailure(`${this.code(at)}: no Lambda function can have an environment variable named ${p} (names are letters, digits and _), so the handler reads undefined here, where the state machine would read a definition substitution no deployment fills`, line(at), 'table-name-env');
        const sub = substitutionKey(p, this.result.substitutions);
        this.result.substitutions[sub] = `process.env.${p}`;
        return { kind: 'value', value: { kind: 'env', envVar: p, substitution: sub } };
      }
      case 'package': return { kind: 'package', source: base.source, path: [...base.path, p] };
      case 'namespace': {
        const entry = this.exportedEntry(base.module, p);
        if (!entry) throw new LiftFailure(`${this.code(at)}: ${p} is not an export of ${base.module.path.split('/').pop()} the analyser can follow`, line(at));
        return entry;
      }
      case 'ddb-result': {
        // Items of a table whose attribute types are known are unmarshalled by a Map state; otherwise a small Lambda does it.
        if (p === 'Items' && !base.raw && !base.schema) return { kind: 'value', value: this.unmarshalItems(base.step, at) };
        if (!['Item', 'Attributes', 'Items', 'Count', 'ScannedCount', 'LastEvaluatedKey'].includes(p)) throw new LiftFailure(`result field ${p} of a DynamoDB call`, line(at));
        if (p === 'Attributes' && base.noAttributes) return { kind: 'value', value: { kind: 'undefined' } };
        const rv: ValueExpr = { kind: 'ddb', step: base.step, field: p as 'Item', path: [], schema: base.schema, ...(base.raw ? { raw: true } : {}) };
        if (this.isKnownPresent(rv)) rv.present = true;
        return { kind: 'value', value: rv };
      }
      case 'value': {
        const v = base.value;
        switch (v.kind) {
          case 'event': {
            if (p === 'length' && v.path.length > 0) return this.lengthOf(v, at);
            if (this.opts.bodyParsedByMiddleware && v.path.length === 0 && p === 'body') return { kind: 'value', value: { kind: 'var', name: 'parsedBody', path: [], type: { kind: 'unknown' } } };
            const path = [...v.path, p];
            // API Gateway sends null for a request part it does not have; reading a field of it throws.
            if (this.tryDepth > 0 && v.path.length === 1 && NULLABLE_REQUEST_PARTS.has(v.path[0]!) && !v.present && at.type === 'MemberExpression') this.throwingReads.push({ line: line(at), code: this.code(at), part: v.path[0]! });
            else if (v.path.length === 1 && NULLABLE_REQUEST_PARTS.has(v.path[0]!) && !v.present && !this.provenPresent(v) && at.type === 'MemberExpression') this.nullPartReads.push({ line: line(at), code: this.code(at), part: v, partName: v.path[0]!, field: p, node: at });
            this.result.eventFields.add(path.join('.'));
            return { kind: 'value', value: this.refine({ kind: 'event', path, type: fieldType(v.type, p) ?? eventFieldType(path) }) };
          }
          case 'var': {
            if (v.path.length === 0 && this.nullParsed.has(v.name) && !this.provenPresent(v) && !(at.type === 'OptionalMemberExpression' && at.optional)) {
              throw new LiftFailure(`${v.name}.${p} is read where ${v.name} may be null (JSON.parse of a null text, as API Gateway sends a null body when there is none): the handler throws a TypeError there, where the state machine reads nothing; check ${v.name} (or the text) before reading its fields`, line(at), 'intrinsic-json');
            }
            if (v.path.length === 0 && this.nullishResults.has(v.name) && !this.provenPresent(v) && !(at.type === 'OptionalMemberExpression' && at.optional)) {
              throw new LiftFailure(`${this.code(at)} is read where ${this.nullishResults.get(v.name)}: the handler throws a TypeError there, where the state machine reads nothing; check it first (or read it with ?.)`, line(at), 'async-helper-inline');
            }
            if (p === 'length') return this.lengthOf(v, at);
            // A whole caught error stands for the runtime's error object: none of its fields is known.
            if (v.name === CAUGHT_ERROR && !v.path.length) throw new LiftFailure(`${this.code(at)}: a field of a caught error used as a value`, line(at), UNSUPPORTED);
            return { kind: 'value', value: this.refine({ kind: 'var', name: v.name, path: [...v.path, p], type: fieldType(v.type, p) ?? { kind: 'unknown' } }) };
          }
          case 'json-parse': throw new LiftFailure(`field ${p} of an inline JSON.parse`, line(at));
          case 'ddb': {
            if (v.field === 'Items') {
              if (p === 'length') return { kind: 'value', value: { kind: 'intrinsic', fn: 'States.ArrayLength', args: [{ ...v, raw: true } as ValueExpr], type: { kind: 'number' } } };
              throw new LiftFailure(`Items.${p}`, line(at), UNSUPPORTED, true);
            }
            // An attribute's .length is that of its string or list, not a field of it.
            if (p === 'length' && v.path.length > 0) return this.lengthOf(v, at);
            // A found item says nothing of its attributes: only a guard on the attribute itself proves it present.
            const { present: itemPresent, ...item } = v;
            const dv: ValueExpr = { ...item, path: [...v.path, p] };
            if (this.isKnownPresent(dv) || (v.path.length === 0 && itemPresent && v.schema?.attributes[p]?.optional === false)) dv.present = true;
            // `Item.x` with no item throws a TypeError in the handler (`Item?.x` does not).
            const optional = at.type === 'OptionalMemberExpression' && at.optional;
            if (v.path.length === 0 && (v.field === 'Item' || v.field === 'Attributes') && !v.present && !v.raw && !optional) {
              if (this.tryDepth > 0) throw new LiftFailure(`${this.code(at)} is read inside a try block without checking that the ${v.field === 'Item' ? 'item' : 'result'} exists: with none the handler throws a TypeError that its catch handles, where the state machine fails; check it first (if (!${v.field}) …) or read ${v.field}?.${p}`, line(at), 'try-catch');
              dv.unguarded = true;
            }
            return { kind: 'value', value: dv };
          }
          case 'object': {
            const hit = v.entries.find(([k]) => k === p);
            return { kind: 'value', value: hit ? hit[1] : { kind: 'undefined' } };
          }
          case 'literal': {
            const lv = v.value;
            if (lv !== null && typeof lv === 'object' && !Array.isArray(lv)) return { kind: 'value', value: Object.hasOwn(lv, p) ? { kind: 'literal', value: lv[p]! } : { kind: 'undefined' } };
            if ((Array.isArray(lv) || typeof lv === 'string') && p === 'length') return { kind: 'value', value: { kind: 'literal', value: lv.length } };
            throw new LiftFailure(`property ${p} of a constant`, line(at), UNSUPPORTED, true);
          }
          case 'undefined': throw new LiftFailure(`property ${p} of undefined`, line(at));
          case 'coalesce': {
            // `(a || {}).p` and `const { p } = a ?? {}` read a?.p: the empty object has no fields (nor a length).
            const empty = (v.fallback.kind === 'object' && v.fallback.entries.length === 0) || (isLiteral(v.fallback) && isEmptyObject(v.fallback.value));
            if (!empty || p === 'length') throw new LiftFailure(`${this.code(at)}: ${p} of a value with a fallback (${v.op} ${v.fallback.kind === 'literal' ? JSON.stringify(v.fallback.value) : 'an object'})`, line(at), UNSUPPORTED, true);
            return this.member1({ kind: 'value', value: v.value }, p, { ...at, type: 'OptionalMemberExpression', optional: true } as t.OptionalMemberExpression);
          }
          case 'merge': {
            // Known only when written after the last spread (a later key overrides an earlier one).
            const last = v.parts[v.parts.length - 1]!;
            const hit = last.kind === 'object' ? last.entries.find(([k]) => k === p)?.[1] : isLiteral(last) && last.value && typeof last.value === 'object' && !Array.isArray(last.value) && Object.hasOwn(last.value, p) ? { kind: 'literal' as const, value: last.value[p]! } : undefined;
            if (hit) return { kind: 'value', value: hit };
            throw new LiftFailure(`property ${p} of an object built with a spread`, line(at), UNSUPPORTED, true);
          }
          default:
            // `list[0]` of a computed list: JSONata indexes a list held in a variable exactly (nested lists and nulls too).
            if (/^(0|[1-9]\d*)$/.test(p) && typeOfValue(v).kind === 'array') return { kind: 'value', value: { kind: 'fn', fn: 'item-at', args: [v, { kind: 'literal', value: Number(p) }], type: { kind: 'unknown' } } };
            throw new LiftFailure(`property ${p} of ${v.kind === 'residual' ? 'a computed value' : v.kind}`, line(at), UNSUPPORTED, true);
        }
      }
      case 'error-var': {
        // A Task's Cause is the service's message followed by " (Service: …)": the SDK's error.message is the part before.
        if (p !== 'message') throw new LiftFailure(`${this.code(at)}: the ${p} of a caught error has no Step Functions equivalent (only its message is the Cause's first part)`, line(at), UNSUPPORTED);
        this.assume(line(at), `${this.code(at)} is read from the Cause of the caught error: the text before " (Service: ", which is DynamoDB's own message, as the SDK's error.message is`, 'try-catch');
        return { kind: 'value', value: { kind: 'fn', fn: 'substring-before', args: [{ kind: 'var', name: CAUGHT_ERROR, path: ['Cause'], type: { kind: 'string' }, present: true }, { kind: 'literal', value: ' (Service: ' }], type: { kind: 'string' } } };
      }
      case 'client': throw new LiftFailure(`client property ${p}`, line(at));
      default: throw new LiftFailure(`property ${p} of ${base.kind}`, line(at), UNSUPPORTED, true);
    }
  }

  /** `.length` is a property of strings and arrays, never a field of the value. */
  lengthOf(v: ValueExpr, at: t.Node): Entry {
    if (typeOfValue(v).kind === 'array') return { kind: 'value', value: { kind: 'intrinsic', fn: 'States.ArrayLength', args: [v], type: { kind: 'number' } } };
    const what = typeOfValue(v).kind === 'string' ? 'the length of a string' : 'the length of a value whose type is not known (a string or a list)';
    throw new LiftFailure(`${this.code(at)}: ${what} has no JSONPath equivalent (JSONata: $length())`, line(at), UNSUPPORTED, true);
  }

  /** Query/Scan `Items` used as data: JSONPath cannot unmarshal a list of items generically, so a small Lambda does. */
  unmarshalItems(step: string, at: t.Node): ValueExpr {
    if (!this.opts.ruleEnabled('residual-lambda')) throw new LiftFailure('Items needs a generic unmarshal of DynamoDB items, which JSONPath cannot express (JSONata can)', line(at));
    const blocker: Blocker = { rule: 'residual-lambda', line: line(at), message: 'Items from the query/scan needs a generic unmarshal of DynamoDB items, which JSONPath cannot express (the JSONata emitter can); kept in a small Lambda function (lambda:invoke)' };
    if (!this.result.residualBlockers.some((b) => b.message === blocker.message)) this.result.residualBlockers.push(blocker);
    this.use('residual-lambda');
    const raw: ValueExpr = { kind: 'ddb', step, field: 'Items', path: [], raw: true };
    this.result.jsonataResolves.set(this.result.residualBlockers.find((b) => b.message === blocker.message)!, undefined);
    // JSONata unmarshals the items generically (src/emit/jsonata/dynamoValues.ts).
    const jsonata: ValueExpr = { kind: 'ddb', step, field: 'Items', path: [] };
    return { kind: 'residual', id: this.fresh('unmarshallItems'), code: 'items.map((item) => unmarshall(item))', inputs: [['items', raw]], line: line(at), type: { kind: 'array' }, jsonata, cannotFail: true };
  }

  evalCall(n: t.CallExpression | t.OptionalCallExpression): Entry {
    // Bedrock's body decoded to text but not parsed: the Task has the parsed JSON only (JSON.parse is handled there).
    const bytes = decodedBytes(n);
    const bytesOf = bytes && unwrapTs(bytes);
    if (bytesOf?.type === 'MemberExpression' && propName(bytesOf) === 'body') {
      const model = this.evalExprSafe(bytesOf.object);
      if (model?.kind === 'sdk-result' && model.body) throw new LiftFailure(`${this.code(n)}: the Bedrock response body is read other than as JSON.parse of its decoded text (bedrock:invokeModel returns the parsed JSON Body)`, line(n), model.rule);
    }
    const intrinsic = intrinsicCall(this, n);
    if (intrinsic) return { kind: 'value', value: intrinsic };
    // X-Ray wrappers hand back the client they instrument; Step Functions traces its own service calls.
    const traced = n.type === 'CallExpression' ? tracedValue(this.module, n) : undefined;
    if (traced) {
      const inner = this.evalExpr(traced);
      if (inner.kind === 'client' || inner.kind === 'package') {
        this.assume(line(n), `${this.code(n.callee)}(…) only adds X-Ray tracing to the client; enable tracing on the state machine to trace its service calls`);
        return inner;
      }
    }
    const callee = unwrapTs(n.callee);
    // Clients: new X() is handled in NewExpression; factories like DynamoDBDocumentClient.from(...)
    if (callee.type === 'MemberExpression' && propName(callee) === 'from') {
      const base = this.evalExpr(callee.object);
      if (base.kind === 'package') {
        const kind = clientFromFactory(`${base.source}:${[...base.path, 'from'].join('.')}`);
        // The wrapped client's own construction says where it goes: `from(new DynamoDBClient({ region }))`.
        const inner = kind && n.arguments[0] && unwrapTs(n.arguments[0]).type === 'NewExpression' ? this.evalExprSafe(n.arguments[0]) : undefined;
        if (kind) {
          const options = documentClientOptions('lib', n.arguments[1], (x) => this.code(x));
          const problem = inner?.kind === 'client' && inner.problem ? inner.problem : options.problem ? { message: options.problem, line: line(n) } : undefined;
          return { kind: 'client', client: kind, ...(problem ? { problem } : {}), ...(options.undefinedThrows ? { undefinedThrows: true } : {}) };
        }
      }
    }
    const calleeEntry = callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression' ? this.calleeMember(callee) : this.evalExpr(callee);
    const args = n.arguments;
    for (const h of this.hooks) {
      const entry = h.liftCall?.(calleeEntry, args, n);
      if (entry) return entry;
    }
    // Boolean(x) is x's truthiness, as a Choice or a JSONata test computes it.
    if (calleeEntry.kind === 'global' && calleeEntry.path.join('.') === 'Boolean' && args.length <= 1 && args[0]?.type !== 'SpreadElement') return { kind: 'value', value: args[0] ? this.booleanOf(args[0]) : { kind: 'literal', value: false } };
    if (calleeEntry.kind === 'global') throw new LiftFailure(`${calleeEntry.path.join('.')}(…) has no JSONPath equivalent`, line(n), UNSUPPORTED, true);
    if (calleeEntry.kind === 'package') {
      const qualified = `${calleeEntry.source}:${calleeEntry.path.join('.')}`;
      if ((calleeEntry.source === '@aws-sdk/util-dynamodb' && calleeEntry.path[0] === 'marshall') || qualified === 'aws-sdk:DynamoDB.Converter.marshall') {
        // Options change what marshall() writes (removeUndefinedValues, convertEmptyValues…): only the defaults are modelled.
        if (args[1] && !(unwrapTs(args[1]).type === 'ObjectExpression' && (unwrapTs(args[1]) as t.ObjectExpression).properties.length === 0)) throw new LiftFailure(`${this.code(n)}: marshall options (${this.code(args[1])}) change how values are marshalled; the state machine marshals as marshall() does by default`, line(n));
        return { kind: 'value', value: { kind: 'marshalled', value: this.valueOf(args[0]!) } };
      }
      if ((calleeEntry.source === '@aws-sdk/util-dynamodb' && calleeEntry.path[0] === 'unmarshall') || qualified === 'aws-sdk:DynamoDB.Converter.unmarshall') {
        const item = args[0] && this.evalExpr(args[0]);
        if (item?.kind === 'raw-item') return { kind: 'value', value: item.value };
        const v = this.valueOf(args[0]!);
        if (v.kind === 'ddb' && v.raw && v.path.length === 0 && v.field !== 'Items') return { kind: 'value', value: { ...v, raw: false } };
        throw new LiftFailure(`unmarshall(${this.code(args[0]!)}) of something other than a whole item read in this handler`, line(n), UNSUPPORTED, true);
      }
      throw new LiftFailure(`${calleeEntry.source} ${calleeEntry.path.join('.') || '(module)'}(…) is library code with no Step Functions equivalent`, line(n), UNSUPPORTED, true);
    }
    if (calleeEntry.kind === 'function') throw new LiftFailure(`call of ${calleeEntry.name}: no rule inlines it`, line(n), UNSUPPORTED, true);
    if (calleeEntry.kind === 'builtin-call') return this.builtinCall(calleeEntry, args, n);
    if (calleeEntry.kind === 'value') {
      // Methods on values: constant folding for literals, a few intrinsics otherwise.
      throw new LiftFailure(`${this.code(n)} has no JSONPath equivalent`, line(n), UNSUPPORTED, true);
    }
    throw new LiftFailure(`call ${this.code(n)} is not understood`, line(n), UNSUPPORTED, true);
  }

  /** `obj.method` as a callee: resolves global/package members and folds methods on constants. */
  calleeMember(callee: t.MemberExpression | t.OptionalMemberExpression): Entry {
    const name = propName(callee);
    const obj = unwrapTs(callee.object);
    // new Date().toISOString()
    if (name === 'toISOString' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date' && obj.arguments.length === 0) {
      return { kind: 'builtin-call', method: 'iso-now' };
    }
    if (obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date') {
      throw new LiftFailure(`${this.code(callee)}(): time arithmetic and formatting have no JSONPath equivalent (JSONata: $now(), $millis(), $fromMillis())`, line(callee), 'intrinsic-timestamp', true);
    }
    const base = this.evalExpr(callee.object);
    if (name === undefined) throw new LiftFailure(`computed call ${this.code(callee)}`, line(callee), UNSUPPORTED, true);
    if (base.kind === 'value' && isLiteral(base.value)) {
      const lv = base.value.value;
      if (Array.isArray(lv) && name === 'join') return { kind: 'builtin-call', method: 'join', list: lv };
    }
    return this.member1(base, name, callee);
  }

  builtinCall(fn: Extract<Entry, { kind: 'builtin-call' }>, args: t.Node[], at: t.CallExpression | t.OptionalCallExpression): Entry {
    if (fn.method === 'iso-now') {
      this.use('intrinsic-timestamp');
      this.assume(line(at), this.ruleMessage('intrinsic-timestamp', 'entered'), 'intrinsic-timestamp');
      return { kind: 'value', value: { kind: 'now-iso' } };
    }
    const sep = args[0] ? this.valueOf(args[0]) : { kind: 'literal' as const, value: ',' };
    if (!isLiteral(sep)) throw new LiftFailure('join with a computed separator', line(at), UNSUPPORTED, true);
    return { kind: 'value', value: { kind: 'literal', value: fn.list.join(String(sep.value)) } };
  }

  withType(v: ValueExpr, type: ValueType): ValueExpr {
    if (type.kind === 'unknown') return v;
    if (v.kind === 'json-parse' || v.kind === 'event' || v.kind === 'var') return { ...v, type };
    return v;
  }

  bindPattern(id: t.Node, entry: Entry, scope: Map<string, Entry>, at: t.Node): void {
    if (id.type === 'Identifier') {
      scope.set(id.name, entry);
      return;
    }
    for (const b of patternBindings(id)) {
      let e = this.memberEntry(entry, b.path, at);
      if (b.defaultValue) {
        if (e.kind !== 'value') throw new LiftFailure(`default value in destructuring of ${this.code(at)}`, line(at));
        const fallback = this.valueOf(b.defaultValue);
        e = { kind: 'value', value: { kind: 'coalesce', op: '??', value: e.value, fallback } };
      }
      scope.set(b.name, e);
    }
  }

  /** The handler's event parameter: Lambda always passes an event, so a default (`event = {}`) never applies. */
  bindParam(param: t.Node, entry: Entry, scope: Map<string, Entry>): void {
    if (param.type === 'AssignmentPattern') this.bindParam(param.left, entry, scope);
    else if (param.type === 'Identifier') scope.set(param.name, entry);
    else if (param.type === 'ObjectPattern' && entry.kind === 'value') {
      for (const b of patternBindings(param)) scope.set(b.name, { kind: 'value', value: this.member(entry.value, b.path, param) });
    } else throw new LiftFailure(`parameter pattern ${this.code(param)} is not supported`, line(param));
  }
}

