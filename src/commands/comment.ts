// `lambda2sfn comment github`: the report (read, or computed for the files the pull request changes) rendered as
// one pull-request comment and put on the pull request, updated in place; also the job summary and step outputs.
import { appendFile, readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { RunIO } from './io.js';
import { changedFiles, gitHead, gitTopLevel } from '../discover/changedFiles.js';
import { EXIT, UsageError } from '../errors.js';
import { pullRequestContext, type PullRequestContext } from '../github/actionsContext.js';
import { HostError, type CommentApi } from '../github/commentApi.js';
import { defaultRetryPolicy, githubCommentApi, type RetryPolicy } from '../github/githubClient.js';
import { dryRunApi, syncComment, type Behavior } from '../github/syncComment.js';
import { commentMarker, renderPullRequestComment, type CommentContext, type Verification } from '../render/comment/pullRequestComment.js';
import type { Finding, ScanReport } from '../report/types.js';
import { scanProject } from '../scan/scanProject.js';
import { toolVersion } from '../version.js';
import { failOnMatched } from './scan.js';

export interface CommentCliOptions {
  report?: string;
  base?: string;
  tag: string;
  behavior: Behavior;
  dryRun?: boolean;
  always?: boolean;
  repo?: string;
  pr?: string;
  commit?: string;
  apiUrl?: string;
  verifyReport?: string[];
  artifactUrl?: string;
  failOn?: 'full' | 'partial' | 'any';
  config?: string;
  usageFile?: string;
}

/** What tests replace: the retry policy (so backoff does not really sleep). */
export interface CommentDeps {
  retry?: Partial<RetryPolicy>;
}

export async function runComment(host: string, paths: string[], opts: CommentCliOptions, rawIo: RunIO, deps: CommentDeps = {}): Promise<number> {
  const token = rawIo.env['GITHUB_TOKEN'] || undefined;
  // Belt and braces: whatever a library or a message might echo, the token never reaches the output.
  const redact = (s: string) => (token ? s.split(token).join('***') : s);
  const io: RunIO = { ...rawIo, stdout: (s) => rawIo.stdout(redact(s)), stderr: (s) => rawIo.stderr(redact(s)) };
  if (host !== 'github') throw new UsageError(`comment supports github (not "${host}").`);
  if (!/^[\w.-]+$/.test(opts.tag)) throw new UsageError(`--tag may hold letters, digits, ".", "_" and "-" only, not "${opts.tag}".`);
  try {
    return await commentOnGithub(paths, opts, io, token, deps);
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    io.stderr(`lambda2sfn: ${e.message}\n`);
    return EXIT.usage;
  }
}

async function commentOnGithub(paths: string[], opts: CommentCliOptions, io: RunIO, token: string | undefined, deps: CommentDeps): Promise<number> {
  const pr = githubTarget(opts, io);
  if (!opts.dryRun && !token) throw new HostError('GITHUB_TOKEN is not set: the bot needs a token that may write pull request comments (in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} and permissions: pull-requests: write). --dry-run prints the comment without one.');
  if (!opts.dryRun && (!pr || pr.pullNumber === undefined)) throw new UsageError('which pull request? Pass --pr N (in GitHub Actions the pull_request event says it).');

  const base = opts.base ?? (opts.report ? undefined : pr?.baseSha);
  const { report, scope, reproduce } = await commentedReport(paths, base, opts, io);
  const top = await gitTopLevel(report.root);
  const sha = pr?.headSha ?? (await gitHead(io.cwd));
  const prefix = top && !relative(top, report.root).startsWith('..') ? relative(top, report.root).split(sep).join('/') : '';
  const ctx: CommentContext = {
    tag: opts.tag,
    reproduce,
    scope,
    links: pr && sha ? { serverUrl: pr.serverUrl, repo: `${pr.owner}/${pr.repo}`, sha, pathPrefix: prefix } : undefined,
    verifications: await readVerifications(opts.verifyReport ?? [], report, io.cwd),
    artifactUrl: opts.artifactUrl ?? pr?.runUrl,
  };
  const body = renderPullRequestComment(report, ctx, opts.always);
  const emptyBody = renderPullRequestComment({ ...report, findings: [], errors: [] }, ctx, true)!;

  const summaryFile = io.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile && body) await appendFile(summaryFile, body + '\n', 'utf8');

  const log = (line: string) => io.stderr(`lambda2sfn: ${line}\n`);
  const real = pr && pr.pullNumber !== undefined && token ? githubApi(pr, token, deps, log) : undefined;
  const api = opts.dryRun ? dryRunApi(real, log) : real!;
  if (opts.dryRun) io.stdout(body ?? `(nothing to report: no comment${opts.behavior === 'update' ? ', an existing one would say so' : ''})\n`);
  const result = await syncComment(api, commentMarker(opts.tag), body, opts.behavior, emptyBody);
  if (!opts.dryRun) for (const a of result.actions) log(a);

  await writeOutputs(io, report, opts.dryRun ? undefined : result.comment?.url);
  return failOnMatched(report, opts.failOn) ? EXIT.failOn : EXIT.ok;
}

