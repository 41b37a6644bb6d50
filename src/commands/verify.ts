// `lambda2sfn verify`: differential run; exit 0 exactly when the two sides are equivalent.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { RunIO } from '../cli.js';
import { EXIT, UsageError } from '../errors.js';
import { verifyCase, type VerifyReport } from '../verify/verifyCase.js';

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
  const eq = r.events.filter((e) => e.equal).length;
  const viaDoor = r.events.filter((e) => e.throughFrontDoor).length;
  if (viaDoor) out.push(c.dim(`  ${viaDoor} event${viaDoor > 1 ? 's' : ''} compared as HTTP responses: the handler behind a Lambda proxy integration, the state machine behind its API Gateway front-door templates`));
  out.push(`${r.equivalent ? c.green('equivalent') : c.red('not equivalent')}: ${eq} of ${r.events.length} events with equal responses; tables ${r.tables.equal ? 'equal' : 'different'}; side effects ${r.sideEffects.equal ? 'equal' : 'different'}`);
  return out.join('\n') + '\n';
}

interface NamedEvent {
  name?: string;
  file?: string;
}

/**
 * An explicit events file names handler files relative to itself, as users expect. verifyCase reads them relative
 * to the case folder, so it gets a copy with absolute paths; a path that names no file is bad input.
 */
async function eventsRelativeToTheirFile(eventsArg: string, io: RunIO): Promise<{ path: string; events: NamedEvent[]; cleanup: () => Promise<void> }> {
  const eventsFile = resolve(io.cwd, eventsArg);
  let events: NamedEvent[];
  try {
    events = JSON.parse(await readFile(eventsFile, 'utf8')) as NamedEvent[];
  } catch (e) {
    throw new UsageError(`the events file ${eventsArg} cannot be read as JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(events)) throw new UsageError(`the events file ${eventsArg} must hold a list of events`);
  const absolute = events.map((e) => {
    if (!e || typeof e.file !== 'string') return e;
    const file = resolve(dirname(eventsFile), e.file);
    if (!existsSync(file)) throw new UsageError(`event ${JSON.stringify(e.name ?? '')} in ${eventsArg} names ${e.file}, which resolves to ${relative(io.cwd, file) || file} (relative to the events file): no such file`);
    return { ...e, file };
  });
  const dir = await mkdtemp(join(tmpdir(), 'lambda2sfn-events-'));
  const path = join(dir, 'events.json');
  await writeFile(path, JSON.stringify(absolute));
  return { path, events, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function runVerify(target: string, opts: VerifyCliOptions, io: RunIO): Promise<number> {
  const given = opts.events ? await eventsRelativeToTheirFile(opts.events, io) : undefined;
  let report: VerifyReport;
  try {
    report = await verifyCase(target, { cwd: io.cwd, events: given?.path, tables: opts.tables, env: opts.env, stubs: opts.stubs, exportName: opts.export, deps: opts.deps, routing: opts.routing, queryLanguage: opts.queryLanguage });
  } finally {
    await given?.cleanup();
  }
  // An event whose file holds no handler was named wrongly: bad input, not a difference.
  const unmatched = report.events.findIndex((e) => e.handler === null && e.reason === 'no handler found for this event');
  if (unmatched >= 0) {
    const e = given?.events[unmatched];
    throw new UsageError(`no handler found for event ${JSON.stringify(report.events[unmatched]!.name)}${e?.file ? `: ${e.file} (relative to ${opts.events}) has no handler${opts.export ? ` exported as ${opts.export}` : ''}` : ` in ${target}`}`);
  }
  io.stdout(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderVerifyText(report, opts.color ?? (io.isTTY && !io.env['NO_COLOR'])));
  return report.equivalent ? EXIT.ok : EXIT.failOn;
}
