// Non-relative specifiers that name the project's own files, resolved as the toolchains that build the project do:
// tsconfig.json / jsconfig.json `paths` (with `baseUrl`), as tsc, tsx and bundlers read them, and package.json
// dependencies on a local folder (`"coffee-service": "file:src/layer/coffee-service"`), which npm links into
// node_modules. A package from the registry resolves to nothing here: the analyser does not read libraries.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createPathsMatcher, getTsconfig, type TsConfigResult } from 'get-tsconfig';

type PathsMatcher = (specifier: string) => string[];

const BARE_PACKAGE = /^(@[^/]+\/[^/]+|[^./@][^/]*)(\/.*)?$/;

export class ImportAliases {
  private readonly tsconfigCache = new Map<string, unknown>();
  /** Folder → the paths matcher of its tsconfig/jsconfig (null: none, or no `paths`/`baseUrl`). */
  private readonly matchers = new Map<string, PathsMatcher | null>();
  /** Folder → local-folder dependencies of the package.json files at and above it, nearest first. */
  private readonly localDependencies = new Map<string, ReadonlyMap<string, string>>();

  /**
   * Absolute base paths (before extensions and index files are tried) that `specifier`, imported from `importer`,
   * may name, in the order they are tried; empty for a relative specifier or a registry package.
   */
  basesOf(importer: string, specifier: string): string[] {
    if (specifier.startsWith('.') || path.isAbsolute(specifier) || specifier.startsWith('node:')) return [];
    const dir = path.dirname(importer);
    const fromPaths = this.matcherOf(dir)?.(specifier) ?? [];
    if (fromPaths.length) return fromPaths.map((p) => path.resolve(p));
    const bare = BARE_PACKAGE.exec(specifier);
    const folder = bare ? this.dependenciesOf(dir).get(bare[1]!) : undefined;
    if (!folder) return [];
    const subpath = bare![2];
    return [subpath ? path.join(folder, subpath) : path.join(folder, mainOf(folder))];
  }

  private matcherOf(dir: string): PathsMatcher | null {
    let matcher = this.matchers.get(dir);
    if (matcher !== undefined) return matcher;
    matcher = null;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      let config: TsConfigResult | null = null;
      try {
        config = getTsconfig(dir, name, this.tsconfigCache as Map<string, never>);
        if (config) matcher = createPathsMatcher(config);
      } catch {
        // A config tsc refuses (a broken `extends`, `paths` that need a `baseUrl`) gives no aliases: its imports
        // stay unresolved.
      }
      if (config) break;
    }
    this.matchers.set(dir, matcher);
    return matcher;
  }

  private dependenciesOf(dir: string): ReadonlyMap<string, string> {
    const known = this.localDependencies.get(dir);
    if (known) return known;
    const parent = path.dirname(dir);
    // The nearest package.json wins for a name it declares, as node_modules nearest the importer would.
    const out = new Map(parent === dir ? [] : this.dependenciesOf(parent));
    for (const [name, folder] of localFolderDependencies(dir)) out.set(name, folder);
    this.localDependencies.set(dir, out);
    return out;
  }
}

/** `file:`/`link:` dependencies of `dir/package.json`: package name → absolute folder. */
function localFolderDependencies(dir: string): Array<[string, string]> {
  const pkg = readPackageJson(dir);
  if (!pkg) return [];
  const out: Array<[string, string]> = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = pkg[field];
    if (!deps || typeof deps !== 'object') continue;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
      const local = typeof spec === 'string' ? /^(?:file|link):(.+)$/.exec(spec) : null;
      // A tarball (`file:x.tgz`) holds no source the scan can read.
      if (local && !/\.(?:tgz|tar\.gz|tar)$/.test(local[1]!)) out.push([name, path.resolve(dir, local[1]!)]);
    }
  }
  return out;
}

/** The file a package folder's `main` names, relative to it (index by default, as Node resolves it). */
function mainOf(folder: string): string {
  const main = readPackageJson(folder)?.['main'];
  return typeof main === 'string' && main.trim() ? main : 'index';
}

function readPackageJson(dir: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
