// Entry point of the JSONPath emitter (src/emit/jsonpath/), and what both emitters return.
export { JsonPathEmitter, emitJsonPath } from './jsonpath/emitter.js';
export { EmitFailure, HANDLER_SUBSTITUTION, RESIDUAL_SUBSTITUTION, type EmitResult, type ResidualFunction } from './shared/result.js';
