// The Lambda stub: canned answers per function, over the REST API or called in process by the machine side.
import type http from 'node:http';
import { lambdasOf, type RecordedCall, type StubRoute, type StubsFile } from './types.js';
import { decode, type Reply } from './wire.js';

/** The function name a Lambda invoke names: the last part of a function ARN (a qualifier is kept apart by the API). */
function functionKey(name: string): string {
  const m = /^arn:aws[a-z-]*:lambda:[^:]+:\d+:function:([^:]+)/.exec(name);
  return m ? m[1]! : name;
}

export function lambdaStub(stubs: StubRoute[] | StubsFile) {
const lambdas = lambdasOf(stubs).map((l) => ({ key: functionKey(l.functionName), responses: l.responses ?? [], used: 0 }));
const lambdaCall = (functionName: string, payload: unknown, invocationType: string | undefined): { call: RecordedCall; answer: unknown } => {
  const input: Record<string, unknown> = { FunctionName: functionName, Payload: payload };
  if (invocationType !== undefined && invocationType !== 'RequestResponse') input['InvocationType'] = invocationType;
  const fn = lambdas.find((l) => l.key === functionKey(functionName));
  const answer = invocationType === 'Event' ? undefined : fn && fn.responses.length ? fn.responses[Math.min(fn.used++, fn.responses.length - 1)]!.payload : null;
  return { call: { service: 'lambda', action: 'Invoke', input }, answer };
};
/** POST /2015-03-31/functions/{name}/invocations (the Lambda REST API). */
const lambdaHttp = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } | undefined => {
  const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(new URL(req.url ?? '/', 'http://stub').pathname);
  if (!m || req.method !== 'POST') return undefined;
  let payload: unknown = raw === '' ? null : raw;
  try {
    payload = raw === '' ? null : JSON.parse(raw);
  } catch {
    /* not JSON: recorded as text */
  }
  const type = req.headers['x-amz-invocation-type'];
  const r = lambdaCall(decode(m[1]!), payload, typeof type === 'string' ? type : undefined);
  if (type === 'Event') return { call: r.call, reply: { status: 202, headers: { 'x-amzn-requestid': 'stub-request' }, body: '' } };
  return { call: r.call, reply: { status: 200, headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify(r.answer) } };
};
  return { call: lambdaCall, http: lambdaHttp };
}
