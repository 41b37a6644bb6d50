// Finds, loads and validates the lambda2sfn configuration.
//
// Search (from `cwd` upward, first match wins, per folder in this order):
//   package.json ("lambda2sfn" property), .lambda2sfnrc (JSON), .lambda2sfnrc.json, .lambda2sfnrc.js,
//   .lambda2sfnrc.mjs, lambda2sfn.config.json, lambda2sfn.config.js, lambda2sfn.config.mjs
// The search stops after the first folder that contains `.git` (that folder is still searched) or at the
// filesystem root. `--config <file>` replaces the search. Every problem becomes one UsageError (exit 2).

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { lilconfig, type Loader } from 'lilconfig';
import { UsageError } from '../errors.js';
import { positionOfPointer, type Position } from './jsonInput.js';
import type { Lambda2sfnConfig, LoadedConfig } from './types.js';

export const CONFIG_MODULE_NAME = 'lambda2sfn';

/** Files looked for in each folder, in priority order. */
export const CONFIG_SEARCH_PLACES: readonly string[] = [
  'package.json',
  '.lambda2sfnrc',
  '.lambda2sfnrc.json',
  '.lambda2sfnrc.js',
  '.lambda2sfnrc.mjs',
  'lambda2sfn.config.json',
  'lambda2sfn.config.js',
  'lambda2sfn.config.mjs',
];

const SCHEMA_RELATIVE_PATH = path.join('schema', 'lambda2sfn.schema.json');

export interface LoadConfigOptions {
  /** Folder the search starts from; also the base for a relative `configPath`. */
  cwd: string;
  /** Explicit config file (--config). Overrides the search. */
  configPath?: string;
  /**
   * The folder lambda2sfn was started in. A JavaScript configuration runs code, so the search loads one only
   * from the git repository holding this folder (or from the folder itself outside git): scanning someone
   * else's tree never runs its code. `--config` names a file to trust explicitly. Undefined: no restriction.
   */
  invokedFrom?: string;
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = path.resolve(opts.cwd);
  const explorer = lilconfig(CONFIG_MODULE_NAME, {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    packageProp: CONFIG_MODULE_NAME,
    stopDir: findStopDir(cwd),
    cache: false,
    loaders: {
      '.json': jsonLoader,
      noExt: jsonLoader,
      '.js': guardedModuleLoader(opts.configPath === undefined ? opts.invokedFrom : undefined),
      '.mjs': guardedModuleLoader(opts.configPath === undefined ? opts.invokedFrom : undefined),
      '.cjs': guardedModuleLoader(opts.configPath === undefined ? opts.invokedFrom : undefined),
    },
  });

  let result: Awaited<ReturnType<typeof explorer.search>>;
  if (opts.configPath !== undefined) {
    const filepath = path.resolve(cwd, opts.configPath);
    await assertReadableFile(filepath);
    try {
      result = await explorer.load(filepath);
    } catch (err) {
      throw asUsageError(err, filepath);
    }
    if (!result) throw new UsageError(`could not load configuration from ${filepath}`);
    if (path.basename(filepath) === 'package.json' && result.config == null) {
      throw new UsageError(`invalid configuration in ${filepath}: no "${CONFIG_MODULE_NAME}" property`);
    }
  } else {
    try {
      result = await explorer.search(cwd);
    } catch (err) {
      throw asUsageError(err, undefined);
    }
    if (!result) return { config: {} };
  }

  const filepath = path.resolve(result.filepath);
  // An empty file (lilconfig reports isEmpty / undefined) means "no settings".
  const raw: unknown = result.isEmpty || result.config === undefined ? {} : result.config;
  const config = await validateConfig(raw, filepath, await jsonLocator(filepath));
  return { config, filepath };
}

/** A rule is enabled unless the config sets it to `false` or `"off"`. */
export function isRuleEnabled(config: Lambda2sfnConfig, ruleId: string): boolean {
  const rules = config.rules;
  if (!rules || !Object.prototype.hasOwnProperty.call(rules, ruleId)) return true;
  const value = rules[ruleId];
  return !(value === false || value === 'off');
}

/**
 * Validates a raw config value against schema/lambda2sfn.schema.json.
 * Throws a UsageError naming `source` and listing every schema error.
 */
export async function validateConfig(raw: unknown, source: string, locate?: (pointer: string) => Position | undefined): Promise<Lambda2sfnConfig> {
  const validate = await getValidator();
  if (validate(raw)) return raw as Lambda2sfnConfig;
  const problems = formatSchemaErrors(validate.errors ?? [], locate);
  throw new UsageError(`invalid configuration in ${source}: ${problems.join('; ') || 'does not match the schema'}`);
}

