// One walk of a folder for everything a scan looks for by name: the source files (dot folders included, the
// always-skipped folders and gitignored folders left out) and the infrastructure files (SAM/CloudFormation
// templates, serverless.yml, cdk.json: dot folders left out, .gitignore not applied). Symbolic links are not
// followed, and neither links nor anything but regular files are returned; an unreadable folder is skipped.
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';

export interface WalkOptions {
  /** Folder names never entered, at any depth below the walked folder. */
  skipDirs: ReadonlySet<string>;
  /** Is this file name a source file? */
  isSource(name: string): boolean;
  /** Is this folder excluded for source files (gitignored)? Its files are not sources; infrastructure files count. */
  isDirExcluded(dir: string): boolean;
  /** Collect infrastructure files too. */
  infrastructure: boolean;
}

export interface WalkResult {
  /** Absolute paths of the source files, in walk order. */
  sources: string[];
  /** Absolute paths of the infrastructure files (when asked for), in walk order. */
  infrastructure: string[];
}

/** SAM/CloudFormation templates by their conventional names, serverless.yml, cdk.json (never a dot file). */
const INFRASTRUCTURE_NAME = /^(?:template\.(?:ya?ml|json)|[^.][^/]*\.template\.(?:ya?ml|json)|(?:cloudformation|cfn)\.(?:ya?ml|json)|serverless\.ya?ml|cdk\.json)$/;

export function isInfrastructureName(name: string): boolean {
  return INFRASTRUCTURE_NAME.test(name);
}

export function walkTree(root: string, options: WalkOptions): WalkResult {
  const sources: string[] = [];
  const infrastructure: string[] = [];
  // Iterative, depth first: `inDot` (below a dot folder: no infrastructure), `excluded` (gitignored: no sources).
  const stack: Array<{ dir: string; inDot: boolean; excluded: boolean }> = [{ dir: root, inDot: false, excluded: false }];
  while (stack.length > 0) {
    const { dir, inDot, excluded } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const below: Array<{ dir: string; inDot: boolean; excluded: boolean }> = [];
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (options.skipDirs.has(name)) continue;
        const child = path.join(dir, name);
        const childDot = inDot || name.startsWith('.');
        const childExcluded = excluded || options.isDirExcluded(child);
        // A folder that can hold neither sources nor infrastructure files is not entered.
        if (childExcluded && (childDot || !options.infrastructure)) continue;
        below.push({ dir: child, inDot: childDot, excluded: childExcluded });
      } else if (entry.isFile()) {
        if (!excluded && options.isSource(name)) sources.push(path.join(dir, name));
        if (options.infrastructure && !inDot && isInfrastructureName(name)) infrastructure.push(path.join(dir, name));
      }
    }
    for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]!);
  }
  return { sources, infrastructure };
}
