// The JSONPath emitter's values and conditions: how a model value is referenced from a payload template (a literal,
// a path, an intrinsic, a template), the states that compute it first, and conditions as Choice rules.
import { CAUGHT_ERROR, type Condition, type ItemSchema, type Json, type ValueExpr } from '../../model/workflow.js';
import type { AslState } from '../../report/types.js';
import { ownEntry, typeOfValue } from '../../model/valueType.js';
import { AslBuilder, type Pre } from '../shared/aslBuilder.js';
import { isIdent } from '../shared/catchers.js';
import { choiceName } from '../shared/choiceName.js';
import { EmitFailure, RESIDUAL_SUBSTITUTION, type ResidualFunction } from '../shared/result.js';
import { missingInsideAttribute, residualComment, UNDEFINED_INSIDE_MARSHALL } from '../shared/tasks.js';

/**
 * A field of the request, present or not, may be null whatever its declared type says (a TypeScript type is no check):
 * marshalled as its type, a null would be an empty AttributeValue, where the SDK writes NULL. Fields API Gateway
 * itself sets (path parameters, the request context) are not null.
 */
export const requestMayBeNull = (x: ValueExpr): boolean => x.kind === 'event' && !x.present && x.path.length > 0 && x.path[0] !== 'pathParameters' && x.path[0] !== 'requestContext';

/** The keys of an AttributeValue: its type. */
const TYPE_KEYS = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

/**
 * `Item.name.S` of a low-level read, as an object's entry: undefined (left out) when the attribute has another type,
 * a TypeError when it is missing (attributeExists). Elsewhere a missing path fails the state, as the handler throws.
 */
const typedRead = (v: ValueExpr): v is Extract<ValueExpr, { kind: 'ddb' }> => v.kind === 'ddb' && !!v.raw && !v.present && v.path.length === 2 && TYPE_KEYS.has(v.path[1]!);

/** How a JSONata-only function reads in a message, where its name alone would not say what the code does. */
const FN_WORDS: Partial<Record<string, string>> = { millis: 'Date.now()', 'regex-replace': 'replace with a regular expression', 'item-at': 'an item of a computed list by its index', 'is-array': 'Array.isArray', 'is-integer': 'Number.isInteger', 'strict-equals': 'a comparison of two run-time values', 'strict-not-equals': 'a comparison of two run-time values' };

/** How a value is referenced from a JSONPath payload template. */
export type Ref =
  | { kind: 'literal'; value: Json }
  | { kind: 'path'; path: string }
  | { kind: 'intrinsic'; expr: string }
  | { kind: 'template'; payload: Record<string, unknown> }
  | { kind: 'omit' };


/** A Pass whose output is null: `"Result": null` would read as "no Result" and pass the input through. */
export const NULL_OUTPUT = { Parameters: { value: null }, OutputPath: '$.value' };

export function isLiteral(v: ValueExpr): v is { kind: 'literal'; value: Json } {
  return v.kind === 'literal';
}

/**
 * Field names a quoted path segment does not read the same way in every JSONPath engine (`['$']` is the root, `['*']`
 * a wildcard, `[',']` a union, a quote's escape…): Step Functions and the emulator verify runs on disagree on them.
 */
