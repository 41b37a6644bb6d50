// The wizard's verify step: offered on the case folder's recorded events when there are some, else on events
// generated from the handler's routes and the request fields its machine reads (shown, and editable in $EDITOR
// before they run), with a table seed. The result is shown per event; verify failing to run is reported, never
// the end of the wizard.
import { relative } from 'node:path';
import type pc from 'picocolors';
import { UsageError } from '../errors.js';
import type { Finding } from '../report/types.js';
import type { WizardContext, MigrateOptions } from './runWizard.js';
import { generateCase, type GeneratedCase } from './generatedEvents.js';
import { fit, handlerKey } from './handlerList.js';
import { findCaseEvents, generatedCaseEvents, verifyProposal, type CaseEvents } from './verifyStep.js';

interface StepInput {
  root: string;
  f: Finding;
  opts: MigrateOptions;
  ctx: WizardContext;
  say: (s?: string) => void;
  c: ReturnType<typeof pc.createColors>;
}

export interface StepResult {
  events?: CaseEvents;
  verified: boolean;
  /** The events were generated, not recorded (so there is no case folder to verify again). */
  generated: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function verifyStep({ root, f, opts, ctx, say, c }: StepInput): Promise<StepResult> {
  const recorded = findCaseEvents(root, f);
  if (recorded) {
    const run = opts.verify ?? (await ctx.prompter.confirm({ id: 'verify', flag: '--verify / --no-verify', message: `Verify on the ${plural(recorded.events.length, 'recorded event')} of ${relative(root, recorded.caseDir) || '.'}/events.json?`, default: true }));
    if (!run || (ctx.planOnly && opts.verify !== true)) return { events: recorded, verified: false, generated: false };
    return { events: recorded, verified: await runAndShow(root, f, recorded, say, c, ctx.width), generated: false };
  }
  const generated = generateCase({ eventSource: f.eventSource, definition: f.stateMachine!.definition, substitutions: f.stateMachine!.substitutions, routes: f.deployment?.routes });
  if ('why' in generated) {
    if (opts.verify) say(c.dim(`  no recorded events for ${handlerKey(f)} (events.json beside the handler or above it), and none generated: ${generated.why}; not verified`));
    return { verified: false, generated: false };
  }
  const routes = new Set(generated.events.map((e) => e.name.split(' ').slice(0, 2).join(' '))).size;
  // Generated events rest on guesses (values, the item being there): offered, not run by default.
  if (opts.verify === undefined) for (const l of wrap(`No events.json names ${handlerKey(f)}: events are generated from its ${routes === 1 ? 'route' : 'routes'} and the fields the machine reads.`, ctx.width)) say(c.dim(l));
  const run = opts.verify ?? (await ctx.prompter.confirm({ id: 'verify', flag: '--verify / --no-verify', message: `Verify on ${plural(generated.events.length, 'generated event')}?`, default: false }));
  if (!run || (ctx.planOnly && opts.verify !== true)) return { verified: false, generated: true };

  let current: GeneratedCase = generated;
  // With --verify (no terminal to ask on) the generated events run as they are.
  for (let asking = opts.verify === undefined; asking; ) {
    showCase(current, say, c, ctx.width);
    const next = await ctx.prompter.select<'run' | 'edit' | 'skip'>({
      id: 'generatedEvents',
      flag: '--verify',
      message: 'Run verify on these events and this table seed?',
      choices: [
        { value: 'run', name: 'run verify on them' },
        { value: 'edit', name: 'edit them in $EDITOR first (JSON: events and tables)' },
        { value: 'skip', name: 'do not verify' },
      ],
      default: 'run',
    });
    if (next === 'skip') return { verified: false, generated: true };
    if (next === 'run') break;
    const text = await ctx.prompter.editor({
      id: 'editEvents',
      flag: '--verify',
      message: 'Edit the events and the table seed',
      default: JSON.stringify({ events: current.events, tables: current.tables }, null, 2) + '\n',
      postfix: '.json',
      validate: (v) => checkEdited(v) ?? true,
    });
    const edited = JSON.parse(text) as Pick<GeneratedCase, 'events' | 'tables'>;
    current = { ...current, events: edited.events, tables: edited.tables };
  }
  if (opts.verify !== undefined) showCase(current, say, c, ctx.width);
  const events = generatedCaseEvents(root, f, current);
  return { events, verified: await runAndShow(root, f, events, say, c, ctx.width), generated: true };
}

/** Words to lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && [...line].length + 1 + [...w].length > width) lines.push(line), (line = w);
    else line = line ? `${line} ${w}` : w;
  }
  return line ? [...lines, line] : lines;
}

/** Why an edited case cannot run (undefined when it can). */
export function checkEdited(text: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  const o = v as { events?: unknown; tables?: unknown } | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.events) || !Array.isArray(o.tables)) return 'expected {"events": [...], "tables": [...]}';
  if (o.events.length === 0) return 'no events left';
  const bad = (o.events as unknown[]).findIndex((e) => !e || typeof e !== 'object' || typeof (e as { name?: unknown }).name !== 'string' || !(e as { event?: unknown }).event || typeof (e as { event?: unknown }).event !== 'object');
  if (bad >= 0) return `event ${bad + 1}: expected {"name": "...", "event": {...}}`;
  return undefined;
}