/** Absolute path of the published JSON schema, found by walking up from this module (works from src/ and dist/src/). */
export function findSchemaPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, SCHEMA_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot find ${SCHEMA_RELATIVE_PATH} above ${fileURLToPath(import.meta.url)}`);
}

// ---------------------------------------------------------------------------------------------------------

let validatorPromise: Promise<ValidateFunction> | undefined;

function getValidator(): Promise<ValidateFunction> {
  validatorPromise ??= (async () => {
    const schema = JSON.parse(await readFile(findSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    return ajv.compile(schema);
  })();
  return validatorPromise;
}

/** For a JSON configuration, where a schema error's value is in the file; undefined for JS modules. */
async function jsonLocator(filepath: string): Promise<((pointer: string) => Position | undefined) | undefined> {
  const base = path.basename(filepath);
  if (!/\.json$/.test(base) && base !== '.lambda2sfnrc') return undefined;
  let text: string;
  try {
    text = await readFile(filepath, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = base === 'package.json' ? `/${CONFIG_MODULE_NAME}` : '';
  return (pointer) => positionOfPointer(text, prefix + pointer);
}

function formatSchemaErrors(errors: ErrorObject[], locate?: (pointer: string) => Position | undefined): string[] {
  const out: string[] = [];
  const at = (e: ErrorObject) => {
    const p = locate?.(e.instancePath);
    return p ? ` (line ${p.line}, column ${p.column})` : '';
  };
  for (const e of errors) {
    // A propertyNames failure is reported twice: once by the inner keyword (with propertyName set) and once
    // as a generic "property name must be valid"; keep only the specific one.
    if (e.keyword === 'propertyNames') continue;
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    if (e.propertyName !== undefined) {
      out.push(`${where} property name ${JSON.stringify(e.propertyName)} ${e.message ?? 'is invalid'}${at(e)}`);
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties':
        out.push(
          `${where} must NOT have additional property ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}${at(e)}`,
        );
        break;
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
        out.push(`${where} must be one of ${allowed.join(', ')} (got ${describeValue(e.data)})${at(e)}`);
        break;
      }
      default:
        out.push(`${where} ${e.message ?? 'is invalid'} (got ${describeValue(e.data)})${at(e)}`);
    }
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The folder whose search is the last one: the nearest ancestor (or cwd itself) holding `.git`, else the root. */
function findStopDir(cwd: string): string {
  let dir = cwd;
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

async function assertReadableFile(filepath: string): Promise<void> {
  let info;
  try {
    info = await stat(filepath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`config file not found: ${filepath}`);
    throw new UsageError(`cannot read config file ${filepath}: ${errorMessage(err)}`);
  }
  if (!info.isFile()) throw new UsageError(`config file is not a file: ${filepath}`);
}

const jsonLoader: Loader = (filepath, content) => {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`invalid JSON in ${filepath}: ${describeJsonError(err, text)}`);
  }
};

/** The module loader, refusing a file outside the repository lambda2sfn was started in (see `invokedFrom`). */
function guardedModuleLoader(invokedFrom: string | undefined): Loader {
  if (invokedFrom === undefined) return moduleLoader;
  const start = path.resolve(invokedFrom);
  const stop = findStopDir(start);
  const trusted = existsSync(path.join(stop, '.git')) ? stop : start;
  return (filepath, content) => {
    const rel = path.relative(trusted, path.resolve(filepath));
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new UsageError(`found the JavaScript configuration ${filepath} outside the repository lambda2sfn runs in (${trusted}); scan does not run code from the tree it scans: pass --config ${filepath} to use it anyway`);
    }
    return moduleLoader(filepath, content);
  };
}

const moduleLoader: Loader = async (filepath) => {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(filepath).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`cannot import configuration from ${filepath}: ${errorMessage(err)}`);
  }
  if (!('default' in mod) || mod.default === undefined) {
    throw new UsageError(`invalid configuration in ${filepath}: the module has no default export`);
  }
  return mod.default;
};

function asUsageError(err: unknown, filepath: string | undefined): UsageError {
  if (err instanceof UsageError) return err;
  const where = filepath === undefined ? 'while searching for a configuration file' : `from ${filepath}`;
  return new UsageError(`cannot load configuration ${where}: ${errorMessage(err)}`);
}

/** V8's JSON.parse message, kept on one line, with line/column added when V8 reports only a position. */
function describeJsonError(err: unknown, text: string): string {
  const message = errorMessage(err).replace(/\r\n|\r|\n/g, '\\n');
  const m = /at position (\d+)/.exec(message);
  if (!m || /line \d+/.test(message)) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split(/\r\n|\r|\n/);
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return `${message} (line ${line}, column ${column})`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
