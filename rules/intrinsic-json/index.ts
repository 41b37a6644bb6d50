import type { RuleMeta } from '../../src/rules/types.js';

/** JSON.parse(event.body) becomes States.StringToJson, JSON.stringify(x) becomes States.JsonToString. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'intrinsic-json',
    title: 'JSON.parse and JSON.stringify',
    description: 'JSON.parse(event.body) becomes States.StringToJson, JSON.stringify(x) becomes States.JsonToString.',
    stepFunctionsFeature: 'States.StringToJson / States.JsonToString',
    docs: 'rules/intrinsic-json/README.md',
    messages: {},
  },
};
