import { createRule } from '../../src/rules/createRule.js';
import { HttpLifting } from './lift.js';

/** An awaited fetch(url, { method, headers, body }) checked with if (!res.ok), an axios call (methods, axios(config), axios.create instances) or a got call, becomes an HTTP Task with States.Http.StatusCode.* catchers and an EventBridge connection. */
export const rule = createRule({
  meta: {
    id: 'http-task',
    title: 'fetch / axios / got → HTTP Task',
    description: 'An awaited fetch(url, { method, headers, body }) checked with if (!res.ok), an axios call (methods, axios(config), axios.create instances) or a got call, becomes an HTTP Task with States.Http.StatusCode.* catchers and an EventBridge connection (API key, bearer or basic auth).',
    stepFunctionsFeature: 'arn:aws:states:::http:invoke',
    docs: 'rules/http-task/README.md',
    messages: {},
  },
  create: (lx) => new HttpLifting(lx),
});
