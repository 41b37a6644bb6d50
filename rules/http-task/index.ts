import type { RuleMeta } from '../../src/rules/types.js';

/** An awaited fetch(url, { method, headers, body }) checked with if (!res.ok) becomes an HTTP Task with States.Http.StatusCode.* catchers and an EventBridge connection. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'http-task',
    title: 'fetch → HTTP Task',
    description: 'An awaited fetch(url, { method, headers, body }) checked with if (!res.ok) becomes an HTTP Task with States.Http.StatusCode.* catchers and an EventBridge connection.',
    stepFunctionsFeature: 'arn:aws:states:::http:invoke',
    docs: 'rules/http-task/README.md',
    messages: {},
  },
};
