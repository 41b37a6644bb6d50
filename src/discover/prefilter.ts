import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
// A cheap text test run before parsing. It only saves parse work: a file is dropped only when
// neither it nor anything it (transitively) imports from the project can mention DynamoDB or
// look like a handler. When in doubt, a file stays a candidate.

import path from 'node:path';
import { ImportAliases } from './importAliases.js';

export interface PrefilterInput {
  path: string;
  text: string;
}

/**
 * Text that makes a file worth parsing on its own: DynamoDB, AWS SDK and handler words, or a parameter list shaped like a
 * handler's (the first parameter named event; evt/e/req/request/input followed by another; a context parameter).
 * It must stay a superset of what findHandlers calls handler-like, so that it never changes the findings.
 */
export const DYNAMO_OR_HANDLER_TOKENS =
  /dynamo|documentclient|marshall|aws-sdk|aws-lambda|middy|handler|[(,]\s*event\s*\??\s*[,):=]|\bevent\s*=>|\(\s*(?:evt|e|req|request|input)\s*\??\s*(?::[^,()]*)?,|,\s*(?:context|ctx)\s*\??\s*[,):=]/i;

/**
 * Module specifiers, captured as group 2 (group 1 is the quote). Relative ones are followed;
 * they may over-match (inside strings or comments), which only adds candidates.
 */
