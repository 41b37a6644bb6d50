// Infrastructure stage: find the files that deploy functions under the scan root and read each with its tool's reader.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ALWAYS_SKIPPED_DIRS } from '../discover/discoverFiles.js';
import type { InfrastructureModel } from './types.js';

const SKIP = ALWAYS_SKIPPED_DIRS.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]);

/** SAM/CloudFormation templates by their conventional names. */
const TEMPLATE_GLOBS = ['**/template.{yaml,yml,json}', '**/*.template.{yaml,yml,json}', '**/{cloudformation,cfn}.{yaml,yml,json}'];
const SERVERLESS_GLOBS = ['**/serverless.{yml,yaml}'];
const CDK_APP_GLOB = '**/cdk.json';

/**
 * `found`: the infrastructure files under `root` (sorted, absolute) when the scan's walk already listed them
 * (walkTree finds the same names as the globs here); else the tree is walked for them.
 */
export async function readInfrastructure(root: string, found?: string[]): Promise<InfrastructureModel> {
  const model: InfrastructureModel = { files: [], functions: [], errors: [] };
  const glob = async (patterns: string[], cwd = root) =>
    (await import('fast-glob')).default(patterns, { cwd, absolute: true, dot: false, ignore: SKIP, suppressErrors: true, followSymbolicLinks: false });

  // One walk of the tree for every kind of infrastructure file.
  found ??= (await glob([...TEMPLATE_GLOBS, ...SERVERLESS_GLOBS, CDK_APP_GLOB])).sort();
  if (found.length === 0) return model;
  // The readers load the YAML libraries: only when there is something to read. One after the other: Jest's module
  // loader fails on concurrent dynamic imports of modules that share dependencies.
  const { isCloudFormation, parseTemplate, readSamFunctions } = await import('./readSam.js');
  const { readServerless } = await import('./readServerless.js');
  const { looksLikeCdk, readCdk } = await import('./readCdk.js');
  const isServerless = (f: string) => /(^|\/)serverless\.ya?ml$/.test(f);
  const isCdkApp = (f: string) => /(^|\/)cdk\.json$/.test(f);
  for (const absFile of found.filter((f) => !isServerless(f) && !isCdkApp(f))) {
    try {
      // Inside the try: a file that vanished or cannot be read since the walk is one warning, not a failed scan.
      const text = await readFile(absFile, 'utf8');
      const template = parseTemplate(text, absFile);
      if (!isCloudFormation(template.data)) continue;
      model.files.push({ iac: 'sam', absFile });
      model.functions.push(...readSamFunctions(template, absFile, root));
    } catch (e) {
      model.errors.push({ absFile, ...lineOf((e as Error).message) });
    }
  }
  for (const absFile of found.filter(isServerless)) {
    try {
      const text = await readFile(absFile, 'utf8');
      model.files.push({ iac: 'serverless', absFile });
      model.functions.push(...readServerless(text, absFile, root));
    } catch (e) {
      model.errors.push({ absFile, ...lineOf((e as Error).message) });
    }
  }
  // CDK: only inside an app (a folder with cdk.json), and only files that import the CDK.
  for (const cdkJson of found.filter(isCdkApp)) {
    const appFiles = (await glob(['**/*.{ts,mts,js,mjs,cjs}', '!**/*.d.ts'], dirname(cdkJson))).sort();
    const sources = new Set(appFiles.filter((f) => /\.[cm]?ts$/.test(f)).map((f) => f.replace(/\.[cm]?ts$/, '')));
    // tsc without outDir leaves lib/stack.js beside lib/stack.ts: read the source only.
    for (const absFile of appFiles.filter((f) => /\.[cm]?ts$/.test(f) || !sources.has(f.replace(/\.[cm]?js$/, '')))) {
      try {
        const text = await readFile(absFile, 'utf8');
        if (!looksLikeCdk(text)) continue;
        const fns = readCdk(text, absFile, root);
        model.files.push({ iac: 'cdk', absFile });
        model.functions.push(...fns);
      } catch (e) {
        model.errors.push({ absFile, ...lineOf((e as Error).message) });
      }
    }
  }
  return model;
}

function lineOf(message: string): { message: string; line?: number } {
  const m = /\(line (\d+)\)$/.exec(message);
  return { message: `infrastructure file could not be read: ${message}`, line: m ? Number(m[1]) : undefined };
}

