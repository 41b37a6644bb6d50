// Node module-loader hook (module.register) that applies local-sfn-escapes.cjs to aws-local-stepfunctions
// when verify runs outside Jest. See that file for the bug it fixes.
import { createRequire } from 'node:module';

const { patchLocalStepFunctions } = createRequire(import.meta.url)('./local-sfn-escapes.cjs');

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!/aws-local-stepfunctions\/build\/main\.node\.esm\.js$/.test(url) || result.source == null) return result;
  return { ...result, source: patchLocalStepFunctions(String(result.source)) };
}
