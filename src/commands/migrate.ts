// `lambda2sfn migrate`: the interactive migration wizard. This module decides how questions are answered — the
// terminal, the defaults (--yes), or not at all (no terminal: the flags still needed end the run with exit 2) —
// and turns a cancellation into "nothing changed".
import { rmSync } from 'node:fs';
import type { RunIO } from './io.js';
import { EXIT } from '../errors.js';
import { defaultsPrompter, terminalPrompter, WizardCancelled, type Prompter } from '../wizard/prompter.js';
import { runWizard, type MigrateOptions } from '../wizard/runWizard.js';
import { verifyTempDirs } from '../wizard/verifyStep.js';

export interface MigrateCliOptions extends Omit<MigrateOptions, 'handlers'> {
  handlers?: string;
  color?: boolean;
  /** Tests answer the questions themselves. */
  prompter?: Prompter;
  /** Terminal columns (default: the terminal's, else 100). */
  width?: number;
}

/**
 * A run the user cancelled (Ctrl-C, SIGTERM) before anything was written ends as a run that did nothing it was
 * asked to: exit 2, within the product's exit codes (0–3), with one line on standard error.
 */
export const EXIT_CANCELLED = EXIT.usage;
const CANCELLED = 'cancelled: nothing was written';

export async function runMigrate(paths: string[], opts: MigrateCliOptions, io: RunIO, stdinIsTTY = Boolean(process.stdin.isTTY)): Promise<number> {
  const interactive = !opts.yes && !opts.prompter ? io.isTTY && stdinIsTTY && !io.env['CI'] : !opts.yes;
  const defaults = defaultsPrompter();
  const prompter = opts.prompter ?? (interactive ? terminalPrompter() : defaults);
  const width = opts.width ?? (process.stdout.columns || 100);
  const color = opts.color ?? (io.isTTY && !io.env['NO_COLOR']);
  const handlers = opts.handlers?.split(',').map((h) => h.trim()).filter(Boolean);
  // A signal before the writing starts ends the run at once: nothing was written yet; verify's temp files go.
  const onSignal = () => {
    for (const dir of verifyTempDirs) rmSync(dir, { recursive: true, force: true });
    // On a terminal the prompt's line is left unfinished: the message starts on a line of its own.
    io.stderr(`${io.isTTY ? '\n' : ''}${CANCELLED}\n`);
    process.exit(EXIT_CANCELLED);
  };
  const watch = !opts.prompter;
  const unwatch = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  if (watch) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  try {
    return await runWizard(paths, { ...opts, handlers }, { io, prompter, planOnly: !interactive && !opts.yes, unanswered: defaults.unanswered, color, width, onWriting: unwatch });
  } catch (e) {
    if (e instanceof WizardCancelled) {
      io.stderr(`${io.isTTY ? '\n' : ''}${CANCELLED}\n`);
      return EXIT_CANCELLED;
    }
    throw e;
  } finally {
    if (watch) unwatch();
  }
}
