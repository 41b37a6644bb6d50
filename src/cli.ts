// Command-line entry. Keep this module light: only commander and node builtins load at start-up;
// each command imports its heavy modules when it runs.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError, EXIT } from './errors.js';
import type { RunIO } from './commands/io.js';
import type { ScanCliOptions } from './commands/scan.js';
import { toolVersion } from './version.js';
import { addCommentCommand } from './commands/commentCommand.js';

export type { RunIO } from './commands/io.js';

const defaultIO = (): RunIO => ({
  stdout: quietOnClosedPipe(process.stdout),
  stderr: quietOnClosedPipe(process.stderr),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stderrColumns: process.stderr.columns,
  cwd: process.cwd(),
  env: process.env,
});

/**
 * A reader that stops early (`lambda2sfn rules | head -1`) closes the pipe: like git and rg, stop writing there
 * quietly instead of dying on EPIPE with a stack trace. The command still ends with its own exit code.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): (s: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (s) => {
    if (!closed) stream.write(s);
  };
}

/** Options several commands take: their flags and values are declared once here, each command words its help. */
const SHARED_OPTIONS = {
  routing: { flags: '--routing <mode>', choices: ['choice', 'split'], default: 'choice' },
  queryLanguage: { flags: '--query-language <language>', choices: ['auto', 'jsonpath', 'jsonata'], default: 'auto' },
  iac: { flags: '--iac <tool>', choices: ['auto', 'sam', 'serverless', 'cdk', 'none'], default: 'auto' },
} as const;

