// The query language of a proposal: emits the workflow in JSONPath, JSONata or both, and says why one was kept.
import type { Workflow } from '../model/workflow.js';
import { emitJsonata } from './emitJsonata.js';
import { EmitFailure, emitJsonPath, type EmitResult } from './emitJsonPath.js';

/** `--query-language`: auto (JSONPath unless JSONata converts more), jsonpath or jsonata. */
export type QueryLanguageOption = 'auto' | 'jsonpath' | 'jsonata';
export type QueryLanguage = 'JSONPath' | 'JSONata';

const emitters: Record<QueryLanguage, (w: Workflow, comment: string) => EmitResult> = { JSONPath: emitJsonPath, JSONata: emitJsonata };

/** The workflow in `language` (throws EmitFailure when the language cannot express it). */
export function emitIn(language: QueryLanguage, workflow: Workflow, comment: string): EmitResult {
  return emitters[language](workflow, comment);
}

/** The emitted definition, or why the language cannot express the workflow; `reason` says why this language. */
export type Emitted = { ok: true; language: QueryLanguage; result: EmitResult; reason?: string } | { ok: false; language: QueryLanguage; failure: EmitFailure; reason?: string };

function tryEmit(language: QueryLanguage, workflow: Workflow, comment: string): Emitted {
  try {
    return { ok: true, language, result: emitIn(language, workflow, comment) };
  } catch (e) {
    if (!(e instanceof EmitFailure)) throw e;
    return { ok: false, language, failure: e };
  }
}

/**
 * The query language of the proposal. auto: JSONPath when it expresses the handler with no residual Lambda (the
 * JSONPath output is then what it always was); otherwise JSONata when it expresses it with fewer residual Lambdas.
 */
export function chooseEmission(option: QueryLanguageOption, workflow: Workflow, comment: string): Emitted {
  if (option === 'jsonpath') return tryEmit('JSONPath', workflow, comment);
  if (option === 'jsonata') return { ...tryEmit('JSONata', workflow, comment), reason: '--query-language jsonata' };
  const jsonPath = tryEmit('JSONPath', workflow, comment);
  if (jsonPath.ok && jsonPath.result.residuals.length === 0) return { ...jsonPath, reason: 'JSONPath expresses every step (--query-language auto prefers it when nothing more is needed)' };
  const jsonata = tryEmit('JSONata', workflow, comment);
  if (!jsonata.ok) return jsonPath;
  if (!jsonPath.ok) return { ...jsonata, reason: `JSONPath cannot express the handler (${jsonPath.failure.message}, line ${jsonPath.failure.line}); JSONata can` };
  if (jsonata.result.residuals.length < jsonPath.result.residuals.length) {
    const kept = jsonPath.result.residuals.map((r) => `line ${r.line}`).join(', ');
    return { ...jsonata, reason: `JSONPath would keep ${jsonPath.result.residuals.length} computation${jsonPath.result.residuals.length > 1 ? 's' : ''} in a Lambda function (${kept}); JSONata expresses ${jsonata.result.residuals.length ? 'some of them' : 'them'} in the state machine` };
  }
  return { ...jsonPath, reason: 'JSONata would keep the same computations in a Lambda function; JSONPath is kept' };
}
