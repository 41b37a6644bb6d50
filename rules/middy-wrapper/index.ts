import { createRule } from '../../src/rules/createRule.js';
import { line } from '../../src/lift/syntax.js';
import { middyJsonBodyParserSteps } from './lift.js';

const ID = 'middy-wrapper';

/** middy(handler).use(…) is unwrapped; @middy/http-json-body-parser becomes its content-type check (415 UnsupportedMediaTypeError) and a States.StringToJson of the (base64-decoded) body; unknown middleware is a blocker. */
export const rule = createRule({
  meta: {
    id: ID,
    title: 'middy wrappers',
    description: 'middy(handler).use(…) is unwrapped; @middy/http-json-body-parser becomes its content-type check (415 UnsupportedMediaTypeError) and a States.StringToJson of the (base64-decoded) body; unknown middleware is a blocker.',
    stepFunctionsFeature: 'Pass (States.StringToJson)',
    docs: 'rules/middy-wrapper/README.md',
    messages: { unknownMiddleware: 'middleware {{name}} changes the event or the response in ways the analyser does not model' },
  },
  create: (lx) => ({
    // The body parser ran before the handler: its checks and parse come first.
    enterHandler(fn) {
      if (!lx.opts.bodyParsedByMiddleware) return [];
      lx.use(ID);
      return middyJsonBodyParserSteps(line(fn));
    },
  }),
});
