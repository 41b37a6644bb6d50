// aws-local-stepfunctions@3.0.0 strips every backslash from the *result* of an intrinsic function
// (`result.replaceAll("\\", "")`), so States.JsonToString of a string holding a quote comes out as invalid JSON
// ({"m":"say "hi""}). AWS unescapes only the quoted literal arguments (\' \{ \} \\). This moves the unescaping
// to where AWS does it. Used as a Jest transform for that file (and by verify's module loader hook).
'use strict';

const STRIP_RESULT = 'result = result.replaceAll("\\\\", "");';
const LITERAL_ARG = 'return arg.slice(1, lastSingleQuote);';

function patchLocalStepFunctions(source) {
  if (!source.includes(STRIP_RESULT) || !source.includes(LITERAL_ARG)) return source;
  return source
    .replace(STRIP_RESULT, '/* lambda2sfn: escapes are handled in parseArguments */')
    .replace(LITERAL_ARG, 'return arg.slice(1, lastSingleQuote).replace(/\\\\(.)/g, "$1");');
}

module.exports = {
  patchLocalStepFunctions,
  // Jest transformer interface.
  process(sourceText) {
    return { code: patchLocalStepFunctions(sourceText) };
  },
  getCacheKey(sourceText) {
    return require('node:crypto').createHash('sha1').update('l2s-escapes-1').update(sourceText).digest('hex');
  },
};
