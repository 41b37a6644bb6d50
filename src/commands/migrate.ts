// `lambda2sfn migrate`: the interactive migration wizard. This module decides how questions are answered — the
// terminal, the defaults (--yes), or not at all (no terminal: the flags still needed end the run with exit 2) —
// and turns a cancellation into "nothing changed".
import type { RunIO } from '../cli.js';
import { EXIT } from '../errors.js';
import { defaultsPrompter, terminalPrompter, WizardCancelled, type Prompter } from '../wizard/prompter.js';
import { runWizard, type MigrateOptions } from '../wizard/runWizard.js';

export interface MigrateCliOptions extends Omit<MigrateOptions, 'handlers'> {
  handlers?: string;
  color?: boolean;
  /** Tests answer the questions themselves. */
  prompter?: Prompter;
  /** Terminal columns (default: the terminal's, else 100). */
  width?: number;
}

/** Exit code of a run the user cancelled (Ctrl-C): 128 + SIGINT, as shells report it. */
export const EXIT_CANCELLED = 130;

export async function runMigrate(paths: string[], opts: MigrateCliOptions, io: RunIO, stdinIsTTY = Boolean(process.stdin.isTTY)): Promise<number> {
  const interactive = !opts.yes && !opts.prompter ? io.isTTY && stdinIsTTY && !io.env['CI'] : !opts.yes;
  const defaults = defaultsPrompter();
  const prompter = opts.prompter ?? (interactive ? terminalPrompter() : defaults);
  const width = opts.width ?? (process.stdout.columns || 100);
  const color = opts.color ?? (io.isTTY && !io.env['NO_COLOR']);
  const handlers = opts.handlers?.split(',').map((h) => h.trim()).filter(Boolean);
  try {
    return await runWizard(paths, { ...opts, handlers }, { io, prompter, planOnly: !interactive && !opts.yes, unanswered: defaults.unanswered, color, width });
  } catch (e) {
    if (e instanceof WizardCancelled) {
      io.stdout('\nlambda2sfn: cancelled; nothing was changed\n');
      return EXIT_CANCELLED;
    }
    throw e;
  }
}