/** A shared option; `withDefault: false` leaves it unset when not given (the wizard then asks). */
function sharedOption(name: keyof typeof SHARED_OPTIONS, description: string, withDefault = true): Option {
  const spec = SHARED_OPTIONS[name];
  const option = new Option(spec.flags, description).choices(spec.choices);
  return withDefault ? option.default(spec.default) : option;
}

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
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown', 'sarif', 'github']).default('text'))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-c, --config <file>', 'configuration file (default: lambda2sfn.config.{json,js,mjs}, .lambda2sfnrc*, package.json#lambda2sfn)')
    .option('--include <globs...>', 'only scan files matching these globs (relative to the scan root)')
    .option('--exclude <globs...>', 'skip files matching these globs')
    .addOption(sharedOption('routing', 'route switches: one state machine with a Choice, or one state machine per route'))
    .addOption(sharedOption('queryLanguage', 'Step Functions query language of the proposals: auto (JSONPath when it needs no Lambda function, else JSONata), jsonpath or jsonata'))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at least this convertible').choices(['full', 'partial', 'any']))
    .option('--strict', 'exit 2 when a file could not be read or parsed, or a path matched nothing (default: a warning, exit 0)')
    .option('--asl', 'text format: print the proposed definitions')
    .option('--no-asl', 'markdown format: leave out the proposed definitions')
    .option('-v, --verbose', 'text format: everything about each handler (cost model, substitutions, front door, workflow reasons)')
    .option('--diff', 'build each proposal (state machine, infrastructure change, handler removal) and print its unified diff')
    .option('--write <dir>', 'write each proposal (ASL, infrastructure snippet, .diff patch) under this folder; the repository is not touched')
    .addOption(sharedOption('iac', 'infrastructure the proposals change (auto: the tool that deploys each handler)'))
    .option('--color', 'force colours in text output')
    .option('--no-color', 'disable colours in text output')
    .option('--no-progress', 'no progress line on standard error (it is drawn only on a terminal, outside CI, for scans over a second)')
    .addOption(new Option('--no-prefilter', 'parse every file (proves the text prefilter changes nothing)').hideHelp())
    .option('-j, --jobs <n>', 'threads analysing the files (default: one per idle core, up to 4, with 4 cores or more and at least 300 candidate files; else 1)', countOf('--jobs'))
    // Usage inputs of the cost estimate; each overrides the usage file, the infrastructure and the defaults.
    .option('--requests-per-month <n>', 'cost estimate: invocations per month', wholeNumber('--requests-per-month'))
    .option('--avg-duration-ms <ms>', 'cost estimate: average Lambda duration in milliseconds', positiveNumber('--avg-duration-ms'))
    .option('--memory-mb <mb>', 'cost estimate: Lambda memory in MB (128–10240)', wholeNumber('--memory-mb'))
    .addOption(new Option('--architecture <arch>', 'cost estimate: Lambda architecture').choices(['x86_64', 'arm64']))
    .option('--region <region>', 'cost estimate: AWS Region whose prices to use (default us-east-1)')
    .option('--payload-kb <kb>', 'cost estimate: average execution data size in KB (Express memory)', positiveNumber('--payload-kb', true))
    .option('--usage-file <file>', 'cost estimate: YAML usage file (defaults, and per handler "file#export", file or function name)')
    .option('--free-tier', 'cost estimate: apply the permanent free tiers (per account, shared by all functions)')
    .addOption(new Option('--usage-profile <profile>', 'cost estimate: defaults for what nothing else states').choices(['small', 'medium', 'large']))
    .action(async (paths: string[], opts: ScanCliOptions) => {
      const { runScan } = await import('./commands/scan.js');
      setExit(await runScan(paths, opts, io));
    });

  program
    .command('verify')
    .description('run a handler and its proposed state machine side by side on an embedded DynamoDB and compare them (exit 0 only when equivalent)')
    .argument('<target>', 'a handler file, or a case folder holding events.json, tables.json and optionally env.json and stubs.json')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--events <file>', 'ordered test events (default: events.json in the case folder)')
    .option('--tables <file>', 'CreateTable inputs with seed items (default: tables.json)')
    .option('--env <file>', 'the function\'s environment variables (default: env.json)')
    .option('--stubs <file>', 'canned answers of outside HTTP APIs (default: stubs.json)')
    .option('--export <name>', 'the handler export, when the file has several')
    .option('--deps <dir>', 'node_modules to run the handler with when its project has none')
    .addOption(sharedOption('routing', 'verify the Choice state machine, or each route\'s own state machine'))
    .addOption(sharedOption('queryLanguage', 'verify the proposal in this query language: auto (as scan chooses), jsonpath or jsonata'))
    .option('--no-variants', 'run only the given events, not the variants derived from them (attributes absent, NULL or of another type, tables empty, request fields absent, empty or null)')
    .option('--color', 'force colours in text output')
    .option('--no-color', 'disable colours in text output')
    .action(async (target: string, opts: import('./commands/verify.js').VerifyCliOptions) => {
      // The SDK's Node-20 end-of-support notice is not about the user's code: keep it out of the report.
      process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
      // Before the emulator loads: fix its escaping of intrinsic results (patches/local-sfn-escapes.cjs).
      await registerEmulatorFix();
      const { runVerify } = await import('./commands/verify.js');
      setExit(await runVerify(target, opts, io));
    });

  program
    .command('apply')
    .description('apply the proposals of full findings to the repository: new ASL file, infrastructure change, handler removal')
    .argument('[paths...]', 'files, folders or globs to scan', ['.'])
    .option('--only <ids...>', 'apply only these findings (ids from scan --format json)')
    .option('-y, --yes', 'apply without asking (required without a terminal)')
    .option('--force', 'apply even when the git tree has uncommitted changes or there is no git repository')
    .addOption(sharedOption('iac', 'infrastructure the proposals change (auto: the tool that deploys each handler)'))
    .option('-c, --config <file>', 'configuration file')
    .action(async (paths: string[], opts: import('./commands/apply.js').ApplyCliOptions) => {
      const { runApply } = await import('./commands/apply.js');
      setExit(await runApply(paths, opts, io));
    });

  addCommentCommand(program, io, setExit);

  program
    .command('migrate')
    .description('interactive migration wizard: pick handlers, see each state machine and its diff, answer what the scan could not know, verify, then apply or write')
    .argument('[paths...]', 'files, folders or globs to scan', ['.'])
    .option('--handlers <list>', 'handlers to migrate: file#export, file or finding id, comma-separated')
    .option('--types <list>', 'attribute types the code does not state: TABLE.attribute=S|N|BOOL|auto, comma-separated')
    .addOption(new Option('--workflow-type <type>', 'workflow type of the state machines').choices(['EXPRESS', 'STANDARD']))
    .addOption(sharedOption('iac', 'infrastructure the proposals change', false))
    .addOption(sharedOption('routing', 'route switches: one state machine with a Choice, or one per route', false))
    .addOption(sharedOption('queryLanguage', 'query language of the state machines', false))
    .option('--name <name>', 'state machine name (base of the new resources), with one handler')
    .option('--verify', 'verify each proposal on the recorded events of its case folder')
    .option('--no-verify', 'do not verify')
    .option('--write <dir>', 'write the proposals under this folder instead of applying them')
    .option('--apply', 'apply the proposals (full conversions without conflicts) to the repository')
    .option('-y, --yes', 'take the default answer to every question left')
    .option('--force', 'run even when the git tree has uncommitted changes or there is no git repository')
    .option('-c, --config <file>', 'configuration file')
    .option('--color', 'force colours')
    .option('--no-color', 'disable colours')
    .action(async (paths: string[], opts: import('./commands/migrate.js').MigrateCliOptions) => {
      process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
      await registerEmulatorFix();
      const { runMigrate } = await import('./commands/migrate.js');
      setExit(await runMigrate(paths, opts, io));
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

let emulatorFixRegistered = false;

/** Loader hook fixing aws-local-stepfunctions' escaping; once per process. Under Jest a transform does it instead. */
async function registerEmulatorFix(): Promise<void> {
  if (emulatorFixRegistered || process.env['JEST_WORKER_ID']) return;
  emulatorFixRegistered = true;
  const { register } = await import('node:module');
  const { packageRoot } = await import('./version.js');
  register(pathToFileURL(join(packageRoot(), 'patches', 'local-sfn-hooks.mjs')).href);
}

/** Commander argument parsers: a bad number is a usage error (exit 2) naming the flag. */
function countOf(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} needs a whole number, 1 or more.`);
    return n;
  };
}

function wholeNumber(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} needs a whole number, 0 or more.`);
    return n;
  };
}

function positiveNumber(flag: string, zeroAllowed = false): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0)) throw new InvalidArgumentError(`${flag} needs a number ${zeroAllowed ? '0 or more' : 'above 0'}.`);
    return n;
  };
}

/** Runs the CLI and returns the exit code: 0 ok, 1 --fail-on matched, 2 usage or bad input, 3 internal error. */
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
