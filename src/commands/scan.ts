// `lambda2sfn scan`: compute the report once, then render it.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunIO } from './io.js';
import { EXIT } from '../errors.js';
import type { ScanReport } from '../report/types.js';
import { renderGithubAnnotations } from '../render/githubAnnotations.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderSarif } from '../render/sarif.js';
import { renderText } from '../render/text.js';
import { createProgressLine } from '../render/progress.js';
import { scanProject, type ScanProgress } from '../scan/scanProject.js';

/** The options of `lambda2sfn scan`, as commander parses them in cli.ts. */
export interface ScanCliOptions {
  format: 'text' | 'json' | 'markdown' | 'sarif' | 'github';
  routing?: 'choice' | 'split';
  queryLanguage?: 'auto' | 'jsonpath' | 'jsonata';
  json?: boolean;
  output?: string;
  config?: string;
  include?: string[];
  exclude?: string[];
  failOn?: 'full' | 'partial' | 'any';
  strict?: boolean;
  /** Undefined unless --asl or --no-asl: text leaves the definitions out by default, markdown puts them in. */
  asl?: boolean;
  verbose?: boolean;
  diff?: boolean;
  write?: string;
  iac?: 'auto' | 'sam' | 'serverless' | 'cdk' | 'none';
  color?: boolean;
  prefilter: boolean;
  jobs?: number;
  /** --no-progress makes it false. */
  progress?: boolean;
  requestsPerMonth?: number;
  avgDurationMs?: number;
  memoryMb?: number;
  architecture?: 'x86_64' | 'arm64';
  region?: string;
  payloadKb?: number;
  usageFile?: string;
  freeTier?: boolean;
  usageProfile?: 'small' | 'medium' | 'large';
}

export function failOnMatched(report: ScanReport, level: ScanCliOptions['failOn']): boolean {
  if (!level) return false;
  return report.findings.some((f) => (level === 'full' ? f.convertible === 'full' : level === 'partial' ? f.convertible !== 'none' : true));
}

export async function runScan(paths: string[], opts: ScanCliOptions, io: RunIO): Promise<number> {
  // Only a person watching a terminal wants it: never in CI logs, never in a redirected standard error.
  const progress = opts.progress !== false && io.stderrIsTTY && !io.env['CI'] ? createProgressLine({ write: io.stderr, now: io.now ?? (() => performance.now()), columns: io.stderrColumns }) : undefined;
  let report: ScanReport;
  try {
    report = await scanWithOptions(paths, opts, io, progress?.update);
  } finally {
    progress?.done();
  }
  return finishScan(report, opts, io);
}

function scanWithOptions(paths: string[], opts: ScanCliOptions, io: RunIO, onProgress: ((p: ScanProgress) => void) | undefined): Promise<ScanReport> {
  return scanProject(paths, {
    cwd: io.cwd,
    configPath: opts.config,
    include: opts.include,
    exclude: opts.exclude,
    prefilter: opts.prefilter,
    jobs: opts.jobs,
    routing: opts.routing,
    queryLanguage: opts.queryLanguage,
    usage: {
      requestsPerMonth: opts.requestsPerMonth,
      avgDurationMs: opts.avgDurationMs,
      memoryMb: opts.memoryMb,
      architecture: opts.architecture,
      region: opts.region,
      payloadKb: opts.payloadKb,
      usageFile: opts.usageFile,
      freeTier: opts.freeTier,
      profile: opts.usageProfile,
    },
    proposals: Boolean(opts.diff || opts.write),
    iac: opts.iac,
    onProgress,
  });
}

async function finishScan(report: ScanReport, opts: ScanCliOptions, io: RunIO): Promise<number> {
  if (opts.write) {
    const { writeProposals } = await import('./writeProposals.js');
    const written = await writeProposals(report, resolve(io.cwd, opts.write));
    io.stderr(`lambda2sfn: wrote ${written.length} proposal${written.length === 1 ? '' : 's'} under ${opts.write}\n`);
  }
  const format = opts.json ? 'json' : opts.format;
  const color = opts.color ?? (io.isTTY && !opts.output && !io.env['NO_COLOR']);
  const text =
    format === 'json' ? JSON.stringify(report, null, 2) + '\n'
    : format === 'markdown' ? renderMarkdown(report, { showAsl: opts.asl !== false })
    : format === 'sarif' ? renderSarif(report)
    : format === 'github' ? renderGithubAnnotations(report, repositoryRoot(report.root, io))
    : renderText(report, { color, showAsl: opts.asl === true, verbose: opts.verbose, showDiff: opts.diff });
  if (opts.output) await writeFile(resolve(io.cwd, opts.output), text, 'utf8');
  else io.stdout(text);
  // Diagnostics go to stderr whatever the format, so stdout holds only the report.
  for (const e of report.errors) io.stderr(`lambda2sfn: ${e.severity}: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  return scanExitCode(report, opts);
}

/** Where GitHub resolves annotation paths: the Actions workspace, else the git repository holding the scan root. */
function repositoryRoot(scanRoot: string, io: RunIO): string {
  if (io.env['GITHUB_WORKSPACE']) return resolve(io.cwd, io.env['GITHUB_WORKSPACE']);
  try {
    // The scan root's place in the repository (`--show-toplevel` would print the real path, which differs from
    // the scan root's through a symlink): climb that many folders.
    const prefix = execFileSync('git', ['rev-parse', '--show-prefix'], { cwd: scanRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return resolve(scanRoot, ...prefix.split('/').filter(Boolean).map(() => '..'));
  } catch {
    return scanRoot;
  }
}

/**
 * Findings and file problems stay apart, as in ESLint and Semgrep: 1 only for --fail-on; a file that could not be
 * read or parsed is a warning (0), or bad input (2) with --strict; lambda2sfn failing on a file is internal (3).
 */
export function scanExitCode(report: ScanReport, opts: Pick<ScanCliOptions, 'failOn' | 'strict'>): number {
  if (report.errors.some((e) => e.severity === 'error')) return EXIT.internal;
  if (opts.strict && report.errors.length > 0) return EXIT.usage;
  return failOnMatched(report, opts.failOn) ? EXIT.failOn : EXIT.ok;
}
