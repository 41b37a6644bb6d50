// Discover stage: turn the user's inputs (files, folders, globs) into the list of JS/TS source
// files to scan, honouring .gitignore files, the always-skipped build/output folders and the
// include/exclude globs from the config.

import { readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type fgType from 'fast-glob';
import ignore from 'ignore';
import picomatch from 'picomatch';
import type { ScanError } from '../report/types.js';
import { walkTree } from './walkTree.js';

export interface DiscoverOptions {
  cwd: string;
  /** Globs relative to the result's root; when given, only files matching one of them are kept. */
  include?: string[];
  /** Globs relative to the result's root; matching files are dropped. */
  exclude?: string[];
}

export interface DiscoveryResult {
  /** Absolute folder that findings are reported relative to. */
  root: string;
  /** Absolute paths, sorted, unique. */
  files: string[];
  errors: ScanError[];
  /**
   * When the one input is a folder (the root): its infrastructure files, found by the same walk (sorted, absolute;
   * see walkTree), so that reading the infrastructure need not walk the tree again.
   */
  infrastructureFiles?: string[];
}

/** File extensions of the sources we scan. */
export const SOURCE_EXTENSIONS = ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'] as const;

/** Folders that are never descended into, at any depth. */
export const ALWAYS_SKIPPED_DIRS = [
  'node_modules',
  'dist',
  'build',
  'cdk.out',
  '.aws-sam',
  '.serverless',
  'coverage',
  '.git',
] as const;

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/** True for a path with one of the scanned extensions that is not a declaration file. */
export function isSourceFile(file: string): boolean {
  const base = path.basename(file);
  return SOURCE_FILE.test(base) && !DECLARATION_FILE.test(base);
}

const SKIP_GLOBS = ALWAYS_SKIPPED_DIRS.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]);
const SKIP_DIRS: ReadonlySet<string> = new Set(ALWAYS_SKIPPED_DIRS);

const FG_OPTIONS = {
  dot: true,
  followSymbolicLinks: false,
  ignore: SKIP_GLOBS,
  // An unreadable folder deep in a tree must not abort the whole scan.
  suppressErrors: true,
} satisfies fgType.Options;

/** fast-glob expands glob inputs only: loaded when one is given. */
async function fastGlob(): Promise<typeof fgType> {
  return (await import('fast-glob')).default;
}

// git matches ignore patterns case-insensitively where the file system is (core.ignorecase).
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

const toPosix = (p: string): string => (path.sep === '/' ? p : p.split(path.sep).join('/'));

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Reads (and caches) .gitignore files and git-root lookups across one discovery run. */
class GitignoreCache {
  private readonly rules = new Map<string, ignore.Ignore | null>();
  private readonly gitRoots = new Map<string, string | null>();

  /** The parsed .gitignore of `dir`, or null when it has none. */
  rulesOf(dir: string): ignore.Ignore | null {
    let ig = this.rules.get(dir);
    if (ig === undefined) {
      ig = null;
      try {
        const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
        ig = ignore({ ignoreCase: IGNORE_CASE }).add(text);
      } catch {
        // No .gitignore (or unreadable): no rules here.
      }
      this.rules.set(dir, ig);
    }
    return ig;
  }

  /** The nearest folder at or above `dir` containing `.git` (folder or file), or null. */
  gitRootOf(dir: string): string | null {
    const seen: string[] = [];
    let current = dir;
    let found: string | null | undefined;
    for (;;) {
      const cached = this.gitRoots.get(current);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(current);
      if (exists(path.join(current, '.git'))) {
        found = current;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) {
        found = null;
        break;
      }
      current = parent;
    }
    for (const d of seen) this.gitRoots.set(d, found);
    return found;
  }

