// Variants verify derives from a recorded event on its own, to find what the given events do not exercise: each
// item the event read with one attribute absent, NULL or of another type; the table it read empty; each request
// field absent, empty (a string field) or null. Each variant runs the same event from the same tables as the original did.
import type { TableSpec } from './localDynamo.js';
import type { ItemRead } from './dynamoProxy.js';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export interface Variant {
  /** What was changed, as the result names it: `item o-3 without status`. */
  name: string;
  event: unknown;
  /** The tables before the event (dumpTables format). */
  tables: Record<string, string[]>;
  /**
   * What the variant breaks that a proposal may take as given, and says so: `attribute-type` (an attribute of
   * another type than the one stated), `request-field` (a request field absent, empty or null).
   */
  breaks?: 'attribute-type' | 'request-field';
}

/** Another DynamoDB type for the same attribute: a number for a string, a string for anything else. */
function otherType(av: AttributeValue): { value: AttributeValue; label: string } {
  if ('S' in av) return { value: { N: '7' }, label: 'a number' };
  if ('N' in av) return { value: { S: String(av['N']) }, label: 'a string' };
  return { value: { S: 'x' }, label: 'a string' };
}

function keyLabel(item: Item, keys: string[]): string {
  return keys.map((k) => { const av = item[k] ?? {}; return String(Object.values(av)[0]); }).join('/');
}

function sameKey(a: Item, b: Item, keys: string[]): boolean {
  return keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The dump with one item of a table replaced (or removed when `next` is undefined). */
function withItem(tables: Record<string, string[]>, table: string, keys: string[], item: Item, next: Item | undefined): Record<string, string[]> {
  const lines = (tables[table] ?? []).filter((l) => !sameKey(JSON.parse(l) as Item, item, keys));
  return { ...tables, [table]: next ? [...lines, JSON.stringify(next)] : lines };
}

export class VariantPlanner {
  /** One variant per table, attribute and change, and per request field and change, across all events. */
  private readonly seen = new Set<string>();

  constructor(private readonly specs: TableSpec[]) {}

  /** Variants of one event, given the tables before it and the items it read. */
  plan(event: unknown, before: Record<string, string[]>, reads: ItemRead[]): Variant[] {
    return [...this.itemVariants(event, before, reads), ...this.tableVariants(event, before, reads), ...this.requestVariants(event, before)];
  }

  private once(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private itemVariants(event: unknown, before: Record<string, string[]>, reads: ItemRead[]): Variant[] {
    const out: Variant[] = [];
    for (const { table, item } of reads) {
      const spec = this.specs.find((s) => s.TableName === table);
      const keys = (spec?.KeySchema ?? []).map((k) => k.AttributeName!);
      // Only an item that was there before the event can be changed before it.
      if (!spec || !(before[table] ?? []).some((l) => sameKey(JSON.parse(l) as Item, item, keys))) continue;
      const label = keyLabel(item, keys);
      for (const [attr, av] of Object.entries(item)) {
        if (keys.includes(attr)) continue;
        const { [attr]: _dropped, ...without } = item;
        if (this.once(`${table}:${attr}:absent`)) out.push({ name: `item ${label} without ${attr}`, event, tables: withItem(before, table, keys, item, without) });
        if (!('NULL' in av) && this.once(`${table}:${attr}:null`)) out.push({ name: `item ${label} with ${attr} NULL`, event, tables: withItem(before, table, keys, item, { ...item, [attr]: { NULL: true } }), breaks: 'attribute-type' });
        const other = otherType(av);
        if (this.once(`${table}:${attr}:type`)) out.push({ name: `item ${label} with ${attr} as ${other.label}`, event, tables: withItem(before, table, keys, item, { ...item, [attr]: other.value }), breaks: 'attribute-type' });
      }
    }
    return out;
  }

  private tableVariants(event: unknown, before: Record<string, string[]>, reads: ItemRead[]): Variant[] {
    const out: Variant[] = [];
    for (const table of new Set(reads.map((r) => r.table))) {
      if ((before[table] ?? []).length > 0 && this.once(`${table}:empty`)) out.push({ name: `table ${table} empty`, event, tables: { ...before, [table]: [] } });
    }
    return out;
  }

  private requestVariants(event: unknown, before: Record<string, string[]>): Variant[] {
    if (!event || typeof event !== 'object' || Array.isArray(event)) return [];
    const e = event as Record<string, unknown>;
    const out: Variant[] = [];
    const add = (field: string, change: string, next: Record<string, unknown>) => {
      if (this.once(`request:${field}:${change}`)) out.push({ name: `request ${change === 'absent' ? 'without' : 'with'} ${field}${change === 'absent' ? '' : ` ${change}`}`, event: next, tables: before, breaks: 'request-field' });
    };
    // API Gateway events (REST, HTTP API, WebSocket): the client controls the body and the query string only.
    const api = 'httpMethod' in e || 'routeKey' in e || 'requestContext' in e;
    if (!api) {
      if ('Records' in e) return [];
      for (const k of Object.keys(e)) {
        const { [k]: _dropped, ...rest } = e;
        add(k, 'absent', rest);
        if (typeof e[k] === 'string') add(k, 'empty', { ...e, [k]: '' });
        add(k, 'null', { ...e, [k]: null });
      }
      return out;
    }
    // An API request: the JSON body's fields and the query string (whose values are always strings).
    const body = typeof e['body'] === 'string' ? parseObject(e['body']) : undefined;
    for (const k of Object.keys(body ?? {})) {
      const { [k]: _dropped, ...rest } = body!;
      add(`body.${k}`, 'absent', { ...e, body: JSON.stringify(rest) });
      if (typeof body![k] === 'string') add(`body.${k}`, 'empty', { ...e, body: JSON.stringify({ ...body, [k]: '' }) });
      add(`body.${k}`, 'null', { ...e, body: JSON.stringify({ ...body, [k]: null }) });
    }
    const query = e['queryStringParameters'];
    if (query && typeof query === 'object') {
      for (const k of Object.keys(query)) {
        const { [k]: _dropped, ...rest } = query as Record<string, unknown>;
        // API Gateway sends null (REST) or leaves the field out (HTTP API) when no parameter is left.
        const emptied = Object.keys(rest).length ? rest : 'httpMethod' in e ? null : undefined;
        add(`queryStringParameters.${k}`, 'absent', emptied === undefined ? withoutKey(e, 'queryStringParameters') : { ...e, queryStringParameters: emptied });
        add(`queryStringParameters.${k}`, 'empty', { ...e, queryStringParameters: { ...query, [k]: '' } });
      }
    }
    return out;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function withoutKey(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = o;
  return rest;
}
