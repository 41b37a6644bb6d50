// Where attribute types of DynamoDB items come from when the handler returns what it read:
// config hints (`tables` in the config), then a verify-format `tables.json` (+ `env.json`) beside or above the handler.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Lambda2sfnConfig } from '../config/types.js';
import type { DynamoCall, ItemSchema, ValueType } from '../model/workflow.js';

export function typeOfJson(v: unknown): ValueType {
  if (v === null) return { kind: 'null' };
  if (typeof v === 'string') return { kind: 'string' };
  if (typeof v === 'number') return { kind: 'number' };
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (Array.isArray(v)) {
    const types = v.map(typeOfJson);
    const first = types[0];
    const same = first && types.every((t) => JSON.stringify(t) === JSON.stringify(first));
    // A mixed list has no element type; an empty one has none yet (it fits any list).
    return same || types.length === 0 ? { kind: 'array', element: first } : { kind: 'array', element: { kind: 'unknown' } };
  }
  if (typeof v === 'object') {
    const fields: Record<string, { type: ValueType; optional: boolean }> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) fields[k] = { type: typeOfJson(x), optional: false };
    return { kind: 'object', fields };
  }
  return { kind: 'unknown' };
}

/** The type two samples share: an empty list fits any list; anything else must agree exactly. */
function mergeTypes(a: ValueType, b: ValueType): ValueType {
  if (a.kind === 'array' && b.kind === 'array') {
    if (!a.element) return b;
    if (!b.element) return a;
    return JSON.stringify(a.element) === JSON.stringify(b.element) ? a : { kind: 'array' };
  }
  return JSON.stringify(a) === JSON.stringify(b) ? a : { kind: 'unknown' };
}

export function typeFromHint(hint: string): ValueType {
  switch (hint) {
    case 'S': return { kind: 'string' };
    case 'N': return { kind: 'number' };
    case 'BOOL': return { kind: 'boolean' };
    case 'NULL': return { kind: 'null' };
    case 'M': return { kind: 'object' };
    case 'L': case 'SS': case 'NS': case 'BS': return { kind: 'array', element: hint === 'SS' ? { kind: 'string' } : hint === 'NS' ? { kind: 'number' } : undefined };
    case 'L<S>': return { kind: 'array', element: { kind: 'string' } };
    case 'L<N>': return { kind: 'array', element: { kind: 'number' } };
    case 'L<BOOL>': return { kind: 'array', element: { kind: 'boolean' } };
    default: return { kind: 'unknown' };
  }
}

interface SeedTable {
  TableName: string;
  items?: Array<Record<string, unknown>>;
  KeySchema?: Array<{ AttributeName: string }>;
}

function schemaFromSeed(table: SeedTable, source: string): ItemSchema | undefined {
  const items = table.items ?? [];
  if (items.length === 0) return undefined;
  const attributes: ItemSchema['attributes'] = {};
  const names = new Set(items.flatMap((i) => Object.keys(i)));
  for (const name of names) {
    const present = items.filter((i) => name in i);
    const type = present.map((i) => typeOfJson(i[name])).reduce<ValueType | undefined>((a, b) => (a === undefined ? b : mergeTypes(a, b)), undefined);
    // Seed items show types, not a contract: an attribute every seed item has may still be missing from another item.
    attributes[name] = { type: type ?? { kind: 'unknown' }, optional: true };
  }
  for (const k of table.KeySchema ?? []) if (attributes[k.AttributeName]) attributes[k.AttributeName]!.optional = false;
  return { attributes, source };
}

export class SchemaSources {
  private readonly seedCache = new Map<string, { tables: SeedTable[]; env: Record<string, string>; file: string } | null>();

  constructor(private readonly config: Lambda2sfnConfig, private readonly root: string) {}

  /**
   * Attribute types for the table a call targets. `envVar` is the variable that holds the table name (if any),
   * `literal` the table name when written in the code.
   */
  lookup(handlerFile: string, table: { envVar?: string; literal?: string }): ItemSchema | undefined {
    const hints = this.config.tables ?? {};
    const hinted = (table.envVar && hints[table.envVar]) || (table.literal && hints[table.literal]);
    const seeds = this.seedsFor(handlerFile);
    const physical = table.literal ?? (table.envVar ? seeds?.env[table.envVar] : undefined);
    const hintByPhysical = physical ? hints[physical] : undefined;
    const h = hinted || hintByPhysical;
    if (h) {
      const attributes: ItemSchema['attributes'] = {};
      for (const [k, v] of Object.entries(h)) attributes[k] = { type: typeFromHint(v), optional: true };
      return { attributes, source: 'configuration `tables` hints' };
    }
    if (seeds && physical) {
      const t = seeds.tables.find((x) => x.TableName === physical);
      if (t) return schemaFromSeed(t, `seed items in ${relative(this.root, seeds.file) || 'tables.json'}`);
    }
    return undefined;
  }

