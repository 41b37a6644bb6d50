// The JSONPath emitter's DynamoDB values: marshalling request values to AttributeValues with the types the code
// or the table's schema gives, and unmarshalling what a call returned attribute by attribute.
import type { Condition, ItemSchema, Json, ValueExpr, ValueType } from '../../model/workflow.js';
import { ownEntry, typeOfValue } from '../../model/valueType.js';
import type { Pre } from '../shared/aslBuilder.js';
import { EmitFailure } from '../shared/result.js';
import { ATTRIBUTE_MAPS, marshalLiteral, marshalNestedLiteral } from '../shared/tasks.js';
import { JsonPathValues, describe, joinPath, requestMayBeNull, typesAssumed, type Ref } from './values.js';

export abstract class JsonPathDynamo extends JsonPathValues {
  /** Query/Scan Items with a known schema: a Map state unmarshals each item attribute by attribute. */
  protected abstract unmarshalItemsWithMap(v: Extract<ValueExpr, { kind: 'ddb' }>, schema: ItemSchema, pres: Pre[], line: number): string;

  // ---------------------------------------------------------------- DynamoDB values

  /** Native value → AttributeValue. */
  protected marshal(v: ValueExpr, pres: Pre[], line: number, attr?: string): Ref {
    if (v.kind === 'ddb' && v.path.length > 0) {
      // Copy the typed attribute read earlier as it is.
      return { kind: 'path', path: joinPath(`$.vars.${v.step}.${v.field}`, v.path) };
    }
    if (v.kind === 'literal') return { kind: 'literal', value: marshalLiteral(v.value) as Json };
    if (v.kind === 'object') {
      const inner = this.marshalMap(v, pres, line);
      return inner.kind === 'template' ? { kind: 'template', payload: { M: inner.payload } } : inner.kind === 'path' ? { kind: 'template', payload: { 'M.$': inner.path } } : inner;
    }
    if (v.kind === 'coalesce' || v.kind === 'conditional') {
      const branches = v.kind === 'coalesce' ? [v.value, v.fallback] : [v.then, v.else];
      const target = `$.vars.${this.tmp()}`;
      // Marshal each branch on its own path (its states run only there), then choose.
      const aPres: Pre[] = [];
      const a = this.marshal(branches[0]!, aPres, line);
      const bPres: Pre[] = [];
      const b = this.marshal(branches[1]!, bPres, line);
      const test: Condition = v.kind === 'coalesce' ? (v.op === '??' ? { kind: 'present', value: v.value } : { kind: 'truthy', value: v.value }) : v.test;
      const rule = this.conditionRule(test, pres, line);
      pres.push((n) => {
        const useA = this.chain(aPres, this.assign(target, a, n));
        const useB = this.chain(bPres, this.assign(target, b, n));
        return this.add(`Default for ${target.slice(7)}?`, { Type: 'Choice', Choices: [{ ...rule, Next: useA }], Default: useB });
      });
      return { kind: 'path', path: target };
    }
    let type = typeOfValue(v);
    const known = attr ? ownEntry(this.currentSchema?.attributes, attr) : undefined;
    if (type.kind === 'unknown' && known && known.type.kind !== 'unknown') {
      type = known.type;
      this.assumeOnce(line, `the type of attribute ${attr} (and others written without a type in the code) comes from ${this.currentSchema!.source}`);
    }
    const r = this.ref(v, pres, line);
    if (r.kind === 'omit') return r;
    return this.typed(type, r, v, pres, line);
  }

