import { createRule } from '../../src/rules/createRule.js';

/** switch (event.httpMethod | event.routeKey | …) and if-chains on the method become a Choice state with one branch per route and a Default for the fallback. */
export const rule = createRule({
  meta: {
    id: 'route-switch',
    title: 'Route switches',
    description: 'switch (event.httpMethod | event.routeKey | …) and if-chains on the method become a Choice state with one branch per route and a Default for the fallback. A route that does not convert stays in the original handler (lambda:invoke with the event); the finding is then partial and lists each route with its verdict.',
    stepFunctionsFeature: 'Choice state (StringEquals)',
    docs: 'rules/route-switch/README.md',
    messages: {},
  },
});