/** The generated events in short (what the request carries) and the seed, one line each. */
function showCase(g: GeneratedCase, say: (s?: string) => void, c: ReturnType<typeof pc.createColors>, width: number): void {
  say(c.bold('Generated events') + c.dim(' (each a complete API Gateway proxy event; "edit" shows every field):'));
  for (const { name, event } of g.events) {
    say(fit(`  ${name}`, width));
    const parts = ['pathParameters', 'queryStringParameters', 'body'].filter((k) => k in event).map((k) => `${k} ${JSON.stringify(event[k])}`);
    say(c.dim(fit(`    ${parts.join(' · ')}`, width)));
  }
  say(c.bold('Table seed:'));
  for (const t of g.tables) {
    const key = t.KeySchema.map((k) => `${k.AttributeName} ${t.AttributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ?? ''}`).join(', ');
    say(fit(`  ${t.TableName} (key ${key}): ${t.items.length ? t.items.map((i) => JSON.stringify(i)).join(', ') : 'empty'}`, width));
  }
}

async function runAndShow(root: string, f: Finding, events: CaseEvents, say: (s?: string) => void, c: ReturnType<typeof pc.createColors>, width: number): Promise<boolean> {
  let r;
  try {
    r = await verifyProposal(root, f, events);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(c.yellow(`  could not verify: ${e.message}`));
    return false;
  }
  for (const e of r.events) say(`  ${e.equal ? c.green('equal    ') : c.red('DIFFERENT')} ${e.name}${e.reason ? c.dim(` (${e.reason})`) : ''}`);
  if (r.variants.length) {
    // A stated difference comes only from a value the proposal says it takes as given (an attribute of another type).
    const stated = r.variants.filter((v) => v.stated !== undefined);
    const differ = r.variants.filter((v) => v.stated === undefined && !(v.equal && v.tables.equal && v.sideEffects.equal));
    const equal = r.variants.length - stated.length - differ.length;
    say(`  ${plural(r.variants.length, 'variant')} derived from them: ${equal} equal${differ.length ? `, ${c.red(`${differ.length} different`)}` : ''}${stated.length ? `, ${stated.length} different only where the proposal states an assumption` : ''}`);
    for (const v of [...differ.slice(0, 5), ...stated.slice(0, 3)]) {
      const label = v.stated !== undefined ? 'stated   ' : 'DIFFERENT';
      say(fit(`    ${label} ${v.name}`, width).replace(label, v.stated !== undefined ? c.yellow(label) : c.red(label)));
    }
    if (differ.length > 5 || stated.length > 3) say(c.dim(`    … lambda2sfn verify --format json shows them all`));
  }
  say(`  ${r.equivalent ? c.green('equivalent') : c.red('not equivalent')}: tables ${r.tables.equal ? 'equal' : 'different'}; side effects ${r.sideEffects.equal ? 'equal' : 'different'}`);
  return r.equivalent;
}
