// `lambda2sfn migrate`: scan, pick handlers, and for each one show its state machine, ask only what the scan could
// not know, show the resulting diff, optionally verify, then apply / write / skip. It drives the existing pipeline
// (scanProject, proposeFor, verifyCase, apply's writer); nothing is written before the last answer, and then
// everything at once through the atomic writer, so a cancelled run leaves the tree as it was.
import { existsSync, statSync } from 'node:fs';
import { posix, relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { RunIO } from '../commands/io.js';
import { assertCleanGitTree, keepLineEndings, writeChanges } from '../commands/apply.js';
import { proposalName } from '../commands/writeProposals.js';
import { loadConfig } from '../config/loadConfig.js';
import { EXIT, UsageError } from '../errors.js';
import { readInfrastructure } from '../infra/readInfrastructure.js';
import { relPath } from '../infra/paths.js';
import { buildDiff } from '../propose/buildDiff.js';
import { diskView, proposeFor, type IacChoice } from '../propose/proposeChanges.js';
import { baseName } from '../propose/proposeSam.js';
import type { FileChange, Proposal } from '../propose/types.js';
import { costBlock, usd } from '../render/costBlock.js';
import { colorDiff } from '../render/text.js';
import type { Finding } from '../report/types.js';
import type { QueryLanguageOption } from '../emit/chooseQueryLanguage.js';
import { scanProject, type ScanProgress } from '../scan/scanProject.js';
import { configChange, withHints, type TableHints } from './configHints.js';
import { drawStateMachine } from './drawGraph.js';
import { fit, handlerChoice, handlerKey, matchHandlers, orderFindings } from './handlerList.js';
import type { Prompter, Question } from './prompter.js';
import { summaryText, type Outcome } from './summary.js';
import { ATTRIBUTE_TYPES, parseTypesFlag, untypedAttributes } from './typeQuestions.js';
import { verifyStep } from './verifyOffer.js';

export interface MigrateOptions {
  handlers?: string[];
  /** `TABLE.attribute=TYPE,…` */
  types?: string;
  workflowType?: 'EXPRESS' | 'STANDARD';
  iac?: IacChoice;
  routing?: 'choice' | 'split';
  queryLanguage?: QueryLanguageOption;
  name?: string;
  verify?: boolean;
  write?: string;
  apply?: boolean;
  yes?: boolean;
  force?: boolean;
  config?: string;
}

export interface WizardContext {
  io: RunIO;
  prompter: Prompter;
  /** No terminal and no --yes: nothing is verified or written, and the flags still needed end the run (exit 2). */
  planOnly: boolean;
  /** The flags the prompter answered by default (planOnly runs). */
  unanswered?: string[];
  /** Called just before the files are written (the writer handles signals from then on). */
  onWriting?: () => void;
  color: boolean;
  width: number;
}

interface Plan {
  finding: Finding;
  proposal?: Proposal;
  hints: TableHints;
  outcome: Outcome;
}

export async function runWizard(paths: string[], opts: MigrateOptions, ctx: WizardContext): Promise<number> {
  const { io } = ctx;
  const c = pc.createColors(ctx.color);
  const say = (s = '') => io.stdout(s + '\n');
  if (opts.name && opts.handlers && opts.handlers.length !== 1) throw new UsageError('--name names one state machine: pass it with one --handlers entry');
  const flagTypes = opts.types !== undefined ? parseFlag(() => parseTypesFlag(opts.types!)) : undefined;

  // The configuration is loaded here, as scanProject would, so per-handler answers (attribute types) can be added to it.
  const single = paths.length === 1 ? resolve(io.cwd, paths[0]!) : undefined;
  const searchFrom = single && existsSync(single) && statSync(single).isDirectory() ? single : io.cwd;
  const loaded = await loadConfig({ cwd: searchFrom, configPath: opts.config && resolve(io.cwd, opts.config), invokedFrom: io.cwd });

  const report = await scanProject(paths, { cwd: io.cwd, config: loaded.config, routing: opts.routing, queryLanguage: opts.queryLanguage, onProgress: progressLine(io) });
  if (io.isTTY) io.stderr('\r\u001b[K');
  const root = report.root;
  say(`Scanned ${report.summary.filesScanned} file${report.summary.filesScanned === 1 ? '' : 's'} under ${root}: ${report.summary.handlers} handler${report.summary.handlers === 1 ? '' : 's'} (${report.summary.full} full, ${report.summary.partial} partial, ${report.summary.none} none)`);
  for (const e of report.errors) say(c.yellow(`  could not read ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`));
  if (!opts.force) assertCleanGitTree(root);
  const model = await readInfrastructure(root);
  if (model.errors.length) throw new UsageError(`an infrastructure file does not parse: ${model.errors.map((e) => `${relPath(root, e.absFile)}${e.line ? `:${e.line}` : ''}: ${e.message}`).join('; ')}`);

  const ordered = orderFindings(report.findings);
  const convertible = ordered.filter((f) => f.convertible !== 'none' && f.stateMachine);
  if (convertible.length === 0) {
    say('Nothing to migrate: no handler has a proposed state machine.');
    return EXIT.ok;
  }
  let picked: string[];
  if (opts.handlers) {
    const m = matchHandlers(ordered, opts.handlers);
    if (m.unknown.length) throw new UsageError(`--handlers: no handler matches ${m.unknown.join(', ')} (use file#export, a file, or an id from scan --format json)`);
    const notConvertible = ordered.filter((f) => m.ids.includes(f.id) && !convertible.includes(f));
    if (notConvertible.length) throw new UsageError(`--handlers: ${notConvertible.map((f) => `${handlerKey(f)} (${f.convertible}: ${f.reason})`).join('; ')} has no proposal`);
    picked = m.ids;
  } else {
    picked = await ctx.prompter.checkbox({ ...q('handlers', '--handlers FILE#EXPORT,…', 'Which handlers do you want to migrate?'), choices: ordered.map((f) => handlerChoice(f, ctx.width - 6)) });
  }
  if (picked.length === 0) {
    say('No handler picked: nothing to do.');
    return EXIT.ok;
  }

  const disk = diskView(root);
  const overlay = new Map<string, string | null>();
  const view = (p: string) => (overlay.has(p) ? overlay.get(p)! : disk(p));
  const allHints: TableHints = {};
  const plans: Plan[] = [];
  let writeDir = opts.write;
  for (const id of ordered.map((f) => f.id).filter((x) => picked.includes(x))) {
    const first = ordered.find((f) => f.id === id)!;
    say('');
    say(c.bold(`━━ ${handlerKey(first)} (${first.convertible}) ━━`));
    say(await drawStateMachine(first.stateMachine!.definition, { width: ctx.width, color: ctx.color }));
    describeFinding(first, say, c, ctx.width);

    // Questions that change the state machine itself: each answer scans the handler again with it.
    const untyped = first.stateMachine!.queryLanguage === 'JSONPath' ? untypedAttributes(first.stateMachine!.definition, first.stateMachine!.substitutions) : [];
    const hints: TableHints = {};
    for (const u of untyped) {
      const given = flagTypes?.[u.table]?.[u.attribute];
      const answer = given ?? (flagTypes ? 'auto' : await ctx.prompter.select({
        ...q(`types:${u.table}.${u.attribute}`, '--types TABLE.ATTR=TYPE,…', `Attribute ${u.attribute} of ${u.table} (written by "${u.state}") has no type in the code. Its DynamoDB type?`),
        choices: [
          { value: 'auto', name: 'typed when the machine runs (string → S, number → N, boolean → BOOL; anything else fails the execution)' },
          ...ATTRIBUTE_TYPES.map((t) => ({ value: t as string, name: t })),
        ],
        default: 'auto',
      }));
      if (answer !== 'auto') (hints[u.table] ??= {})[u.attribute] = answer;
    }
    const routing = first.routes && first.routes.length > 1 && !opts.routing
      ? await ctx.prompter.select<'choice' | 'split'>({
          ...q('routing', '--routing choice|split', `${first.routes.length} routes: one state machine with a Choice, or one per route (API Gateway selects it)?`),
          choices: [{ value: 'choice', name: 'choice: one state machine' }, { value: 'split', name: 'split: one state machine per route' }],
          default: 'choice',
        })
      : opts.routing;
    const queryLanguage = opts.queryLanguage ?? (await ctx.prompter.select<QueryLanguageOption>({
      ...q('queryLanguage', '--query-language auto|jsonpath|jsonata', 'Query language of the state machine?'),
      choices: [
        { value: 'auto', name: `auto: ${first.stateMachine!.queryLanguage}`, description: first.stateMachine!.queryLanguageReason },
        { value: 'jsonpath', name: 'JSONPath' },
        { value: 'jsonata', name: 'JSONata' },
      ],
      default: 'auto',
    }));
    let f = first;
    if (Object.keys(hints).length || (routing ?? 'choice') !== (opts.routing ?? 'choice') || queryLanguage !== (opts.queryLanguage ?? 'auto')) {
      const again = await scanProject(paths, { cwd: io.cwd, config: withHints(withHints(loaded.config, allHints), hints), routing, queryLanguage });
      f = again.findings.find((x) => x.file === first.file && x.export === first.export) ?? first;
      if (!f.stateMachine || f.convertible === 'none') {
        say(c.red(`With these answers ${handlerKey(f)} no longer converts: ${f.reason}. Skipped.`));
        plans.push({ finding: f, hints: {}, outcome: { handler: handlerKey(f), action: 'skipped', iac: 'none' } });
        continue;
      }
      const left = untypedAttributes(f.stateMachine.definition, f.stateMachine.substitutions).filter((u) => hints[u.table]?.[u.attribute]);
      for (const u of left) say(c.yellow(`  the type given for ${u.table}.${u.attribute} did not reach the state machine: it is still typed when it runs`));
      if (Object.keys(hints).length) say(c.dim(`  attribute types given: ${Object.entries(hints).flatMap(([t, a]) => Object.entries(a).map(([k, v]) => `${t}.${k}=${v}`)).join(', ')} (into the state machine and the configuration's tables)`));
    }

    if (f.routeMachines?.length) {
      for (const r of f.routeMachines) {
        say(c.bold(`route ${r.route}${r.match ? ` (${r.match.field} = ${r.match.values.join(' or ')})` : ' (the catch-all route)'}:`));
        say(await drawStateMachine(r.stateMachine.definition, { width: ctx.width, color: ctx.color }));
      }
      say(c.yellow(`Skipped: the proposals (diff, apply, write) are built for one state machine per handler; answer "choice" to migrate ${handlerKey(f)}.`));
      plans.push({ finding: f, hints: {}, outcome: { handler: handlerKey(f), action: 'skipped', iac: 'none' } });
      continue;
    }

    // Questions about the deployment.
    const advice = f.workflowType;
    const cost = f.savings.cost;
    const workflowType = opts.workflowType ?? (advice?.required
      ? (say(c.dim(`  workflow type ${advice.recommended}: ${advice.reasons[0] ?? ''}`)), advice.recommended)
      : await ctx.prompter.select<'EXPRESS' | 'STANDARD'>({
          ...q('workflowType', '--workflow-type EXPRESS|STANDARD', `Workflow type?${advice ? ` (recommended: ${advice.recommended})` : ''}`),
          choices: [
            { value: 'EXPRESS', name: `EXPRESS${cost ? ` — ${usd(cost.expressMonthlyUsd)}/month` : ''}`, description: advice?.reasons.join('\n') },
            { value: 'STANDARD', name: `STANDARD${cost ? ` — ${usd(cost.standardMonthlyUsd)}/month` : ''}`, description: advice?.reasons.join('\n') },
          ],
          default: advice?.recommended ?? 'EXPRESS',
        }));
    if (opts.workflowType && advice?.required && opts.workflowType !== advice.recommended) throw new UsageError(`--workflow-type ${opts.workflowType}: ${handlerKey(f)} needs ${advice.recommended} (${advice.reasons[0] ?? ''})`);
    const detected = f.deployment?.iac;
    const iac = opts.iac ?? (await ctx.prompter.select<IacChoice>({
      ...q('iac', '--iac auto|sam|serverless|cdk|none', 'Infrastructure to change?'),
      choices: [
        { value: 'auto', name: detected ? `${detected} (${f.deployment!.file}, ${f.deployment!.resource})` : 'none found: only the state machine definition' },
        { value: 'none', name: 'none: only the state machine definition, the handler stays' },
      ],
      default: 'auto',
    }));
    const defaultName = f.deployment ? baseName(f.deployment.resource) : pascal(proposalName(f));
    const name = opts.name ?? (await ctx.prompter.input({
      ...q('name', '--name NAME', 'State machine name (base of the new resources)?'),
      default: defaultName,
      validate: (v) => /^[A-Za-z][A-Za-z0-9]*$/.test(v) || 'letters and digits, starting with a letter',
    }));

    const proposal = await proposeFor(f, model, root, view, iac, { workflowType, name: name === defaultName ? undefined : name });
    if (!proposal) continue;
    const config = configChange(root, loaded.filepath, { ...mergeHints(allHints, hints) }, view);
    const shown = [...proposal.changes, ...(config.change ? [config.change] : [])];
    say('');
    say(colorDiff(buildDiff(shown).replace(/\n$/, ''), c));
    for (const n of proposal.notes) say(c.dim(`note: ${n}`));
    if (config.note) say(c.yellow(`note: ${config.note}`));
    for (const k of proposal.conflicts) say(c.red(`conflict: ${k}`));

    // The optional proof, on the case folder's recorded events, else on events generated from the routes.
    const proof = await verifyStep({ root, f, opts, ctx, say, c });
    const events = proof.events;
    const verified = proof.verified;

    const applicable = f.convertible === 'full' && proposal.conflicts.length === 0;
    const action = opts.apply && applicable ? 'apply' : opts.write ? 'write' : opts.apply ? 'skip' : await ctx.prompter.select<'apply' | 'write' | 'skip'>({
      ...q('action', '--apply or --write DIR', `${handlerKey(f)}: apply this change, write it to a folder, or skip it?`),
      choices: [
        { value: 'apply', name: 'apply it to the repository', disabled: applicable ? false : f.convertible !== 'full' ? 'only full conversions are applied' : 'it has conflicts' },
        { value: 'write', name: 'write it to a folder (the repository is not touched)' },
        { value: 'skip', name: 'skip it' },
      ],
      default: applicable ? 'apply' : 'write',
    });
    if (opts.apply && !applicable) say(c.yellow(`  not applied: ${f.convertible !== 'full' ? 'only full conversions are applied' : 'it has conflicts'}`));
    const outcome: Outcome = { handler: handlerKey(f), action: 'skipped', iac: proposal.iac, workflowType, verified, caseDir: events && !proof.generated ? relative(io.cwd, events.caseDir) || '.' : undefined };
    if (action === 'apply') {
      for (const ch of shown) overlay.set(ch.path, ch.after);
      Object.assign(allHints, mergeHints(allHints, hints));
      outcome.action = 'applied';
    } else if (action === 'write') {
      writeDir ??= await ctx.prompter.input({ ...q('write', '--write DIR', 'Folder to write the proposals to?'), default: 'lambda2sfn-proposals' });
      outcome.action = 'written';
      outcome.folder = posix.join(writeDir, proposalName(f));
    }
    plans.push({ finding: f, proposal, hints, outcome });
  }

  if (ctx.planOnly && ctx.unanswered?.length) {
    io.stderr(`lambda2sfn: migrate needs a terminal to ask, or these flags (or --yes for the defaults): ${ctx.unanswered.join(', ')}\n`);
    return EXIT.usage;
  }
  const changes: FileChange[] = [...overlay.entries()].map(([path, after]) => ({ path, before: disk(path), after })).filter((x) => x.before !== x.after).sort((a, b) => a.path.localeCompare(b.path));
  const folderFiles = plans.filter((p) => p.outcome.action === 'written' && p.proposal).flatMap((p) => proposalFolderFiles(p, resolve(io.cwd, writeDir!), root));
  for (const ch of changes) if (disk(ch.path) !== ch.before) throw new UsageError(`nothing applied: ${ch.path} changed while migrate was running`);
  ctx.onWriting?.();
  // The repository's files keep their line endings; the proposal folder's (patches among them) are written as built.
  const kept = changes.map((c) => ({ ...c, after: keepLineEndings(c.before, c.after) }));
  await writeChanges(root, [...kept, ...folderFiles], { alsoInside: writeDir ? [resolve(io.cwd, writeDir)] : [], keepEndings: false });
  say(summaryText(plans.map((p) => p.outcome), changes, writeDir));
  return EXIT.ok;
}

/** What a finding's proposal folder holds, as `scan --write` lays it out, as changes under the root. */
function proposalFolderFiles(p: Plan, dir: string, root: string): FileChange[] {
  const name = proposalName(p.finding);
  const at = (file: string, text: string): FileChange => {
    const path = relative(root, resolve(dir, name, file)).split('\\').join('/');
    return { path, before: diskView(root)(path), after: text };
  };
  const prop = p.proposal!;
  return [
    at(`${name}.asl.json`, JSON.stringify(p.finding.stateMachine!.definition, null, 2) + '\n'),
    at(`${name}.diff`, buildDiff(prop.changes)),
    ...(prop.snippet ? [at(prop.snippet.language === 'yaml' ? 'infrastructure.yaml' : 'infrastructure.ts', prop.snippet.text)] : []),
    at('NOTES.md', [`# ${p.finding.file} (${p.finding.export}): ${p.finding.convertible}`, '', `Apply the patch from the scan root with \`git apply ${name}.diff\`.`, '', ...prop.notes.map((n) => `- ${n}`), ...prop.conflicts.map((n) => `- conflict: ${n}`), ''].join('\n')),
  ];
}

function describeFinding(f: Finding, say: (s?: string) => void, c: ReturnType<typeof pc.createColors>, width: number): void {
  const l = f.savings.lines;
  say(`${f.reason}`);
  say(`lines: ${l.removed} handler line${l.removed === 1 ? '' : 's'} removed (of ${l.handler}), ${l.asl} ASL lines added`);
  if (f.savings.cost) {
    const b = costBlock(f.savings.cost);
    say(fit(b.headline, width));
    say(c.dim(fit(b.verdict, width)));
  }
  for (const b of f.blockers) say(c.red(fit(`blocker line ${b.line}: ${b.message}`, width)));
  for (const a of f.assumptions) say(c.dim(fit(`assumes${a.line ? ` (line ${a.line})` : ''}: ${a.message}`, width)));
}

function progressLine(io: RunIO): ((p: ScanProgress) => void) | undefined {
  if (!io.isTTY) return undefined;
  let last = '';
  return (p) => {
    const text = `scanning: ${p.filesRead}/${p.files} files read${p.candidates !== undefined ? `, ${p.candidates} candidates` : ''}, ${p.handlers} handlers`;
    if (text !== last) io.stderr(`\r${text}\u001b[K`);
    last = text;
  };
}

const q = (id: string, flag: string, message: string): Question => ({ id, flag, message });

function mergeHints(a: TableHints, b: TableHints): TableHints {
  const out: TableHints = structuredClone(a);
  for (const [t, attrs] of Object.entries(b)) out[t] = { ...(out[t] ?? {}), ...attrs };
  return out;
}

const pascal = (kebabName: string) => kebabName.split('-').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

function parseFlag<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
