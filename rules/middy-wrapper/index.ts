import { createRule } from '../../src/rules/createRule.js';

/** middy(handler).use(…) is unwrapped; @middy/http-json-body-parser becomes its content-type check (415 UnsupportedMediaTypeError) and a States.StringToJson of the (base64-decoded) body; unknown middleware is a blocker. */
export const rule = createRule({
  meta: {
    id: 'middy-wrapper',
    title: 'middy wrappers',
    description: 'middy(handler).use(…) is unwrapped; @middy/http-json-body-parser becomes its content-type check (415 UnsupportedMediaTypeError) and a States.StringToJson of the (base64-decoded) body; unknown middleware is a blocker.',
    stepFunctionsFeature: 'Pass (States.StringToJson)',
    docs: 'rules/middy-wrapper/README.md',
    messages: { unknownMiddleware: 'middleware {{name}} changes the event or the response in ways the analyser does not model' },
  },
});
