// Infrastructure stage: find the files that deploy functions under the scan root and read each with its tool's reader.
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import fg from 'fast-glob';
import { ALWAYS_SKIPPED_DIRS } from '../discover/discoverFiles.js';
import { looksLikeCdk, readCdk } from './readCdk.js';
import { isCloudFormation, parseTemplate, readSamFunctions } from './readSam.js';
import { readServerless } from './readServerless.js';
import type { InfrastructureModel } from './types.js';

const SKIP = ALWAYS_SKIPPED_DIRS.flatMap((dir) => [`**/${dir}`, `**/${dir}/**`]);

/** SAM/CloudFormation templates by their conventional names. */
const TEMPLATE_GLOBS = ['**/template.{yaml,yml,json}', '**/*.template.{yaml,yml,json}', '**/{cloudformation,cfn}.{yaml,yml,json}'];
const SERVERLESS_GLOBS = ['**/serverless.{yml,yaml}'];

export async function readInfrastructure(root: string): Promise<InfrastructureModel> {
  const model: InfrastructureModel = { files: [], functions: [], errors: [] };
  const glob = (patterns: string[], cwd = root) => fg(patterns, { cwd, absolute: true, dot: false, ignore: SKIP, suppressErrors: true, followSymbolicLinks: false });

  for (const absFile of (await glob(TEMPLATE_GLOBS)).sort()) {
    const text = await readFile(absFile, 'utf8');
    try {
      const template = parseTemplate(text, absFile);
      if (!isCloudFormation(template.data)) continue;
      model.files.push({ iac: 'sam', absFile });
      model.functions.push(...readSamFunctions(template, absFile, root));
    } catch (e) {
      model.errors.push({ absFile, ...lineOf((e as Error).message) });
    }
  }
  for (const absFile of (await glob(SERVERLESS_GLOBS)).sort()) {
    try {
      const text = await readFile(absFile, 'utf8');
      model.files.push({ iac: 'serverless', absFile });
      model.functions.push(...readServerless(text, absFile, root));
    } catch (e) {
      model.errors.push({ absFile, ...lineOf((e as Error).message) });
    }
  }
  // CDK: only inside an app (a folder with cdk.json), and only files that import the CDK.
  for (const cdkJson of (await glob(['**/cdk.json'])).sort()) {
    for (const absFile of (await glob(['**/*.{ts,mts,js,mjs,cjs}', '!**/*.d.ts'], dirname(cdkJson))).sort()) {
      const text = await readFile(absFile, 'utf8');
      if (!looksLikeCdk(text)) continue;
      try {
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

export const isJsonFile = (file: string) => extname(file) === '.json';
