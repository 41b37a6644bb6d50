// `lambda2sfn apply`: apply the proposals of `full` findings to the repository.
// Safety: refuses a dirty git tree unless --force; builds every change in memory first and writes
// nothing when any proposal has a conflict or an infrastructure file does not parse; writes each file atomically
// (temp file + rename); never deletes a file another module imports; a second run finds nothing left to do.
import { execFileSync } from 'node:child_process';

import { existsSync, realpathSync, statSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { RunIO } from './io.js';
import { EXIT, UsageError } from '../errors.js';
import { readInfrastructure } from '../infra/readInfrastructure.js';
import { relPath } from '../infra/paths.js';
import { buildDiff } from '../propose/buildDiff.js';
import { diskView, proposeFor, type IacChoice } from '../propose/proposeChanges.js';
import type { FileChange } from '../propose/types.js';
import { scanProject } from '../scan/scanProject.js';

export interface ApplyCliOptions {
  only?: string[];
  yes?: boolean;
  force?: boolean;
  config?: string;
  iac?: IacChoice;
  /** Asks the user on a terminal; tests pass their own. */
  confirm?: (question: string) => Promise<boolean>;
}

export async function runApply(paths: string[], opts: ApplyCliOptions, io: RunIO): Promise<number> {
  const report = await scanProject(paths, { cwd: io.cwd, configPath: opts.config });
  const root = report.root;
  if (!opts.force) assertCleanGitTree(root);

  const model = await readInfrastructure(root);
  if (model.errors.length) {
    throw new UsageError(`nothing applied: ${model.errors.map((e) => `${relPath(root, e.absFile)}${e.line ? `:${e.line}` : ''}: ${e.message}`).join('; ')}`);
  }
  const only = opts.only ? new Set(opts.only) : undefined;
  if (only) {
    for (const id of only) {
      const f = report.findings.find((x) => x.id === id);
      if (!f) throw new UsageError(`no finding has the id ${id} (ids are listed by scan --format json)`);
      if (f.convertible !== 'full') throw new UsageError(`finding ${id} (${f.file} ${f.export}) is ${f.convertible}: only full findings are applied`);
    }
  }
  const selected = report.findings.filter((f) => f.convertible === 'full' && f.stateMachine && (!only || only.has(f.id)));

  // Every change in memory first, each proposal built on the previous ones.
  const disk = diskView(root);
  const overlay = new Map<string, string | null>();
  const view = (p: string) => (overlay.has(p) ? overlay.get(p)! : disk(p));
  const conflicts: string[] = [];
  const notes: string[] = [];
  for (const f of selected) {
    const p = await proposeFor(f, model, root, view, opts.iac);
    if (!p) continue;
    if (p.conflicts.length) conflicts.push(...p.conflicts.map((c) => `${f.file} (${f.export}): ${c}`));
    notes.push(...p.notes.map((n) => `${f.file} (${f.export}): ${n}`));
    for (const c of p.changes) overlay.set(c.path, c.after);
  }
  if (conflicts.length) throw new UsageError(`nothing applied, because:\n  - ${conflicts.join('\n  - ')}`);

  const changes: FileChange[] = [...overlay.entries()]
    .map(([path, after]) => ({ path, before: disk(path), after: keepLineEndings(disk(path), after) }))
    .filter((c) => c.before !== c.after)
    .sort((a, b) => a.path.localeCompare(b.path));
  assertInsideRoot(root, changes);
  if (changes.length === 0) {
    io.stdout('lambda2sfn: nothing to apply (no full finding has a change left to make)\n');
    return EXIT.ok;
  }

  if (!opts.yes) {
    if (!io.isTTY && !opts.confirm) throw new UsageError('apply changes files: pass --yes to apply without a terminal to confirm on');
    io.stdout(buildDiff(changes));
    for (const n of notes) io.stdout(`note: ${n}\n`);
    const ok = await (opts.confirm ?? askOnTerminal)(`Apply these changes to ${changes.length} file${changes.length === 1 ? '' : 's'}? [y/N] `);
    if (!ok) {
      io.stdout('lambda2sfn: nothing applied\n');
      return EXIT.ok;
    }
  }

  // The files must still be what the proposals were built from.
  for (const c of changes) {
    if (disk(c.path) !== c.before) throw new UsageError(`nothing applied: ${c.path} changed while apply was running`);
  }
  await writeChanges(root, changes);
  for (const c of changes) io.stdout(`${c.before === null ? 'added' : c.after === null ? 'deleted' : 'changed'} ${c.path}\n`);
  for (const n of notes) io.stdout(`note: ${n}\n`);
  return EXIT.ok;
}

/**
 * Writes every change, each file atomically (temp file in the same folder, then rename; the original's mode kept).
 * Every path must stay inside the root, symlinks resolved, or nothing is written. Should one write fail, or
 * SIGINT/SIGTERM arrive meanwhile (they wait for the file being written), the files already written get their
 * content and mode back and the error says so; no temp file is left behind.
 */
export async function writeChanges(root: string, changes: FileChange[], opts: { alsoInside?: string[]; keepEndings?: boolean } = {}): Promise<void> {
  assertInsideRoot(root, changes, opts.alsoInside);
  if (opts.keepEndings !== false) changes = changes.map((c) => ({ ...c, after: keepLineEndings(c.before, c.after) }));
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => (signalled ??= s);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const modes = new Map(changes.map((c) => [c.path, modeOf(resolve(root, c.path))]));
  const writer = new AtomicWriter(() => signalled);
  const done: FileChange[] = [];
  try {
    for (const c of changes) {
      if (signalled) throw new Error(`interrupted by ${signalled}`);
      await writer.write(resolve(root, c.path), c.after, modes.get(c.path));
      done.push(c);
    }
    if (signalled) throw new Error(`interrupted by ${signalled}`);
  } catch (e) {
    for (const c of done.reverse()) await writer.write(resolve(root, c.path), c.before, modes.get(c.path), false).catch(() => undefined);
    throw new UsageError(`nothing applied: writing failed (${(e as Error).message}); the files already written were restored`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Refuses a change whose path leaves the root (or the other folders the caller writes into, `alsoInside`): `..`,
 * an absolute path, or a folder that is a symlink to elsewhere. Paths are relative to the root.
 */
export function assertInsideRoot(root: string, changes: Pick<FileChange, 'path'>[], alsoInside: string[] = []): void {
  const inside = (base: string, p: string) => {
    const rel = relative(base, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const bases = [root, ...alsoInside].map((b) => resolve(root, b));
  // A folder still to be created is where its nearest existing ancestor really is, plus the rest of its path.
  const realOf = (b: string) => {
    let d = b;
    const tail: string[] = [];
    while (!existsSync(d) && dirname(d) !== d) { tail.unshift(basename(d)); d = dirname(d); }
    return join(realpathSync(d), ...tail);
  };
  const realBases = bases.map(realOf);
  for (const c of changes) {
    const abs = resolve(root, c.path);
    const base = bases.findIndex((b) => inside(b, abs));
    if ((isAbsolute(c.path) && alsoInside.length === 0) || base < 0) throw new UsageError(`nothing applied: ${c.path} is outside ${root}; a path in the infrastructure escapes the repository`);
    // The nearest folder that exists, symlinks resolved, must be inside it too.
    let dir = dirname(abs);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    const realDir = realpathSync(dir);
    // Above a target folder that does not exist yet, everything below is created by the writer itself.
    const createsBase = !existsSync(bases[base]!) && !relative(dir, bases[base]!).startsWith('..');
    if (realDir !== realBases[base] && !inside(realBases[base]!, realDir) && !createsBase) throw new UsageError(`nothing applied: ${c.path} is outside ${bases[base]}: ${relative(root, dir) || '.'} leads to ${realDir}`);
  }
}

/** The edited file keeps its line endings (CRLF stays CRLF) and whether it ends with a newline. */
export function keepLineEndings(before: string | null, after: string | null): string | null {
  if (before === null || after === null || before === after) return after;
  const crlf = (before.match(/\r\n/g) ?? []).length;
  const lf = (before.match(/\n/g) ?? []).length;
  let out = crlf > 0 && crlf * 2 >= lf ? after.replace(/\r?\n/g, '\r\n') : after;
  const eol = out.includes('\r\n') ? '\r\n' : '\n';
  const endsWithNewline = /\n$/.test(before);
  if (endsWithNewline && !/\n$/.test(out)) out += eol;
  if (!endsWithNewline && before.length > 0) out = out.replace(/\r?\n$/, '');
  return out;
}

function modeOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * One file at a time: write a temp file beside the target, flush it, rename it over the target. For tests only,
 * LAMBDA2SFN_TEST_PAUSE_BEFORE_RENAME=N stops before the Nth rename until a signal arrives, so a test can
 * interrupt apply at each write.
 */
class AtomicWriter {
  private renames = 0;
  private readonly pauseAt = Number(process.env['LAMBDA2SFN_TEST_PAUSE_BEFORE_RENAME'] ?? 0);

  constructor(private readonly signalled: () => NodeJS.Signals | undefined) {}

  async write(file: string, content: string | null, mode: number | undefined, pausable = true): Promise<void> {
    if (content === null) {
      await unlink(file).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      return;
    }
    await mkdir(dirname(file), { recursive: true });
    const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${Date.now()}.lambda2sfn.tmp`);
    try {
      const handle = await open(temp, 'wx', mode ?? 0o644);
      try {
        await handle.writeFile(content, 'utf8');
        // The mode given to open is masked by the umask: set the original's exactly.
        if (mode !== undefined) await handle.chmod(mode);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (pausable && ++this.renames === this.pauseAt) await this.pauseForTest();
      await rename(temp, file);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
  }

  private async pauseForTest(): Promise<void> {
    process.stderr.write(`lambda2sfn: test hook: paused before rename ${this.renames}\n`);
    for (let waited = 0; !this.signalled() && waited < 60_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  }
}

export function assertCleanGitTree(root: string): void {
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new UsageError(`${root} is not in a git repository, so apply cannot tell whether its changes could be undone: commit the project to git, or pass --force`);
  }
  if (status.trim()) {
    const files = status.trim().split('\n').slice(0, 5).map((l) => l.slice(3));
    throw new UsageError(`the git tree has uncommitted changes (${files.join(', ')}${status.trim().split('\n').length > 5 ? ', …' : ''}): commit or stash them, or pass --force`);
  }
}

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

