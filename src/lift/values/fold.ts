import type { Condition, Json, ValueExpr } from '../../model/workflow.js';
import type { EventSource } from '../../report/types.js';

export function isLiteral(v: ValueExpr): v is { kind: 'literal'; value: Json } {
  return v.kind === 'literal';
}

/** True when the value is made up while the handler runs: it must be computed once and stored. */
export function needsStore(v: ValueExpr): boolean {
  switch (v.kind) {
    case 'uuid': case 'now-iso': case 'residual': case 'json-parse': return true;
    case 'format': return v.args.some(needsStore);
    case 'json-stringify': return needsStore(v.value);
    case 'object': return v.entries.some(([, x]) => needsStore(x));
    case 'array': return v.items.some(needsStore);
    case 'coalesce': return needsStore(v.value) || needsStore(v.fallback);
    case 'conditional': return needsStore(v.then) || needsStore(v.else);
    case 'intrinsic': return v.fn === 'States.UUID' || v.args.some(needsStore);
    case 'marshalled': return needsStore(v.value);
    case 'fn': return v.fn === 'millis' || v.args.some(needsStore);
    case 'merge': return v.parts.some(needsStore);
    default: return false;
  }
}

export const ROUTE_FIELDS = new Set(['httpMethod', 'routeKey', 'resource', 'path', 'rawPath', 'requestContext.http.method', 'requestContext.routeKey', 'requestContext.eventType', 'operation', 'action']);

/** Does the condition compare a route field of the event (method, route key, path) with a constant, or test a path parameter (item vs collection)? */
export function routesOn(c: Condition): boolean {
  if (c.kind === 'compare') return c.left.kind === 'event' && ROUTE_FIELDS.has(c.left.path.join('.'));
  if (c.kind === 'present' || c.kind === 'truthy') return c.value.kind === 'event' && c.value.path[0] === 'pathParameters';
  if (c.kind === 'and' || c.kind === 'or') return c.items.some(routesOn);
  if (c.kind === 'not') return routesOn(c.item);
  return false;
}

export const STRING_METHODS = new Set(['toString', 'toISOString', 'toLowerCase', 'toUpperCase', 'trim', 'trimStart', 'trimEnd', 'replace', 'replaceAll', 'slice', 'substring', 'padStart', 'padEnd', 'join', 'toFixed', 'toDateString', 'toUTCString', 'normalize', 'repeat', 'charAt']);

export const NUMBER_METHODS = new Set(['getTime', 'valueOf', 'indexOf', 'lastIndexOf', 'charCodeAt', 'getFullYear', 'getMonth', 'getDate', 'getHours', 'getDay', 'localeCompare']);

export const BOOLEAN_METHODS = new Set(['includes', 'startsWith', 'endsWith', 'test', 'some', 'every', 'isArray', 'isInteger', 'isFinite', 'isNaN', 'has']);

export function looseEquals(a: Json, b: Json, op: string): boolean {
  switch (op) {
    case '===': case '==': return a === b;
    case '!==': case '!=': return a !== b;
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>': return (a as number) > (b as number);
    case '>=': return (a as number) >= (b as number);
    default: return false;
  }
}

/** Static truth value of a condition, when its operands are constants. */
export function foldCondition(c: Condition): boolean | undefined {
  switch (c.kind) {
    case 'and':
      if (c.items.length === 0) return true;
      return c.items.every((i) => foldCondition(i) === true) ? true : c.items.some((i) => foldCondition(i) === false) ? false : undefined;
    case 'or':
      if (c.items.length === 0) return false;
      return c.items.some((i) => foldCondition(i) === true) ? true : c.items.every((i) => foldCondition(i) === false) ? false : undefined;
    case 'not': {
      const f = foldCondition(c.item);
      return f === undefined ? undefined : !f;
    }
    case 'present': case 'truthy': {
      let r: boolean | undefined;
      if (c.value.kind === 'undefined') r = false;
      else if (isLiteral(c.value)) r = c.kind === 'present' ? c.value.value !== null : Boolean(c.value.value);
      else if (['object', 'array', 'uuid', 'now-iso', 'env'].includes(c.value.kind)) r = true;
      return r === undefined ? undefined : c.negate ? !r : r;
    }
    case 'compare':
      if (isLiteral(c.left)) return looseEquals(c.left.value, c.right, c.op);
      return undefined;
    default:
      return undefined;
  }
}

export function eventSourceFromType(typeText: string): EventSource | undefined {
  if (/APIGatewayProxyEventV2|APIGatewayProxyHandlerV2/.test(typeText)) return 'apigw-http';
  if (/APIGatewayProxyEvent|APIGatewayEvent/.test(typeText)) return 'apigw-rest';
  if (/SQSEvent/.test(typeText)) return 'sqs';
  if (/DynamoDBStreamEvent/.test(typeText)) return 'dynamodb-stream';
  if (/EventBridgeEvent|ScheduledEvent/.test(typeText)) return 'eventbridge';
  return undefined;
}

/** An object of literal members is a literal (undefined members left out). */
export function foldObject(entries: Array<[string, ValueExpr]>): ValueExpr {
  if (entries.every(([, v]) => isLiteral(v) || v.kind === 'undefined')) {
    const out: Record<string, Json> = {};
    for (const [k, v] of entries) if (isLiteral(v)) out[k] = v.value;
    return { kind: 'literal', value: out };
  }
  return { kind: 'object', entries };
}

/** The condition that holds when `c` does not. */
export function negate(c: Condition): Condition {
  if (c.kind === 'truthy' || c.kind === 'present' || c.kind === 'typeof') return { ...c, negate: !c.negate };
  if (c.kind === 'not') return c.item;
  if (c.kind === 'and' && c.items.length === 0) return { kind: 'or', items: [] };
  if (c.kind === 'or' && c.items.length === 0) return { kind: 'and', items: [] };
  return { kind: 'not', item: c };
}

/** Does this object value have a field `p` of its own (known when the code wrote it)? */
export function ownsField(v: ValueExpr, p: string): boolean {
  if (v.kind === 'object') return v.entries.some(([k]) => k === p);
  return isLiteral(v) && v.value !== null && typeof v.value === 'object' && !Array.isArray(v.value) && Object.hasOwn(v.value, p);
}

/** A key set again keeps its place, as in a JavaScript object; a new one goes last. */
export function setEntry(entries: Array<[string, ValueExpr]>, key: string, value: ValueExpr): void {
  const i = entries.findIndex(([e]) => e === key);
  if (i >= 0) entries[i] = [key, value];
  else entries.push([key, value]);
}