function githubTarget(opts: CommentCliOptions, io: RunIO): PullRequestContext | undefined {
  try {
    return pullRequestContext(opts, io.env);
  } catch (e) {
    // A dry run renders without knowing the repository (no links then).
    if (opts.dryRun && e instanceof UsageError && !opts.repo) return undefined;
    throw e;
  }
}

function githubApi(pr: PullRequestContext, token: string, deps: CommentDeps, log: (line: string) => void): CommentApi {
  const target = { owner: pr.owner, repo: pr.repo, pullNumber: pr.pullNumber!, apiUrl: pr.apiUrl };
  return githubCommentApi(target, token, { ...defaultRetryPolicy, onRetry: log, ...deps.retry });
}

/** The report to comment on: read from --report or scanned; with a base, only what the pull request changes. */
async function commentedReport(paths: string[], base: string | undefined, opts: CommentCliOptions, io: RunIO): Promise<{ report: ScanReport; scope: string; reproduce: string }> {
  if (!opts.report && !base) throw new UsageError('what to comment on? Pass --report FILE (scan --format json) or --base REF (scan the files the pull request changes).');
  const changed = base ? new Set(await changedFiles(io.cwd, base)) : undefined;
  const whole = opts.report
    ? await readReport(opts.report, io)
    : await scanProject(paths, { cwd: io.cwd, configPath: opts.config, usage: { usageFile: opts.usageFile }, proposals: true });
  const since = base ? ` --base ${base}` : '';
  const usage = opts.usageFile ? ` --usage-file ${opts.usageFile}` : '';
  const what = opts.report ? `--report ${opts.report}` : paths.map((p) => (/^[\w./@:-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`)).join(' ');
  const reproduce = `npx lambda2sfn@${toolVersion()} comment github ${what}${since}${usage} --dry-run`;
  if (!changed) return { report: whole, scope: 'the report', reproduce };
  // Handlers in changed files, and handlers whose deploying infrastructure changed.
  const touched = (file: string | undefined) => file !== undefined && changed.has(resolve(whole.root, file));
  const report = withFindings(whole, whole.findings.filter((f) => touched(f.file) || touched(f.deployment?.file)), whole.errors.filter((e) => touched(e.file)));
  return { report, scope: 'the files this pull request changes', reproduce };
}

async function readReport(file: string, io: RunIO): Promise<ScanReport> {
  let report: ScanReport;
  try {
    report = JSON.parse(await readFile(resolve(io.cwd, file), 'utf8')) as ScanReport;
  } catch (e) {
    throw new UsageError(`cannot read the report ${file}: ${(e as Error).message}`);
  }
  if (report?.tool !== 'lambda2sfn' || !Array.isArray(report.findings) || !report.summary) throw new UsageError(`${file} is not a lambda2sfn report (scan --format json).`);
  return report;
}

/** The report restricted to some findings and errors, its summary counted again. */
export function withFindings(report: ScanReport, findings: Finding[], errors: ScanReport['errors']): ScanReport {
  const count = (c: Finding['convertible']) => findings.filter((f) => f.convertible === c).length;
  return {
    ...report,
    findings,
    errors,
    summary: {
      ...report.summary,
      handlers: findings.length,
      full: count('full'),
      partial: count('partial'),
      none: count('none'),
      handlerLinesRemovable: findings.reduce((n, f) => n + f.savings.lines.removed, 0),
      aslLinesAdded: findings.reduce((n, f) => n + f.savings.lines.asl, 0),
      errors: errors.length,
    },
  };
}

interface VerifyJson {
  handlers?: Array<{ file: string; export: string; equivalent: boolean }>;
  events?: Array<{ file?: string; export?: string }>;
}

/**
 * `verify --format json` results, keyed like the report's findings (`file#export`, file relative to its root).
 * verify names files relative to its case folder: a handler matches the one finding whose path ends like it.
 */
async function readVerifications(files: string[], report: ScanReport, cwd: string): Promise<Record<string, Verification>> {
  const out: Record<string, Verification> = {};
  const tail = (a: string, b: string) => a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
  for (const file of files) {
    let v: VerifyJson;
    try {
      v = JSON.parse(await readFile(resolve(cwd, file), 'utf8')) as VerifyJson;
    } catch (e) {
      throw new UsageError(`cannot read the verify result ${file}: ${(e as Error).message}`);
    }
    for (const h of v.handlers ?? []) {
      const matches = report.findings.filter((f) => f.export === h.export && tail(f.file, h.file));
      if (matches.length !== 1) continue;
      const events = (v.events ?? []).filter((e) => e.file === h.file && e.export === h.export).length;
      out[`${matches[0]!.file}#${h.export}`] = { equivalent: h.equivalent, events };
    }
  }
  return out;
}

/** Step outputs for the composite action ($GITHUB_OUTPUT), when set. */
async function writeOutputs(io: RunIO, report: ScanReport, url: string | undefined): Promise<void> {
  const file = io.env['GITHUB_OUTPUT'];
  if (!file) return;
  const s = report.summary;
  const lines = [`handlers=${s.handlers}`, `full=${s.full}`, `partial=${s.partial}`, `none=${s.none}`, `lines-removable=${s.handlerLinesRemovable}`, `comment-url=${url ?? ''}`];
  await appendFile(file, lines.join('\n') + '\n', 'utf8');
}
