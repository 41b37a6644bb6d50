import type { ValueExpr, ValueType } from './workflow.js';

/** Field `k` of a record of fields or attributes, when it has one of its own (not `constructor` from Object.prototype). */
export function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, k: string): T | undefined {
  return record && Object.hasOwn(record, k) ? record[k] : undefined;
}

export function typeOfValue(v: ValueExpr): ValueType {
  switch (v.kind) {
    case 'literal':
      return v.value === null ? { kind: 'null' } : typeof v.value === 'string' ? { kind: 'string' } : typeof v.value === 'number' ? { kind: 'number' } : typeof v.value === 'boolean' ? { kind: 'boolean' } : Array.isArray(v.value) ? { kind: 'array' } : { kind: 'object' };
    case 'event': case 'var': case 'json-parse': case 'intrinsic': case 'residual': return v.type;
    case 'env': case 'uuid': case 'now-iso': case 'format': case 'json-stringify': return { kind: 'string' };
    case 'object': {
      const fields: Record<string, { type: ValueType; optional: boolean }> = {};
      for (const [k, x] of v.entries) fields[k] = { type: typeOfValue(x), optional: false };
      return { kind: 'object', fields };
    }
    case 'array': return { kind: 'array' };
    case 'coalesce': {
      // `x ?? null` is a string or null: only the same type on both sides is a static type.
      const a = typeOfValue(v.value);
      const b = typeOfValue(v.fallback);
      return a.kind === b.kind ? a : { kind: 'unknown' };
    }
    case 'conditional': {
      const a = typeOfValue(v.then);
      const b = typeOfValue(v.else);
      return a.kind === b.kind ? a : { kind: 'unknown' };
    }
    case 'marshalled': case 'merge': return { kind: 'object' };
    case 'fn': return v.type;
    case 'ddb': {
      if (v.field === 'Count' || v.field === 'ScannedCount') return { kind: 'number' };
      if (v.raw) {
        const last = v.path[v.path.length - 1];
        if (last === 'S' || last === 'N') return { kind: 'string' };
        if (last === 'BOOL') return { kind: 'boolean' };
        if (last === 'L' || last === 'SS' || last === 'NS' || v.field === 'Items') return { kind: 'array' };
        return { kind: 'object' };
      }
      if (v.path.length === 0) return v.field === 'Items' ? { kind: 'array' } : { kind: 'object', fields: v.schema?.attributes };
      let t: ValueType | undefined = ownEntry(v.schema?.attributes, v.path[0]!)?.type;
      for (const p of v.path.slice(1)) t = t?.kind === 'object' ? ownEntry(t.fields, p)?.type : undefined;
      return t ?? { kind: 'unknown' };
    }
    case 'undefined': return { kind: 'unknown' };
  }
}
