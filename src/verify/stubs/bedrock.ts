// The Bedrock Runtime stub: canned answers per model, over REST-JSON or called in process by the machine side.
import type http from 'node:http';
import type { RecordedCall, StubAnswer, StubRoute, StubsFile } from './types.js';
import { decode, type Reply } from './wire.js';

export function bedrockStub(stubs: StubRoute[] | StubsFile) {
const models = (stubs && !Array.isArray(stubs) ? stubs.bedrock ?? [] : []).map((m) => ({ modelId: m.modelId, responses: m.responses ?? [], used: 0 }));
const modelCall = (modelId: string, body: unknown): { call: RecordedCall; answer: StubAnswer } => {
  const model = models.find((m) => m.modelId === modelId);
  const r = model && model.responses.length ? model.responses[Math.min(model.used++, model.responses.length - 1)]! : undefined;
  const answer: StubAnswer = r?.error ? { ok: false, error: r.error } : r ? { ok: true, value: r.body ?? null } : { ok: false, error: { name: 'ResourceNotFoundException', message: `no stub answers model ${modelId}` } };
  return { call: { service: 'bedrock', action: 'InvokeModel', input: { modelId, body } }, answer };
};
/** POST /model/{modelId}/invoke (Bedrock Runtime REST-JSON): the body is the model's own JSON, sent raw. */
const bedrockHttp = (req: http.IncomingMessage, raw: string): { call: RecordedCall; reply: Reply } | undefined => {
  const m = /^\/model\/([^/]+)\/invoke$/.exec(new URL(req.url ?? '/', 'http://stub').pathname);
  if (!m || req.method !== 'POST') return undefined;
  let body: unknown = raw;
  try {
    body = JSON.parse(raw);
  } catch {
    /* not JSON: recorded as text */
  }
  const r = modelCall(decode(m[1]!), body);
  const reply: Reply = r.answer.ok
    ? { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify(r.answer.value) }
    : { status: 400, headers: { 'content-type': 'application/json', 'x-amzn-errortype': r.answer.error.name, 'x-amzn-requestid': 'stub-request' }, body: JSON.stringify({ message: r.answer.error.message ?? r.answer.error.name }) };
  return { call: r.call, reply };
};
  return { call: modelCall, http: bedrockHttp };
}
