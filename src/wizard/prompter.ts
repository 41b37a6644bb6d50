// The questions the wizard asks, behind one small interface: the terminal (@inquirer/prompts, loaded only when a
// question is asked) in a real run, scripted answers in tests. Every question has an id, which is also how a
// non-interactive run names the flag that answers it.

export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
  checked?: boolean;
  /** Shown greyed and not selectable; a string says why. */
  disabled?: boolean | string;
}

export interface Question {
  /** Stable id, e.g. `handlers`, `types`, `workflowType`, `action` (tests answer by it). */
  id: string;
  /** The flag that answers this question without a terminal. */
  flag: string;
  message: string;
}

export interface Prompter {
  checkbox<T>(q: Question & { choices: Array<Choice<T>> }): Promise<T[]>;
  select<T>(q: Question & { choices: Array<Choice<T>>; default?: T }): Promise<T>;
  input(q: Question & { default: string; validate?: (v: string) => true | string }): Promise<string>;
  confirm(q: Question & { default: boolean }): Promise<boolean>;
  /** Opens $EDITOR (else VISUAL, else vi / notepad) on the default text; the saved text is the answer. */
  editor(q: Question & { default: string; postfix?: string; validate?: (v: string) => true | string }): Promise<string>;
}

/** The user ended the wizard (Ctrl-C, or the terminal went away) before anything was written. */
export class WizardCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Prompts on the process's terminal. */
export function terminalPrompter(): Prompter {
  const load = () => import('@inquirer/prompts');
  // Ctrl-C inside a prompt rejects with ExitPromptError: one cancellation for the wizard to handle.
  const ask = async <R>(p: Promise<R>): Promise<R> => {
    try {
      return await p;
    } catch (e) {
      if ((e as Error).name === 'ExitPromptError' || (e as Error).name === 'AbortPromptError') throw new WizardCancelled();
      throw e;
    }
  };
  return {
    async checkbox(q) {
      const { checkbox } = await load();
      return ask(checkbox({ message: q.message, choices: q.choices, pageSize: 12, loop: false }));
    },
    async select(q) {
      const { select } = await load();
      return ask(select({ message: q.message, choices: q.choices, default: q.default, loop: false }));
    },
    async input(q) {
      const { input } = await load();
      return ask(input({ message: q.message, default: q.default, validate: q.validate }));
    },
    async confirm(q) {
      const { confirm } = await load();
      return ask(confirm({ message: q.message, default: q.default }));
    },
    async editor(q) {
      const { editor } = await load();
      return ask(editor({ message: q.message, default: q.default, postfix: q.postfix, validate: q.validate, waitForUserInput: false }));
    },
  };
}

/**
 * Never asks: each question takes its default (what `--yes` means), and its flag is recorded so that a run
 * without `--yes` can say which flags it still needs.
 */
export function defaultsPrompter(): Prompter & { unanswered: string[] } {
  const unanswered: string[] = [];
  const note = (q: Question) => {
    if (!unanswered.includes(q.flag)) unanswered.push(q.flag);
  };
  return {
    unanswered,
    async checkbox(q) {
      note(q);
      return q.choices.filter((c) => c.checked && !c.disabled).map((c) => c.value);
    },
    async select(q) {
      note(q);
      return q.default !== undefined ? q.default : q.choices.find((c) => !c.disabled)!.value;
    },
    async input(q) {
      note(q);
      return q.default;
    },
    async confirm(q) {
      note(q);
      return q.default;
    },
    async editor(q) {
      note(q);
      return q.default;
    },
  };
}
