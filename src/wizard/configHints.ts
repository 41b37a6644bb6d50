// Attribute types the user gave go into the configuration's `tables`, so the next scan knows them too.
import { basename, relative } from 'node:path';
import type { Lambda2sfnConfig } from '../config/types.js';
import type { FileChange, FileView } from '../propose/types.js';

export type TableHints = Record<string, Record<string, string>>;

/** The configuration with the hints merged in (what the scan of this run uses). */
export function withHints(config: Lambda2sfnConfig, hints: TableHints): Lambda2sfnConfig {
  const tables = structuredClone(config.tables ?? {});
  for (const [table, attrs] of Object.entries(hints)) tables[table] = { ...(tables[table] ?? {}), ...attrs };
  return { ...config, tables };
}

/**
 * The change to the configuration file that records the hints: its `tables` in a JSON file (or package.json's
 * `lambda2sfn`), a new lambda2sfn.config.json when there is none; undefined with a note when it is a JS module.
 */
export function configChange(root: string, configFile: string | undefined, hints: TableHints, view: FileView): { change?: FileChange; note?: string } {
  if (Object.keys(hints).length === 0) return {};
  const path = configFile ? relative(root, configFile).split('\\').join('/') : 'lambda2sfn.config.json';
  if (configFile && !/\.json$|\.lambda2sfnrc$/.test(configFile)) {
    return { note: `${path} is a JavaScript module: add these attribute types to its \`tables\` by hand: ${JSON.stringify(hints)}` };
  }
  const before = view(path);
  const data = before === null ? {} : (JSON.parse(before) as Record<string, unknown>);
  const indent = before ? (/^[ \t]+/m.exec(before)?.[0] ?? '  ') : '  ';
  const inPackage = basename(path) === 'package.json';
  const holder = (inPackage ? ((data['lambda2sfn'] ??= {}) as Lambda2sfnConfig) : (data as Lambda2sfnConfig));
  holder.tables = withHints(holder, hints).tables;
  const after = JSON.stringify(data, null, indent) + '\n';
  return after === before ? {} : { change: { path, before, after } };
}
