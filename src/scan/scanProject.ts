// The scan recipe: discover → read → prefilter → parse → find handlers → analyse each → report.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ModuleIndex } from '../analyze/moduleIndex.js';
import { isRuleEnabled, loadConfig } from '../config/loadConfig.js';
import type { Lambda2sfnConfig } from '../config/types.js';
import { discoverFiles } from '../discover/discoverFiles.js';
import { selectFromSummaries, summarize, type PrefilterSummary } from '../discover/prefilter.js';
import { readSource } from '../discover/readSource.js';
import { SchemaSources } from '../lift/schemaSources.js';
import { estimateFindings } from '../estimate/estimateFindings.js';
import type { UsageOptions } from '../estimate/usage.js';
import { declaredEventSources, deployedExports, linkDeployments, readDeployments } from '../infra/linkDeployments.js';
import { stripExt } from '../infra/paths.js';
import type { IacChoice } from '../propose/proposeChanges.js';
import type { Finding, ScanError, ScanReport, SuppressedFinding } from '../report/types.js';
import { toolVersion } from '../version.js';
import { UsageError } from '../errors.js';
import type { Rule } from '../rules/createRule.js';
import { ruleList } from '../../rules/index.js';
import { analyzeFile, relOr, type FileContext, type FileOutcome } from './analyzeFile.js';
import { dropLibraryExports, type LibraryFacts } from './libraryExports.js';
import type { QueryLanguageOption } from '../emit/chooseQueryLanguage.js';
import { chooseJobs, MIN_FILES_FOR_EARLY_WORKERS, ScanPool, type PoolSetup } from './scanPool.js';

export interface ScanOptions {
  cwd: string;
  configPath?: string;
  include?: string[];
  exclude?: string[];
  /** Hidden --no-prefilter: parse every file, to prove the prefilter changes nothing. */
  prefilter?: boolean;
  /** `--routing`: one state machine with a Choice (default) or one per route. */
  routing?: 'choice' | 'split';
  /** `--query-language`: auto (default), jsonpath or jsonata. */
  queryLanguage?: QueryLanguageOption;
  /** Configuration already loaded (tests, or callers that load it themselves). */
  config?: Lambda2sfnConfig;
  /** Usage inputs of the cost estimate (flags); the configuration's `usage` key fills what they leave out. */
  usage?: UsageOptions;
  /** Build each proposal's file changes and unified diff (`Finding.diff`); loads prettier. */
  proposals?: boolean;
  /** Which infrastructure tool the proposals use (default: the one that deploys the handler). */
  iac?: IacChoice;
  /** Rules of the caller's own (rule modules kept outside rules/), asked after the built-in ones; the scan then runs on one thread. */
  extraRules?: readonly Rule[];
  /**
   * `--jobs`: threads analysing the candidate files (1: this one only). Default: one per core (up to 4) when there
   * are enough candidates to repay a worker's start-up, else 1. The report is the same whatever the number.
   */
  jobs?: number;
  /** Called as the scan advances (e.g. for a progress line): files read so far, candidates after the prefilter, handlers found. */
  onProgress?: (p: ScanProgress) => void;
}

export interface ScanProgress {
  files: number;
  filesRead: number;
  candidates?: number;
  handlers: number;
}

