import type { RuleMeta } from '../../src/rules/types.js';

/** An awaited fetch(url, { method, headers, body }) checked with if (!res.ok), or an axios get/post/put/patch/delete/head call, becomes an HTTP Task with States.Http.StatusCode.* catchers and an EventBridge connection. */
export const rule: { meta: RuleMeta } = {
  meta: {
    id: 'http-task',
    title: 'fetch / axios → HTTP Task',
    description: 'An awaited fetch(url, { method, headers, body }) checked with if (!res.ok), or an axios get/post/put/patch/delete/head call, becomes an HTTP Task with States.Http.StatusCode.* catchers and an EventBridge connection.',
    stepFunctionsFeature: 'arn:aws:states:::http:invoke',
    docs: 'rules/http-task/README.md',
    messages: {},
  },
};
