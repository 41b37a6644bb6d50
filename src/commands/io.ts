// What a command reads and writes instead of the process: tests pass their own.
export interface RunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}
