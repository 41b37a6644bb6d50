// Command-line entry. Keep this module light: only commander and node builtins load at start-up;
// each command imports its heavy modules when it runs.
import { Command, CommanderError, Option } from 'commander';
import { UsageError, EXIT } from './errors.js';
import { toolVersion } from './version.js';

export interface RunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const defaultIO = (): RunIO => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
  env: process.env,
});

export function createProgram(io: RunIO, setExit: (code: number) => void): Command {
  const program = new Command('lambda2sfn')
    .description('Find AWS Lambda handlers that move data in and out of DynamoDB and propose the equivalent, validated Step Functions state machine.')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'print stack traces of internal errors')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run lambda2sfn --help for usage)')
    .exitOverride();

  program
    .command('scan')
    .description('analyse handlers and propose state machines (never writes to your files)')
    .argument('[paths...]', 'files, folders or globs to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-c, --config <file>', 'configuration file (default: lambda2sfn.config.{json,js,mjs}, .lambda2sfnrc*, package.json#lambda2sfn)')
    .option('--include <globs...>', 'only scan files matching these globs (relative to the scan root)')
    .option('--exclude <globs...>', 'skip files matching these globs')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at least this convertible').choices(['full', 'partial', 'any']))
    .option('--no-asl', 'text format: do not print the proposed definitions')
    .option('--color', 'force colours in text output')
    .option('--no-color', 'disable colours in text output')
    .addOption(new Option('--no-prefilter', 'parse every file (proves the text prefilter changes nothing)').hideHelp())
    .action(async (paths: string[], opts: ScanCliOptions) => {
      const { runScan } = await import('./commands/scan.js');
      setExit(await runScan(paths, opts, io));
    });

  program
    .command('rules')
    .description('list the rules, or show one rule\'s documentation')
    .argument('[id]', 'rule id')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (id: string | undefined, opts: { format: string }) => {
      const { runRules } = await import('./commands/rules.js');
      setExit(runRules(id, opts, io));
    });
  return program;
}

export interface ScanCliOptions {
  format: 'text' | 'json';
  json?: boolean;
  output?: string;
  config?: string;
  include?: string[];
  exclude?: string[];
  failOn?: 'full' | 'partial' | 'any';
  asl: boolean;
  color?: boolean;
  prefilter: boolean;
}

/** Runs the CLI and returns the exit code (product.md §3). */
export async function run(argv: string[], io: RunIO = defaultIO()): Promise<number> {
  let code: number = EXIT.ok;
  const program = createProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0 through the same path.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr(`lambda2sfn: ${err.message}\n`);
      return EXIT.usage;
    }
    const e = err as Error;
    io.stderr(`lambda2sfn: internal error: ${e.message}\nThis is a bug in lambda2sfn; please report it with the command you ran.${argv.includes('--debug') ? `\n${e.stack ?? ''}` : ' (rerun with --debug for the stack trace)'}\n`);
    return EXIT.internal;
  }
}