export const SPECIFIER_PATTERNS: readonly RegExp[] = [
  // import x from './x'; import { a } from './x'; export { a } from './x'; export * from './x'
  /\bfrom\s*(['"])([^'"\r\n]+)\1/g,
  // import './x'
  /\bimport\s*(['"])([^'"\r\n]+)\1/g,
  // import('./x'), import(/* comment */ `./x`)
  /\bimport\s*\(\s*(?:\/\*[\s\S]*?\*\/\s*)*(['"`])([^'"`\r\n]+)\1/g,
  // require('./x'); import x = require('./x')
  /\brequire\s*\(\s*(['"`])([^'"`\r\n]+)\1\s*\)/g,
];

const RELATIVE = /^\.\.?(?:\/|$)/;
/** Extensions of imports that cannot hold code talking to DynamoDB. */
const NON_CODE = /\.(?:json|css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|avif|ico|bmp|html?|md|mdx|txt|ya?ml|graphql|gql|node|wasm|csv|xml|proto)$/i;

const EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];
/** A `.js`-style specifier may name the TypeScript source it compiles from. */
const SOURCE_FOR: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/** All module specifiers in `text` (relative or not), in order of appearance, with repeats. */
export function extractSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const re of SPECIFIER_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const spec = m[2]!;
      if (m[1] === '`' && spec.includes('${')) continue;
      out.push(spec);
    }
  }
  return out;
}

/** Paths a relative specifier may resolve to, in the order TypeScript/Node would try them. */
export function resolutionCandidates(importer: string, specifier: string): string[] {
  return candidatesOf(path.resolve(path.dirname(importer), specifier));
}

/** The resolution candidates of an absolute, normalised base path (path.resolve's output). */
function candidatesOf(base: string): string[] {
  const out = [base];
  for (const ext of EXTENSIONS) out.push(`${base}.${ext}`);
  const ext = path.extname(base);
  for (const replacement of SOURCE_FOR[ext] ?? []) out.push(base.slice(0, -ext.length) + replacement);
  // path.join(base, name) without its normalisation: base is already normalised.
  const dir = base.endsWith(path.sep) ? base : base + path.sep;
  for (const e of EXTENSIONS) out.push(`${dir}index.${e}`);
  return out;
}

/** What the prefilter needs of one file, so that its text need not be kept: its own verdict and its imports. */
export interface PrefilterSummary {
  path: string;
  /** The text mentions DynamoDB or looks like a handler. */
  matches: boolean;
  /** Relative module specifiers, unique. */
  relativeSpecifiers: string[];
  /** Where its other specifiers name project files (tsconfig `paths`, `file:` dependencies): absolute base paths. */
  aliasBases: string[];
}

const aliases = new ImportAliases();

export function summarize(file: PrefilterInput): PrefilterSummary {
  const specifiers = [...new Set(extractSpecifiers(file.text))];
  return {
    path: file.path,
    matches: DYNAMO_OR_HANDLER_TOKENS.test(file.text),
    relativeSpecifiers: specifiers.filter((spec) => RELATIVE.test(spec)).map(detached),
    // The analyser follows the imports the project maps to its own files too (registry packages it does not read).
    aliasBases: specifiers.filter((spec) => !RELATIVE.test(spec) && !NON_CODE.test(spec)).flatMap((spec) => aliases.basesOf(file.path, spec)),
  };
}

/**
 * A copy of `s` that does not point into the text it was cut from. V8 represents a regex capture of 13 characters or
 * more as a slice of its source string, so keeping the specifiers of every file would keep every file's whole text.
 */
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

export interface Selection {
  /** Paths worth parsing. */
  candidates: Set<string>;
  /** Candidates that another candidate may import: the analyser may come back to them. */
  imported: Set<string>;
}

/** Paths (absolute) worth parsing. */
export function selectCandidates(files: PrefilterInput[]): Set<string> {
  return selectFromSummaries(files.map(summarize)).candidates;
}

export function selectFromSummaries(files: PrefilterSummary[]): Selection {
  const byPath = new Map<string, string>();
  // Discovery's paths are absolute and normalised already: resolved only when they are not.
  const keys = files.map((f) => (path.isAbsolute(f.path) && path.normalize(f.path) === f.path ? f.path : path.resolve(f.path)));
  for (const [i, f] of files.entries()) byPath.set(keys[i]!, f.path);

  const selected = new Set<string>();
  const queue: string[] = [];
  const mark = (key: string): void => {
    if (selected.has(key)) return;
    selected.add(key);
    queue.push(key);
  };
  /** importee -> files importing it */
  const importers = new Map<string, Set<string>>();
  const outside = new OutsideFiles();

  // The same few specifiers recur across a folder's files (`../lib/db`): resolve each base path once.
  const targetsByBase = new Map<string, string[]>();
  const targetsOf = (base: string): string[] => {
    let targets = targetsByBase.get(base);
    if (!targets) targetsByBase.set(base, (targets = candidatesOf(base).filter((c) => byPath.has(c))));
    return targets;
  };
  // The files of a folder import the same specifiers: each folder's resolutions are kept while its files come.
  let lastDir = '';
  let basesInDir = new Map<string, string>();
  for (const [i, f] of files.entries()) {
    const key = keys[i]!;
    const dir = path.dirname(key);
    if (dir !== lastDir) {
      lastDir = dir;
      basesInDir = new Map();
    }
    if (f.matches) mark(key);
    const bases = f.relativeSpecifiers.map((spec) => {
      let base = basesInDir.get(spec);
      if (base === undefined) basesInDir.set(spec, (base = path.resolve(dir, spec)));
      return { spec, base };
    });
    for (const base of f.aliasBases) bases.push({ spec: base, base });
    for (const { spec, base } of bases) {
      // Every file the specifier could name counts: a match on any of them keeps the importer.
      const targets = targetsOf(base);
      if (targets.length === 0) {
        // A code file outside the scanned set (gitignored, excluded) is still followed by the analyser,
        // so its text decides; a specifier that names no file on disk cannot contribute anything.
        if (!f.matches && !NON_CODE.test(spec) && outside.matchesBase(base)) {
          mark(key);
          break;
        }
        continue;
      }
      for (const t of targets) {
        let set = importers.get(t);
        if (!set) importers.set(t, (set = new Set()));
        set.add(key);
      }
    }
  }

  // Fixpoint: everything that imports a candidate is a candidate.
  while (queue.length > 0) {
    const key = queue.pop()!;
    for (const importer of importers.get(key) ?? []) mark(importer);
  }

  const candidates = new Set<string>();
  const imported = new Set<string>();
  for (const key of selected) {
    candidates.add(byPath.get(key)!);
    if ([...(importers.get(key) ?? [])].some((i) => selected.has(i))) imported.add(byPath.get(key)!);
  }
  return { candidates, imported };
}

/**
 * Files outside the scanned set, looked up by listing each folder once: the same few missing specifiers
 * (`../lib/x`) recur in thousands of files, and probing every resolution candidate with a stat each time
 * costs more than reading the whole tree.
 */
const CASE_SENSITIVE_FS = process.platform !== 'darwin' && process.platform !== 'win32';
const MISSING = Symbol('missing');

class OutsideFiles {
  /** A folder's entries by name; MISSING when it does not exist; null when it cannot be listed. */
  private readonly listings = new Map<string, Map<string, Dirent> | typeof MISSING | null>();

  /**
   * Missing folders (`../lib` of a thousand files) are told from their parent's listing where names are spelt
   * exactly: a failed readdir costs an exception each time.
   */
  private listingOf(dir: string): Map<string, Dirent> | typeof MISSING | null {
    let listing = this.listings.get(dir);
    if (listing !== undefined) return listing;
    const parent = path.dirname(dir);
    if (CASE_SENSITIVE_FS && parent !== dir) {
      const above = this.listingOf(parent);
      if (above === MISSING) listing = MISSING;
      else if (above) {
        const entry = above.get(path.basename(dir));
        if (!entry || (!entry.isDirectory() && !entry.isSymbolicLink())) listing = MISSING;
      }
    }
    if (listing === undefined) {
      try {
        listing = new Map(readdirSync(dir, { withFileTypes: true }).map((d) => [d.name, d]));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        listing = code === 'ENOENT' || code === 'ENOTDIR' ? MISSING : null;
      }
    }
    this.listings.set(dir, listing);
    return listing;
  }
  private readonly verdicts = new Map<string, boolean>();
  private readonly byBase = new Map<string, boolean>();

  /** Does the first existing file a specifier (resolved to `base`) names mention DynamoDB or look like a handler? */
  matchesBase(base: string): boolean {
    let verdict = this.byBase.get(base);
    if (verdict === undefined) this.byBase.set(base, (verdict = this.firstMatches(base)));
    return verdict;
  }

  private firstMatches(base: string): boolean {
    for (const candidate of candidatesOf(base)) {
      const kind = this.kindOf(candidate);
      if (kind === 'missing' || kind === 'other') continue;
      if (kind === 'error') return true;
      let verdict = this.verdicts.get(candidate);
      if (verdict === undefined) {
        try {
          verdict = DYNAMO_OR_HANDLER_TOKENS.test(readFileSync(candidate, 'utf8'));
        } catch {
          verdict = true;
        }
        this.verdicts.set(candidate, verdict);
      }
      return verdict;
    }
    return false;
  }

  private kindOf(file: string): 'file' | 'other' | 'missing' | 'error' {
    const dir = path.dirname(file);
    const listing = this.listingOf(dir);
    if (listing === MISSING) return 'missing';
    const entry = listing?.get(path.basename(file));
    if (entry && !entry.isSymbolicLink()) return entry.isFile() ? 'file' : 'other';
    // A listing spells names exactly; where the file system ignores case, only a stat can say.
    if (!entry && CASE_SENSITIVE_FS) return 'missing';
    try {
      return statSync(file).isFile() ? 'file' : 'other';
    } catch {
      return existsSync(file) ? 'error' : 'missing';
    }
  }
}
