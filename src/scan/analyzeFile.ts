// One candidate file of a scan: parse it, find its handlers, analyse each. The same code runs on the main thread
// and in the scan's worker threads (scanWorker.ts), so a file's outcome does not depend on where it ran.
import { relative } from 'node:path';
import { findHandlers, projectFunctions } from '../analyze/findHandlers.js';
import { indexModule, type ModuleIndex, type ModuleInfo } from '../analyze/moduleIndex.js';
import { isSuppressed, parseSuppressions } from '../config/suppressions.js';
import { readSource } from '../discover/readSource.js';
import { stripExt } from '../infra/paths.js';
import { parseSource } from '../parse/parseSource.js';
import type { Finding, ScanError, SuppressedFinding } from '../report/types.js';
import { analyzeHandler, type AnalyzeContext } from './analyzeHandler.js';
import { libraryFacts, type LibraryFacts } from './libraryExports.js';

export interface FileContext extends AnalyzeContext {
  /** The exports the infrastructure deploys, by module path without its extension. */
  deployed: ReadonlyMap<string, ReadonlySet<string>>;
  /** Candidates another candidate may import: their syntax trees stay in the index. */
  imported: ReadonlySet<string>;
}

export interface FileOutcome {
  /** The file was handed to the parser (whatever it made of it). */
  parsed: boolean;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  errors: ScanError[];
  /** What the library walk needs of the module, when it parsed. */
  facts?: LibraryFacts;
}

/** `text` undefined: the file is read here (a candidate only because it imports one, whose text was not kept). */
export function analyzeFile(path: string, text: string | undefined, ctx: FileContext): FileOutcome {
  const { root, index } = ctx;
  const out: FileOutcome = { parsed: false, findings: [], suppressed: [], errors: [] };
  if (text === undefined) {
    const again = readSource(path);
    if (!again.ok) {
      out.errors.push({ file: relOr(root, path), message: again.message, severity: 'warning' });
      return out;
    }
    text = again.text;
  }
  const parsed = parseSource(text, path);
  out.parsed = true;
  if (!parsed.ok) {
    out.errors.push({ file: relOr(root, path), message: parsed.message, line: parsed.line, severity: 'warning' });
    return out;
  }
  let mod: ModuleInfo;
  let candidates: ReturnType<typeof findHandlers>;
  try {
    mod = indexModule(path, text, parsed.ast);
    candidates = findHandlers(mod, ctx.deployed.get(stripExt(mod.path)), projectFunctions(index));
  } catch (e) {
    out.errors.push({ file: relOr(root, path), ...stageFailure(e, 'reading the module') });
    return out;
  }
  index.add(mod);
  out.facts = libraryFacts(mod);
  const suppressions = parseSuppressions(text);
  for (const candidate of candidates) {
    let finding: Finding | undefined;
    try {
      finding = analyzeHandler(candidate, mod, ctx);
    } catch (e) {
      out.errors.push({ file: relOr(root, path), line: candidate.target.line, ...stageFailure(e, `analysing ${candidate.exportName}`) });
      continue;
    }
    if (!finding) continue;
    const s = isSuppressed(suppressions, finding.line, [...finding.rules, ...finding.blockers.map((b) => b.rule)]);
    if (s.suppressed) {
      out.suppressed.push({ file: finding.file, export: finding.export, line: finding.line, reason: s.reason });
      continue;
    }
    out.findings.push(finding);
  }
  if (!ctx.imported.has(path)) index.release(path);
  return out;
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

export function relOr(root: string, file: string): string {
  const r = relative(root, file);
  return r && !r.startsWith('..') ? r : file;
}
