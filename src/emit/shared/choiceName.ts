// The name of a Choice state, read from its condition ("orderId present?", "status one of 3?").
import type { Condition, ValueExpr } from '../../model/workflow.js';

function subject(v: ValueExpr): string {
  if (v.kind === 'ddb') return v.path.length ? v.path.join('.') : v.field;
  if (v.kind === 'event') return v.path[v.path.length - 1] ?? 'event';
  if (v.kind === 'var') return [v.name, ...v.path].slice(-1)[0]!;
  if (v.kind === 'residual') return 'computed value';
  return 'value';
}

/** `notName`: a name an emitter gives some negated conditions before the general rule applies. */
export function choiceName(c: Condition, line: number, notName?: (c: Extract<Condition, { kind: 'not' }>) => string | undefined): string {
  switch (c.kind) {
    case 'present': return `${subject(c.value)} ${c.negate ? 'missing' : 'present'}?`;
    case 'truthy': return c.value.kind === 'ddb' && c.value.path.length === 0 ? (c.negate ? `${c.value.field} missing?` : `${c.value.field} found?`) : `${subject(c.value)} ${c.negate ? 'missing' : 'given'}?`;
    case 'compare': return `${subject(c.left)} ${c.op} ${JSON.stringify(c.right)}?`;
    case 'typeof': return `${subject(c.value)} ${c.negate ? 'not ' : ''}a ${c.type}?`;
    case 'matches': return `${subject(c.value)} like ${c.pattern}?`;
    case 'not': {
      const special = notName?.(c);
      if (special !== undefined) return special;
      return c.item.kind === 'or' && c.item.items.every((i) => i.kind === 'compare') && c.item.items.length ? `${subject((c.item.items[0] as { left: ValueExpr }).left)} not one of ${c.item.items.length}?` : `Not ${choiceName(c.item, line, notName)}`;
    }
    case 'or': return c.items.every((i) => i.kind === 'compare') && c.items.length ? `${subject((c.items[0] as { left: ValueExpr }).left)} one of ${c.items.length}?` : `Check line ${line}?`;
    default: return `Check line ${line}?`;
  }
}