  protected typed(type: ValueType, r: Ref, v: ValueExpr, pres: Pre[], line: number): Ref {
    const asExpr = (ref: Ref): { key: string; value: unknown } => (ref.kind === 'path' ? { key: '.$', value: ref.path } : ref.kind === 'intrinsic' ? { key: '.$', value: ref.expr } : { key: '', value: ref.kind === 'literal' ? ref.value : undefined });
    switch (type.kind) {
      case 'string': {
        const e = asExpr(r);
        return { kind: 'template', payload: { [`S${e.key}`]: e.value } };
      }
      case 'number': {
        const arg = r.kind === 'path' ? r.path : r.kind === 'intrinsic' ? r.expr : String((r as { value: Json }).value);
        return { kind: 'template', payload: { 'N.$': `States.Format('{}', ${arg})` } };
      }
      case 'boolean': {
        const e = asExpr(r);
        return { kind: 'template', payload: { [`BOOL${e.key}`]: e.value } };
      }
      case 'null': return { kind: 'literal', value: { NULL: true } };
      case 'unknown': {
        // A parsed request body or the whole event has no schema; a computed scalar can be typed at run time.
        const whole = (v.kind === 'var' && v.path.length === 0 && this.storedKinds.get(v.name) === 'json-parse') || v.kind === 'json-parse' || (v.kind === 'event' && v.path.length <= 1);
        if (whole) throw new EmitFailure(`${describe(v)} is written as a whole value with no static schema; JSONPath cannot type it (the JSONata emitter can)`, line);
        return { kind: 'path', path: this.typeAtRunTime(r, v, pres, line) };
      }
      default:
        throw new EmitFailure(`${v.kind === 'var' ? [v.name, ...v.path].join('.') : v.kind} is ${type.kind === 'array' ? 'a list' : 'an object'} whose element types are not known; JSONPath cannot marshal it generically (the JSONata emitter can)`, line);
    }
  }

  /**
   * A value whose type the code does not say: a Choice on its run-time type picks S, N, BOOL or NULL, exactly as
   * the SDK's marshalling would. Objects and lists fail the execution with a named error instead of a wrong write.
   */
  protected typeAtRunTime(r: Ref, v: ValueExpr, pres: Pre[], line: number): string {
    const source = r.kind === 'path' ? r.path : this.pathOf(v, pres, line);
    const target = `$.vars.${this.tmp()}`;
    this.assumeOnce(line, `${describe(v)} (and other values without a known type) is typed when the state machine runs: a string becomes S, a number N, a boolean BOOL, null NULL; an object or a list fails the execution with lambda2sfn.UnsupportedAttributeType. Add a TypeScript type, a typeof check or a \`tables\` type hint to type it statically.`);
    pres.push((n) => {
      const fail = this.failUnsupportedType();
      const is = (test: string) => ({ And: [{ Variable: source, IsPresent: true }, { Variable: source, [test]: true }] });
      return this.add(`Type of ${describe(v).split('.').pop()}?`, {
        Type: 'Choice',
        Choices: [
          { ...is('IsString'), Next: this.assign(target, { kind: 'template', payload: { 'S.$': source } }, n) },
          { ...is('IsNumeric'), Next: this.assign(target, { kind: 'template', payload: { 'N.$': `States.Format('{}', ${source})` } }, n) },
          { ...is('IsBoolean'), Next: this.assign(target, { kind: 'template', payload: { 'BOOL.$': source } }, n) },
          { ...is('IsNull'), Next: this.assign(target, { kind: 'literal', value: { NULL: true } }, n) },
        ],
        Default: fail,
      });
    });
    return target;
  }

  protected unsupportedTypeState: string | undefined;

  protected failUnsupportedType(): string {
    this.unsupportedTypeState ??= this.add('Unsupported attribute type', {
      Type: 'Fail',
      Error: 'lambda2sfn.UnsupportedAttributeType',
      Cause: 'A value written to DynamoDB is missing, an object or a list, and its attribute type is not known statically',
    });
    return this.unsupportedTypeState;
  }

