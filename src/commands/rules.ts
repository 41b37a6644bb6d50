// `lambda2sfn rules [id]`: the rule catalogue and each rule's README.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunIO } from './io.js';
import { EXIT, UsageError } from '../errors.js';
import { ALL_RULES } from '../../rules/index.js';
import { packageRoot } from '../version.js';

export function runRules(id: string | undefined, opts: { format: string }, io: RunIO): number {
  if (!id) {
    if (opts.format === 'json') io.stdout(JSON.stringify(ALL_RULES, null, 2) + '\n');
    else {
      const width = Math.max(...ALL_RULES.map((r) => r.id.length));
      for (const r of ALL_RULES) io.stdout(`${r.id.padEnd(width)}  ${r.title} → ${r.stepFunctionsFeature}\n`);
    }
    return EXIT.ok;
  }
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new UsageError(`unknown rule '${id}'; run lambda2sfn rules to list them`);
  if (opts.format === 'json') io.stdout(JSON.stringify(rule, null, 2) + '\n');
  else io.stdout(readFileSync(join(packageRoot(), rule.docs), 'utf8'));
  return EXIT.ok;
}