  private seedsFor(file: string): { tables: SeedTable[]; env: Record<string, string>; file: string } | undefined {
    let dir = dirname(file);
    const boundary = this.boundaryOf(file);
    for (;;) {
      if (!this.seedCache.has(dir)) {
        const tablesFile = join(dir, 'tables.json');
        let found: { tables: SeedTable[]; env: Record<string, string>; file: string } | null = null;
        if (existsSync(tablesFile)) {
          try {
            const tables = JSON.parse(readFileSync(tablesFile, 'utf8')) as SeedTable[];
            const envFile = join(dir, 'env.json');
            const env = existsSync(envFile) ? (JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>) : {};
            if (Array.isArray(tables)) found = { tables, env, file: tablesFile };
          } catch {
            found = null;
          }
        }
        this.seedCache.set(dir, found);
      }
      const hit = this.seedCache.get(dir);
      if (hit) return hit;
      const parent = dirname(dir);
      if (parent === dir || dir === boundary) return undefined;
      dir = parent;
    }
  }

  /**
   * How far up seeds are looked for: the handler's project (the nearest folder with a package.json or .git), so
   * scanning one file finds what scanning its project finds; outside any project, the scan root.
   */
  private boundaryOf(file: string): string {
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
      if (dirname(dir) === dir) return this.root;
    }
  }
}

/**
 * The schema of what one call returns: the key attributes of the item it addresses are certainly there when an
 * item comes back whole (GetItem, or ALL_NEW/ALL_OLD return values); every other attribute may be missing.
 */
export function withKeyAttributes(schema: ItemSchema | undefined, step: DynamoCall): ItemSchema | undefined {
  if (!schema) return schema;
  const returnValues = step.params['ReturnValues']?.value;
  const whole = step.op === 'getItem' || (returnValues?.kind === 'literal' && (returnValues.value === 'ALL_NEW' || returnValues.value === 'ALL_OLD'));
  const key = step.params['Key']?.value;
  if (!whole || key?.kind !== 'object') return schema;
  const attributes = { ...schema.attributes };
  for (const [name] of key.entries) if (attributes[name]) attributes[name] = { ...attributes[name]!, optional: false };
  return { ...schema, attributes };
}

/**
 * The top-level attributes an UpdateItem certainly returns: with ReturnValues ALL_NEW or UPDATED_NEW, every attribute
 * its SET or ADD clauses write (a `#name` resolved through ExpressionAttributeNames); undefined when it returns none
 * of them for sure (another ReturnValues, an expression built at run time, or no SET/ADD clause).
 */
export function updatedAttributes(step: DynamoCall): string[] | undefined {
  const literal = (k: string) => { const v = step.params[k]?.value; return v?.kind === 'literal' ? v.value : undefined; };
  const returnValues = literal('ReturnValues');
  const expression = literal('UpdateExpression');
  if (step.op !== 'updateItem' || (returnValues !== 'ALL_NEW' && returnValues !== 'UPDATED_NEW') || typeof expression !== 'string') return undefined;
  const namesValue = step.params['ExpressionAttributeNames']?.value;
  const names: Record<string, unknown> = namesValue?.kind === 'literal' && namesValue.value && typeof namesValue.value === 'object' ? namesValue.value as Record<string, unknown>
    : namesValue?.kind === 'object' ? Object.fromEntries(namesValue.entries.map(([k, v]) => [k, v.kind === 'literal' ? v.value : undefined])) : {};
  const out: string[] = [];
  // Clauses start with their keyword; actions inside a clause are separated by commas outside parentheses.
  const clauses = expression.split(/\b(SET|REMOVE|ADD|DELETE)\b/i);
  for (let i = 1; i + 1 < clauses.length; i += 2) {
    const keyword = clauses[i]!.toUpperCase();
    if (keyword !== 'SET' && keyword !== 'ADD') continue;
    let depth = 0, start = 0;
    const body = clauses[i + 1]!;
    const actions: string[] = [];
    for (let j = 0; j <= body.length; j++) {
      const c = body[j];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if ((c === ',' && depth === 0) || j === body.length) { actions.push(body.slice(start, j)); start = j + 1; }
    }
    for (const action of actions) {
      const target = (keyword === 'SET' ? action.split('=')[0]! : action.trim().split(/\s+/)[0]!).trim();
      if (!/^#?[A-Za-z0-9_]+$/.test(target)) continue; // a nested path or list element: the top-level attribute was there before
      const name = target.startsWith('#') ? names[target] : target;
      if (typeof name === 'string') out.push(name);
    }
  }
  return out.length ? out : undefined;
}