  /** TransactItems / RequestItems: walk the structure, marshalling the attribute maps it holds. */
  protected marshalNested(v: ValueExpr, pres: Pre[], line: number): Ref {
    // Array elements cannot be `.$` paths: each must be a literal or an object template.
    const element = (r: Ref): unknown => {
      if (r.kind === 'template') return r.payload;
      if (r.kind === 'literal') return r.value;
      throw new EmitFailure('a batch or transaction entry is computed at run time; JSONPath can only build entries written out in the code', line);
    };
    if (v.kind === 'array') return { kind: 'template', payload: v.items.map((i) => element(this.marshalNested(i, pres, line))) as unknown as Record<string, unknown> };
    if (v.kind === 'literal') return { kind: 'literal', value: marshalNestedLiteral(v.value) as Json };
    if (v.kind !== 'object') throw new EmitFailure(`${describe(v)} inside a batch or transaction request is not a literal structure the analyser can type`, line);
    const payload: Record<string, unknown> = {};
    for (const [k, x] of v.entries) {
      if (ATTRIBUTE_MAPS.includes(k)) this.put(payload, k, this.marshalMap(x, pres, line));
      else if (k === 'Keys' && x.kind === 'array') this.put(payload, k, { kind: 'template', payload: x.items.map((i) => element(this.marshalMap(i, pres, line))) as unknown as Record<string, unknown> });
      else if (x.kind === 'object' || x.kind === 'array' || (x.kind === 'literal' && x.value !== null && typeof x.value === 'object')) this.put(payload, k, this.marshalNested(x, pres, line));
      else this.put(payload, k, this.ref(x, pres, line));
    }
    return { kind: 'template', payload };
  }

