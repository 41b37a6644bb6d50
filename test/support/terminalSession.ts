// The real CLI (from src/, through tsx) in a pseudo-terminal, its output kept on a headless xterm screen, so a test
// can wait for text on the screen and answer with keystrokes as a user would.
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { repoRoot } from './wizardProject.js';

export const KEY = { up: '\u001b[A', down: '\u001b[B', space: ' ', enter: '\r', ctrlC: '\u0003' } as const;

export interface TerminalSession {
  /** The visible screen, one line per row, trailing spaces removed. */
  screen(): string;
  /** Resolves once the screen shows this; rejects (with the screen) if the process ends first. */
  waitFor(what: string | RegExp): Promise<string>;
  press(...keys: string[]): void;
  signal(name: 'SIGTERM' | 'SIGINT'): void;
  exited: Promise<number>;
  /** Ends the process if it still runs (a failed test must not leave it waiting for keys). */
  stop(): void;
}

export function startCli(args: string[], cwd: string, size = { cols: 100, rows: 60 }): TerminalSession {
  const term = new xterm.Terminal({ cols: size.cols, rows: size.rows, allowProposedApi: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && k !== 'NO_COLOR' && k !== 'JEST_WORKER_ID') env[k] = v;
  const tsx = join(repoRoot, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
  const child = pty.spawn(process.execPath, ['--import', tsx, join(repoRoot, 'test', 'support', 'cliFromSource.mjs'), ...args], { name: 'xterm-256color', cols: size.cols, rows: size.rows, cwd, env: { ...env, TERM: 'xterm-256color' } });
  const waiters: Array<() => void> = [];
  let ended = false;
  child.onData((d) => term.write(d, () => waiters.splice(0).forEach((w) => w())));
  const exited = new Promise<number>((resolveExit) =>
    child.onExit(({ exitCode }) => {
      // Let the last output reach the screen first.
      term.write('', () => {
        ended = true;
        waiters.splice(0).forEach((w) => w());
        resolveExit(exitCode);
      });
    }),
  );
  const screen = () => {
    const b = term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < term.rows; i++) rows.push(b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
    return rows.join('\n').replace(/\n+$/, '');
  };
  const matches = (what: string | RegExp) => (typeof what === 'string' ? screen().includes(what) : what.test(screen()));
  return {
    screen,
    exited,
    press: (...keys) => keys.forEach((k) => child.write(k)),
    signal: (name) => child.kill(name),
    stop: () => {
      if (!ended) child.kill();
    },
    waitFor: (what) =>
      new Promise<string>((resolveWait, reject) => {
        const check = () => {
          if (matches(what)) return resolveWait(screen());
          if (ended) return reject(new Error(`the CLI ended before the screen showed ${String(what)}; the screen:\n${screen()}`));
          waiters.push(check);
        };
        check();
      }),
  };
}
