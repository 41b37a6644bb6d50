// `lambda2sfn verify`: differential run; exit 0 exactly when the two sides are equivalent.
import pc from 'picocolors';
import type { RunIO } from './io.js';
import { EXIT, UsageError } from '../errors.js';
import { NO_HANDLER_FOR_EVENT, verifyCase, type VerifyReport } from '../verify/verifyCase.js';

export interface VerifyCliOptions {
  format: 'text' | 'json';
  events?: string;
  tables?: string;
  env?: string;
  stubs?: string;
  export?: string;
  deps?: string;
  routing?: 'choice' | 'split';
  queryLanguage?: 'auto' | 'jsonpath' | 'jsonata';
  variants?: boolean;
  color?: boolean;
}

export function renderVerifyText(r: VerifyReport, color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [];
  for (const n of r.notes) out.push(c.dim(`note: ${n}`));
  for (const h of r.handlers) out.push(`${c.bold(`${h.file}#${h.export}`)} ${h.convertible}${h.reason ? ` — ${h.reason}` : ''}`);
  for (const e of r.events) {
    out.push(`  ${e.equal ? c.green('equal    ') : c.red('DIFFERENT')} ${e.name}${e.reason ? c.dim(` (${e.reason})`) : ''}`);
    if (!e.equal && e.diff) out.push(e.diff.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  out.push(`  tables: ${r.tables.equal ? c.green('equal') : c.red('different')}`);
  if (!r.tables.equal) out.push(r.tables.diff.split('\n').map((l) => `      ${l}`).join('\n'));
  out.push(`  side effects: ${r.sideEffects.equal ? c.green('equal') : c.red('different')}`);
  if (!r.sideEffects.equal) out.push(r.sideEffects.diff.split('\n').map((l) => `      ${l}`).join('\n'));
  for (const v of r.variants) {
    const agrees = v.equal && v.tables.equal && v.sideEffects.equal;
    const mark = agrees ? c.green('equal    ') : v.stated ? c.yellow('differs  ') : c.red('DIFFERENT');
    const why = [v.reason, !v.tables.equal ? 'tables differ' : '', !v.sideEffects.equal ? 'side effects differ' : ''].filter(Boolean).join('; ');
    out.push(`  ${mark} ${v.name} ${c.dim(`(from "${v.from}"${why ? `; ${why}` : ''})`)}`);
    if (v.stated) out.push(c.dim(`      stated: ${v.stated}`));
    if (!agrees && !v.stated) for (const d of [v.diff, v.tables.diff, v.sideEffects.diff]) if (d) out.push(d.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  const eq = r.events.filter((e) => e.equal).length;
  const viaDoor = r.events.filter((e) => e.throughFrontDoor).length;
  if (viaDoor) out.push(c.dim(`  ${viaDoor} event${viaDoor > 1 ? 's' : ''} compared as HTTP responses: the handler behind a Lambda proxy integration, the state machine behind its API Gateway front-door templates`));
  const variantsAgree = r.variants.filter((v) => v.equal && v.tables.equal && v.sideEffects.equal).length;
  const stated = r.variants.filter((v) => v.stated).length;
  const variants = r.variants.length ? `; ${variantsAgree} of ${r.variants.length} variants agree${stated ? ` (${stated} differ only where the proposal states what it assumes)` : ''}` : '';
  out.push(`${r.equivalent ? c.green('equivalent') : c.red('not equivalent')}: ${eq} of ${r.events.length} events with equal responses; tables ${r.tables.equal ? 'equal' : 'different'}; side effects ${r.sideEffects.equal ? 'equal' : 'different'}${variants}`);
  return out.join('\n') + '\n';
}

export async function runVerify(target: string, opts: VerifyCliOptions, io: RunIO): Promise<number> {
  const report = await verifyCase(target, { cwd: io.cwd, events: opts.events, tables: opts.tables, env: opts.env, stubs: opts.stubs, exportName: opts.export, deps: opts.deps, routing: opts.routing, queryLanguage: opts.queryLanguage, variants: opts.variants });
  // An event whose file holds no handler was named wrongly: bad input, not a difference.
  const unmatched = report.events.find((e) => e.handler === null && e.reason === NO_HANDLER_FOR_EVENT);
  if (unmatched) throw new UsageError(`no handler found for event ${JSON.stringify(unmatched.name)}: ${unmatched.file}${opts.events ? ` (relative to ${opts.events})` : ''} has no handler${opts.export ? ` exported as ${opts.export}` : ''}`);
  io.stdout(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderVerifyText(report, opts.color ?? (io.isTTY && !io.env['NO_COLOR'])));
  return report.equivalent ? EXIT.ok : EXIT.failOn;
}