  /**
   * A map of attribute name → AttributeValue (Key, Item, ExpressionAttributeValues). `item`: a DocumentClient
   * Item, whose members the SDK marshals one by one (lib-dynamodb and the v2 DocumentClient leave an undefined
   * member out, and write null as NULL).
   */
  protected marshalMap(v: ValueExpr, pres: Pre[], line: number, item = false): Ref {
    if (v.kind === 'object') {
      const missing = v.entries.some(([, x]) => this.mayBeMissing(x) || requestMayBeNull(x));
      if (item && missing) {
        this.assumeOnce(line, `an item attribute built from a request field is left out when the field is missing and written as NULL when it is null, as the SDK marshals it (line ${line})`);
        return this.objectRef(v.entries, pres, line, (x, k, at) => this.marshal(x, at, line, k), false, { kind: 'literal', value: { NULL: true } }, requestMayBeNull);
      }
      // In a Key or ExpressionAttributeValues a missing value fails the DynamoDB call in the handler too (the key
      // or the expression's value is missing), and a missing path fails the Task state.
      if (missing) this.assumeOnce(line, 'key and expression values built from request fields are written as required: when one is missing, the DynamoDB call fails in the handler and the Task fails in the state machine');
      return this.objectRef(v.entries, pres, line, (x, k, at) => this.marshal(x, at, line, k), true);
    }
    if (v.kind === 'var' && v.path.length === 0 && v.type.kind === 'object' && v.type.fields) {
      const optional = this.varOptionalFields.get(v.name);
      const entries: Array<[string, ValueExpr]> = Object.entries(v.type.fields)
        .filter(([k]) => !optional?.has(k))
        .map(([k, f]) => [k, { kind: 'var', name: v.name, path: [k], type: f.type, present: true }]);
      if (optional?.size) {
        const payloadEntries = Object.entries(v.type.fields).map(([k, f]) => [k, { kind: 'var', name: v.name, path: [k], type: f.type }] as [string, ValueExpr]);
        return this.objectRef(payloadEntries, pres, line, (x, k, at) => this.marshal(x, at, line, k));
      }
      return this.objectRef(entries, pres, line, (x, k, at) => this.marshal(x, at, line, k), true);
    }
    if (v.kind === 'literal' && v.value && typeof v.value === 'object' && !Array.isArray(v.value)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v.value)) out[k] = marshalLiteral(x);
      return { kind: 'literal', value: out as Json };
    }
    if (v.kind === 'ddb' && (v.field === 'Item' || v.field === 'Attributes') && v.path.length === 0) return { kind: 'path', path: `$.vars.${v.step}.${v.field}` };
    if (v.kind === 'merge') throw new EmitFailure(v.why, v.line);
    throw new EmitFailure(`${describe(v)} is written as a whole; its attributes are not known statically, so JSONPath cannot type them (the JSONata emitter can)`, line);
  }

  /** AttributeValue → native value, using the item schema. */
  protected unmarshalRef(v: Extract<ValueExpr, { kind: 'ddb' }>, pres: Pre[], line: number): Ref {
    const base = `$.vars.${v.step}.${v.field}`;
    if (v.raw) return { kind: 'path', path: joinPath(base, v.path) };
    if (v.field === 'Count' || v.field === 'ScannedCount') return { kind: 'path', path: base };
    if (v.field === 'Items' && v.path.length === 0 && v.schema) return { kind: 'path', path: this.unmarshalItemsWithMap(v, v.schema, pres, line) };
    if (v.field === 'Items' || v.field === 'LastEvaluatedKey') throw new EmitFailure(`${v.field} needs a generic unmarshal of DynamoDB items, which JSONPath cannot express (JSONata can)`, line);
    if (!v.schema) throw new EmitFailure(`the ${v.field === 'Item' ? 'item' : 'attributes'} read from the table ${v.path.length ? `(attribute ${v.path.join('.')}) ` : ''}are used in the response, but the attribute types are not known; add \`tables\` type hints in the configuration (or use the JSONata emitter, which can unmarshal generically)`, line);
    if (v.path.length === 0) {
      this.assumeOnce(line, typesAssumed(v.schema.source));
      const entries: Array<[string, ValueExpr]> = Object.keys(v.schema.attributes).map((k) => [k, { ...v, path: [k], present: undefined }]);
      return this.objectRef(entries, pres, line, (x, _k, at) => this.ref(x, at, line));
    }
    const attr = ownEntry(v.schema.attributes, v.path[0]!);
    if (!attr) throw new EmitFailure(`attribute ${v.path[0]} is not in the known attributes of the table (${v.schema.source})`, line);
    if (v.path.length > 1) throw new EmitFailure(`nested attribute ${v.path.join('.')} is read`, line);
    this.assumeOnce(line, typesAssumed(v.schema.source));
    return this.attrRef(joinPath(base, v.path), attr.type, line, pres);
  }

  protected attrRef(path: string, type: ValueType, line: number, pres: Pre[]): Ref {
    switch (type.kind) {
      case 'string': return { kind: 'path', path: `${path}.S` };
      case 'number': return { kind: 'intrinsic', expr: `States.StringToJson(${path}.N)` };
      case 'boolean': return { kind: 'path', path: `${path}.BOOL` };
      case 'null': return { kind: 'literal', value: null };
      case 'array': {
        // `$.x.L[*].S` fails on an empty list, so a Map state unmarshals the elements.
        const elem = type.element?.kind;
        const extract =
          elem === 'string' ? { InputPath: '$.S' } : elem === 'boolean' ? { InputPath: '$.BOOL' } : elem === 'number' ? { Parameters: { 'v.$': 'States.StringToJson($.N)' }, OutputPath: '$.v' } : undefined;
        if (!extract) throw new EmitFailure(`list attribute ${path.split('.').pop()} holds ${elem ?? 'mixed or unknown'} values; JSONPath cannot unmarshal them (JSONata can)`, line);
        const target = `$.vars.${this.tmp()}`;
        const leaf = path.split('.').pop() ?? 'list';
        pres.push((n) =>
          this.add(`Unmarshal ${leaf}`, {
            Type: 'Map',
            ItemsPath: `${path}.L`,
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: `${this.prefix}${leaf} element`, States: { [`${this.prefix}${leaf} element`]: { Type: 'Pass', ...extract, End: true } } },
            ResultPath: target,
            Next: n,
          }),
        );
        return { kind: 'path', path: target };
      }
      case 'object': {
        if (!type.fields) throw new EmitFailure(`map attribute ${path} has unknown fields`, line);
        const payload: Record<string, unknown> = {};
        for (const [k, f] of Object.entries(type.fields)) {
          if (f.optional) throw new EmitFailure(`map attribute ${path} has optional field ${k}`, line);
          this.put(payload, k, this.attrRef(joinPath(`${path}.M`, [k]), f.type, line, pres));
        }
        return { kind: 'template', payload };
      }
      default: throw new EmitFailure(`attribute at ${path} has no known type`, line);
    }
  }
}