  /** A matcher for files below `searched`, using .gitignore files from `boundary` down. */
  matcher(searched: string): GitignoreMatcher {
    const gitRoot = this.gitRootOf(searched);
    const boundary = gitRoot !== null && isInside(gitRoot, searched) ? gitRoot : searched;
    return new GitignoreMatcher(this, boundary);
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides whether a path is ignored the way git does: a path inside an excluded folder is
 * excluded (nested rules cannot re-include it); otherwise the deepest .gitignore with a matching
 * rule wins, and within one file the last matching rule wins.
 */
class GitignoreMatcher {
  private readonly dirExcluded = new Map<string, boolean>();

  constructor(
    private readonly cache: GitignoreCache,
    readonly boundary: string,
  ) {}

  isIgnored(file: string): boolean {
    if (!isInside(this.boundary, file) || file === this.boundary) return false;
    const dir = path.dirname(file);
    return this.isDirExcluded(dir) || this.matches(file, dir, false);
  }

  isDirExcluded(dir: string): boolean {
    if (dir === this.boundary || !isInside(this.boundary, dir)) return false;
    let excluded = this.dirExcluded.get(dir);
    if (excluded === undefined) {
      const parent = path.dirname(dir);
      excluded = this.isDirExcluded(parent) || this.matches(dir, parent, true);
      this.dirExcluded.set(dir, excluded);
    }
    return excluded;
  }

  /** The folders from the boundary down to `parent` that have a .gitignore, with its rules (kept per folder). */
  private readonly ruleChains = new Map<string, Array<[string, ignore.Ignore]>>();

  private rulesDownTo(parent: string): Array<[string, ignore.Ignore]> {
    let chain = this.ruleChains.get(parent);
    if (!chain) {
      const above = parent === this.boundary || path.dirname(parent) === parent ? [] : this.rulesDownTo(path.dirname(parent));
      const own = this.cache.rulesOf(parent);
      chain = own ? [...above, [parent, own]] : above;
      this.ruleChains.set(parent, chain);
    }
    return chain;
  }

  /** Applies the .gitignore files from the boundary down to `parent` (the folder holding `target`). */
  private matches(target: string, parent: string, isDir: boolean): boolean {
    let ignored = false;
    for (const [dir, ig] of this.rulesDownTo(parent)) {
      const rel = toPosix(path.relative(dir, target)) + (isDir ? '/' : '');
      const result = ig.test(rel);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }
}

type InputKind =
  | { kind: 'file'; abs: string }
  | { kind: 'dir'; abs: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'error'; message: string };

async function classify(input: string, cwd: string): Promise<InputKind> {
  const abs = path.resolve(cwd, input);
  try {
    const st = await stat(abs);
    if (st.isDirectory()) return { kind: 'dir', abs };
    if (st.isFile()) return { kind: 'file', abs };
    return { kind: 'error', message: 'not a regular file or directory' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      return { kind: 'error', message: errnoMessage(err) };
    }
  }
  if ((await fastGlob()).isDynamicPattern(input)) return { kind: 'glob', pattern: input };
  return { kind: 'error', message: 'no such file or directory' };
}

function errnoMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const m = /^(\w+): ([^,]+)/.exec(e?.message ?? '');
  if (m) return `${m[1]}: ${m[2]}`;
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
}

/**
 * Walks `dir` for the source files it does not ignore (absolute paths), never entering the always-skipped folders,
 * nor gitignored ones unless the infrastructure files are collected too.
 */
function walk(dir: string, matcher: GitignoreMatcher, infrastructure = false): { files: string[]; infrastructure: string[] } {
  const found = walkTree(dir, { skipDirs: SKIP_DIRS, isSource: isSourceFile, isDirExcluded: (d) => matcher.isDirExcluded(d), infrastructure });
  return { files: found.sources.filter((f) => !matcher.isIgnored(f)), infrastructure: found.infrastructure };
}

function compileGlobs(globs: string[] | undefined): ((rel: string, abs: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  const matchers = globs.map((g) => {
    const absolute = path.isAbsolute(g);
    const m = picomatch(absolute ? toPosix(g) : g, { dot: true });
    return { absolute, m };
  });
  // A pattern also matches every file under a folder it matches (`exclude: ['legacy']`).
  const candidates = (p: string): string[] => {
    const out = [p];
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
    return out;
  };
  return (rel, abs) =>
    matchers.some(({ absolute, m }) => candidates(absolute ? toPosix(abs) : rel).some((p) => m(p)));
}

/**
 * Resolves inputs (files, folders or glob patterns, relative to `options.cwd`) to the JS/TS
 * source files to scan. Never throws for a bad input: it lands in `errors` and the rest goes on.
 */
export async function discoverFiles(inputs: string[], options: DiscoverOptions): Promise<DiscoveryResult> {
  const cwd = path.resolve(options.cwd);
  const list = inputs.length === 0 ? ['.'] : inputs;
  const cache = new GitignoreCache();
  const errors: ScanError[] = [];
  // Explicitly named files skip the .gitignore test; walked and globbed ones passed it.
  const found = new Set<string>();
  let infrastructureFiles: string[] | undefined;

  const kinds = await Promise.all(list.map((input) => classify(input, cwd)));

  let root = cwd;
  if (kinds.length === 1) {
    const only = kinds[0]!;
    if (only.kind === 'dir') root = only.abs;
    else if (only.kind === 'file') root = path.dirname(only.abs);
  }

  for (let i = 0; i < list.length; i++) {
    const input = list[i]!;
    const k = kinds[i]!;
    switch (k.kind) {
      case 'error':
        errors.push({ file: input, message: k.message, severity: 'warning' });
        break;
      case 'file':
        if (isSourceFile(k.abs)) found.add(k.abs);
        else {
          errors.push({
            file: input,
            message: `not a JavaScript or TypeScript source file (expected .${SOURCE_EXTENSIONS.join(', .')}; declaration files are skipped)`,
            severity: 'warning',
          });
        }
        break;
      case 'dir': {
        const walked = walk(k.abs, cache.matcher(k.abs), k.abs === root);
        for (const f of walked.files) found.add(f);
        if (k.abs === root) infrastructureFiles = walked.infrastructure.sort(compareStrings);
        break;
      }
      case 'glob': {
        const base = path.resolve(cwd, picomatch.scan(k.pattern).base || '.');
        const entries = await (await fastGlob()).glob(k.pattern, { ...FG_OPTIONS, cwd, onlyFiles: false, objectMode: true });
        if (entries.length === 0) {
          errors.push({ file: input, message: 'no such file or directory', severity: 'warning' });
          break;
        }
        const matcher = cache.matcher(base);
        const dirs: string[] = [];
        for (const e of entries) {
          const abs = path.resolve(cwd, e.path);
          if (e.dirent.isFile()) {
            if (isSourceFile(abs) && !matcher.isIgnored(abs)) found.add(abs);
          } else if (e.dirent.isDirectory()) {
            dirs.push(abs);
          }
        }
        // A glob matching folders (`services/*`) scans them like folder inputs; walk only the
        // outermost ones so `src/**` does not walk every subtree again.
        const walked = new Set<string>();
        const underWalked = (d: string): boolean => {
          for (let p = d; ; p = path.dirname(p)) {
            if (walked.has(p)) return true;
            if (path.dirname(p) === p) return false;
          }
        };
        dirs.sort((a, b) => a.length - b.length);
        for (const d of dirs) {
          if (underWalked(d)) continue;
          walked.add(d);
          if (matcher.isDirExcluded(d)) continue;
          for (const f of walk(d, matcher).files) found.add(f);
        }
        break;
      }
    }
  }

  const include = compileGlobs(options.include);
  const exclude = compileGlobs(options.exclude);
  const keep = (abs: string): boolean => {
    if (!include && !exclude) return true;
    const rel = toPosix(path.relative(root, abs));
    if (include && !include(rel, abs)) return false;
    if (exclude && exclude(rel, abs)) return false;
    return true;
  };

  const files = [...found].filter(keep).sort(compareStrings);
  return { root, files, errors, ...(infrastructureFiles ? { infrastructureFiles } : {}) };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
