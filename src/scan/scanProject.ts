// The scan recipe: discover → read → prefilter → parse → find handlers → analyse each → report.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { findHandlers } from '../analyze/findHandlers.js';
import { indexModule, ModuleIndex, type ModuleInfo } from '../analyze/moduleIndex.js';
import { isRuleEnabled, loadConfig } from '../config/loadConfig.js';
import { isSuppressed, parseSuppressions } from '../config/suppressions.js';
import type { Lambda2sfnConfig } from '../config/types.js';
import { discoverFiles } from '../discover/discoverFiles.js';
import { selectFromSummaries, summarize, type PrefilterSummary } from '../discover/prefilter.js';
import { readSource } from '../discover/readSource.js';
import { SchemaSources } from '../lift/schemaSources.js';
import { estimateFindings } from '../estimate/estimateFindings.js';
import type { UsageOptions } from '../estimate/usage.js';
import { declaredEventSources, deployedExports, linkDeployments, readDeployments } from '../infra/linkDeployments.js';
import { stripExt } from '../infra/paths.js';
import { parseSource } from '../parse/parseSource.js';
import type { IacChoice } from '../propose/proposeChanges.js';
import type { Finding, ScanError, ScanReport, SuppressedFinding } from '../report/types.js';
import { toolVersion } from '../version.js';
import { UsageError } from '../errors.js';
import { analyzeHandler } from './analyzeHandler.js';
import { dropLibraryExports, libraryFacts, type LibraryFacts } from './libraryExports.js';
import type { QueryLanguageOption } from './analyzeHandler.js';

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

  // One pass reads each file once; only the texts the prefilter keeps stay in memory.
  const summaries: PrefilterSummary[] = [];
  const texts = new Map<string, string>();
  const progress = options.onProgress ?? (() => undefined);
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
  progress({ files: discovered.files.length, filesRead: discovered.files.length, candidates: selection.candidates.size, handlers: 0 });


  const index = new ModuleIndex();
  const schemas = new SchemaSources(config, root);
  const ruleEnabled = (id: string) => isRuleEnabled(config, id);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  // Facts, not modules: a module's syntax tree is released once its handlers are analysed, unless a candidate imports it.
  const modules: LibraryFacts[] = [];
  let filesParsed = 0;
  for (const path of discovered.files) {
    if (!selection.candidates.has(path)) continue;
    let text = texts.get(path);
    texts.delete(path);
    if (text === undefined) {
      // A file kept only because it imports a candidate is read again: rare, and cheaper than keeping every text.
      const again = readSource(path);
      if (!again.ok) {
        errors.push({ file: relOr(root, path), message: again.message, severity: 'warning' });
        continue;
      }
      text = again.text;
    }
    const source = { path, text };
    const parsed = parseSource(source.text, source.path);
    filesParsed += 1;
    if (!parsed.ok) {
      errors.push({ file: relOr(root, source.path), message: parsed.message, line: parsed.line, severity: 'warning' });
      continue;
    }
    let mod: ModuleInfo;
    let candidates: ReturnType<typeof findHandlers>;
    try {
      mod = indexModule(source.path, source.text, parsed.ast);
      candidates = findHandlers(mod, deployed.get(stripExt(mod.path)));
    } catch (e) {
      errors.push({ file: relOr(root, source.path), ...stageFailure(e, 'reading the module') });
      continue;
    }
    index.add(mod);
    modules.push(libraryFacts(mod));
    const suppressions = parseSuppressions(source.text);
    for (const candidate of candidates) {
      let finding: Finding | undefined;
      try {
        finding = analyzeHandler(candidate, mod, { root, index, schemas, ruleEnabled, routing: options.routing, queryLanguage: options.queryLanguage, declaredEventSource });
      } catch (e) {
        errors.push({ file: relOr(root, source.path), line: candidate.target.line, ...stageFailure(e, `analysing ${candidate.exportName}`) });
        continue;
      }
      if (!finding) continue;
      const s = isSuppressed(suppressions, finding.line, [...finding.rules, ...finding.blockers.map((b) => b.rule)]);
      if (s.suppressed) {
        suppressed.push({ file: finding.file, export: finding.export, line: finding.line, reason: s.reason });
        continue;
      }
      findings.push(finding);
      progress({ files: discovered.files.length, filesRead: discovered.files.length, candidates: selection.candidates.size, handlers: findings.length });
    }
    if (!selection.imported.has(path)) index.release(path);
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

/**
 * A stage that threw on one file. Running out of stack is a limit of the analyser on deeply nested code (the parse
 * stage refuses the deepest trees, but a walker may still need more frames than Node has): a warning saying so.
 * Anything else is a bug in lambda2sfn: an error (exit 3).
 */
function stageFailure(e: unknown, what: string): Pick<ScanError, 'message' | 'severity'> {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { message: `nested too deeply to analyse (ran out of stack while ${what}); skipped`, severity: 'warning' };
  return { message: `internal error while ${what}: ${(e as Error).message}`, severity: 'error' };
}

function relOr(root: string, file: string): string {
  const r = relative(root, file);
  return r && !r.startsWith('..') ? r : file;
}
