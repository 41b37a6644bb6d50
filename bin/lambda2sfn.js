#!/usr/bin/env node
// Thin launcher. `--version` is answered without loading commander or dist/;
// everything else loads the compiled CLI, which lazy-loads heavy modules per command.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { run } = await import('../dist/src/cli.js');
  const code = await run(process.argv);
  process.exitCode = code;
  // A handle left open after the command ended (a server an error path did not close) must not hang CI: give
  // pending output a moment, then exit. unref: a process that is done exits now, without waiting for the timer.
  setTimeout(() => process.exit(code), 2000).unref();
}