const UNSAFE_FIELD = /^(\$|\*|\.\.|~)$|[@'"\\[\]^,:()]/;

/** A key ending in .$ inside a constant (a nested object of the code's), if any. */
function pathKeyInside(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.map(pathKeyInside).find((k) => k !== undefined);
  if (!v || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    const inner = k.endsWith('.$') ? k : pathKeyInside(x);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

export function joinPath(base: string, parts: string[]): string {
  let p = base;
  for (const part of parts) {
    if (!isIdent(part) && !/^\d+$/.test(part) && UNSAFE_FIELD.test(part)) throw new EmitFailure(`the field name ${JSON.stringify(part)} cannot be written in a JSONPath path that every engine reads alike (JSONata quotes it)`, 0);
    p += isIdent(part) ? `.${part}` : /^\d+$/.test(part) ? `[${part}]` : `['${part}']`;
  }
  return p;
}

/** A string literal inside an intrinsic: escape the reserved characters ' { } \ */
export function intrinsicString(s: string): string {
  return `'${s.replace(/[\\'{}]/g, (c) => `\\${c}`)}'`;
}

/** Fields every API Gateway proxy event has (null when empty): reading them is safe. */
export const PROXY_EVENT_FIELDS: ReadonlySet<string> = new Set([
  'body', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables',
  'requestContext', 'resource', 'path', 'httpMethod', 'isBase64Encoded', 'version', 'routeKey', 'rawPath', 'rawQueryString', 'Records',
]);

const BATCH_SOURCES: ReadonlySet<string> = new Set(['sqs', 'dynamodb-stream', 's3', 'sns']);

/**
 * The top-level fields every event of this source has. An API Gateway event has every proxy field (null when
 * empty); a queue or stream batch has only its Records: an SQS handler's event.body is there only if a caller put it.
 * An unknown source is taken by the fields the code reads, which is how it was guessed.
 */
export function sureEventFields(source: string | undefined): ReadonlySet<string> {
  if (source === undefined || source === 'unknown' || source === 'apigw-rest' || source === 'apigw-http') return PROXY_EVENT_FIELDS;
  return new Set(BATCH_SOURCES.has(source) ? ['Records'] : []);
}


export function describe(v: ValueExpr): string {
  if (v.kind === 'var') return [v.name, ...v.path].join('.');
  if (v.kind === 'event') return ['event', ...v.path].join('.');
  return `a ${v.kind} value`;
}

/** The assumption a typed unmarshal makes, and what it means for an item that does not keep it. */
export function typesAssumed(source: string): string {
  return `attribute types of the items read come from ${source}: an attribute stored as another type (NULL included) is not read as the handler reads it (the state machine fails, or takes it as missing)`;
}

export abstract class JsonPathValues extends AslBuilder {
  protected readonly residuals: ResidualFunction[] = [];
  protected readonly wrapped = new Set<string>();
  /** Variables some store leaves undefined: stored wrapped ({ value }, or {} for undefined) so reads can test for it. */
  protected readonly mayBeUndefinedVars = new Set<string>();
  /** Top-level event fields written into objects as if always present (see mayBeMissing). */
  protected readonly presentEventFields = new Set<string>();
  /** Top-level event fields every event has (sureEventFields of the workflow's source). */
  protected sureEventFields: ReadonlySet<string> = PROXY_EVENT_FIELDS;
  /** Fields of the last object built that may be absent (set by objectRef). */
  protected lastObjectOptional = new Set<string>();
  /** For variables holding an object: the fields that may be absent. */
  protected readonly varOptionalFields = new Map<string, Set<string>>();
  /** What kind of value each stored variable holds. */
  protected readonly storedKinds = new Map<string, ValueExpr['kind']>();
  /** Attribute types of the table a Task is being built for. */
  protected currentSchema: ItemSchema | undefined;

  /** Native value → AttributeValue map (Key, Item, ExpressionAttributeValues). */
  protected abstract marshalMap(v: ValueExpr, pres: Pre[], line: number, item?: boolean): Ref;
  /** AttributeValue → native value. */
  protected abstract unmarshalRef(v: Extract<ValueExpr, { kind: 'ddb' }>, pres: Pre[], line: number): Ref;

  protected catcherFields(): Record<string, unknown> {
    return { ResultPath: `$.vars.${CAUGHT_ERROR}` };
  }

  /** A negated test of several content-type patterns reads as one question. */
  protected override choiceName(c: Condition, line: number): string {
    return choiceName(c, line, (n) => (n.item.kind === 'or' && n.item.items.every((i) => i.kind === 'matches') ? 'Content type not JSON?' : undefined));
  }

  // ---------------------------------------------------------------- values

  protected put(payload: Record<string, unknown>, key: string, ref: Ref): void {
    // In a payload template a key ending in .$ takes its value as a path: a field of that name cannot hold a constant.
    // (A template's own keys are the emitter's: its .$ keys are paths on purpose.)
    const named = ref.kind === 'literal' || ref.kind === 'template' ? (key.endsWith('.$') ? key : ref.kind === 'literal' ? pathKeyInside(ref.value) : undefined) : undefined;
    if (named !== undefined) throw new EmitFailure(`a field named ${JSON.stringify(named)} holds a constant or an object, but a JSONPath payload template reads a key ending in .$ as a path (JSONata writes it as it is)`, 0);
    switch (ref.kind) {
      case 'literal': payload[key] = ref.value; break;
      case 'path': payload[`${key}.$`] = ref.path; break;
      case 'intrinsic': payload[`${key}.$`] = ref.expr; break;
      case 'template': payload[key] = ref.payload; break;
      case 'omit': break;
    }
  }

  /** Can this value be missing at run time (so a path to it would fail the state)? */
  protected mayBeMissing(v: ValueExpr): boolean {
    switch (v.kind) {
      case 'event': {
        if (v.present) return false;
        const [a] = v.path;
        if (a === 'pathParameters' && v.path.length === 2) {
          this.assumeOnce(0, 'every path parameter of the route is present: API Gateway only routes a request to this integration when the route template matches');
          return false;
        }
        if (v.path.length === 1 && a !== undefined && !this.sureEventFields.has(a)) this.presentEventFields.add(a);
        return !(v.path.length <= 1 || (a === 'requestContext' && v.path.length <= 3 && v.path[1] !== 'authorizer'));
      }
      case 'var': {
        if (v.present) return false;
        if (v.path.length === 0) return this.mayBeUndefinedVars.has(v.name);
        const fields = this.varOptionalFields.get(v.name);
        if (fields && v.path.length === 1) return fields.has(v.path[0]!);
        return true;
      }
      case 'ddb': {
        if (v.present) return false;
        // A whole Item (or Attributes) is missing when there is none, whatever the client; attributes of a raw item are
        // read by their AttributeValue paths, which the code itself spells out.
        if (v.raw) return v.path.length === 0 && (v.field === 'Item' || v.field === 'Attributes');
        if (v.field === 'Count' || v.field === 'ScannedCount' || v.field === 'Items') return false;
        if (v.path.length === 0) return true;
        const attr = ownEntry(v.schema?.attributes, v.path[0]!);
        return !attr || attr.optional || v.path.length > 1;
      }
      case 'coalesce': return this.mayBeMissing(v.fallback);
      case 'conditional': return this.mayBeMissing(v.then) || this.mayBeMissing(v.else);
      // JSON.stringify(undefined) is undefined (JSON.stringify(null) is "null").
      case 'json-stringify': return this.mayBeMissing(v.value);
      case 'undefined': return true;
      default: return false;
    }
  }

  /** Reference a value from a payload template, adding the states it needs first to `pres`. */
  protected ref(v: ValueExpr, pres: Pre[], line: number): Ref {
    switch (v.kind) {
      case 'literal': return { kind: 'literal', value: v.value };
      case 'undefined': return { kind: 'omit' };
      case 'env': return { kind: 'literal', value: `\${${v.substitution}}` };
      case 'event': return { kind: 'path', path: joinPath('$.event', v.path) };
      case 'var': return { kind: 'path', path: joinPath(this.wrapped.has(v.name) ? `$.vars.${v.name}.value` : `$.vars.${v.name}`, v.path) };
      case 'uuid': return { kind: 'intrinsic', expr: 'States.UUID()' };
      case 'now-iso': return { kind: 'path', path: '$$.State.EnteredTime' };
      case 'format': {
        // Only constants and ${Substitution}s: one literal string, so the substitution stays a plain `${Name}`
        // (inside an intrinsic its braces would be escaped and never substituted).
        if (v.args.every((a) => a.kind === 'env' || (isLiteral(a) && typeof a.value === 'string'))) {
          return { kind: 'literal', value: v.quasis.map((q, i) => q + (i < v.args.length ? (v.args[i]!.kind === 'env' ? `\${${(v.args[i] as { substitution: string }).substitution}}` : String((v.args[i] as { value: Json }).value)) : '')).join('') };
        }
        const args = v.args.map((a) => this.formatArg(a, pres, line));
        const tmpl = v.quasis.map((q) => q.replace(/[\\'{}]/g, (c) => `\\${c}`)).join('{}');
        return { kind: 'intrinsic', expr: `States.Format('${tmpl}', ${args.join(', ')})` };
      }
      // Inside JSON text a null is written, whatever call the text is an argument of.
      case 'json-stringify': return this.sdkCallArguments(false, () => {
        if (v.value.kind === 'object') {
          // Keys that may be missing are added after the others (objectRef): the same JSON, in another key order.
          const entries = v.value.entries.filter(([, x]) => x.kind !== 'undefined');
          const lastRequired = entries.reduce((at, [, x], i) => (this.mayBeMissing(x) ? at : i), -1);
          const early = entries.filter(([, x], i) => i < lastRequired && this.mayBeMissing(x)).map(([k]) => k);
          if (early.length) this.assumeOnce(line, `JSON.stringify at line ${line}: ${early.join(', ')} may be missing, so the state machine adds ${early.length > 1 ? 'them' : 'it'} after the other keys; the JSON text has the same keys and values in another order (equal for a consumer that parses it, not for one that compares the text)`);
        }
        if (v.value.kind === 'var' && v.value.path.length === 0 && typeOfValue(v.value).kind !== 'string') {
          return { kind: 'intrinsic', expr: `States.JsonToString(${this.pathOf(v.value, pres, line)})` };
        }
        const p = this.pathOf(v.value, pres, line);
        return { kind: 'intrinsic', expr: `States.JsonToString(${p})` } as Ref;
      });
      case 'json-parse':
        if (v.nullable) return { kind: 'path', path: this.materialize(v, pres, line) };
        return { kind: 'intrinsic', expr: `States.StringToJson(${this.intrinsicArg(v.value, pres, line)})` };
      case 'intrinsic':
        if (v.assumes) this.assumeOnce(v.assumes.line, v.assumes.message);
        return { kind: 'intrinsic', expr: `${v.fn}(${v.args.map((a) => this.intrinsicArg(a, pres, line)).join(', ')})` };
      // An entry that is null stays null, as JSON.stringify writes it; only a missing one is left out. In an AWS
      // service call's arguments the SDK leaves a null member out too.
      case 'object': return this.sdkArguments ? this.objectRef(v.entries, pres, line, (x, _k, at) => this.ref(x, at, line), false, undefined, requestMayBeNull)
        : this.objectRef(v.entries, pres, line, (x, _k, at) => this.ref(x, at, line), false, { kind: 'literal', value: null });
      case 'array': {
        if (this.sdkArguments) {
          const dropped = v.items.filter((i) => this.mayBeMissing(i) || requestMayBeNull(i));
          if (dropped.length) return { kind: 'path', path: this.listWithoutNull(v.items, dropped, pres, line) };
        }
        const missing = v.items.find((i) => this.mayBeMissing(i));
        if (missing) throw new EmitFailure('an item of a list may be missing (undefined, which JSON.stringify writes as null): a JSONPath path to it fails the state (the JSONata emitter writes null)', line);
        // A trial run: the states a non-literal item needs are added once, by intrinsicArg below.
        const items = v.items.map((i) => this.ref(i, [], line));
        if (items.every((i) => i.kind === 'literal')) return { kind: 'literal', value: items.map((i) => (i as { value: Json }).value) };
        const args = v.items.map((i) => this.intrinsicArg(i, pres, line));
        return { kind: 'intrinsic', expr: `States.Array(${args.join(', ')})` };
      }
      case 'coalesce': case 'conditional': return { kind: 'path', path: this.materialize(v, pres, line) };
      case 'residual': return { kind: 'path', path: this.materialize(v, pres, line) };
      case 'ddb': return this.unmarshalRef(v, pres, line);
      case 'marshalled': {
        // marshall() throws on an undefined value, at the top level too (which marshalMap writes as required).
        const inside = missingInsideAttribute(v.value, (x) => this.mayBeMissing(x));
        if (inside) throw new EmitFailure(`${inside} ${UNDEFINED_INSIDE_MARSHALL}`, line);
        return this.marshalMap(v.value, pres, line);
      }
      case 'fn': throw new EmitFailure(v.fn === 'substring-before' ? 'the message of a caught error is the text of its Cause before " (Service: ", which JSONPath cannot cut out (the JSONata emitter can: $substringBefore)' : `${FN_WORDS[v.fn] ?? v.fn} has no JSONPath equivalent (the JSONata emitter can express it)`, line);
      case 'merge': throw new EmitFailure(v.why, v.line);
    }
  }

  /**
   * A list in an AWS service call's arguments, where the SDK leaves null and undefined members out: one item that may
   * be either is tested, and the list is stored with it or without it.
   */
  private listWithoutNull(items: ValueExpr[], dropped: ValueExpr[], pres: Pre[], line: number): string {
    const item = dropped[0]!;
    if (dropped.length > 1 || (item.kind !== 'event' && item.kind !== 'var' && item.kind !== 'ddb')) {
      throw new EmitFailure('a list in the arguments of an AWS service call has several items that may be null or missing, which the SDK leaves out: JSONPath cannot drop them (JSONata can)', line);
    }
    const tmp = `$.vars.${this.tmp()}`;
    const withItem = this.ref({ kind: 'array', items: items.map((i) => (i === item ? { ...item, present: true } : i)) }, pres, line);
    const withoutItem = this.ref({ kind: 'array', items: items.filter((i) => i !== item) }, pres, line);
    const rule = this.presenceRule(item, pres, line);
    pres.push((n) => this.add(`List with ${describe(item)}?`, { Type: 'Choice', Choices: [{ ...rule, Next: this.assign(tmp, withItem, n) }], Default: this.assign(tmp, withoutItem, n) }));
    return tmp;
  }

  /** Writing the arguments of an AWS service call (`on`), where the SDK leaves null members out, or not. */
  protected sdkArguments = false;

  protected sdkCallArguments<T>(on: boolean, write: () => T): T {
    const was = this.sdkArguments;
    this.sdkArguments = on;
    try {
      return write();
    } finally {
      this.sdkArguments = was;
    }
  }

  /** An object whose entries may be missing at run time: required ones in one Pass, optional ones added by Choice. */
  /** `nullRef`: what an optional entry whose value is null becomes (left out otherwise, like a missing one). */
  /** `alsoOptional`: entries that are there but need a Choice all the same (a request field that may be null). */
  protected objectRef(entries: Array<[string, ValueExpr]>, pres: Pre[], line: number, refOf: (x: ValueExpr, key: string, pres: Pre[]) => Ref, onlyRequired = false, nullRef?: Ref, alsoOptional?: (x: ValueExpr) => boolean): Ref {
    const missing = (x: ValueExpr) => !onlyRequired && (this.mayBeMissing(x) || typedRead(x) || !!alsoOptional?.(x));
    const required = entries.filter(([, x]) => x.kind !== 'undefined' && !missing(x));
    const optional = entries.filter(([, x]) => x.kind !== 'undefined' && missing(x));
    const payload: Record<string, unknown> = {};
    for (const [k, x] of required) this.put(payload, k, refOf(x, k, pres));
    this.lastObjectOptional = new Set(optional.map(([k]) => k));
    if (optional.length === 0) return { kind: 'template', payload };
    const tmp = this.tmp();
    const target = `$.vars.${tmp}`;
    pres.push((n) => this.add('Build object', { Type: 'Pass', Parameters: payload, ResultPath: target, Next: n }));
    for (const [k, x] of optional) {
      // `Item.x` read without checking the item: with no item the handler throws, so the state machine fails too.
      if (x.kind === 'ddb' && x.unguarded) pres.push((n) => this.itemExists(x, n, line));
      if (x.kind === 'ddb' && typedRead(x)) pres.push((n) => this.attributeExists(x, n, line));
      // The states that compute the value (a Map over a list attribute, say) run only when it is there.
      const guard = this.presenceRule(x, pres, line);
      // A DynamoDB value is an AttributeValue map there, never null.
      const raw = nullRef && x.kind !== 'ddb' ? this.rawPath(x, pres, line) : undefined;
      const isNull = raw ? { And: [{ Variable: raw, IsPresent: true }, { Variable: raw, IsNull: true }] } : undefined;
      const own: Pre[] = [];
      const r = refOf(x, k, own);
      // A null copied as it is needs no state of its own: the one Pass copies it.
      const copiesNull = !!raw && nullRef?.kind === 'literal' && nullRef.value === null && r.kind === 'path' && r.path === raw && !own.length;
      pres.push((n) => {
        const assign = this.assign(joinPath(target, [k]), r, n);
        const choices: Array<Record<string, unknown>> = [{ ...(copiesNull ? { Variable: raw, IsPresent: true } : guard), Next: this.chain(own, assign) }];
        if (isNull && nullRef && !copiesNull) choices.push({ ...isNull, Next: this.assign(joinPath(target, [k]), nullRef, n) });
        return this.add(`Has ${k}?`, { Type: 'Choice', Choices: choices, Default: n });
      });
    }
    return { kind: 'path', path: target };
  }

  /** `Item.name.S`: a Choice that goes on when the attribute exists and fails (TypeError, as the handler would throw) when not. */
  protected attributeExists(v: Extract<ValueExpr, { kind: 'ddb' }>, next: string, line: number): string {
    const attribute = joinPath(`$.vars.${v.step}.${v.field}`, v.path.slice(0, 1));
    const fail = this.add(`Fail TypeError (line ${line})`, { Type: 'Fail', Error: 'TypeError', Cause: `Cannot read properties of undefined (reading '${v.path[1]!}')` });
    return this.add(`${v.path[0]!} present? (line ${line})`, { Type: 'Choice', Choices: [{ Variable: attribute, IsPresent: true, Next: next }], Default: fail });
  }

  /** A Choice that goes on when the read item exists and fails (TypeError, as the handler would throw) when not. */
  protected itemExists(v: Extract<ValueExpr, { kind: 'ddb' }>, next: string, line: number): string {
    const base = `$.vars.${v.step}.${v.field}`;
    const fail = this.add(`Fail TypeError (line ${line})`, { Type: 'Fail', Error: 'TypeError', Cause: `Cannot read properties of undefined (reading '${v.path[0]!}')` });
    return this.add(`${v.field} found? (line ${line})`, { Type: 'Choice', Choices: [{ And: [{ Variable: base, IsPresent: true }, { Not: { Variable: base, IsNull: true } }], Next: next }], Default: fail });
  }

  /** Put a value at a path: a Pass for paths and literals, two for computed values. */
  protected assign(target: string, r: Ref, next: string): string {
    const leaf = target.replace(/^.*[.[]'?/, '').replace(/'?]$/, '');
    switch (r.kind) {
      case 'path': return this.add(`Set ${leaf}`, { Type: 'Pass', InputPath: r.path, ResultPath: target, Next: next });
      case 'literal': {
        if (r.value) return this.add(`Set ${leaf}`, { Type: 'Pass', Result: r.value, ResultPath: target, Next: next });
        // A falsy `"Result"` (null, "", 0, false) can read as "no Result" (the input passes through), so it goes through Parameters.
        const tmp = `$.vars.${this.tmp()}`;
        const copy = this.add(`Set ${leaf}`, { Type: 'Pass', InputPath: `${tmp}.value`, ResultPath: target, Next: next });
        return this.add(`Constant for ${leaf}`, { Type: 'Pass', Parameters: { value: r.value }, ResultPath: tmp, Next: copy });
      }
      case 'template': return this.add(`Set ${leaf}`, { Type: 'Pass', Parameters: r.payload, ResultPath: target, Next: next });
      case 'intrinsic': {
        const tmp = `$.vars.${this.tmp()}`;
        const copy = this.add(`Set ${leaf}`, { Type: 'Pass', InputPath: `${tmp}.value`, ResultPath: target, Next: next });
        return this.add(`Compute ${leaf}`, { Type: 'Pass', Parameters: { 'value.$': r.expr }, ResultPath: tmp, Next: copy });
      }
      case 'omit': return next;
    }
  }

  /** Store a value in $.vars and return its path. */
  /** Materialisations already scheduled in a chain of pre-states: a value used twice there is stored once. */
  protected readonly materialized = new WeakMap<Pre[], Map<ValueExpr, string>>();

  protected materialize(v: ValueExpr, pres: Pre[], line: number): string {
    const cache = this.materialized.get(pres) ?? new Map<ValueExpr, string>();
    this.materialized.set(pres, cache);
    const hit = cache.get(v);
    if (hit) return hit;
    const path = this.materializeOnce(v, pres, line);
    cache.set(v, path);
    return path;
  }

  protected materializeOnce(v: ValueExpr, pres: Pre[], line: number): string {
    const tmp = this.tmp();
    const target = `$.vars.${tmp}`;
    if (v.kind === 'coalesce') {
      // The states that compute the value (a found item's unmarshalling, say) run only when the test takes it: they
      // read what may be missing. (The fallback's, which its presence test may read, run before.)
      const aPres: Pre[] = [];
      const a = this.ref(v.value, aPres, line);
      const b = this.ref(v.fallback, pres, line);
      const test: Condition = v.op === '??' ? { kind: 'present', value: v.value } : { kind: 'truthy', value: v.value };
      const rule = this.conditionRule(test, pres, line);
      // A fallback that may be missing too leaves the result missing rather than failing the state.
      const fallbackRule = this.mayBeMissing(v.fallback) ? this.presenceRule(v.fallback, pres, line) : undefined;
      pres.push((n) => {
        const useA = this.chain(aPres, this.assign(target, a, n));
        const useB = this.assign(target, b, n);
        const fallback = fallbackRule ? this.add(`Has fallback for ${tmp}?`, { Type: 'Choice', Choices: [{ ...fallbackRule, Next: useB }], Default: n }) : useB;
        return this.add(`Default for ${tmp}?`, { Type: 'Choice', Choices: [{ ...rule, Next: useA }], Default: fallback });
      });
      return target;
    }
    if (v.kind === 'conditional') {
      // Each branch's own states run only on its path; a branch value that may be missing leaves the result missing.
      const rule = this.conditionRule(v.test, pres, line);
      const branch = (x: ValueExpr) => {
        const own: Pre[] = [];
        const r = this.ref(x, own, line);
        const guard = r.kind !== 'omit' && this.mayBeMissing(x) ? this.presenceRule(x, own, line) : undefined;
        return (n: string) => {
          if (r.kind === 'omit') return n;
          const set = this.chain(own, this.assign(target, r, n));
          return guard ? this.add(`Has value for ${tmp}?`, { Type: 'Choice', Choices: [{ ...guard, Next: set }], Default: n }) : set;
        };
      };
      const a = branch(v.then);
      const b = branch(v.else);
      pres.push((n) => this.add(this.choiceName(v.test, line), { Type: 'Choice', Choices: [{ ...rule, Next: a(n) }], Default: b(n) }));
      return target;
    }
    if (v.kind === 'json-parse' && v.nullable) {
      // JSON.parse(null) is null; States.StringToJson takes a string only.
      const text = this.pathOf(v.value, pres, line);
      pres.push((n) => {
        const parse = this.assign(target, { kind: 'intrinsic', expr: `States.StringToJson(${text})` }, n);
        const asNull = this.assign(target, { kind: 'literal', value: null }, n);
        return this.add(`Null to parse? (line ${line})`, { Type: 'Choice', Choices: [{ And: [{ Variable: text, IsPresent: true }, { Variable: text, IsNull: true }], Next: asNull }], Default: parse });
      });
      return target;
    }
    if (v.kind === 'residual') {
      this.resources.add('arn:aws:states:::lambda:invoke');
      // An input that may be missing is left out, as the code would read undefined; a path to it would fail the state.
      const payload: Record<string, unknown> = { compute: v.id };
      this.put(payload, 'input', this.objectRef(v.inputs, pres, line, (x, _k, at) => this.ref(x, at, line)));
      if (!this.residuals.some((r) => r.id === v.id)) this.residuals.push({ id: v.id, code: v.code, inputs: v.inputs.map(([k]) => k), line: v.line });
      pres.push((n) => {
        const state: AslState = {
          Type: 'Task',
          Comment: residualComment(v),
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `\${${RESIDUAL_SUBSTITUTION}}`, Payload: payload },
          ResultSelector: { 'value.$': '$.Payload' },
          ResultPath: target,
          Next: n,
        };
        return this.add(`Compute in Lambda (line ${v.line})`, this.withCatch(state, 'Lambda'));
      });
      return `${target}.value`;
    }
    const r = this.ref(v, pres, line);
    if (r.kind === 'path') return r.path;
    pres.push((n) => this.assign(target, r, n));
    return target;
  }

  /** A plain JSONPath to the value (no intrinsic), storing it first when needed. */
  protected pathOf(v: ValueExpr, pres: Pre[], line: number): string {
    const r = this.ref(v, pres, line);
    if (r.kind === 'path') return r.path;
    const tmp = `$.vars.${this.tmp()}`;
    pres.push((n) => this.assign(tmp, r, n));
    return tmp;
  }

  /**
   * An argument of a template or String(x): JavaScript writes a missing value as "undefined", where States.Format
   * fails on a path that is not there, so a value that may be missing is replaced by that text first.
   */
  protected formatArg(v: ValueExpr, pres: Pre[], line: number): string {
    const arg = this.intrinsicArg(v, pres, line);
    if (!arg.startsWith('$') || !this.mayBeMissing(v)) return arg;
    const tmp = `$.vars.${this.tmp()}`;
    const test = v.kind === 'ddb' ? joinPath(`$.vars.${v.step}.${v.field}`, v.path) : arg;
    pres.push((n) => this.add(`Text of ${tmp.slice('$.vars.'.length)}`, { Type: 'Choice', Choices: [{ Variable: test, IsPresent: true, Next: this.assign(tmp, { kind: 'path', path: arg }, n) }], Default: this.assign(tmp, { kind: 'literal', value: 'undefined' }, n) }));
    return tmp;
  }

  protected intrinsicArg(v: ValueExpr, pres: Pre[], line: number): string {
    const r = this.ref(v, pres, line);
    switch (r.kind) {
      case 'literal':
        // A ${Substitution} inside an intrinsic would have its braces escaped and never be substituted: a Pass state
        // stores the substituted string first and the intrinsic reads it from there.
        if (typeof r.value === 'string' && /\$\{[A-Za-z0-9_]+\}/.test(r.value)) {
          const tmp = `$.vars.${this.tmp()}`;
          pres.push((n) => this.assign(tmp, r, n));
          return tmp;
        }
        if (typeof r.value === 'string') return intrinsicString(r.value);
        if (typeof r.value === 'number' || typeof r.value === 'boolean' || r.value === null) return String(r.value);
        return this.pathOf(v, pres, line);
      case 'path': return r.path;
      case 'intrinsic': return r.expr;
      case 'template': {
        const tmp = `$.vars.${this.tmp()}`;
        pres.push((n) => this.assign(tmp, r, n));
        return tmp;
      }
      case 'omit': throw new EmitFailure('an undefined value is used in a string or intrinsic', line);
    }
  }

  // ---------------------------------------------------------------- conditions

  protected presenceRule(v: ValueExpr, pres: Pre[], line: number): Record<string, unknown> {
    if (v.kind === 'json-stringify') return { Variable: this.rawPath(v.value, pres, line), IsPresent: true };
    const p = this.rawPath(v, pres, line);
    return { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: p, IsNull: true } }] };
  }

  /** A path whose presence tells whether the value exists (the typed attribute for DynamoDB values). */
  protected rawPath(v: ValueExpr, pres: Pre[], line: number): string {
    if (v.kind === 'ddb') return joinPath(`$.vars.${v.step}.${v.field}`, v.path);
    return this.pathOf(v, pres, line);
  }

  /** A condition's Choice rule, after the checks that the items it reads without a check exist (itemExists). */
  protected conditionRule(c: Condition, pres: Pre[], line: number): Record<string, unknown> {
    const unguarded = new Map<string, Extract<ValueExpr, { kind: 'ddb' }>>();
    const visit = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (o['kind'] === 'ddb' && o['unguarded']) unguarded.set(`${String(o['step'])}.${String(o['field'])}`, o as Extract<ValueExpr, { kind: 'ddb' }>);
      Object.values(o).forEach(visit);
    };
    visit(c);
    const own: Pre[] = [];
    const rule = this.choiceRule(c, own, line);
    // A comparison on a missing path fails the state already; a presence test (IsPresent, IsNull) would not.
    const tests: Array<Record<string, unknown>> = [];
    const collect = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (typeof o['Variable'] === 'string' && ('IsPresent' in o || 'IsNull' in o)) tests.push(o);
      Object.values(o).forEach(collect);
    };
    collect(rule);
    for (const v of unguarded.values()) {
      const base = `$.vars.${v.step}.${v.field}`;
      if (tests.some((t) => String(t['Variable']).startsWith(`${base}.`))) pres.push((n) => this.itemExists(v, n, line));
    }
    pres.push(...own);
    return rule;
  }

  protected choiceRule(c: Condition, pres: Pre[], line: number): Record<string, unknown> {
    switch (c.kind) {
      case 'and': case 'or': {
        const items = c.items.map((i) => this.choiceRule(i, pres, line));
        if (items.length === 1) return items[0]!;
        return { [c.kind === 'and' ? 'And' : 'Or']: items };
      }
      case 'not': return { Not: this.choiceRule(c.item, pres, line) };
      case 'present': {
        const rule = this.presenceRule(c.value, pres, line);
        return c.negate ? { Not: rule } : rule;
      }
      case 'truthy': {
        const rule = this.truthyRule(c.value, pres, line);
        return c.negate ? { Not: rule } : rule;
      }
      case 'typeof': {
        const p = this.rawPathForCompare(c.value, pres, line);
        const op = c.type === 'string' ? 'IsString' : c.type === 'number' ? 'IsNumeric' : c.type === 'boolean' ? 'IsBoolean' : undefined;
        if (!op) throw new EmitFailure(`typeof … === '${c.type}' has no Choice rule`, line);
        const rule = { And: [{ Variable: p, IsPresent: true }, { Variable: p, [op]: true }] };
        return c.negate ? { Not: rule } : rule;
      }
      case 'matches': {
        const p = this.rawPathForCompare(c.value, pres, line);
        const rule = { Variable: p, StringMatches: c.pattern };
        return this.mayBeMissing(c.value) ? { And: [{ Variable: p, IsPresent: true }, { Variable: p, IsString: true }, rule] } : { And: [{ Variable: p, IsString: true }, rule] };
      }
      case 'compare': {
        const p = this.rawPathForCompare(c.left, pres, line);
        const r = c.right;
        let cmp: Record<string, unknown>;
        const opName = { '==': 'Equals', '!=': 'Equals', '<': 'LessThan', '<=': 'LessThanEquals', '>': 'GreaterThan', '>=': 'GreaterThanEquals' }[c.op];
        if (typeof r === 'string') cmp = { Variable: p, [`String${opName}`]: r };
        else if (typeof r === 'number') cmp = { Variable: p, [`Numeric${opName}`]: r };
        else if (typeof r === 'boolean' && (c.op === '==' || c.op === '!=')) cmp = { Variable: p, BooleanEquals: r };
        else if (r === null && (c.op === '==' || c.op === '!=')) cmp = { Variable: p, IsNull: true };
        else throw new EmitFailure(`comparison with ${JSON.stringify(r)} has no Choice rule`, line);
        const guarded = this.mayBeMissing(c.left) ? { And: [{ Variable: p, IsPresent: true }, cmp] } : cmp;
        return c.op === '!=' ? { Not: guarded } : guarded;
      }
    }
  }

  /** Comparisons need a native value: DynamoDB numbers are stored as strings and must be converted first. */
  protected rawPathForCompare(v: ValueExpr, pres: Pre[], line: number): string {
    return this.pathOf(v, pres, line);
  }

  protected truthyRule(v: ValueExpr, pres: Pre[], line: number): Record<string, unknown> {
    if (v.kind === 'ddb' && !v.raw) {
      const p = joinPath(`$.vars.${v.step}.${v.field}`, v.path);
      const present = { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: p, IsNull: true } }] } as Record<string, unknown>;
      if (v.path.length === 0) return present;
      const attr = ownEntry(v.schema?.attributes, v.path[0]!);
      const t = attr?.type.kind;
      // The test reads the attribute by its type (`.S`, `.N`, …): an attribute of another type fails it.
      if (t && t !== 'unknown') this.assumeOnce(line, typesAssumed(v.schema!.source));
      if (t === 'string') return { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: `${p}.S`, StringEquals: '' } }] };
      if (t === 'number') return { And: [{ Variable: p, IsPresent: true }, { Not: { Variable: `${p}.N`, StringEquals: '0' } }] };
      if (t === 'boolean') return { And: [{ Variable: p, IsPresent: true }, { Variable: `${p}.BOOL`, BooleanEquals: true }] };
      if (t === 'object' || t === 'array') return { Variable: p, IsPresent: true };
      throw new EmitFailure(`truthiness of attribute ${v.path.join('.')} depends on its type, which is not known`, line);
    }
    const p = this.pathOf(v, pres, line);
    const base = [{ Variable: p, IsPresent: true }, { Not: { Variable: p, IsNull: true } }];
    const t = typeOfValue(v).kind;
    if (t === 'string') return { And: [...base, { Not: { Variable: p, StringEquals: '' } }] };
    if (t === 'number') return { And: [...base, { Not: { Variable: p, NumericEquals: 0 } }] };
    if (t === 'boolean') return { And: [{ Variable: p, IsPresent: true }, { Variable: p, BooleanEquals: true }] };
    if (t === 'object' || t === 'array') return { And: base };
    // Unknown type: every JSON falsy value ("" 0 false null, missing).
    return { And: [...base, { Not: { Variable: p, StringEquals: '' } }, { Not: { Variable: p, NumericEquals: 0 } }, { Not: { Variable: p, BooleanEquals: false } }] };
  }

}
