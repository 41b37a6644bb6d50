import { createRule } from '../../src/rules/createRule.js';

/** JSON.parse(event.body) becomes States.StringToJson, JSON.stringify(x) becomes States.JsonToString. */
export const rule = createRule({
  meta: {
    id: 'intrinsic-json',
    title: 'JSON.parse and JSON.stringify',
    description: 'JSON.parse(event.body) becomes States.StringToJson, JSON.stringify(x) becomes States.JsonToString.',
    stepFunctionsFeature: 'States.StringToJson / States.JsonToString',
    docs: 'rules/intrinsic-json/README.md',
    messages: {},
  },
});
