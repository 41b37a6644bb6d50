// What a command reads and writes instead of the process: tests pass their own.
export interface RunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  /** Standard error is a terminal (the scan's progress line goes there); absent means no. */
  stderrIsTTY?: boolean;
  /** Terminal width of standard error, when it is one. */
  stderrColumns?: number;
  /** Milliseconds, for the progress line's timing; tests pass a clock of their own. */
  now?: () => number;
  cwd: string;
  env: NodeJS.ProcessEnv;
}