export async function scanProject(inputs: string[], options: ScanOptions): Promise<ScanReport> {
  // Like ESLint, the configuration is searched from the folder being scanned, or the file's folder (then upward).
  const single = inputs.length === 1 ? resolve(options.cwd, inputs[0]!) : undefined;
  const searchFrom = single && existsSync(single) ? (statSync(single).isDirectory() ? single : dirname(single)) : options.cwd;
  const config = options.config ?? (await loadConfig({ cwd: searchFrom, configPath: options.configPath && resolve(options.cwd, options.configPath), invokedFrom: options.cwd })).config;
  const discovered = await discoverFiles(inputs, {
    cwd: options.cwd,
    include: options.include ?? config.include,
    exclude: [...(config.exclude ?? []), ...(options.exclude ?? [])],
  });
  // Like ESLint's "No files matching the pattern": when no path given exists there is nothing to scan, which is
  // bad input, not a scan with warnings.
  const given = inputs.length ? inputs : ['.'];
  if (discovered.files.length === 0 && given.every((i) => discovered.errors.some((e) => e.file === i))) {
    throw new UsageError(`nothing to scan: ${discovered.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
  }
  const root = discovered.root;
  const errors: ScanError[] = discovered.errors.map((e) => ({ ...e, file: relOr(root, e.file) }));

  // The infrastructure is read once, before handlers are found: an export it names is a handler whatever its shape,
  // so the module it names is parsed whatever the prefilter makes of its text.
  const infra = await readDeployments(root, errors, discovered.infrastructureFiles);
  const deployed = deployedExports(infra);
  const eventSources = declaredEventSources(infra);
  const declaredEventSource = (path: string, exportName: string) => eventSources.get(`${stripExt(path)}#${exportName}`);
  const progress = options.onProgress ?? (() => undefined);

  // Rules of the caller's own are objects of this thread: worker threads could not ask them.
  const extraRules = options.extraRules?.length ? ruleList(options.extraRules) : undefined;
  // A large tree starts its worker threads now, so that their modules load while this thread reads the files.
  const earlyJobs = extraRules ? 1 : options.jobs ?? (discovered.files.length >= MIN_FILES_FOR_EARLY_WORKERS ? chooseJobs(undefined, Number.MAX_SAFE_INTEGER) : 1);
  const pool = earlyJobs > 1 ? new ScanPool(earlyJobs - 1) : undefined;
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  // Facts, not modules: a module's syntax tree is released once its handlers are analysed, unless a candidate imports it.
  const modules: LibraryFacts[] = [];
  let filesParsed = 0;
  let candidateCount = 0;
  try {
    // One pass reads each file once; only the texts the prefilter keeps stay in memory.
    const summaries: PrefilterSummary[] = [];
    const texts = new Map<string, string>();
    for (const [i, file] of discovered.files.entries()) {
      const read = readSource(file);
      progress({ files: discovered.files.length, filesRead: i + 1, handlers: 0 });
      if (!read.ok) {
        errors.push({ file: relOr(root, file), message: read.message, severity: 'warning' });
        continue;
      }
      if (options.prefilter === false) {
        texts.set(file, read.text);
        continue;
      }
      const summary = summarize({ path: file, text: read.text });
      if (!summary.matches && deployed.has(stripExt(file))) summary.matches = true;
      summaries.push(summary);
      if (summary.matches) texts.set(file, read.text);
    }
    const selection = options.prefilter === false ? { candidates: new Set(texts.keys()), imported: new Set(texts.keys()) } : selectFromSummaries(summaries);
    candidateCount = selection.candidates.size;
    const counts = (handlers: number): ScanProgress => ({ files: discovered.files.length, filesRead: discovered.files.length, candidates: candidateCount, handlers });
    progress(counts(0));

    const paths = discovered.files.filter((p) => selection.candidates.has(p));
    const jobs = extraRules ? 1 : chooseJobs(options.jobs, paths.length);
    if (pool && pool.size > jobs - 1) await pool.shrink(jobs - 1);
    const ctx: FileContext = {
      root,
      index: new ModuleIndex(),
      schemas: new SchemaSources(config, root),
      ruleEnabled: (id: string) => isRuleEnabled(config, id),
      routing: options.routing,
      queryLanguage: options.queryLanguage,
      declaredEventSource,
      deployed,
      imported: selection.imported,
      ...(extraRules ? { rules: extraRules } : {}),
    };
    const take = (o: FileOutcome) => {
      if (o.parsed) filesParsed += 1;
      errors.push(...o.errors);
      if (o.facts) modules.push(o.facts);
      suppressed.push(...o.suppressed);
      for (const f of o.findings) {
        findings.push(f);
        progress(counts(findings.length));
      }
    };
    let outcomes: FileOutcome[] | undefined;
    if (pool && pool.size > 0) {
      let seen = 0;
      const setup: PoolSetup = { root, config, routing: options.routing, queryLanguage: options.queryLanguage, deployed, eventSources, imported: selection.imported };
      try {
        outcomes = await pool.analyze(paths.map((path) => ({ path, text: texts.get(path) })), ctx, setup, (done) => {
          seen += done.reduce((n, o) => n + o.findings.length, 0);
          progress(counts(seen));
        });
      } catch {
        // A worker that failed (out of memory, say) costs time, not the scan: everything again on this thread.
        outcomes = undefined;
        ctx.index = new ModuleIndex();
      }
    }
    if (outcomes) for (const o of outcomes) take(o);
    else {
      for (const path of paths) {
        const text = texts.get(path);
        texts.delete(path);
        take(analyzeFile(path, text, ctx));
      }
    }
  } finally {
    await pool?.shrink();
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  linkDeployments(findings, infra, root);
  dropLibraryExports(findings, modules, root);
  // Proposals load prettier, yaml editing and template validation: only when asked for.
  if (options.proposals) await (await import('../propose/proposeChanges.js')).proposeChanges(findings, infra, root, options.iac);
  await estimateFindings(findings, { ...options.usage, configDefaults: config.usage, cwd: options.cwd }, root);
  errors.sort((a, b) => a.file.localeCompare(b.file));
  const count = (c: Finding['convertible']) => findings.filter((f) => f.convertible === c).length;
  return {
    tool: 'lambda2sfn',
    version: toolVersion(),
    schemaVersion: 1,
    root,
    summary: {
      filesScanned: discovered.files.length,
      filesParsed,
      handlers: findings.length,
      full: count('full'),
      partial: count('partial'),
      none: count('none'),
      suppressed: suppressed.length,
      handlerLinesRemovable: findings.reduce((n, f) => n + f.savings.lines.removed, 0),
      aslLinesAdded: findings.reduce((n, f) => n + f.savings.lines.asl, 0),
      errors: errors.length,
    },
    findings,
    suppressed,
    errors,
  };
}
